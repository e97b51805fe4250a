# Exercise: add pages squared as a fourth column; the fit, the validation error and REQ-10234 again.
import numpy as np
from latency_requests import (
    BUDGET_MS,
    NEW_REQUEST_RAW,
    X_train_raw,
    X_val_raw,
    y_train,
    y_val,
)
from linear_scratch import add_intercept, fit_least_squares, mean_squared_error, predict


def with_squared_pages(X_raw: np.ndarray) -> np.ndarray:
    """Design matrix with columns: ones, pages, documents, pages squared."""
    return np.column_stack([add_intercept(X_raw), X_raw[:, 0] ** 2])


w_sq = fit_least_squares(with_squared_pages(X_train_raw), y_train)
residuals_sq = y_val - predict(with_squared_pages(X_val_raw), w_sq)
new_prediction = predict(with_squared_pages(NEW_REQUEST_RAW.reshape(1, -1)), w_sq)[0]
print(f"weights (ones, pages, docs, pages²): {np.round(w_sq, 2)}")
rmse_sq = np.sqrt(np.mean(residuals_sq**2))
w = fit_least_squares(add_intercept(X_train_raw), y_train)
rmse_line = np.sqrt(mean_squared_error(y_val, predict(add_intercept(X_val_raw), w)))
print(f"validation RMSE, straight line (ms): {rmse_line:.1f}")
print(f"validation RMSE, with pages² (ms): {rmse_sq:.1f}")
print(f"largest validation under-prediction (ms): {residuals_sq.max():.1f}")
print(f"REQ-10234 prediction (ms): {new_prediction:.1f}")
print(f"REQ-10234 margin (ms): {BUDGET_MS - new_prediction:.1f}")
