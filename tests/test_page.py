"""The page checks in-process on temporary roots: each failure mode named with page and line."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from markdown_exec import validator

from coursebuild.engine import Report, Runner
from coursebuild.page import fences, highlight, links
from coursebuild.page.source import front_matter, page_folder, title_of
from coursebuild.site import SiteCheck
from tests.projects import ROOT, exec_fence, write_files

HELLO = "# Prints a mean.\nprint('mean:', (1 + 2 + 4) / 3)\n"
PAGE = "checks.md"


@pytest.fixture
def site(tmp_path, worker):
    """A project root with one snippet, and a site check over it (a fresh report)."""
    write_files(
        tmp_path,
        {
            "snippets/checks/hello.py": HELLO,
            "snippets/checks/hello.out": "mean: 2.3333333333333335\n",
            "snippets/checks/raises.py": "# Raises.\nx = 1\nraise ValueError('bad x')\n",
            "snippets/checks/raises.out": "x\n",
            "snippets/checks/unrecorded.py": "print('new output')\n",
        },
    )
    runner = Runner(tmp_path, worker=worker)
    check = SiteCheck(runner, Report(), [tmp_path / "snippets", tmp_path])
    check.shown.update({"checks/hello.py", "checks/raises.py", "checks/unrecorded.py"})
    yield tmp_path, check
    runner.close()


def problems(check: SiteCheck) -> list[str]:
    return [str(problem) for problem in check.report.problems]


def test_bound_value_and_declared_literal_pass(site):
    _, check = site
    markdown = 'The mean of 3 numbers is {{ hello "mean" :.3f }}.\n\n' + exec_fence(
        "checks/hello.py"
    )
    result = check.check_page(PAGE, markdown, 3, {"3"})
    assert problems(check) == []
    assert "The mean of 3 numbers is 2.333." in result


def test_typed_number_fails_with_page_and_line(site):
    _, check = site
    check.check_page(PAGE, "x\n\nThe mean is 2.333, by hand.\n", 3, set())
    assert problems(check)[0].startswith("checks.md:6  typed number '2.333'")


def test_unknown_reference_fails_naming_what_the_snippet_prints(site):
    _, check = site
    check.check_page(
        PAGE, 'Median {{ hello "median" }}.\n' + exec_fence("checks/hello.py"), 3, set()
    )
    assert "checks.md:4  hello prints no value named 'median' (it has: 'mean')" in problems(check)
    check.check_page(PAGE, 'Sum {{ nowhere "sum" }}.\n', 0, set())
    assert any("no snippet 'nowhere'" in text for text in problems(check))


def test_moved_value_shows_the_new_number_and_the_drift(site):
    root, check = site
    (root / "snippets/checks/hello.py").write_text(HELLO.replace("+ 4", "+ 5"))
    markdown = 'The mean is {{ hello "mean" :.3f }}.\n\n' + exec_fence("checks/hello.py")
    result = check.check_page(PAGE, markdown, 3, set())
    assert "The mean is 2.667." in result
    (drift,) = problems(check)
    assert drift.startswith("checks.md:6  snippets/checks/hello.py: printed something other")
    assert "mean: 2.3333333333333335 -> 2.6666666666666665" in drift


def test_failure_modes_of_fences_and_snippets_are_located(site):
    _, check = site
    blocks = [
        exec_fence("checks/raises.py"),
        exec_fence("checks/nowhere.py"),
        exec_fence("checks/unrecorded.py"),
        exec_fence("checks/hello.py", 'exec="on" source="abve" result="text"'),
        exec_fence("checks/hello.py", 'exce="on" source="above"'),
    ]
    check.check_page(PAGE, "\n".join(blocks), 0, set())
    found = "\n".join(problems(check))
    assert "checks.md:1  snippets/checks/raises.py: raised an exception" in found
    assert 'File "snippets/checks/raises.py", line 3' in found
    assert "checks.md:6  included file 'checks/nowhere.py' does not exist" in found
    assert "checks.md:9  snippets/checks/unrecorded.py: has no record" in found
    assert "checks.md:13  source='abve' is not one of" in found
    assert "checks.md:17  unknown fence option exce='on'" in found


def test_bad_quiz_data_names_the_page_and_the_file(site):
    root, check = site
    write_files(
        root,
        {
            "snippets/checks/quiz.yml": "lesson: checks\npass_mark: 1\nquestions:\n"
            "  - id: twice\n    question: Which?\n    options:\n"
            "      - {text: A, correct: true, feedback: Yes.}\n"
            "      - {text: B, correct: true, feedback: Also.}\n"
        },
    )
    check.check_page(PAGE, "Intro.\n\n<!-- quiz: checks/quiz.yml -->\n", 2, set())
    (problem,) = problems(check)
    assert problem.startswith("checks.md:5  snippets/checks/quiz.yml:4: question 'twice'")
    assert "exactly one option with 'correct: true' (found 2)" in problem


def test_bad_check_data_names_the_marker_line_and_the_file(site):
    root, check = site
    write_files(
        root,
        {
            "snippets/checks/checks.yml": "checks:\n  - id: first\n    questions:\n"
            "      - id: twice\n        question: Which?\n        options:\n"
            "          - {text: A, correct: true, feedback: Yes.}\n"
            "          - {text: B, correct: true, feedback: Also.}\n"
        },
    )
    markers = ["<!-- check: checks/checks.yml#first -->", "<!-- check: checks/checks.yml#none -->"]
    markdown = f"Intro.\n\n{markers[0]}\n\n{markers[1]}\n"
    check.check_page(PAGE, markdown, 2, set())
    first, second = problems(check)
    assert first.startswith("checks.md:5  snippets/checks/checks.yml:4: question 'twice'")
    assert second.startswith("checks.md:7  "), "each marker's problem at its own line"


def test_invalid_tex_is_reported_with_the_page_line(site):
    _, check = site
    markdown = "# Checks\n\nFine $p = \\sigma(z)$.\n\nBroken $\\sigmaa(z)$.\n"
    check.check_page(PAGE, markdown, 0, set())
    html = '<p>Broken <span class="arithmatex">\\(\\sigmaa(z)\\)</span>.</p>'
    check.render_equations(PAGE, html)
    (problem,) = problems(check)
    assert problem.startswith("checks.md:5  invalid TeX: ")
    assert "Undefined control sequence" in problem


def test_raw_fence_text_left_on_a_page_is_a_problem(site):
    _, check = site
    check.finish_page(PAGE, '<pre>```python exec="on"</pre>', "assets/figures")
    assert problems(check) == ["checks.md  raw fence text 'exec=\"' left in the built page"]


def test_links_and_anchors_are_checked_with_their_lines():
    markdown = (
        "# Page\n\n[ok](other.md#part) and [top](#intro), `[code](x.md)`\n"
        "```\n[in code](gone.md)\n```\n[gone](gone.md) [bad](other.md#nope)\n"
        '[web](https://example.org) <a href="img.png">x</a>\n[ref]: other.md#part\n'
    )
    found = links.links_of(markdown, offset=2)
    assert [(link.line, link.target) for link in found] == [
        (5, "other.md#part"),
        (5, "#intro"),
        (9, "gone.md"),
        (9, "other.md#nope"),
        (10, "https://example.org"),
        (10, "img.png"),
        (11, "other.md#part"),
    ]
    files = {"page.md", "other.md", "img.png"}
    ids = {"page.md": {"intro"}, "other.md": {"part"}}
    verdicts = [links.problem_of("page.md", link.target, files, ids) for link in found]
    assert verdicts == [
        None,
        None,
        "broken link 'gone.md': the site has no gone.md",
        "broken link 'other.md#nope': other.md has no anchor #nope",
        None,
        None,
        None,
    ]
    assert links.problem_of("topic/a.md", "../other.md", files, ids) is None


def test_page_source_rules():
    assert page_folder("logistic-regression.md") == "logistic_regression"
    assert page_folder("index.md") == "index"
    assert page_folder("topic/sub-page.md") == "topic/sub_page"
    text = "---\ntitle: Given\nlab: false\n---\n# Heading\n"
    assert front_matter(text) == {"title": "Given", "lab": False}
    assert title_of(text, front_matter(text), "stem") == "Given"
    assert title_of("# Heading\n", {}, "stem") == "Heading"
    assert front_matter("---\n: [unclosed\n---\n") == {}


def test_fence_scanner_reports_unclosed_fences_and_code_lines():
    text = "a\n```python\nx = 1\n```\nb\n~~~\nopen\n"
    assert fences.code_lines(text) == {2, 3, 4, 6, 7, 8}, "an unclosed fence runs to the end"
    (unclosed,) = [f for f in fences.scan(text, "p.md") if f.problems]
    assert unclosed.problems == ["the fence is never closed"]
    assert not unclosed.closed


def rendered(check: SiteCheck, include: str) -> str:
    """``include``'s executed fence rendered as the build renders it (superfences' formatter)."""
    fence = {"name": "python", "class": "python", "validator": validator}
    config = {"custom_fences": [{**fence, "format": check.format_fence}]}
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": config}
    )
    header = f'exec="on" source="above" result="text" snippet="{include}"'
    return md.convert(f"```python {header}\nprint()\n```\n")


def test_published_data_that_is_not_json_names_the_page_line_and_snippet(site):
    root, check = site
    code = (
        "import os, pathlib\n"
        "folder = pathlib.Path(os.environ['COURSE_ARTIFACT_DIR'])\n"
        "(folder / 'widget.data.json').write_text('{not json')\n"
        "print('published')\n"
    )
    write_files(
        root, {"snippets/checks/widget.py": code, "snippets/checks/widget.out": "published\n"}
    )
    check.check_page(PAGE, "# Widget\n\n" + exec_fence("checks/widget.py"), 3, set())
    assert problems(check) == [
        f"{PAGE}:6  snippets/checks/widget.py: published widget.data.json is not valid JSON: "
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    ]
    html = rendered(check, "checks/widget.py")
    assert "published widget.data.json is not valid JSON" in html
    assert len(problems(check)) == 1, "formatting the fence reports nothing more"


def test_a_figure_name_two_snippets_publish_is_reported_at_the_second_fence(site):
    root, check = site
    code = (
        "import os, pathlib\n"
        "folder = pathlib.Path(os.environ['COURSE_ARTIFACT_DIR'])\n"
        "(folder / 'curve.svg').write_text('<svg xmlns=\"http://www.w3.org/2000/svg\"/>')\n"
        "print('drawn')\n"
    )
    files = {f"snippets/checks/{name}.py": code for name in ("first", "second")}
    files |= {f"snippets/checks/{name}.out": "drawn\n" for name in ("first", "second")}
    write_files(root, files)
    page = exec_fence("checks/first.py") + "\n" + exec_fence("checks/second.py")
    check.check_page(PAGE, page, 3, set())
    assert problems(check) == [
        f"{PAGE}:8  snippets/checks/second.py: figure name 'curve' is already used by "
        "checks/first.py"
    ]
    assert check.figures["curve"][0] == "checks/first.py", "the first snippet keeps the name"


QUIZ = """lesson: checks
pass_mark: 1
questions:
  - id: which
    question: Which request needs review?
    options:
      - {text: The first, correct: true, feedback: Its score is positive.}
      - {text: The second, feedback: Its score is negative.}
