"""Small temporary projects for tests: written from dicts, built in-process or as a process."""

from __future__ import annotations

import contextlib
import os
import re
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
REAL_CONFIG = ROOT / "mkdocs.yml"


@dataclass
class Build:
    """The result of one ``mkdocs build`` process."""

    returncode: int
    output: str


def config_text(nav: list[str], site_name: str = "Test course") -> str:
    """The real ``mkdocs.yml`` with another nav and site name, watching snippets, no assets."""
    text = REAL_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_name: .*$", f"site_name: {site_name}", text)
    text = re.sub(r"(?m)^watch:.*\n(?:  - .*\n)+", "watch:\n  - snippets\n", text)
    text = re.sub(r"(?m)^      copy_assets:.*\n(?:        .*\n)+", "", text)
    entries = "".join(f"  - {page}\n" for page in nav)
    return re.sub(r"(?m)^nav:\n(?:  - .*\n)+", f"nav:\n{entries}", text)


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write ``{relative path: text}`` under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_project(root: Path, files: dict[str, str], nav: list[str] | None = None) -> Path:
    """A project in ``root``: the real config (with ``nav``), the site's assets, ``files``."""
    pages = nav or sorted(name.removeprefix("docs/") for name in files if name.startswith("docs/"))
    write_files(root, {"mkdocs.yml": config_text(pages), **files})
    shutil.copytree(DOCS / "assets", root / "docs" / "assets", dirs_exist_ok=True)
    shutil.copy2(SNIPPETS / "course_figures.py", root / "snippets" / "course_figures.py")
    return root


def copy_chapter(folder: str, target: Path) -> Path:
    """A copy of one chapter's snippet folder (and the shared figure module) under ``target``."""
    shutil.copytree(SNIPPETS / folder, target / "snippets" / folder, dirs_exist_ok=True)
    shutil.copy2(SNIPPETS / "course_figures.py", target / "snippets" / "course_figures.py")
    return target


def exec_fence(include: str, header: str = 'exec="on" source="above" result="text"') -> str:
    """Markdown for an executed fence that includes ``include``."""
    return f'```python {header}\n--8<-- "{include}"\n```\n'


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without Python settings that would leak into a build."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSEBUILD"))}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def start_build(project: Path, *args: str, nice: int = 0, **env: str) -> subprocess.Popen:
    """Start ``python -m mkdocs build ARGS`` in ``project`` (output captured, merged).

    A positive ``nice`` lowers the build's CPU priority (its snippet worker and kernels,
    started later, inherit it), so it uses the CPU time other work leaves idle.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=clean_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return lowered(process, nice)


def lowered(process: subprocess.Popen, nice: int) -> subprocess.Popen:
    """``process`` with its CPU priority lowered by ``nice`` (0: unchanged).

    The processes it starts later (a snippet worker, kernels) inherit the priority.
    """
    if nice:
        os.setpriority(os.PRIO_PROCESS, process.pid, nice)
    return process


def finish(process: subprocess.Popen, timeout: float = 600) -> Build:
    """Wait for a started build and return its exit code and output."""
    output, _ = process.communicate(timeout=timeout)
    return Build(process.returncode, output)


def snapshot(folder: Path, pattern: str = "*") -> dict[str, bytes]:
    """Every file matching ``pattern`` under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob(pattern)
        if p.is_file() and ".cache" not in p.parts and "site" not in p.parts
    }


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(project: Path, nice: int = 0, **env: str):
    """Run ``mkdocs serve`` in ``project``; yield its URL, a reader of its log, and the process.

    ``nice`` lowers its CPU priority, as for :func:`start_build`.
    """
    port = free_port()
    log_file = project / "serve.log"
    with log_file.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],  # watching
            cwd=project,
            env=clean_env(**env),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        lowered(process, nice)
        try:
            yield f"http://127.0.0.1:{port}/", lambda: log_file.read_text(), process
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_for(condition, seconds: float = 120, every: float = 0.1):
    """Poll ``condition()`` until it returns something true; return it (or fail)."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        time.sleep(every)


def fetch(url: str) -> str | None:
    """The text at ``url``, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None
