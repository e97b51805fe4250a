"""The chapter's lab notebook: generated, published, runnable as downloaded, and checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursebuild import weight
from coursebuild.engine import read_record
from coursebuild.lab import lab_check, verify
from coursebuild.lab.chapter import Chapter, read_chapter
from coursebuild.lab.execute import kernel_env, merged_stream_outputs
from coursebuild.lab.exercises import HELPER_MODULE, expected_answers, load_checks
from coursebuild.lab.notebook import ROLE_KEY, helper_source, slug
from coursebuild.lab.text import notebook_markdown
from tests.project_copy import DOCS, ROOT, SNIPPETS, copy_project, mkdocs_build

PAGE = "logistic-regression.md"
FOLDER = "logistic_regression"
NOTEBOOK = "logistic-regression-lab.ipynb"
LAB_PAGE = Path(NOTEBOOK).with_suffix(".html").name
CHAPTER = SNIPPETS / FOLDER
CHECKS = load_checks(CHAPTER / "exercises.yml", "exercises.yml")


def chapter() -> Chapter:
    """The lessons and exercises of the chapter page, as the generator reads them."""
    return read_chapter((DOCS / PAGE).read_text(encoding="utf-8"), FOLDER, PAGE)


def record_of(include: str) -> str:
    """The committed record of a snippet."""
    return read_record(SNIPPETS / include)


def learner_env() -> dict[str, str]:
    """The runner's fixed environment, without the project on the import path."""
    return kernel_env()


def run_as_downloaded(ipynb: Path, folder: Path, answers: dict[str, str] | None = None):
    """Copy ``ipynb`` alone into ``folder``, fill answer cells, execute it with a real kernel."""
    folder.mkdir(parents=True, exist_ok=True)
    assert list(folder.iterdir()) == [], "the learner's folder must start empty"
    target = folder / ipynb.name
    shutil.copyfile(ipynb, target)
    nb = nbformat.read(target, as_version=4)
    for cell in nb.cells:
        if cell.id in (answers or {}):
            cell.source = answers[cell.id]
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(env=learner_env())
    return nb


def roles(nb, role: str) -> list:
    """The notebook's cells of one role (lesson, module, answer, self-check)."""
    return [c for c in nb.cells if c.metadata.get(ROLE_KEY, {}).get("role") == role]


@pytest.fixture(scope="module")
def downloaded(built_site) -> Path:
    """The notebook exactly as the built site offers it for download."""
    path = built_site / NOTEBOOK
    assert path.is_file(), "the site has no downloadable notebook"
    return path


@pytest.fixture(scope="module")
def empty_run(downloaded, tmp_path_factory):
    """The downloaded notebook, run untouched in a fresh kernel in an empty folder."""
    return run_as_downloaded(downloaded, tmp_path_factory.mktemp("learner") / "lab")


# ----------------------------------------------------------------- the published page


