# Exercise: the largest stable learning rate on standardised features, tried on each side.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept, fit_linear, fit_scaler, mean_squared_error, standardize

mean, scale = fit_scaler(X_train_raw)
Z = add_intercept(standardize(X_train_raw, mean, scale))
curvature = np.linalg.eigvalsh(Z.T @ Z / len(Z)).max()
limit = 2 / curvature
print(f"largest curvature: {curvature:.4f}")
print(f"step-size limit (2 / curvature): {limit:.3f}")
final_mse = {}
for lr in (1.7, 1.8):
    w = fit_linear(Z, y_train, lr=lr, epochs=200)
    final_mse[lr] = mean_squared_error(y_train, Z @ w)
    print(f"lr={lr}  mse_after_200={final_mse[lr]:.4g}")
