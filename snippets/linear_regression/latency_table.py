# The eight training requests as stored in the data source: two features and the latency.
from latency_requests import X_train_raw, X_val_raw, train_ids, y_train

for request, (pages, docs), latency in zip(train_ids, X_train_raw, y_train, strict=True):
    print(f"request={request}  pages={pages:2.0f}  docs={docs:.0f}  latency_ms={latency:5.0f}")
print(f"training requests: {len(y_train)}")
print(f"validation requests: {len(X_val_raw)}")
print(f"fastest training request (ms): {y_train.min():.0f}")
print(f"slowest training request (ms): {y_train.max():.0f}")
print(f"mean training latency (ms): {y_train.mean():.2f}")
