"""Every failure mode of the build check, each proven on a temporary copy of the project."""

from __future__ import annotations

import pytest

from coursebuild.page.source import executed_snippets
from tests.project_copy import (
    ROOT,
    add_snippet,
    append_page,
    copy_project,
    exec_fence,
    fetch_when_ready,
    mkdocs_build,
    run_module,
    serving,
    snapshot,
)

PAGE = "checks.md"
HELLO = "checks/hello.py"
HELLO_CODE = "# Prints a mean.\nprint('mean:', (1 + 2 + 4) / 3)\n"


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One copy with six kinds of problem; built once, asserted on by several tests."""
    project = copy_project(tmp_path_factory.mktemp("broken"))
    add_snippet(project, HELLO, HELLO_CODE, "mean: 2.3433333333333333\n")
    raising = add_snippet(
        project, "checks/raises.py", "# Raises.\nx = 1\nraise ValueError('bad x')\n", "x\n"
    )
    slow = add_snippet(
        project, "checks/slow.py", "# runner: timeout=1\nimport time\ntime.sleep(30)\n", ""
    )
    unrecorded = add_snippet(project, "checks/unrecorded.py", "print('new output')\n")
    lines = {
        "drift": append_page(project, PAGE, exec_fence(HELLO)),
        "raises": append_page(project, PAGE, exec_fence(raising)),
        "slow": append_page(project, PAGE, exec_fence(slow)),
        "missing": append_page(project, PAGE, exec_fence("checks/nowhere.py")),
        "unrecorded": append_page(project, PAGE, exec_fence(unrecorded)),
        "typo": append_page(
            project, PAGE, exec_fence(HELLO, 'exec="on" source="abve" result="text"')
        ),
        "unknown": append_page(project, PAGE, exec_fence(HELLO, 'exce="on" source="above"')),
    }
    before = snapshot(project / "snippets")
    build = mkdocs_build(project)
    return project, build, {k: v + 1 for k, v in lines.items()}, before


def test_broken_build_exits_non_zero(broken):
    _, build, _, _ = broken
    assert build.returncode != 0, build.output


def test_drift_names_page_line_snippet_and_moved_number(broken):
    _, build, lines, _ = broken
    where = f"{PAGE}:{lines['drift']}  snippets/checks/hello.py"
    assert f"{where}: printed something other than its record" in build.output
    assert "mean: 2.3433333333333333 -> 2.3333333333333335" in build.output
    fix = "re-record on purpose: python -m coursebuild record snippets/checks/hello.py"
    assert fix in build.output


def test_exception_shows_traceback_with_page_and_line(broken):
    _, build, lines, _ = broken
    assert f"{PAGE}:{lines['raises']}  snippets/checks/raises.py: raised an exception" in (
        build.output
    )
    assert 'File "snippets/checks/raises.py", line 3' in build.output
    assert "ValueError: bad x" in build.output


def test_time_limit(broken):
    _, build, lines, _ = broken
    assert f"{PAGE}:{lines['slow']}  snippets/checks/slow.py: ran past its time limit of 1 s" in (
        build.output
    )


def test_missing_snippet(broken):
    _, build, lines, _ = broken
    where = f"{PAGE}:{lines['missing'] + 1}"
    assert f"{where}  included file 'checks/nowhere.py' does not exist" in build.output


def test_missing_record(broken):
    _, build, lines, _ = broken
    assert f"{PAGE}:{lines['unrecorded']}  snippets/checks/unrecorded.py: has no record" in (
        build.output
    )


def test_malformed_fences(broken):
    _, build, lines, _ = broken
    assert f"{PAGE}:{lines['typo']}  source='abve' is not one of" in build.output
    assert f"{PAGE}:{lines['unknown']}  unknown fence option exce='on'" in build.output


def test_problems_are_reported_once_at_the_end(broken):
    _, build, _, _ = broken
    assert build.output.count("problem(s) found by the build check:") == 1
    summary = build.output.split("problem(s) found by the build check:", 1)[1]
    assert summary.count("unrecorded.py: has no record") == 1


def test_a_failing_build_writes_no_record(broken):
    project, _, _, before = broken
    assert snapshot(project / "snippets") == before


def test_leaking_snippet_does_not_change_another(tmp_path):
    project = copy_project(tmp_path)
    leak = (
        "# Leaks every kind of global state it can.\n"
        "import os, sys\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
        "np.set_printoptions(precision=1)\nnp.random.seed(123)\n"
        "plt.rcParams['lines.linewidth'] = 9\nplt.figure()\nos.chdir('/')\n"
        "sys.modules['injected'] = object()\nprint('leaked')\n"
    )
    victim = (
        "# Reads the state the other snippet touched.\n"
        "import os, sys\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
        "print(np.array([1 / 3]), np.random.rand())\n"
        "print(plt.rcParams['lines.linewidth'], len(plt.get_fignums()))\n"
        "print(os.path.basename(os.getcwd()), 'injected' in sys.modules)\n"
    )
    add_snippet(project, "checks/leak.py", leak, "leaked\n")
    add_snippet(project, "checks/victim.py", victim)
    append_page(project, PAGE, exec_fence("checks/victim.py"))
    assert run_module(project, "coursebuild", "record", "snippets/checks/victim.py").returncode == 0
    append_page(project, PAGE, exec_fence("checks/leak.py") + exec_fence("checks/victim.py"))
    build = mkdocs_build(project)
    assert build.returncode == 0, build.output
    assert "[0.33333333]" in (project / "snippets/checks/victim.out").read_text()


def test_record_command_changes_exactly_the_drifted_record(tmp_path):
    project = copy_project(tmp_path)
    first = next(iter(executed_snippets(ROOT))).relative_to(ROOT)
    record = (project / first).with_suffix(".out")
    good = record.read_text()
    record.write_text("an out-of-date record\n")
    before = snapshot(project)
    done = run_module(project, "coursebuild", "record")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"re-recorded: {first.with_suffix('.out').as_posix()}" in done.stdout
    after = snapshot(project)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {first.with_suffix(".out").as_posix()}
    assert record.read_text() == good
    assert mkdocs_build(project).returncode == 0


def test_serve_keeps_running_and_shows_the_drift(tmp_path):
    project = copy_project(tmp_path)
    add_snippet(project, HELLO, HELLO_CODE, "mean: 2.3433333333333333\n")
    append_page(project, PAGE, exec_fence(HELLO))
    with serving(project) as (url, log):
        page = fetch_when_ready(url + "checks.html")
        assert "snippet-problem" in page
        assert "2.34" in page
        assert "-&gt; 2.33" in page
    assert "ERROR" in log()
    assert "hello.py: printed something other" in log()
