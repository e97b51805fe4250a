"""MkDocs hook: the chapter's lab notebook, generated, executed by mkdocs-jupyter, checked.

* ``on_files`` generates the notebook (:mod:`hooks.notebook`) into a fresh folder under
  the git-ignored ``.cache/lab/`` (never into ``docs/``) and adds it to the site's files
  before mkdocs-jupyter looks at them. It is listed first, so mkdocs-jupyter executes it
  (``allow_errors: false``, cache off) while the build check's worker runs the snippets,
  in that folder, which holds nothing but the notebook: as a learner would.
* ``on_page_content`` reads the executed outputs from the rendered page and checks every
  lesson cell against its snippet's record, and every self-check against "not answered
  yet"; it adds the download link and drops the CDN script tags.
* ``on_post_page`` prunes the ~600 KB of inlined notebook CSS to what the page uses and
  fails on any reference to another host.

Problems are logged as errors when found and handed to ``hooks.report``: the build check
reports them with its own, once, at the end (and aborts a plain build).
"""

from __future__ import annotations

import atexit
import html
import importlib.metadata
import logging
import os
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from hooks import fences, notebook, report, runner  # noqa: E402

log = logging.getLogger("mkdocs.hooks.notebook_hook")


class LabState:
    """The generated notebook of the current build, its folder, and its problems."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.notebook = None
        self.records: dict[str, str | None] = {}
        self.execution: threading.Thread | None = None
        self.execution_error: Exception | None = None

    def add(self, problems: list[str]) -> None:
        """Log problems now; the build check reports them with its own, at the end."""
        for problem in problems:
            log.error(problem)
        report.PROBLEMS.extend(problems)


STATE = LabState()


# ----------------------------------------------------------------- reading the chapter


def chapter_sources(docs: Path) -> notebook.Sources:
    """Read the page, its snippets and records, the local modules and package versions."""
    page = (docs / notebook.PAGE).read_text(encoding="utf-8")
    includes = [f.include for f in fences.scan(page, notebook.PAGE) if f.executed and f.include]
    snippets = {name: _read(runner.SNIPPETS / name) or "" for name in includes}
    records = {name: _read(runner.record_path(runner.SNIPPETS / name)) for name in includes}
    modules = module_sources()
    local = notebook.local_modules(snippets.values(), modules)
    packages = notebook.third_party_modules([*snippets.values(), *map(modules.get, local)], local)
    return notebook.Sources(page, snippets, records, modules, installed_versions(packages))


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def module_sources() -> dict[str, str]:
    """Every module a chapter snippet can import, as the runner's import path finds it."""
    found: dict[str, str] = {}
    for folder in (runner.SNIPPETS / notebook.CHAPTER, runner.SNIPPETS):
        for path in sorted(folder.glob("*.py")):
            found.setdefault(path.stem, path.read_text(encoding="utf-8"))
    return found


def installed_versions(modules: list[str]) -> dict[str, str]:
    """The installed distribution and version of each imported package."""
    distributions = importlib.metadata.packages_distributions()
    versions = {}
    for module in modules:
        for name in distributions.get(module, [])[:1]:
            versions[name] = importlib.metadata.version(name)
    return versions


# ----------------------------------------------------------------- generating the page


LAB_FOLDER = ROOT / ".cache" / "lab"  # git-ignored; one subfolder per build process


def fresh_folder() -> Path:
    """A new empty folder for this build's notebook (outside ``docs/``, git-ignored)."""
    remove_stale_folders()
    folder = LAB_FOLDER / str(os.getpid())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    STATE.folder = folder
    return folder


