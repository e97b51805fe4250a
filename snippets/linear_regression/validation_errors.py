# The least-squares fit on the eight held-out requests: residuals, MSE, RMSE and R².
import numpy as np
from latency_requests import X_train_raw, X_val_raw, val_ids, y_train, y_val
from linear_scratch import add_intercept, fit_least_squares, mean_squared_error, predict, r_squared

w = fit_least_squares(add_intercept(X_train_raw), y_train)
y_hat_val = predict(add_intercept(X_val_raw), w)
residuals = y_val - y_hat_val  # positive: the evidence arrived later than predicted
for request, (pages, docs), measured, pred, res in zip(
    val_ids, X_val_raw, y_val, y_hat_val, residuals, strict=True
):
    print(
        f"request={request}  pages={pages:2.0f}  docs={docs:.0f}  measured={measured:4.0f}  "
        f"predicted={pred:6.1f}  residual={res:+5.1f}"
    )

splits = {"training": (X_train_raw, y_train), "validation": (X_val_raw, y_val)}
for name, (X_raw, y) in splits.items():
    y_hat = predict(add_intercept(X_raw), w)
    mse = mean_squared_error(y, y_hat)
    print(f"split={name}  mse={mse:.1f}  rmse={np.sqrt(mse):.1f}  r2={r_squared(y, y_hat):.3f}")
print(f"validation SS_res (ms²): {np.sum(residuals**2):.0f}")
print(f"validation SS_tot (ms²): {np.sum((y_val - y_val.mean()) ** 2):.0f}")
print(f"largest validation under-prediction (ms): {residuals.max():.1f}")
