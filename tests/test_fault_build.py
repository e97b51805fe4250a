"""One plain ``mkdocs build`` carrying every fault: each is asserted separately in its one report.

The same build holds a healthy second chapter, which proves that a chapter needs no change
to the package: its page, two snippets reading a CSV file, an exercise and a three-question
quiz get a lab notebook (with the CSV file in its zip), a quiz and checked numbers.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.fault_project import CHAPTER, PAGE

REPORT_HEAD = "problem(s) found by the build check:"


@pytest.fixture(scope="module")
def report(fault_build) -> str:
    """The end report of the faults build (everything after its first line)."""
    output = fault_build.build.output
    assert output.count(REPORT_HEAD) == 1, "one report, at the end"
    return output.split(REPORT_HEAD, 1)[1]


def at(fault_build, name: str, below: int = 0) -> str:
    """``faults.md:LINE`` of a fault block (``below``: lines under its first)."""
    return f"{PAGE}:{fault_build.lines[name] + below}"


def test_a_plain_build_exits_non_zero_and_reports_once(fault_build, report):
    assert fault_build.build.returncode != 0, fault_build.build.output
    assert "After an intended change, re-record with: python -m coursebuild record" in report
    assert report.count("unrecorded.py: has no record") == 1


def test_drift_names_page_line_snippet_moved_number_and_fix(fault_build, report):
    where = f"{at(fault_build, 'drift')}  snippets/faults/hello.py"
    assert f"{where}: printed something other than its record" in report
    assert "mean: 2.3433333333333333 -> 2.3333333333333335" in report
    assert "re-record on purpose: python -m coursebuild record snippets/faults/hello.py" in report


def test_exception_time_and_memory_limits(fault_build, report):
    assert f"{at(fault_build, 'raises')}  snippets/faults/raises.py: raised an exception" in report
    assert 'File "snippets/faults/raises.py", line 3' in report
    assert "ValueError: bad x" in report
    slow = f"{at(fault_build, 'slow')}  snippets/faults/slow.py: ran past its time limit of 1 s"
    assert slow in report
    hungry = "snippets/faults/hungry.py: ran out of its memory limit of 200M"
    assert f"{at(fault_build, 'hungry')}  {hungry}" in report


def test_missing_snippet_and_missing_record(fault_build, report):
    assert f"{at(fault_build, 'missing', 1)}  included file 'faults/nowhere.py' does not exist" in (
        report
    )
    assert (
        f"{at(fault_build, 'unrecorded')}  snippets/faults/unrecorded.py: has no record" in report
    )


def test_fence_typos(fault_build, report):
    assert f"{at(fault_build, 'typo')}  source='abve' is not one of" in report
    assert f"{at(fault_build, 'unknown')}  unknown fence option exce='on'" in report


def test_tex_bindings_typed_numbers_links_and_quiz(fault_build, report):
    assert f"{at(fault_build, 'tex')}  invalid TeX: " in report
    assert f"{at(fault_build, 'binding')}  bound prints no value named 'median'" in report
    assert f"{at(fault_build, 'typed')}  typed number '2.333'" in report
    assert f"{at(fault_build, 'link')}  broken link 'no-such-page.md'" in report
    anchor = "broken link 'second-chapter.md#no-such-part': second-chapter.md has no anchor"
    assert f"{at(fault_build, 'anchor')}  {anchor}" in report
    quiz = f"{at(fault_build, 'quiz')}  snippets/faults/quiz.yml:"
    assert quiz in report
    assert "exactly one option with 'correct: true' (found 2)" in report


def test_snippets_cannot_change_the_tree(fault_build, report):
    own = "snippets/faults/own_record.py: tried to change the project tree: write "
    assert f"{at(fault_build, 'own_record')}  {own}snippets/faults/own_record.out" in report
    writer = (
        "snippets/faults/page_writer.py: tried to change the project tree: write docs/faults.md, "
        "remove snippets/faults/hello.py, rename snippets/faults/raises.py"
    )
    assert f"{at(fault_build, 'page_writer')}  {writer}" in report
    changed = {
        name
        for name in fault_build.after
        if fault_build.after[name] != fault_build.before.get(name)
    }
    assert changed == set(), "records, pages and snippets stay byte-identical"
    assert fault_build.after.keys() == fault_build.before.keys()


def test_lab_only_failures_fail_fast_and_leave_no_process(fault_build, report):
    limit = "its notebook cell ran past its time limit of 2 s"
    hang = f"lab-hang-lab.ipynb  snippets/lab_hang/waits.py: {limit}"
    assert hang in report
    assert "lab-write-lab.ipynb  snippets/lab_write/writes.py: its notebook cell raised:" in report
    assert "refused: a snippet may not change the project tree (write docs/index.md)" in report
    assert "\x1b[" not in report, "kernel tracebacks arrive as plain text"
    scratch = str(fault_build.scratch)
    left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cwd(pid).startswith(scratch)]
    assert left == [], "no kernel is left running"


def _cwd(pid: str) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def test_labs_are_not_run_for_failing_snippets(fault_build, report):
    assert f"{PAGE.removesuffix('.md')}-lab" not in report, "the faults page says lab: false"
    assert not (fault_build.site / "faults-lab.html").exists()


def test_the_console_shows_only_mkdocs_lines_and_the_report(fault_build):
    output = fault_build.build.output
    assert "without encryption" not in output
    head = output.split(REPORT_HEAD, 1)[0].rsplit("\n", 2)[0]
    strays = [line for line in head.splitlines() if not re.match(r"(INFO|WARNING)\s+-  ", line)]
    assert strays == [], strays


def test_a_second_chapter_needs_no_change_to_the_package(fault_build, report):
    site = fault_build.site
    assert f"\n{CHAPTER}" not in report, "the healthy chapter has no problem"
    assert "second-chapter-lab" not in report, "nor has its lab"
    page = (site / "second-chapter.html").read_text(encoding="utf-8")
    assert "It has 3 rows; the sum is 450." in page
    assert page.count('class="quiz"') >= 3, "its three-question quiz is on the page"
    lab = (site / "second-chapter-lab.html").read_text(encoding="utf-8")
    assert "Second chapter lab" in lab
    assert "first latency: 120" in lab, "the lab executed its lessons"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "second-chapter-lab.html" in home, "the lab is in the navigation after its chapter"
    bundle = zipfile.ZipFile(io.BytesIO((site / "second-chapter-lab.zip").read_bytes()))
    names = set(bundle.namelist())
    assert "second-chapter-lab/table.csv" in names, "a data file a snippet reads reaches the lab"
    assert "second-chapter-lab/tally.py" in names
    notebook = json.loads(bundle.read("second-chapter-lab/second-chapter-lab.ipynb"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert any("check_answers('exercise_mean', globals())" in source for source in sources)
    assert not any("150.0" in source for source in sources), "the answer is not in any cell"


def test_every_generated_file_is_in_the_site(fault_build):
    names = {path.name for path in Path(fault_build.site).iterdir()}
    assert {"second-chapter-lab.html", "second-chapter-lab.zip", "lab-hang-lab.html"} <= names
