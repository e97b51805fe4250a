"""TeX becomes MathML at build time; invalid TeX fails the build with page and line."""

from __future__ import annotations

from coursebuild.page import equations

INLINE = '<p>Score <span class="arithmatex">\\(\\sigma(z) = \\frac{1}{1 + e^{-z}}\\)</span>.</p>'
DISPLAY = '<div class="arithmatex">\\[\nL = -\\log p\n\\]</div>'


def test_inline_and_display_become_mathml():
    content, errors = equations.render_page(INLINE + DISPLAY, lambda tex: None)
    assert errors == []
    assert "arithmatex" not in content
    assert content.count("<math") == 2
    assert 'display="block"' in content
    assert "<mfrac>" in content


def test_invalid_tex_is_reported_with_its_line():
    markdown = "intro\n\nbad $\\frac{1}{$ here\n"
    content = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    _, errors = equations.render_page(content, lambda tex: equations.source_line(markdown, tex, 2))
    assert [error.line for error in errors] == [5]
    assert "invalid TeX" in errors[0].message
    assert equations.source_line(markdown, "\\sigma", 2) is None, "not on the page: no line"
