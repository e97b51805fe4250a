# 100 requests, 4 of which need review, and a policy that auto-processes every one of them.
import numpy as np
from access_requests import FN_COST, FP_COST
from logistic_scratch import confusion_matrix_at_threshold, precision_recall_f1, total_cost

y_true = np.array([1] * 4 + [0] * 96)
p_never = np.zeros(100)  # a "model" that gives every request probability 0
cm = confusion_matrix_at_threshold(y_true, p_never, 0.5)
_, recall, _ = precision_recall_f1(cm)
print("policy=auto-all " + " ".join(f"{k}={v}" for k, v in cm.items()))
print(f"accuracy: {(cm['tp'] + cm['tn']) / len(y_true):.2f}")
print(f"review recall: {recall:.1f}")
print(f"missed reviews: {cm['fn']}")
print(f"cost of the missed reviews: ${total_cost(cm, FN_COST, FP_COST):.0f}")
