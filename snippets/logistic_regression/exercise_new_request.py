# Exercise: score the new request REQ-10234 and route it at two thresholds.
from access_requests import NEW_REQUEST_ID, NEW_REQUEST_RAW, X_train_raw, y_train
from logistic_scratch import add_intercept, fit_logistic, predict_proba, predict_with_threshold

w = fit_logistic(add_intercept(X_train_raw), y_train)
x_new = add_intercept(NEW_REQUEST_RAW.reshape(1, -1))
p_new = predict_proba(x_new, w)
print(f"request: {NEW_REQUEST_ID}")
print(f"features x1, x2: {NEW_REQUEST_RAW[0]:.1f}, {NEW_REQUEST_RAW[1]:.1f}")
print(f"score z: {(x_new @ w)[0]:.3f}")
print(f"probability of needing review: {p_new[0]:.3f}")
for t in (0.20, 0.50):
    decision = "human review" if predict_with_threshold(p_new, t)[0] else "auto-process"
    print(f"decision at {t:.2f}: {decision}")
