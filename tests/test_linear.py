"""Contracts of the linear chapter: numerics, the known fit, scaling, parity, bad input, engine."""

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from latency_requests import (
    NOISE_MS,
    TYPED_SEED,
    X_train_raw,
    X_val_raw,
    mean_latency_ms,
    simulate_requests,
    y_train,
    y_val,
)
from linear_scratch import (
    add_intercept,
    fit_least_squares,
    fit_linear,
    fit_scaler,
    half_mse,
    linear_gradient,
    mean_squared_error,
    predict,
    r_squared,
    standardize,
    unscale_weights,
)

X_TRAIN = add_intercept(X_train_raw)
X_VAL = add_intercept(X_val_raw)
RULE_OF_THUMB = np.array([100.0, 60.0, 50.0])
KNOWN_FIT = [52.88, 59.88, 70.27]  # least squares on the training rows, as printed on the page


@pytest.fixture(scope="module")
def w_ls():
    return fit_least_squares(X_TRAIN, y_train)


# --- the data ----------------------------------------------------------------


def test_typed_rows_come_from_the_documented_generator():
    rng = np.random.default_rng(TYPED_SEED)  # training noise first, then validation
    for features, y in ((X_train_raw, y_train), (X_val_raw, y_val)):
        noise = rng.normal(0.0, NOISE_MS, size=len(y))
        expected = np.round(mean_latency_ms(features[:, 0], features[:, 1]) + noise)
        np.testing.assert_array_equal(y, expected)


def test_synthetic_requests_are_seeded_read_only_and_in_range():
    features, y = simulate_requests(50)
    again, y_again = simulate_requests(50)
    np.testing.assert_array_equal(features, again)
    np.testing.assert_array_equal(y, y_again)
    assert not features.flags.writeable
    assert not y.flags.writeable
    assert features.min(axis=0).tolist() == [1, 1]
    assert features.max(axis=0).tolist() == [12, 5]
    assert not np.array_equal(simulate_requests(50, seed=8)[1], y)


# --- numerics ----------------------------------------------------------------


def test_rule_of_thumb_predictions_and_errors():
    y_hat = predict(X_TRAIN, RULE_OF_THUMB)
    assert y_hat.tolist() == [270, 480, 500, 710, 630, 790, 860, 1020]
    assert mean_squared_error(y_train, y_hat) == pytest.approx(1495.5)
    assert half_mse(X_TRAIN, y_train, RULE_OF_THUMB) == pytest.approx(747.75)


def test_gradient_has_the_matrix_form():
    w = RULE_OF_THUMB
    expected = X_TRAIN.T @ (X_TRAIN @ w - y_train) / len(y_train)
    np.testing.assert_allclose(linear_gradient(X_TRAIN, y_train, w), expected)
    np.testing.assert_allclose(linear_gradient(X_TRAIN, y_train, w), [-7.75, -65.5, -60.5])


@pytest.mark.parametrize("w", [np.zeros(3), RULE_OF_THUMB, np.array([-40.0, 75.0, 10.0])])
def test_gradient_matches_central_differences(w):
    eps = 1e-3
    numeric = [
        (half_mse(X_TRAIN, y_train, w + step) - half_mse(X_TRAIN, y_train, w - step)) / (2 * eps)
        for step in eps * np.eye(3)
    ]
    np.testing.assert_allclose(linear_gradient(X_TRAIN, y_train, w), numeric, rtol=1e-6)


def test_r_squared_of_the_mean_is_zero_and_of_the_truth_is_one():
    assert r_squared(y_val, np.full(len(y_val), y_val.mean())) == pytest.approx(0.0)
    assert r_squared(y_val, y_val) == 1.0


# --- the known fit -----------------------------------------------------------


def test_least_squares_gives_the_known_weights(w_ls):
    np.testing.assert_allclose(w_ls, KNOWN_FIT, atol=0.005)
    np.testing.assert_allclose(linear_gradient(X_TRAIN, y_train, w_ls), 0, atol=1e-9)
    assert mean_squared_error(y_train, X_TRAIN @ w_ls) == pytest.approx(642.667, abs=1e-3)


