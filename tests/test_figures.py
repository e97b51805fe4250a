"""The chapter's figures: same bytes every run, data under the drift check, accessible, small."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursebuild.engine import Runner
from coursebuild.page.source import executed_snippets
from coursebuild.site import figure_html, svg_size
from tests.projects import ROOT, SNIPPETS, copy_chapter

CHAPTER = SNIPPETS / "logistic_regression"
FIGURE_SNIPPETS = sorted(CHAPTER.glob("figure_*.py"))
PAGE = "logistic-regression.html"
BUDGET_BYTES = 300_000  # every figure of the chapter page together


def display(path: Path) -> str:
    """A project-relative path, as the build names snippets."""
    return path.resolve().relative_to(ROOT).as_posix()


DIGEST_LINE = re.compile(r"^figure (?P<name>\S+) digest: (?P<digest>[0-9a-f]+)$", re.MULTILINE)


def figure_name(snippet: Path) -> str:
    """The figure a snippet publishes, read from the digest line of its record."""
    match = DIGEST_LINE.search(snippet.with_suffix(".out").read_text(encoding="utf-8"))
    assert match, f"{display(snippet)}: its record has no 'figure NAME digest:' line"
    return match["name"]


def test_the_chapter_shows_all_eight_figure_snippets():
    assert len(FIGURE_SNIPPETS) == 8
    shown = set(executed_snippets(ROOT))
    assert [display(p) for p in FIGURE_SNIPPETS if p.resolve() not in shown] == []


# ------------------------------------------------------------------ determinism


@pytest.fixture(scope="module")
def fresh_runs(fresh_figure_runs):
    """Every figure snippet of the chapter run afresh (no cache), in-process."""
    return {p: fresh_figure_runs[p.resolve()] for p in FIGURE_SNIPPETS}


@pytest.mark.parametrize("snippet", FIGURE_SNIPPETS, ids=lambda p: p.stem)
def test_two_runs_give_identical_svg_bytes(snippet, fresh_runs, built_site):
    # The other run: the cold build of the real site, another process whose runs all ran fresh.
    first = fresh_runs[snippet]
    assert first.problem is None, first.report()
    name = figure_name(snippet)
    assert sorted(first.artifacts) == [f"{name}.json", f"{name}.svg"]
    assert first.artifacts[f"{name}.svg"].startswith(b"<?xml")
    assert (
        first.artifacts[f"{name}.svg"]
        == (built_site / "assets/figures" / f"{name}.svg").read_bytes()
    )
    assert b"<dc:date>" not in first.artifacts[f"{name}.svg"]


@pytest.mark.parametrize("snippet", FIGURE_SNIPPETS, ids=lambda p: p.stem)
def test_each_figure_has_alt_text_and_a_caption(snippet, fresh_runs):
    first = fresh_runs[snippet]
    meta = json.loads(first.artifacts[f"{figure_name(snippet)}.json"])
    assert len(meta["alt"].split()) >= 15, meta["alt"]
    assert len(meta["caption"].split()) >= 10, meta["caption"]
    assert meta["alt"] != meta["caption"]


@pytest.mark.parametrize("snippet", FIGURE_SNIPPETS, ids=lambda p: p.stem)
def test_each_figure_prints_a_summary_besides_its_digest(snippet):
    lines = snippet.with_suffix(".out").read_text(encoding="utf-8").splitlines()
    summary = [line for line in lines if not line.startswith("figure ")]
    assert len(summary) >= 2, lines


# ------------------------------------------------------------------ drift check


def drifted_runs(tmp_path: Path, worker, relative: str, old: str, new: str) -> str:
    """The reports of the figure snippets of a chapter copy in which ``old`` became ``new``."""
    project = copy_chapter(CHAPTER.name, tmp_path)
    source = project / relative
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{relative} no longer holds {old!r} exactly once"
    source.write_text(text.replace(old, new), encoding="utf-8")
    runner = Runner(project, worker=worker)
    copies = [project / display(p) for p in FIGURE_SNIPPETS]
    outcomes = [future.result() for future in [runner.submit(p) for p in copies]]
    return "\n\n".join(outcome.report() for outcome in outcomes if outcome.problem)


def moved_digests(output: str) -> dict[str, tuple[str, str]]:
    """Figure name -> (recorded digest, this run's digest), from the build's drift diffs."""
    old = dict(re.findall(r"^\s*-figure (\S+) digest: ([0-9a-f]+)$", output, re.MULTILINE))
    new = dict(re.findall(r"^\s*\+figure (\S+) digest: ([0-9a-f]+)$", output, re.MULTILINE))
    return {name: (old[name], new[name]) for name in old.keys() & new.keys()}


def assert_figures_drifted(output: str, drifted: set[str]) -> None:
    """Exactly the ``drifted`` figure snippets fail the build, each with its digest moving."""
    failing = {
        p.stem
        for p in FIGURE_SNIPPETS
        if f"{display(p)}: printed something other than its record" in output
    }
    assert failing == drifted, output
    moved = moved_digests(output)
    for snippet in (CHAPTER / f"{stem}.py" for stem in failing):
        name = figure_name(snippet)
        recorded = DIGEST_LINE.search(snippet.with_suffix(".out").read_text())["digest"]
        assert name in moved, f"no moved digest for {name} in:\n{output}"
        assert moved[name][0] == recorded
        assert moved[name][1] != recorded
        assert f"re-record on purpose: python -m coursebuild record {display(snippet)}" in output


FITTED = {p.stem for p in FIGURE_SNIPPETS} - {"figure_sigmoid"}
VALIDATION = {
    "figure_decision_boundary",
    "figure_threshold_cost",
    "figure_roc",
    "figure_precision_recall",
    "figure_reliability",
}


def test_a_changed_training_value_fails_the_build_on_the_fitted_figures(tmp_path, worker):
    # R3's policy support 3.0 -> 3.5: the weights move, and with them every figure of the fit.
    output = drifted_runs(
        tmp_path,
        worker,
        "snippets/logistic_regression/access_requests.py",
        "[2.0, 3.0], [3.5, 6.0]",
        "[2.0, 3.5], [3.5, 6.0]",
    )
    assert output, "the build fails"
    assert_figures_drifted(output, FITTED)


def test_a_changed_validation_label_fails_the_build_on_the_validation_figures(tmp_path, worker):
    # V4 needed review after all: the validation curves move, the training loss does not.
    output = drifted_runs(
        tmp_path,
        worker,
        "snippets/logistic_regression/access_requests.py",
        "y_val = _frozen([0, 0, 1, 0, 1, 0, 1, 1])",
        "y_val = _frozen([0, 0, 1, 1, 1, 0, 1, 1])",
    )
    assert output, "the build fails"
    assert_figures_drifted(output, VALIDATION)


def test_a_changed_model_fails_the_build_on_the_sigmoid_figure_too(tmp_path, worker):
    # A sigmoid that is off by a little. The sigmoid figure has no data of its own, so only a
    # model change can move it; the ROC keeps its corners, because the ranking stays the same.
    # The stream's reliability figure fits scikit-learn's models, not the chapter's sigmoid.
    output = drifted_runs(
        tmp_path,
        worker,
        "snippets/logistic_regression/logistic_scratch.py",
        "e = np.exp(-np.abs(z))",
        "e = np.exp(-1.01 * np.abs(z))",
    )
    assert output, "the build fails"
    unmoved = {"figure_roc", "figure_stream_reliability"}
    assert_figures_drifted(output, FITTED - unmoved | {"figure_sigmoid"})


# ------------------------------------------------------------------ the built page


class PageParser(HTMLParser):
    """Collects the chapter's figures (image, alt text, caption)."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, str]] = []
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        """Open a figure, note its image, start collecting its caption."""
        attributes = dict(attrs)
        if tag == "figure" and "course-figure" in (attributes.get("class") or ""):
            self.figures.append({"id": attributes.get("id", ""), "caption": ""})
        elif tag == "img" and self.figures and "src" not in self.figures[-1]:
            self.figures[-1].update(
                {key: attributes.get(key, "") for key in ("src", "alt", "width", "height")}
            )
        elif tag == "figcaption" and self.figures:
            self._caption = []

    def handle_data(self, data):
        """Collect caption text."""
        if self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag):
        """Close the caption."""
        if tag == "figcaption" and self._caption is not None:
            self.figures[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None


@pytest.fixture(scope="module")
def chapter_page(built_site):
    parser = PageParser()
    parser.feed((built_site / PAGE).read_text(encoding="utf-8"))
    return parser


def test_the_page_shows_every_figure_with_alt_text_and_caption(chapter_page):
    names = sorted(figure_name(p) for p in FIGURE_SNIPPETS)
    assert sorted(f["id"].removeprefix("figure-") for f in chapter_page.figures) == names
    for figure in chapter_page.figures:
        assert figure["src"] == f"assets/figures/{figure['id'].removeprefix('figure-')}.svg"
        assert figure["alt"].strip(), figure
        assert figure["caption"], figure


def test_all_figures_of_the_page_fit_the_size_budget(built_site, chapter_page):
    sizes = {f["src"]: (built_site / f["src"]).stat().st_size for f in chapter_page.figures}
    assert all(sizes.values()), sizes
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes


def test_each_image_reserves_the_drawing_s_box_before_it_loads(built_site, chapter_page):
    # Lazy images without a size are 0 px tall until they arrive: the text below would jump.
    for figure in chapter_page.figures:
        svg = (built_site / figure["src"]).read_bytes()
        width, height = svg_size(svg)
        assert (figure["width"], figure["height"]) == (str(width), str(height)), figure["id"]
        assert 200 <= width <= 800, figure["id"]
    assert svg_size(b'<svg xmlns="x" width="316.8pt" height="216pt" viewBox="0 0 1 1">') == (
        422,
        288,
    )
    assert svg_size(b'<svg width="300" height="150">') == (300, 150)
    assert svg_size(b"<svg viewBox='0 0 3 2'>") is None
    assert 'width="' not in figure_html("plain", {"alt": "a"})
