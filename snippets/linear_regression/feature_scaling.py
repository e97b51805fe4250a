# Standardise the features with training statistics; compare curvature and epochs before and after.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    fit_scaler,
    linear_gradient,
    mean_squared_error,
    standardize,
)

mean, scale = fit_scaler(X_train_raw)  # training rows only
Z = standardize(X_train_raw, mean, scale)  # (8, 2) - (2,), then / (2,)
print(f"training mean (pages, docs): {np.round(mean, 2)}")
print(f"training std (pages, docs): {np.round(scale, 3)}")
print(f"T1 standardised: {np.round(Z[0], 3)}")
print(f"standardised means: {np.round(Z.mean(axis=0), 12) + 0.0}")
print(f"standardised stds: {np.round(Z.std(axis=0), 12)}")

designs = {"raw": add_intercept(X_train_raw), "standardised": add_intercept(Z)}
target = mean_squared_error(y_train, designs["raw"] @ fit_least_squares(designs["raw"], y_train))


def epochs_to_optimum(X: np.ndarray, lr: float, limit: int = 20000) -> int:
    """Epochs of batch gradient descent until the MSE is within 0.01 ms² of least squares."""
    w = np.zeros(X.shape[1])
    for epoch in range(1, limit + 1):
        w = w - lr * linear_gradient(X, y_train, w)
        if mean_squared_error(y_train, X @ w) - target < 0.01:
            return epoch
    return limit


for name, lr in (("raw", 0.02), ("standardised", 0.1), ("standardised", 1.0)):
    X = designs[name]
    curvature = np.linalg.eigvalsh(X.T @ X / len(X))
    print(
        f"lr={lr}  features={name}  largest_curvature={curvature.max():.2f}  "
        f"lr_limit={2 / curvature.max():.4g}  condition={curvature.max() / curvature.min():.1f}  "
        f"epochs={epochs_to_optimum(X, lr)}"
    )
