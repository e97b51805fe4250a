# Where each fit stops: weights, training loss and gradient norm, compared with the optimum.
import numpy as np
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept, fit_logistic, log_loss_from_logits, logistic_gradient
from sklearn.linear_model import LogisticRegression

X = add_intercept(X_train_raw)
fits = {"gd": (fit_logistic(X, y_train, epochs=3000), 3000)}
for name, tol in (("sk", 1e-4), ("sk_tight", 1e-10)):
    clf = LogisticRegression(C=np.inf, fit_intercept=False, tol=tol, max_iter=10_000)
    clf.fit(X, y_train)
    fits[name] = (clf.coef_[0], int(clf.n_iter_[0]))
fits["gd_long"] = (fit_logistic(X, y_train, epochs=20_000), 20_000)

for name, (w, iters) in fits.items():
    grad = np.linalg.norm(logistic_gradient(X, y_train, w))
    shown = f"{grad:.1e}" if grad >= 1e-8 else "<1e-08"  # smaller values are rounding noise
    weights = " ".join(f"w{j}={v:.3f}" for j, v in enumerate(w))
    loss = log_loss_from_logits(y_train, X @ w)
    print(f"fit={name} iters={iters} {weights} loss={loss:.6f} grad={shown}")
