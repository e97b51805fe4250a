"""Linear regression from scratch: predictions, squared error, two ways to fit, scaling.

Every later snippet of the chapter and the test suite import from this file, so the page
shows one implementation only. Bad input raises ``ValueError`` with a message that names
the argument and the problem.
"""

import numpy as np
from numpy.typing import ArrayLike

PROGRESS_EPOCHS = (1, 10, 100, 1000)  # progress lines printed when verbose


# --- input checks, shared by every public function ---------------------------


def _finite(values: ArrayLike, name: str, ndim: int) -> np.ndarray:
    """Return ``values`` as a non-empty finite float array with ``ndim`` axes."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _targets(values: ArrayLike, n: int | None = None, name: str = "y") -> np.ndarray:
    """Return targets as a 1-D finite float array; check the length against ``n``."""
    y = _finite(values, name, ndim=1)
    if n is not None and len(y) != n:
        raise ValueError(f"length mismatch: {name} has {len(y)} entries, expected {n}")
    return y


def _design(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check a design matrix and its targets together."""
    X = _finite(X, "X", ndim=2)
    return X, _targets(y, n=X.shape[0])


def _weights(w: ArrayLike, X: np.ndarray) -> np.ndarray:
    """Check that ``w`` has one finite entry per column of ``X``."""
    w = _finite(w, "w", ndim=1)
    if X.shape[1] != len(w):
        raise ValueError(f"shape mismatch: X has {X.shape[1]} columns, w has {len(w)} entries")
    return w


# --- the model and its error -------------------------------------------------


def add_intercept(X_raw: ArrayLike) -> np.ndarray:
    """Prepend a column of ones so that ``w[0]`` acts as the intercept.

    Args:
        X_raw: Feature matrix of shape (n, d).

    Returns:
        Design matrix of shape (n, d + 1).
    """
    X_raw = _finite(X_raw, "X_raw", ndim=2)
    return np.column_stack([np.ones(len(X_raw)), X_raw])


