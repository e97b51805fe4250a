"""The lab notebooks of one build: generated from each chapter page, executed, checked.

A chapter's lab is written into a fresh folder (never into ``docs/``), executed there by a
Jupyter kernel in the background while the other pages render, and checked: every lesson
cell must print its snippet's record, every self-check must say "not answered yet" on the
untouched notebook, and nothing may reach another host.
"""

from __future__ import annotations

import html
import importlib.metadata
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from coursebuild import weight
from coursebuild.engine import Problem, Report, Runner, read_record
from coursebuild.lab import verify
from coursebuild.lab.code import local_modules, third_party_modules
from coursebuild.lab.execute import Execution, raising_cell_problem
from coursebuild.lab.exercises import FILE_NAME, load_checks
from coursebuild.lab.notebook import LabSpec, Sources, build_notebook, notebook_text
from coursebuild.page import fences
from coursebuild.page.source import front_matter, page_folder, title_of

WORK_FOLDER = ".cache/lab"  # git-ignored; one subfolder per build process


@dataclass
class Lab:
    """One chapter's lab in this build."""

    spec: LabSpec
    path: Path
    notebook: object
    records: dict[str, str | None]
    execution: Execution | None = None
    problems: list[Problem] = field(default_factory=list)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def installed_versions(modules: list[str]) -> dict[str, str]:
    """The installed distribution and version of each imported package."""
    distributions = importlib.metadata.packages_distributions()
    versions = {}
    for module in modules:
        for name in distributions.get(module, [])[:1]:
            versions[name] = importlib.metadata.version(name)
    return versions


class Labs:
    """Every chapter's lab of one build, generated, executed and checked."""

    def __init__(self, runner: Runner, report: Report, docs_dir: Path, site_name: str) -> None:
        self.runner, self.report = runner, report
        self.docs_dir, self.site_name = Path(docs_dir), site_name
        self.by_name: dict[str, Lab] = {}
        self.folder = self.fresh_folder()

    # ------------------------------------------------------------- reading a chapter

    def sources(self, spec: LabSpec) -> Sources:
        """Read the page, its snippets and records, the local modules and package versions."""
        page = (self.docs_dir / spec.page).read_text(encoding="utf-8")
        executed = [f for f in fences.scan(page, spec.page) if f.executed and f.include]
        includes = [f.include for f in executed]
        snippets = {name: _read(self.runner.snippets / name) or "" for name in includes}
        records = {name: read_record(self.runner.snippets / name) for name in includes}
        modules = self.module_sources(spec.folder)
        local = local_modules(snippets.values(), modules)
        packages = third_party_modules([*snippets.values(), *map(modules.get, local)], local)
        checks_file = self.runner.snippets / spec.folder / FILE_NAME
        checks = load_checks(checks_file, self.runner.name_of(checks_file))
        versions = installed_versions(packages)
        return Sources(spec, page, snippets, records, modules, checks, versions)

    def module_sources(self, folder: str) -> dict[str, str]:
        """Every module a chapter snippet can import, as the runner's import path finds it."""
        found: dict[str, str] = {}
        for place in (self.runner.snippets / folder, self.runner.snippets):
            for path in sorted(place.glob("*.py")):
                found.setdefault(path.stem, path.read_text(encoding="utf-8"))
        return found

    # ------------------------------------------------------------- the folder

    def fresh_folder(self) -> Path:
        """A new empty folder for this build's notebooks (outside ``docs/``, git-ignored)."""
        base = self.runner.root / WORK_FOLDER
        for stale in base.glob("*"):
            if stale.name.isdigit() and not _alive(int(stale.name)):
                shutil.rmtree(stale, ignore_errors=True)
        folder = base / str(os.getpid())
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def close(self) -> None:
        """Remove this build's folder."""
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------- one lab

    def plan(self, spec: LabSpec) -> Lab | None:
        """Generate a chapter's notebook, write it and start executing it."""
        try:
            sources = self.sources(spec)
        except ValueError as error:  # exercises.yml: the message names the file and line
            self.report.add(Problem(spec.page, None, str(error)))
            return None
        notebook, problems = build_notebook(sources)
        self.report.extend(Problem(spec.notebook, None, text) for text in problems)
        path = self.folder / spec.notebook
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebook_text(notebook), encoding="utf-8")
        lab = Lab(spec, path, notebook, dict(sources.records), Execution(path))
        self.by_name[spec.notebook] = lab
        return lab

    def wait(self, lab: Lab) -> None:
        """Block until the lab has run; report a raising cell with its snippet."""
        if lab.execution is not None:
            lab.execution.wait()
            if lab.execution.error is not None:
                problem = raising_cell_problem(lab.notebook, lab.spec.notebook, lab.execution.error)
                self.report.add(problem)

    def check_content(self, lab: Lab, content: str) -> str:
        """Check the executed outputs; add the download link; drop CDN scripts."""
        import nbformat

        executed = nbformat.read(lab.path, as_version=4)
        outputs = verify.outputs_of(executed)
        name = lab.spec.notebook
        problems = verify.output_problems(lab.notebook, outputs, lab.records, name)
        problems += verify.answered_too_early(lab.notebook, outputs, name)
        self.report.extend(problems)
        content = weight.code_out_of_search(weight.without_external_scripts(content))
        return with_download_link(content, lab.path.name, problems)

    def finish_output(self, lab: Lab, output: str, site_url: str) -> str:
        """Prune the notebook CSS to what the page uses; report requests to other hosts."""
        output = weight.lighter_page(output)
        for found in weight.external_references(output, site_url):
            message = f"the built page would reach another host: {found!r}"
            self.report.add(Problem(lab.spec.notebook, None, message))
        return output


def chapter_spec(docs: Path, page: str, site_name: str) -> LabSpec | None:
    """The lab of a chapter page, unless it executes no snippet or says ``lab: false``."""
    path = docs / page
    if not path.is_file() or not page.endswith(".md"):
        return None
    text = path.read_text(encoding="utf-8")
    meta = front_matter(text)
    folder = page_folder(page)
    own = [f for f in fences.scan(text, page) if f.executed and f.include]
    if meta.get("lab") is False or not any(f.include.startswith(f"{folder}/") for f in own):
        return None
    return LabSpec(page, title_of(text, meta, Path(page).stem), folder, site_name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def with_download_link(content: str, name: str, problems: list[Problem]) -> str:
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
        text = "\n".join(str(problem) for problem in problems)
        box += (
            '<div class="admonition failure snippet-problem">'
            '<p class="admonition-title">Notebook check failed</p>'
            f"<pre><code>{html.escape(text)}</code></pre></div>"
        )
    head, found, tail = content.partition("</h1>")
    return f"{head}{found}{box}{tail}" if found else box + content
