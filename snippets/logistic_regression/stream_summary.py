# The synthetic request stream: size, share needing review and mean features of each split.
from request_stream import N_REQUESTS, STREAM

print(f"requests: {N_REQUESTS}")
for name, (X, y) in STREAM.items():
    print(
        f"split={name} n={len(y)} needs_review={y.mean():.3f}"
        f" mean_x1={X[:, 0].mean():.2f} mean_x2={X[:, 1].mean():.2f}"
    )
