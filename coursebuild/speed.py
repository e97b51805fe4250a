"""Time the build against its baselines, in one run, as ratios (a shared machine is noisy).

Measured, alternating the commands round by round so a busy machine slows all alike:

* floor: one Python process that imports numpy, scikit-learn and matplotlib and runs every
  snippet once, with no isolation and no checks;
* execution off: the same pages built without the engine (plain code fences, no labs);
* cold: a clean ``mkdocs build`` with an empty cache; warm: the same with a filled cache;
* serve: from a one-word prose edit (or a snippet edit) to the browsers' reload under
  ``mkdocs serve``, against the same prose edit served with execution off;
* scale: a generated course of N copies of its largest chapter (cold, warm, prose edit,
  execution off).

    python -m coursebuild speed [--rounds 5] [--scale 1 4 16]
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursebuild.engine.environment import fixed_env
from coursebuild.engine.imports import project_imports
from coursebuild.engine.worker import ARTIFACT_ENV, warm_up
from coursebuild.page import fences
from coursebuild.page.source import executed_snippets, page_folder

RELOADED = "Reloading browsers"
COPIED = ("docs", "snippets", "tests", "node_modules", "mkdocs.yml")  # pages include tests


def floor_run(root: Path | str) -> None:
    """Import the heavy libraries once and run every snippet in this one process.

    Snippets draw their figures as under the engine (into a temporary folder).
    """
    root = Path(root)
    os.environ[ARTIFACT_ENV] = tempfile.mkdtemp(prefix="coursebuild-floor-")
    warm_up(project_imports(root))
    for snippet in executed_snippets(root):
        os.chdir(snippet.parent)
        sys.path[:0] = [str(snippet.parent), str(root / "snippets")]
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(str(snippet), run_name="__main__")
        del sys.path[:2]


def env(**extra: str) -> dict[str, str]:
    """The environment of a measured command."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def timed(command: list[str], root: Path, environment: dict[str, str]) -> float:
    """Wall-clock seconds of one command, which must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {root}:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start


def without_engine(config: str) -> str:
    """``mkdocs.yml`` without the coursebuild and markdown-exec plugins: execution off."""
    for plugin in ("coursebuild", "markdown-exec"):
        config = re.sub(rf"(?m)^  - {plugin}:\n(?:      .*\n)+", "", config)
    return config


def project_copy(root: Path, target: Path) -> Path:
    """A copy of what a build reads, with an execution-off config beside the real one."""
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True)
        elif source.exists():
            shutil.copy2(source, target / name)
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    watched = re.findall(r"(?m)^  - (\S+)\s*$", config.split("\nwatch:", 1)[-1].split("\n\n")[0])
    for missing in (name for name in watched if not (target / name).exists()):
        config = config.replace(f"\n  - {missing}\n", "\n", 1)  # a watched folder not copied
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    (target / "mkdocs-off.yml").write_text(without_engine(config), encoding="utf-8")
    return target


def build(project: Path, site: Path, config: str = "mkdocs.yml", **extra: str) -> float:
    """Seconds of a clean ``mkdocs build``."""
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "--clean",
        "-f",
        config,
        "-d",
        str(site),
    ]
    return timed(command, project, env(**extra))


@contextlib.contextmanager
def serving(project: Path, config: str):
    """``mkdocs serve`` of ``project``, its first build served.

    Yields ``rebuild(edit)``: the seconds from an edit to the browsers' reload (what an
    author waits for).
    """
    log = project / f"serve-{config}.log"
    with log.open("w") as sink:
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", config, "-a", "127.0.0.1:0"]
        environment = env(PYTHONUNBUFFERED="1")  # every log line reaches the file at once
        process = subprocess.Popen(command, cwd=project, env=environment, stdout=sink, stderr=sink)

        def wait_for(marker: str, count: int, timeout: float = 600) -> None:
            deadline = time.monotonic() + timeout
            while log.read_text().count(marker) < count:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"mkdocs serve of {project} stalled:\n{log.read_text()}")
                time.sleep(0.02)

        def rebuild(edit) -> float:
            done = log.read_text().count(RELOADED)
            start = time.perf_counter()
            edit()
            wait_for(RELOADED, done + 1)
            return time.perf_counter() - start

        try:
            wait_for("Serving on", 1)
            yield rebuild
        finally:
            process.terminate()
            process.wait(timeout=60)


def touch_prose(page: Path, round_number: int) -> None:
    """A one-word prose edit at the end of a page."""
    page.write_text(page.read_text(encoding="utf-8") + f"\nEdit{round_number}.\n")


def touch_snippet(snippet: Path, round_number: int) -> None:
    """A snippet edit that changes no output: its first comment line."""
    lines = snippet.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\n") + f" ({round_number})\n"
    snippet.write_text("".join(lines), encoding="utf-8")


def largest_chapter(root: Path) -> tuple[str, str]:
    """The chapter with the most snippets (its page) and its first snippet (an include)."""
    by_page: dict[str, list[str]] = {}
    for fence in fences.executed_fences(root / "docs"):
        if fence.include and fence.include.startswith(f"{page_folder(fence.page)}/"):
            by_page.setdefault(fence.page, []).append(fence.include)
    page = max(by_page, key=lambda name: len(by_page[name]))
    return page, by_page[page][0]


def serve_rebuilds(
    project: Path, twin: Path, rounds: int, snippet_edits: bool = True
) -> dict[str, list[float]]:
    """Rebuild seconds under serve (``twin``: a copy served with execution off)."""
    page, include = largest_chapter(project)
    page_path, snippet_path = Path("docs") / page, Path("snippets") / include
    times: dict[str, list[float]] = {"serve prose edit": [], "serve prose edit, execution off": []}
    if snippet_edits:
        times["serve snippet edit"] = []
    with serving(project, "mkdocs.yml") as ours, serving(twin, "mkdocs-off.yml") as off:
        for number in range(rounds):  # one server rebuilds at a time
            prose = functools.partial(touch_prose, project / page_path, number)
            times["serve prose edit"].append(ours(prose))
            twin_prose = functools.partial(touch_prose, twin / page_path, number)
            times["serve prose edit, execution off"].append(off(twin_prose))
            if snippet_edits:
                snippet = functools.partial(touch_snippet, project / snippet_path, number)
                times["serve snippet edit"].append(ours(snippet))
    return times


def measure(root: Path, rounds: int, work: Path) -> dict[str, list[float]]:
    """The main comparisons, on a copy of the project."""
    project = project_copy(root, work / "project")
    floor = [
        sys.executable,
        "-c",
        f"from coursebuild.speed import floor_run; floor_run({str(project)!r})",
    ]
    times: dict[str, list[float]] = {"floor": [], "execution off": [], "cold": [], "warm": []}
    for _ in range(rounds):
        times["floor"].append(timed(floor, project, fixed_env()))
        times["execution off"].append(build(project, work / "site", "mkdocs-off.yml"))
        times["cold"].append(build(project, work / "site", COURSEBUILD_CACHE="refresh"))
        times["warm"].append(build(project, work / "site"))
    twin = project_copy(root, work / "twin")
    times.update(serve_rebuilds(project, twin, rounds))
    return times


def chapter_copy(project: Path, number: int, page: str) -> str:
    """Copy a chapter (page and snippet folder) as chapter ``number``; return its page name."""
    stem, folder = page.removesuffix(".md"), page_folder(page)
    text = (project / "docs" / page).read_text(encoding="utf-8")
    copy_stem, copy_folder = f"{stem}-{number}", f"{folder}_{number}"
    source, target = project / "snippets" / folder, project / "snippets" / copy_folder
    shutil.copytree(source, target)
    names = set()
    for record in target.glob("*.out"):
        names |= set(re.findall(r"^(?:figure|data) (\S+) digest:", record.read_text(), re.M))
    for path in [*target.glob("*.py"), *target.glob("*.out"), *target.glob("*.yml")]:
        code = path.read_text(encoding="utf-8").replace(f"lesson: {stem}", f"lesson: {copy_stem}")
        for name in names:
            code = code.replace(name, f"{name}-{number}")
        path.write_text(code, encoding="utf-8")
    text = text.replace(f"{folder}/", f"{copy_folder}/").replace(
        f"{stem}-lab.md", f"{copy_stem}-lab.md"
    )
    for name in names:
        text = text.replace(name, f"{name}-{number}")
    (project / "docs" / f"{copy_stem}.md").write_text(text, encoding="utf-8")
    return f"{copy_stem}.md"


def scaled_course(root: Path, copies: int, target: Path) -> Path:
    """The project with ``copies`` copies of its largest chapter, each after the original."""
    project = project_copy(root, target)
    page, _ = largest_chapter(project)
    pages = [chapter_copy(project, number, page) for number in range(2, copies + 1)]
    entries = "".join(f"  - Copy {n + 2}: {name}\n" for n, name in enumerate(pages))
    for config in ("mkdocs.yml", "mkdocs-off.yml"):
        path = project / config
        text = path.read_text(encoding="utf-8")
        entry = next(
            line for line in text.splitlines(keepends=True) if line.rstrip().endswith(page)
        )
        path.write_text(text.replace(entry, entry + entries), encoding="utf-8")
    return project


def scale(root: Path, copies: list[int], work: Path) -> dict[str, list[float]]:
    """Cold, warm, execution-off and serve prose-edit seconds for each course size."""
    times: dict[str, list[float]] = {}
    for count in copies:
        project = scaled_course(root, count, work / f"course-{count}")
        twin = scaled_course(root, count, work / f"twin-{count}")
        times[f"N={count} execution off"] = [build(project, work / "site", "mkdocs-off.yml")]
        times[f"N={count} cold"] = [build(project, work / "site", COURSEBUILD_CACHE="refresh")]
        times[f"N={count} warm"] = [build(project, work / "site")]
        served = serve_rebuilds(project, twin, 1, snippet_edits=False)
        times.update({f"N={count} {name}": values for name, values in served.items()})
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(twin, ignore_errors=True)
    return times


def ratio_lines(medians: dict[str, float]) -> list[str]:
    """The targets of the speed issue, as measured ratios."""
    off, floor = medians["execution off"], medians["floor"]
    lines = [
        f"warm clean build / execution off: {medians['warm'] / off:.2f} (target <= 1.2)",
        f"cold clean build / (floor + execution off): {medians['cold'] / (floor + off):.2f}"
        " (target <= 1.5)",
        f"serve prose edit / execution off: "
        f"{medians['serve prose edit'] / medians['serve prose edit, execution off']:.2f}"
        " (target <= 1.2)",
    ]
    for key in sorted(k for k in medians if k.endswith(" serve prose edit")):
        base = key.replace(" serve prose edit", "")
        ratio = medians[key] / medians[f"{base} serve prose edit, execution off"]
        lines.append(f"{base}: serve prose edit / execution off: {ratio:.2f} (target <= 1.2)")
    return lines


def main(root: Path, rounds: int, copies: list[int]) -> int:
    """Measure, then print medians (seconds) and ratios, with the machine's core count."""
    with tempfile.TemporaryDirectory(prefix="coursebuild-speed-") as folder:
        work = Path(folder)
        times = measure(root, rounds, work)
        times.update(scale(root, copies, work))
    medians = {name: statistics.median(values) for name, values in times.items()}
    snippets = len(executed_snippets(root))
    print(f"cores: {os.cpu_count()}  snippets: {snippets}  rounds: {rounds}  scale: {copies}")
    for name, seconds in medians.items():
        print(f"{name:>40}: median {seconds:6.2f} s  ({len(times[name])} run(s))")
    print("\n".join(ratio_lines(medians)))
    return 0
