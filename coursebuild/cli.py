"""The command line: ``python -m coursebuild record|check|speed|cache``.

``record`` is the only code that writes records; it always runs the snippets fresh.
Errors are :class:`CourseError` values carrying the file and line at fault; ``main`` maps
them to exit code 2 (a failed check is 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coursebuild.engine import Runner, project_cache, project_store, record_path
from coursebuild.page.source import executed_snippets


class CourseError(Exception):
    """A problem with the command's input, naming the file (and line) at fault."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.file, self.line = file, line

    def __str__(self) -> str:
        if self.file is None:
            return super().__str__()
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {super().__str__()}"


def selected(root: Path, names: list[str]) -> list[Path]:
    """The snippets named on the command line (files or folders), or all of them."""
    known = executed_snippets(root)
    if not names:
        return known
    chosen: list[Path] = []
    for name in names:
        path = Path(name).resolve()
        inside = [p for p in known if p == path or path in p.parents]
        if not inside:
            raise CourseError("no page executes a snippet at this path", name)
        chosen += [p for p in inside if p not in chosen]
    return chosen


def record(root: Path, names: list[str]) -> int:
    """Re-record the chosen snippets (fresh runs); print what changed; refuse failing ones."""
    runner = Runner(root, cache=project_cache(root, mode="refresh"))
    try:
        snippets = selected(root, names)
        outcomes = [f.result() for f in [runner.submit(path) for path in snippets]]
    finally:
        runner.close()
    failed = changed = 0
    for outcome in outcomes:
        if not outcome.ran_cleanly:
            failed += 1
            print(f"not recorded: {outcome.report()}")
        elif outcome.stdout != outcome.record:
            verb = "created" if outcome.record is None else "re-recorded"
            target = record_path(root / outcome.name)
            target.write_text(outcome.stdout, encoding="utf-8")
            print(f"{verb}: {runner.name_of(target)}")
            changed += 1
    unchanged = len(snippets) - changed - failed
    print(f"{changed} record(s) changed, {unchanged} unchanged, {failed} failed")
    return 1 if failed or not snippets else 0


def check(root: Path, names: list[str]) -> int:
    """Check the chosen snippets against their records without writing anything."""
    runner = Runner(root, cache=project_cache(root))
    try:
        outcomes = [f.result() for f in [runner.submit(p) for p in selected(root, names)]]
    finally:
        runner.close()
    problems = [o for o in outcomes if o.problem]
    for outcome in problems:
        print(outcome.report(), end="\n\n")
    print(f"{len(outcomes) - len(problems)} passed, {len(problems)} failed")
    print(f"({runner.ran} ran, {runner.replayed} replayed from the cache)")
    return 1 if problems else 0


def cache(root: Path, action: str) -> int:
    """Show the cache's size, prune it to its bound, or clear it."""
    store = project_store(root)  # no fingerprint needed to measure or clear it
    if action == "clear":
        store.clear()
    elif action == "prune":
        print(f"freed {store.prune() / 2**20:.1f} MiB")
    print(f"{store.folder}: {store.size() / 2**20:.1f} MiB" if store.folder.is_dir() else "empty")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    parse = argparse.ArgumentParser(prog="python -m coursebuild", description=__doc__)
    parse.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: .)")
    commands = parse.add_subparsers(dest="command", required=True)
    for name, text in (("record", "re-record outputs"), ("check", "compare with records")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("paths", nargs="*", help="snippet files or folders (default: all)")
    sub = commands.add_parser("cache", help="the run cache: size, prune or clear")
    sub.add_argument("action", choices=["size", "prune", "clear"], nargs="?", default="size")
    sub = commands.add_parser("speed", help="time builds against their baselines")
    sub.add_argument("--rounds", type=int, default=5)
    sub.add_argument("--scale", type=int, nargs="*", default=[1, 4, 16])
    return parse


def main(argv: list[str] | None = None) -> int:
    """Run one command; map :class:`CourseError` to exit code 2."""
    args = parser().parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "record":
            return record(root, args.paths)
        if args.command == "check":
            return check(root, args.paths)
        if args.command == "cache":
            return cache(root, args.action)
        from coursebuild import speed

        return speed.main(root, args.rounds, args.scale)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
