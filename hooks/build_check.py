"""MkDocs hook: run every snippet once, check it against its record, fail the build on drift.

Problems are collected while pages are built and reported once, at the end. Under
``mkdocs serve`` they are logged as errors and shown on the page in an error box,
and the server keeps running.
"""

from __future__ import annotations

import html
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from markdown_exec import base_format  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from hooks import bindings, equations, fences, quiz, report, runner  # noqa: E402

log = logging.getLogger("mkdocs.hooks.build_check")
RAW_FENCE_MARKERS = ('exec="', "--8&lt;--", "--8<--")
FIGURE_URL_MARK = "@@course-figures@@"
FIGURE_FOLDER = "assets/figures"
BROWSER_ASSETS = {
    "node_modules/iframe-worker/shim/index.js": "assets/javascripts/iframe-worker-shim.js",
}


class BuildState:
    """Problems found during one build, and where each snippet is used."""

    def __init__(self) -> None:
        self.serving = False
        self.reset()

    def reset(self) -> None:
        """Forget everything of the previous build (``mkdocs serve`` rebuilds in-process)."""
        report.PROBLEMS.clear()
        self.bad_snippets: dict[str, runner.Outcome] = {}
        self.shown: set[str] = set()
        self.figures: dict[str, tuple[str, bytes]] = {}
        self.offsets: dict[str, int] = {}

    def add(self, where: str, message: str) -> None:
        """Remember one problem; all are reported together at the end of the build."""
        report.PROBLEMS.append(f"{where}  {message}")


STATE = BuildState()


# Remember whether this process serves, so drift does not stop the server.
def on_startup(command: str, dirty: bool) -> None:
    """Note the MkDocs command; start the worker, so its imports overlap MkDocs' own."""
    STATE.serving = command == "serve"
    runner.shared_runner().worker  # noqa: B018 - a property that starts the process


# Swap markdown-exec's in-process Python runner for ours, and start the worker early.
def on_config(config):
    """Install the checked formatter for ``python`` fences and warm the worker."""
    STATE.reset()
    shared = runner.shared_runner()
    shared.forget()
    shared.worker  # noqa: B018 - starting it now overlaps its imports with MkDocs' work
    custom = config.mdx_configs.setdefault("pymdownx.superfences", {}).get("custom_fences", [])
    for fence in custom:
        if fence["name"] in {"python", "py"}:
            fence["format"] = format_checked
    return config


# Start every snippet of the site now; pages pick the results up as they render.
def on_files(files, config):
    """Submit every executed snippet of every page to the warm worker."""
    for fence in fences.executed_fences(Path(config.docs_dir)):
        if fence.include:
            STATE.shown.add(fence.include)
            runner.shared_runner().submit(runner.SNIPPETS / fence.include)
    return files


