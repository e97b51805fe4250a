"""Check and render the pages of one site: fences, snippet runs, bound numbers, quizzes, TeX.

:class:`SiteCheck` knows no MkDocs: the adapter hands it each page's Markdown and HTML.
Every problem goes to the build's :class:`~coursebuild.engine.Report`, located at the page
line that holds it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from markdown_exec import base_format

from coursebuild.engine import Outcome, Problem, Report, Runner
from coursebuild.page import bindings, equations, fences
from coursebuild.page.source import page_folder
from coursebuild.quiz import MARKER, expand_markers

RAW_FENCE_MARKERS = ('exec="', "--8&lt;--", "--8<--")
FIGURE_URL_MARK = "@@course-figures@@"
FIGURE_FOLDER = "assets/figures"
DATA_SUFFIX = ".data.json"  # an artifact a page script reads, embedded inline
SNIPPET_OPTION = "snippet"  # added to each executed fence: the formatter's lookup key
SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')
PX_PER = {b"pt": 4 / 3, b"px": 1.0, None: 1.0}  # CSS pixels per unit


class SiteCheck:
    """One build's page checks: what runs, what is shown, what is wrong."""

    def __init__(
        self,
        runner: Runner,
        report: Report,
        include_bases: list[Path],
        hidden: list[str] = (),
    ) -> None:
        """``hidden``: patterns of output lines kept in records but not shown to readers."""
        self.runner, self.report, self.include_bases = runner, report, include_bases
        self.hidden = [re.compile(pattern) for pattern in hidden]
        self.shown: set[str] = set()
        self.bad: dict[str, Outcome] = {}
        self.unreadable: dict[str, str] = {}  # include -> why its published JSON is not JSON
        self.figures: dict[str, tuple[str, bytes]] = {}
        self.offsets: dict[str, int] = {}
        self.bound: dict[str, str] = {}  # each page with numbers bound, before quiz expansion
        self.blocks: dict[str, list[tuple[int, str]]] = {}  # each marker's line and questions

    def snippet(self, include: str) -> Path:
        """The file of an include path."""
        return self.runner.snippets / include

    def start(self, docs_dir: Path) -> None:
        """Submit every snippet the site's pages execute, so runs overlap page rendering."""
        for fence in fences.executed_fences(docs_dir):
            if fence.include:
                self.shown.add(fence.include)
                self.runner.submit(self.snippet(fence.include))

    def add(self, page: str, line: int | None, message: str) -> None:
        """Report a problem at a page line."""
        self.report.add(Problem(page, line, message))

    # ------------------------------------------------------------- Markdown

    def check_page(self, page: str, markdown: str, offset: int, literals: set[str]) -> str:
        """Check fences, includes and snippet runs; bind numbers; audit typed numbers."""
        self.offsets[page] = offset
        lines = markdown.splitlines()
        for line, path in fences.missing_includes(markdown, self.include_bases):
            self.add(page, line + offset, f"included file {path!r} does not exist")
            lines[line - 1] = _neutralised(lines[line - 1], path)
        for fence in fences.scan(markdown, page):
            for problem in fence.problems:
                self.add(page, fence.line + offset, problem)
            if fence.executed and fence.include:
                lines[fence.line - 1] = _with_key(lines[fence.line - 1], fence)
                self.check_snippet(page, fence.line + offset, fence.include)
        text = self.bind_numbers(page, "\n".join(lines), offset, literals)
        self.bound[page] = text  # its lines are the page's: where a formula's error is located
        self.blocks[page] = []
        return self.expand_quizzes(page, text)

    def check_snippet(self, page: str, line: int, include: str) -> None:
        """Wait for the fence's snippet and report it if it does not match its record."""
        outcome = self.runner.check(self.snippet(include))
        if outcome.problem:
            if outcome.status != "missing":  # a missing file is reported with its include
                self.bad[include] = outcome
                self.report.add(outcome.problem_at(page, line))
            return
        self.check_artifacts(page, line, include, outcome)

    def check_artifacts(self, page: str, line: int, include: str, outcome: Outcome) -> None:
        """Report bad published artifacts at the fence's line; remember the run's figures.

        Published JSON must parse, and a figure name belongs to one snippet. This is checked
        here, not while the fence is formatted: superfences would swallow an error.
        """
        snippet = self.runner.name_of(self.snippet(include))
        if (error := unreadable_json(outcome)) is not None:
            self.unreadable[include] = error
            self.report.add(Problem(page, line, error, snippet))
        for name, svg in figure_svgs(outcome):
            owner, _ = self.figures.setdefault(name, (include, svg))
            if owner != include:
                message = f"figure name {name!r} is already used by {owner}"
                self.report.add(Problem(page, line, message, snippet))

    def bound_output(self, ref: str, page: str) -> str | None:
        """The output (this build) of the snippet a binding names, if it ran cleanly."""
        include = f"{ref}.py" if "/" in ref else f"{page_folder(page)}/{ref}.py"
        if include not in self.shown:
            return None
        outcome = self.runner.check(self.snippet(include))
        return outcome.stdout if outcome.status == "ok" else None

    def bind_numbers(self, page: str, markdown: str, offset: int, literals: set[str]) -> str:
        """Replace bindings with snippet values, then audit the numbers left in the prose."""
        issues = bindings.audit(markdown, literals, offset)
        lookup = lambda ref: self.bound_output(ref, page)  # noqa: E731
        markdown, unresolved = bindings.resolve(markdown, lookup, offset)
        for issue in [*issues, *unresolved]:
            self.add(page, issue.line, issue.message)
        return markdown

    def expand_quizzes(self, page: str, markdown: str) -> str:
        """Replace each quiz or check marker line with its checked questions, bindings resolved."""
        if MARKER.search(markdown) is None:
            return markdown

        def line_of(marker: re.Match) -> int:
            return markdown.count("\n", 0, marker.start()) + 1 + self.offsets[page]

        def resolve(text: str, marker: re.Match) -> str:
            text, issues = bindings.resolve(text, lambda r: self.bound_output(r, page))
            for issue in issues:
                self.add(page, line_of(marker), f"quiz {marker['path']}: {issue.message}")
            self.blocks[page].append((line_of(marker), text))
            return text

        def failed(error: ValueError, marker: re.Match) -> None:
            self.add(page, line_of(marker), str(error))  # the message names the file and line

        return expand_markers(markdown, self.runner.snippets, resolve, self.runner.name_of, failed)

    # ------------------------------------------------------------- fences and HTML

    def format_fence(self, source, language, css_class, options, md, **kwargs) -> str:
        """Superfences formatter: the snippet's checked output (and figures), or an error box."""
        extra = dict(options.get("extra", {}))
        include = extra.pop(SNIPPET_OPTION, "")
        if include in self.bad:
            return error_box(self.bad[include].report())
        if include in self.unreadable:
            return error_box(self.unreadable[include])
        if not include or not self.snippet(include).is_file():
            return error_box(f"no snippet file for this fence: {include!r}")
        outcome = self.runner.check(self.snippet(include))
        shown = self.shown_output(outcome.stdout)
        options = {**options, "extra": extra}

        def render(output: str, **changes) -> str:
            run = lambda *_, **__: output  # noqa: E731
            chosen = {**options, **changes}  # str(): Markup would escape what it is joined to
            return str(base_format(language=language, run=run, code=source, md=md, **chosen))

        if outcome.artifacts:  # a figure or widget: its drawing code is collapsed
            what = (
                "draws this figure"
                if any(n.endswith(".svg") for n in outcome.artifacts)
                else ("prepares the data below")
            )
            code = render("", result="")  # the source alone: no empty output block
            rendered = collapsed(code, what, extra.get("title", include)) + render(shown, source="")
        else:
            rendered = render(shown)
        figures = "".join(figure_html(*f) for f in figures_of(outcome))
        data = "".join(data_script(name, blob) for name, blob in data_of(outcome))
        snippet = html.escape(include)
        return f'<div class="snippet-run" data-snippet="{snippet}">{rendered}{figures}{data}</div>'

    def shown_output(self, stdout: str) -> str:
        """What a reader sees of a snippet's output: the record without record-only lines."""
        lines = stdout.splitlines(keepends=True)
        return "".join(line for line in lines if not any(p.match(line) for p in self.hidden))

    def render_equations(self, page: str, content: str) -> str:
        """Render the page's TeX to MathML; report invalid TeX with page and line.

        A formula is found in the page as written (before its quiz markers became
        questions); one inside a quiz or a check is reported at its marker's line.
        """
        offset = self.offsets.get(page, 0)

        def locate(tex: str) -> int | None:
            found = equations.source_line(self.bound.get(page, ""), tex, offset)
            blocks = self.blocks.get(page, [])
            inside = (line for line, block in blocks if equations.source_line(block, tex))
            return found or next(inside, None)

        content, errors = equations.render_page(content, locate)
        for error in errors:
            self.add(page, error.line, error.message)
        return content

    def finish_page(self, page: str, output: str, figure_folder_url: str) -> str:
        """Point figures at the site's figure folder; report raw fence text left on the page."""
        output = output.replace(FIGURE_URL_MARK, figure_folder_url)
        for marker in RAW_FENCE_MARKERS:
            if marker in output:
                self.add(page, None, f"raw fence text {marker!r} left in the built page")
                break
        return output

    def write_figures(self, site_dir: Path, write: Callable[[Path, bytes], None]) -> None:
        """Write every published figure into the site's figure folder."""
        for name, (_, svg) in sorted(self.figures.items()):
            write(site_dir / FIGURE_FOLDER / f"{name}.svg", svg)


