# Exercise: sweep five thresholds on the validation requests and find the cheapest one.
from access_requests import FN_COST, FP_COST, X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    total_cost,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)

costs = {}
for t in (0.2, 0.35, 0.5, 0.65, 0.8):
    cm = confusion_matrix_at_threshold(y_val, p_val, t)
    precision, recall, f1 = precision_recall_f1(cm)
    costs[t] = total_cost(cm, FN_COST, FP_COST)
    print(
        f"t={t:.2f}  precision={precision:.3f}  recall={recall:.3f}  f1={f1:.3f}"
        f"  cost=${costs[t]:.0f}"
    )
print(f"cheapest threshold: {min(costs, key=costs.get):.2f}")
