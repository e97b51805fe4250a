# Validation AUC by counting positive-negative pairs, then ROC points from a threshold sweep.
import numpy as np
from access_requests import X_train_raw, X_val_raw, val_ids, y_train, y_val
from logistic_scratch import add_intercept, auc_by_pairs, fit_logistic, predict_proba, roc_points

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)

positives = [i for i, y in enumerate(y_val) if y == 1]
negatives = [i for i, y in enumerate(y_val) if y == 0]
misordered = [
    f"{val_ids[i]}<{val_ids[j]}" for i in positives for j in negatives if p_val[i] < p_val[j]
]
print(f"positive-negative pairs: {len(positives) * len(negatives)}")
print(f"misordered pairs: {len(misordered)}")
print(f"misordered: {', '.join(misordered)}")
print(f"validation AUC: {auc_by_pairs(y_val, p_val):.3f}")

sweep = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
points = roc_points(y_val, p_val, sweep)
for t, fpr, tpr in points:
    print(f"t={t:.2f}  fpr={fpr:.3f}  tpr={tpr:.3f}")
fprs, tprs = [pt[1] for pt in points], [pt[2] for pt in points]
print(f"area under the swept ROC: {np.trapezoid(tprs, fprs):.3f}")