# Check the page's fences and includes, wait for its snippets, then bind its numbers.
@event_priority(100)  # first, so line numbers match the source file
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Report malformed fences, missing files, drift and typed numbers with page:line."""
    page_name, offset = page.file.src_uri, front_matter_lines(page, markdown)
    STATE.offsets[page_name] = offset
    lines = markdown.splitlines()
    for where, path in fences.missing_includes(markdown, page_name, include_bases(config)):
        STATE.add(shifted(where, offset), f"included file {path!r} does not exist")
        lines = _neutralise_include(lines, int(where.rsplit(":", 1)[1]), path)
    for fence in fences.scan(markdown, page_name):
        fence.line += offset
        for problem in fence.problems:
            STATE.add(fence.where, problem)
        if fence.executed and fence.include:
            lines[fence.line - offset - 1] = _with_title(lines[fence.line - offset - 1], fence)
            check_snippet(fence)
    return expand_quizzes(bind_numbers("\n".join(lines), page, offset), page)


# Quizzes expand after the page's own numbers are checked, so page lines stay exact.
def expand_quizzes(markdown: str, page) -> str:
    """Replace each ``<!-- quiz: PATH -->`` line with the checked quiz, bindings resolved."""
    first = quiz.MARKER.search(markdown)
    if first is None:
        return markdown
    page.meta.setdefault("quiz", {"enabled": True})  # mkdocs-quiz runs on quiz pages only
    page_name = page.file.src_uri

    def where(marker) -> str:
        line = markdown.count("\n", 0, marker.start()) + 1 + STATE.offsets[page_name]
        return f"{page_name}:{line}"

    def resolve(text: str, marker) -> str:
        text, issues = bindings.resolve(text, lambda ref: bound_output(ref, page))
        for issue in issues:
            STATE.add(where(marker), f"quiz {marker['path']}: {issue.message}")
        return text

    try:
        return quiz.expand_markers(markdown, runner.SNIPPETS, resolve)
    except ValueError as error:  # the message names the quiz file and its line
        STATE.add(where(first), str(error))
        return markdown


def front_matter_lines(page, markdown: str) -> int:
    """How many source lines (front matter) precede the Markdown MkDocs hands us."""
    source = page.file.content_string
    if not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def shifted(where: str, offset: int) -> str:
    """Add the front-matter offset to a ``page:line`` location."""
    page, line = where.rsplit(":", 1)
    return f"{page}:{int(line) + offset}"


def bind_numbers(markdown: str, page, offset: int) -> str:
    """Replace bindings with snippet values, then audit the numbers left in the prose."""
    page_name = page.file.src_uri
    literals = {str(item) for item in page.meta.get("literals", [])}
    issues = bindings.audit(markdown, literals, offset)
    markdown, unresolved = bindings.resolve(markdown, lambda ref: bound_output(ref, page), offset)
    issues += unresolved
    for issue in issues:
        STATE.add(f"{page_name}:{issue.line}", issue.message)
    return markdown


def chapter_folder(page) -> str:
    """The snippet folder of a page: ``logistic-regression.md`` -> ``logistic_regression``."""
    stem = Path(page.file.src_uri).stem
    return "home" if stem == "index" else stem.replace("-", "_")


def bound_output(ref: str, page) -> str | None:
    """The output (this run) of the snippet a binding names, if it ran cleanly."""
    include = f"{ref}.py" if "/" in ref else f"{chapter_folder(page)}/{ref}.py"
    if include not in STATE.shown:
        return None
    outcome = runner.shared_runner().check(runner.SNIPPETS / include)
    return outcome.stdout if outcome.status == "ok" else None


def include_bases(config) -> list[Path]:
    """Folders that pymdownx.snippets searches for ``--8<--`` includes."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return [Path(base) for base in ([bases] if isinstance(bases, str) else bases)]


def _neutralise_include(lines: list[str], number: int, path: str) -> list[str]:
    indent = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
    lines[number - 1] = f"{indent}# missing file: {path}"
    return lines


def _with_title(header: str, fence: fences.Fence) -> str:
    if "title" in fence.options:
        return header
    return f'{header.rstrip()} title="{fence.include}"'


def check_snippet(fence: fences.Fence) -> None:
    """Wait for the fence's snippet and record a problem if it does not match."""
    snippet = runner.SNIPPETS / fence.include
    outcome = runner.shared_runner().check(snippet)
    if outcome.problem and outcome.status != "missing":
        STATE.bad_snippets[fence.include] = outcome
        STATE.add(fence.where, outcome.report())


# Superfences formatter: render a snippet's checked output, or an error box.
def format_checked(source, language, css_class, options, md, **kwargs):
    """Format an executed fence with the runner's output instead of running it in-process."""
    snippet = options.get("extra", {}).get("title", "")
    outcome = STATE.bad_snippets.get(snippet)
    if outcome is not None:
        return error_box(outcome)
    if not snippet or not (runner.SNIPPETS / snippet).is_file():
        return error_box_text(f"no snippet file for this fence: {snippet!r}")
    outcome = runner.shared_runner().check(runner.SNIPPETS / snippet)
    rendered = base_format(
        language=language, run=lambda *_, **__: outcome.stdout, code=source, md=md, **options
    )
    figures = "".join(figure_html(name, meta) for name, meta in figures_of(snippet, outcome))
    return (
        f'<div class="snippet-run" data-snippet="{html.escape(snippet)}">{rendered}{figures}</div>'
    )


