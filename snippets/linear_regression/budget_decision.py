# The decision for REQ-10234: predicted latency against the budget, then held-out residuals.
import numpy as np
from latency_requests import (
    BUDGET_MS,
    MANUAL_COST,
    MISS_COST,
    NEW_REQUEST_ID,
    NEW_REQUEST_RAW,
    X_train_raw,
    X_val_raw,
    simulate_requests,
    y_train,
    y_val,
)
from linear_scratch import add_intercept, fit_least_squares, predict

w = fit_least_squares(add_intercept(X_train_raw), y_train)
prediction = predict(add_intercept(NEW_REQUEST_RAW.reshape(1, -1)), w)[0]
margin = BUDGET_MS - prediction
print(f"request: {NEW_REQUEST_ID}")
print(f"audit-log pages: {NEW_REQUEST_RAW[0]:.0f}")
print(f"policy documents: {NEW_REQUEST_RAW[1]:.0f}")
print(f"prediction (ms): {prediction:.1f}")
print(f"budget (ms): {BUDGET_MS}")
print(f"margin (ms): {margin:.1f}")

X_syn, y_syn = simulate_requests(200)
held_out = {
    "validation": y_val - predict(add_intercept(X_val_raw), w),
    "synthetic": y_syn - predict(add_intercept(X_syn), w),
}
print(f"validation RMSE (ms): {np.sqrt(np.mean(held_out['validation'] ** 2)):.1f}")
print(f"validation residuals, sorted: {np.sort(held_out['validation']).round(1)}")
for name, residuals in held_out.items():
    late = residuals > margin  # this much later than predicted would break the budget
    print(
        f"residuals={name}  above_margin={late.sum()}  of={len(residuals)}  "
        f"miss_chance={late.mean():.3f}  expected_cost=${late.mean() * MISS_COST:.2f}"
    )
break_even = MANUAL_COST / MISS_COST
print(f"manual route cost: ${MANUAL_COST}")
print(f"break-even miss chance: {break_even:.2f}")
chance = max(np.mean(r > margin) for r in held_out.values())
print(f"decision: {'automatic path' if chance < break_even else 'manual review'}")
