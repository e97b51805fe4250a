"""Measure a clean ``mkdocs build`` against its floor, in one run, as a ratio.

The floor is one Python process that imports numpy, scikit-learn and matplotlib and
runs every snippet once, with no isolation and no checks. Rounds alternate floor and
build so that a noisy, shared machine slows both alike; the medians are compared.

    python -m hooks.measure_speed [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import runpy
import statistics
import subprocess
import sys
import tempfile
import time

from hooks.runner import ROOT, SNIPPETS, all_snippets, fixed_env
from hooks.worker import warm_up


def floor_run() -> None:
    """Import the heavy libraries once and run every snippet in this one process."""
    warm_up()
    for snippet in all_snippets():
        os.chdir(snippet.parent)
        sys.path[:0] = [str(snippet.parent), str(SNIPPETS)]
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(str(snippet), run_name="__main__")
        del sys.path[:2]


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one command, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(rounds: int) -> tuple[list[float], list[float]]:
    """Alternate floor and build ``rounds`` times; return both lists of seconds."""
    floor_env = fixed_env()
    build_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    floors, builds = [], []
    with tempfile.TemporaryDirectory() as site:
        for _ in range(rounds):
            floors.append(
                timed([sys.executable, "-m", "hooks.measure_speed", "--floor"], floor_env)
            )
            build = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", site]
            builds.append(timed(build, build_env))
    return floors, builds


def main() -> None:
    """Print floor, build and their ratio (medians), with the machine's core count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_run()
        return
    floors, builds = measure(args.rounds)
    floor, build = statistics.median(floors), statistics.median(builds)
    print(f"cores: {os.cpu_count()}  snippets: {len(all_snippets())}  rounds: {args.rounds}")
    print(f"floor (one process, every snippet once): median {floor:.2f} s")
    print(f"clean mkdocs build:                      median {build:.2f} s")
    print(f"build / floor: {build / floor:.2f}")


if __name__ == "__main__":
    main()
