# Figure: validation dollar cost at every threshold in [0, 1], its minimum and the cost-ratio rule.
import numpy as np
from access_requests import FN_COST, FP_COST, X_train_raw, X_val_raw, y_train, y_val
from course_figures import FILL, LINES, label_point, legend, mark, money, new_figure, publish
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    predict_proba,
    total_cost,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
# The cost only changes where a probability crosses t: it is constant on each interval
# (p_k, p_k+1] between sorted probabilities, so these thresholds trace it exactly on [0, 1].
thresholds = np.concatenate([[0.0], np.sort(p_val), [1.0]])
cost = np.array(
    [
        total_cost(confusion_matrix_at_threshold(y_val, p_val, t), FN_COST, FP_COST)
        for t in thresholds
    ]
)
best = int(np.argmin(cost))  # the first of equal minima: the interval (thresholds[best - 1], ...]
lowest, low, high = cost[best], thresholds[best - 1], thresholds[best]
rule = FP_COST / (FP_COST + FN_COST)  # break-even probability if the scores were calibrated
rule_cost = total_cost(confusion_matrix_at_threshold(y_val, p_val, rule), FN_COST, FP_COST)

fig, ax = new_figure(size="square")
ax.axvspan(low, high, **FILL, label=f"lowest cost: {low:.3f} < t ≤ {high:.3f}")
ax.plot(thresholds, cost, **LINES["model"], drawstyle="steps-pre", label="validation cost at t")
ax.axvline(
    rule, **LINES["rule"], label=f"cost-ratio rule {FP_COST}/({FP_COST}+{FN_COST}) = {rule:.3f}"
)
ax.plot((low + high) / 2, lowest, **mark(0))
label_point(ax, (low + high) / 2, lowest, f"minimum {money(lowest)}", offset=(22, 0))
ax.yaxis.set_major_formatter(lambda value, _: money(value))
ax.set(xlabel="threshold t (review when p ≥ t)", ylabel="validation cost", xlim=(0, 1))
ax.set_ylim(0, cost.max() * 1.08)
ax.set_title(f"Missed review {money(FN_COST)}, unnecessary one {money(FP_COST)}")
legend(ax, "below")

print(f"thresholds traced: 0, the {len(p_val)} validation probabilities, 1")
print(f"lowest validation cost: ${lowest:.0f}")
print(f"cheapest thresholds above: {low:.3f}")
print(f"cheapest thresholds up to: {high:.3f}")
print(f"cost-ratio threshold: {rule:.3f}")
print(f"cost at the cost-ratio threshold: ${rule_cost:.0f}")
print(f"cost at t=0 (review everything): ${cost[0]:.0f}")
print(f"cost at t=1 (review nothing): ${cost[-1]:.0f}")
publish(
    fig,
    "logistic-threshold-cost",
    alt=(
        f"Step chart of the validation cost against the threshold from 0 to 1. Reviewing "
        f"everything (t = 0) costs ${cost[0]:.0f}; the cost is lowest, ${lowest:.0f}, for "
        f"thresholds above {low:.3f} up to {high:.3f} (shaded), and reaches "
        f"${cost[-1]:.0f} when nothing is reviewed. A dash-dot vertical line marks the "
        f"cost-ratio threshold {rule:.3f}, where the cost is ${rule_cost:.0f}."
    ),
    caption=(
        f"The cost changes only where a validation probability crosses the threshold, so it is "
        f"a step function. Its minimum, ${lowest:.0f}, covers thresholds above {low:.3f} up to "
        f"{high:.3f}, which {'include' if low < 0.20 <= high else 'exclude'} the chosen 0.20. "
        f"At the cost-ratio threshold for calibrated scores, {rule:.3f}, the cost is "
        f"${rule_cost:.0f}."
    ),
    data={
        "threshold": thresholds,
        "cost": cost,
        "cheapest": np.array([low, high]),
        "rule": np.array([rule]),
    },
)
