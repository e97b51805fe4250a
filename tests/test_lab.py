"""The chapters' lab notebooks: published as a zip, executed and checked by the build, helpful."""

from __future__ import annotations

import io
import json
import re
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursebuild import weight
from coursebuild.engine import read_record
from coursebuild.engine.limits import DEFAULT_MEMORY
from coursebuild.lab import lab_check, verify
from coursebuild.lab.chapter import Chapter, ChapterError, read_chapter
from coursebuild.lab.execute import execute, merged_stream_outputs, raising_cell_problem
from coursebuild.lab.exercises import expected_answers, load_checks
from coursebuild.lab.notebook import (
    ROLE_KEY,
    LabSpec,
    Sources,
    build_notebook,
    helper_source,
    slug,
)
from coursebuild.lab.package import archive, lab_path
from coursebuild.lab.render import prose_of, toc_tokens
from coursebuild.lab.text import notebook_markdown
from tests.projects import DOCS, ROOT, SNIPPETS, exec_fence

PAGE = "logistic-regression.md"
FOLDER = "logistic_regression"
STEM = "logistic-regression-lab"
NOTEBOOK = f"{STEM}.ipynb"
LAB_PAGE = f"{STEM}.html"
CHAPTER = SNIPPETS / FOLDER
CHECKS = load_checks(CHAPTER / "exercises.yml", "exercises.yml")


def chapter() -> Chapter:
    """The lessons and exercises of the chapter page, as the generator reads them."""
    return read_chapter((DOCS / PAGE).read_text(encoding="utf-8"), FOLDER, PAGE)


def record_of(include: str) -> str:
    """The committed record of a snippet."""
    return read_record(SNIPPETS / include)


def roles(nb, role: str) -> list:
    """The notebook's cells of one role (setup, lesson, answer, self-check)."""
    return [c for c in nb.cells if c.metadata.get(ROLE_KEY, {}).get("role") == role]


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
    stem, folder = page.removesuffix(".md") + "-lab", page.removesuffix(".md").replace("-", "_")
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


# ----------------------------------------------------------------- the self-check helper


def with_data(tmp_path, monkeypatch, expected: dict) -> None:
    """A ``lab_data.json`` beside a copy of the helper, holding one exercise."""
    data = {
        "files": [],
        "exercises": {"sweep": {"title": "Sweep", "answers": lab_check.encode(expected)}},
    }
    (tmp_path / "lab_data.json").write_text(json.dumps(data))
    monkeypatch.setattr(lab_check, "__file__", str(tmp_path / "lab_check.py"))


def test_self_check_says_which_number_is_off_and_in_which_direction(tmp_path, monkeypatch, capsys):
    expected = {"sweep_costs": {"0.2": "$36", "0.35": "$138"}, "cheapest_threshold": "0.20"}
    with_data(tmp_path, monkeypatch, expected)
    lab_check.check_answers("sweep", {"sweep_costs": {0.2: 36.0, 0.35: 120}})
    assert capsys.readouterr().out == (
        "Sweep: not yet\n  sweep_costs[0.35] is too low\n  cheapest_threshold: not answered yet\n"
    )
    lab_check.check_answers("sweep", {"sweep_costs": [36], "cheapest_threshold": 0.5})
    said = capsys.readouterr().out
    assert "sweep_costs should be a dict with the keys 0.2, 0.35, not a list" in said
    assert "cheapest_threshold is too high" in said
    assert "138" not in said, "the expected value is never printed"


def test_self_check_reads_numpy_values_and_float_noise_in_keys(tmp_path, monkeypatch, capsys):
    np = pytest.importorskip("numpy")
    expected = {
        "probability": "0.316",
        "costs": {"0.2": "$36"},
        "decision": "auto-process",
        "grad": "2.2e-02",
    }
    with_data(tmp_path, monkeypatch, expected)
    namespace = {
        "probability": np.array([0.3161]),
        "costs": {float(np.float64(0.1) * 2): np.float64(36)},
        "decision": "auto-process",
        "grad": 0.0221,
    }
    lab_check.check_answers("sweep", namespace)
    assert capsys.readouterr().out == "Sweep: correct\n"


