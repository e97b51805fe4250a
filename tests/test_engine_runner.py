"""The runner, in-process on temporary roots: environment, capture, isolation, limits, safety."""

from __future__ import annotations

import pytest

from coursebuild import cli
from coursebuild.engine import Runner, WorkerProcess, limits_of, project_imports
from coursebuild.engine.limits import LimitError, limits_from_text
from coursebuild.engine.records import moved_numbers
from tests.projects import exec_fence, snapshot, write_files

ENVIRONMENT = """# Prints the environment a snippet sees.
import os, sys
import matplotlib
from threadpoolctl import threadpool_info
print("COLUMNS:", os.environ["COLUMNS"])
print("backend:", matplotlib.get_backend())
print("hash seed:", os.environ["PYTHONHASHSEED"], hash("access"))
print("blas threads:", sorted({pool["num_threads"] for pool in threadpool_info()}))
print("cwd:", os.path.basename(os.getcwd()))
print("argv:", [os.path.basename(a) for a in sys.argv])
"""
CAPTURE = """# Writes to stdout in every way a library might.
import os, sys
import chatty
sys.stdout.write("raw write\\n")
sys.stdout.flush()
os.write(1, b"file descriptor write\\n")
print("plain print")
"""
LEAK = """# Leaks every kind of global state it can.
import os, sys
import numpy as np
import matplotlib.pyplot as plt
np.set_printoptions(precision=1)
np.random.seed(123)
plt.rcParams['lines.linewidth'] = 9
plt.figure()
os.chdir('/')
sys.modules['injected'] = object()
print('leaked')
"""
VICTIM = """# Reads the state the other snippet touched.
import os, sys
import numpy as np
import matplotlib.pyplot as plt
print(np.array([1 / 3]), np.random.rand())
print(plt.rcParams['lines.linewidth'], len(plt.get_fignums()))
print(os.path.basename(os.getcwd()), 'injected' in sys.modules)
"""


@pytest.fixture
def scratch(tmp_path, worker):
    """A project root for throw-away snippets, and a runner on it (no cache)."""
    runner = Runner(tmp_path, worker=worker)
    yield tmp_path, runner
    runner.close()


def write(folder, name, code):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code, encoding="utf-8")
    return path


def test_every_run_gets_the_fixed_environment(scratch, tmp_path_factory):
    folder, runner = scratch
    out = runner.check(write(folder, "env_probe.py", ENVIRONMENT)).stdout
    assert "COLUMNS: 80\n" in out
    assert "backend: agg\n" in out.lower()
    assert "blas threads: [1]\n" in out
    assert f"cwd: {folder.name}\n" in out
    assert "argv: ['env_probe.py']\n" in out
    again = Runner(folder, jobs=1)  # a new worker process of its own: same hash, same output
    try:
        assert again.check(folder / "env_probe.py").stdout == out
    finally:
        again.close()


def test_prints_from_imported_modules_and_raw_writes_are_captured(scratch):
    folder, runner = scratch
    write(folder, "chatty.py", "print('imported module speaks')\n")
    outcome = runner.check(write(folder, "capture.py", CAPTURE))
    assert outcome.stdout.splitlines() == [
        "imported module speaks",
        "raw write",
        "file descriptor write",
        "plain print",
    ]


def test_warnings_on_stderr_are_a_problem(scratch):
    folder, runner = scratch
    code = "import warnings\nwarnings.warn('deprecated thing')\nprint('ok')\n"
    outcome = runner.check(write(folder, "warns.py", code))
    assert outcome.problem == "wrote to stderr (a warning?)"
    assert "deprecated thing" in outcome.report()


def test_sys_exit_with_error_code_is_an_error(scratch):
    folder, runner = scratch
    outcome = runner.check(write(folder, "exits.py", "import sys\nprint('a')\nsys.exit(3)\n"))
    assert outcome.status == "error"
    assert "sys.exit(3)" in outcome.stderr


def test_exception_shows_the_snippets_traceback(scratch):
    folder, runner = scratch
    outcome = runner.check(
        write(folder, "snippets/x/raises.py", "x = 1\nraise ValueError('bad x')\n")
    )
    assert outcome.problem == "raised an exception"
    assert 'File "snippets/x/raises.py", line 2' in outcome.report()
    assert "ValueError: bad x" in outcome.report()
    assert "runpy" not in outcome.stderr
    assert "worker.py" not in outcome.stderr


def test_time_limit_from_header_comment(scratch):
    folder, runner = scratch
    snippet = write(folder, "slow.py", "# runner: timeout=0.5\nimport time\ntime.sleep(20)\n")
    assert limits_of(snippet).timeout == 0.5
    outcome = runner.check(snippet)
    assert outcome.status == "timeout"
    assert outcome.problem == "ran past its time limit of 0.5 s"
    assert "# runner: timeout=SECONDS" in outcome.report()


