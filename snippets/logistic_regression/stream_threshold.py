# Choose the threshold on the stream by cross-validated cost, compare it, and package the policy.
import numpy as np
from access_requests import FN_COST, FP_COST, NEW_REQUEST_ID, NEW_REQUEST_RAW, X_val_raw, y_val
from access_requests import X_train_raw as X_eight
from access_requests import y_train as y_eight
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    predict_proba,
    total_cost,
)
from request_stream import STREAM, review_cost
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV

X_train, y_train = STREAM["train"]
X_held, y_held = STREAM["held_out"]
cost_scorer = make_scorer(review_cost, greater_is_better=False)  # mean dollars per request
tuned = TunedThresholdClassifierCV(
    LogisticRegression(C=np.inf),  # no penalty, as in the chapter
    scoring=cost_scorer,
    thresholds=np.arange(1, 100) / 100,  # 0.01, 0.02, ..., 0.99
    cv=5,  # each fold's model is scored on the fifth of the requests it did not see
).fit(X_train, y_train)
print(f"cross-validation folds: {tuned.cv}")
print(f"tuned threshold: {tuned.best_threshold_:.2f}")
print(f"cross-validated cost per request: ${-tuned.best_score_:.2f}")

# The chapter's choice on its eight validation requests, recomputed as threshold_costs.py does.
p_eight = predict_proba(add_intercept(X_val_raw), fit_logistic(add_intercept(X_eight), y_eight))
eight_costs = {
    t: total_cost(confusion_matrix_at_threshold(y_val, p_eight, t), FN_COST, FP_COST)
    for t in (0.20, 0.50, 0.80)
}
candidates = {
    "tuned": tuned.best_threshold_,
    "eight-row": min(eight_costs, key=eight_costs.get),
    "cost-ratio": FP_COST / (FP_COST + FN_COST),
    "default": 0.5,
}
p_held = tuned.estimator_.predict_proba(X_held)[:, 1]
for name, t in candidates.items():
    review = (p_held >= t).astype(int)
    missed, extra = np.sum((y_held == 1) & (review == 0)), np.sum((y_held == 0) & (review == 1))
    print(
        f"policy={name} t={t:.3f} reviews={review.sum()} missed={missed} unnecessary={extra}"
        f" cost_per_request=${review_cost(y_held, review):.2f}"
    )

# Ship the model and its threshold as one estimator; FrozenEstimator keeps the fit as it is.
policy = FixedThresholdClassifier(
    FrozenEstimator(tuned.estimator_), threshold=tuned.best_threshold_
)
same = np.array_equal(policy.predict(X_held), tuned.predict(X_held))
print(f"packaged policy makes the tuned decisions on held-out requests: {same}")
new = NEW_REQUEST_RAW.reshape(1, -1)
print(f"{NEW_REQUEST_ID} probability: {policy.predict_proba(new)[0, 1]:.3f}")
print(f"{NEW_REQUEST_ID} decision: {'review' if policy.predict(new)[0] else 'auto-process'}")
