# Figure: validation precision-recall curve, three operating points and the prevalence baseline.
import numpy as np
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from course_figures import DOTS, LINES, label_point, legend, mark, new_figure, publish
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
prevalence = float(np.mean(y_val))


# One point per validation probability, from the highest threshold down, then the operating points.
thresholds = np.sort(p_val)[::-1]
cms = [confusion_matrix_at_threshold(y_val, p_val, t) for t in thresholds]
precision, recall = np.array([precision_recall_f1(cm)[:2] for cm in cms]).T
operating = {
    t: precision_recall_f1(confusion_matrix_at_threshold(y_val, p_val, t))[:2]
    for t in (0.20, 0.50, 0.80)
}

fig, ax = new_figure(size="square")
ax.axhline(prevalence, **LINES["reference"], label=f"prevalence baseline {prevalence:.2f}")
ax.plot(recall, precision, **LINES["model"], **DOTS, label="validation, a dot per request")
for i, (t, (prec, rec)) in enumerate(operating.items()):  # named on the plot, not in the legend
    ax.plot(rec, prec, **mark(i))
    # Above the point, clear of the curve's vertical steps and of each other.
    dx, ha = {0.20: (4, "right"), 0.50: (0, "center")}.get(t, (-8, "right"))
    label_point(ax, rec, prec, f"t = {t:.2f}", offset=(dx, 12), ha=ha)
ax.set(
    xlabel="recall (review cases caught)",
    ylabel="precision (review queue justified)",
    xlim=(0, 1.04),
    ylim=(0, 1.08),
)
ax.set_aspect("equal")
ax.set_title("Precision and recall, validation requests")
legend(ax, loc="lower left")

print(f"prevalence baseline: {prevalence:.2f}")
for t, (prec, rec) in operating.items():
    print(f"t={t:.2f}  recall={rec:.3f}  precision={prec:.3f}")
points = "; ".join(
    f"t = {t:.2f} at recall {r:.2f}, precision {p:.2f}" for t, (p, r) in operating.items()
)
publish(
    fig,
    "logistic-precision-recall",
    alt=(
        f"Precision-recall curve of the validation requests, one point per request, with recall "
        f"from {recall.min():.2f} to {recall.max():.2f} and precision between "
        f"{precision.min():.2f} and {precision.max():.2f}; a dotted horizontal baseline at the "
        f"prevalence {prevalence:.2f}. Marked operating points: {points}."
    ),
    caption=(
        f"Precision against recall as the threshold falls through the validation probabilities. "
        f"A queue filled at random would sit on the baseline, the share of requests needing "
        f"review ({prevalence:.2f}); with rarer review cases the baseline, and the whole curve, "
        "would drop."
    ),
    data={
        "threshold": thresholds,
        "precision": precision,
        "recall": recall,
        "prevalence": np.array([prevalence]),
    },
)
