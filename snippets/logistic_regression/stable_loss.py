# Loss computed from logits stays finite where log(sigmoid(z)) breaks down.
import numpy as np
from logistic_scratch import log_loss_from_logits, sigmoid

print(f"correct positive: {log_loss_from_logits([1], [2.0]):.3f}")
print(f"confident wrong: {log_loss_from_logits([1], [-4.0]):.3f}")

y = np.array([0, 1])
z = np.array([1000.0, -1000.0])  # both requests confidently wrong
with np.errstate(divide="ignore"):  # log(0) is the point of this demonstration
    p = sigmoid(z)
    naive = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
stable = log_loss_from_logits(y, z)
print(f"sigmoid of the extreme logits: {p}")
print(f"naive loss from probabilities: {naive}")
print(f"stable loss from logits: {stable:.1f}")
print(f"extreme logits finite: {bool(np.isfinite(stable))}")
