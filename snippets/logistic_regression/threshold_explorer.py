# Data for the threshold explorer: validation probabilities, labels, costs and the chosen threshold.
from access_requests import FN_COST, FP_COST, X_train_raw, X_val_raw, val_ids, y_train, y_val
from course_figures import publish_data
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    roc_points,
    total_cost,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)  # weights come from training only
p_val = predict_proba(add_intercept(X_val_raw), w)
costs = {
    t: total_cost(confusion_matrix_at_threshold(y_val, p_val, t), FN_COST, FP_COST)
    for t in (0.20, 0.50, 0.80)  # the chapter's three candidates, as in threshold_costs.py
}
chosen = min(costs, key=costs.get)
cm = confusion_matrix_at_threshold(y_val, p_val, chosen)
precision, recall, f1 = precision_recall_f1(cm)
_, fpr, tpr = roc_points(y_val, p_val, [chosen])[0]

print(f"validation requests: {len(p_val)}")
print(f"chosen threshold: {chosen:.2f}")
counts = " ".join(f"{k}={v}" for k, v in cm.items())
print(
    f"t={chosen:.2f} {counts} precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}"
    f" fpr={fpr:.3f} tpr={tpr:.3f} cost=${costs[chosen]:.0f}"
)
publish_data(
    "threshold-explorer",
    {
        "requests": [
            {"id": request, "p": round(float(p), 6), "y": int(y)}
            for request, p, y in zip(val_ids, p_val, y_val, strict=True)
        ],
        "fn_cost": FN_COST,
        "fp_cost": FP_COST,
        "chosen": chosen,
    },
)
