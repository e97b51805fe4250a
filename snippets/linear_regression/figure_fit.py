# Figure: the fitted plane seen edge-on: latency minus the fitted document cost, by pages.
import numpy as np
from course_figures import LINES, PALETTE, legend, mark, new_figure, publish
from latency_requests import (
    NEW_REQUEST_ID,
    NEW_REQUEST_RAW,
    X_train_raw,
    X_val_raw,
    y_train,
    y_val,
)
from linear_scratch import add_intercept, fit_least_squares

w = fit_least_squares(add_intercept(X_train_raw), y_train)
pages = np.array([0.5, 12.5])  # a straight line needs two points


def without_documents(X_raw: np.ndarray, latency: np.ndarray) -> np.ndarray:
    """Latency minus the fitted cost of the request's policy documents (w2 * docs)."""
    return latency - w[2] * X_raw[:, 1]


new_pages, new_docs = NEW_REQUEST_RAW
new_point = w[0] + w[1] * new_pages  # on the line: its prediction minus its document cost

fig, ax = new_figure(size="square")
ax.plot(pages, w[0] + w[1] * pages, **LINES["model"], label="fitted plane, seen edge-on")
splits = {"training": (X_train_raw, y_train, "o"), "validation": (X_val_raw, y_val, "s")}
for name, (X_raw, y, marker) in splits.items():
    hollow = name == "validation"
    ax.plot(
        X_raw[:, 0],
        without_documents(X_raw, y),
        linestyle="none",
        marker=marker,
        markersize=7,
        markerfacecolor="white" if hollow else PALETTE["blue"],
        markeredgecolor=PALETTE["vermillion"] if hollow else "#222222",
        markeredgewidth=1.6 if hollow else 0.8,
        label=f"{name} requests",
    )
ax.plot(new_pages, new_point, **mark(2, size=10), label=f"{NEW_REQUEST_ID} (predicted)")
ax.set(xlabel="audit-log pages", ylabel="latency minus w2 × documents (ms)", xlim=(0.5, 12.5))
ax.set_title("Latency against pages, documents removed")
legend(ax, "below")

all_pages = np.concatenate([X_train_raw[:, 0], X_val_raw[:, 0]])
above = np.concatenate([y_train, y_val]) > np.concatenate([X_train_raw, X_val_raw]) @ w[1:] + w[0]
ends, middle = (all_pages <= 2) | (all_pages >= 12), (all_pages >= 5) & (all_pages <= 9)
print(f"line: {w[0]:.2f} + {w[1]:.2f} * pages")
print(f"above the plane, at most 2 or at least 12 pages: {above[ends].sum()} of {ends.sum()}")
print(f"above the plane, 5 to 9 pages: {above[middle].sum()} of {middle.sum()}")
print(f"{NEW_REQUEST_ID} without its document cost (ms): {new_point:.1f}")
publish(
    fig,
    "linear-fitted-plane",
    alt=(
        "Scatter plot of the training requests (filled circles) and validation requests "
        "(hollow squares): audit-log pages on the horizontal axis, and on the vertical axis "
        "each request's latency minus the fitted cost of its policy documents. A straight "
        f"line shows the fitted plane seen edge-on, {w[0]:.1f} plus {w[1]:.1f} ms per page. "
        "Requests with few or many pages sit above the line, those in the middle below it."
    ),
    caption=(
        "Removing the fitted document cost turns the plane into one line against the pages; "
        "the points curve around it, the first sign of what a straight line misses."
    ),
    data={
        "weights": w,
        "train_pages": X_train_raw[:, 0],
        "train_adjusted": without_documents(X_train_raw, y_train),
        "val_pages": X_val_raw[:, 0],
        "val_adjusted": without_documents(X_val_raw, y_val),
    },
)
