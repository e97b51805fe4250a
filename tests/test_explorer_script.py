"""The threshold explorer's own scripts: small, no number of the records typed, no other host."""

from __future__ import annotations

import re

from access_requests import FN_COST, FP_COST

from tests.explorer_records import record_lines
from tests.projects import DOCS

ASSETS = DOCS / "assets"
SCRIPTS = [ASSETS / "threshold-explorer-base.js", ASSETS / "threshold-explorer.js"]
SCRIPT_BUDGET = 30_000  # bytes of the widget's own scripts together, unminified
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def recorded_numbers() -> set[float]:
    """Distinctive numbers of the records the widget shows: costs, counts, rates, probabilities.

    Digits 0 to 9 (and a half) are left out: a script cannot avoid them (indices, halves).
    """
    records = ("threshold_explorer", "threshold_costs", "figure_threshold_cost")
    text = "\n".join(
        line
        for name in records
        for line in record_lines(name)
        if not line.startswith(("figure ", "data "))  # digests and array sizes
    )
    text += " " + " ".join(str(v) for v in (FN_COST, FP_COST, FP_COST + FN_COST))
    values = {float(token) for token in NUMBER.findall(text.replace("$", " "))}
    return {v for v in values if not (v.is_integer() and v < 10) and v != 0.5}


def test_script_is_small_and_types_no_recorded_number():
    source = "\n".join(script.read_text(encoding="utf-8") for script in SCRIPTS)
    assert len(source.encode()) < SCRIPT_BUDGET
    typed = {float(token) for token in NUMBER.findall(source)}
    assert sorted(typed & recorded_numbers()) == []
    hosts = set(re.findall(r"https?://([^/\"']+)", source))
    assert hosts <= {"www.w3.org"}, "the script names another host (only the SVG namespace may)"
