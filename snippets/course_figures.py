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
STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "font.size": 10,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 7,
    "svg.fonttype": "none",
    "path.simplify": True,
}


def new_figure(**subplot_options):
    """A figure and axes in the course style."""
    mpl.rcParams.update(STYLE)
    return plt.subplots(**subplot_options)


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
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def publish(fig, name: str, alt: str, caption: str, data: dict[str, np.ndarray]) -> None:
    """Hand the figure to the page (under the course runner) and print its data summary."""
    target = os.environ.get(ARTIFACT_ENV)
    if target:
        folder = Path(target)
        (folder / f"{name}.svg").write_bytes(svg_bytes(fig, name))
        meta = {"alt": alt, "caption": caption}
        (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    plt.close(fig)
    sizes = ", ".join(f"{key}[{np.size(value)}]" for key, value in sorted(data.items()))
    print(f"figure {name}: {sizes}")
    print(f"figure {name} digest: {digest(data)}")
