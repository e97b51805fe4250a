# The running scenario of the course, counted from each chapter's own data source.
from linear_regression import latency_requests as latency
from logistic_regression.access_requests import (
    FN_COST,
    FP_COST,
    X_train_raw,
    X_val_raw,
    y_train,
    y_val,
)

print("latency training requests:", len(latency.X_train_raw))
print("latency validation requests:", len(latency.X_val_raw))
print(f"evidence latency budget: {latency.BUDGET_MS} ms")
print(f"cost of a missed budget: ${latency.MISS_COST}")
print("training requests:", len(X_train_raw))
print("validation requests:", len(X_val_raw))
print("training requests needing review:", int(y_train.sum()))
print("validation requests needing review:", int(y_val.sum()))
print(f"cost of a missed review: ${FN_COST}")
print(f"cost of an unnecessary review: ${FP_COST}")
