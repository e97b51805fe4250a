"""The MkDocs plugin: the one module that imports MkDocs. It maps MkDocs' events to the engine.

Registered as the ``coursebuild`` plugin (an entry point in ``pyproject.toml``). The plugin
object lives for the whole ``mkdocs serve`` session (it defines ``on_startup``), so the warm
worker survives rebuilds; everything that belongs to one build is created anew in
``on_config``. A plain ``mkdocs build`` exits non-zero on any problem; ``serve`` logs them
and keeps serving.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markdown_exec import validator
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from coursebuild.engine import Problem, Report, Runner, project_cache
from coursebuild.engine.cache import DEFAULT_MAX_BYTES
from coursebuild.lab.builder import Labs, chapter_spec
from coursebuild.lab.render import prose_of, toc_tokens
from coursebuild.page import highlight, links
from coursebuild.page.source import front_matter_lines
from coursebuild.quiz import MARKER, PAGE_OPTIONS
from coursebuild.site import FIGURE_FOLDER, SiteCheck

log = logging.getLogger("mkdocs.plugins.coursebuild")
JUPYTER_LOGGERS = ("mkdocs.mkdocs-jupyter",)
LAB_START, LAB_END = "<!-- coursebuild:lab -->", "<!-- /coursebuild:lab -->"


class CoursePluginConfig(Config):
    """Options of the ``coursebuild`` plugin in ``mkdocs.yml``."""

    copy_assets = config_options.Type(dict, default={})
    """Files (relative to ``mkdocs.yml``) to copy into the site: ``{source: site path}``."""
    hidden_output = config_options.Type(list, default=[])
    """Patterns of output lines kept in records (drift checks) but not shown to readers."""


def write(target: Path, data: bytes) -> None:
    """Write a generated file into the site."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def include_bases(config) -> list[Path]:
    """Folders that pymdownx.snippets searches for ``--8<--`` includes."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return [Path(base) for base in ([bases] if isinstance(bases, str) else bases)]


def nav_pages(nav) -> list[str]:
    """The Markdown pages named in the ``nav`` setting, in order."""
    found: list[str] = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += nav_pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


class CoursePlugin(BasePlugin[CoursePluginConfig]):
    """Runs the course's snippets, checks its pages, and builds each chapter's lab."""

    def __init__(self) -> None:
        self.serving = False
        self.runner: Runner | None = None
        self.generated: dict = {}  # lab notebooks by their sources, kept across rebuilds

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this process serves (problems then never stop the server)."""
        self.serving = command == "serve"

    def on_config(self, config):
        """Start a build: a new report and page checks; our formatter for ``python`` fences."""
        root = Path(config.config_file_path).resolve().parent
        if self.runner is None or self.runner.root != root:
            self.runner = Runner(root, cache=project_cache(root))
        self.runner.forget()
        self.report = Report()
        hidden = self.config.hidden_output
        self.site = SiteCheck(self.runner, self.report, include_bases(config), hidden)
        self.labs: Labs | None = None
        self.links: dict[str, list] = {}
        self.ids: dict[str, set[str]] = {}
        self.lab_pages: dict[str, str] = {}
        for name in JUPYTER_LOGGERS:  # "Converting notebook ...": noise with a temporary path
            logging.getLogger(name).setLevel(logging.WARNING)
        superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
        fences_config = superfences.setdefault("custom_fences", [])
        fences_config[:] = [f for f in fences_config if f.get("name") not in {"python", "py"}]
        fences_config.append(
            {
                "name": "python",
                "class": "python",
                "validator": validator,
                "format": self.site.format_fence,
            }
        )
        return config

    def on_files(self, files, config):
        """Start every snippet; generate each chapter's lab notebook and add it to the site."""
        docs = Path(config.docs_dir)
        self.site.start(docs)
        self.labs = Labs(self.runner, self.report, docs, self.generated)
        for page in nav_pages(config.nav) or [f.src_uri for f in files.documentation_pages()]:
            spec = chapter_spec(docs, page, config.site_name)
            lab = self.labs.plan(spec) if spec else None
            if lab is not None:
                page = f"# {lab.spec.title}\n"  # shown as the converted notebook
                # Put in the navigation by on_nav, right after its chapter.
                lab_page = File.generated(
                    config, lab.spec.page_name, content=page, inclusion=InclusionLevel.NOT_IN_NAV
                )
                files.append(lab_page)
        self.files = files
        return files

    def on_nav(self, nav: Navigation, config, files):
        """Put each lab right after its chapter in the navigation, unless ``nav`` lists it."""
        listed = {page.file.src_uri for page in nav.pages}
        for lab in self.labs.by_name.values() if self.labs else []:
            chapter = next((p for p in nav.pages if p.file.src_uri == lab.spec.page), None)
            page = files.get_file_from_path(lab.spec.page_name)
            if chapter is not None and page is not None and lab.spec.page_name not in listed:
                insert_after(nav, chapter, Page(lab.spec.title, page, config))
        return nav

    def lab_of(self, page):
        """The lab whose notebook ``page`` shows, if any."""
        return self.labs.by_page.get(page.file.src_uri) if self.labs else None

    def on_pre_page(self, page, config, files):
        """Before a lab page is read: wait for its notebook to have run (or replayed)."""
        lab = self.lab_of(page)
        if lab is not None:
            self.labs.wait(lab)
        return page

    @event_priority(100)  # first, so line numbers match the source file
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Check a page's fences, snippets, numbers and quizzes (mkdocs-jupyter renders labs)."""
        if self.lab_of(page) is not None:
            return markdown
        offset = front_matter_lines(page.file.content_string, markdown)
        literals = {str(item) for item in page.meta.get("literals", [])}
        if MARKER.search(markdown):  # a quiz or a quick check: mkdocs-quiz runs on these only
            page.meta.setdefault("quiz", dict(PAGE_OPTIONS))
        self.links[page.file.src_uri] = links.links_of(markdown, offset)
        return self.site.check_page(page.file.src_uri, markdown, offset, literals)

    def on_page_content(self, html: str, page, config, files) -> str:
        """Render TeX to MathML; lighten highlighted code; check a lab's executed outputs."""
        lab = self.lab_of(page)
        if lab is not None:
            return self.lab_content(lab, page)
        self.ids[page.file.src_uri] = links.ids_of(html)
        html = highlight.lighter_highlighting(html)
        return self.site.render_equations(page.file.src_uri, html)

    def lab_content(self, lab, page) -> str:
        """A lab page: the search gets headings and prose; the page gets the whole notebook."""
        full = self.labs.page_html(lab)
        self.ids[page.file.src_uri] = links.ids_of(full)
        self.lab_pages[page.file.src_uri] = full
        page.toc = get_toc(toc_tokens(full))
        return f"{LAB_START}{prose_of(full)}{LAB_END}"

    def on_post_page(self, output: str, page, config) -> str:
        """Point figures at the site's folder; catch raw fence text; lighten lab pages."""
        lab = self.lab_of(page)
        if lab is not None:
            start, end = output.index(LAB_START), output.index(LAB_END) + len(LAB_END)
            output = output[:start] + self.lab_pages[page.file.src_uri] + output[end:]
            output = self.labs.finish_output(lab, output, config.site_url or "")
        folder = get_relative_url(FIGURE_FOLDER, page.url)
        return self.site.finish_page(page.file.src_uri, output, folder)

    def on_post_build(self, config) -> None:
        """Write figures and assets; report every problem once; fail a plain build on any."""
        site = Path(config.site_dir)
        self.site.write_figures(site, write)
        root = self.runner.root
        for source, target in self.config.copy_assets.items():
            if (root / source).is_file():
                write(site / target, (root / source).read_bytes())
            else:
                message = f"{source} is missing: run `npm ci` to install it"
                self.report.add(Problem("mkdocs.yml", None, message))
        self.check_links()
        if self.labs is not None:
            for name, data in self.labs.archives().items():
                write(site / name, data)
            executed, replayed = self.labs.counts()
            self.labs.close()
            log.info(
                f"snippets: {self.runner.ran} ran, {self.runner.replayed} replayed; "
                f"lab notebooks: {executed} executed, {replayed} replayed"
            )
        if not self.report:
            return
        if self.serving:
            log.error(self.report.summary())
            return
        raise Abort(self.report.summary())

    def check_links(self) -> None:
        """Report every internal link or anchor of a page that leads nowhere, with its line."""
        names = {file.src_uri for file in self.files}
        for page, found in self.links.items():
            for link in found:
                problem = links.problem_of(page, link.target, names, self.ids)
                if problem:
                    self.report.add(Problem(page, link.line, problem))

    def on_shutdown(self) -> None:
        """Stop the warm worker; keep the cache within its size bound."""
        if self.runner is not None:
            self.runner.close()
            if self.runner.cache is not None and self.runner.cache.mode != "off":
                self.runner.cache.store.prune(DEFAULT_MAX_BYTES)


def insert_after(nav: Navigation, chapter: Page, lab: Page) -> None:
    """Insert ``lab`` after ``chapter`` in its section, then relink previous and next pages."""
    siblings = chapter.parent.children if chapter.parent else nav.items
    siblings.insert(siblings.index(chapter) + 1, lab)
    lab.parent = chapter.parent
    nav.pages.insert(nav.pages.index(chapter) + 1, lab)
    for before, after in zip(nav.pages, nav.pages[1:], strict=False):
        before.next_page, after.previous_page = after, before
    nav.pages[0].previous_page = nav.pages[-1].next_page = None
