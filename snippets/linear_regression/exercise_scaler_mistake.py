# Exercise: score REQ-10234 with the standardised weights, correctly and with two scaling mistakes.
import numpy as np
from latency_requests import NEW_REQUEST_RAW, X_train_raw, X_val_raw, y_train, y_val
from linear_scratch import (
    add_intercept,
    fit_linear,
    fit_scaler,
    mean_squared_error,
    standardize,
)

mean, scale = fit_scaler(X_train_raw)
w_scaled = fit_linear(add_intercept(standardize(X_train_raw, mean, scale)), y_train)
x_new = NEW_REQUEST_RAW.reshape(1, -1)

correct = (add_intercept(standardize(x_new, mean, scale)) @ w_scaled)[0]
unscaled_input = (add_intercept(x_new) @ w_scaled)[0]  # raw pages and docs, standardised weights
print(f"with the training statistics (ms): {correct:.1f}")
print(f"raw features into standardised weights (ms): {unscaled_input:.1f}")
try:
    fit_scaler(x_new)  # statistics of the one new request itself
except ValueError as error:
    print(f"scaler fitted on the new request alone: ValueError ({error})")

val_mean, val_scale = fit_scaler(X_val_raw)  # the validation rows' own statistics
rmse = {}
for name, (m, s) in {"training": (mean, scale), "validation": (val_mean, val_scale)}.items():
    y_hat = add_intercept(standardize(X_val_raw, m, s)) @ w_scaled
    rmse[name] = np.sqrt(mean_squared_error(y_val, y_hat))
    print(f"statistics={name}  validation_rmse={rmse[name]:.1f}")
