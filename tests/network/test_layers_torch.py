"""The layer view against PyTorch, for every convention × activation × cost: Z, A, Δ in the
convention's layout, ∂C/∂W (out × in, as ``weight.grad``) and ∂C/∂b equal what PyTorch's
forward pass and ``backward()`` compute in float64 for the same model and batch."""

from __future__ import annotations

import random

import pytest

from symbp.network.derive import network_walkthrough
from symbp.network.layer_steps import layer_view
from symbp.network.layers import layer_numbers
from symbp.network.spec import parse_spec

torch = pytest.importorskip("torch", reason="PyTorch is not installed; .ci/run installs it")

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
# every output σ with every cost it may follow; the hidden layers take every σ in turn
OUTPUTS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
           ("identity", "quadratic"), ("softmax", "quadratic"), ("sigmoid", "cross-entropy"),
           ("softmax", "log-likelihood")]
CASES = [(ACTIVATIONS[i % 4], ACTIVATIONS[(i + 1) % 4], output, cost)
         for i, (output, cost) in enumerate(OUTPUTS)]
MODULES = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU,
           "identity": torch.nn.Identity}


def _spec(activations, cost, seed) -> dict:
    rng = random.Random(seed)
    layers = [3, 4, 3, 3]
    samples = []
    for _ in range(3):
        if cost == "log-likelihood":
            y = [0.0] * 3
            y[rng.randrange(3)] = 1.0
        else:
            y = [round(rng.uniform(0.1, 0.9), 3) for _ in range(3)]
        samples.append({"x": [round(rng.uniform(-1.5, 1.5), 3) for _ in range(3)], "y": y})
    return {"layers": layers, "activations": activations, "cost": cost, "samples": samples,
            "learning_rate": 0.1, "seed": seed}


def _torch(spec) -> tuple[list, list, list]:
    """PyTorch's Z of every layer (m × n), its δ (m × ∂C/∂Z of the batch mean) and the
    Linear modules with their .grad, for the spec's network and batch."""
    net = spec.network
    x = torch.tensor([list(s.x) for s in spec.samples], dtype=torch.float64)
    y = torch.tensor([list(s.y) for s in spec.samples], dtype=torch.float64)
    linears, zs, a = [], [], x
    for w, b, name in zip(net.weights, net.biases, net.activations, strict=True):
        linear = torch.nn.Linear(len(w[0]), len(w), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(b, dtype=torch.float64))
        z = linear(a)
        z.retain_grad()
        linears.append(linear)
        zs.append(z)
        a = torch.softmax(z, dim=-1) if name == "softmax" else MODULES[name]()(z)
    if net.cost == "quadratic":
        loss = (0.5 * ((a - y) ** 2).sum(dim=1)).mean()
    elif net.cost == "cross-entropy":
        loss = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(dim=1).mean()
    else:
        loss = torch.nn.functional.nll_loss(torch.log(a), y.argmax(dim=1))
    loss.backward()
    m = len(spec.samples)
    return zs, [z.grad * m for z in zs], linears


def _close(ours, theirs) -> None:
    expected = theirs.tolist()
    assert len(ours) == len(expected)
    for row, want in zip(ours, expected, strict=True):
        assert list(row) == pytest.approx(want, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize(("hidden", "second", "output", "cost"), CASES)
def test_layer_view_equals_pytorch_in_both_conventions(hidden, second, output, cost):
    spec = parse_spec(_spec([hidden, second, output], cost, seed=len(cost) + len(output)))
    walk = network_walkthrough(spec, view="layers", convention="nielsen")
    zs, deltas, linears = _torch(spec)
    for convention in ("nielsen", "pytorch"):
        view = (walk.layers if convention == "nielsen" else
                layer_view(spec.network, spec.samples, walk.samples, walk.grad_w, walk.grad_b,
                           walk.sweep, "pytorch", full=False))
        assert view.convention == convention and view.check.passed
        laid = (lambda t: t) if convention == "pytorch" else (lambda t: t.T)
        for numbers, z, delta, linear in zip(layer_numbers(view), zs, deltas, linears,
                                             strict=True):
            _close(numbers.z, laid(z.detach()))
            _close(numbers.delta, laid(delta))
            _close(numbers.grad_w, linear.weight.grad)  # out × in in both conventions
            assert list(numbers.grad_b) == pytest.approx(linear.bias.grad.tolist(),
                                                         rel=1e-10, abs=1e-12)
