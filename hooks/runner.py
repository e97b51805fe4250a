"""Run snippets in a fixed environment and compare what they print with their records.

One runner, two callers: the MkDocs hook and pytest both call :func:`check`, so
"the site builds" and "the tests pass" mean the same thing. Records are plain text
beside each snippet (``name.py`` -> ``name.out``) and change only through::

    python -m hooks.runner record [PATH ...]
"""

from __future__ import annotations

import argparse
import atexit
import base64
import difflib
import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from hooks.fences import executed_fences

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DEFAULT_TIMEOUT = 60.0
TIMEOUT_COMMENT = re.compile(r"^#\s*runner:\s*timeout\s*=\s*(?P<seconds>\d+(?:\.\d+)?)\s*$")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
RECORD_COMMAND = "python -m hooks.runner record"
FIXED_ENV = {
    "PYTHONHASHSEED": "0",
    "COLUMNS": "80",
    "LINES": "24",
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "SOURCE_DATE_EPOCH": "0",
}


# The environment every snippet runs in, whoever calls the runner.
def fixed_env() -> dict[str, str]:
    """Return the worker's environment: the caller's, with the fixed settings on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MPL"))}
    env.update(FIXED_ENV)
    env["PYTHONPATH"] = str(ROOT)
    return env


def display(path: Path) -> str:
    """A project-relative path for messages (never a path of this machine)."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def record_path(snippet: Path) -> Path:
    """The record that belongs to ``snippet``."""
    return snippet.with_suffix(".out")


def timeout_of(snippet: Path) -> float:
    """The snippet's time limit: a ``# runner: timeout=N`` header line, or the default."""
    for line in snippet.read_text(encoding="utf-8").splitlines()[:5]:
        match = TIMEOUT_COMMENT.match(line.strip())
        if match:
            return float(match["seconds"])
    return DEFAULT_TIMEOUT


@dataclass
class Outcome:
    """What one run of a snippet printed, and how that compares with its record."""

    snippet: Path
    status: str
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    artifacts: dict[str, bytes] = field(default_factory=dict)
    record: str | None = None

    @property
    def problem(self) -> str | None:
        """A one-line name of what is wrong, or None when the run matches its record."""
        if self.status == "missing":
            return "snippet file is missing"
        if self.status == "timeout":
            return f"ran past its time limit of {timeout_of(self.snippet):g} s"
        if self.status == "error":
            return "raised an exception"
        if self.stderr:
            return "wrote to stderr (a warning?)"
        if self.record is None:
            return "has no record"
        if self.stdout != self.record:
            return "printed something other than its record"
        return None

    def report(self, where: list[str] | None = None) -> str:
        """A readable account of the problem: where, what moved, and how to fix it."""
        head = f"{', '.join(where or [])}  {display(self.snippet)}: {self.problem}".strip()
        parts = [head]
        if self.status in {"error", "timeout"} or self.stderr:
            parts.append(_indent(self.stderr.rstrip() or "(nothing on stderr)"))
        if self.status == "timeout":
            parts.append("  raise it with a first-lines comment: # runner: timeout=SECONDS")
        if self.status in {"ok"} and not self.stderr:
            parts.append(drift_report(self))
            parts.append(f"  re-record on purpose: {RECORD_COMMAND} {display(self.snippet)}")
        return "\n".join(parts)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


# Show the moved numbers first, then the unified diff of the whole output.
def drift_report(outcome: Outcome) -> str:
    """Moved numbers (``old -> new``) and a unified diff of record versus this run."""
    old = (outcome.record or "").splitlines(keepends=True)
    new = outcome.stdout.splitlines(keepends=True)
    moved = moved_numbers(old, new)
    name = display(record_path(outcome.snippet))
    diff = difflib.unified_diff(old, new, f"{name} (recorded)", f"{name} (this run)")
    text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    lines = ["  moved numbers:", *(f"    {line}" for line in moved)] if moved else []
    return "\n".join([*lines, _indent(text.rstrip())])


def moved_numbers(old: list[str], new: list[str]) -> list[str]:
    """Pair changed lines that differ only in numbers and render them as ``old -> new``."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    moved = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "replace":
            moved += [m for m in map(_merge_numbers, old[a0:a1], new[b0:b1]) if m]
    return moved


def _merge_numbers(before: str, after: str) -> str | None:
    if NUMBER.sub("#", before) != NUMBER.sub("#", after):
        return None
    olds, news = NUMBER.findall(before), NUMBER.findall(after)
    pieces = NUMBER.split(after.rstrip("\n"))
    merged = [pieces[0]]
    for old, new, tail in zip(olds, news, pieces[1:], strict=True):
        merged.append(new if old == new else f"{old} -> {new}")
        merged.append(tail)
    return "".join(merged)


class WarmWorker:
    """A client of ``hooks.worker``: one process, many forked runs at once."""

    def __init__(self, jobs: int | None = None) -> None:
        command = [sys.executable, "-m", "hooks.worker", "--jobs", str(jobs or os.cpu_count())]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=fixed_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.futures: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.counter = 0
        threading.Thread(target=self._read_replies, daemon=True).start()

    def submit(self, snippet: Path, timeout: float) -> Future:
        """Ask the worker to run ``snippet``; the future resolves to the worker's reply."""
        future: Future = Future()
        with self.lock:
            self.counter += 1
            self.futures[self.counter] = future
            request = {"id": self.counter, "path": str(snippet), "timeout": timeout}
            self.process.stdin.write((json.dumps(request) + "\n").encode())
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
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


