# Log loss of request R4 (label 1) at the untrained start and for a better model.
import numpy as np
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept, log_loss_from_logits, sigmoid

x_r4, y_r4 = add_intercept(X_train_raw)[3], int(y_train[3])
z_start = x_r4 @ np.zeros(3)  # w = [0, 0, 0]
print(f"R4 row with intercept: {x_r4}")
print(f"R4 label: {y_r4}")
print(f"start score: {z_start:.3f}")
print(f"start probability: {sigmoid(z_start):.3f}")
print(f"start loss: {log_loss_from_logits([y_r4], [z_start]):.3f}")

p_better = 0.82
z_better = np.log(p_better / (1 - p_better))  # the logit that the sigmoid maps to 0.82
print(f"better-model logit: {z_better:.3f}")
print(f"better-model loss: {log_loss_from_logits([y_r4], [z_better]):.3f}")
print(f"same p, label 0 instead: {log_loss_from_logits([0], [z_better]):.3f}")
