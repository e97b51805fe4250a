# Figure: training log loss after every epoch (lr 0.2, 3000 epochs), the five logged epochs marked.
import contextlib
import io
import re

import numpy as np
from access_requests import X_train_raw, y_train
from course_figures import LINES, label_point, legend, mark, new_figure, publish
from logistic_scratch import (
    PROGRESS_EPOCHS,
    add_intercept,
    fit_logistic,
    log_loss_from_logits,
    logistic_gradient,
)

LR, EPOCHS = 0.2, 3000
X = add_intercept(X_train_raw)

# fit_logistic returns only the weights, so step with the module's own gradient and loss...
w = np.zeros(X.shape[1])
loss = np.empty(EPOCHS)
for epoch in range(EPOCHS):
    w = w - LR * logistic_gradient(X, y_train, w)
    loss[epoch] = log_loss_from_logits(y_train, X @ w)
epochs = np.arange(1, EPOCHS + 1)

# ...and prove the steps are fit_logistic's: same final weights, same logged losses.
progress = io.StringIO()
with contextlib.redirect_stdout(progress):
    w_fit = fit_logistic(X, y_train, lr=LR, epochs=EPOCHS, verbose=True)
logged = {
    int(m["epoch"]): m["loss"]
    for m in re.finditer(r"after_epoch=\s*(?P<epoch>\d+) loss=(?P<loss>\S+)", progress.getvalue())
}
marked = np.array([*PROGRESS_EPOCHS, EPOCHS])
assert np.array_equal(w, w_fit), "stepped weights differ from fit_logistic's"
assert sorted(logged) == list(marked), f"fit_logistic logged epochs {sorted(logged)}"
assert all(logged[e] == f"{loss[e - 1]:.4f}" for e in marked), "logged losses differ"
marked_loss = loss[marked - 1]

fig, ax = new_figure(size="square")
ax.axhline(np.log(2), **LINES["reference"], label=f"zero weights: log 2 = {np.log(2):.4f}")
ax.plot(epochs, loss, **LINES["model"], label="training log loss after each epoch")
ax.plot(marked, marked_loss, **mark(0), label="logged by fit_logistic (epoch: loss)")
# Each logged loss beside its point, clear of the curve (offsets in points).
offsets = {1: (10, -4), 201: (10, 8), 501: (8, 10), 1001: (0, -16), EPOCHS: (6, -16)}
for e, value in zip(marked, marked_loss, strict=True):
    dx, dy = offsets[e]
    ha = "right" if e == EPOCHS else ("left" if dx else "center")
    label_point(ax, e, value, f"{e}: {value:.4f}", offset=(dx, dy), ha=ha)
ax.set(xlabel="epoch", ylabel="mean log loss (training)", xlim=(-60, EPOCHS + 60))
ax.set(xticks=np.arange(0, EPOCHS + 1, 1000), ylim=(0.33, 0.72))
ax.set_title(f"Gradient descent, learning rate {LR}")
legend(ax, "below")

pairs = list(zip(marked, marked_loss, strict=True))
print(f"weights equal to fit_logistic's: {np.array_equal(w, w_fit)}")
print(f"logged epochs (epoch:loss): {', '.join(f'{e}:{v:.4f}' for e, v in pairs)}")
print(f"loss drop from epoch 1 to 201: {loss[0] - loss[200]:.4f}")
print(f"loss drop from epoch 1001 to {EPOCHS}: {loss[1000] - loss[-1]:.4f}")
publish(
    fig,
    "logistic-training-loss",
    alt=(
        f"Line chart of the training log loss over {EPOCHS} epochs of gradient descent with "
        f"learning rate {LR}. The loss falls steeply at first and then flattens. Marked logged "
        f"epochs: {', '.join(f'epoch {e} loss {v:.4f}' for e, v in pairs)}. "
        f"The dotted line at {np.log(2):.4f} is the loss with zero weights."
    ),
    caption=(
        f"Training log loss after each of the {EPOCHS} updates, computed by stepping with the "
        "module's logistic_gradient and checked against fit_logistic (same final weights, same "
        "logged losses). Most of the drop happens in the first few hundred epochs."
    ),
    data={"epoch": epochs, "loss": loss, "marked_epoch": marked, "marked_loss": marked_loss},
)
