"""The chapter's only data source: access-change requests and decision costs.

Each request has two scaled evidence features:

* x1, ambiguity: conflicting audit logs, missing requester context, unclear scope;
* x2, auto-policy support: how strongly policy line P-7 allows automatic handling.

The label is 1 when the request needed human review before any permission
change, 0 when automatic processing was acceptable. Arrays are read-only so
that no snippet can change the data another one sees; copy before editing.
"""

import numpy as np


def _frozen(rows: list) -> np.ndarray:
    """Return a read-only array built from ``rows``."""
    arr = np.array(rows)
    arr.flags.writeable = False
    return arr


FEATURES = ("x1 ambiguity", "x2 auto-policy support")

# Training requests: the optimizer sees these.
train_ids = ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8")
X_train_raw = _frozen(
    [[1.0, 1.0], [1.5, 2.0], [2.0, 3.0], [3.5, 6.0], [4.0, 7.0], [4.5, 5.0], [2.8, 4.0], [3.2, 8.0]]
)
y_train = _frozen([0, 0, 1, 1, 1, 1, 0, 0])

# Validation requests: held out, used only to choose and audit the policy.
val_ids = ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8")
X_val_raw = _frozen(
    [[1.2, 2.0], [2.1, 4.0], [2.4, 3.0], [3.0, 5.0], [3.6, 4.0], [3.2, 7.0], [4.2, 5.0], [2.8, 6.0]]
)
y_val = _frozen([0, 0, 1, 0, 1, 0, 1, 1])

# Cost of each error type, in dollars.
FN_COST = 120  # missed review: automatic change that needed a human
FP_COST = 18  # unnecessary review: queue time spent on a safe request

# A new request waiting for a decision (used in the last exercise).
NEW_REQUEST_ID = "REQ-10234"
NEW_REQUEST_RAW = _frozen([2.2, 3.5])
