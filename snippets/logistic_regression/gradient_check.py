# Analytic gradient of R4's loss at w = 0, checked against central finite differences.
import numpy as np
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept, log_loss_from_logits, logistic_gradient, sigmoid

x_r4 = add_intercept(X_train_raw)[3:4]  # one row, kept 2-D
y_r4 = y_train[3:4]
w = np.zeros(3)
p = float(sigmoid(x_r4[0] @ w))
analytic = logistic_gradient(x_r4, y_r4, w)

eps = 1e-6
numeric = []
for step in eps * np.eye(3):  # nudge one weight at a time, up and down
    up = log_loss_from_logits(y_r4, x_r4 @ (w + step))
    down = log_loss_from_logits(y_r4, x_r4 @ (w - step))
    numeric.append((up - down) / (2 * eps))
numeric = np.array(numeric)

print(f"p: {p:.3f}")
print(f"p - y: {p - y_r4[0]:.3f}")
for j, g in enumerate(analytic):
    print(f"dL/dw{j}: {g:.3f}")
print("analytic:", analytic.round(3))
print("numeric: ", numeric.round(3))
print(f"match: {np.allclose(analytic, numeric, atol=1e-6)}")