def _neutralised(line: str, path: str) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}# missing file: {path}"


def _with_key(header: str, fence: fences.Fence) -> str:
    """The fence header with the formatter's lookup key (and a title, unless it has one)."""
    header = header.rstrip()
    if "title" not in fence.options:
        header += f' title="{fence.include}"'
    return f'{header} {SNIPPET_OPTION}="{fence.include}"'


def svg_size(svg: bytes) -> tuple[int, int] | None:
    """The drawing's width and height in CSS pixels, from its ``<svg>`` element (or None)."""
    found = SVG_SIZE.search(svg)
    if found is None:
        return None
    width, width_unit, height, height_unit = found.groups()
    return round(float(width) * PX_PER[width_unit]), round(float(height) * PX_PER[height_unit])


def figure_html(name: str, meta: dict, size: tuple[int, int] | None = None) -> str:
    """A figure element whose image the page's last step points at the site's figure folder.

    With the drawing's ``size``, the image keeps its box while it loads (lazily), so the
    text below does not jump when it arrives.
    """
    alt, caption = (
        html.escape(meta.get("alt", ""), quote=True),
        html.escape(meta.get("caption", "")),
    )
    box = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (
        f'<figure class="course-figure" id="figure-{name}">'
        f'<img src="{FIGURE_URL_MARK}/{name}.svg" alt="{alt}"{box} loading="lazy">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def collapsed(code: str, what: str, title: str) -> str:
    """A snippet's source in a closed box the reader can open (Material's ``details``).

    The file name may break after a slash (``<wbr>``) rather than inside a word on a phone.
    """
    name = html.escape(title).replace("/", "/<wbr>")
    return (
        f'<details class="snippet-source"><summary>The code that {what}: '
        f"<code>{name}</code></summary>{code}</details>"
    )


def figure_svgs(outcome: Outcome) -> list[tuple[str, bytes]]:
    """The figures a run published: ``(name, SVG bytes)``, by name."""
    svgs = sorted(outcome.artifacts.items())
    return [(name.removesuffix(".svg"), svg) for name, svg in svgs if name.endswith(".svg")]


def figures_of(outcome: Outcome) -> list[tuple]:
    """``(name, metadata, (width, height) in CSS pixels or None)`` of each published figure."""
    return [
        (name, json.loads(outcome.artifacts.get(f"{name}.json", b"{}")), svg_size(svg))
        for name, svg in figure_svgs(outcome)
    ]


def unreadable_json(outcome: Outcome) -> str | None:
    """Why a ``.json`` artifact of ``outcome`` (page data, figure metadata) is not JSON, if so."""
    for name, blob in sorted(outcome.artifacts.items()):
        if name.endswith(".json"):
            try:
                json.loads(blob)
            except ValueError as error:
                return f"published {name} is not valid JSON: {error}"
    return None


def data_of(outcome: Outcome) -> list[tuple[str, bytes]]:
    """The data a snippet published for a script on the page (``NAME.data.json`` artifacts)."""
    return [
        (name.removesuffix(DATA_SUFFIX), blob)
        for name, blob in sorted(outcome.artifacts.items())
        if name.endswith(DATA_SUFFIX)
    ]


def data_script(name: str, blob: bytes) -> str:
    """Published data, inline (works from ``file://``): ``<script id="course-data-NAME">``."""
    text = json.dumps(json.loads(blob), sort_keys=True, separators=(",", ":"))
    safe = text.replace("</", "<\\/")
    return f'<script type="application/json" id="course-data-{html.escape(name)}">{safe}</script>'


def error_box(text: str) -> str:
    """A Material 'failure' admonition holding a report."""
    return (
        '<div class="admonition failure snippet-problem">'
        '<p class="admonition-title">Snippet check failed</p>'
        f"<pre><code>{html.escape(text)}</code></pre></div>"
    )
