"""Measure a clean ``mkdocs build`` against its floor, in one run, as ratios.

The floor is one Python process that imports numpy, scikit-learn and matplotlib and
runs every snippet once, with no isolation and no checks. Rounds alternate the commands
so that a noisy, shared machine slows all alike; the medians are compared.

    python -m coursebuild speed [--rounds 5]
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursebuild.engine.environment import fixed_env
from coursebuild.engine.worker import warm_up
from coursebuild.page.source import executed_snippets


def floor_run(root: Path) -> None:
    """Import the heavy libraries once and run every snippet in this one process."""
    warm_up()
    for snippet in executed_snippets(root):
        os.chdir(snippet.parent)
        sys.path[:0] = [str(snippet.parent), str(root / "snippets")]
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(str(snippet), run_name="__main__")
        del sys.path[:2]


def timed(command: list[str], root: Path, env: dict[str, str]) -> float:
    """Wall-clock seconds of one command, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(root: Path, rounds: int) -> dict[str, list[float]]:
    """Alternate the floor and a cold clean build ``rounds`` times; return their seconds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSEBUILD_CACHE": "refresh"}
    code = f"from coursebuild.speed import floor_run; floor_run({str(root)!r})"
    floor = [sys.executable, "-c", code]
    times: dict[str, list[float]] = {"floor": [], "site": []}
    with tempfile.TemporaryDirectory() as site:
        build = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", site]
        for _ in range(rounds):
            times["floor"].append(timed(floor, root, fixed_env()))
            times["site"].append(timed(build, root, env))
    return times


def main(root: Path, rounds: int, scale: list[int]) -> int:
    """Print the medians and their ratios to the floor, with the machine's core count."""
    medians = {name: statistics.median(values) for name, values in measure(root, rounds).items()}
    print(f"cores: {os.cpu_count()}  snippets: {len(executed_snippets(root))}  rounds: {rounds}")
    for name, seconds in medians.items():
        print(f"{name:>17}: median {seconds:5.2f} s  ({seconds / medians['floor']:.2f} x floor)")
    return 0
