# Design matrix X (a column of ones for the intercept, then x1 and x2) and label vector y.
from access_requests import X_train_raw, y_train
from logistic_scratch import add_intercept

X = add_intercept(X_train_raw)
print("X (columns: intercept, x1, x2):")
print(X)
print("y:", y_train)
print(f"X shape: {X.shape}")
print(f"y shape: {y_train.shape}")
