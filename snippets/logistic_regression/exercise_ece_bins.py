# Exercise: the same validation probabilities, four bin counts, four different ECE values.
from access_requests import X_train_raw, X_val_raw, y_train, y_val
from logistic_scratch import (
    add_intercept,
    expected_calibration_error,
    fit_logistic,
    predict_proba,
    reliability_table,
)

w = fit_logistic(add_intercept(X_train_raw), y_train)
p_val = predict_proba(add_intercept(X_val_raw), w)
for n_bins in (2, 4, 8, 10):
    ece = expected_calibration_error(y_val, p_val, n_bins=n_bins)
    filled = len(reliability_table(y_val, p_val, n_bins=n_bins))
    print(f"bins={n_bins}  non_empty={filled}  ece={ece:.3f}")
