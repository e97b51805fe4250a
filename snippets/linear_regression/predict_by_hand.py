# Rule-of-thumb weights: one prediction by hand, then all eight as X @ w and by broadcasting.
import numpy as np
from latency_requests import X_train_raw
from linear_scratch import add_intercept, predict

w_guess = np.array([100.0, 60.0, 50.0])  # ms to connect, per audit-log page, per policy document
X = add_intercept(X_train_raw)
terms = w_guess * X[0]  # the three products of T1's row with the weights
print(f"T1 terms (ms): {terms[0]:.0f} + {terms[1]:.0f} + {terms[2]:.0f}")
print(f"T1 prediction (ms): {terms.sum():.0f}")

y_hat = predict(X, w_guess)  # (8, 3) @ (3,) -> (8,)
print(f"X shape: {X.shape}")
print(f"w shape: {w_guess.shape}")
print("X @ w:", y_hat)
print(f"X @ w shape: {y_hat.shape}")

products = X_train_raw * w_guess[1:]  # (8, 2) * (2,): the weights repeat down every row
print(f"X_raw shape: {X_train_raw.shape}")
print(f"shape of the weights without the intercept: {w_guess[1:].shape}")
print(f"products shape: {products.shape}")
y_broadcast = w_guess[0] + products.sum(axis=1)  # a scalar plus an (8,) array
print(f"same as X @ w: {np.array_equal(y_broadcast, y_hat)}")