def test_memory_limit_fails_the_snippet_and_says_so(scratch):
    folder, runner = scratch
    code = "# runner: memory=200M\nimport numpy as np\nhuge = np.ones(10**9)\n"
    outcome = runner.check(write(folder, "hungry.py", code))
    assert outcome.status == "memory"
    assert outcome.problem == "ran out of its memory limit of 200M"
    assert "# runner: memory=SIZE" in outcome.report()
    assert runner.check(write(folder, "fine.py", "print('fine')\n")).stdout == "fine\n"


def test_runner_settings_are_read_and_checked():
    assert limits_from_text("# runner: timeout=120 memory=6G\n").timeout == 120
    assert limits_from_text("# runner: memory=512M\n").memory == 512 << 20
    assert limits_from_text("print()\n").memory == 4 << 30
    with pytest.raises(LimitError, match="cannot read runner setting 'memory=lots'") as error:
        limits_from_text("# A snippet.\n# runner: memory=lots\n")
    assert error.value.line == 2


def test_an_unreadable_setting_fails_the_snippet_with_its_line(scratch):
    folder, runner = scratch
    outcome = runner.check(write(folder, "bad.py", "# runner: timeot=3\nprint(1)\n"))
    assert outcome.status == "invalid"
    assert "line 1: cannot read runner setting 'timeot=3'" in outcome.report()


def test_snippets_run_concurrently(scratch):
    folder, runner = scratch
    code = "import time\nstart = time.time()\ntime.sleep(1)\nprint(start, time.time())\n"
    sleepers = [write(folder, f"nap{i}.py", code) for i in range(2)]
    outcomes = [future.result() for future in [runner.submit(path) for path in sleepers]]
    assert all(o.status == "ok" for o in outcomes)
    (start_a, end_a), (start_b, end_b) = (map(float, o.stdout.split()) for o in outcomes)
    assert start_a < end_b, "the two runs did not overlap"
    assert start_b < end_a, "the two runs did not overlap"


def test_a_leaking_snippet_does_not_change_another(scratch):
    folder, runner = scratch
    victim = write(folder, "victim.py", VICTIM)
    alone = runner.check(victim).stdout
    runner.forget()
    leaked = runner.check(write(folder, "leak.py", LEAK))
    assert leaked.stdout == "leaked\n"
    runner.forget()
    assert runner.check(victim).stdout == alone
    assert "[0.33333333]" in alone


def test_the_project_tree_is_protected_while_snippets_run(scratch):
    folder, runner = scratch
    files = {
        "docs/page.md": "# Page\n",
        "snippets/x/own.out": "done\n",
        "snippets/x/own.py": (
            "with open('own.out', 'a') as out:\n    out.write('x')\nprint('done')\n"
        ),
        "snippets/x/page.py": "open('../../docs/page.md', 'w').write('gone')\n",
        "snippets/x/catches.py": (
            "import os, shutil, tempfile\nfrom pathlib import Path\n"
            "for act in (lambda: os.remove('own.py'), lambda: os.rename('own.py', 'b.py'),\n"
            "            lambda: Path('new.txt').touch(), lambda: shutil.rmtree('../x'),\n"
            "            lambda: os.truncate('own.out', 0), lambda: os.chmod('own.py', 0o777)):\n"
            "    try:\n        act()\n    except PermissionError:\n        pass\n"
            "with tempfile.TemporaryDirectory() as scratch:\n"
            "    Path(scratch, 'ok.txt').write_text('fine')\n    print('temporary:', 'fine')\n"
        ),
    }
    write_files(folder, files)
    before = snapshot(folder)
    own = runner.check(folder / "snippets/x/own.py")
    assert own.problem == "tried to change the project tree: write snippets/x/own.out"
    assert own.name == "snippets/x/own.py"
    page = runner.check(folder / "snippets/x/page.py")
    assert page.problem == "tried to change the project tree: write docs/page.md"
    assert "refused: a snippet may not change the project tree" in page.report()
    caught = runner.check(folder / "snippets/x/catches.py")
    assert caught.status == "refused", "catching the refusal does not hide it"
    assert caught.refused == [
        "remove snippets/x/own.py",
        "rename snippets/x/own.py",
        "utime snippets/x/new.txt",  # pathlib's touch swallows this refusal, then writes
        "write snippets/x/new.txt",
        "rmtree snippets/x",
        "truncate snippets/x/own.out",
        "chmod snippets/x/own.py",
    ]
    assert caught.stdout == "temporary: fine\n", "a temporary folder stays writable"
    assert snapshot(folder) == before, "every file of the project is byte-identical"


