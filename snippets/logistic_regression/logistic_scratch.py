"""Logistic regression from scratch: scoring, fitting, thresholds and audits.

Every later snippet of the chapter and the test suite import from this file,
so the page shows one implementation only. Bad input raises ``ValueError``
with a message that names the argument and the problem.
"""

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

PROGRESS_EPOCHS = (1, 201, 501, 1001)  # progress lines printed when verbose


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


def _labels(y_true: ArrayLike, n: int | None = None, name: str = "y_true") -> np.ndarray:
    """Return 0/1 labels as an int array; check the length against ``n``."""
    y = _finite(y_true, name, ndim=1)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{name} must contain only 0 and 1 labels")
    if n is not None and len(y) != n:
        raise ValueError(f"length mismatch: {name} has {len(y)} entries, expected {n}")
    return y.astype(int)


def _probabilities(p: ArrayLike, n: int | None = None) -> np.ndarray:
    """Return probabilities as a 1-D float array inside [0, 1]."""
    arr = _finite(p, "p", ndim=1)
    if np.any((arr < 0.0) | (arr > 1.0)):
        raise ValueError("p must contain probabilities in [0, 1]")
    if n is not None and len(arr) != n:
        raise ValueError(f"length mismatch: p has {len(arr)} entries, expected {n}")
    return arr


def _threshold(threshold: float) -> float:
    """Return ``threshold`` as a float after checking it lies in [0, 1]."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    return float(threshold)


def _design(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check a design matrix and its labels together."""
    X = _finite(X, "X", ndim=2)
    return X, _labels(y, n=X.shape[0], name="y")


def _weights(w: ArrayLike, X: np.ndarray) -> np.ndarray:
    """Check that ``w`` has one finite entry per column of ``X``."""
    w = _finite(w, "w", ndim=1)
    if X.shape[1] != len(w):
        raise ValueError(f"shape mismatch: X has {X.shape[1]} columns, w has {len(w)} entries")
    return w


# --- the model ---------------------------------------------------------------


def sigmoid(z: ArrayLike) -> np.ndarray:
    """Squash scores into (0, 1) without overflow.

    Args:
        z: Score or array of scores (logits).

    Returns:
        sigma(z) = 1 / (1 + exp(-z)), elementwise, same shape as ``z``;
        +inf maps to 1 and -inf to 0.
    """
    z = np.asarray(z, dtype=float)
    if np.any(np.isnan(z)):
        raise ValueError("z contains NaN")
    e = np.exp(-np.abs(z))  # never overflows: the exponent is <= 0
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_loss_from_logits(y_true: ArrayLike, z: ArrayLike) -> float:
    """Mean binary cross-entropy computed from scores, not probabilities.

    Args:
        y_true: 0/1 labels.
        z: Scores (logits), one per label.

    Returns:
        Mean of log(1 + exp(z)) - y * z, evaluated with ``np.logaddexp``.
    """
    z = _finite(z, "z", ndim=1)
    y = _labels(y_true, n=len(z))
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def add_intercept(X_raw: ArrayLike) -> np.ndarray:
    """Prepend a column of ones so that ``w[0]`` acts as the intercept.

    Args:
        X_raw: Feature matrix of shape (n, d).

    Returns:
        Design matrix of shape (n, d + 1).
    """
    X_raw = _finite(X_raw, "X_raw", ndim=2)
    return np.column_stack([np.ones(len(X_raw)), X_raw])