def test_helper_module_is_standalone(tmp_path):
    (tmp_path / "lab_check.py").write_text(helper_source(), encoding="utf-8")
    namespace: dict = {}
    exec(compile((tmp_path / "lab_check.py").read_text(), "lab_check.py", "exec"), namespace)
    assert callable(namespace["check_answers"])
    imported = re.findall(r"^(?:import|from) (\w+)", helper_source(), re.MULTILINE)
    assert set(imported) <= {"__future__", "base64", "json", "re", "zlib", "collections", "pathlib"}


def test_setup_names_missing_files(tmp_path, monkeypatch):
    (tmp_path / "lab_data.json").write_text(json.dumps({"files": ["model.py"], "exercises": {}}))
    monkeypatch.setattr(lab_check, "__file__", str(tmp_path / "lab_check.py"))
    with pytest.raises(FileNotFoundError, match=r"missing beside the notebook: model\.py"):
        lab_check.check_setup(tmp_path)


# ----------------------------------------------------------------- generation units


EXERCISE_PAGE = (
    "# Chapter\n\n## Exercises\n\nTry these.\n\n### Add one\n\nPrint the total.\n\n"
    '??? success "Solution"\n\n' + textwrap.indent(exec_fence("chapter/ex_add.py"), "    ")
)


def test_exercise_prompt_and_intro_come_from_the_headings_around_the_solution():
    chapter = read_chapter(EXERCISE_PAGE, "chapter", "chapter.md")
    assert [(e.include, e.title, e.prompt) for e in chapter.exercises] == [
        ("chapter/ex_add.py", "Add one", "Print the total.")
    ]
    assert chapter.exercises_intro == "Try these."


def test_a_solution_without_an_exercise_heading_is_refused_at_its_line():
    page = EXERCISE_PAGE.replace("### Add one\n\n", "")
    with pytest.raises(ChapterError, match=r"needs an exercise heading \(###\)") as failure:
        read_chapter(page, "chapter", "chapter.md")
    assert failure.value.line == page.splitlines().index('??? success "Solution"') + 1


def test_an_exercise_without_a_self_check_is_named_without_repeating_the_notebook():
    spec = LabSpec("chapter.md", "Chapter", "chapter", "Course")
    code = {"chapter/ex_add.py": "print('total:', 2)\n"}
    record = {"chapter/ex_add.py": "total: 2\n"}
    _, _, problems = build_notebook(Sources(spec, EXERCISE_PAGE, code, record, {}))
    assert problems == ["exercise ex_add has no self-check in snippets/chapter/exercises.yml"]


def test_page_markdown_becomes_notebook_markdown():
    text = "Costs $120 and $18, with ambiguity $x_1 = 2.2$ and $\\sigma(z)$."
    assert notebook_markdown(text) == "Costs \\$120 and \\$18, with ambiguity x₁ = 2.2 and σ(z)."


def test_every_exercise_has_a_self_check_with_recorded_values():
    for exercise in chapter().exercises:
        check = CHECKS[Path(exercise.include).stem]
        expected, missing = expected_answers(check, record_of(exercise.include))
        assert missing == [], exercise.include
        assert [answer.name for answer in check.answers] == list(expected)


def test_exercise_checks_name_file_and_line_when_malformed(tmp_path):
    path = tmp_path / "exercises.yml"
    path.write_text("exercise_a:\n  answers: []\n  hand_in: x\n")
    with pytest.raises(ValueError, match=r"^ex\.yml:1: exercise 'exercise_a': 'answers' must"):
        load_checks(path, "ex.yml")


