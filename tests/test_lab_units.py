"""The lab's parts on their own: the learner's self-check helper, notebook generation, the zip.

No build is needed: each test works on small inputs in-process (``test_lab.py`` reads the
built labs).
"""

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
from coursebuild.lab import lab_check
from coursebuild.lab.chapter import ChapterError, read_chapter
from coursebuild.lab.execute import merged_stream_outputs, raising_cell_problem
from coursebuild.lab.exercises import expected_answers, load_checks
from coursebuild.lab.notebook import (
    ROLE_KEY,
    LabSpec,
    Sources,
    build_notebook,
    helper_source,
)
from coursebuild.lab.package import archive, lab_path
from coursebuild.lab.render import prose_of, toc_tokens
from coursebuild.lab.text import notebook_markdown
from tests.lab_chapter import (
    CHECKS,
    FOLDER,
    NOTEBOOK,
    chapter,
    record_of,
)
from tests.projects import exec_fence

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
