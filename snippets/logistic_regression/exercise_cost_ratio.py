# Exercise: make unnecessary reviews dearer and watch the cheapest threshold move.
from access_requests import FN_COST, X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    predict_proba,
    total_cost,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
matrices = {t: confusion_matrix_at_threshold(y_val, p_val, t) for t in (0.2, 0.5, 0.8)}

for fp_cost in (18, 60, 120, 180):
    costs = {t: total_cost(cm, FN_COST, fp_cost) for t, cm in matrices.items()}
    shown = "  ".join(f"t{t:.2f}=${c:.0f}" for t, c in costs.items())
    best = min(costs, key=costs.get)  # on a tie, the lowest threshold wins
    break_even = fp_cost / (fp_cost + FN_COST)
    print(f"fp_cost={fp_cost}  {shown}  best={best:.2f}  break_even={break_even:.2f}")
