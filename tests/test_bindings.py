"""Bound values and the typed-number audit (their build-level failures: tests/test_page.py)."""

from __future__ import annotations

import pytest

from coursebuild.page import bindings

OUTPUT = (
    "validation AUC: 0.812\n"
    "t=0.20 precision=0.667 recall=1.000 f1=0.800 cost=$36\n"
    "after_epoch=   1 loss=0.6830 w=[0.    0.069 0.075]\n"
)


def test_values_of_reads_labels_and_fields():
    values = bindings.values_of(OUTPUT)
    assert values["validation AUC"] == "0.812"
    assert values["t=0.20 cost"] == "$36"
    assert values["after_epoch=1 loss"] == "0.6830"
    assert values["after_epoch=1 w"] == "[0.    0.069 0.075]"


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [("0.812", None, "0.812"), ("0.812", ".0%", "81%"), ("$36", ".2f", "$36.00")],
)
def test_formatted(value, spec, shown):
    assert bindings.formatted(value, spec) == shown


def test_resolve_substitutes_outside_code_only():
    text = 'AUC {{ roc "validation AUC" :.0% }}\n```\n{{ roc "validation AUC" }}\n```'
    result, issues = bindings.resolve(text, lambda ref: OUTPUT if ref == "roc" else None)
    assert issues == []
    assert result.splitlines()[0] == "AUC 81%"
    assert result.splitlines()[2] == '{{ roc "validation AUC" }}'


def test_resolve_reports_unknown_snippet_and_label_with_line():
    text = 'x\n{{ nope "a" }}\n{{ roc "missing label" }}'
    _, issues = bindings.resolve(text, lambda ref: OUTPUT if ref == "roc" else None, offset=3)
    assert [issue.line for issue in issues] == [5, 6]
    assert "no snippet 'nope'" in issues[0].message
    assert "no value named 'missing label'" in issues[1].message


@pytest.mark.parametrize(
    ("line", "typed"),
    [
        ("the AUC is 0.812 here", ["0.812"]),
        ("costs $36 at t = 0.20", ["$36", "0.20"]),
        ("request REQ-10234 under P-7", ["REQ-10234", "P-7"]),
        ("rows R4 and x1, footnote[^1], `code 0.5`, [link](page-2.md)", []),
        ("$\\sigma(z) = \\frac{1}{1 + e^{-z}}$ with $x_2$", ["1", "1"]),
        ("81% of 1,000 requests", ["81%", "1,000"]),
    ],
)
def test_audit_finds_number_like_tokens(line, typed):
    issues = bindings.audit(line, literals=set())
    assert [issue.message.split("'")[1] for issue in issues] == typed


def test_audit_accepts_declared_literals_with_or_without_sign():
    assert bindings.audit("costs $120 and 18 dollars, REQ-10234", {"120", "$18", "REQ-10234"}) == []
