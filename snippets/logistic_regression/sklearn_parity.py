# Parity with scikit-learn: same unregularized model, same design matrix, default tolerance.
import numpy as np
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import add_intercept, fit_logistic
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

X, X_val = add_intercept(X_train_raw), add_intercept(X_val_raw)
# C=np.inf switches the default L2 penalty off; the ones column already is the intercept.
clf = LogisticRegression(C=np.inf, fit_intercept=False).fit(X, y_train)
w_sk = clf.coef_[0]
w_ours = fit_logistic(X, y_train)
print(f"sklearn weights: {np.round(w_sk, 3)}")
print(f"our weights:     {np.round(w_ours, 3)}")
print(f"weights close (atol 0.05): {np.allclose(w_ours, w_sk, atol=0.05)}")
print(f"largest weight gap: {np.max(np.abs(w_ours - w_sk)):.3f}")

p_val = clf.predict_proba(X_val)[:, 1]
print(f"sklearn validation F1 at 0.20: {f1_score(y_val, (p_val >= 0.20).astype(int)):.3f}")
print(f"sklearn validation AUC: {roc_auc_score(y_val, p_val):.3f}")
