"""A synthetic stream of access-change requests, with the chapter's two features and label.

The generator is documented here so that every number drawn from it can be reproduced:

* ambiguity ``x1 = 1 + 3.5 * Beta(2, 3)``: between 1 and 4.5, most requests mildly
  ambiguous (mean 2.4);
* auto-policy support ``x2 = 1 + 1.2 * (x1 - 1) + Normal(0, 1.5)``, clipped to [0.5, 9]:
  ambiguous requests touch more policy lines, so the two features rise together, as in the
  eight training requests;
* both rounded to one decimal, like the chapter's data;
* the label ``y = 1`` (needs review) with probability ``sigmoid(-6 + 3 * x1 - x2)``,
  so ambiguity raises the risk and policy support lowers it, as the chapter's weights say.

The stream is split in arrival order: the oldest requests fit the model and choose the
threshold, the next ones fit a calibration repair, the newest are held out to check both.
Arrays are read-only, as in ``access_requests``.
"""

import numpy as np
from access_requests import FN_COST, FP_COST

SEED = 10234  # the request number of REQ-10234
N_REQUESTS = 2000
TRUE_WEIGHTS = (-6.0, 3.0, -1.0)  # intercept, ambiguity, policy support
SPLIT_SIZES = {"train": 1000, "calibration": 500, "held_out": 500}  # in arrival order


def _frozen(values: np.ndarray) -> np.ndarray:
    """Return ``values`` as a read-only array."""
    values.flags.writeable = False
    return values


def generate(n: int = N_REQUESTS, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` requests: features of shape (n, 2) and 0/1 labels, both read-only."""
    rng = np.random.default_rng(seed)
    x1 = 1.0 + 3.5 * rng.beta(2.0, 3.0, n)
    x2 = np.clip(1.0 + 1.2 * (x1 - 1.0) + rng.normal(0.0, 1.5, n), 0.5, 9.0)
    X = np.column_stack([x1, x2]).round(1)
    w0, w1, w2 = TRUE_WEIGHTS
    p = 1.0 / (1.0 + np.exp(-(w0 + w1 * X[:, 0] + w2 * X[:, 1])))
    y = (rng.random(n) < p).astype(int)
    return _frozen(X), _frozen(y)


def split(X: np.ndarray, y: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Cut the stream into the splits of ``SPLIT_SIZES``, in arrival order."""
    if len(y) != sum(SPLIT_SIZES.values()):
        raise ValueError(f"need {sum(SPLIT_SIZES.values())} requests, got {len(y)}")
    parts, start = {}, 0
    for name, size in SPLIT_SIZES.items():
        parts[name] = (X[start : start + size], y[start : start + size])
        start += size
    return parts


def review_cost(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean dollar cost per request of 0/1 decisions: $120 per missed review, $18 per extra."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    missed = np.sum((y_true == 1) & (y_pred == 0))
    unnecessary = np.sum((y_true == 0) & (y_pred == 1))
    return float(FN_COST * missed + FP_COST * unnecessary) / len(y_true)


X_stream, y_stream = generate()
STREAM = split(X_stream, y_stream)