def test_reads_of_project_files_are_observed(scratch):
    folder, runner = scratch
    write_files(
        folder,
        {
            "snippets/c/helper.py": "VALUE = 41\n",
            "snippets/c/table.csv": "1,2\n",
            "snippets/c/reads.py": (
                "import helper\nfrom pathlib import Path\n"
                "print(helper.VALUE, Path('table.csv').read_text().strip(),\n"
                "      sorted(p.name for p in Path('.').glob('*.csv')))\n"
            ),
        },
    )
    outcome = runner.check(folder / "snippets/c/reads.py")
    assert outcome.stdout == "41 1,2 ['table.csv']\n"
    assert set(outcome.reads) == {
        "snippets/c/reads.py",
        "snippets/c/helper.py",
        "snippets/c/table.csv",
        "snippets/c",
    }
    assert outcome.reads["snippets/c"].startswith("dir:"), "a listing is a dependency too"


def test_moved_numbers_pairs_changed_lines():
    old = ["validation AUC: 0.812\n", "pairs: 16\n"]
    new = ["validation AUC: 0.813\n", "pairs: 16\n"]
    assert moved_numbers(old, new) == ["validation AUC: 0.812 -> 0.813"]
    assert moved_numbers(["a: 1\n"], ["b: 2\n"]) == []


def test_drift_names_the_moved_number_and_the_fix(scratch):
    folder, runner = scratch
    write_files(
        folder,
        {
            "snippets/c/hello.py": "print('mean:', (1 + 2 + 4) / 3)\n",
            "snippets/c/hello.out": "mean: 2.3433333333333333\n",
        },
    )
    report = runner.check(folder / "snippets/c/hello.py").report()
    assert "snippets/c/hello.py: printed something other than its record" in report
    assert "mean: 2.3433333333333333 -> 2.3333333333333335" in report
    assert "--- snippets/c/hello.out (recorded)" in report
    assert "re-record on purpose: python -m coursebuild record snippets/c/hello.py" in report


def test_record_refuses_a_path_no_page_executes(tmp_path, capsys):
    assert cli.main(["--root", str(tmp_path), "record", str(tmp_path / "nothing.py")]) == 2
    assert "no page executes a snippet at this path" in capsys.readouterr().err


def test_record_command_changes_exactly_the_drifted_record(
    tmp_path, capsys, cli_on_the_shared_worker
):
    write_files(
        tmp_path,
        {
            "docs/page.md": exec_fence("c/a.py") + exec_fence("c/b.py"),
            "snippets/c/a.py": "print('a: 1')\n",
            "snippets/c/a.out": "an out-of-date record\n",
            "snippets/c/b.py": "print('b: 2')\n",
            "snippets/c/b.out": "b: 2\n",
        },
    )
    before = snapshot(tmp_path)
    assert cli.main(["--root", str(tmp_path), "record"]) == 0
    assert "re-recorded: snippets/c/a.out" in capsys.readouterr().out
    after = snapshot(tmp_path)
    assert {name for name in after if after[name] != before.get(name)} == {"snippets/c/a.out"}
    assert (tmp_path / "snippets/c/a.out").read_text() == "a: 1\n"
    assert cli.main(["--root", str(tmp_path), "check"]) == 0, "the project checks clean now"


def test_the_warm_up_is_what_the_project_imports_at_module_level(tmp_path):
    write_files(
        tmp_path,
        {
            "snippets/chapter/fit.py": (
                "import json\nimport numpy as np\n"
                "import helpers\nfrom chapter.data import rows\nfrom . import nothing\n"
                "if True:\n    import matplotlib.pyplot as plt\n"
                "def show():\n    from IPython.display import display\n"
                "class Plot:\n    import threadpoolctl\n"
            ),
            "snippets/chapter/data.py": (
                "rows = []\ntry:\n    import not_installed_anywhere\n"
                "except ImportError:\n    from sklearn.metrics import roc_auc_score\n"
            ),
            "snippets/helpers.py": "import numpy.typing\n",
            "snippets/chapter/broken.py": "import scipy\ndef (:\n",
        },
    )
    assert project_imports(tmp_path) == [
        "matplotlib.pyplot",
        "numpy",
        "numpy.typing",
        "sklearn.metrics",
    ]
    assert project_imports(tmp_path / "no-such-project") == []


def test_a_worker_warmed_with_a_missing_module_still_runs_snippets(tmp_path):
    write(tmp_path, "hello.py", "import json\nprint(json.dumps([1, 2]))\n")
    worker = WorkerProcess(jobs=1, warm=["not_installed_anywhere", "json"])
    try:
        outcome = Runner(tmp_path, worker=worker).check(tmp_path / "hello.py")
    finally:
        worker.close()
    assert outcome.status == "ok", outcome.report()
    assert outcome.stdout == "[1, 2]\n"
