# Held-out calibration: ECE, Brier score, log loss and bias of two models, before and after repair.
import numpy as np
from access_requests import FN_COST, FP_COST
from access_requests import X_train_raw as X_eight
from access_requests import y_train as y_eight
from logistic_scratch import expected_calibration_error
from request_stream import STREAM, review_cost
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

X_train, y_train = STREAM["train"]
X_cal, y_cal = STREAM["calibration"]
X_held, y_held = STREAM["held_out"]
models = {
    "eight-row": LogisticRegression(C=np.inf).fit(X_eight, y_eight),  # the chapter's model
    "stream": LogisticRegression(C=np.inf).fit(X_train, y_train),
}
for name in list(models):  # Platt scaling, fitted on the calibration split only
    repair = CalibratedClassifierCV(FrozenEstimator(models[name]), method="sigmoid")
    models[f"{name}+sigmoid"] = repair.fit(X_cal, y_cal)

rule = FP_COST / (FP_COST + FN_COST)
print(f"held-out requests: {len(y_held)}")
print(f"observed share needing review: {y_held.mean():.3f}")
for name, model in models.items():
    p = model.predict_proba(X_held)[:, 1]
    print(
        f"model={name} auc={roc_auc_score(y_held, p):.3f}"
        f" ece={expected_calibration_error(y_held, p, n_bins=10):.3f}"
        f" brier={brier_score_loss(y_held, p):.3f} log_loss={log_loss(y_held, p):.3f}"
        f" mean_p={p.mean():.3f} bias={p.mean() - y_held.mean():+.3f}"
        f" rule_cost=${review_cost(y_held, (p >= rule).astype(int)):.2f}"
    )
