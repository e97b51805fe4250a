"""The fixed environment every snippet runs in, and its fingerprint for the cache."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import site
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the folder that holds the package
ENGINE_FOLDER = Path(__file__).resolve().parent
FIXED_ENV = {
    "PYTHONHASHSEED": "0",
    "COLUMNS": "80",
    "LINES": "24",
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "SOURCE_DATE_EPOCH": "0",
}


def fixed_env() -> dict[str, str]:
    """The caller's environment without Python and Matplotlib settings, the fixed ones on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MPL"))}
    env.update(FIXED_ENV)
    env["PYTHONPATH"] = str(PACKAGE_PARENT)  # the worker imports this package, installed or not
    return env


def installed_distributions() -> list[str]:
    """``name-version`` of every installed distribution, from the metadata folders' names.

    ``numpy-2.4.6.dist-info``: the name and version without reading each metadata file
    (a tenth of a second for a hundred distributions, paid by every build).
    """
    found = set()
    for entry in {*site.getsitepackages(), sysconfig.get_path("purelib")}:
        folder = Path(entry)
        if folder.is_dir():
            found.update(
                item.name.rsplit(".", 1)[0]
                for item in folder.iterdir()
                if item.suffix in {".dist-info", ".egg-info"}
            )
    return sorted(found, key=str.lower)


def engine_digest(folder: Path = ENGINE_FOLDER) -> str:
    """A digest of the engine's own code: a changed engine never replays an old run."""
    sha = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def fingerprint(
    distributions: Iterable[str] | None = None,
    extra: Mapping[str, str] | None = None,
    engine: Path = ENGINE_FOLDER,
) -> str:
    """Everything outside the project that can change a snippet's output, as one digest.

    Args:
        distributions: ``name-version`` entries (default: what is installed here).
        extra: More parts of the key (tests use it to simulate another environment).
        engine: The engine's code folder (tests point it at a changed copy).
    """
    if distributions is None:
        distributions = installed_distributions()
    parts = {
        "python": sys.version,
        "implementation": sys.implementation.name,
        "system": platform.system(),
        "machine": platform.machine(),
        "libc": "-".join(platform.libc_ver()),
        "distributions": list(distributions),
        "env": FIXED_ENV,
        "engine": engine_digest(engine),
        "extra": dict(extra or {}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
