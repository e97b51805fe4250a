# Figure: training and validation requests in the feature plane, boundaries at p = 0.5 and t = 0.20.
import numpy as np
from access_requests import (
    FEATURES,
    X_train_raw,
    X_val_raw,
    train_ids,
    val_ids,
    y_train,
    y_val,
)
from course_figures import LINES, legend, new_figure, note, plot_requests, publish
from logistic_scratch import add_intercept, fit_logistic, predict_proba

w = fit_logistic(add_intercept(X_train_raw), y_train)
x1 = np.array([0.5, 5.0])  # a straight line needs two points
slope, intercepts, boundaries = -w[1] / w[2], {}, {}
for t in (0.50, 0.20):
    # p = t exactly where the score equals logit(t): solve w0 + w1*x1 + w2*x2 = logit(t) for x2.
    intercepts[t] = (np.log(t / (1 - t)) - w[0]) / w[2]
    boundaries[t] = intercepts[t] + slope * x1
on_line = {
    t: predict_proba(add_intercept(np.column_stack([x1, b])), w) for t, b in boundaries.items()
}
p_val = predict_proba(add_intercept(X_val_raw), w)

fig, ax = new_figure(size="tall")
ax.plot(x1, boundaries[0.50], **LINES["threshold"], label="boundary p = 0.50")
ax.plot(x1, boundaries[0.20], **LINES["chosen"], label="boundary p = 0.20 (chosen threshold)")
# Ids right of their points, except where that would cover a neighbour (offsets in points).
moved = {"V1": (-7, -3), "R3": (0, -14), "V7": (0, -14)}
plot_requests(ax, X_train_raw, y_train, "training", ids=train_ids, moved=moved)
plot_requests(ax, X_val_raw, y_val, "validation", ids=val_ids, moved=moved)
note(ax, 4.9, 0.4, "review\n(right of a line)", ha="right", va="bottom")
note(ax, 0.6, 8.6, "auto-process\n(left of a line)", ha="left", va="top")
ax.set(xlabel=FEATURES[0], ylabel=FEATURES[1], xlim=(0.5, 5.0), ylim=(0.0, 9.0))
ax.set_title("Straight decision boundaries")
legend(ax, "below")

review_50 = [name for name, p in zip(val_ids, p_val, strict=True) if p >= 0.50]
review_20 = [name for name, p in zip(val_ids, p_val, strict=True) if p >= 0.20]
added = [name for name in review_20 if name not in review_50]
lines = {
    t: f"x2 = {slope:.3f}*x1 {'-' if b < 0 else '+'} {abs(b):.3f}" for t, b in intercepts.items()
}
for t in boundaries:
    print(f"boundary at {t:.2f}: {lines[t]}")
    print(f"model p at both ends of the {t:.2f} line: {' '.join(f'{p:.3f}' for p in on_line[t])}")
print(f"validation requests on the review side at 0.50: {' '.join(review_50)}")
print(f"validation requests on the review side at 0.20: {' '.join(review_20)}")
print(f"added to the review side at 0.20: {' and '.join(added)}")
publish(
    fig,
    "logistic-decision-boundary",
    alt=(
        f"Scatter plot of the {len(y_train)} training requests (filled markers) and "
        f"{len(y_val)} validation requests (hollow markers) by ambiguity x1 and policy support "
        "x2; requests that needed review are vermillion triangles, auto-processed ones blue "
        "circles. Two parallel "
        f"straight lines: the boundary at p = 0.50 ({lines[0.50]}) and the "
        f"boundary at the chosen threshold 0.20 ({lines[0.20]}). Validation requests on the "
        f"review side at 0.20: {', '.join(review_20)}."
    ),
    caption=(
        "Each threshold is a straight line in the feature plane; lowering it from 0.50 to 0.20 "
        "shifts the line parallel to itself, and on the validation slice it "
        f"adds {' and '.join(added)} to the review queue."
    ),
    data={
        "weights": w,
        "x1": x1,
        "boundary_050": boundaries[0.50],
        "boundary_020": boundaries[0.20],
        "X_train": X_train_raw,
        "y_train": y_train,
        "X_val": X_val_raw,
        "y_val": y_val,
    },
)
