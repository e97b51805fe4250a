# Exercise: REQ-10234 under four budgets; miss chance, expected cost and route for each.
import numpy as np
from latency_requests import (
    MANUAL_COST,
    MISS_COST,
    NEW_REQUEST_RAW,
    X_train_raw,
    X_val_raw,
    y_train,
    y_val,
)
from linear_scratch import add_intercept, fit_least_squares, predict

w = fit_least_squares(add_intercept(X_train_raw), y_train)
prediction = predict(add_intercept(NEW_REQUEST_RAW.reshape(1, -1)), w)[0]
residuals = y_val - predict(add_intercept(X_val_raw), w)
chances, routes = {}, {}
for budget in (850, 875, 900, 950):
    chances[budget] = float(np.mean(residuals > budget - prediction))
    routes[budget] = "automatic" if chances[budget] * MISS_COST < MANUAL_COST else "manual"
    print(
        f"budget={budget}  margin={budget - prediction:+.1f}  miss_chance={chances[budget]:.3f}  "
        f"expected_cost=${chances[budget] * MISS_COST:.2f}  route={routes[budget]}"
    )
print(f"prediction (ms): {prediction:.1f}")
