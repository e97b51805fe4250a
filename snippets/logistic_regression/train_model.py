# Fit by batch gradient descent on the training requests; fit_logistic prints its progress.
import numpy as np
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept, fit_logistic, log_loss_from_logits

X = add_intercept(X_train_raw)
w = fit_logistic(X, y_train, lr=0.2, epochs=3000, verbose=True)
w_one_epoch = fit_logistic(X, y_train, lr=0.2, epochs=1)

print(f"loss at zero weights: {log_loss_from_logits(y_train, X @ np.zeros(3)):.4f}")
print(f"loss after epoch 1: {log_loss_from_logits(y_train, X @ w_one_epoch):.4f}")
print(f"loss after epoch 3000: {log_loss_from_logits(y_train, X @ w):.4f}")
print(f"final weights: {np.round(w, 3)}")
print(f"w0 intercept: {w[0]:.3f}")
print(f"w1 ambiguity: {w[1]:.3f}")
print(f"w2 policy support: {w[2]:.3f}")
print(f"odds factor per unit of ambiguity: {np.exp(w[1]):.1f}")
print(f"odds factor per unit of policy support: {np.exp(w[2]):.2f}")
