"""The lab's folder and its downloadable zip: the notebook with every file it needs.

The files are those the chapter's snippets read at build time (observed by the runner):
modules and data files of the chapter's folder keep their place relative to it; modules
of the shared ``snippets/`` folder sit at the top. The zip is deterministic: same files,
same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from coursebuild.engine import Outcome, Problem

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def lab_files(
    outcomes: Iterable[Outcome], folder: str, lab: str
) -> tuple[dict[str, str], list[Problem]]:
    """The files a lab carries (lab path -> project path), and the reads it cannot carry.

    Args:
        outcomes: The runs of the chapter's lesson and exercise snippets.
        folder: The chapter's snippet folder, relative to ``snippets/``.
        lab: The notebook's name, for problems.
    """
    runs = list(outcomes)
    own = {outcome.name for outcome in runs}
    carried: dict[str, str] = {}
    problems: list[Problem] = []
    for outcome in runs:
        for name, digest in sorted(outcome.reads.items()):
            if name in own or digest.startswith("dir:") or digest == "missing":
                continue
            if not name.startswith("snippets/"):
                continue  # the environment's own files (package metadata), not the chapter's
            target = lab_path(name, folder)
            if target is None:
                message = f"reads {name}, which the lab cannot carry (outside snippets/{folder}/)"
                problems.append(Problem(lab, None, message, outcome.name))
            else:
                carried[target] = name
    return dict(sorted(carried.items())), problems


def lab_path(name: str, folder: str) -> str | None:
    """Where a project file goes in the lab, or None if it has no place there."""
    chapter = f"snippets/{folder}/"
    if name.startswith(chapter):
        return name[len(chapter) :]
    parts = name.split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "snippets" else None


def archive(folder: Path, top: str, skip: Iterable[str] = ()) -> bytes:
    """A deterministic zip of ``folder``'s files under the folder name ``top``."""
    skipped = set(skip)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if relative in skipped or relative.startswith("."):
                continue
            info = zipfile.ZipInfo(f"{top}/{relative}", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, path.read_bytes())
    return buffer.getvalue()