def test_lab_page_is_in_the_nav_with_a_working_download_link(built_site):
    page = (built_site / LAB_PAGE).read_text(encoding="utf-8")
    assert "Logistic regression lab" in (built_site / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="md-button[^"]*" href="([^"]+)" download>', page)
    assert link is not None, "no download button on the lab page"
    assert (built_site / link[1]).resolve() == (built_site / NOTEBOOK).resolve()
    nbformat.validate(nbformat.read(built_site / link[1], as_version=4))


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
    images = re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", page)
    assert len(images) == 8, "the eight chapter figures, shown inline in the lab"
    assert sum(map(len, images)) < 350_000
    assert len(page.encode()) - sum(map(len, images)) < 700_000


def test_search_indexes_the_lab_prose_but_not_its_code(built_site):
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    lab = [doc for doc in docs if doc["location"].startswith(LAB_PAGE)]
    assert any(doc["title"].startswith("Exercises") for doc in lab)
    assert not [doc["location"] for doc in lab if "%%writefile" in doc["text"]]
    assert not [doc["location"] for doc in lab if "check_answer(" in doc["text"]]


def test_the_hook_executes_the_notebook_and_mkdocs_jupyter_never_caches(built_site):
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    options = config.plugins["mkdocs-jupyter"].config
    assert options["include"] == [NOTEBOOK]
    assert options["execute"] is False  # the coursebuild plugin executes it, in the background
    assert options["allow_errors"] is False
    assert options["cache"] is False
    executed = nbformat.read(built_site / NOTEBOOK, as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every code cell ran during the build"
    assert not (DOCS / NOTEBOOK).exists(), "the notebook must not live in docs/"


# ----------------------------------------------------------------- the notebook as downloaded


def test_lessons_are_the_chapter_snippets_in_page_order(downloaded):
    nb = nbformat.read(downloaded, as_version=4)
    lessons = roles(nb, "lesson")
    assert [c.metadata["course"]["snippet"] for c in lessons] == [
        lesson.include for lesson in chapter().lessons
    ]
    for cell in lessons:
        code = (SNIPPETS / cell.metadata["course"]["snippet"]).read_text(encoding="utf-8")
        assert cell.source == code.rstrip()
    index = nb.cells.index(lessons[0])
    assert nb.cells[index - 1].cell_type == "markdown"


def test_setup_cells_write_the_real_modules(downloaded):
    nb = nbformat.read(downloaded, as_version=4)
    modules = {c.metadata["course"]["module"]: c.source for c in roles(nb, "module")}
    assert {"logistic_scratch", "access_requests", HELPER_MODULE} <= modules.keys()
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.metadata["course"]["role"] == "module"
    for name in ("logistic_scratch", "access_requests"):
        real = (CHAPTER / f"{name}.py").read_text(encoding="utf-8")
        assert modules[name] == f"%%writefile {name}.py\n{real.rstrip()}\n"


def test_downloaded_notebook_runs_clean_and_prints_every_record(empty_run):
    outputs = verify.outputs_of(empty_run)
    records = {lesson.include: record_of(lesson.include) for lesson in chapter().lessons}
    assert verify.output_problems(empty_run, outputs, records, NOTEBOOK) == []
    assert len(roles(empty_run, "lesson")) == len(records)


def test_exercises_leave_empty_cells_that_name_the_variables(downloaded):
    nb = nbformat.read(downloaded, as_version=4)
    answers = roles(nb, "answer")
    assert [c.metadata["course"]["exercise"] for c in answers] == [
        exercise.include for exercise in chapter().exercises
    ]
    for cell in answers:
        lines = cell.source.splitlines()
        assert all(line.startswith("#") for line in lines), "a learner cell holds only comments"
        check = CHECKS[Path(cell.metadata["course"]["exercise"]).stem]
        for answer in check.answers:
            assert f"#   {answer.name}: " in cell.source


def test_self_checks_embed_the_recorded_values(downloaded):
    nb = nbformat.read(downloaded, as_version=4)
    sweep = next(c for c in roles(nb, "self-check") if "threshold_sweep" in c.id + str(c.metadata))
    assert "sweep_costs={0.2: '$36', 0.35: '$138', 0.5: '$138', 0.65: '$240', 0.8: '$240'}" in (
        sweep.source
    )
    assert "cheapest_threshold='0.20'" in sweep.source


def test_self_checks_say_not_answered_yet_on_the_empty_notebook(empty_run):
    said = verify.self_check_outputs(empty_run, verify.outputs_of(empty_run))
    assert said.keys() == {exercise.include for exercise in chapter().exercises}
    for exercise, text in said.items():
        assert verify.NOT_ANSWERED in text, exercise
        assert "Error" not in text


def test_self_checks_match_when_the_solutions_are_pasted(downloaded, tmp_path):
    nb = nbformat.read(downloaded, as_version=4)
    answers = {}
    for cell in roles(nb, "answer"):
        include = cell.metadata["course"]["exercise"]
        solution = (SNIPPETS / include).read_text(encoding="utf-8")
        answers[cell.id] = f"{solution}\n{CHECKS[Path(include).stem].hand_in}\n"
    done = run_as_downloaded(downloaded, tmp_path / "lab", answers)
    said = verify.self_check_outputs(done, verify.outputs_of(done))
    titles = {exercise.include: exercise.title for exercise in chapter().exercises}
    assert said == {include: f"{title}: {verify.MATCHES}\n" for include, title in titles.items()}


# ----------------------------------------------------------------- the self-check helper


def test_self_check_says_exactly_what_differs(capsys):
    expected = {"sweep_costs": {0.2: "$36", 0.35: "$138"}, "cheapest_threshold": "0.20"}
    lab_check.check_answer("Sweep", {"sweep_costs": {0.2: 36.0, 0.35: 120}}, **expected)
    assert capsys.readouterr().out == (
        "Sweep: differs from the lesson\n"
        "  sweep_costs[0.35] is $120, the lesson has $138\n"
        "  cheapest_threshold: not answered yet\n"
    )
    lab_check.check_answer("Sweep", {"sweep_costs": [36], "cheapest_threshold": 0.2}, **expected)
    assert "sweep_costs should be a dict with the keys 0.2, 0.35, not a list" in (
        capsys.readouterr().out
    )


def test_self_check_reads_numpy_values_and_float_noise_in_keys(capsys):
    np = pytest.importorskip("numpy")
    namespace = {
        "probability": np.array([0.3161]),
        "costs": {float(np.float64(0.1) * 2): np.float64(36)},
        "decision": "auto-process",
        "grad": 0.0221,
    }
    lab_check.check_answer(
        "Mixed",
        namespace,
        probability="0.316",
        costs={0.2: "$36"},
        decision="auto-process",
        grad="2.2e-02",
    )
    assert capsys.readouterr().out == "Mixed: matches the lesson\n"


def test_helper_module_is_standalone(tmp_path):
    (tmp_path / "lab_check.py").write_text(helper_source(), encoding="utf-8")
    namespace: dict = {}
    exec(compile((tmp_path / "lab_check.py").read_text(), "lab_check.py", "exec"), namespace)
    assert callable(namespace["check_answer"])


# ----------------------------------------------------------------- generation units


def test_page_markdown_becomes_notebook_markdown():
    text = "Costs $120 and $18, with ambiguity $x_1 = 2.2$ and $\\sigma(z)$."
    assert notebook_markdown(text) == ("Costs \\$120 and \\$18, with ambiguity x₁ = 2.2 and σ(z).")


def test_every_exercise_has_a_self_check_with_recorded_values():
    for exercise in chapter().exercises:
        check = CHECKS[Path(exercise.include).stem]
        expected, missing = expected_answers(check, record_of(exercise.include))
        assert missing == [], exercise.include
        assert [answer.name for answer in check.answers] == list(expected)


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


# ----------------------------------------------------------------- failures fail the build


def test_snippet_drift_fails_the_notebook_check(tmp_path):
    project = copy_project(tmp_path)
    snippet = project / "snippets" / FOLDER / "sigmoid_values.py"
    code = snippet.read_text(encoding="utf-8")
    assert 'print(f"slope at zero: {sigmoid(0.0) * (1 - sigmoid(0.0)):.3f}")' in code
    snippet.write_text(code.replace("(1 - sigmoid(0.0)):.3f}", "(1 - sigmoid(0.0)):.4f}"))
    build = mkdocs_build(project)
    assert build.returncode != 0
    where = re.search(
        rf"{re.escape(NOTEBOOK)} cell \d+  snippets/{FOLDER}/sigmoid_values.py: "
        r"the notebook cell printed something other than its record",
        build.output,
    )
    assert where is not None, build.output
    assert "slope at zero: 0.250 -> 0.2500" in build.output
    summary = build.output.split("problem(s) found by the build check:", 1)
    assert len(summary) == 2, "one report at the end"
    assert "logistic-regression.md:" in summary[1], "the page's drift is in the same report"
    assert NOTEBOOK in summary[1], "the notebook's drift is in the same report"


def test_a_raising_lesson_cell_fails_the_build_naming_its_snippet(tmp_path):
    project = copy_project(tmp_path)
    snippet = project / "snippets" / FOLDER / "design_matrix.py"
    snippet.write_text(snippet.read_text(encoding="utf-8") + "raise RuntimeError('boom')\n")
    build = mkdocs_build(project)
    assert build.returncode != 0
    snippet_name = f"snippets/{FOLDER}/design_matrix.py"
    assert f"{NOTEBOOK}  {snippet_name}: its notebook cell raised" in build.output
    assert "RuntimeError" in build.output
