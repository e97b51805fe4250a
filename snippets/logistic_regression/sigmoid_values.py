# The sigmoid worked by hand for five scores: exp(-z), the denominator, then sigma(z).
import numpy as np
from logistic_scratch import sigmoid

for z in (-4.0, -1.0, 0.0, 1.0, 4.0):
    e = np.exp(-z)
    print(f"{f'z={z:.1f}':<7} exp_neg_z={e:<7.3f} denominator={1 + e:<7.3f} sigma={sigmoid(z):.3f}")

print(f"sigma(-1) + sigma(1): {sigmoid(-1.0) + sigmoid(1.0):.3f}")
print(f"slope at zero: {sigmoid(0.0) * (1 - sigmoid(0.0)):.3f}")