def figures_of(snippet: str, outcome: runner.Outcome) -> list[tuple[str, dict]]:
    """The figures a snippet published, remembered for writing into the site."""
    found = []
    for name in sorted(outcome.artifacts):
        if name.endswith(".svg"):
            stem = name.removesuffix(".svg")
            owner, _ = STATE.figures.setdefault(stem, (snippet, outcome.artifacts[name]))
            if owner != snippet:
                STATE.add(snippet, f"figure name {stem!r} is already used by {owner}")
            meta = json.loads(outcome.artifacts.get(f"{stem}.json", b"{}"))
            found.append((stem, meta))
    return found


def figure_html(name: str, meta: dict) -> str:
    """A figure element whose image the post-page step points at the site's figure folder."""
    alt, caption = (
        html.escape(meta.get("alt", ""), quote=True),
        html.escape(meta.get("caption", "")),
    )
    return (
        f'<figure class="course-figure" id="figure-{name}">'
        f'<img src="{FIGURE_URL_MARK}/{name}.svg" alt="{alt}" loading="lazy">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def error_box(outcome: runner.Outcome) -> str:
    """A Material 'failure' admonition holding the runner's report."""
    return error_box_text(outcome.report())


def error_box_text(text: str) -> str:
    """Wrap ``text`` in a visible error box."""
    return (
        '<div class="admonition failure snippet-problem">'
        '<p class="admonition-title">Snippet check failed</p>'
        f"<pre><code>{html.escape(text)}</code></pre></div>"
    )


# Equations become MathML at build time, so they need no script, font or network.
def on_page_content(content: str, page, config, files) -> str:
    """Render the page's TeX to MathML; report invalid TeX with page and line."""
    offset = STATE.offsets.get(page.file.src_uri, 0)
    content, errors = equations.render_page(content, page.markdown, offset)
    for error in errors:
        STATE.add(f"{page.file.src_uri}:{error.line}", error.message)
    return content


# A fence that superfences failed to format is left as raw text: catch it here.
def on_post_page(output: str, page, config) -> str:
    """Point figures at the site's figure folder; fail on raw fence text."""
    folder = get_relative_url(FIGURE_FOLDER, page.url)
    output = output.replace(FIGURE_URL_MARK, folder)
    for marker in RAW_FENCE_MARKERS:
        if marker in output:
            STATE.add(page.file.src_uri, f"raw fence text {marker!r} left in the built page")
            break
    return output


def write(target: Path, data: bytes) -> None:
    """Write a generated file into the site."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


# Report every problem once; fail the build unless we are serving.
def on_post_build(config) -> None:
    """Write the figures; summarise the build's problems and abort a plain build on any."""
    site = Path(config.site_dir)
    for name, (_, svg) in sorted(STATE.figures.items()):
        write(site / FIGURE_FOLDER / f"{name}.svg", svg)
    for source, target in BROWSER_ASSETS.items():
        if (ROOT / source).is_file():
            write(site / target, (ROOT / source).read_bytes())
        else:
            STATE.add("mkdocs.yml", f"{source} is missing: run `npm ci` to install it")
    if not report.PROBLEMS:
        return
    summary = "\n\n".join(report.PROBLEMS)
    message = (
        f"{len(report.PROBLEMS)} problem(s) found by the build check:\n\n{summary}\n\n"
        f"After an intended change, re-record with: {runner.RECORD_COMMAND} [PATH ...]"
    )
    if STATE.serving:
        log.error(message)
        return
    raise Abort(message)
