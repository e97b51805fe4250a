# Exercise: one training latency logged as a 3000 ms timeout; how far the least-squares fit moves.
import numpy as np
from latency_requests import X_train_raw, X_val_raw, y_train, y_val
from linear_scratch import add_intercept, fit_least_squares, mean_squared_error, predict

y_timeout = y_train.copy()  # the data module's arrays are read-only: copy before editing
y_timeout[4] = 3000  # T5's retrieval hit the client timeout and was logged at the cap
fits = {"recorded": y_train, "timeout": y_timeout}
weights, rmse = {}, {}
for name, y in fits.items():
    weights[name] = fit_least_squares(add_intercept(X_train_raw), y)
    y_hat = predict(add_intercept(X_val_raw), weights[name])
    rmse[name] = np.sqrt(mean_squared_error(y_val, y_hat))
    print(f"labels={name}  weights={np.round(weights[name], 1)}  validation_rmse={rmse[name]:.1f}")
fitted_timeout = predict(add_intercept(X_train_raw), weights["timeout"])
squared = (y_timeout - fitted_timeout) ** 2
print(f"T5 residual in the timeout fit (ms): {y_timeout[4] - fitted_timeout[4]:.1f}")
print(f"T5 share of the squared error in the timeout fit: {squared[4] / squared.sum():.0%}")
