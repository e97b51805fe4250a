# Exercise: AUC of the validation probabilities with V4's label as recorded and flipped.
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import add_intercept, auc_by_pairs, fit_logistic, predict_proba

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
flipped = y_val.copy()
flipped[3] = 1

for name, labels in (("recorded", y_val), ("flipped", flipped)):
    pairs = int(labels.sum() * (len(labels) - labels.sum()))
    print(f"labels={name}  pairs={pairs}  auc={auc_by_pairs(labels, p_val):.3f}")