def remove_stale_folders() -> None:
    """Remove the folders of build processes that are gone (a killed ``mkdocs serve``)."""
    for folder in LAB_FOLDER.glob("*"):
        if folder.name.isdigit() and not _alive(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@atexit.register
def _remove_folder() -> None:
    if STATE.folder is not None:
        shutil.rmtree(STATE.folder, ignore_errors=True)


# Before mkdocs-jupyter's on_files, so that it picks the generated notebook up.
@event_priority(100)
def on_files(files, config):
    """Generate the notebook into a fresh folder and add it to the site's files."""
    sources = chapter_sources(Path(config.docs_dir))
    STATE.notebook, problems = notebook.build_notebook(sources)
    STATE.records = dict(sources.records)
    STATE.add(problems)
    path = fresh_folder() / notebook.NOTEBOOK
    path.write_text(notebook.notebook_text(STATE.notebook), encoding="utf-8")
    # A file with a real source folder: mkdocs-jupyter's wrapper loses a generated file's path.
    lab = File(path.name, str(path.parent), config.site_dir, config.use_directory_urls)
    start_execution(path)
    # Last in the collection: its kernel runs in the background while the other pages render.
    return Files([*files, lab])


def kernel_env() -> dict[str, str]:
    """The runner's fixed environment, minus the project path and Agg (Jupyter plots inline)."""
    return {k: v for k, v in runner.fixed_env().items() if k not in {"PYTHONPATH", "MPLBACKEND"}}


# Execute the notebook in its own folder, errors not allowed, while MkDocs renders pages.
def start_execution(path: Path) -> None:
    """Run every cell of ``path`` with a real kernel in a background thread; save outputs."""
    nb = nbformat.read(path, as_version=4)
    folder = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(
        nb, timeout=600, allow_errors=False, record_timing=False, resources=folder
    )
    STATE.execution_error = None

    def execute() -> None:
        try:
            client.execute(env=kernel_env())
        except Exception as error:
            STATE.execution_error = error
        nbformat.write(merged_stream_outputs(nb), path)

    STATE.execution = threading.Thread(target=execute, name="lab-notebook", daemon=True)
    STATE.execution.start()


def merged_stream_outputs(nb):
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


# mkdocs-jupyter reads the notebook when the page is read: wait for the execution first.
def on_pre_page(page, config, files):
    """Block until the notebook has run; report a raising cell with its snippet."""
    if is_lab(page) and STATE.execution is not None:
        STATE.execution.join()
        if STATE.execution_error is not None:
            STATE.add([raising_cell_message(STATE.execution_error)])
    return page


def is_lab(page) -> bool:
    """Whether ``page`` is the generated notebook's page."""
    return page.file.src_uri == notebook.NOTEBOOK


# Before the build check's page step: it must not audit the notebook's JSON as prose.
@event_priority(110)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand the other page hooks an empty page for the notebook (mkdocs-jupyter renders it)."""
    return "" if is_lab(page) else markdown


def on_page_content(content: str, page, config, files) -> str:
    """Check the executed notebook's outputs; add the download link; drop CDN scripts."""
    if not is_lab(page):
        return content
    content = notebook.merged_streams(content)
    outputs = notebook.html_outputs(content)
    problems = notebook.output_problems(STATE.notebook, outputs, STATE.records)
    problems += notebook.answered_too_early(STATE.notebook, outputs)
    STATE.add(problems)
    content = notebook.code_out_of_search(notebook.without_external_scripts(content))
    return with_download_link(content, Path(page.file.abs_src_path).name, problems)


def with_download_link(content: str, name: str, problems: list[str]) -> str:
    """Put the download box (and any problem) right after the notebook's title."""
    box = (
        '<div class="admonition tip lab-download">'
        '<p class="admonition-title">Run this lab yourself</p>'
        f'<p><a class="md-button md-button--primary" href="{html.escape(name)}" download>'
        f"Download the notebook ({html.escape(name)})</a></p>"
        "<p>Open it with Jupyter in an empty folder and run the cells in order: the first "
        "ones write the chapter's modules next to it, so it needs no other file.</p></div>"
    )
    if problems:
        box += (
            '<div class="admonition failure snippet-problem">'
            '<p class="admonition-title">Notebook check failed</p>'
            f"<pre><code>{html.escape(chr(10).join(problems))}</code></pre></div>"
        )
    head, found, tail = content.partition("</h1>")
    return f"{head}{found}{box}{tail}" if found else box + content


def on_post_page(output: str, page, config) -> str:
    """Prune the notebook CSS to what the page uses; fail on requests to other hosts."""
    if not is_lab(page):
        return output
    output = notebook.lighter_page(output)
    STATE.add(
        [
            f"{notebook.NOTEBOOK}: the built page would reach another host: {found!r}"
            for found in notebook.external_references(output, config.site_url or "")
        ]
    )
    return output


def raising_cell_message(error: Exception) -> str:
    """Name the snippet (or module) whose notebook cell raised, with the error's tail."""
    text = str(error)
    for cell in STATE.notebook.cells:
        meta = cell.metadata.get(notebook.ROLE_KEY, {})
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in text:
            include = meta.get("snippet") or meta.get("exercise")
            name = f"snippets/{include}" if include else meta.get("module", cell.id)
            return f"{notebook.NOTEBOOK}  {name}: its notebook cell raised:\n{text[-1500:]}"
    return f"{notebook.NOTEBOOK}: executing the notebook failed:\n{text[-1500:]}"
