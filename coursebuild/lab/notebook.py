"""Assemble a chapter's lab notebook from its page, snippets, modules and records.

The notebook is never edited by hand. It holds setup cells that write the chapter's modules
and the self-check helper next to it (so it runs in an empty folder); one Markdown and one
code cell per lesson snippet, in page order, whose code is the snippet itself; and per
exercise the prompt, an empty cell for the learner and a self-check cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
from nbformat import v4

from coursebuild.lab.chapter import Chapter, Exercise, read_chapter
from coursebuild.lab.code import assigned_names, local_modules, summary_of
from coursebuild.lab.exercises import (
    HELPER_MODULE,
    ExerciseCheck,
    answer_cell_source,
    expected_answers,
    self_check_source,
)
from coursebuild.lab.text import notebook_markdown, resolve_bindings

PYTHON = "3.11"  # as pyproject.toml requires
ROLE_KEY = "course"  # cell metadata: {"course": {"role": ..., "snippet" or "exercise": ...}}
HELPER_FILE = Path(__file__).with_name(f"{HELPER_MODULE}.py")


@dataclass(frozen=True)
class LabSpec:
    """Which chapter a lab belongs to, and the names derived from its page."""

    page: str  # the chapter page, relative to the docs folder
    chapter_title: str
    folder: str  # the chapter's snippet folder, relative to snippets/
    site_name: str

    @property
    def notebook(self) -> str:
        """The notebook's file name: ``logistic-regression.md`` -> ``...-lab.ipynb``."""
        return f"{Path(self.page).with_suffix('').as_posix()}-lab.ipynb"

    @property
    def title(self) -> str:
        """The notebook's title."""
        return f"{self.chapter_title} lab"


def helper_source() -> str:
    """The notebook's ``lab_check.py``: the learner's self-check helper, verbatim."""
    return HELPER_FILE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Sources:
    """Everything the notebook is made from, read by the lab builder (or a test).

    Attributes:
        spec: Which chapter, and its names.
        page: The chapter page's Markdown, front matter included.
        snippets: Code of every executed snippet, by include path.
        records: Record of every executed snippet, by include path (``None``: no record).
        modules: Source of every importable local module, by module name.
        versions: Installed version of each third-party distribution, by distribution name.
    """

    spec: LabSpec
    page: str
    snippets: Mapping[str, str]
    records: Mapping[str, str | None]
    modules: Mapping[str, str]
    checks: Mapping[str, ExerciseCheck] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)


def slug(include: str) -> str:
    """A cell id part from an include path: ``chapter/train_model.py`` -> ``train-model``."""
    return Path(include).stem.replace("_", "-")


def role(kind: str, **details: str) -> dict:
    """Cell metadata that names the cell's role for the build check and the tests."""
    return {ROLE_KEY: {"role": kind, **details}}


def intro_cells(spec: LabSpec, modules: list[str], versions: Mapping[str, str]) -> list:
    """The title cell: what the notebook is and how to run it."""
    files = ", ".join(f"`{name}.py`" for name in [*modules, HELPER_MODULE])
    pins = " ".join(f"{name}=={version}" for name, version in versions.items())
    needs = (
        f" It needs `{pins}` (other versions may round a last digit differently)." if pins else ""
    )
    text = (
        f"# {spec.title}\n\n"
        f"The runnable companion of the chapter *{spec.chapter_title}* of {spec.site_name}, "
        "generated from the chapter's own code when the site was built.\n\n"
        f"1. Run the setup cells once: they write {files} into the folder of this notebook.\n"
        "2. Run the lessons in order: every lesson cell prints exactly what the chapter shows. "
        "Change them and watch the numbers move.\n"
        "3. The exercises at the end leave an empty cell for your code, and a self-check cell "
        "below it compares your numbers with the lesson's.\n\n"
        f"Run it with Python {PYTHON} or later and Jupyter, in an empty folder.{needs}"
    )
    return [v4.new_markdown_cell(text, id="intro")]


def setup_cells(modules: list[str], sources: Mapping[str, str]) -> list:
    """A heading, then one ``%%writefile`` cell per module and one for the helper."""
    cells = [
        v4.new_markdown_cell(
            "## Setup\n\nThe chapter's modules, exactly as the chapter imports them, "
            "and the helper of the exercises' self-checks.",
            id="setup",
        )
    ]
    files = [*((name, sources[name]) for name in modules), (HELPER_MODULE, helper_source())]
    for name, code in files:
        source = f"%%writefile {name}.py\n{code.rstrip()}\n"
        meta = role("module", module=name)
        cells.append(v4.new_code_cell(source, id=f"setup-{name.replace('_', '-')}", metadata=meta))
    return cells


FIGURE_NOTE = (
    "\n\nIn Jupyter, `publish` shows the figure below the cell; it also prints the data "
    "summary and digest that the build checks against the lesson's record."
)


