# Design matrix X (a column of ones for the intercept, then pages and documents) and target y.
from latency_requests import X_train_raw, y_train
from linear_scratch import add_intercept

X = add_intercept(X_train_raw)
print("X (columns: intercept, pages, docs):")
print(X)
print("y (ms):", y_train)
print(f"X shape: {X.shape}")
print(f"y shape: {y_train.shape}")
