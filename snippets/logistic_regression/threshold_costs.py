# Choose the threshold on the held-out validation requests: errors, F1 and dollar cost.
from access_requests import FN_COST, FP_COST, X_train_raw, X_val_raw, val_ids, y_train, y_val
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    total_cost,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)  # weights come from training only
p_val = predict_proba(add_intercept(X_val_raw), w)
for request, (x1, x2), y, p in zip(val_ids, X_val_raw, y_val, p_val, strict=True):
    print(f"request={request}  x1={x1:.1f}  x2={x2:.1f}  y={y}  p={p:.3f}")

costs = {}
for t in (0.20, 0.50, 0.80):
    cm = confusion_matrix_at_threshold(y_val, p_val, t)
    precision, recall, f1 = precision_recall_f1(cm)
    costs[t] = total_cost(cm, FN_COST, FP_COST)
    counts = " ".join(f"{k}={v}" for k, v in cm.items())
    print(
        f"t={t:.2f} {counts} precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}"
        f" cost=${costs[t]:.0f}"
    )
print(f"cheapest threshold: {min(costs, key=costs.get):.2f}")
print(f"unnecessary reviews per missed review: {FN_COST / FP_COST:.1f}")
print(f"break-even probability: {FP_COST / (FP_COST + FN_COST):.3f}")