"""


def test_invalid_tex_after_a_quiz_is_located_in_the_page_as_written(site):
    root, check = site
    write_files(root, {"snippets/checks/quiz.yml": QUIZ})
    markdown = "# Checks\n\n<!-- quiz: checks/quiz.yml -->\n\nA broken formula $\\frac{a$.\n"
    expanded = check.check_page(PAGE, markdown, 3, set())
    assert expanded.count("\n") > markdown.count("\n"), "the marker became several lines"
    content = '<p>A broken formula <span class="arithmatex">\\(\\frac{a\\)</span>.</p>'
    check.render_equations(PAGE, content)
    (problem,) = problems(check)
    assert problem.startswith("checks.md:8  invalid TeX"), problem  # line 5 + 3 of front matter


def test_invalid_tex_inside_a_quiz_is_located_at_its_marker(site):
    root, check = site
    broken = QUIZ.replace("Which request needs review?", "Which score is $\\frac{a$?")
    write_files(root, {"snippets/checks/quiz.yml": broken})
    markdown = "# Checks\n\nIntro.\n\n<!-- quiz: checks/quiz.yml -->\n"
    check.check_page(PAGE, markdown, 3, set())
    content = '<p>Which score is <span class="arithmatex">\\(\\frac{a\\)</span>?</p>'
    check.render_equations(PAGE, content)
    (problem,) = problems(check)
    assert problem.startswith("checks.md:8  invalid TeX"), problem  # the marker: 5 + 3


# ------------------------------------------------------------ highlighted code, lighter


def highlighted(code: str) -> str:
    """``code`` as Python-Markdown and pymdownx render a Python fence on the site."""
    extensions = ["pymdownx.highlight", "pymdownx.superfences"]
    return markdown.markdown(f"```python\n{code}```\n", extensions=extensions)


def test_name_whitespace_and_prefix_tokens_lose_their_spans_and_nothing_else_changes():
    code = "import numpy as np\ntotal = np.sum(prices)  # <b> & more\nprint(f'{total!r}')\n"
    before = highlighted(code)
    after = highlight.lighter_highlighting(before)
    assert '<span class="n">' in before
    assert '<span class="w">' in before
    assert '<span class="sa">' in before
    assert '<span class="n">' not in after
    assert '<span class="w">' not in after
    assert '<span class="sa">' not in after
    assert after.count("<span") < before.count("<span")
    assert text_of(after) == text_of(before), "the text changed"
    assert "&lt;b&gt; &amp; more" in after
    for kept in ('class="o"', 'class="c1"', 'class="nn"', 'class="p"', 'class="kn"'):
        assert after.count(kept) == before.count(kept)
    prose = '<p><span class="n">not code</span></p>'
    assert highlight.lighter_highlighting(prose + before).startswith(prose)


def text_of(html: str) -> str:
    """What a reader sees of ``html``: its text without tags."""
    return re.sub(r"<[^>]+>", "", html)


def test_neighbouring_tokens_of_one_colour_become_one_span_and_others_stay_apart():
    code = 'label = f"cost {total:.2f} of {count}"[0] + 1.5\n'
    before = highlighted(code)
    after = highlight.lighter_highlighting(before)
    strings = re.findall(r'<span class="(?:s2|si)">([^<]*)</span>', after)
    assert strings == ['"cost {', ":.2f} of {", '}"'], after  # names (unwrapped) between
    assert text_of(after) == text_of(before)
    for apart in ('class="p"', 'class="o"', 'class="mi"', 'class="mf"'):
        assert after.count(apart) == before.count(apart), apart  # neighbours of other colours
    assert highlight.merged_neighbours('<span class="mi">1</span><span class="k">if</span>') == (
        '<span class="mi">1</span><span class="k">if</span>'
    )
    assert highlight.merged_neighbours('<span class="k">a</span> <span class="kn">b</span>') == (
        '<span class="k">a</span> <span class="kn">b</span>'  # not neighbours: text between
    )
    assert (
        highlight.merged_neighbours(
            'x<span class="mi">1</span><span class="mf">.5</span><span class="mi">0</span>y'
        )
        == 'x<span class="mi">1.50</span>y'
    )


def material_stylesheets() -> list[str]:
    """Material's own stylesheets, as installed (the main one and the palette)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.min.css"))]