class Runner:
    """Runs each snippet at most once until :meth:`forget` is called."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs
        self._worker: WarmWorker | None = None
        self._runs: dict[Path, Future] = {}
        self._lock = threading.Lock()

    @property
    def worker(self) -> WarmWorker:
        """The warm worker, started on first use and restarted if it died."""
        if self._worker is None or self._worker.process.poll() is not None:
            self._worker = WarmWorker(self.jobs)
        return self._worker

    def submit(self, snippet: Path) -> Future:
        """Start running ``snippet`` (once) and return a future of its :class:`Outcome`."""
        snippet = snippet.resolve()
        with self._lock:
            if snippet not in self._runs:
                self._runs[snippet] = self._start(snippet)
            return self._runs[snippet]

    def _start(self, snippet: Path) -> Future:
        done: Future = Future()
        if not snippet.is_file():
            done.set_result(Outcome(snippet, "missing"))
            return done
        reply = self.worker.submit(snippet, timeout_of(snippet))
        reply.add_done_callback(lambda f: _settle(done, snippet, f))
        return done

    def check(self, snippet: Path) -> Outcome:
        """Run ``snippet`` (or reuse this runner's run) and compare it with its record."""
        return self.submit(snippet).result()

    def forget(self) -> None:
        """Drop remembered runs, so the next check runs the snippets again."""
        with self._lock:
            self._runs.clear()

    def close(self) -> None:
        """Stop the worker."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None


def _settle(done: Future, snippet: Path, reply: Future) -> None:
    if reply.exception() is not None:
        done.set_exception(reply.exception())
        return
    done.set_result(outcome_from_reply(snippet, reply.result()))


def outcome_from_reply(snippet: Path, reply: dict) -> Outcome:
    """Turn a worker reply into an :class:`Outcome` with the current record attached."""
    record = record_path(snippet)
    return Outcome(
        snippet=snippet,
        status=reply["status"],
        stdout=reply["stdout"],
        stderr=reply["stderr"].replace(f"{ROOT}{os.sep}", ""),
        seconds=reply["seconds"],
        artifacts={k: base64.b64decode(v) for k, v in reply["artifacts"].items()},
        record=record.read_text(encoding="utf-8") if record.is_file() else None,
    )


_shared: Runner | None = None


def shared_runner() -> Runner:
    """The process-wide runner (its worker stays warm across MkDocs rebuilds)."""
    global _shared
    if _shared is None:
        _shared = Runner()
        atexit.register(_shared.close)
    return _shared


def all_snippets() -> list[Path]:
    """Every snippet that a page executes, in page order, each once."""
    found = [SNIPPETS / fence.include for fence in executed_fences(DOCS) if fence.include]
    return list(dict.fromkeys(path.resolve() for path in found))


def check(snippet: Path) -> Outcome:
    """Run one snippet with the shared runner and compare it with its record."""
    return shared_runner().check(snippet)


# ----------------------------------------------------------------- command line


def _selected(paths: list[str]) -> list[Path]:
    """The snippets named on the command line (files or folders), or all of them."""
    known = all_snippets()
    if not paths:
        return known
    chosen: list[Path] = []
    for name in paths:
        path = Path(name).resolve()
        inside = [p for p in known if p == path or path in p.parents]
        if not inside:
            raise SystemExit(f"{name}: no page executes a snippet at this path")
        chosen += [p for p in inside if p not in chosen]
    return chosen


def record(paths: list[str]) -> int:
    """Re-record the chosen snippets; print what changed; refuse failing snippets."""
    runner = shared_runner()
    snippets = _selected(paths)
    futures = [runner.submit(path) for path in snippets]
    failed = changed = 0
    for outcome in (future.result() for future in futures):
        if outcome.status != "ok" or outcome.stderr:
            failed += 1
            print(f"not recorded: {outcome.report()}")
        elif outcome.stdout != outcome.record:
            verb = "created" if outcome.record is None else "re-recorded"
            record_path(outcome.snippet).write_text(outcome.stdout, encoding="utf-8")
            print(f"{verb}: {display(record_path(outcome.snippet))}")
            changed += 1
    print(
        f"{changed} record(s) changed, {len(snippets) - changed - failed} unchanged, "
        f"{failed} failed"
    )
    return 1 if failed or not snippets else 0


def verify(paths: list[str]) -> int:
    """Check the chosen snippets against their records without writing anything."""
    runner = shared_runner()
    outcomes = [f.result() for f in [runner.submit(path) for path in _selected(paths)]]
    problems = [o for o in outcomes if o.problem]
    for outcome in problems:
        print(outcome.report(), end="\n\n")
    print(f"{len(outcomes) - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m hooks.runner {record,check} [PATH ...]``."""
    parser = argparse.ArgumentParser(prog="python -m hooks.runner", description=__doc__)
    parser.add_argument("command", choices=["record", "check"])
    parser.add_argument("paths", nargs="*", help="snippet files or folders (default: all)")
    args = parser.parse_args(argv)
    return record(args.paths) if args.command == "record" else verify(args.paths)


if __name__ == "__main__":
    sys.exit(main())
