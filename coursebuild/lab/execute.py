"""Execute a lab notebook in a real Jupyter kernel, in its own folder, errors not allowed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from coursebuild.engine import Problem
from coursebuild.engine.environment import fixed_env
from coursebuild.lab.notebook import ROLE_KEY

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT = 600


def kernel_env() -> dict[str, str]:
    """The runner's fixed environment, minus the package path and Agg (Jupyter plots inline)."""
    return {k: v for k, v in fixed_env().items() if k not in {"PYTHONPATH", "MPLBACKEND"}}


def merged_stream_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Join consecutive stream outputs of a cell: the kernel's chunking varies run to run."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.output_type == previous.output_type == "stream"
                and output.name == previous.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged
    return nb


class Execution:
    """One notebook running in a background thread; its outputs are saved back to the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, name=f"lab {path.name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        nb = nbformat.read(self.path, as_version=4)
        folder = {"metadata": {"path": str(self.path.parent)}}
        client = NotebookClient(
            nb, timeout=CELL_TIMEOUT, allow_errors=False, record_timing=False, resources=folder
        )
        try:
            client.execute(env=kernel_env())
        except Exception as error:
            self.error = error
        nbformat.write(merged_stream_outputs(nb), self.path)

    def wait(self) -> None:
        """Block until the notebook has run."""
        self.thread.join()


def raising_cell_problem(nb: nbformat.NotebookNode, name: str, error: Exception) -> Problem:
    """Name the snippet (or module) whose notebook cell raised, with the error's tail."""
    text = ANSI.sub("", str(error))
    for cell in nb.cells:
        meta = cell.metadata.get(ROLE_KEY, {})
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in text:
            include = meta.get("snippet") or meta.get("exercise")
            who = f"snippets/{include}" if include else meta.get("module", cell.id)
            return Problem(name, None, "its notebook cell raised:", who, text[-1500:])
    return Problem(name, None, "executing the notebook failed:", None, text[-1500:])
