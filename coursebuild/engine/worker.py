"""A warm worker: imports the project's libraries once, then forks a fresh child per snippet.

Protocol: one JSON request per line on stdin (``{"id", "root", "path", "timeout", "memory",
"ignored"}``), one JSON reply per line on the original stdout (``{"id", "status", "stdout",
"stderr", "seconds", "artifacts", "reads", "refused"}``). Children run concurrently, at most
``--jobs`` at a time. Each starts from the worker's pristine state, so nothing a snippet
changes (print options, RNG, rcParams, cwd, imported modules) reaches another snippet. A
child cannot change files under its request's root (:mod:`coursebuild.engine.guard`), and
its address space is bounded by the request's memory limit.

    python -m coursebuild.engine.worker --jobs N [--warm MODULE ...]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import runpy
import selectors
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coursebuild.engine import guard

ARTIFACT_ENV = "COURSE_ARTIFACT_DIR"
MEMORY_EXIT = 3
ALWAYS_WARM = ("numpy",)  # every child is seeded through it (see reset_child_state)


@dataclass
class Child:
    """A running snippet: its request, process handles and capture folder."""

    request: dict
    pid: int
    pidfd: int
    workdir: Path
    deadline: float
    started: float = field(default_factory=time.perf_counter)


# Import the libraries the project's snippets use, so each child starts warm.
def warm_up(modules: Iterable[str] = ()) -> None:
    """Import numpy and ``modules`` once, and draw once, before any child is forked.

    ``modules`` are what the project's snippets import (see ``project_imports``); one that
    fails to import is left to the snippet that needs it, which reports the error. With
    matplotlib loaded, one drawing fills the font and text-layout caches (a good part of a
    figure snippet's time), and every child inherits them.
    """
    import importlib

    for name in dict.fromkeys((*ALWAYS_WARM, *modules)):
        try:
            importlib.import_module(name)
        except Exception:
            continue
    if "matplotlib.pyplot" in sys.modules:
        draw_once()


def draw_once() -> None:
    """Draw and save two small figures, so fonts and text layout are cached."""
    import io
    import string

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 10], label="$x$ ≥ 1")
    ax.set_yscale("log")
    ax.set_title("warm-up")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1))
    fig.savefig(io.BytesIO(), format="svg")
    fig, ax = plt.subplots()
    for size in (9, 10, 11, 12):  # glyph and layout caches for common text
        ax.text(0, 0, string.printable.strip() + " σ−×≤≥·…–", fontsize=size)
    fig.savefig(io.BytesIO(), format="svg")
    plt.close("all")


# Reset the process-wide state a child inherits, so every run starts the same.
def reset_child_state(snippet: Path, root: Path, artifact_dir: Path) -> None:
    """Fix seeds, working directory, argv and import path for one snippet."""
    import random

    import numpy as np

    random.seed(0)
    np.random.seed(0)
    os.chdir(snippet.parent)
    sys.argv = [snippet.name]
    for entry in os.environ.pop("PYTHONPATH", "").split(os.pathsep):
        if entry in sys.path:  # the worker's own import path is not the snippet's
            sys.path.remove(entry)
    sys.path[:0] = [str(snippet.parent), str(root / "snippets")]
    os.environ[ARTIFACT_ENV] = str(artifact_dir)


# Point fd 1 and 2 at capture files, so prints from any module are captured.
def redirect_output(workdir: Path) -> None:
    """Send the child's stdout and stderr (file descriptors 1 and 2) to files."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(workdir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)


def run_snippet(request: dict, workdir: Path, seen: dict) -> None:
    """Prepare the child, install the guard (kept in ``seen``), run the snippet as ``__main__``."""
    redirect_output(workdir)
    sys.stdout.reconfigure(line_buffering=True)
    snippet, root = Path(request["path"]), Path(request["root"])
    artifact_dir = workdir / "artifacts"
    artifact_dir.mkdir()
    reset_child_state(snippet, root, artifact_dir)
    guard.limit_memory(int(request["memory"]))
    seen["guard"] = guard.install(str(root), tuple(request.get("ignored", ())))
    runpy.run_path(str(snippet), run_name="__main__")


# Run the snippet and exit with 0 (ok), 1 (raised) or 3 (out of memory).
def child_main(request: dict, workdir: Path) -> None:
    """Body of the forked child; never returns."""
    code, seen = 0, {}
    try:
        run_snippet(request, workdir, seen)
    except SystemExit as stop:
        code = 0 if stop.code in (None, 0) else 1
        if code:
            print(f"snippet called sys.exit({stop.code!r})", file=sys.stderr)
    except MemoryError as error:
        guard.lift_memory_limit()
        code = MEMORY_EXIT
        print_snippet_traceback(error)
    except BaseException as error:
        code = 1
        print_snippet_traceback(error)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        write_journal(seen.get("guard"), workdir)
        os._exit(code)


def write_journal(watch: guard.Guard | None, workdir: Path) -> None:
    """Hand what the guard saw (reads and refusals) to the worker."""
    journal = {"reads": watch.reads, "refused": watch.refused} if watch else {}
    with open(workdir / "journal.json", "w", encoding="utf-8") as handle:
        json.dump(journal, handle)


# Print a traceback without the machinery's own frames (runpy, this module, the guard).
def print_snippet_traceback(error: BaseException) -> None:
    """Write the snippet's traceback to stderr, without the runner's frames."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _is_snippet_frame(f.filename)]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)]
    lines += traceback.format_exception_only(type(error), error)
    sys.stderr.write("".join(lines))


def _is_snippet_frame(filename: str) -> bool:
    return filename not in {__file__, guard.__file__} and "runpy" not in Path(filename).name


def status_of(wait_status: int, timed_out: bool) -> tuple[str, str]:
    """The run's status and a note for stderr (a signal that ended the child)."""
    if timed_out:
        return "timeout", ""
    code = os.waitstatus_to_exitcode(wait_status)
    if code == 0:
        return "ok", ""
    if code == MEMORY_EXIT:
        return "memory", ""
    if code < 0:
        name = signal.Signals(-code).name
        return "error", f"the snippet's process was killed by {name} (out of memory?)\n"
    return "error", ""


# Collect everything a finished child left behind.
def collect(child: Child, wait_status: int, timed_out: bool) -> dict:
    """Build the reply for a finished (or killed) child and delete its files."""

    def read(name: str) -> str:
        path = child.workdir / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    status, note = status_of(wait_status, timed_out)
    journal = json.loads(read("journal.json") or "{}")
    artifact_dir = child.workdir / "artifacts"
    artifacts = {}
    if artifact_dir.is_dir():
        for item in sorted(artifact_dir.iterdir()):
            artifacts[item.name] = base64.b64encode(item.read_bytes()).decode("ascii")
    reply = {
        "id": child.request["id"],
        "status": "refused" if journal.get("refused") else status,
        "stdout": read("stdout"),
        "stderr": read("stderr") + note,
        "seconds": round(time.perf_counter() - child.started, 3),
        "artifacts": artifacts,
        "reads": journal.get("reads", {}),
        "refused": journal.get("refused", []),
    }
    shutil.rmtree(child.workdir, ignore_errors=True)
    return reply


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
        self.replies.write(json.dumps(collect(child, wait_status, timed_out)) + "\n")

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
    """Entry point: ``python -m coursebuild.engine.worker --jobs N [--warm MODULE ...]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--warm", nargs="*", default=[], help="modules to import first")
    args = parser.parse_args()
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints of the worker itself go to stderr, never to replies
    warm_up(args.warm)
    Worker(max(1, args.jobs), reply_fd).serve()


if __name__ == "__main__":
    main()
