"""Contracts of the chapter's module: numerics, the known fit, the validation policy, bad input."""

import warnings

import numpy as np
import pytest
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import (
    add_intercept,
    auc_by_pairs,
    confusion_matrix_at_threshold,
    expected_calibration_error,
    fit_logistic,
    log_loss_from_logits,
    logistic_gradient,
    precision_recall_f1,
    predict_proba,
    predict_with_threshold,
    reliability_table,
    roc_points,
    sigmoid,
    total_cost,
)

X_TRAIN = add_intercept(X_train_raw)
X_VAL = add_intercept(X_val_raw)
KNOWN_FIT = [-4.894, 3.399, -0.959]  # 3000 epochs at lr=0.2, as printed on the page


@pytest.fixture(scope="module")
def w_fit():
    return fit_logistic(X_TRAIN, y_train, lr=0.2, epochs=3000)


@pytest.fixture(scope="module")
def p_val(w_fit):
    return predict_proba(X_VAL, w_fit)


# --- numerics ----------------------------------------------------------------


def test_sigmoid_matches_hand_values():
    assert float(sigmoid(0)) == 0.5
    z = np.array([-4.0, -1.0, 0.0, 1.0, 4.0])
    assert sigmoid(z).round(3).tolist() == [0.018, 0.269, 0.5, 0.731, 0.982]


def test_sigmoid_is_symmetric_and_saturates_without_overflow():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


def test_log_loss_is_finite_for_extreme_logits():
    loss = log_loss_from_logits([0, 1], [1000.0, -1000.0])
    assert np.isfinite(loss)
    assert loss == pytest.approx(1000.0)


def test_log_loss_hand_values():
    assert log_loss_from_logits([1], [0.0]) == pytest.approx(np.log(2))
    assert log_loss_from_logits([1], [2.0]) == pytest.approx(0.127, abs=5e-4)
    assert log_loss_from_logits([1], [-4.0]) == pytest.approx(4.018, abs=5e-4)


def test_gradient_sign_follows_the_label():
    w0 = np.zeros(3)  # p = 0.5 for every request
    grad_r4 = logistic_gradient(X_TRAIN[3:4], y_train[3:4], w0)  # R4 needs review (y = 1)
    np.testing.assert_allclose(grad_r4, [-0.5, -1.75, -3.0])
    assert np.all(grad_r4 < 0)  # the step w - lr * grad raises R4's score
    grad_r7 = logistic_gradient(X_TRAIN[6:7], y_train[6:7], w0)  # R7 was auto-processed (y = 0)
    assert np.all(grad_r7 > 0)  # the step lowers R7's score


# --- the known fit -----------------------------------------------------------


def test_fit_converges_to_the_known_weights(w_fit):
    np.testing.assert_allclose(w_fit, KNOWN_FIT, atol=0.01)
    assert log_loss_from_logits(y_train, X_TRAIN @ w_fit) < 0.408


