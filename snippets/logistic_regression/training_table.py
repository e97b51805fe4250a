# The eight training requests as stored in the data source: two features and the label.
from access_requests import X_train_raw, train_ids, y_train

for request, (x1, x2), y in zip(train_ids, X_train_raw, y_train, strict=True):
    print(f"request={request}  x1={x1:.1f}  x2={x2:.1f}  y={y}")
print(f"requests needing review: {y_train.sum()}")
print(f"requests auto-processed: {len(y_train) - y_train.sum()}")
