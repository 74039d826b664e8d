"""7 — A batch of examples and stochastic gradient descent.

What it teaches: the cost of a training set is the average of the costs of its
examples, C = (1/n) Σₓ Cₓ, so its gradient is the average of the per-example
gradients that backpropagation computes one example at a time.  Gradient descent
then moves every weight and bias against its gradient, w → w − η·∂C/∂w, and
repeats; stochastic gradient descent takes a step after each mini-batch of
examples instead of after all of them.

The 2-2-1 sigmoid network of example 6 learns the OR of two bits: symbp computes
each example's gradient (BP1–BP4), the batch average, one update step, and then
trains for a few hundred epochs with the whole batch and with mini-batches, the
cost going down.  Every number is symbp's, and checked against the engine's
reverse sweep, sympy.diff and finite differences.
Run:  python examples/07_batch_sgd.py
"""

from _tutorial import NETWORK, console, heading, say
from rich import box
from rich.table import Table

import symbp
from symbp.core.printing import name

OR = [{"x": [0, 0], "y": [0]}, {"x": [0, 1], "y": [1]},
      {"x": [1, 0], "y": [1]}, {"x": [1, 1], "y": [1]}]
EPOCHS = 200
SHOWN_EPOCHS = (0, 1, 2, 5, 10, 20, 50, 100, 200)


def table(*columns: str, right_from: int = 1) -> Table:
    result = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, column in enumerate(columns):
        result.add_column(column, justify="right" if i >= right_from else "left")
    return result


def parameters(network) -> list[tuple[str, tuple]]:
    """(display name, where) for every weight and bias, layer by layer, in Nielsen's names."""
    result = []
    for i, weights in enumerate(network.weights):
        layer = i + 2
        for j, row in enumerate(weights):
            result += [(name(f"w^{{{layer}}}_{{{j + 1}{k + 1}}}"), ("w", i, j, k))
                       for k in range(len(row))]
            result.append((name(f"b^{{{layer}}}_{{{j + 1}}}"), ("b", i, j, None)))
    return result


def pick(grad_w, grad_b, where) -> float:
    kind, i, j, k = where
    return grad_w[i][j][k] if kind == "w" else grad_b[i][j]


def num(value: float) -> str:
    return f"{value + 0.0:.6g}"  # + 0.0: 0·(−0.02) is −0.0, shown as 0


def vector(values) -> str:
    return f"({', '.join(num(v) for v in values)})" if len(values) > 1 else num(values[0])


spec = symbp.parse_spec({**NETWORK, "samples": OR})
batch = symbp.network_walkthrough(spec, epochs=EPOCHS)
net, eta = batch.network, spec.learning_rate

heading("The training set: OR of two bits")
say("Four examples x → y.  With the starting parameters the network's outputs a³ "
    "are far from y; Cₓ = ½(y − a³)² is each example's cost:")
data = table("example", "x", "y", "a³ (output)", "Cₓ", right_from=3)
for i, result in enumerate(batch.samples, start=1):
    data.add_row(str(i), vector(result.sample.x), vector(result.sample.y), num(result.a[-1][0]),
                 num(result.cost))
console.print(data)
costs = " + ".join(num(r.cost) for r in batch.samples)
console.print(f"\nC = (1/n) Σₓ Cₓ = ({costs})/{len(batch.samples)} = {num(batch.cost)}")

heading("Per-example gradients and their average")
say("Backpropagation (BP1–BP4, as in example 6) gives each example's gradient; "
    "the gradient of C is their average:")
grads = table("parameter", *(f"∂{name(f'C_{i}')}/∂·" for i in range(1, 5)), "mean ∂C/∂·")
for label, where in parameters(net):
    grads.add_row(label, *(num(pick(r.grad_w, r.grad_b, where)) for r in batch.samples),
                  num(pick(batch.grad_w, batch.grad_b, where)))
console.print(grads)

heading(f"One step of gradient descent (η = {num(eta)})")
say("Every parameter moves against its averaged gradient: after = before − η·mean.")
step = table("parameter", "before", "− η·mean", "after")
for label, where in parameters(net):
    before = pick(net.weights, net.biases, where)
    after = pick(batch.updated.weights, batch.updated.biases, where)
    step.add_row(label, num(before), num(-eta * pick(batch.grad_w, batch.grad_b, where)),
                 num(after))
console.print(step)
after_one = symbp.network_walkthrough(symbp.parse_spec({
    **NETWORK, "samples": OR, "weights": [list(map(list, w)) for w in batch.updated.weights],
    "biases": [list(b) for b in batch.updated.biases]}))
console.print(f"\nThe cost goes from C = {num(batch.cost)} to C = {num(after_one.cost)}.")

heading(f"Training: {EPOCHS} epochs")
say("Full-batch gradient descent takes one step per epoch (all 4 examples).  "
    "Stochastic gradient descent shuffles the examples each epoch and takes one "
    "step per mini-batch: 2 steps per epoch with mini-batches of 2, 4 with "
    "mini-batches of 1.")
runs = {"full batch (4)": batch.training}
for size in (2, 1):
    runs[f"mini-batch {size}"] = symbp.network_walkthrough(spec, epochs=EPOCHS,
                                                           batch_size=size).training
curve = table("epoch", *(f"C, {label}" for label in runs))
for epoch in SHOWN_EPOCHS:
    curve.add_row(str(epoch), *(num(run.costs[epoch]) for run in runs.values()))
console.print(curve)

heading("What the network learned")
outputs = table("x", "y", *(f"a³, {label}" for label in runs))
trained = {}
for label, run in runs.items():
    final = symbp.parse_spec({**NETWORK, "samples": OR,
                              "weights": [list(map(list, w)) for w in run.network.weights],
                              "biases": [list(b) for b in run.network.biases]})
    trained[label] = symbp.network_walkthrough(final)
for i, result in enumerate(batch.samples):
    outputs.add_row(vector(result.sample.x), vector(result.sample.y),
                    *(num(w.samples[i].a[-1][0]) for w in trained.values()))
console.print(outputs)
checks = [c for w in (batch, after_one, *trained.values()) for c in w.checks]
console.print(f"\nsymbp's self-checks: {sum(c.passed is True for c in checks)} of {len(checks)} "
              "passed (BP1–BP4 against the reverse sweep, finite differences and sympy.diff; "
              "the matrix-form layer view against them).")
