# The gradient at the rule-of-thumb weights: T1 by hand, then all rows checked numerically.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept, half_mse, linear_gradient

X = add_intercept(X_train_raw)
w = np.array([100.0, 60.0, 50.0])
error_t1 = X[0] @ w - y_train[0]
print(f"T1 error (ms): {error_t1:+.0f}")
for j, x in enumerate(X[0]):
    print(f"T1 dJ/dw{j}: {error_t1 * x:+.0f}")

analytic = linear_gradient(X, y_train, w)  # X.T @ (X @ w - y) / n
eps = 1e-3
numeric = []
for step in eps * np.eye(3):  # nudge one weight at a time, up and down
    numeric.append((half_mse(X, y_train, w + step) - half_mse(X, y_train, w - step)) / (2 * eps))
numeric = np.array(numeric)
print("analytic:", analytic.round(3))
print("numeric: ", numeric.round(3))
print(f"dJ/dw0: {analytic[0]:.2f}")
print(f"dJ/dw1: {analytic[1]:.2f}")
print(f"dJ/dw2: {analytic[2]:.2f}")
print(f"match: {np.allclose(analytic, numeric, rtol=1e-6)}")
