"""The chapters' lab notebooks: published as a zip, executed and checked by the build, helpful."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursebuild import weight
from coursebuild.engine.limits import DEFAULT_MEMORY
from coursebuild.lab import verify
from coursebuild.lab.chapter import read_chapter
from coursebuild.lab.execute import execute
from coursebuild.lab.exercises import expected_answers, load_checks
from coursebuild.lab.notebook import (
    ROLE_KEY,
    helper_source,
    slug,
)
from coursebuild.page.source import page_folder
from tests.lab_chapter import (
    CHAPTER,
    CHECKS,
    FOLDER,
    LAB_PAGE,
    NOTEBOOK,
    STEM,
    chapter,
    record_of,
    roles,
)
from tests.projects import DOCS, ROOT, SNIPPETS


@pytest.fixture(scope="module")
def bundle(built_site) -> zipfile.ZipFile:
    """The lab's zip, exactly as the built site offers it for download."""
    return zipfile.ZipFile(io.BytesIO((built_site / f"{STEM}.zip").read_bytes()))


@pytest.fixture(scope="module")
def executed(bundle) -> nbformat.NotebookNode:
    """The notebook in the zip: executed by the build's kernel, outputs included."""
    return nbformat.reads(bundle.read(f"{STEM}/{NOTEBOOK}").decode("utf-8"), as_version=4)


# ----------------------------------------------------------------- the published page


