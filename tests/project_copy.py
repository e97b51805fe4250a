"""Helpers that build a temporary copy of the project, for tests of failure modes."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
COPIED = (
    "mkdocs.yml",
    "docs",
    "snippets",
    "coursebuild",
    "tests",
    "pyproject.toml",
    "node_modules",
)
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "site", ".cache")


@dataclass
class Build:
    """The result of one ``mkdocs build`` in a project copy."""

    returncode: int
    output: str


def copy_project(target: Path) -> Path:
    """Copy what a build needs into ``target`` and return it."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            shutil.copy2(source, target / name)
    return target


def clean_env() -> dict[str, str]:
    """This process's environment without Python settings that would leak into a build."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run_module(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m ARGS`` inside ``project`` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def mkdocs_build(project: Path, *extra: str) -> Build:
    """Run a plain ``mkdocs build`` in ``project``; return exit code and all output."""
    done = run_module(project, "mkdocs", "build", *extra)
    return Build(done.returncode, done.stdout + done.stderr)


def snapshot(folder: Path, pattern: str = "*.out") -> dict[str, bytes]:
    """Every file matching ``pattern`` under ``folder``, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob(pattern)}


def add_snippet(project: Path, name: str, code: str, record: str | None = None) -> str:
    """Write ``snippets/NAME`` (and its record) and return its include path."""
    path = project / "snippets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code, encoding="utf-8")
    if record is not None:
        path.with_suffix(".out").write_text(record, encoding="utf-8")
    return name


def exec_fence(include: str, header: str = 'exec="on" source="above" result="text"') -> str:
    """Markdown for an executed fence that includes ``include``."""
    return f'\n```python {header}\n--8<-- "{include}"\n```\n'


def append_page(project: Path, page: str, text: str) -> int:
    """Append ``text`` to a page; return the line number where it starts."""
    path = project / "docs" / page
    before = path.read_text(encoding="utf-8") if path.exists() else "# Test page\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(project: Path):
    """Run ``mkdocs serve`` in ``project``; yield its URL and a reader of its log."""
    port = free_port()
    log_file = project / "serve.log"
    with log_file.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=clean_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}/", lambda: log_file.read_text()
            assert process.poll() is None, "mkdocs serve stopped: " + log_file.read_text()
        finally:
            process.terminate()
            process.wait(timeout=30)


def fetch_when_ready(url: str, seconds: float = 120) -> str:
    """GET ``url``, retrying until the server answers or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
