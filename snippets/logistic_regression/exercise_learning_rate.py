# Exercise: the same 3000 epochs with four learning rates; compare loss and gradient norm.
import numpy as np
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept, fit_logistic, log_loss_from_logits, logistic_gradient

X = add_intercept(X_train_raw)
for lr in (0.02, 0.2, 1.0, 2.0):
    w = fit_logistic(X, y_train, lr=lr, epochs=3000)
    loss = log_loss_from_logits(y_train, X @ w)
    grad = np.linalg.norm(logistic_gradient(X, y_train, w))
    weights = " ".join(f"w{j}={v:.2f}" for j, v in enumerate(w))
    print(f"lr={lr:.2f}  loss={loss:.4f}  grad={grad:.1e}  {weights}")

# Curvature of the loss at zero weights (every p is 0.5): steps above 2 / curvature overshoot.
hessian = X.T @ X * 0.25 / len(X)
curvature = np.linalg.eigvalsh(hessian).max()
print(f"largest curvature at zero weights: {curvature:.2f}")
print(f"step-size limit at zero weights: {2 / curvature:.3f}")
