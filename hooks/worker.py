"""A warm worker: imports the heavy libraries once, then forks a fresh child per snippet.

Protocol: one JSON request per line on stdin (``{"id", "path", "timeout"}``), one JSON
reply per line on the original stdout (``{"id", "status", "stdout", "stderr",
"seconds", "artifacts"}``). Children run concurrently, at most ``--jobs`` at a time.
Each child starts from the worker's pristine state, so nothing a snippet changes
(print options, RNG, rcParams, cwd, imported modules) reaches another snippet.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import runpy
import selectors
import signal
import sys
import tempfile
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

ARTIFACT_ENV = "COURSE_ARTIFACT_DIR"
SNIPPETS = Path(__file__).resolve().parents[1] / "snippets"
WARM_MODULES = (
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "sklearn.linear_model",
    "sklearn.metrics",
)


@dataclass
class Child:
    """A running snippet: its request, process handles and capture files."""

    request: dict
    pid: int
    pidfd: int
    workdir: Path
    deadline: float
    started: float = field(default_factory=time.perf_counter)


# Import the libraries every snippet uses, so each child starts warm.
def warm_up() -> None:
    """Import the heavy libraries once, before any child is forked."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)


# Reset the process-wide state a child inherits, so every run starts the same.
def reset_child_state(snippet: Path, artifact_dir: Path) -> None:
    """Fix seeds, working directory, argv and import path for one snippet."""
    import random

    import numpy as np

    random.seed(0)
    np.random.seed(0)
    os.chdir(snippet.parent)
    sys.argv = [snippet.name]
    sys.path[:0] = [str(snippet.parent), str(SNIPPETS)]
    os.environ[ARTIFACT_ENV] = str(artifact_dir)


# Point fd 1 and 2 at capture files, so prints from any module are captured.
def redirect_output(workdir: Path) -> None:
    """Send the child's stdout and stderr (file descriptors 1 and 2) to files."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(workdir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)


# Run the snippet as __main__ and exit with 0 (ok) or 1 (raised).
def child_main(request: dict, workdir: Path) -> None:
    """Body of the forked child; never returns."""
    code = 0
    try:
        redirect_output(workdir)
        sys.stdout.reconfigure(line_buffering=True)
        snippet = Path(request["path"])
        artifact_dir = workdir / "artifacts"
        artifact_dir.mkdir()
        reset_child_state(snippet, artifact_dir)
        runpy.run_path(str(snippet), run_name="__main__")
    except SystemExit as stop:
        code = 0 if stop.code in (None, 0) else 1
        if code:
            print(f"snippet called sys.exit({stop.code!r})", file=sys.stderr)
    except BaseException as error:
        code = 1
        print_snippet_traceback(error)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


# Print a traceback without the runner's own frames (runpy, this module).
def print_snippet_traceback(error: BaseException) -> None:
    """Write the snippet's traceback to stderr, starting at the snippet's frame."""
    tb = error.__traceback__
    while tb is not None and not _is_snippet_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    trace = traceback.format_exception(type(error), error, tb or error.__traceback__)
    sys.stderr.write("".join(trace))


def _is_snippet_frame(filename: str) -> bool:
    return filename != __file__ and "runpy" not in Path(filename).name


# Collect everything a finished child left behind.
def collect(child: Child, status: str) -> dict:
    """Build the reply for a finished (or killed) child and delete its files."""

    def read(name: str) -> str:
        path = child.workdir / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    artifact_dir = child.workdir / "artifacts"
    artifacts = {}
    if artifact_dir.is_dir():
        for item in sorted(artifact_dir.iterdir()):
            artifacts[item.name] = base64.b64encode(item.read_bytes()).decode("ascii")
    reply = {
        "id": child.request["id"],
        "status": status,
        "stdout": read("stdout"),
        "stderr": read("stderr"),
        "seconds": round(time.perf_counter() - child.started, 3),
        "artifacts": artifacts,
    }
    _remove_tree(child.workdir)
    return reply


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


class Worker:
    """Schedules requests onto forked children and answers on a reply stream."""

    def __init__(self, jobs: int, reply_fd: int) -> None:
        self.jobs = jobs
        self.replies = os.fdopen(reply_fd, "w", buffering=1, encoding="utf-8")
        self.queue: deque[dict] = deque()
        self.running: dict[int, Child] = {}
        self.selector = selectors.DefaultSelector()
        self.stdin_open = True
        self.pending = b""

    # Fork one child for a request and watch its pidfd.
    def start(self, request: dict) -> None:
        """Fork a child for ``request``."""
        workdir = Path(tempfile.mkdtemp(prefix="snippet-"))
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            child_main(request, workdir)
        pidfd = os.pidfd_open(pid)
        deadline = time.monotonic() + float(request["timeout"])
        self.running[pidfd] = Child(request, pid, pidfd, workdir, deadline)
        self.selector.register(pidfd, selectors.EVENT_READ, "child")

    # Reap a child that exited (or was killed) and send its reply.
    def finish(self, child: Child, timed_out: bool = False) -> None:
        """Wait for ``child`` and send the reply."""
        if timed_out:
            os.kill(child.pid, signal.SIGKILL)
        _, wait_status = os.waitpid(child.pid, 0)
        self.selector.unregister(child.pidfd)
        os.close(child.pidfd)
        del self.running[child.pidfd]
        code = os.waitstatus_to_exitcode(wait_status)
        status = "timeout" if timed_out else ("ok" if code == 0 else "error")
        self.replies.write(json.dumps(collect(child, status)) + "\n")

    def read_requests(self) -> None:
        """Read what stdin has; queue every complete line (EOF closes the intake)."""
        chunk = os.read(0, 1 << 16)
        if not chunk:
            self.stdin_open = False
            self.selector.unregister(0)
            return
        *lines, self.pending = (self.pending + chunk).split(b"\n")
        self.queue.extend(json.loads(line) for line in lines if line.strip())

    def next_timeout(self) -> float | None:
        """Seconds until the nearest child deadline, or None when idle."""
        if not self.running:
            return None
        return max(0.0, min(c.deadline for c in self.running.values()) - time.monotonic())

    def expire(self) -> None:
        """Kill every child past its deadline."""
        now = time.monotonic()
        for child in [c for c in self.running.values() if c.deadline <= now]:
            self.finish(child, timed_out=True)

    def serve(self) -> None:
        """Main loop: accept requests, fork children, reply as they finish."""
        self.selector.register(0, selectors.EVENT_READ, "stdin")
        while self.stdin_open or self.running or self.queue:
            while self.queue and len(self.running) < self.jobs:
                self.start(self.queue.popleft())
            for key, _ in self.selector.select(self.next_timeout()):
                if key.data == "stdin":
                    self.read_requests()
                else:
                    self.finish(self.running[key.fd])
            self.expire()


def main() -> None:
    """Entry point: ``python -m hooks.worker --jobs N``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints of the worker itself go to stderr, never to replies
    warm_up()
    Worker(max(1, args.jobs), reply_fd).serve()


if __name__ == "__main__":
    main()
