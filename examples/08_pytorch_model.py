"""8 — Explain my PyTorch model: an nn.Sequential, backpropagation step by step.

What it teaches: a PyTorch model is the network of examples 6 and 7 in other clothes.
``nn.Linear`` computes y = x·Wᵀ + b for a row x, which is Nielsen's z = W a + b for a
column a: its ``weight[j][k]`` is w^l_{jk}, the weight from neuron k of layer l−1 to
neuron j of layer l.  ``symbp.network_from_torch`` reads the model into a spec (the
weights copied exactly), and symbp shows what ``loss.backward()`` does, in both views:
neuron by neuron — the forward pass, δ by BP1 (here a softmax output with the
log-likelihood, PyTorch's categorical cross-entropy, where BP1 reduces to δᴸ = aᴸ − y),
BP2, the gradient by BP3 and BP4, averaged over the batch — and then layer by layer in
matrix form, in PyTorch's own layout: the batch's samples as the rows of X, Y = X·Wᵀ + b
as ``nn.Linear`` computes it, ∂C/∂W = (1/m) Δᵀ·X laid out as ``weight.grad``.  Then
PyTorch's own ``backward()`` gives the same gradient, which the script compares number by
number with both views.

It needs PyTorch (``pip install 'symbp[torch]'``); without it, it says so and stops.
Run:  python examples/08_pytorch_model.py
"""

import json
import sys

from _tutorial import console, heading, say

import symbp

try:
    import torch
except ImportError:
    print("skipped: this example needs PyTorch: pip install 'symbp[torch]'")
    sys.exit(0)

# A 2-3-3 classifier: tanh hidden layer, softmax output, in float64 so that PyTorch and
# symbp compute with the same floats.
torch.manual_seed(8)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 3, dtype=torch.float64), torch.nn.Tanh(),
    torch.nn.Linear(3, 3, dtype=torch.float64), torch.nn.Softmax(dim=-1),
)
SAMPLES = [{"x": [0.5, -1.0], "y": [0, 0, 1]}, {"x": [-0.25, 0.75], "y": [1, 0, 0]}]

heading("Part 1: the model as a network spec")
spec = symbp.network_from_torch(model, cost="log-likelihood", learning_rate=0.5)
say(f"{model}\n\nbecomes layers {spec['layers']}, σ per layer {spec['activations']}, "
    f"cost {spec['cost']}: C = −ln a_y, the mean over the batch as "
    "torch.nn.functional.nll_loss(torch.log(output), label) computes it.")

heading("Part 2: what loss.backward() computes, in both views")
say("First neuron by neuron (Nielsen's BP1–BP4), then the same numbers layer by layer in "
    "matrix form, in PyTorch's layout (convention=\"pytorch\"): a sample per row of "
    "X = A¹, Zˡ = Aˡ⁻¹·(Wˡ)ᵀ + bˡ and ∂C/∂Wˡ = (1/m) (Δˡ)ᵀ·Aˡ⁻¹, out × in like weight.grad.")
walkthrough = symbp.network_walkthrough({**spec, "samples": SAMPLES}, view="both",
                                        convention="pytorch")
console.print(walkthrough)

heading("Part 3: PyTorch's own backward()")
x = torch.tensor([s["x"] for s in SAMPLES], dtype=torch.float64)
labels = torch.tensor([s["y"].index(1) for s in SAMPLES])
loss = torch.nn.functional.nll_loss(torch.log(model(x)), labels)
model.zero_grad()
loss.backward()
linears = [m for m in model if isinstance(m, torch.nn.Linear)]
difference = 0.0
for linear, grad_w, grad_b in zip(linears, walkthrough.grad_w, walkthrough.grad_b,
                                  strict=True):
    for j, row in enumerate(grad_w):
        difference = max(difference, abs(grad_b[j] - float(linear.bias.grad[j])),
                         *(abs(g - float(linear.weight.grad[j, k])) for k, g in enumerate(row)))
say(f"PyTorch's loss = {loss.item():.6g}, symbp's C = {walkthrough.cost:.6g}; the largest "
    f"difference between PyTorch's .grad and symbp's ∂C/∂w, ∂C/∂b is {difference:.1e}.")

# The layer view's matrices in PyTorch's layout, as the JSON document has them: Z of a
# layer is the output of its nn.Linear for the whole batch (m × n), ∂C/∂W is weight.grad.
layer_view = json.loads(walkthrough.to_json())["layer_view"]
a, matrices = x, 0.0
for linear, activation, layer in zip(linears, (torch.tanh, None), layer_view, strict=True):
    z = linear(a).detach()
    matrices = max(matrices, *(abs(v - float(z[i, j])) for i, row in enumerate(layer["Z"])
                               for j, v in enumerate(row)),
                   *(abs(g - float(linear.weight.grad[j, k]))
                     for j, row in enumerate(layer["grad_W"]) for k, g in enumerate(row)))
    a = activation(z) if activation else z
say(f"The layer view in PyTorch's layout: its Zˡ (a sample per row) is what each nn.Linear "
    f"outputs for the batch, and its ∂C/∂Wˡ has weight.grad's out × in layout; the largest "
    f"difference in either is {matrices:.1e}.")
