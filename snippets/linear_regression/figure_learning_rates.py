# Figure: training MSE per epoch on raw features, learning rate too small, working, too large.
import numpy as np
from course_figures import LINES, PALETTE, legend, log_ticks, new_figure, publish
from latency_requests import X_train_raw, y_train
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    fit_linear,
    linear_gradient,
    mean_squared_error,
)

EPOCHS = 300
RATES = {0.002: "too small", 0.02: "works", 0.03: "too large"}
STYLES = {
    0.002: {"color": PALETTE["orange"], "linestyle": "--", "linewidth": 2.0},
    0.02: LINES["model"],
    0.03: {"color": PALETTE["vermillion"], "linestyle": "-.", "linewidth": 2.0},
}
X = add_intercept(X_train_raw)
best = mean_squared_error(y_train, X @ fit_least_squares(X, y_train))

# fit_linear returns only the weights, so step with the module's gradient and keep every MSE.
curves = {}
for lr in RATES:
    w, mse = np.zeros(3), np.empty(EPOCHS)
    for epoch in range(EPOCHS):
        w = w - lr * linear_gradient(X, y_train, w)
        mse[epoch] = mean_squared_error(y_train, X @ w)
    assert np.array_equal(w, fit_linear(X, y_train, lr=lr, epochs=EPOCHS)), "not fit_linear's steps"
    curves[lr] = mse
epochs = np.arange(1, EPOCHS + 1)

fig, ax = new_figure(size="square")
ax.axhline(best, **LINES["reference"], label=f"least squares: {best:.1f}")
for lr, word in RATES.items():
    ax.plot(epochs, curves[lr], **STYLES[lr], label=f"lr {lr} ({word})")
ax.set_yscale("log")
log_ticks(ax.yaxis)
ax.set(xlabel="epoch", ylabel="training MSE (ms², log scale)", xlim=(0, EPOCHS), ylim=(300, 1e7))
ax.set_title("Raw features: three learning rates")
legend(ax, "below")

curvature = np.linalg.eigvalsh(X.T @ X / len(X)).max()
for lr in RATES:
    print(f"lr={lr}  mse_after_{EPOCHS}={curves[lr][-1]:.4g}")
print(f"least-squares MSE (ms²): {best:.1f}")
print(f"largest curvature: {curvature:.2f}")
print(f"step-size limit 2 / curvature: {2 / curvature:.4g}")
publish(
    fig,
    "linear-learning-rates",
    alt=(
        f"Line chart of the training mean squared error over {EPOCHS} epochs of gradient "
        "descent on the raw features, log scale. "
        + ". ".join(
            f"Learning rate {lr} ({word}) ends at {curves[lr][-1]:.4g}"
            for lr, word in RATES.items()
        )
        + f". The dotted line marks the least-squares MSE, {best:.1f}."
    ),
    caption=(
        f"At {min(RATES)} the error falls slowly, at 0.02 it settles near the least-squares "
        f"value, and at {max(RATES)}, just above the limit {2 / curvature:.4g}, it grows "
        "every epoch."
    ),
    data={f"mse_lr_{lr}": curve for lr, curve in curves.items()},
)
