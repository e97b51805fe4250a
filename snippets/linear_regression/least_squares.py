# The closed-form least-squares fit on the training requests, solved with np.linalg.lstsq.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    linear_gradient,
    mean_squared_error,
    predict,
)

w_guess = np.array([100.0, 60.0, 50.0])  # the rule of thumb of the previous sections
X = add_intercept(X_train_raw)
w = fit_least_squares(X, y_train)
mse = mean_squared_error(y_train, predict(X, w))
print(f"least-squares weights: {np.round(w, 2)}")
print(f"w0 fixed cost (ms): {w[0]:.2f}")
print(f"w1 per audit-log page (ms): {w[1]:.2f}")
print(f"w2 per policy document (ms): {w[2]:.2f}")
print(f"training MSE (ms²): {mse:.1f}")
print(f"training RMSE (ms): {np.sqrt(mse):.1f}")
print(f"rule-of-thumb MSE for comparison (ms²): {mean_squared_error(y_train, X @ w_guess):.1f}")
grad = linear_gradient(X, y_train, w)  # zero at the minimum: the normal equations hold
print(f"gradient at the fit is zero (atol 1e-9): {np.allclose(grad, 0, atol=1e-9)}")
