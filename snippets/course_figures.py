"""The course's one plot style, and how a snippet publishes a figure to the page.

A figure snippet draws with :func:`new_figure`, then calls :func:`publish`. Under the
course runner the figure is saved as deterministic SVG for the page; the snippet also
prints a short summary of the plotted data with a digest, so its record (and the
build) notices when a curve moves.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

ARTIFACT_ENV = "COURSE_ARTIFACT_DIR"

# Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "black": "#000000",
    "grey": "#767676",
}
MIN_TEXT = 11.0  # points: the smallest text of any figure
INK = "#222222"  # text, ticks and axes: dark, because the page shows figures on a white card
STYLE = {
    "figure.figsize": (4.4, 3.4),
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": INK,
    "axes.titlesize": 12,
    "axes.titlepad": 8,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "font.size": MIN_TEXT,
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],  # short list: smaller SVG
    "legend.frameon": True,
    "legend.framealpha": 0.92,
    "legend.edgecolor": "#cccccc",
    "legend.fontsize": MIN_TEXT,
    "legend.handlelength": 2.8,  # long enough to show a line's dash pattern
    "lines.linewidth": 2.0,
    "lines.markersize": 7,
    "svg.fonttype": "none",
    "figure.constrained_layout.h_pad": 0.08,  # inches: a browser draws text a little lower
    "path.simplify": True,
}
# Drawn for a phone and saved at exactly these sizes (inches; a legend outside the axes
# shrinks the axes, never grows the figure): a 390 px screen shows a figure about 345 CSS
# pixels wide, where MIN_TEXT points read at 11.9 px; wider screens scale it up (the page
# caps the width). "tall" leaves room for a legend below a square plot.
SIZES = {"wide": (4.4, 3.4), "square": (4.4, 4.4), "tall": (4.4, 5.2)}

# Every distinction is carried by colour AND by a marker shape or a line style.
# The two labels of a request: colour plus marker shape.
CLASSES = {
    1: {"name": "needs review", "color": PALETTE["vermillion"], "marker": "^"},
    0: {"name": "auto-processed", "color": PALETTE["blue"], "marker": "o"},
}
# The two splits: training points are filled, validation points hollow.
SPLITS = {"training": "filled", "validation": "hollow"}
# Lines by role: the model's own curve, reference lines, and decision thresholds.
LINES = {
    "model": {"color": PALETTE["blue"], "linestyle": "-", "linewidth": 2.0},
    "reference": {"color": PALETTE["grey"], "linestyle": ":", "linewidth": 1.6},
    "threshold": {"color": PALETTE["black"], "linestyle": "-", "linewidth": 1.6},
    "chosen": {"color": PALETTE["green"], "linestyle": "--", "linewidth": 1.8},
    "rule": {"color": PALETTE["purple"], "linestyle": "-.", "linewidth": 1.6},
    "gap": {"color": PALETTE["vermillion"], "linestyle": "-", "linewidth": 1.4},
}
DOTS = {"marker": "o", "markersize": 4}  # small dots on a line, one per data point
# Marked points (operating points, logged epochs), in order: a shape and a colour each.
MARKS = (
    {"marker": "s", "color": PALETTE["vermillion"]},
    {"marker": "D", "color": PALETTE["orange"]},
    {"marker": "P", "color": PALETTE["green"]},
    {"marker": "X", "color": PALETTE["purple"]},
    {"marker": "v", "color": PALETTE["sky"]},
)
FILL = {"facecolor": mpl.colors.to_rgba(PALETTE["sky"], 0.35), "edgecolor": "none"}  # ranges
BARS = {**FILL, "edgecolor": INK, "linewidth": 0.8, "hatch": "//"}  # hatched: not colour alone
NOTE_SIZE = MIN_TEXT  # notes and point labels inside the axes


def new_figure(size: str = "wide", **subplot_options):
    """A figure and axes in the course style; ``size`` is a key of :data:`SIZES`."""
    mpl.rcParams.update(STYLE)
    return plt.subplots(figsize=SIZES[size], layout="constrained", **subplot_options)


def mark(index: int, size: float = 8) -> dict:
    """Plot options for the ``index``-th marked point: its own shape and colour, dark edge."""
    style = MARKS[index % len(MARKS)]
    return {
        "marker": style["marker"],
        "markersize": size,
        "markerfacecolor": style["color"],
        "markeredgecolor": INK,
        "markeredgewidth": 0.8,
        "linestyle": "none",
    }


def plot_requests(ax, X_raw: np.ndarray, y: np.ndarray, split: str, ids=None, moved=None) -> None:
    """Scatter requests in the feature plane: colour and shape by label, fill by split.

    Each id is written to the right of its point, or at the offset (points) that
    ``moved`` gives for it, where a neighbour would otherwise be covered.
    """
    hollow = SPLITS[split] == "hollow"
    for label in (1, 0):
        chosen = np.asarray(y) == label
        style = CLASSES[label]
        ax.plot(
            X_raw[chosen, 0],
            X_raw[chosen, 1],
            linestyle="none",
            marker=style["marker"],
            markersize=8,
            markerfacecolor="white" if hollow else style["color"],
            markeredgecolor=style["color"] if hollow else INK,
            markeredgewidth=1.8 if hollow else 0.8,
            label=f"{split}: {style['name']}",
        )
    for name, (x1, x2) in zip(ids or (), X_raw, strict=False):
        dx, dy = (moved or {}).get(name, (6, -3))
        ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
        label_point(ax, x1, x2, name, offset=(dx, dy), ha=ha)


def label_point(ax, x: float, y: float, text: str, offset=(6, 6), size: float = NOTE_SIZE, **kw):
    """Write ``text`` next to a data point, offset in points, on a white patch."""
    options = {"ha": "left", "va": "center", "fontsize": size, "color": INK}
    options.update(kw)
    return ax.annotate(
        text,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        **options,
    )


def note(ax, x: float, y: float, text: str, **options):
    """A short note at data coordinates (``ha``/``va`` as in ``ax.text``)."""
    return ax.text(x, y, text, **{"fontsize": NOTE_SIZE, "color": INK, **options})


def legend(ax, where: str = "inside", **options):
    """The course legend: ``inside`` the axes, or ``below`` the whole plot (one column).

    A legend below is a figure legend placed outside the axes: the constrained layout
    shrinks the axes to make room, so the saved size never grows.
    """
    if where == "inside":
        return ax.legend(**{"loc": "best", **options})
    if where != "below":
        raise ValueError(f"legend goes 'inside' or 'below', not {where!r}")
    handles, labels = ax.get_legend_handles_labels()
    return ax.figure.legend(handles, labels, **{"loc": "outside lower center", **options})


def log_ticks(axis, decades: int = 1) -> None:
    """Label a log axis with plain numbers (0.01, 1, 1k, 1M), every ``decades``-th power of ten.

    Mathtext powers (10 with a raised exponent) draw their exponent at 70 % of the text
    size, too small on a phone.
    """
    axis.set_major_locator(mpl.ticker.LogLocator(base=10.0**decades))
    axis.set_major_formatter(power_label)
    axis.set_minor_formatter(mpl.ticker.NullFormatter())


def power_label(value: float, _position=None) -> str:
    """A power of ten as a short plain number: 0.001, 1, 100, 1k, 10M."""
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= factor:
            return f"{value / factor:g}{suffix}"
    return f"{value:g}"


def money(value: float) -> str:
    """A dollar amount for figure text (the dollar sign escaped from mathtext)."""
    return rf"\${value:,.0f}"


def digest(data: dict[str, np.ndarray]) -> str:
    """A short, stable fingerprint of the plotted arrays (rounded to 6 decimals)."""
    sha = hashlib.sha256()
    for name in sorted(data):
        values = np.round(np.asarray(data[name], dtype=float), 6) + 0.0
        sha.update(name.encode() + np.ascontiguousarray(values).tobytes())
    return sha.hexdigest()[:12]


def svg_bytes(fig, name: str) -> bytes:
    """The figure as SVG with no date and ids salted by its name (same input, same bytes)."""
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": name}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def publish(fig, name: str, alt: str, caption: str, data: dict[str, np.ndarray]) -> None:
    """Hand the figure to the page (runner) or show it (Jupyter); print its data summary."""
    if not alt.strip() or not caption.strip():
        raise ValueError(f"figure {name} needs both alt text and a caption")
    target = os.environ.get(ARTIFACT_ENV)
    if target:
        folder = Path(target)
        (folder / f"{name}.svg").write_bytes(svg_bytes(fig, name))
        meta = {"alt": alt, "caption": caption}
        (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    if "ipykernel" in sys.modules:  # in Jupyter (the lab notebook): the same SVG, inline
        from IPython.display import SVG, display

        display(SVG(svg_bytes(fig, name)))
    plt.close(fig)
    sizes = ", ".join(f"{key}[{np.size(value)}]" for key, value in sorted(data.items()))
    print(f"figure {name}: {sizes}")
    print(f"figure {name} digest: {digest(data)}")


def publish_data(name: str, data: dict) -> None:
    """Hand JSON data to a script on the page (an interactive widget); print its digest.

    Under the course runner the data is embedded in the page beside the snippet's output
    (``<script type="application/json" id="course-data-NAME">``); the printed digest puts
    every value under the record's drift check, like a figure's.
    """
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    target = os.environ.get(ARTIFACT_ENV)
    if target:
        (Path(target) / f"{name}.data.json").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()[:12]
    print(f"data {name}: {', '.join(sorted(data))}")
    print(f"data {name} digest: {sha}")