def test_references_to_other_hosts_are_found():
    page = (
        '<a href="http://x.org/a"> <img src=//cdn/x.js> <a href="https://me/p">'
        "<style>@import url('https://f'); .a{background:url(https://b/c.png)}"
        " .d{background:url(data:image/png;base64,AA)}</style>"
    )
    assert weight.external_references(page, "https://me/") == [
        "http://x.org/a",
        "//cdn/x.js",
        "https://f",
        "https://b/c.png",
    ]


def test_stream_chunks_merge_into_one_block():
    def stream(text: str, name: str = "stdout"):
        return nbformat.v4.new_output("stream", name=name, text=text)

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()")])
    nb.cells[0].outputs = [stream("a\n"), stream("b\n"), stream("c\n")]
    assert merged_stream_outputs(nb).cells[0].outputs == [stream("a\nb\nc\n")]
    nb.cells[0].outputs = [stream("a\n"), stream("oops\n", "stderr")]
    assert merged_stream_outputs(nb).cells[0].outputs == [stream("a\n"), stream("oops\n", "stderr")]


def test_css_pruning_keeps_what_the_page_uses():
    page = (
        "<style>.used{color:var(--a)} .unused{color:red} :root{--a:var(--b);--b:blue;--c:red}"
        "@media print{.unused{x:y}} .md-typeset .x{y:z}</style><div class='used'></div>"
    )
    lighter = weight.lighter_page(page)
    assert ".used{color:var(--a)}" in lighter
    assert "--b:blue" in lighter
    assert "--c" not in lighter
    assert ".unused" not in lighter
    assert "@media" not in lighter
    assert ".md-typeset .x" in lighter


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


def test_a_raising_cell_is_named_by_its_snippet_in_plain_text():
    cell = nbformat.v4.new_code_cell(
        "raise RuntimeError('boom')",
        metadata={ROLE_KEY: {"role": "lesson", "snippet": f"{FOLDER}/design_matrix.py"}},
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    error = RuntimeError(
        "An error occurred:\nraise RuntimeError('boom')\n\x1b[31mRuntimeError\x1b[39m: boom"
    )
    text = str(raising_cell_problem(nb, NOTEBOOK, error))
    assert text.startswith(
        f"{NOTEBOOK}  snippets/{FOLDER}/design_matrix.py: its notebook cell raised"
    )
    assert "RuntimeError: boom" in text
    assert "\x1b[" not in text


def test_the_zip_is_deterministic_and_maps_chapter_files(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.py").write_text("a")
    (tmp_path / ".kernel-1").write_text("socket")
    assert archive(tmp_path, "lab") == archive(tmp_path, "lab")
    names = zipfile.ZipFile(io.BytesIO(archive(tmp_path, "lab"))).namelist()
    assert names == ["lab/a.py", "lab/b.txt"]
    assert lab_path("snippets/chapter/data/t.csv", "chapter") == "data/t.csv"
    assert lab_path("snippets/course_figures.py", "chapter") == "course_figures.py"
    assert lab_path("snippets/other/x.py", "chapter") is None


def test_toc_and_search_text_come_from_the_converted_notebook():
    html = (
        '<div class="jp-Cell jp-MarkdownCell"><h1 id="lab">Lab<a class="anchor-link">¶</a></h1>'
        '<h2 id="part">Part</h2></div><div class="jp-Cell jp-CodeCell"><pre>code</pre></div>'
        '<div class="jp-Cell jp-MarkdownCell"><h3 id="sub">Sub</h3></div>\n'
        "</div> <!-- jp-Notebook -->"
    )
    assert toc_tokens(html) == [
        {
            "level": 1,
            "id": "lab",
            "name": "Lab",
            "children": [
                {
                    "level": 2,
                    "id": "part",
                    "name": "Part",
                    "children": [{"level": 3, "id": "sub", "name": "Sub", "children": []}],
                }
            ],
        }
    ]
    assert "code" not in prose_of(html)
    assert "Sub" in prose_of(html)
