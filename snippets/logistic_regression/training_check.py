# Training-set probabilities, the confusion matrix at 0.5 and training ECE: code checks only.
from access_requests import X_train_raw, train_ids, y_train
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    expected_calibration_error,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    predict_with_threshold,
)

X = add_intercept(X_train_raw)
w = fit_logistic(X, y_train)
p = predict_proba(X, w)
review = predict_with_threshold(p, 0.5)
for request, y, p_i, r in zip(train_ids, y_train, p, review, strict=True):
    print(f"request={request}  y={y}  p={p_i:.3f}  review={r}")

cm = confusion_matrix_at_threshold(y_train, p, 0.5)
precision, recall, f1 = precision_recall_f1(cm)
counts = " ".join(f"{k}={v}" for k, v in cm.items())
print(f"t=0.50 {counts} precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")
print(f"training ECE: {expected_calibration_error(y_train, p, n_bins=4):.3f}")
