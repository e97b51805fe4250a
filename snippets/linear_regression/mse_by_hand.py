# Errors of the rule-of-thumb weights on the training requests, and four ways to summarise them.
import numpy as np
from latency_requests import X_train_raw, train_ids, y_train
from linear_scratch import add_intercept, half_mse, mean_squared_error, predict

w_guess = np.array([100.0, 60.0, 50.0])
X = add_intercept(X_train_raw)
y_hat = predict(X, w_guess)
errors = y_hat - y_train  # positive: the guess expected the evidence later than it arrived
for request, pred, measured, error in zip(train_ids, y_hat, y_train, errors, strict=True):
    print(
        f"request={request}  predicted={pred:4.0f}  measured={measured:4.0f}  "
        f"error={error:+4.0f}  squared={error**2:5.0f}"
    )
mse = mean_squared_error(y_train, y_hat)
print(f"mean error (ms): {errors.mean():.2f}")
print(f"mean absolute error (ms): {np.abs(errors).mean():.2f}")
print(f"MSE (ms²): {mse:.1f}")
print(f"RMSE (ms): {np.sqrt(mse):.1f}")
print(f"share of the squared error from T8: {errors[7] ** 2 / np.sum(errors**2):.0%}")
print(f"objective J (half the MSE): {half_mse(X, y_train, w_guess):.2f}")
