"""The chapter's only data source: how long retrieving a request's evidence takes.

Before an access-change request can be routed, the workflow fetches its evidence. Each
request has two features a security engineer would recognise:

* x1, audit-log pages: pages of one thousand audit events to fetch for the requester;
* x2, policy documents: documents the policy engine must load (P-7 and its references).

The target is the measured retrieval latency in milliseconds. The sixteen typed requests
come from the same process as :func:`simulate_requests` (noise drawn with
``np.random.default_rng(TYPED_SEED)``, training rows first, rounded to whole
milliseconds). Arrays are read-only so that no snippet can change the data another one
sees; copy before editing.
"""

import numpy as np


def _frozen(rows) -> np.ndarray:
    """Return a read-only float array built from ``rows``."""
    arr = np.array(rows, dtype=float)
    arr.flags.writeable = False
    return arr


FEATURES = ("x1 audit-log pages", "x2 policy documents")

# Training requests: the fit sees these.
train_ids = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")
X_train_raw = _frozen([[2, 1], [3, 4], [5, 2], [6, 5], [8, 1], [9, 3], [11, 2], [12, 4]])
y_train = _frozen([264, 540, 477, 723, 587, 794, 843, 1094])

# Validation requests: held out, used only to measure and to decide.
val_ids = ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8")
X_val_raw = _frozen([[1, 3], [4, 1], [4, 5], [7, 2], [7, 4], [10, 1], [10, 5], [12, 3]])
y_val = _frozen([376, 351, 646, 593, 717, 702, 995, 1019])

# The decision's inputs (the page declares the same values as literals).
BUDGET_MS = 900  # evidence must arrive within 900 ms of the two-second routing promise
MISS_COST = 40  # dollars: a promised automatic answer misses the budget and is escalated
MANUAL_COST = 18  # dollars: reviewer time when the request goes to people straight away

# The request waiting for a decision.
NEW_REQUEST_ID = "REQ-10234"
NEW_REQUEST_RAW = _frozen([10, 3])

# The generator behind every row, for sections that need more than sixteen requests.
TYPED_SEED = 1  # the noise of the sixteen typed rows
SYNTHETIC_SEED = 7  # the default seed of simulate_requests
NOISE_MS = 20.0  # standard deviation of the retrieval noise


def mean_latency_ms(pages, docs) -> np.ndarray:
    """Noise-free latency of the generator: a fixed cost, a cost per page and per document.

    The page term grows with the square of the page count (older pages fall out of the
    audit store's cache), so a straight line can only approximate it.
    """
    pages, docs = np.asarray(pages, dtype=float), np.asarray(docs, dtype=float)
    return 110 + 32 * pages + 75 * docs + 2 * pages**2


def simulate_requests(n: int, seed: int = SYNTHETIC_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` synthetic requests from the chapter's generator.

    Pages are whole numbers from 1 to 12 and documents from 1 to 5, uniformly; the
    latency is :func:`mean_latency_ms` plus Gaussian noise with standard deviation
    ``NOISE_MS``, rounded to whole milliseconds.

    Returns:
        Read-only features of shape (n, 2) and latencies of shape (n,).
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    pages = rng.integers(1, 13, size=n)
    docs = rng.integers(1, 6, size=n)
    latency = mean_latency_ms(pages, docs) + rng.normal(0.0, NOISE_MS, size=n)
    return _frozen(np.column_stack([pages, docs])), _frozen(np.round(latency))
