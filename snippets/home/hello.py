# A first executed snippet.
import numpy as np

print("mean:", np.mean([1.0, 2.0, 4.0]))