def test_one_epoch_from_zero_is_the_hand_step():
    w_one = fit_linear(X_TRAIN, y_train, lr=0.02, epochs=1)
    np.testing.assert_allclose(w_one, 0.02 * X_TRAIN.T @ y_train / len(y_train))
    np.testing.assert_allclose(w_one, [13.305, 107.785, 40.06])


def test_gradient_descent_on_raw_features_reaches_least_squares(w_ls):
    np.testing.assert_allclose(fit_linear(X_TRAIN, y_train, lr=0.02, epochs=5000), w_ls, atol=1e-3)


def test_standardised_fit_unscales_to_least_squares(w_ls):
    mean, scale = fit_scaler(X_train_raw)
    design = add_intercept(standardize(X_train_raw, mean, scale))
    w_scaled = fit_linear(design, y_train)  # the defaults: lr 0.1, 200 epochs
    assert w_scaled[0] == pytest.approx(y_train.mean())
    w = unscale_weights(w_scaled, mean, scale)
    np.testing.assert_allclose(w, w_ls, atol=1e-5)
    np.testing.assert_allclose(
        X_VAL @ w, add_intercept(standardize(X_val_raw, mean, scale)) @ w_scaled
    )


def test_standardised_training_columns_have_mean_zero_and_std_one():
    mean, scale = fit_scaler(X_train_raw)
    scaled = standardize(X_train_raw, mean, scale)
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1)
    np.testing.assert_allclose(mean, [7.0, 2.75])