def lesson_cells(chapter: Chapter, snippets: Mapping[str, str]) -> list:
    """One Markdown and one code cell per lesson snippet, with section headings."""
    cells, section = [], None
    for lesson in chapter.lessons:
        code = snippets[lesson.include]
        heading = f"## {notebook_markdown(lesson.section)}\n\n" if lesson.section != section else ""
        section = lesson.section
        text = f"{heading}`{Path(lesson.include).name}`: {notebook_markdown(summary_of(code))}"
        text += FIGURE_NOTE if "publish" in assigned_names(code) else ""
        cells.append(v4.new_markdown_cell(text, id=f"lesson-{slug(lesson.include)}-text"))
        meta = role("lesson", snippet=lesson.include)
        cells.append(
            v4.new_code_cell(code.rstrip(), id=f"lesson-{slug(lesson.include)}", metadata=meta)
        )
    return cells


def exercise_cells(exercise: Exercise, check: ExerciseCheck, expected: dict) -> list:
    """The prompt, the learner's empty cell and the self-check cell of one exercise."""
    key = slug(exercise.include)
    prompt = f"### {notebook_markdown(exercise.title)}\n\n{notebook_markdown(exercise.prompt)}"
    answer_meta = role("answer", exercise=exercise.include)
    check_meta = role("self-check", exercise=exercise.include)
    return [
        v4.new_markdown_cell(prompt, id=f"{key}-prompt"),
        v4.new_code_cell(answer_cell_source(check), id=f"{key}-answer", metadata=answer_meta),
        v4.new_code_cell(
            self_check_source(exercise.title, expected), id=f"{key}-check", metadata=check_meta
        ),
    ]


def exercises_heading(intro: str) -> list:
    """The heading cell of the exercises: the page's own introduction, then how to answer."""
    text = (
        "## Exercises\n\n"
        + (f"{notebook_markdown(intro)}\n\n" if intro else "")
        + "Each exercise leaves an empty cell: write your code there, set the variables "
        "its comment names, then run the self-check below it. The chapter's *Solution* "
        "blocks hold the lesson's own answers."
    )
    return [v4.new_markdown_cell(text, id="exercises")]


def exercise_problems(exercise: Exercise, sources: Sources, taken: set[str]) -> list[str]:
    """Why an exercise cannot get a self-check: no spec, no record, a missing label."""
    stem, notebook = Path(exercise.include).stem, sources.spec.notebook
    folder = f"snippets/{sources.spec.folder}"
    if stem not in sources.checks:
        return [f"{notebook}: exercise {stem} has no self-check in {folder}/exercises.yml"]
    record = sources.records.get(exercise.include)
    if record is None:
        return [f"{notebook}: exercise {stem} has no record to check answers against"]
    check = sources.checks[stem]
    _, missing = expected_answers(check, record)
    problems = [f"{notebook}: snippets/{exercise.include} prints no value {m!r}" for m in missing]
    clashes = {answer.name for answer in check.answers} & taken
    problems += [f"{notebook}: answer {name!r} of {stem} is set by a lesson" for name in clashes]
    return problems


def exercise_section(chapter: Chapter, sources: Sources, taken: set[str]) -> tuple[list, list[str]]:
    """The exercises' cells, and why any exercise could not get its self-check."""
    cells = exercises_heading(chapter.exercises_intro) if chapter.exercises else []
    problems: list[str] = []
    for exercise in chapter.exercises:
        prompt = resolve_bindings(exercise.prompt, sources.records, sources.spec.folder)
        exercise = replace(exercise, prompt=prompt)
        found = exercise_problems(exercise, sources, taken)
        if not found:
            check = sources.checks[Path(exercise.include).stem]
            expected, _ = expected_answers(check, sources.records[exercise.include] or "")
            cells += exercise_cells(exercise, check, expected)
        problems += found
    return cells, problems


def build_notebook(sources: Sources) -> tuple[nbformat.NotebookNode, list[str]]:
    """The lab notebook, and the problems that make it incomplete (empty when none)."""
    chapter = read_chapter(sources.page, sources.spec.folder, sources.spec.page)
    lesson_codes = [sources.snippets[lesson.include] for lesson in chapter.lessons]
    modules = local_modules(lesson_codes, sources.modules)
    taken = set().union(*map(assigned_names, [*lesson_codes, *map(sources.modules.get, modules)]))
    exercises, problems = exercise_section(chapter, sources, taken)
    cells = [
        *intro_cells(sources.spec, modules, sources.versions),
        *setup_cells(modules, sources.modules),
        *lesson_cells(chapter, sources.snippets),
        *exercises,
    ]
    return new_notebook(cells), problems


def new_notebook(cells: list) -> nbformat.NotebookNode:
    """A version-4.5 notebook for a Python 3 kernel holding ``cells``."""
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as the ``.ipynb`` file's text (same notebook, same bytes)."""
    return nbformat.writes(notebook, version=4) + "\n"