def test_lab_page_is_in_the_nav_with_a_working_download_link(built_site, bundle):
    page = (built_site / LAB_PAGE).read_text(encoding="utf-8")
    assert "Logistic regression lab" in (built_site / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="md-button[^"]*" href="([^"]+)" download>', page)
    assert link is not None, "no download button on the lab page"
    assert (built_site / link[1]).resolve() == (built_site / f"{STEM}.zip").resolve()
    nbformat.validate(nbformat.reads(bundle.read(f"{STEM}/{NOTEBOOK}"), as_version=4))


def test_lab_page_shows_the_executed_outputs(built_site):
    page = (built_site / LAB_PAGE).read_text(encoding="utf-8")
    outputs = verify.html_outputs(page)
    for lesson in chapter().lessons:
        cell_id = f"lesson-{slug(lesson.include)}"
        assert outputs[cell_id].stdout == record_of(lesson.include), lesson.include
    assert "snippet-problem" not in page


def test_lab_page_requests_no_other_host(built_site):
    page = (built_site / LAB_PAGE).read_text(encoding="utf-8")
    assert re.findall(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]*""", page) == []
    assert weight.external_references(page) == []
    assert "mathjax" not in page.lower()
    assert "require.js" not in page
    assert "requirejs" not in page.lower()


def test_lab_page_weight_stays_reasonable(built_site):
    page = (built_site / LAB_PAGE).read_text(encoding="utf-8")
    css = sum(len(m["css"]) for m in weight.STYLE_BLOCK.finditer(page))
    assert css < 60_000, f"{css} bytes of inline CSS (mkdocs-jupyter inlines about 600 KB)"
    figures = re.findall(r'data-mime-type="image/svg\+xml".*?</svg>', page, re.DOTALL)
    figure_count = len(sorted(CHAPTER.glob("figure_*.py")))
    assert len(figures) == figure_count, "the chapter's figures, shown inline in the lab as SVG"
    assert sum(map(len, figures)) < 350_000
    assert len(page.encode()) - sum(map(len, figures)) < 700_000


def test_search_indexes_the_lab_prose_but_not_its_code(built_site):
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    lab = [doc for doc in docs if doc["location"].startswith(LAB_PAGE)]
    assert any(doc["title"].startswith("Exercises") for doc in lab)
    assert not [doc["location"] for doc in lab if "check_answers(" in doc["text"]]
    assert not [doc["location"] for doc in lab if "import numpy" in doc["text"]]


def test_the_build_executed_every_cell_and_nothing_lives_in_docs(executed):
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every code cell ran during the build"
    assert not (DOCS / NOTEBOOK).exists(), "the notebook must not live in docs/"
    assert not (DOCS / f"{STEM}.md").exists(), "nor its page"


# ----------------------------------------------------------------- the zip, as downloaded


def test_lessons_are_the_chapter_snippets_in_page_order(executed):
    lessons = roles(executed, "lesson")
    assert [c.metadata["course"]["snippet"] for c in lessons] == [
        lesson.include for lesson in chapter().lessons
    ]
    for cell in lessons:
        code = (SNIPPETS / cell.metadata["course"]["snippet"]).read_text(encoding="utf-8")
        assert cell.source == code.rstrip()
    index = executed.cells.index(lessons[0])
    assert executed.cells[index - 1].cell_type == "markdown"


def test_one_short_setup_cell_and_the_real_modules_beside_it(executed, bundle):
    (setup,) = roles(executed, "setup")
    assert len(setup.source.splitlines()) <= 5
    first_code = next(c for c in executed.cells if c.cell_type == "code")
    assert first_code is setup
    assert setup.outputs[0]["text"].startswith("Ready: the ")
    for name in ("logistic_scratch.py", "access_requests.py"):
        assert bundle.read(f"{STEM}/{name}") == (CHAPTER / name).read_bytes()
    assert bundle.read(f"{STEM}/course_figures.py") == (SNIPPETS / "course_figures.py").read_bytes()
    assert bundle.read(f"{STEM}/lab_check.py").decode() == helper_source()
    listed = json.loads(bundle.read(f"{STEM}/lab_data.json"))["files"]
    zipped = {name.removeprefix(f"{STEM}/") for name in bundle.namelist()}
    assert set(listed) | {"lab_data.json", NOTEBOOK} == zipped, "the zip holds what setup checks"


def test_the_downloaded_notebook_ran_clean_and_printed_every_record(executed):
    # The build ran this very notebook in a folder holding exactly the zip's files, and the
    # zip is made from that folder: a learner's run of the download would repeat it.
    outputs = verify.outputs_of(executed)
    records = {lesson.include: record_of(lesson.include) for lesson in chapter().lessons}
    assert verify.output_problems(executed, outputs, records, NOTEBOOK) == []
    assert len(roles(executed, "lesson")) == len(records)


def test_exercises_leave_empty_cells_that_name_the_variables(executed):
    answers = roles(executed, "answer")
    assert [c.metadata["course"]["exercise"] for c in answers] == [
        exercise.include for exercise in chapter().exercises
    ]
    for cell in answers:
        lines = cell.source.splitlines()
        assert all(line.startswith("#") for line in lines), "a learner cell holds only comments"
        check = CHECKS[Path(cell.metadata["course"]["exercise"]).stem]
        for answer in check.answers:
            assert f"#   {answer.name}: " in cell.source


def test_self_checks_never_show_the_expected_values(executed, bundle):
    data = bundle.read(f"{STEM}/lab_data.json").decode()
    for exercise in chapter().exercises:
        check = CHECKS[Path(exercise.include).stem]
        expected, _ = expected_answers(check, record_of(exercise.include))
        answers = [v if isinstance(v, dict) else {None: v} for v in expected.values()]
        keys = {str(key) for answer in answers for key in answer}  # named in the prompt itself
        meanings = " ".join(answer.meaning for answer in check.answers)  # choices it offers
        values = [
            v for answer in answers for v in answer.values() if v not in keys and v not in meanings
        ]
        cells = [c.source for c in executed.cells if exercise.include in str(c.metadata)]
        shown = [v for v in values if any(v in source for source in cells) or f'"{v}"' in data]
        assert shown == [], f"{exercise.include}: {shown} readable in the lab"
    sweep = next(c for c in roles(executed, "self-check") if "threshold-sweep" in c.id)
    assert sweep.source.splitlines()[-1] == "check_answers('exercise_threshold_sweep', globals())"


def test_self_checks_say_not_answered_yet_on_the_untouched_notebook(executed):
    said = verify.self_check_outputs(executed, verify.outputs_of(executed))
    assert said.keys() == {exercise.include for exercise in chapter().exercises}
    for exercise, text in said.items():
        assert verify.NOT_ANSWERED in text, exercise
        assert "Error" not in text


@pytest.mark.parametrize("page", ["logistic-regression.md", "linear-regression.md"])
def test_self_checks_say_correct_when_the_solutions_are_pasted(built_site, page, tmp_path):
    # What the build does not prove: that each self-check accepts the lesson's own solution.
    stem, folder = page.removesuffix(".md") + "-lab", page_folder(page)
    zipfile.ZipFile(built_site / f"{stem}.zip").extractall(tmp_path)
    nb = nbformat.read(tmp_path / stem / f"{stem}.ipynb", as_version=4)
    checks = load_checks(SNIPPETS / folder / "exercises.yml", "exercises.yml")
    for cell in roles(nb, "answer"):
        include = cell.metadata["course"]["exercise"]
        solution = (SNIPPETS / include).read_text(encoding="utf-8")
        cell.source = f"{solution}\n{checks[Path(include).stem].hand_in}\n"
    wanted = {"setup", "answer", "self-check"}
    nb.cells = [c for c in nb.cells if c.metadata.get(ROLE_KEY, {}).get("role") in wanted]
    assert execute(nb, tmp_path / stem, ROOT, DEFAULT_MEMORY) is None
    said = verify.self_check_outputs(nb, verify.outputs_of(nb))
    exercises = read_chapter((DOCS / page).read_text(encoding="utf-8"), folder, page).exercises
    assert len(said) == len(checks) == len(exercises) == 6
    titles = {exercise.include: exercise.title for exercise in exercises}
    assert said == {include: f"{title}: {verify.MATCHES}\n" for include, title in titles.items()}


# ----------------------------------------------------------------- the build's drift check


def test_notebook_drift_is_reported_with_the_moved_number(executed):
    drifted = nbformat.from_dict(json.loads(json.dumps(executed)))
    cell = next(
        c for c in roles(drifted, "lesson") if "sigmoid_values" in c.metadata["course"]["snippet"]
    )
    cell.outputs[0]["text"] = cell.outputs[0]["text"].replace(
        "slope at zero: 0.250", "slope at zero: 0.2500"
    )
    records = {lesson.include: record_of(lesson.include) for lesson in chapter().lessons}
    (problem,) = verify.output_problems(drifted, verify.outputs_of(drifted), records, NOTEBOOK)
    text = str(problem)
    assert re.match(
        rf"{re.escape(NOTEBOOK)} cell \d+  snippets/{FOLDER}/sigmoid_values.py: "
        r"the notebook cell printed something other than its record",
        text,
    )
    assert "slope at zero: 0.250 -> 0.2500" in text