def predict_proba(X: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Probability of the positive class (needs review) for each row.

    Args:
        X: Design matrix of shape (n, d), intercept column included.
        w: Weights of shape (d,).

    Returns:
        sigma(X @ w), shape (n,).
    """
    X = _finite(X, "X", ndim=2)
    return sigmoid(X @ _weights(w, X))


def logistic_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Gradient of the mean log loss with respect to the weights.

    Args:
        X: Design matrix of shape (n, d).
        y: 0/1 labels of shape (n,).
        w: Weights of shape (d,).

    Returns:
        X.T @ (p - y) / n, shape (d,).
    """
    X, y = _design(X, y)
    return _gradient(X, y, _weights(w, X))


def _gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Unchecked mean gradient, for the training loop (inputs checked once)."""
    return X.T @ (sigmoid(X @ w) - y) / len(y)


def fit_logistic(
    X: ArrayLike, y: ArrayLike, lr: float = 0.2, epochs: int = 3000, verbose: bool = False
) -> np.ndarray:
    """Fit weights by batch gradient descent, starting from zeros.

    Args:
        X: Design matrix of shape (n, d), intercept column included.
        y: 0/1 labels of shape (n,).
        lr: Learning rate (step size), > 0.
        epochs: Number of full-batch updates, >= 1.
        verbose: Print loss and weights after epochs 1, 201, 501, 1001 and the last.

    Returns:
        Fitted weights of shape (d,).
    """
    X, y = _design(X, y)
    if lr <= 0 or epochs < 1:
        raise ValueError(f"need lr > 0 and epochs >= 1, got lr={lr}, epochs={epochs}")
    w = np.zeros(X.shape[1])
    for epoch in range(1, epochs + 1):
        w = w - lr * _gradient(X, y, w)
        if verbose and (epoch in PROGRESS_EPOCHS or epoch == epochs):
            loss = log_loss_from_logits(y, X @ w)  # after the same update as w
            print(f"after_epoch={epoch:4d} loss={loss:.4f} w={np.round(w, 3)}")
    return w


# --- decisions at a threshold ------------------------------------------------


def predict_with_threshold(p: ArrayLike, threshold: float) -> np.ndarray:
    """Route to review (1) when p >= threshold, otherwise auto-process (0).

    Args:
        p: Probabilities in [0, 1].
        threshold: Decision threshold in [0, 1].

    Returns:
        Integer array of 0/1 decisions.
    """
    return (_probabilities(p) >= _threshold(threshold)).astype(int)


def confusion_matrix_at_threshold(
    y_true: ArrayLike, p: ArrayLike, threshold: float
) -> dict[str, int]:
    """Count the four outcomes of thresholding ``p``.

    Args:
        y_true: 0/1 labels.
        p: Probabilities, one per label.
        threshold: Decision threshold in [0, 1].

    Returns:
        Dict with integer counts under keys ``tp``, ``fp``, ``fn``, ``tn``.
    """
    p = _probabilities(p)
    y = _labels(y_true, n=len(p))
    pred = predict_with_threshold(p, threshold)
    return {
        "tp": int(np.sum((pred == 1) & (y == 1))),
        "fp": int(np.sum((pred == 1) & (y == 0))),
        "fn": int(np.sum((pred == 0) & (y == 1))),
        "tn": int(np.sum((pred == 0) & (y == 0))),
    }


def _counts(cm: dict[str, int]) -> tuple[int, int, int, int]:
    """Return (tp, fp, fn, tn) after checking the confusion-matrix dict."""
    if set(cm) != {"tp", "fp", "fn", "tn"}:
        raise ValueError(f"cm needs exactly the keys tp, fp, fn, tn, got {sorted(cm)}")
    if any(int(v) != v or v < 0 for v in cm.values()):
        raise ValueError("cm counts must be non-negative integers")
    return cm["tp"], cm["fp"], cm["fn"], cm["tn"]


def _ratio(num: float, den: float) -> float:
    """Return num / den, or 0.0 when the denominator is zero."""
    return num / den if den else 0.0


def precision_recall_f1(cm: dict[str, int]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive (needs review) class.

    Args:
        cm: Confusion counts from ``confusion_matrix_at_threshold``.

    Returns:
        (precision, recall, f1); a ratio with a zero denominator is 0.0.
    """
    tp, fp, fn, _ = _counts(cm)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return precision, recall, _ratio(2 * precision * recall, precision + recall)


def total_cost(cm: dict[str, int], fn_cost: float, fp_cost: float) -> float:
    """Money lost by the errors in ``cm``.

    Args:
        cm: Confusion counts.
        fn_cost: Cost of one missed review (false negative).
        fp_cost: Cost of one unnecessary review (false positive).

    Returns:
        fn_cost * FN + fp_cost * FP.
    """
    _, fp, fn, _ = _counts(cm)
    if fn_cost < 0 or fp_cost < 0:
        raise ValueError("costs must be non-negative")
    return fn_cost * fn + fp_cost * fp


# --- ranking and calibration audits ------------------------------------------


def roc_points(
    y_true: ArrayLike, p: ArrayLike, thresholds: Sequence[float]
) -> list[tuple[float, float, float]]:
    """False-positive rate and true-positive rate at each threshold.

    Args:
        y_true: 0/1 labels.
        p: Probabilities, one per label.
        thresholds: Thresholds in [0, 1], in the order to report them.

    Returns:
        List of (threshold, fpr, tpr) tuples.
    """
    if len(thresholds) == 0:
        raise ValueError("thresholds is empty")
    points = []
    for t in thresholds:
        tp, fp, fn, tn = _counts(confusion_matrix_at_threshold(y_true, p, t))
        points.append((float(t), _ratio(fp, fp + tn), _ratio(tp, tp + fn)))
    return points


def auc_by_pairs(y_true: ArrayLike, p: ArrayLike) -> float:
    """Share of positive-negative pairs ranked correctly; ties count one half.

    Args:
        y_true: 0/1 labels with at least one of each.
        p: Probabilities (or any scores), one per label.

    Returns:
        ROC AUC computed by counting pairs.
    """
    p = _probabilities(p)
    y = _labels(y_true, n=len(p))
    pos, neg = p[y == 1], p[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("AUC needs at least one positive and one negative label")
    diff = pos[:, None] - neg[None, :]  # one cell per positive-negative pair
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))


def reliability_table(y_true: ArrayLike, p: ArrayLike, n_bins: int = 4) -> list[dict[str, float]]:
    """Per-bin count, mean prediction and observed positive rate.

    Bins have equal width on [0, 1]; each is [lo, hi) except the last, [lo, 1].

    Args:
        y_true: 0/1 labels.
        p: Probabilities, one per label.
        n_bins: Number of bins, >= 1.

    Returns:
        One dict per non-empty bin with keys lo, hi, n, mean_p, observed.
    """
    p = _probabilities(p)
    y = _labels(y_true, n=len(p))
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.minimum(np.searchsorted(edges, p, side="right") - 1, n_bins - 1)
    rows = []
    for b in np.unique(bins):
        mask = bins == b
        row = {"lo": float(edges[b]), "hi": float(edges[b + 1]), "n": int(mask.sum())}
        row["mean_p"], row["observed"] = float(p[mask].mean()), float(y[mask].mean())
        rows.append(row)
    return rows


def expected_calibration_error(y_true: ArrayLike, p: ArrayLike, n_bins: int = 4) -> float:
    """Count-weighted mean gap between mean prediction and observed rate per bin.

    Args:
        y_true: 0/1 labels.
        p: Probabilities, one per label.
        n_bins: Number of equal-width bins, >= 1.

    Returns:
        ECE = sum over bins of (n_bin / n) * |mean_p - observed|.
    """
    rows = reliability_table(y_true, p, n_bins)
    n = sum(row["n"] for row in rows)
    return float(sum(row["n"] / n * abs(row["mean_p"] - row["observed"]) for row in rows))
