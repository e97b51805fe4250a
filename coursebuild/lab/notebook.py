"""Assemble a chapter's lab notebook from its page, snippets, records and exercise checks.

The notebook is never edited by hand. It ships in a zip with the files the chapter's
snippets read (modules, data) and the self-check helper, and holds: a title cell, one short
setup cell that checks those files are there, one Markdown and one code cell per lesson
snippet, in page order, whose code is the snippet itself; and per exercise the prompt, an
empty cell for the learner and a self-check cell that never shows the expected values.
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
    FILE_NAME,
    ExerciseCheck,
    answer_cell_source,
    expected_answers,
    self_check_source,
)
from coursebuild.lab.lab_check import encode
from coursebuild.lab.text import notebook_markdown, resolve_bindings

PYTHON = "3.11"  # as pyproject.toml requires
ROLE_KEY = "course"  # cell metadata: {"course": {"role": ..., "snippet" or "exercise": ...}}
HELPER_FILE = Path(__file__).with_name("lab_check.py")


@dataclass(frozen=True)
class LabSpec:
    """Which chapter a lab belongs to, and the names derived from its page."""

    page: str  # the chapter page, relative to the docs folder
    chapter_title: str
    folder: str  # the chapter's snippet folder, relative to snippets/
    site_name: str

    @property
    def stem(self) -> str:
        """``naive-bayes.md`` -> ``naive-bayes-lab``."""
        return f"{Path(self.page).with_suffix('').as_posix()}-lab"

    @property
    def page_name(self) -> str:
        """The lab page the site shows (generated): ``naive-bayes-lab.md``."""
        return f"{self.stem}.md"

    @property
    def notebook(self) -> str:
        """The notebook's file name."""
        return f"{self.stem}.ipynb"

    @property
    def archive(self) -> str:
        """The downloadable zip's file name."""
        return f"{self.stem}.zip"

    @property
    def title(self) -> str:
        """The notebook's title."""
        return f"{self.chapter_title} lab"