def predict(X: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Predicted latency of each row.

    Args:
        X: Design matrix of shape (n, d), intercept column included.
        w: Weights of shape (d,).

    Returns:
        X @ w, shape (n,).
    """
    X = _finite(X, "X", ndim=2)
    return X @ _weights(w, X)


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean of the squared errors (y_pred - y_true) ** 2.

    Args:
        y_true: Measured values.
        y_pred: Predictions, one per measured value.

    Returns:
        The MSE, in squared units of ``y`` (ms² here); its square root is the RMSE.
    """
    y_pred = _targets(y_pred, name="y_pred")
    y_true = _targets(y_true, n=len(y_pred), name="y_true")
    return float(np.mean((y_pred - y_true) ** 2))


def half_mse(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> float:
    """The training objective J(w) = MSE / 2; the half makes its gradient X.T @ (X @ w - y) / n.

    Args:
        X: Design matrix of shape (n, d).
        y: Targets of shape (n,).
        w: Weights of shape (d,).

    Returns:
        sum((X @ w - y) ** 2) / (2 n).
    """
    X, y = _design(X, y)
    return mean_squared_error(y, X @ _weights(w, X)) / 2


def linear_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Gradient of the objective ``half_mse`` with respect to the weights.

    Args:
        X: Design matrix of shape (n, d).
        y: Targets of shape (n,).
        w: Weights of shape (d,).

    Returns:
        X.T @ (X @ w - y) / n, shape (d,).
    """
    X, y = _design(X, y)
    return _gradient(X, y, _weights(w, X))


def _gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Unchecked mean gradient, for the training loop (inputs checked once)."""
    return X.T @ (X @ w - y) / len(y)


def r_squared(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Share of the variance of ``y_true`` that the predictions explain.

    Args:
        y_true: Measured values, not all equal.
        y_pred: Predictions, one per measured value.

    Returns:
        1 - SS_res / SS_tot, where SS_tot is measured around the mean of ``y_true``.
    """
    y_pred = _targets(y_pred, name="y_pred")
    y_true = _targets(y_true, n=len(y_pred), name="y_true")
    total = np.sum((y_true - y_true.mean()) ** 2)
    if total == 0:
        raise ValueError("y_true is constant: R² is undefined")
    return float(1 - np.sum((y_true - y_pred) ** 2) / total)


# --- two ways to fit ---------------------------------------------------------


def fit_least_squares(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Weights that minimise the squared error, in closed form.

    Args:
        X: Design matrix of shape (n, d), intercept column included.
        y: Targets of shape (n,).

    Returns:
        The least-squares weights, shape (d,), from ``np.linalg.lstsq`` (an SVD: it never
        forms X.T @ X, and returns the smallest such weights when columns are redundant).
    """
    X, y = _design(X, y)
    return np.linalg.lstsq(X, y, rcond=None)[0]


def fit_linear(
    X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 200, verbose: bool = False
) -> np.ndarray:
    """Fit weights by batch gradient descent, starting from zeros.

    Args:
        X: Design matrix of shape (n, d), intercept column included.
        y: Targets of shape (n,).
        lr: Learning rate (step size), > 0. The default suits standardised features.
        epochs: Number of full-batch updates, >= 1.
        verbose: Print the MSE and weights after epochs 1, 10, 100, 1000 and the last.

    Returns:
        Fitted weights of shape (d,).
    """
    X, y = _design(X, y)
    if lr <= 0 or epochs < 1:
        raise ValueError(f"need lr > 0 and epochs >= 1, got lr={lr}, epochs={epochs}")
    w = np.zeros(X.shape[1])
    for epoch in range(1, epochs + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            w = w - lr * _gradient(X, y, w)
        if not np.all(np.isfinite(w)):
            raise ValueError(f"gradient descent diverged at epoch {epoch}: lower lr={lr}")
        if verbose and (epoch in PROGRESS_EPOCHS or epoch == epochs):
            mse = mean_squared_error(y, X @ w)  # after the same update as w
            print(f"after_epoch={epoch:4d} mse={mse:.1f} w={np.round(w, 2)}")
    return w


# --- feature scaling ---------------------------------------------------------


def fit_scaler(X_raw: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each feature column, from the training rows only.

    Args:
        X_raw: Training features of shape (n, d), no intercept column.

    Returns:
        (mean, scale), each of shape (d,).
    """
    X_raw = _finite(X_raw, "X_raw", ndim=2)
    mean, scale = X_raw.mean(axis=0), X_raw.std(axis=0)
    if np.any(scale == 0):
        raise ValueError(f"X_raw column {int(np.argmin(scale))} is constant: cannot standardise")
    return mean, scale


def standardize(X_raw: ArrayLike, mean: ArrayLike, scale: ArrayLike) -> np.ndarray:
    """Subtract the training mean and divide by the training scale, column by column.

    Args:
        X_raw: Features of shape (n, d): training, validation or new rows.
        mean: Training means from ``fit_scaler``, shape (d,).
        scale: Training standard deviations from ``fit_scaler``, shape (d,).

    Returns:
        (X_raw - mean) / scale, shape (n, d): broadcasting repeats the (d,) rows.
    """
    X_raw = _finite(X_raw, "X_raw", ndim=2)
    mean, scale = _finite(mean, "mean", ndim=1), _finite(scale, "scale", ndim=1)
    if not X_raw.shape[1] == len(mean) == len(scale):
        raise ValueError(
            f"shape mismatch: X_raw has {X_raw.shape[1]} columns, "
            f"mean {len(mean)} and scale {len(scale)} entries"
        )
    if np.any(scale <= 0):
        raise ValueError("scale must be positive")
    return (X_raw - mean) / scale


def unscale_weights(w_scaled: ArrayLike, mean: ArrayLike, scale: ArrayLike) -> np.ndarray:
    """Express weights fitted on standardised features in the raw features' units.

    Args:
        w_scaled: Weights of shape (d + 1,) for ``add_intercept(standardize(...))``.
        mean: Training means, shape (d,).
        scale: Training standard deviations, shape (d,).

    Returns:
        Weights of shape (d + 1,) for ``add_intercept(X_raw)``: the same predictions.
    """
    w_scaled = _finite(w_scaled, "w_scaled", ndim=1)
    mean, scale = _finite(mean, "mean", ndim=1), _finite(scale, "scale", ndim=1)
    if not len(w_scaled) - 1 == len(mean) == len(scale):
        raise ValueError(
            f"shape mismatch: w_scaled has {len(w_scaled)} entries, "
            f"expected one more than mean ({len(mean)}) and scale ({len(scale)})"
        )
    slopes = w_scaled[1:] / scale
    return np.concatenate([[w_scaled[0] - slopes @ mean], slopes])
