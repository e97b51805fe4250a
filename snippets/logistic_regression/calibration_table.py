# Reliability table of the validation probabilities in four equal-width bins, and their ECE.
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

for number, row in enumerate(reliability_table(y_val, p_val, n_bins=4), start=1):
    close = "]" if row["hi"] == 1.0 else ")"
    print(
        f"bin={number}  range=[{row['lo']:.2f},{row['hi']:.2f}{close}  n={row['n']}"
        f"  mean_p={row['mean_p']:.3f}  observed={row['observed']:.3f}"
        f"  gap={abs(row['mean_p'] - row['observed']):.3f}"
    )
print(f"validation ECE: {expected_calibration_error(y_val, p_val, n_bins=4):.3f}")
