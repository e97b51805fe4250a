# Figure: reliability diagram of the validation probabilities, four equal-width bins, with ECE.
import numpy as np
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from course_figures import BARS, LINES, legend, mark, new_figure, note, publish
from logistic_scratch import (
    add_intercept,
    expected_calibration_error,
    fit_logistic,
    predict_proba,
    reliability_table,
)

N_BINS = 4
w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
rows = reliability_table(y_val, p_val, n_bins=N_BINS)
ece = expected_calibration_error(y_val, p_val, n_bins=N_BINS)
lo, hi, n, mean_p, observed = (
    np.array([row[k] for row in rows]) for k in ("lo", "hi", "n", "mean_p", "observed")
)

fig, ax = new_figure(size="tall")
ax.plot([0, 1], [0, 1], **LINES["reference"], label="perfect calibration")
ax.bar(
    lo,
    observed,
    width=hi - lo,
    align="edge",
    **BARS,
    label="observed share needing review, per bin",
)
ax.vlines(mean_p, observed, mean_p, **LINES["gap"])
ax.plot(mean_p, observed, **mark(0), label="bin's mean prediction (gap to the diagonal)")
for left, right, count in zip(lo, hi, n, strict=True):
    note(ax, (left + right) / 2, 1.04, f"n = {count:d}", ha="center", va="bottom")
ax.set(
    xlabel="predicted probability of needing review",
    ylabel="observed share needing review",
    xlim=(0, 1),
    ylim=(0, 1.12),
    xticks=np.linspace(0, 1, N_BINS + 1),
)
ax.set_aspect("equal")
ax.set_title(f"Reliability, {N_BINS} equal-width bins: ECE = {ece:.3f}")
legend(ax, "below")

for number, row in enumerate(rows, start=1):
    print(f"bin={number}  n={row['n']}  mean_p={row['mean_p']:.3f}  observed={row['observed']:.3f}")
print(f"validation ECE: {ece:.3f}")
bins = "; ".join(
    f"[{a:.2f}, {b:.2f}{']' if b == 1.0 else ')'}: n = {c:d}, "
    f"mean prediction {m:.3f}, observed {o:.3f}"
    for a, b, c, m, o in zip(lo, hi, n, mean_p, observed, strict=True)
)
publish(
    fig,
    "logistic-reliability",
    alt=(
        f"Reliability diagram of the {len(p_val)} validation probabilities in {N_BINS} "
        "equal-width bins, one hatched bar per bin showing the observed share needing review, "
        "a marker at each bin's mean prediction and the dotted diagonal of perfect calibration. "
        f"Bins: {bins}. "
        f"Title: ECE = {ece:.3f}."
    ),
    caption=(
        f"Each bar is one bin, labelled with its count n; the marker sits at the bin's mean "
        f"prediction, so its vertical distance to the diagonal is the bin's gap. ECE "
        f"{ece:.3f} is the count-weighted mean gap. With n of {n.min():d} to {n.max():d} per "
        "bin, one label moves a bar by a large step."
    ),
    data={
        "lo": lo,
        "hi": hi,
        "n": n,
        "mean_p": mean_p,
        "observed": observed,
        "ece": np.array([ece]),
    },
)