def test_verbose_fit_reports_after_the_update(capsys):
    fit_logistic(X_TRAIN, y_train, epochs=3000, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5  # after epochs 1, 201, 501, 1001 and 3000
    assert lines[0] == "after_epoch=   1 loss=0.6830 w=[0.    0.069 0.075]"
    assert lines[-1].startswith("after_epoch=3000 loss=0.4072")


def test_training_confusion_at_half(w_fit):
    cm = confusion_matrix_at_threshold(y_train, predict_proba(X_TRAIN, w_fit), 0.5)
    assert cm == {"tp": 3, "fp": 1, "fn": 1, "tn": 3}
    assert all(type(v) is int for v in cm.values())


# --- the validation contract -------------------------------------------------


def test_validation_contract_at_020(p_val):
    cm = confusion_matrix_at_threshold(y_val, p_val, 0.20)
    assert cm == {"tp": 4, "fp": 2, "fn": 0, "tn": 2}
    assert precision_recall_f1(cm) == pytest.approx((2 / 3, 1.0, 0.8))
    assert total_cost(cm, fn_cost=120, fp_cost=18) == 36


def test_validation_ranking_and_calibration(p_val):
    assert auc_by_pairs(y_val, p_val) == pytest.approx(0.8125)
    assert expected_calibration_error(y_val, p_val, n_bins=4) == pytest.approx(0.139, abs=5e-4)
    assert roc_points(y_val, p_val, [1.0, 0.0]) == [(1.0, 0.0, 0.0), (0.0, 1.0, 1.0)]


def test_last_bin_is_closed():
    rows = reliability_table([1, 0], [1.0, 0.0], n_bins=4)
    assert [(row["lo"], row["n"]) for row in rows] == [(0.0, 1), (0.75, 1)]


# --- parity with scikit-learn ------------------------------------------------


def test_matches_sklearn_without_warnings(w_fit):
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a deprecation or convergence warning fails the test
        clf = LogisticRegression(C=np.inf, fit_intercept=False).fit(X_TRAIN, y_train)
    np.testing.assert_allclose(w_fit, clf.coef_[0], atol=0.05)


# --- bad input raises a ValueError that names the problem --------------------

GOOD_P = np.array([0.2, 0.8])
GOOD_Y = np.array([0, 1])
NAN_X = np.array([[1.0, np.nan], [1.0, 2.0]])
INF_X = np.array([[1.0, np.inf], [1.0, 2.0]])
NEGATIVE_CM = {"tp": 1, "fp": -1, "fn": 0, "tn": 0}


# case id: (function, positional arguments, pattern the error message must match)
BAD_INPUT = {
    "fit: fewer labels than rows": (fit_logistic, (X_TRAIN, y_train[:5]), "length mismatch"),
    "fit: label 2": (fit_logistic, (X_TRAIN, np.full(8, 2)), "only 0 and 1"),
    "fit: NaN feature": (fit_logistic, (NAN_X, GOOD_Y), "NaN or infinite"),
    "fit: infinite feature": (fit_logistic, (INF_X, GOOD_Y), "NaN or infinite"),
    "fit: empty": (fit_logistic, (np.empty((0, 3)), []), "X is empty"),
    "fit: 1-D X": (fit_logistic, (X_TRAIN[:, 1], y_train), "must be 2-D"),
    "fit: zero learning rate": (fit_logistic, (X_TRAIN, y_train, 0.0), "lr > 0"),
    "predict_proba: w too short": (predict_proba, (X_TRAIN, np.zeros(2)), "shape mismatch"),
    "add_intercept: infinite": (add_intercept, (INF_X,), "NaN or infinite"),
    "sigmoid: NaN score": (sigmoid, ([0.0, np.nan],), "z contains NaN"),
    "loss: length mismatch": (log_loss_from_logits, ([0, 1, 1], [0.0, 1.0]), "length mismatch"),
    "loss: label -1": (log_loss_from_logits, ([0, -1], [0.0, 1.0]), "only 0 and 1"),
    "loss: empty": (log_loss_from_logits, ([], []), "z is empty"),
    "threshold above 1": (predict_with_threshold, (GOOD_P, 1.5), r"threshold must be in \[0, 1\]"),
    "threshold below 0": (predict_with_threshold, (GOOD_P, -0.1), r"threshold must be in \[0, 1\]"),
    "NaN probability": (predict_with_threshold, ([0.2, np.nan], 0.5), "p contains NaN"),
    "probability above 1": (predict_with_threshold, ([0.2, 1.2], 0.5), "probabilities in"),
    "confusion: 3 labels, 2 p": (confusion_matrix_at_threshold, ([0, 1, 1], GOOD_P, 0.5), "length"),
    "confusion: label 3": (confusion_matrix_at_threshold, ([0, 3], GOOD_P, 0.5), "only 0 and 1"),
    "metrics: missing counts": (precision_recall_f1, ({"tp": 1, "fp": 0},), "keys tp, fp, fn, tn"),
    "cost: negative count": (total_cost, (NEGATIVE_CM, 120, 18), "counts must be non-negative"),
    "roc: no thresholds": (roc_points, (GOOD_Y, GOOD_P, []), "thresholds is empty"),
    "roc: threshold above 1": (roc_points, (GOOD_Y, GOOD_P, [0.5, 2.0]), "threshold must be in"),
    "auc: no negatives": (auc_by_pairs, ([1, 1], GOOD_P), "one positive and one negative"),
    "ece: zero bins": (expected_calibration_error, (GOOD_Y, GOOD_P, 0), "n_bins must be at least"),
    "ece: infinite p": (expected_calibration_error, (GOOD_Y, [0.2, np.inf]), "p contains NaN"),
}


@pytest.mark.parametrize(("func", "args", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_raises_value_error(func, args, message):
    with pytest.raises(ValueError, match=message):
        func(*args)
