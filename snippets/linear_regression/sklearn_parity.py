# Parity with scikit-learn's LinearRegression on the raw features; it fits its own intercept.
import numpy as np
from latency_requests import X_train_raw, X_val_raw, y_train, y_val
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    fit_linear,
    fit_scaler,
    mean_squared_error,
    r_squared,
    standardize,
    unscale_weights,
)
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error as sk_mse

reg = LinearRegression().fit(X_train_raw, y_train)  # no column of ones: it adds the intercept
w_sk = np.concatenate([[reg.intercept_], reg.coef_])
w_ls = fit_least_squares(add_intercept(X_train_raw), y_train)
mean, scale = fit_scaler(X_train_raw)
Z = add_intercept(standardize(X_train_raw, mean, scale))
w_gd = unscale_weights(fit_linear(Z, y_train, lr=0.1, epochs=200), mean, scale)
print(f"sklearn weights:       {np.round(w_sk, 2)}")
print(f"lstsq weights:         {np.round(w_ls, 2)}")
print(f"gradient descent:      {np.round(w_gd, 2)}")
print(f"lstsq equals sklearn (atol 1e-9): {np.allclose(w_ls, w_sk, atol=1e-9)}")
print(f"largest gradient-descent gap: {np.max(np.abs(w_gd - w_sk)):.1e}")

# scikit-learn centres X and y, solves for the slopes, then recovers the intercept from the means.
intercept = y_train.mean() - X_train_raw.mean(axis=0) @ reg.coef_
print(f"intercept from the means matches: {np.isclose(intercept, reg.intercept_)}")
y_hat_val = reg.predict(X_val_raw)
print(f"sklearn validation MSE (ms²): {sk_mse(y_val, y_hat_val):.1f}")
print(f"sklearn validation R²: {reg.score(X_val_raw, y_val):.3f}")
ours = add_intercept(X_val_raw) @ w_ls
same_mse = np.isclose(mean_squared_error(y_val, ours), sk_mse(y_val, y_hat_val))
same_r2 = np.isclose(r_squared(y_val, ours), reg.score(X_val_raw, y_val))
print(f"same MSE and R² as ours: {same_mse and same_r2}")
