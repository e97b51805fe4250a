"""Check an executed lab notebook: every lesson cell prints its record, nothing on stderr.

Problems are :class:`~coursebuild.engine.Problem` values located at the notebook's cell.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import nbformat

from coursebuild.engine import Outcome, Problem
from coursebuild.engine.records import drift_report
from coursebuild.lab.execute import ANSI
from coursebuild.lab.lab_check import CORRECT, NOT_ANSWERED
from coursebuild.lab.notebook import ROLE_KEY

MATCHES = CORRECT  # what a self-check says to the lesson's own solution


@dataclass(frozen=True)
class CellOutput:
    """What one executed code cell printed: stdout, and stderr with any traceback."""

    stdout: str
    stderr: str


HTML_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*" id="cell-id=(?P<id>[^"]+)">')
HTML_NEXT_CELL = re.compile(r'<div class="jp-Cell ')
HTML_OUTPUT = re.compile(
    r'<div class="jp-RenderedText jp-OutputArea-output(?P<classes>[^"]*)" '
    r'data-mime-type="(?P<kind>[^"]+)"[^>]*>\s*<pre>(?P<text>.*?)</pre>',
    re.DOTALL,
)
HTML_STDERR = "application/vnd.jupyter.stderr"


def outputs_of(notebook: nbformat.NotebookNode) -> dict[str, CellOutput]:
    """The output of every code cell of an executed notebook, by cell id."""
    found = {}
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        streams = {"stdout": "", "stderr": ""}
        for output in cell.outputs:
            if output.output_type == "stream":
                streams[output.name] += output.text
            elif output.output_type == "error":
                streams["stderr"] += ANSI.sub("", "\n".join(output.traceback)) + "\n"
        found[cell.id] = CellOutput(streams["stdout"], streams["stderr"])
    return found


def html_outputs(page: str) -> dict[str, CellOutput]:
    """The output of every code cell in nbconvert's ``lab`` HTML, by cell id.

    nbconvert marks each code cell with ``id="cell-id=ID"`` and each stream with its MIME
    type (``text/plain`` for stdout; stderr and tracebacks share the stderr type).
    """
    found = {}
    for match in HTML_CELL.finditer(page):
        following = HTML_NEXT_CELL.search(page, match.end())
        segment = page[match.end() : following.start() if following else len(page)]
        streams = {"text/plain": "", HTML_STDERR: ""}
        for output in HTML_OUTPUT.finditer(segment):
            if output["kind"] in streams and "executeResult" not in output["classes"]:
                streams[output["kind"]] += html.unescape(re.sub(r"<[^>]*>", "", output["text"]))
        found[match["id"]] = CellOutput(streams["text/plain"], streams[HTML_STDERR])
    return found


def indented(text: str) -> str:
    """``text`` indented for a report."""
    return "\n".join(f"    {line}" for line in text.rstrip().splitlines())


def lesson_problem(
    where: tuple[str, None], include: str, output: CellOutput, record: str | None
) -> Problem | None:
    """How a lesson cell's output differs from its snippet's record, or None."""
    name = f"snippets/{include}"
    if output.stderr:
        message = "the notebook cell wrote to stderr or raised"
        return Problem(*where, message, name, indented(output.stderr))
    if record is None:
        return Problem(*where, "has no record to compare the notebook cell with", name)
    if output.stdout == record:
        return None
    report = drift_report(Outcome(name, "ok", stdout=output.stdout, record=record))
    message = "the notebook cell printed something other than its record"
    return Problem(*where, message, name, report)


def cell_problem(
    where: tuple[str, None], cell, output: CellOutput | None, records: Mapping
) -> Problem | None:
    """What is wrong with one executed code cell, or None."""
    meta = cell.metadata.get(ROLE_KEY, {})
    if output is None:
        return Problem(*where, f"no output of cell {cell.id!r} found in the executed notebook")
    if meta.get("role") == "lesson":
        return lesson_problem(where, meta["snippet"], output, records.get(meta["snippet"]))
    if output.stderr:
        role = meta.get("role", "code")
        return Problem(*where, f"the {role} cell wrote to stderr", None, indented(output.stderr))
    return None


def output_problems(
    notebook: nbformat.NotebookNode,
    outputs: Mapping[str, CellOutput],
    records: Mapping[str, str | None],
    name: str,
) -> list[Problem]:
    """Every lesson cell whose output is not its record, and every cell that wrote to stderr.

    Args:
        notebook: The executed notebook.
        outputs: Its cell outputs (:func:`outputs_of`).
        records: The record of every snippet, by include path.
        name: The notebook's file name, for the problems' location (``NAME cell N``).
    """
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            where = (f"{name} cell {number}", None)
            problems.append(cell_problem(where, cell, outputs.get(cell.id), records))
    return [problem for problem in problems if problem]


def self_check_outputs(
    notebook: nbformat.NotebookNode, outputs: Mapping[str, CellOutput]
) -> dict[str, str]:
    """What each exercise's self-check cell printed, by solution include path."""
    return {
        cell.metadata[ROLE_KEY]["exercise"]: outputs[cell.id].stdout if cell.id in outputs else ""
        for cell in notebook.cells
        if cell.metadata.get(ROLE_KEY, {}).get("role") == "self-check"
    }


def answered_too_early(
    notebook: nbformat.NotebookNode, outputs: Mapping[str, CellOutput], name: str
) -> list[Problem]:
    """Self-checks that did not say "not answered yet" on the untouched notebook.

    One would mean that a lesson (or the helper) already sets an answer variable, or
    that the self-check is broken.
    """
    return [
        Problem(
            name,
            None,
            f"its self-check did not say {NOT_ANSWERED!r} on the empty notebook: {said.strip()!r}",
            f"snippets/{exercise}",
        )
        for exercise, said in self_check_outputs(notebook, outputs).items()
        if NOT_ANSWERED not in said
    ]
