# Figure: validation ROC curve with its AUC, the chance diagonal and three operating points.
import numpy as np
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from course_figures import LINES, label_point, legend, mark, new_figure, publish
from logistic_scratch import add_intercept, auc_by_pairs, fit_logistic, predict_proba, roc_points

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
auc = auc_by_pairs(y_val, p_val)

# Every corner of the curve: no request reviewed (t = 1), then each probability from the top.
curve = roc_points(y_val, p_val, [1.0, *np.sort(p_val)[::-1], 0.0])
fpr, tpr = np.array([c[1] for c in curve]), np.array([c[2] for c in curve])
operating = roc_points(y_val, p_val, [0.20, 0.50, 0.80])

fig, ax = new_figure(size="square")
ax.plot([0, 1], [0, 1], **LINES["reference"], label="chance (AUC = 0.5)")
ax.plot(fpr, tpr, **LINES["model"], label="validation requests")
for i, (t, x, y) in enumerate(operating):  # named on the plot: no legend entry needed
    ax.plot(x, y, **mark(i))
    label_point(ax, x, y, f"t = {t:.2f}", offset=(9, -10))
ax.set(
    xlabel="false-positive rate\n(harmless requests sent to review)",
    ylabel="true-positive rate = recall",
    xlim=(-0.03, 1.03),
    ylim=(-0.03, 1.06),
)
ax.set_aspect("equal")
ax.set_title(f"Validation ROC curve, AUC = {auc:.3f}")
legend(ax, loc="lower right")

print(f"validation AUC: {auc:.3f}")
print(f"curve corners: {len(fpr)}")
for t, x, y in operating:
    print(f"t={t:.2f}  fpr={x:.3f}  tpr={y:.3f}")
points = "; ".join(f"t = {t:.2f} at FPR {x:.2f}, TPR {y:.2f}" for t, x, y in operating)
publish(
    fig,
    "logistic-roc",
    alt=(
        f"ROC curve of the validation requests: a staircase from (0, 0) to (1, 1) above the "
        f"dotted chance diagonal, with AUC {auc:.3f}. Marked operating points: {points}."
    ),
    caption=(
        f"ROC curve traced through every validation probability (AUC {auc:.3f}). Each step up "
        "is a request that needed review, each step right a harmless one. Lowering the "
        "threshold from 0.80 to 0.20 moves the operating point up and to the right."
    ),
    data={"fpr": fpr, "tpr": tpr, "operating": np.array(operating), "auc": np.array([auc])},
)
