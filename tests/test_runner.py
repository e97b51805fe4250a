"""The runner itself: fixed environment, full capture, isolation, time limits, reports."""

from __future__ import annotations

import pytest

from coursebuild import cli
from coursebuild.engine import Runner, limits_of
from coursebuild.engine.records import moved_numbers

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


@pytest.fixture
def scratch(tmp_path):
    """A folder for throw-away snippets, and a fresh runner."""
    fresh = Runner(tmp_path, jobs=2)
    yield tmp_path, fresh
    fresh.close()


def write(folder, name, code):
    path = folder / name
    path.write_text(code, encoding="utf-8")
    return path


def test_every_run_gets_the_fixed_environment(scratch):
    folder, fresh = scratch
    out = fresh.check(write(folder, "env_probe.py", ENVIRONMENT)).stdout
    assert "COLUMNS: 80\n" in out
    assert "backend: agg\n" in out.lower()
    assert "blas threads: [1]\n" in out
    assert f"cwd: {folder.name}\n" in out
    assert "argv: ['env_probe.py']\n" in out
    again = Runner(folder, jobs=1)
    try:
        assert again.check(folder / "env_probe.py").stdout == out  # same hash in a new worker
    finally:
        again.close()


def test_prints_from_imported_modules_and_raw_writes_are_captured(scratch):
    folder, fresh = scratch
    write(folder, "chatty.py", "print('imported module speaks')\n")
    outcome = fresh.check(write(folder, "capture.py", CAPTURE))
    assert outcome.stdout.splitlines() == [
        "imported module speaks",
        "raw write",
        "file descriptor write",
        "plain print",
    ]


def test_warnings_on_stderr_are_a_problem(scratch):
    folder, fresh = scratch
    code = "import warnings\nwarnings.warn('deprecated thing')\nprint('ok')\n"
    outcome = fresh.check(write(folder, "warns.py", code))
    assert outcome.problem == "wrote to stderr (a warning?)"
    assert "deprecated thing" in outcome.report()


def test_sys_exit_with_error_code_is_an_error(scratch):
    folder, fresh = scratch
    outcome = fresh.check(write(folder, "exits.py", "import sys\nprint('a')\nsys.exit(3)\n"))
    assert outcome.status == "error"
    assert "sys.exit(3)" in outcome.stderr


def test_time_limit_from_header_comment(scratch):
    folder, fresh = scratch
    snippet = write(folder, "slow.py", "# runner: timeout=0.5\nimport time\ntime.sleep(20)\n")
    assert limits_of(snippet).timeout == 0.5
    outcome = fresh.check(snippet)
    assert outcome.status == "timeout"
    assert outcome.seconds < 10


def test_snippets_run_concurrently(scratch):
    folder, fresh = scratch
    sleepers = [write(folder, f"nap{i}.py", "import time\ntime.sleep(1)\n") for i in range(2)]
    futures = [fresh.submit(path) for path in sleepers]
    outcomes = [future.result() for future in futures]
    assert all(o.status == "ok" for o in outcomes)
    assert max(o.seconds for o in outcomes) < 1.9


def test_moved_numbers_pairs_changed_lines():
    old = ["validation AUC: 0.812\n", "pairs: 16\n"]
    new = ["validation AUC: 0.813\n", "pairs: 16\n"]
    assert moved_numbers(old, new) == ["validation AUC: 0.812 -> 0.813"]
    assert moved_numbers(["a: 1\n"], ["b: 2\n"]) == []


def test_record_refuses_a_path_no_page_executes(tmp_path, capsys):
    assert cli.main(["record", str(tmp_path / "nothing.py")]) == 2
    assert "no page executes a snippet at this path" in capsys.readouterr().err
