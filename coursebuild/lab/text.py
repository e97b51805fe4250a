"""Page Markdown turned into notebook Markdown."""

from __future__ import annotations

import re
from collections.abc import Mapping

from coursebuild.page import bindings

CURRENCY = re.compile(r"\$(?=\d)")
INLINE_MATH = re.compile(r"\$(?P<tex>[^\s$](?:[^$\n]*?[^\s$])?)\$")
TEX_COMMAND = re.compile(r"\\(?P<name>[A-Za-z]+|,)")
TEX_WRAPPER = re.compile(r"\\(?:mathbf|mathrm|operatorname|text)\{(?P<inner>[^{}]*)\}")
TEX_SUBSCRIPT = re.compile(r"_\{?(?P<digits>\d+)\}?")
TEX_SYMBOLS = {"sigma": "σ", "varepsilon": "ε", "eta": "η", "le": "≤", "ge": "≥", ",": " "}
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def plain_tex(tex: str) -> str:
    r"""Inline TeX as plain text: ``x_1`` -> ``x₁``, ``\sigma`` -> ``σ``."""
    text = TEX_WRAPPER.sub(lambda m: m["inner"], tex)
    text = TEX_SUBSCRIPT.sub(lambda m: m["digits"].translate(SUBSCRIPT_DIGITS), text)
    text = TEX_COMMAND.sub(lambda m: TEX_SYMBOLS.get(m["name"], m["name"]), text)
    return text.replace("{", "").replace("}", "")


def notebook_markdown(text: str) -> str:
    r"""Page Markdown for a notebook cell: inline math as plain text, dollars escaped.

    The site renders the notebook without MathJax (it would load from a CDN), and
    Jupyter reads ``$...$`` as math, so amounts such as ``$120`` become ``\$120``.
    """
    protected = CURRENCY.sub("\x00", text)
    plain = INLINE_MATH.sub(lambda m: plain_tex(m["tex"]), protected)
    return plain.replace("\x00", "\\$")


def resolve_bindings(text: str, records: Mapping[str, str | None], chapter: str) -> str:
    """Replace ``{{ snippet "label" }}`` bindings with the recorded values of ``chapter``."""
    resolved, _ = bindings.resolve(text, lambda ref: records.get(f"{chapter}/{ref}.py"))
    return resolved
