# Figure: residuals against predicted latency, the sixteen requests and 200 synthetic ones.
import itertools

import numpy as np
from course_figures import LINES, PALETTE, legend, new_figure, publish
from latency_requests import X_train_raw, X_val_raw, simulate_requests, y_train, y_val
from linear_scratch import add_intercept, fit_least_squares, predict

w = fit_least_squares(add_intercept(X_train_raw), y_train)
X_syn, y_syn = simulate_requests(200)  # more requests from the same process, seed 7
points = {
    "synthetic": (X_syn, y_syn),
    "training": (X_train_raw, y_train),
    "validation": (X_val_raw, y_val),
}
pred = {name: predict(add_intercept(X_raw), w) for name, (X_raw, _) in points.items()}
res = {name: y - pred[name] for name, (_, y) in points.items()}  # measured - predicted

edges = np.array([0, 400, 600, 800, 1000, np.inf])  # bands of predicted latency (ms)
band = np.searchsorted(edges, pred["synthetic"], side="right") - 1
centres = np.array([pred["synthetic"][band == b].mean() for b in range(len(edges) - 1)])
means = np.array([res["synthetic"][band == b].mean() for b in range(len(edges) - 1)])

SPLIT_STYLE = {  # training filled circles, validation hollow squares: shape, fill and colour
    "synthetic": {"marker": ".", "markersize": 4, "color": PALETTE["grey"], "alpha": 0.6},
    "training": {"marker": "o", "markerfacecolor": PALETTE["blue"], "markeredgecolor": "#222222"},
    "validation": {
        "marker": "s",
        "markerfacecolor": "white",
        "markeredgecolor": PALETTE["vermillion"],
    },
}
fig, ax = new_figure(size="tall")
ax.axhline(0, **LINES["reference"], label="zero: prediction exact")
for name, style in SPLIT_STYLE.items():
    label = f"{len(res[name])} synthetic requests" if name == "synthetic" else name
    ax.plot(pred[name], res[name], linestyle="none", label=label, **{"markersize": 7, **style})
ax.plot(centres, means, **LINES["chosen"], marker="D", markersize=5, label="mean per band")
ax.set(xlabel="predicted latency (ms)", ylabel="residual: measured − predicted (ms)")
ax.set_title("Residuals of the straight-line fit")
legend(ax, "below")

for b, (lo, hi) in enumerate(itertools.pairwise(edges)):
    name = f"{lo:.0f}-{hi:.0f}" if np.isfinite(hi) else f"{lo:.0f}+"
    print(f"band={name}  n={np.sum(band == b)}  mean_residual={means[b]:+.1f}")
print(f"synthetic RMSE (ms): {np.sqrt(np.mean(res['synthetic'] ** 2)):.1f}")
publish(
    fig,
    "linear-residuals",
    alt=(
        "Scatter plot of residuals, measured minus predicted latency, against the predicted "
        "latency for the training, validation and 200 synthetic requests. The mean residual "
        "per band of predictions is "
        + ", ".join(f"{m:+.0f} ms" for m in means)
        + " from the fastest to the slowest band: a U shape around the zero line."
    ),
    caption=(
        "A straight line under-predicts the fastest and the slowest requests and "
        "over-predicts those in between: the retrieval time curves, and the model does not."
    ),
    data={
        **{f"{name}_predicted": p for name, p in pred.items()},
        **{f"{name}_residual": r for name, r in res.items()},
        "band_mean_residual": means,
    },
)
