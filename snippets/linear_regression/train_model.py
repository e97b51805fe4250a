# The chapter's fit: gradient descent on standardised features, then weights back in raw units.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    fit_linear,
    fit_scaler,
    standardize,
    unscale_weights,
)

mean, scale = fit_scaler(X_train_raw)
Z = add_intercept(standardize(X_train_raw, mean, scale))
w_scaled = fit_linear(Z, y_train, lr=0.1, epochs=200, verbose=True)
w = unscale_weights(w_scaled, mean, scale)
w_ls = fit_least_squares(add_intercept(X_train_raw), y_train)
print(f"standardised weights: {np.round(w_scaled, 2)}")
print(f"intercept equals the mean training latency: {np.isclose(w_scaled[0], y_train.mean())}")
print(f"weights in raw units: {np.round(w, 2)}")
print(f"largest gap to least squares: {np.max(np.abs(w - w_ls)):.1e}")
