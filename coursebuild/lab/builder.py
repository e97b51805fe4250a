"""The lab notebooks of one build: generated from each chapter page, executed, checked.

A chapter's lab is generated when the build starts and written into a fresh folder outside
the project. As soon as the chapter's snippets have run (their observed reads say which
files the lab needs), the folder gets those files and the notebook is executed there by a
guarded Jupyter kernel in the background, or replayed from the cache, while the other
pages render. Then it is checked: every lesson cell must print its snippet's record, every
self-check must say "not answered yet" on the untouched notebook, and nothing may reach
another host.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from coursebuild import weight
from coursebuild.engine import Outcome, Problem, Report, RunCache, Runner, read_record
from coursebuild.engine.guard import file_digest
from coursebuild.engine.limits import LimitError, limits_of
from coursebuild.lab import verify
from coursebuild.lab.chapter import ChapterError
from coursebuild.lab.code import local_modules, third_party_modules
from coursebuild.lab.execute import lab_key, raising_cell_problem, run_or_replay
from coursebuild.lab.exercises import FILE_NAME, load_checks
from coursebuild.lab.lab_check import DATA_FILE
from coursebuild.lab.notebook import (
    HELPER_FILE,
    LabSpec,
    Sources,
    build_notebook,
    notebook_text,
)
from coursebuild.lab.package import archive, lab_files
from coursebuild.lab.render import notebook_html
from coursebuild.page import fences
from coursebuild.page.source import front_matter, page_folder, title_of

MEMO_SIZE = 16  # generated notebooks remembered across rebuilds


@dataclass
class Lab:
    """One chapter's lab in this build."""

    spec: LabSpec
    folder: Path
    notebook: nbformat.NotebookNode
    answers: dict
    records: dict[str, str | None]
    ready: threading.Event = field(default_factory=threading.Event)
    problems: list[Problem] = field(default_factory=list)
    replayed: bool = False
    ran_kernel: bool = False

    @property
    def path(self) -> Path:
        """The notebook file in the lab's folder."""
        return self.folder / self.spec.notebook


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def installed_versions(modules: list[str], cache: RunCache | None = None) -> dict[str, str]:
    """The installed distribution and version of each imported package.

    Cached: importlib takes a few tenths of a second to map modules to distributions.
    """
    stored = cache.recall("versions", repr(modules)) if cache else None
    if stored is not None:
        return json.loads(stored)
    distributions = importlib.metadata.packages_distributions()
    versions = {}
    for module in modules:
        for name in distributions.get(module, [])[:1]:
            versions[name] = importlib.metadata.version(name)
    if cache is not None:
        cache.keep("versions", json.dumps(versions).encode(), repr(modules))
    return versions


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


