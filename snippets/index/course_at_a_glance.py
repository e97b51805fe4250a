# The running scenario of the course, counted from the chapter's own data source.
from logistic_regression.access_requests import (
    FN_COST,
    FP_COST,
    X_train_raw,
    X_val_raw,
    y_train,
    y_val,
)

print("training requests:", len(X_train_raw))
print("validation requests:", len(X_val_raw))
print("training requests needing review:", int(y_train.sum()))
print("validation requests needing review:", int(y_val.sum()))
print(f"cost of a missed review: ${FN_COST}")
print(f"cost of an unnecessary review: ${FP_COST}")
