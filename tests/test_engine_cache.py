"""The run cache: each part of the key, damage, concurrency, replay, and the lab's key."""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from coursebuild import cli
from coursebuild.engine import ContentStore, RunCache, Runner, project_store
from coursebuild.engine.cache import MODE_ENV
from coursebuild.engine.environment import ENGINE_FOLDER, fingerprint, installed_distributions
from coursebuild.engine.runner import project_cache
from coursebuild.lab.execute import lab_key
from coursebuild.lab.notebook import LabSpec, Sources, build_notebook
from tests.projects import exec_fence, write_files

FILES = {
    "snippets/c/model.py": "SLOPE = 2\n",
    "snippets/c/table.csv": "1\n2\n3\n",
    "snippets/c/uses_model.py": "from model import SLOPE\nprint('slope:', SLOPE)\n",
    "snippets/c/uses_table.py": (
        "from pathlib import Path\nprint('rows:', len(open('table.csv').read().split()))\n"
    ),
    "snippets/c/plain.py": "print('plain: 1')\n",
    "snippets/c/figure.py": (
        "import os\nfrom pathlib import Path\n"
        "Path(os.environ['COURSE_ARTIFACT_DIR'], 'f.svg').write_bytes(b'<svg/>')\nprint('drawn')\n"
    ),
}
NAMES = ("uses_model", "uses_table", "plain", "figure")


@pytest.fixture
def project(tmp_path):
    write_files(tmp_path, FILES)
    return tmp_path


def runner_for(root, worker, key: str | None = None, **parts) -> Runner:
    """A runner with a cache in ``root``, under a fingerprint built from ``parts``."""
    store = ContentStore(root / ".cache" / "runs")
    return Runner(root, cache=RunCache(store, key or fingerprint(**parts)), worker=worker)


def run_all(runner: Runner) -> set[str]:
    """Run every snippet once (a new build); return the names that really ran."""
    runner.forget()
    outcomes = {n: runner.check(runner.snippets / f"c/{n}.py") for n in NAMES}
    return {name for name, outcome in outcomes.items() if not outcome.replayed}


def test_an_unchanged_project_replays_everything(project, worker):
    runner = runner_for(project, worker)
    assert run_all(runner) == set(NAMES)
    assert run_all(runner) == set()
    assert (runner.ran, runner.replayed) == (0, len(NAMES))


def test_each_part_of_the_key_reruns_exactly_what_it_affects(project, worker):
    runner = runner_for(project, worker)
    run_all(runner)
    (project / "snippets/c/plain.py").write_text("print('plain: 2')\n")
    assert run_all(runner) == {"plain"}, "an edited snippet re-runs alone"
    (project / "snippets/c/model.py").write_text("SLOPE = 3\n")
    assert run_all(runner) == {"uses_model"}, "an edited module re-runs the snippets importing it"
    (project / "snippets/c/table.csv").write_text("1\n2\n")
    assert run_all(runner) == {"uses_table"}, "an edited data file re-runs its reader"
    assert run_all(runner) == set()


def test_another_library_version_or_engine_reruns_everything(project, worker, tmp_path_factory):
    installed = installed_distributions()
    assert run_all(runner_for(project, worker, distributions=installed)) == set(NAMES)
    assert run_all(runner_for(project, worker, distributions=installed)) == set()
    upgraded = [*installed[:-1], installed[-1] + "0"]
    assert run_all(runner_for(project, worker, distributions=upgraded)) == set(NAMES)
    engine = tmp_path_factory.mktemp("engine")
    shutil.copytree(ENGINE_FOLDER, engine, dirs_exist_ok=True)
    (engine / "runner.py").write_text((engine / "runner.py").read_text() + "# changed\n")
    changed = runner_for(project, worker, distributions=installed, engine=engine)
    assert run_all(changed) == set(NAMES)


def test_a_replay_is_byte_identical_and_still_compared_with_the_record(project, worker):
    runner = runner_for(project, worker)
    fresh = runner.check(project / "snippets/c/figure.py")
    (project / "snippets/c/figure.out").write_text("drawn\n")
    runner.forget()
    replay = runner.check(project / "snippets/c/figure.py")
    assert replay.replayed
    assert not fresh.replayed
    for field in ("status", "stdout", "stderr", "artifacts"):
        assert getattr(replay, field) == getattr(fresh, field), field
    assert replay.artifacts == {"f.svg": b"<svg/>"}
    assert replay.problem is None
    (project / "snippets/c/figure.out").write_text("drawn by hand\n")
    runner.forget()
    edited = runner.check(project / "snippets/c/figure.py")
    assert edited.replayed
    assert edited.problem == "printed something other than its record"


def test_damaged_or_foreign_entries_are_misses_never_errors(project, worker):
    runner = runner_for(project, worker)
    run_all(runner)
    store, cache = runner.cache.store, runner.cache

    def entry(name: str) -> dict:
        code = (project / f"snippets/c/{name}.py").read_bytes()
        return store.entries("runs", cache.key(f"snippets/c/{name}.py", code))[0]

    blob = store._blob  # the file of a stored blob
    figure = json.loads(store.get(entry("figure")["result"]))
    blob(figure["artifacts"]["f.svg"]).unlink()  # a missing figure file
    plain = blob(entry("plain")["result"])
    plain.write_bytes(plain.read_bytes()[:20])  # a truncated entry
    code = (project / "snippets/c/uses_model.py").read_bytes()
    store._index("runs", cache.key("snippets/c/uses_model.py", code)).write_text("{not json")
    assert run_all(runner) == {"figure", "plain", "uses_model"}
    assert run_all(runner) == set(), "the damaged entries were replaced"
    foreign = runner_for(project, worker, key="another engine version")
    assert run_all(foreign) == set(NAMES)


