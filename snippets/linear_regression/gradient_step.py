# One epoch of batch gradient descent by hand: from zero weights, learning rate 0.02.
import numpy as np
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept, fit_linear, linear_gradient, mean_squared_error

X = add_intercept(X_train_raw)
lr, w_zero = 0.02, np.zeros(3)
grad = linear_gradient(X, y_train, w_zero)  # at w = 0 every error is -y
w_one = w_zero - lr * grad
print(f"gradient at zero: {grad}")
for j, (g, w) in enumerate(zip(grad, w_one, strict=True)):
    print(f"weight=w{j}  gradient={g:.2f}  after_one_step={w:.3f}")  # 0 - lr * gradient
print(f"MSE at zero weights (ms²): {mean_squared_error(y_train, X @ w_zero):.1f}")
print(f"MSE after one step (ms²): {mean_squared_error(y_train, X @ w_one):.1f}")
print(
    f"same as fit_linear, one epoch: {np.allclose(w_one, fit_linear(X, y_train, lr=lr, epochs=1))}"
)
