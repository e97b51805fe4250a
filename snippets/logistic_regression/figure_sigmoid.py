# Figure: the sigmoid curve with the five hand-computed scores of the table marked.
import numpy as np
from course_figures import LINES, label_point, legend, mark, new_figure, publish
from logistic_scratch import sigmoid

z = np.linspace(-6.0, 6.0, 121)
sigma = sigmoid(z)
marked_z = np.array([-4.0, -1.0, 0.0, 1.0, 4.0])
marked_sigma = sigmoid(marked_z)

fig, ax = new_figure(size="square")
ax.axhline(0.5, **LINES["reference"], label="σ = 0.5 at z = 0")
ax.axvline(0.0, **LINES["reference"])
ax.plot(z, sigma, **LINES["model"], label="σ(z) = 1 / (1 + e^(−z))")
ax.plot(marked_z, marked_sigma, **mark(0), label="worked by hand (table above)")
# Each value beside its point, on the side away from the curve (offsets in points).
offsets = {-4.0: ((0, 13), "center"), 4.0: ((-8, -12), "right")}
for zi, si in zip(marked_z, marked_sigma, strict=True):
    offset, ha = offsets.get(zi, ((8, -12), "left"))
    label_point(ax, zi, si, f"{si:.3f}", offset=offset, ha=ha)
ax.set(xlabel="score z", ylabel="σ(z), probability of review", ylim=(-0.04, 1.04))
ax.set_title("The sigmoid squeezes any score into (0, 1)")
legend(ax, "below")

points = ", ".join(f"σ({zi:g})={si:.3f}" for zi, si in zip(marked_z, marked_sigma, strict=True))
print(f"curve: {len(z)} scores from {z[0]:g} to {z[-1]:g}")
print(f"marked: {points}")
publish(
    fig,
    "logistic-sigmoid",
    alt=(
        f"Line chart of the sigmoid for scores z from {z[0]:g} to {z[-1]:g}: an S-shaped curve "
        f"rising from near 0 to near 1, crossing 0.5 at z = 0. Five marked points: {points}."
    ),
    caption=(
        "The sigmoid, computed with the chapter's sigmoid function. The marked points are the "
        "five scores of the table; beyond |z| = 4 the curve is already flat."
    ),
    data={"z": z, "sigma": sigma, "marked_z": marked_z, "marked_sigma": marked_sigma},
)
