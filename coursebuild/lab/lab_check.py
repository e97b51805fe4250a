"""Self-checks of a lab's exercises: say whether your answers match the lesson's.

This file ships beside the lab notebook, with ``lab_data.json``: the list of the lab's files,
and the lesson's values, stored encoded so that a glance does not give an answer away (an
encoding, not a secret). A check says "correct", or which answer is off and in which
direction, never the expected value. Standard library only.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Mapping
from pathlib import Path

DATA_FILE = "lab_data.json"
NOT_ANSWERED = "not answered yet"
CORRECT = "correct"
NUMBER = re.compile(r"(\$?)([-+]?\d+(?:\.(\d+))?([eE][-+]?\d+)?)")


def encode(values: Mapping[str, object]) -> str:
    """The expected answers of one exercise, encoded for ``lab_data.json``."""
    text = json.dumps(values, separators=(",", ":"))
    return base64.b85encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def decode(text: str) -> dict:
    """The inverse of :func:`encode`."""
    return json.loads(zlib.decompress(base64.b85decode(text)).decode("utf-8"))


def _data() -> dict:
    return json.loads(Path(__file__).with_name(DATA_FILE).read_text(encoding="utf-8"))


def check_setup(folder: str | Path = ".") -> None:
    """Say whether the lab's files sit in ``folder``; raise, naming them, if one is missing."""
    names = _data()["files"]
    missing = [name for name in names if not (Path(folder) / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"missing beside the notebook: {', '.join(missing)}. Download the lab's zip "
            "file, unzip it, and open the notebook from the unzipped folder."
        )
    print(f"Ready: the {len(names)} files of the lab are here ({', '.join(names)}).")


def check_answers(exercise: str, namespace: Mapping[str, object]) -> None:
    """Print whether the answers in ``namespace`` match the lesson's values for ``exercise``.

    Args:
        exercise: The exercise's key in ``lab_data.json``.
        namespace: Where the answers live, usually the notebook's ``globals()``.
    """
    entry = _data()["exercises"][exercise]
    title, expected = entry["title"], decode(entry["answers"])
    unset = [name for name in expected if namespace.get(name) is None]
    if len(unset) == len(expected):
        print(f"{title}: {NOT_ANSWERED} (set {', '.join(expected)} in the cell above)")
        return
    notes: list[str] = []
    for name, wanted in expected.items():
        if name in unset:
            notes.append(f"{name}: {NOT_ANSWERED}")
        else:
            notes += answer_notes(name, namespace[name], wanted)
    print(f"{title}: {CORRECT}" if not notes else f"{title}: not yet")
    for note in notes:
        print(f"  {note}")


def answer_notes(name: str, value: object, wanted: object) -> list[str]:
    """What is off in one answer (which entry, which direction); empty when it is right."""
    if not isinstance(wanted, dict):
        verdict = compare(value, str(wanted))
        return [] if verdict is None else [f"{name} {verdict}"]
    if not isinstance(value, Mapping):
        keys = ", ".join(wanted)
        return [f"{name} should be a dict with the keys {keys}, not a {type(value).__name__}"]
    notes = []
    for key, text in wanted.items():
        found = [k for k in value if str(k) == key or _close_keys(k, key)]
        if not found:
            notes.append(f"{name}[{key}] is missing")
            continue
        verdict = compare(value[found[0]], text)
        if verdict is not None:
            notes.append(f"{name}[{key}] {verdict}")
    return notes


def _close_keys(key: object, wanted: str) -> bool:
    """Whether a numeric dict key equals a recorded key up to floating-point noise."""
    try:
        return abs(float(key) - float(wanted)) < 1e-9
    except (TypeError, ValueError):
        return False


def compare(value: object, recorded: str) -> str | None:
    """None when ``value`` agrees with ``recorded`` at its printed precision, else what is off.

    Args:
        value: The learner's value: a number (Python or NumPy, or an array of one) or text.
        recorded: The lesson's printed value, such as ``0.20``, ``$36``, ``2.9e-02``.
    """
    number = NUMBER.fullmatch(recorded)
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:
        value = value.item()  # a NumPy number, or an array holding one
    if number is None:
        return None if str(value) == recorded else "is not the lesson's answer"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"should be a number, not {type(value).__name__}"
    digits = len(number[3] or "")
    shown = format(float(value), f".{digits}{'e' if number[4] else 'f'}")
    if shown == number[2]:
        return None
    return "is too high" if float(shown) > float(number[2]) else "is too low"