class Labs:
    """Every chapter's lab of one build, generated, executed (or replayed) and checked."""

    def __init__(
        self, runner: Runner, report: Report, docs_dir: Path, memo: dict | None = None
    ) -> None:
        """``memo``: a dict kept by the caller across builds (generated notebooks)."""
        self.runner, self.report, self.docs_dir = runner, report, Path(docs_dir)
        self.memo = memo if memo is not None else {}
        self.by_name: dict[str, Lab] = {}
        self.by_page: dict[str, Lab] = {}
        self.kernels = threading.Semaphore(os.cpu_count() or 1)

    # ------------------------------------------------------------- reading a chapter

    def sources(self, spec: LabSpec) -> Sources:
        """Read the page, its snippets and records, the local modules and package versions."""
        snippets_dir = self.runner.snippets
        page = (self.docs_dir / spec.page).read_text(encoding="utf-8")
        includes = [f.include for f in fences.scan(page, spec.page) if f.executed and f.include]
        snippets = {name: _read(snippets_dir / name) or "" for name in includes}
        records = {name: read_record(snippets_dir / name) for name in includes}
        modules = self.module_sources(spec.folder)
        local = local_modules(snippets.values(), modules)
        packages = third_party_modules([*snippets.values(), *map(modules.get, local)], local)
        checks_file = snippets_dir / spec.folder / FILE_NAME
        checks = load_checks(checks_file, self.runner.name_of(checks_file))
        limits = {name: _timeout(snippets_dir / name) for name in includes}
        versions = installed_versions(packages, self.runner.cache)
        return Sources(spec, page, snippets, records, modules, checks, versions, limits)

    def module_sources(self, folder: str) -> dict[str, str]:
        """Every module a chapter snippet can import, as the runner's import path finds it."""
        found: dict[str, str] = {}
        for place in (self.runner.snippets / folder, self.runner.snippets):
            for path in sorted(place.glob("*.py")):
                found.setdefault(path.stem, path.read_text(encoding="utf-8"))
        return found

    # ------------------------------------------------------------- one lab

    def plan(self, spec: LabSpec) -> Lab | None:
        """Generate a chapter's notebook now; execute it once the chapter's snippets have run."""
        try:
            sources = self.sources(spec)
            notebook, answers, problems = self.generated(sources)
        except ChapterError as error:  # a problem of the page, at its line
            self.report.add(Problem(spec.page, error.line, str(error)))
            return None
        except ValueError as error:  # exercises.yml: the message names its file and line
            self.report.add(Problem(spec.page, None, str(error)))
            return None
        self.report.extend(Problem(spec.notebook, None, text) for text in problems)
        folder = Path(tempfile.mkdtemp(prefix="coursebuild-lab-"))
        own = [name for name in sources.snippets if name.startswith(f"{spec.folder}/")]
        paths = [self.runner.snippets / name for name in own]
        lab = Lab(spec, folder, notebook, answers, dict(sources.records))
        lab.path.write_text(notebook_text(notebook), encoding="utf-8")
        self.by_name[spec.notebook] = lab
        self.by_page[spec.page_name] = lab
        futures = [self.runner.submit(path) for path in paths]
        _when_all(futures, lambda: self._launch(lab, [f.result() for f in futures]))
        return lab

    def generated(self, sources: Sources) -> tuple:
        """:func:`build_notebook`, remembered across ``mkdocs serve`` rebuilds (same sources)."""
        key = hashlib.sha256(repr(sources).encode()).hexdigest()
        if key not in self.memo:
            while len(self.memo) >= MEMO_SIZE:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = build_notebook(sources)
        notebook, answers, problems = self.memo[key]
        return nbformat.from_dict(json.loads(json.dumps(notebook))), answers, problems

    def _launch(self, lab: Lab, outcomes: list[Outcome]) -> None:
        """Start preparing and executing the lab in a background thread."""
        thread = threading.Thread(target=self._prepare_and_run, args=(lab, outcomes), daemon=True)
        thread.start()

    def _prepare_and_run(self, lab: Lab, outcomes: list[Outcome]) -> None:
        try:
            failed = [o.name for o in outcomes if not o.ran_cleanly]
            if failed:
                message = "the lab was not executed: its snippets must run cleanly first"
                lab.problems.append(Problem(lab.spec.notebook, None, message, ", ".join(failed)))
                return
            files = self._fill_folder(lab, outcomes)
            cache = self.runner.cache
            key = lab_key(lab.notebook, files)
            with self.kernels:
                run = run_or_replay(lab.notebook, lab.folder, self.runner.root, key, cache)
            error, lab.replayed = run
            lab.ran_kernel = not lab.replayed
            if error is not None:
                lab.problems.append(raising_cell_problem(lab.notebook, lab.spec.notebook, error))
            lab.path.write_text(notebook_text(lab.notebook), encoding="utf-8")
        except Exception as error:  # never leave the build waiting for this lab
            lab.problems.append(Problem(lab.spec.notebook, None, f"could not be built: {error!r}"))
        finally:
            lab.ready.set()

    def _fill_folder(self, lab: Lab, outcomes: list[Outcome]) -> dict[str, str]:
        """Copy the lab's files, helper and data into its folder; return their digests."""
        carried, problems = lab_files(outcomes, lab.spec.folder, lab.spec.notebook)
        lab.problems.extend(problems)
        for target, source in carried.items():
            (lab.folder / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.runner.root / source, lab.folder / target)
        shutil.copyfile(HELPER_FILE, lab.folder / HELPER_FILE.name)
        data = {"files": sorted([*carried, HELPER_FILE.name]), "exercises": lab.answers}
        (lab.folder / DATA_FILE).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        names = [*carried, HELPER_FILE.name, DATA_FILE]
        return {name: file_digest(str(lab.folder / name)) for name in sorted(names)}

    def wait(self, lab: Lab) -> None:
        """Block until the lab has run (or replayed); report what went wrong."""
        lab.ready.wait()
        self.report.extend(lab.problems)

    def counts(self) -> tuple[int, int]:
        """How many labs ran in a kernel, and how many were replayed, in this build."""
        done = [lab for lab in self.by_name.values() if lab.ready.is_set()]
        return sum(lab.ran_kernel for lab in done), sum(lab.replayed for lab in done)

    def page_html(self, lab: Lab) -> str:
        """The lab page's content: the executed notebook (checked), with its download box."""
        name = lab.spec.notebook
        problems = list(lab.problems)
        if not problems:
            outputs = verify.outputs_of(lab.notebook)
            problems = verify.output_problems(lab.notebook, outputs, lab.records, name)
            problems += verify.answered_too_early(lab.notebook, outputs, name)
            self.report.extend(problems)
        content = weight.without_external_scripts(notebook_html(lab.path, self.runner.cache))
        return with_download_link(content, lab.spec.archive, problems)

    def finish_output(self, lab: Lab, output: str, site_url: str) -> str:
        """Prune the notebook CSS to what the page uses; report requests to other hosts."""
        output = self.lighter(output)
        for found in weight.external_references(output, site_url):
            message = f"the built page would reach another host: {found!r}"
            self.report.add(Problem(lab.spec.notebook, None, message))
        return output

    def lighter(self, output: str) -> str:
        """:func:`weight.lighter_page`, replayed from the cache for an unchanged page."""
        cache = self.runner.cache
        stored = cache.recall("weight", output) if cache else None
        if stored is not None:
            return stored.decode("utf-8")
        lighter = weight.lighter_page(output)
        if cache:
            cache.keep("weight", lighter.encode("utf-8"), output)
        return lighter

    def archives(self) -> dict[str, bytes]:
        """Each executed lab's zip (site path -> bytes): the notebook and every file it needs."""
        return {
            lab.spec.archive: archive(lab.folder, lab.spec.stem)
            for lab in self.by_name.values()
            if lab.ready.is_set() and not lab.problems
        }

    def close(self) -> None:
        """Remove the labs' folders."""
        for lab in self.by_name.values():
            lab.ready.wait()
            shutil.rmtree(lab.folder, ignore_errors=True)


def _timeout(snippet: Path) -> float | None:
    try:
        return limits_of(snippet).timeout if snippet.is_file() else None
    except LimitError:
        return None


def _when_all(futures: list, callback) -> None:
    """Call ``callback`` once every future is done (at once if there is none)."""
    remaining = [len(futures)]
    lock = threading.Lock()
    if not futures:
        callback()
        return

    def one_done(_) -> None:
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            callback()

    for future in futures:
        future.add_done_callback(one_done)


def with_download_link(content: str, archive_name: str, problems: list[Problem]) -> str:
    """Put the download box (and any problem) right after the notebook's title."""
    name = html.escape(archive_name)
    box = (
        '<div class="admonition tip lab-download">'
        '<p class="admonition-title">Run this lab yourself</p>'
        f'<p><a class="md-button md-button--primary" href="{name}" download>'
        f"Download the lab ({name})</a></p>"
        "<p>Unzip it and open the notebook in Jupyter from the unzipped folder: the chapter's "
        "modules and data files are beside it. Run the cells in order.</p></div>"
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