def test_verbose_fit_reports_after_the_update(capsys):
    fit_linear(X_TRAIN, y_train, lr=0.02, epochs=1000, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # after epochs 1, 10, 100 and 1000
    assert lines[0] == "after_epoch=   1 mse=72243.9 w=[ 13.3  107.78  40.06]"
    assert lines[-1].startswith("after_epoch=1000 mse=644.1")


def test_a_learning_rate_far_above_the_limit_raises():
    with pytest.raises(ValueError, match=r"diverged at epoch \d+: lower lr=1.0"):
        fit_linear(X_TRAIN, y_train, lr=1.0, epochs=5000)


# --- validation and parity ---------------------------------------------------


def test_validation_errors(w_ls):
    y_hat = predict(X_VAL, w_ls)
    assert np.sqrt(mean_squared_error(y_val, y_hat)) == pytest.approx(28.26, abs=0.01)
    assert r_squared(y_val, y_hat) == pytest.approx(0.985, abs=5e-4)


def test_matches_sklearn_without_warnings(w_ls):
    from sklearn.linear_model import LinearRegression

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        reg = LinearRegression().fit(X_train_raw, y_train)
    np.testing.assert_allclose([reg.intercept_, *reg.coef_], w_ls, atol=1e-9)


# --- bad input raises a ValueError that names the problem --------------------

NAN_X = np.array([[1.0, np.nan], [1.0, 2.0]])
INF_X = np.array([[1.0, np.inf], [1.0, 2.0]])
MEAN, SCALE = np.array([7.0, 2.75]), np.array([3.4, 1.4])

# case id: (function, positional arguments, pattern the error message must match)
BAD_INPUT = {
    "fit: fewer targets than rows": (fit_linear, (X_TRAIN, y_train[:5]), "length mismatch"),
    "fit: NaN feature": (fit_linear, (NAN_X, [1.0, 2.0]), "NaN or infinite"),
    "fit: infinite target": (fit_linear, (X_TRAIN[:2], [1.0, np.inf]), "y contains NaN"),
    "fit: empty": (fit_linear, (np.empty((0, 3)), []), "X is empty"),
    "fit: 1-D X": (fit_linear, (X_TRAIN[:, 1], y_train), "must be 2-D"),
    "fit: zero learning rate": (fit_linear, (X_TRAIN, y_train, 0.0), "lr > 0"),
    "fit: zero epochs": (fit_linear, (X_TRAIN, y_train, 0.1, 0), "epochs >= 1"),
    "lstsq: 2-D y": (fit_least_squares, (X_TRAIN, y_train[:, None]), "y must be 1-D"),
    "predict: w too short": (predict, (X_TRAIN, np.zeros(2)), "shape mismatch"),
    "gradient: NaN weight": (linear_gradient, (X_TRAIN, y_train, [0, np.nan, 0]), "w contains"),
    "add_intercept: infinite": (add_intercept, (INF_X,), "NaN or infinite"),
    "mse: length mismatch": (mean_squared_error, ([1.0, 2.0, 3.0], [1.0, 2.0]), "length"),
    "mse: empty": (mean_squared_error, ([], []), "y_pred is empty"),
    "r2: constant target": (r_squared, ([5.0, 5.0], [4.0, 6.0]), "constant: R² is undefined"),
    "scaler: constant column": (fit_scaler, ([[1.0, 2.0], [1.0, 3.0]],), "column 0 is constant"),
    "standardize: 3 columns": (standardize, (np.ones((2, 3)), MEAN, SCALE), "shape mismatch"),
    "standardize: zero scale": (standardize, (X_train_raw, MEAN, [1.0, 0.0]), "scale must be"),
    "unscale: w too long": (unscale_weights, (np.zeros(4), MEAN, SCALE), "shape mismatch"),
}


@pytest.mark.parametrize(("func", "args", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_raises_value_error(func, args, message):
    with pytest.raises(ValueError, match=message):
        func(*args)


# --- the engine needed no change for this chapter ----------------------------

ROOT = Path(__file__).resolve().parents[1]
PAGE, FOLDER = "linear-regression.md", "linear_regression"


def test_generic_discovery_finds_the_chapter_and_its_complete_lab():
    from coursebuild.engine import Report, Runner
    from coursebuild.lab.builder import Labs, chapter_spec
    from coursebuild.lab.notebook import build_notebook
    from coursebuild.page.source import executed_snippets
    from coursebuild.quiz import load_quiz

    spec = chapter_spec(ROOT / "docs", PAGE, "Access-Review ML")
    assert (spec.folder, spec.notebook, spec.title) == (
        FOLDER,
        "linear-regression-lab.ipynb",
        "Linear regression lab",
    )
    shown = {p.parent.name for p in executed_snippets(ROOT)}
    assert FOLDER in shown
    quiz = load_quiz(ROOT / "snippets" / FOLDER / "quiz.yml")
    assert quiz.lesson == PAGE.removesuffix(".md")
    runner = Runner(ROOT)  # reads files only: the worker starts on the first run
    labs = Labs(runner, Report(), ROOT / "docs")
    try:
        notebook, _, problems = build_notebook(labs.sources(spec))
    finally:
        runner.close()
    assert problems == []
    roles = [cell.metadata.get("course", {}).get("role") for cell in notebook.cells]
    assert roles.count("answer") == roles.count("self-check") == 6


def test_the_scaling_section_and_its_figure_count_the_same_epochs():
    # Two snippets count epochs to within 0.01 ms² of least squares: the page quotes one, the
    # figure labels the other. Their records must agree on both runs they share.
    folder = ROOT / "snippets" / "linear_regression"
    section = (folder / "feature_scaling.out").read_text(encoding="utf-8")
    figure = (folder / "figure_scaling.out").read_text(encoding="utf-8")
    for features, lr in (("raw", "0.02"), ("standardised", "0.1")):
        [quoted] = re.findall(rf"^lr={lr}  features={features}\b.*epochs=(\d+)$", section, re.M)
        [drawn] = re.findall(
            rf"^features={features}  lr={lr}  epochs_to_tolerance=(\d+)$", figure, re.M
        )
        assert quoted == drawn, f"{features} at lr={lr}: {quoted} epochs on the page, {drawn} drawn"