def test_concurrent_writers_never_corrupt_the_cache(project, worker):
    store = ContentStore(project / ".cache" / "runs")
    cache = RunCache(store, "concurrency")
    reply = {"status": "ok", "stdout": "x\n", "stderr": "", "seconds": 0.1, "artifacts": {}}
    from coursebuild.engine import FileDigests

    files = FileDigests(project)
    errors: list[BaseException] = []

    def hammer(number: int) -> None:
        try:
            for _ in range(30):
                reads = {"snippets/c/model.py": files.current("snippets/c/model.py", "")}
                cache.store_run("snippets/c/x.py", b"code", {**reply, "reads": reads}, files)
                found = cache.lookup("snippets/c/x.py", b"code", files)
                assert found is None or found["stdout"] == "x\n"
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.lookup("snippets/c/x.py", b"code", files)["stdout"] == "x\n"
    assert not list((project / ".cache/runs").rglob(".tmp-*")), "no half-written file remains"


def test_record_runs_fresh_and_the_switch_bypasses_the_cache(
    project, monkeypatch, capsys, cli_on_the_shared_worker
):
    write_files(project, {"docs/page.md": exec_fence("c/plain.py")})
    cache = project_cache(project)
    poisoned = {
        "status": "ok",
        "stdout": "plain: poisoned\n",
        "stderr": "",
        "seconds": 0.0,
        "artifacts": {},
        "reads": {},
    }
    code = (project / "snippets/c/plain.py").read_bytes()
    assert cache.store_run("snippets/c/plain.py", code, poisoned, Runner(project).files)
    assert cli.main(["--root", str(project), "check"]) == 1, "check replays the poisoned entry"
    assert "plain: poisoned" in capsys.readouterr().out
    assert cli.main(["--root", str(project), "record"]) == 0
    assert (project / "snippets/c/plain.out").read_text() == "plain: 1\n", "record ran fresh"
    monkeypatch.setenv(MODE_ENV, "off")
    assert project_cache(project).lookup("snippets/c/plain.py", code, Runner(project).files) is None


def test_the_cache_has_a_size_bound(project, worker):
    runner = runner_for(project, worker)
    run_all(runner)
    store = runner.cache.store
    assert store.size() > 0
    assert store.prune(max_bytes=1) > 0
    assert store.size() < 1000
    assert run_all(runner), "a pruned cache is only a miss"


def lab_sources(page: str, code: str) -> Sources:
    spec = LabSpec("chapter.md", "Chapter", "chapter", "Course")
    return Sources(spec, page, {"chapter/a.py": code}, {"chapter/a.py": "1\n"}, {})


def test_the_lab_key_ignores_prose_and_follows_code_and_files():
    page = f"# Chapter\n\n## Part\n\nSome prose.\n\n{exec_fence('chapter/a.py')}"
    base, _, _ = build_notebook(lab_sources(page, "print(1)\n"))
    edited = page.replace("Some prose.", "Other words.")
    prose, _, _ = build_notebook(lab_sources(edited, "print(1)\n"))
    code, _, _ = build_notebook(lab_sources(page, "print(2)\n"))
    files = {"model.py": "digest-1"}
    key = lab_key(base, files)
    assert lab_key(prose, files) == key, "a prose edit does not re-run the kernel"
    assert lab_key(code, files) != key, "a snippet edit does"
    assert lab_key(base, {"model.py": "digest-2"}) != key, "so does a file the lab carries"


def test_stored_values_follow_the_cache_mode(tmp_path):
    store = ContentStore(tmp_path / "cache")
    RunCache(store, "env", mode="off").keep("labs", b"off", "k")
    assert RunCache(store, "env", mode="on").recall("labs", "k") is None, "off writes nothing"
    RunCache(store, "env", mode="refresh").keep("labs", b"fresh", "k")
    assert RunCache(store, "env", mode="refresh").recall("labs", "k") is None, "refresh never reads"
    assert RunCache(store, "env", mode="on").recall("labs", "k") == b"fresh"
    assert RunCache(store, "env", mode="off").recall("labs", "k") is None, "off never reads"


def test_a_stored_value_is_kept_under_the_environment_and_its_exact_parts(tmp_path):
    store = ContentStore(tmp_path / "cache")
    RunCache(store, "env").keep("weight", b"light page", "ab", b"c")
    assert RunCache(store, "env").recall("weight", "ab", b"c") == b"light page"
    assert RunCache(store, "another env").recall("weight", "ab", b"c") is None, "a new library"
    assert RunCache(store, "env").recall("weight", "a", b"bc") is None, "parts do not run together"
    assert RunCache(store, "env").recall("labs", "ab", b"c") is None, "kinds stay apart"


def test_the_cache_command_shows_prunes_and_clears(tmp_path, capsys):
    store = project_store(tmp_path)
    store.put_value("labs", "k", b"x" * 4096)
    assert cli.main(["--root", str(tmp_path), "cache"]) == 0
    assert "MiB" in capsys.readouterr().out
    assert cli.main(["--root", str(tmp_path), "cache", "prune"]) == 0
    assert "freed 0.0 MiB" in capsys.readouterr().out, "a small cache is within its bound"
    assert cli.main(["--root", str(tmp_path), "cache", "clear"]) == 0
    assert store.value("labs", "k") is None
    assert capsys.readouterr().out.strip() == "empty"
