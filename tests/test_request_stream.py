"""The synthetic request stream: reproducible, split as documented, read-only, costed right."""

import numpy as np
import pytest
from access_requests import FN_COST, FP_COST
from request_stream import N_REQUESTS, SEED, SPLIT_SIZES, STREAM, generate, review_cost, split
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import confusion_matrix, make_scorer


def test_the_generator_is_reproducible_and_seeded():
    x, y = generate()
    again_x, again_y = generate(seed=SEED)
    np.testing.assert_array_equal(x, again_x)
    np.testing.assert_array_equal(y, again_y)
    assert not np.array_equal(generate(seed=SEED + 1)[1], y)


def test_features_and_labels_keep_the_chapters_meaning():
    x, y = generate()
    assert x.shape == (N_REQUESTS, 2)
    assert set(np.unique(y)) == {0, 1}
    assert x[:, 0].min() >= 1.0
    assert x[:, 0].max() <= 4.5
    assert x[:, 1].min() >= 0.5
    assert x[:, 1].max() <= 9.0
    assert np.array_equal(x, x.round(1)), "features carry one decimal, like the chapter's"
    # Ambiguity raises the share needing review; policy support lowers it.
    ambiguous = x[:, 0] > np.median(x[:, 0])
    supported = x[:, 1] > np.median(x[:, 1])
    assert y[ambiguous].mean() > y[~ambiguous].mean()
    assert y[supported & ~ambiguous].mean() < y[~supported & ~ambiguous].mean()


def test_splits_follow_arrival_order_and_are_read_only():
    x, y = generate()
    assert {name: len(part[1]) for name, part in STREAM.items()} == SPLIT_SIZES
    np.testing.assert_array_equal(np.concatenate([part[1] for part in STREAM.values()]), y)
    with pytest.raises(ValueError, match="read-only"):
        STREAM["train"][0][0, 0] = 0.0
    with pytest.raises(ValueError, match="need 2000 requests"):
        split(x[:10], y[:10])


def test_review_cost_is_the_mean_of_the_cost_matrix():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    (_, fp), (fn, _) = confusion_matrix(y_true, y_pred, labels=[0, 1])
    assert review_cost(y_true, y_pred) == pytest.approx((FN_COST * fn + FP_COST * fp) / 200)
    assert review_cost([1, 0], [1, 0]) == 0.0
    assert review_cost([1, 0], [0, 1]) == (FN_COST + FP_COST) / 2


def test_the_cost_scorer_prefers_cheaper_decisions():
    class Fixed(ClassifierMixin, BaseEstimator):
        """A stand-in classifier that returns given decisions."""

        classes_ = np.array([0, 1])

        def __init__(self, decisions=()):
            self.decisions = decisions

        def predict(self, features):
            return np.asarray(self.decisions)

    scorer = make_scorer(review_cost, greater_is_better=False)
    y = np.array([1, 1, 0, 0])
    cheap, costly = Fixed([1, 1, 1, 0]), Fixed([0, 1, 0, 0])  # one extra review vs one miss
    assert scorer(cheap, None, y) > scorer(costly, None, y)
    assert scorer(cheap, None, y) == -FP_COST / 4