def rules_for(token_class: str, sheets: list[str]) -> set[tuple[str, str]]:
    """Every (selector, declarations) that styles ``token_class``, the class written as @."""
    found = set()
    pattern = re.compile(rf"\.{token_class}(?![\w-])")
    for css in sheets:
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            for selector in selectors.split(","):
                if pattern.search(selector):
                    found.add((pattern.sub(".@", selector.strip()), body.strip().rstrip(";")))
    return found


def test_material_styles_the_lightened_tokens_as_the_lightening_assumes():
    # What highlight.py relies on; if Material changes any of it, this fails first.
    sheets = material_stylesheets()
    sheets += [path.read_text() for path in (ROOT / "docs" / "assets").glob("*.css")]
    definitions = [d for css in sheets for d in re.findall(r"--md-code-hl-name-color:[^;}]*", css)]
    assert definitions, "Material no longer defines a colour for names"
    assert set(definitions) == {"--md-code-hl-name-color:var(--md-code-fg-color)"}
    assert rules_for("n", sheets) == {(".highlight .@", "color:var(--md-code-hl-name-color)")}
    assert rules_for("w", sheets) == set()
    assert rules_for("sa", sheets) == set()
    for colour, kinds in highlight.SAME_COLOUR.items():
        styles = {kind: frozenset(rules_for(kind, sheets)) for kind in kinds}
        assert len(set(styles.values())) == 1, (colour, styles)
        assert next(iter(styles.values())), f"Material no longer styles {colour} tokens"
