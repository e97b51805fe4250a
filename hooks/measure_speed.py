"""Measure a clean ``mkdocs build`` against its floor, in one run, as a ratio.

The floor is one Python process that imports numpy, scikit-learn and matplotlib and
runs every snippet once, with no isolation and no checks. Rounds alternate floor and
builds so that a noisy, shared machine slows all alike; the medians are compared. Two
builds are timed: the whole site, and the site without the lab notebook (whose kernel
runs every snippet a second time, as a learner's Jupyter would).

    python -m hooks.measure_speed [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
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


def without_lab(config: str) -> str:
    """mkdocs.yml's text without the lab notebook's hook, plugin and page."""
    config = re.sub(r"(?m)^  - mkdocs-jupyter:\n(?:      .*\n)+", "", config)
    return re.sub(r"(?m)^  - (?:hooks/notebook_hook\.py|Logistic regression lab:.*)\n", "", config)


def measure(rounds: int) -> dict[str, list[float]]:
    """Alternate the floor and both builds ``rounds`` times; return their seconds."""
    build_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    floor = [sys.executable, "-m", "hooks.measure_speed", "--floor"]
    times: dict[str, list[float]] = {"floor": [], "site": [], "site without lab": []}
    lab_free = ROOT / ".mkdocs-without-lab.yml"  # beside mkdocs.yml: same relative paths
    lab_free.write_text(without_lab((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    try:
        with tempfile.TemporaryDirectory() as site:
            build = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", site]
            for _ in range(rounds):
                times["floor"].append(timed(floor, fixed_env()))
                times["site"].append(timed(build, build_env))
                times["site without lab"].append(timed([*build, "-f", str(lab_free)], build_env))
    finally:
        lab_free.unlink()
    return times


def main() -> None:
    """Print floor, build and their ratio (medians), with the machine's core count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_run()
        return
    medians = {name: statistics.median(values) for name, values in measure(args.rounds).items()}
    print(f"cores: {os.cpu_count()}  snippets: {len(all_snippets())}  rounds: {args.rounds}")
    for name, seconds in medians.items():
        ratio = seconds / medians["floor"]
        print(f"{name:>17}: median {seconds:5.2f} s  ({ratio:.2f} x floor)")


if __name__ == "__main__":
    main()
