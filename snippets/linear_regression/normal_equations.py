# Why lstsq and not inv(X.T @ X): X.T @ X squares the conditioning; redundancy breaks inv.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept, fit_least_squares, mean_squared_error

X = add_intercept(X_train_raw)
print(f"cond(X): {np.linalg.cond(X):.1f}")
print(f"cond(X.T @ X): {np.linalg.cond(X.T @ X):.0f}")

# A redundant column: audit events in thousands, which is the page count again.
X_dup = np.column_stack([X, X_train_raw[:, 0]])
print(f"columns of X_dup: {X_dup.shape[1]}")
print(f"rank of X_dup: {np.linalg.matrix_rank(X_dup)}")
try:
    np.linalg.inv(X_dup.T @ X_dup)
    print("inv(X_dup.T @ X_dup): returned a matrix")
except np.linalg.LinAlgError as error:
    print(f"inv(X_dup.T @ X_dup): LinAlgError ({error})")
w_dup = fit_least_squares(X_dup, y_train)
print(f"lstsq weights with the duplicate: {np.round(w_dup, 2)}")
mse_dup = mean_squared_error(y_train, X_dup @ w_dup)
mse = mean_squared_error(y_train, X @ fit_least_squares(X, y_train))
same = np.isclose(mse_dup, mse)
print(f"same training MSE as without it: {same}")
