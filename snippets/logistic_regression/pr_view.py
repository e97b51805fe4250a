# Precision and recall at sweep thresholds, on the validation slice and on a rare-positive copy.
import numpy as np
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import (
    add_intercept,
    auc_by_pairs,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    roc_points,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)

# Same model, same requests, but every auto-processable request appears ten times.
y_rare = np.concatenate([y_val[y_val == 1], np.repeat(y_val[y_val == 0], 10)])
p_rare = np.concatenate([p_val[y_val == 1], np.repeat(p_val[y_val == 0], 10)])
print(f"needs-review share, validation: {y_val.mean():.2f}")
print(f"needs-review share, rare copy: {y_rare.mean():.2f}")

for t in (0.8, 0.5, 0.3, 0.2, 0.1):
    precision, recall, _ = precision_recall_f1(confusion_matrix_at_threshold(y_val, p_val, t))
    rare_precision, _, _ = precision_recall_f1(confusion_matrix_at_threshold(y_rare, p_rare, t))
    _, fpr, _ = roc_points(y_rare, p_rare, [t])[0]
    print(
        f"t={t:.2f}  recall={recall:.3f}  fpr={fpr:.3f}  precision={precision:.3f}"
        f"  precision_rare={rare_precision:.3f}"
    )
print(f"AUC, validation: {auc_by_pairs(y_val, p_val):.3f}")
print(f"AUC, rare copy: {auc_by_pairs(y_rare, p_rare):.3f}")
