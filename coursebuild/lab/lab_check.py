"""Self-checks of the lab's exercises (generated with the notebook; do not edit)."""

from __future__ import annotations

import re
from collections.abc import Mapping


def check_answer(title: str, namespace: Mapping[str, object], **expected: object) -> None:
    """Print whether the answers in ``namespace`` match the values the lesson printed.

    Args:
        title: The exercise's title, printed first.
        namespace: Where the answers live, usually the notebook's ``globals()``.
        **expected: For each answer variable, the lesson's value as printed text, or a
            dict of such texts for a dict answer.
    """
    unset = [name for name in expected if namespace.get(name) is None]
    if len(unset) == len(expected):
        print(f"{title}: not answered yet (set {', '.join(expected)} in the cell above)")
        return
    notes: list[str] = []
    for name, wanted in expected.items():
        if name in unset:
            notes.append(f"{name}: not answered yet")
        else:
            notes += answer_differences(name, namespace[name], wanted)
    print(f"{title}: matches the lesson" if not notes else f"{title}: differs from the lesson")
    for note in notes:
        print(f"  {note}")


def answer_differences(name: str, value: object, wanted: object) -> list[str]:
    """What differs between one answer and the lesson's value; empty when they agree.

    Args:
        name: The answer variable's name, for the messages.
        value: The learner's value.
        wanted: The lesson's value as printed text, or a dict of such texts.

    Returns:
        One message per difference.
    """
    if not isinstance(wanted, dict):
        same, shown = as_recorded(value, str(wanted))
        return [] if same else [f"{name} is {shown}, the lesson has {wanted}"]
    if not isinstance(value, Mapping):
        keys = ", ".join(repr(key) for key in wanted)
        return [f"{name} should be a dict with the keys {keys}, not a {type(value).__name__}"]
    notes = []
    for key, text in wanted.items():
        found = [k for k in value if k == key or _close_keys(k, key)]
        if not found:
            notes.append(f"{name}[{key!r}] is missing, the lesson has {text}")
            continue
        same, shown = as_recorded(value[found[0]], text)
        if not same:
            notes.append(f"{name}[{key!r}] is {shown}, the lesson has {text}")
    return notes


def _close_keys(key: object, wanted: object) -> bool:
    """Whether two numeric dict keys are equal up to floating-point noise."""
    try:
        return abs(float(key) - float(wanted)) < 1e-9
    except (TypeError, ValueError):
        return False


def as_recorded(value: object, recorded: str) -> tuple[bool, str]:
    """Show ``value`` the way the lesson printed ``recorded``, and whether the two agree.

    Args:
        value: The learner's value: a number (Python or NumPy, or an array of one) or text.
        recorded: The lesson's printed value, such as ``0.20``, ``$36``, ``2.9e-02``.

    Returns:
        Whether they agree at the printed precision, and the learner's value so shown.
    """
    number = re.fullmatch(r"(\$?)[-+]?\d+(?:\.(\d+))?([eE][-+]?\d+)?", recorded)
    try:
        if hasattr(value, "item") and getattr(value, "size", 1) == 1:
            value = value.item()  # a NumPy number, or an array holding one
        if number is None:
            return str(value) == recorded, repr(value)[:60]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, f"{repr(value)[:60]} (not a number)"
        digits = len(number[2] or "")
        shown = number[1] + format(float(value), f".{digits}{'e' if number[3] else 'f'}")
    except (TypeError, ValueError, OverflowError) as error:
        return False, f"{repr(value)[:60]} ({type(error).__name__})"
    return shown == recorded, shown
