r"""KaTeX's MathML made right for browsers that implement MathML Core (Chromium, Firefox).

MathML Core ignores ``mathvariant`` except ``normal``: a bold ``\mathbf{w}`` would show as a
plain italic ``w``. Bold letters therefore become the Unicode mathematical bold letters;
runs of upright single letters (``\mathrm{TP}``) become one name, so they read as one word
and not as a product; and a minus that starts an expression or follows another operator
(``L = -\log p``) gets no binary-operator spacing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

NAMESPACE = "http://www.w3.org/1998/Math/MathML"
MI, MO = f"{{{NAMESPACE}}}mi", f"{{{NAMESPACE}}}mo"
MINUS = "\u2212"
CLOSING = {")", "]", "}", "|", "\u2016", "\u27e9", "\u230b", "\u2309"}
BOLD = {
    **{chr(ord("A") + i): chr(0x1D400 + i) for i in range(26)},
    **{chr(ord("a") + i): chr(0x1D41A + i) for i in range(26)},
    **{chr(ord("0") + i): chr(0x1D7CE + i) for i in range(10)},
}

ET.register_namespace("", NAMESPACE)


def bold_letters(element: ET.Element) -> None:
    """``<mi mathvariant="bold">w</mi>`` -> ``<mi>𝐰</mi>`` (upright bold, as TeX draws it)."""
    text = element.text or ""
    if element.get("mathvariant") == "bold" and text and all(c in BOLD for c in text):
        element.text = "".join(BOLD[c] for c in text)
        del element.attrib["mathvariant"]


def upright_names(parent: ET.Element) -> None:
    """Join adjacent upright single letters (``T``, ``P``) into one name (``TP``)."""
    children = list(parent)
    for index in range(len(children) - 1, 0, -1):
        left, right = children[index - 1], children[index]
        if _upright_letters(left) and _upright_letters(right) and not left.tail:
            left.text = (left.text or "") + (right.text or "")
            left.tail = right.tail
            parent.remove(right)


def _upright_letters(element: ET.Element) -> bool:
    text = element.text or ""
    return element.tag == MI and element.get("mathvariant") == "normal" and text.isalpha()


def unary_minus(parent: ET.Element) -> None:
    """A minus first in its row, or right after another operator, is a sign: no spacing."""
    previous = None
    for child in parent:
        if child.tag == MO and (child.text or "").strip() == MINUS and _starts_operand(previous):
            child.set("lspace", "0em")
            child.set("rspace", "0em")
        previous = child


def _starts_operand(previous: ET.Element | None) -> bool:
    if previous is None:
        return True
    return previous.tag == MO and (previous.text or "").strip() not in CLOSING


def polished(rendered: str) -> str:
    """KaTeX's output with its ``<math>`` element repaired as described above."""
    start, end = rendered.index("<math"), rendered.rindex("</math>") + len("</math>")
    root = ET.fromstring(rendered[start:end])
    for element in root.iter():
        if element.tag == MI:
            bold_letters(element)
    for element in list(root.iter()):
        upright_names(element)
        unary_minus(element)
    math = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return rendered[:start] + math + rendered[end:]