def helper_source() -> str:
    """The lab's ``lab_check.py``: the learner's self-check helper, verbatim."""
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
        checks: The exercises' self-checks, by exercise snippet stem.
        versions: Installed version of each third-party distribution, by distribution name.
        limits: Time limit of each snippet in seconds, by include path (its cell's limit).
    """

    spec: LabSpec
    page: str
    snippets: Mapping[str, str]
    records: Mapping[str, str | None]
    modules: Mapping[str, str]
    checks: Mapping[str, ExerciseCheck] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, float] = field(default_factory=dict)


def slug(include: str) -> str:
    """A cell id part from an include path: ``chapter/train_model.py`` -> ``train-model``."""
    return Path(include).stem.replace("_", "-")


def role(kind: str, **details: object) -> dict:
    """Cell metadata that names the cell's role for the build check and the tests."""
    return {ROLE_KEY: {"role": kind, **details}}


def intro_cells(spec: LabSpec, versions: Mapping[str, str]) -> list:
    """The title cell: what the notebook is and how to run it."""
    pins = " ".join(f"{name}=={version}" for name, version in versions.items())
    needs = f" It needs `{pins}` (other versions may round a last digit differently)."
    text = (
        f"# {spec.title}\n\n"
        f"The runnable companion of the chapter *{spec.chapter_title}* of {spec.site_name}, "
        "generated from the chapter's own code when the site was built.\n\n"
        f"1. Unzip `{spec.archive}` and open this notebook in Jupyter from the unzipped folder: "
        "the chapter's modules and data files are beside it.\n"
        "2. Run the lessons in order: every lesson cell prints exactly what the chapter shows. "
        "Change them and watch the numbers move.\n"
        "3. The exercises at the end leave an empty cell for your code, and a self-check cell "
        "below it tells you whether your numbers match the lesson's.\n\n"
        f"Run it with Python {PYTHON} or later.{needs if pins else ''}"
    )
    return [v4.new_markdown_cell(text, id="intro")]


def setup_cells() -> list:
    """One short cell that checks the lab's files sit beside the notebook."""
    source = (
        "# Setup: the chapter's modules and data files sit beside this notebook.\n"
        "from lab_check import check_setup\n\n"
        "check_setup()"
    )
    return [v4.new_code_cell(source, id="setup", metadata=role("setup"))]


FIGURE_NOTE = (
    "\n\nIn Jupyter, `publish` shows the figure below the cell; the last lines it prints "
    "fingerprint the plotted data, so the site's build notices when a curve moves."
)


def lesson_cells(chapter: Chapter, sources: Sources) -> list:
    """One Markdown and one code cell per lesson snippet, with section headings."""
    cells, section = [], None
    for lesson in chapter.lessons:
        code = sources.snippets[lesson.include]
        heading = f"## {notebook_markdown(lesson.section)}\n\n" if lesson.section != section else ""
        section = lesson.section
        text = f"{heading}{notebook_markdown(summary_of(code))}"
        text += FIGURE_NOTE if "publish" in assigned_names(code) else ""
        cells.append(v4.new_markdown_cell(text, id=f"lesson-{slug(lesson.include)}-text"))
        limit = sources.limits.get(lesson.include)
        meta = role("lesson", snippet=lesson.include, **({"timeout": limit} if limit else {}))
        cells.append(
            v4.new_code_cell(code.rstrip(), id=f"lesson-{slug(lesson.include)}", metadata=meta)
        )
    return cells


def exercise_cells(exercise: Exercise, check: ExerciseCheck) -> list:
    """The prompt, the learner's empty cell and the self-check cell of one exercise."""
    key = slug(exercise.include)
    prompt = f"### {notebook_markdown(exercise.title)}\n\n{notebook_markdown(exercise.prompt)}"
    answer_meta = role("answer", exercise=exercise.include)
    check_meta = role("self-check", exercise=exercise.include)
    return [
        v4.new_markdown_cell(prompt, id=f"{key}-prompt"),
        v4.new_code_cell(answer_cell_source(check), id=f"{key}-answer", metadata=answer_meta),
        v4.new_code_cell(
            self_check_source(Path(exercise.include).stem), id=f"{key}-check", metadata=check_meta
        ),
    ]


def exercises_heading(intro: str) -> list:
    """The heading cell of the exercises: the page's own introduction, then how to answer."""
    text = (
        "## Exercises\n\n"
        + (f"{notebook_markdown(intro)}\n\n" if intro else "")
        + "Each exercise leaves an empty cell: write your code there, set the variables "
        "its comment names, then run the self-check below it. It says *correct*, or which "
        "number is off and in which direction. The chapter's *Solution* blocks hold the "
        "lesson's own answers."
    )
    return [v4.new_markdown_cell(text, id="exercises")]


def exercise_problems(exercise: Exercise, sources: Sources, taken: set[str]) -> list[str]:
    """Why an exercise cannot get a self-check: no spec, no record, a missing label.

    The messages leave out the notebook's name: the report puts it in front of each.
    """
    stem = Path(exercise.include).stem
    if stem not in sources.checks:
        where = f"snippets/{sources.spec.folder}/{FILE_NAME}"
        return [f"exercise {stem} has no self-check in {where}"]
    record = sources.records.get(exercise.include)
    if record is None:
        return [f"exercise {stem} has no record to check answers against"]
    check = sources.checks[stem]
    _, missing = expected_answers(check, record)
    problems = [f"snippets/{exercise.include} prints no value {m!r}" for m in missing]
    clashes = {answer.name for answer in check.answers} & taken
    problems += [f"answer {name!r} of {stem} is set by a lesson" for name in clashes]
    return problems


def exercise_section(
    chapter: Chapter, sources: Sources, taken: set[str]
) -> tuple[list, dict, list[str]]:
    """The exercises' cells, their encoded answers, and why any could not get a self-check."""
    cells = exercises_heading(chapter.exercises_intro) if chapter.exercises else []
    answers: dict[str, dict] = {}
    problems: list[str] = []
    for exercise in chapter.exercises:
        prompt = resolve_bindings(exercise.prompt, sources.records, sources.spec.folder)
        exercise = replace(exercise, prompt=prompt)
        found = exercise_problems(exercise, sources, taken)
        problems += found
        if found:
            continue
        stem = Path(exercise.include).stem
        expected, _ = expected_answers(sources.checks[stem], sources.records[exercise.include])
        answers[stem] = {"title": exercise.title, "answers": encode(_text_keys(expected))}
        cells += exercise_cells(exercise, sources.checks[stem])
    return cells, answers, problems


def _text_keys(expected: Mapping[str, object]) -> dict:
    """Dict answers with their keys as text (JSON keys), values as printed."""
    return {
        name: {str(k): v for k, v in value.items()} if isinstance(value, dict) else value
        for name, value in expected.items()
    }


def build_notebook(sources: Sources) -> tuple[nbformat.NotebookNode, dict, list[str]]:
    """The lab notebook, its exercises' encoded answers, and what makes it incomplete."""
    chapter = read_chapter(sources.page, sources.spec.folder, sources.spec.page)
    lesson_codes = [sources.snippets[lesson.include] for lesson in chapter.lessons]
    modules = local_modules(lesson_codes, sources.modules)
    taken = set().union(*map(assigned_names, [*lesson_codes, *map(sources.modules.get, modules)]))
    exercises, answers, problems = exercise_section(chapter, sources, taken)
    cells = [
        *intro_cells(sources.spec, sources.versions),
        *setup_cells(),
        *lesson_cells(chapter, sources),
        *exercises,
    ]
    return new_notebook(cells), answers, problems


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
