# One disputed validation label (V4 relabelled as needing review) moves F1 and ECE.
from access_requests import X_train_raw, X_val_raw, val_ids, y_train, y_val
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    expected_calibration_error,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
flipped = y_val.copy()  # the shared data is read-only: edit a copy
flipped[3] = 1
print(f"disputed request: {val_ids[3]}")

for name, labels in (("recorded", y_val), ("flipped", flipped)):
    _, _, f1 = precision_recall_f1(confusion_matrix_at_threshold(labels, p_val, 0.5))
    ece = expected_calibration_error(labels, p_val, n_bins=4)
    print(f"labels={name}  f1={f1:.3f}  ece={ece:.3f}")
