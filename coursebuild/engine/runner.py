"""Run snippets of one project root in a fixed environment, replaying unchanged runs.

One runner per project root; several can share one warm worker, so tests run many
temporary projects in one process. The MkDocs adapter, pytest and the command line all
go through :class:`Runner`, so "the site builds" and "the tests pass" mean the same thing.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

from coursebuild.engine.cache import (
    MODE_ENV,
    ContentStore,
    FileDigests,
    RunCache,
)
from coursebuild.engine.environment import fingerprint, fixed_env
from coursebuild.engine.imports import project_imports
from coursebuild.engine.limits import LimitError, Limits, limits_from_text
from coursebuild.engine.records import Outcome, read_record

CACHE_FOLDER = ".cache/coursebuild"
UNWATCHED = (".git", ".cache", "node_modules", "site", ".venv")


class WorkerProcess:
    """A client of :mod:`coursebuild.engine.worker`: one process, many forked runs at once.

    ``warm``: modules the worker imports before it forks (``project_imports`` of a root).
    """

    def __init__(self, jobs: int | None = None, warm: list[str] | tuple = ()) -> None:
        command = [
            sys.executable,
            "-m",
            "coursebuild.engine.worker",
            "--jobs",
            str(jobs or os.cpu_count() or 1),
            "--warm",
            *warm,
        ]
        self.process = subprocess.Popen(
            command, env=fixed_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.futures: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.counter = 0
        threading.Thread(target=self._read_replies, daemon=True).start()

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def submit(self, request: dict) -> Future:
        """Send one request; the future resolves to the worker's reply."""
        future: Future = Future()
        with self.lock:
            self.counter += 1
            self.futures[self.counter] = future
            line = json.dumps({**request, "id": self.counter}) + "\n"
            self.process.stdin.write(line.encode())
            self.process.stdin.flush()
        return future

    def _read_replies(self) -> None:
        for line in self.process.stdout:
            reply = json.loads(line)
            with self.lock:
                future = self.futures.pop(reply["id"])
            future.set_result(reply)
        with self.lock:
            pending, self.futures = self.futures, {}
        for future in pending.values():
            future.set_exception(RuntimeError("the snippet worker exited unexpectedly"))

    def close(self) -> None:
        """Let the worker finish what it has and exit."""
        if self.alive:
            self.process.stdin.close()
            self.process.wait(timeout=60)


def cache_mode() -> str:
    """The cache mode asked for by ``COURSEBUILD_CACHE`` (``on`` by default)."""
    return os.environ.get(MODE_ENV, "on").strip().lower() or "on"


def project_store(root: Path) -> ContentStore:
    """The store behind a project's run cache, in its git-ignored cache folder."""
    return ContentStore(Path(root) / CACHE_FOLDER)


def project_cache(root: Path, mode: str | None = None) -> RunCache:
    """The run cache of a project (its store, this environment's fingerprint, the mode)."""
    return RunCache(project_store(root), fingerprint(), mode or cache_mode())


class Runner:
    """Runs the snippets of one project root, each at most once until :meth:`forget`."""

    def __init__(
        self,
        root: Path,
        *,
        cache: RunCache | None = None,
        worker: WorkerProcess | None = None,
        jobs: int | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.snippets = self.root / "snippets"
        self.cache = cache
        self.files = FileDigests(self.root)
        self.jobs = jobs
        self._shared_worker = worker
        self._worker: WorkerProcess | None = None
        self._runs: dict[Path, Future] = {}
        self._lock = threading.Lock()
        self.ran = self.replayed = 0

    @property
    def worker(self) -> WorkerProcess:
        """The warm worker: the shared one, or this runner's own (started on first need)."""
        if self._shared_worker is not None:
            return self._shared_worker
        if self._worker is None or not self._worker.alive:
            self._worker = WorkerProcess(self.jobs, warm=project_imports(self.root))
        return self._worker

    def name_of(self, path: Path) -> str:
        """A path relative to the root, for messages (never a path of this machine)."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def submit(self, snippet: Path) -> Future:
        """Start running ``snippet`` (once) and return a future of its :class:`Outcome`."""
        snippet = Path(snippet).resolve()
        with self._lock:
            if snippet not in self._runs:
                self._runs[snippet] = self._start(snippet)
            return self._runs[snippet]

    def check(self, snippet: Path) -> Outcome:
        """Run ``snippet`` (or reuse this build's run) and compare it with its record."""
        return self.submit(snippet).result()

    def forget(self) -> None:
        """Drop this build's runs, so the next check looks again (cache first)."""
        with self._lock:
            self._runs.clear()
            self.ran = self.replayed = 0

    def close(self) -> None:
        """Stop this runner's own worker (a shared one is its owner's to stop)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _start(self, snippet: Path) -> Future:
        done: Future = Future()
        name = self.name_of(snippet)
        if not snippet.is_file():
            done.set_result(Outcome(name, "missing"))
            return done
        code = snippet.read_bytes()
        try:
            limits = limits_from_text(code.decode("utf-8"))
        except LimitError as error:
            done.set_result(Outcome(name, "invalid", stderr=f"line {error.line}: {error}\n"))
            return done
        cached = self.cache.lookup(name, code, self.files) if self.cache else None
        if cached is not None:
            self.replayed += 1
            done.set_result(self._outcome(snippet, cached, limits, replayed=True))
            return done
        self.ran += 1
        reply = self.worker.submit(self._request(snippet, limits))
        reply.add_done_callback(lambda f: self._settle(done, snippet, code, limits, f))
        return done

    def _request(self, snippet: Path, limits: Limits) -> dict:
        return {
            "root": str(self.root),
            "path": str(snippet),
            "timeout": limits.timeout,
            "memory": limits.memory,
            "ignored": [str(self.root / name) for name in UNWATCHED],
        }

    def _settle(self, done: Future, snippet: Path, code: bytes, limits, reply: Future) -> None:
        if reply.exception() is not None:
            done.set_exception(reply.exception())
            return
        result = dict(reply.result())
        result["stderr"] = result["stderr"].replace(f"{self.root}{os.sep}", "")
        try:
            if self.cache is not None:
                self.cache.store_run(self.name_of(snippet), code, result, self.files)
        finally:
            done.set_result(self._outcome(snippet, result, limits))

    def _outcome(self, snippet: Path, reply: dict, limits: Limits, replayed=False) -> Outcome:
        """An :class:`Outcome` from a worker reply (or a replay), with the record as it is now."""
        return Outcome(
            name=self.name_of(snippet),
            status=reply["status"],
            stdout=reply["stdout"],
            stderr=reply["stderr"],
            seconds=reply["seconds"],
            artifacts={k: base64.b64decode(v) for k, v in reply["artifacts"].items()},
            record=read_record(snippet),
            reads=dict(reply.get("reads", {})),
            refused=list(reply.get("refused", [])),
            limits=limits,
            replayed=replayed,
        )
