# Exercise: fit on audit-log pages alone and compare with both features on the validation requests.
import numpy as np
from latency_requests import X_train_raw, X_val_raw, y_train, y_val
from linear_scratch import add_intercept, fit_least_squares, mean_squared_error, predict

columns = {"both": [0, 1], "pages_only": [0]}
rmse = {}
for name, cols in columns.items():
    w = fit_least_squares(add_intercept(X_train_raw[:, cols]), y_train)
    y_hat = predict(add_intercept(X_val_raw[:, cols]), w)
    rmse[name] = np.sqrt(mean_squared_error(y_val, y_hat))
    print(f"features={name}  weights={np.round(w, 2)}  validation_rmse={rmse[name]:.1f}")
print(f"RMSE ratio, pages only to both: {rmse['pages_only'] / rmse['both']:.1f}")
