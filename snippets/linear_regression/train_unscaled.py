# Batch gradient descent on the raw features: learning rate 0.02, 5000 epochs, progress printed.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept, fit_least_squares, fit_linear

X = add_intercept(X_train_raw)
w = fit_linear(X, y_train, lr=0.02, epochs=5000, verbose=True)
w_ls = fit_least_squares(X, y_train)
print(f"gradient descent weights: {np.round(w, 2)}")
print(f"least-squares weights:    {np.round(w_ls, 2)}")
print(f"largest weight gap: {np.max(np.abs(w - w_ls)):.1e}")
