"""Fully connected networks: BP1–BP4, the neuron-level graph, SGD and ``symbp network``.

The oracles are independent of symbp.network.backprop: numbers written out by hand with
``math`` in this file, Matt Mazur's published worked example, finite differences of a
forward pass written here, the engine's reverse sweep and ``sympy.diff``.
"""

from __future__ import annotations

import json
import math
import random
import re
from itertools import pairwise

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.core.printing import inline, name, plain
from symbp.errors import CheckFailure, DomainError, SymbpError
from symbp.network.backprop import backprop, batch_backprop, batch_gradient, sgd_step
from symbp.network.checks import network_checks
from symbp.network.derive import derive_network, network_walkthrough
from symbp.network.graph import network_graph, neuron_sweep
from symbp.network.model import Network, Sample
from symbp.network.spec import load_spec, parse_spec, random_network
from symbp.network.train import train
from symbp.render import prose as prose_printers

runner = CliRunner(env={"COLUMNS": "100"})
EXAMPLE = {
    "layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
    "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
    "biases": [[0.1, 0.0, -0.1], [0.2]],
    "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}],
    "learning_rate": 0.5,
}


def s(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def flat(value) -> list[float]:
    """Nested tuples of floats as one list (pytest.approx compares flat sequences)."""
    if isinstance(value, tuple | list):
        return [x for v in value for x in flat(v)]
    return [value]


def close(a: float, b: float, tol: float = 1e-12) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# -- a 2-2-2 sigmoid network, by hand (Mazur, "A Step by Step Backpropagation Example") ------

MAZUR = {
    "layers": [2, 2, 2], "activation": "sigmoid", "cost": "quadratic",
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
    "samples": [{"x": [0.05, 0.10], "y": [0.01, 0.99]}],
    "learning_rate": 0.5,
}


def test_hand_checked_2_2_2_network():
    w = network_walkthrough(parse_spec(MAZUR))
    r = w.samples[0]
    # forward pass, written out
    z21 = 0.15 * 0.05 + 0.20 * 0.10 + 0.35
    z22 = 0.25 * 0.05 + 0.30 * 0.10 + 0.35
    a21, a22 = s(z21), s(z22)
    z31 = 0.40 * a21 + 0.45 * a22 + 0.60
    z32 = 0.50 * a21 + 0.55 * a22 + 0.60
    a31, a32 = s(z31), s(z32)
    cost = 0.5 * (0.01 - a31) ** 2 + 0.5 * (0.99 - a32) ** 2
    # BP1: δ = (a − y) σ'(z), σ' = a(1 − a)
    d31 = (a31 - 0.01) * a31 * (1 - a31)
    d32 = (a32 - 0.99) * a32 * (1 - a32)
    # BP2: δ² = (w³ᵀ δ³) ⊙ σ'(z²)
    d21 = (0.40 * d31 + 0.50 * d32) * a21 * (1 - a21)
    d22 = (0.45 * d31 + 0.55 * d32) * a22 * (1 - a22)
    assert flat(r.z) == pytest.approx([z21, z22, z31, z32], rel=1e-14)
    assert flat(r.a) == pytest.approx([a21, a22, a31, a32], rel=1e-14)
    assert r.cost == pytest.approx(cost, rel=1e-14)
    assert flat(r.delta) == pytest.approx([d21, d22, d31, d32], rel=1e-12)
    assert r.grad_b == r.delta  # BP3
    assert flat(r.grad_w) == pytest.approx(  # BP4: a^{l-1}_k δ^l_j
        [0.05 * d21, 0.10 * d21, 0.05 * d22, 0.10 * d22,
         a21 * d31, a22 * d31, a21 * d32, a22 * d32], rel=1e-12)
    # Mazur's published numbers: E_total and the weights after one step with η = 0.5
    assert w.cost == pytest.approx(0.298371109, abs=1e-9)
    assert flat(w.updated.weights[1]) == pytest.approx(
        [0.35891648, 0.408666186, 0.511301270, 0.561370121], abs=1e-8)
    assert flat(w.updated.weights[0]) == pytest.approx(
        [0.149780716, 0.19956143, 0.24975114, 0.29950229], abs=1e-8)
    assert all(c.passed for c in w.checks)


# -- the spec example ----------------------------------------------------------------------------

def _example_by_hand():
    """Per sample: (cost, δ², δ³, ∂C/∂w³) with plain math."""
    out = []
    for x, y in (((1.0, 0.5), 1.0), ((-0.3, 0.8), 0.0)):
        z2 = [0.1 * x[0] - 0.2 * x[1] + 0.1, 0.4 * x[0] + 0.3 * x[1] + 0.0,
              -0.5 * x[0] + 0.2 * x[1] - 0.1]
        a2 = [s(v) for v in z2]
        z3 = 0.7 * a2[0] - 0.1 * a2[1] + 0.3 * a2[2] + 0.2
        a3 = s(z3)
        d3 = (a3 - y) * a3 * (1 - a3)
        d2 = [wk * d3 * a * (1 - a) for wk, a in zip((0.7, -0.1, 0.3), a2, strict=True)]
        out.append((0.5 * (y - a3) ** 2, d2, d3, [a * d3 for a in a2], z2, z3))
    return out


def test_spec_example_numbers():
    w = network_walkthrough(parse_spec(EXAMPLE))
    expected = _example_by_hand()
    for r, (cost, d2, d3, gw3, z2, z3) in zip(w.samples, expected, strict=True):
        assert r.cost == pytest.approx(cost, rel=1e-13)
        assert r.z[0] == pytest.approx(z2, rel=1e-13) and r.z[1][0] == pytest.approx(z3)
        assert r.delta[1][0] == pytest.approx(d3, rel=1e-12)
        assert r.delta[0] == pytest.approx(d2, rel=1e-12)
        assert r.grad_w[1][0] == pytest.approx(gw3, rel=1e-12)
    assert w.cost == pytest.approx((expected[0][0] + expected[1][0]) / 2, rel=1e-13)
    assert w.samples[0].z[0] == pytest.approx((0.1, 0.55, -0.5))
    assert w.cost == pytest.approx(0.13838334064952557, rel=1e-12)


def test_example_file_is_the_spec_of_the_issue():
    spec = load_spec("examples/net.json")
    assert spec.network == parse_spec(EXAMPLE).network
    assert spec.learning_rate == 0.5 and len(spec.samples) == 2 and not spec.random_parameters


def test_sgd_step_is_w_minus_eta_grad():
    w = network_walkthrough(parse_spec(EXAMPLE))
    eta = 0.5
    grads = [r.grad_w for r in w.samples]
    for i, layer in enumerate(w.network.weights):
        for j, row in enumerate(layer):
            for k, value in enumerate(row):
                mean = (grads[0][i][j][k] + grads[1][i][j][k]) / 2
                assert w.grad_w[i][j][k] == pytest.approx(mean, rel=1e-15)
                assert w.updated.weights[i][j][k] == pytest.approx(value - eta * mean, rel=1e-15)
    for i, layer in enumerate(w.network.biases):
        for j, value in enumerate(layer):
            mean = (w.samples[0].grad_b[i][j] + w.samples[1].grad_b[i][j]) / 2
            assert w.updated.biases[i][j] == pytest.approx(value - eta * mean, rel=1e-15)
    again = sgd_step(w.network, w.grad_w, w.grad_b, eta)
    assert again == w.updated


def test_cost_decreases_over_epochs():
    spec = load_spec("examples/net.json")
    t = train(spec.network, spec.samples, epochs=8, learning_rate=spec.learning_rate)
    assert len(t.costs) == 9
    assert all(b < a for a, b in pairwise(t.costs))
    w = network_walkthrough(spec, epochs=1)
    assert w.training.network == w.updated  # epoch 1 over the full batch is the step shown
    assert w.training.costs[1] == pytest.approx(
        network_walkthrough(spec.__class__(w.updated, spec.samples, 0.5)).cost, rel=1e-15)


def test_mini_batches_are_deterministic():
    spec = load_spec("examples/net.json")
    one = train(spec.network, spec.samples, epochs=5, learning_rate=0.5, batch_size=1, seed=3)
    two = train(spec.network, spec.samples, epochs=5, learning_rate=0.5, batch_size=1, seed=3)
    assert one == two and one.batch_size == 1


# -- the neuron-level graph is the engine's --------------------------------------------------------

def test_graph_names_and_structure():
    net = parse_spec(EXAMPLE).network
    graph = network_graph(net)
    assert isinstance(graph, symbp.Graph) and graph.output == "C"
    assert {"w^{2}_{11}", "b^{2}_{1}", "z^{2}_{1}", "a^{2}_{1}", "x_{1}", "y_{1}"} <= set(
        graph.index)
    assert graph["a^{2}_{1}"].op == "sigmoid"
    assert graph["p^{2}_{11}"].args == ("w^{2}_{11}", "x_{1}")
    assert graph["z^{3}_{1}"].args == ("s^{3}_{13}", "b^{3}_{1}")
    assert graph["C"].args == (sympy.Rational(1, 2), "q_{1}")
    # the engine's own reverse sweep: δ is the adjoint of z, BP3/BP4 of b and w
    spec = parse_spec(EXAMPLE)
    sweep = neuron_sweep(net, spec.samples[0])
    r = backprop(net, spec.samples[0])
    assert sweep.adjoints["z^{3}_{1}"] == pytest.approx(r.delta[1][0], rel=1e-12)
    assert sweep.adjoints["w^{2}_{12}"] == pytest.approx(r.grad_w[0][0][1], rel=1e-12)
    assert sweep.values["C"] == pytest.approx(r.cost, rel=1e-12)
    assert len(sweep.steps) == len(graph.edges)


def test_printing_names_nielsen_style():
    assert name("w^{2}_{11}") == "w²₁₁"
    assert name("b^{3}_{2}") == "b³₂"
    assert name("delta^{3}_{1}") == "δ³₁"
    assert name("a^{l-1}_{k}") == "aˡ⁻¹ₖ"
    assert name("w^{2}_{1,10}") == "w²₁,₁₀"
    assert name("x_{1}") == "x₁"
    assert name("foo^{Q}") == "foo^{Q}"  # no superscript Q: shown as written
    x, w = sympy.Symbol("x_{1}"), sympy.Symbol("w^{2}_{11}")
    assert inline(w * x) == "w²₁₁·x₁"
    assert plain(w * x) == "w^{2}_{11}*x_{1}"


# -- random networks: BP1–BP4 == reverse sweep == finite differences -----------------------------

@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    # σ per layer: the same in every layer, or each layer its own
    names = st.sampled_from(["sigmoid", "tanh", "relu", "identity"])
    if draw(st.booleans()):
        activations = [draw(names)] * (len(sizes) - 1)
    else:
        activations = [draw(names) for _ in sizes[1:]]
    if sizes[-1] >= 2 and draw(st.booleans()):  # a softmax output
        activations[-1] = "softmax"
    cost = draw(st.sampled_from({"sigmoid": ["quadratic", "cross-entropy"],
                                 "softmax": ["quadratic", "log-likelihood"]}.get(
                                     activations[-1], ["quadratic"])))
    rng = random.Random(draw(st.integers(0, 10**6)))
    number = lambda: round(rng.uniform(-1.5, 1.5), 3)  # noqa: E731
    weights = [[[number() for _ in range(m)] for _ in range(n)]
               for m, n in pairwise(sizes)]
    biases = [[number() for _ in range(n)] for n in sizes[1:]]
    low = 0.0 if cost == "cross-entropy" else -1.0
    def target():
        if cost == "log-likelihood":  # one-hot
            label = rng.randrange(sizes[-1])
            return [float(j == label) for j in range(sizes[-1])]
        return [round(rng.uniform(low, 1.0), 3) for _ in range(sizes[-1])]

    samples = [{"x": [number() for _ in range(sizes[0])], "y": target()}
               for _ in range(draw(st.integers(1, 2)))]
    return parse_spec({"layers": sizes, "activations": activations, "cost": cost,
                       "weights": weights, "biases": biases, "samples": samples,
                       "learning_rate": 0.1})


def _cost_by_hand(net: Network, sample: Sample) -> float:
    """The forward pass, written independently of symbp.network.backprop."""
    by_name = {"sigmoid": s, "tanh": math.tanh, "relu": lambda z: max(0.0, z),
               "identity": lambda z: z}
    a = list(sample.x)
    for w, b, name_ in zip(net.weights, net.biases, net.activations, strict=True):
        z = [math.fsum(wk * ak for wk, ak in zip(row, a, strict=True)) + bj
             for row, bj in zip(w, b, strict=True)]
        if name_ == "softmax":  # e^z / Σ e^z
            e = [math.exp(v) for v in z]
            a = [v / math.fsum(e) for v in e]
        else:
            a = [by_name[name_](v) for v in z]
    pairs = list(zip(a, sample.y, strict=True))
    if net.cost == "log-likelihood":
        return -math.fsum(math.log(aj) for aj, yj in pairs if yj == 1)
    if net.cost == "quadratic":
        return 0.5 * math.fsum((yj - aj) ** 2 for aj, yj in pairs)
    return -math.fsum(yj * math.log(aj) + (1 - yj) * math.log(1 - aj) for aj, yj in pairs)


def _shifted(net: Network, i: int, j: int, k: int | None, delta: float) -> Network:
    """The network with w_{jk} (or b_j, when k is None) of weight layer i moved by delta."""
    weights = [[list(row) for row in layer] for layer in net.weights]
    biases = [list(layer) for layer in net.biases]
    if k is None:
        biases[i][j] += delta
    else:
        weights[i][j][k] += delta
    return net.with_parameters(weights, biases)


def _finite_difference(net: Network, sample: Sample, i: int, j: int, k: int | None) -> float:
    def cost_at(delta: float) -> float:
        return _cost_by_hand(_shifted(net, i, j, k, delta), sample)

    h = 1e-6
    return (cost_at(h) - cost_at(-h)) / (2 * h)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_bp_equals_sweep_equals_finite_differences(spec):
    net = spec.network
    for sample in spec.samples:
        r = backprop(net, sample)
        assume(all(abs(v) > 1e-3 for z, act in zip(r.z, net.activations, strict=True)
                   if act == "relu" for v in z))  # away from the kink
        assert r.cost == pytest.approx(_cost_by_hand(net, sample), rel=1e-12, abs=1e-15)
        sweep = neuron_sweep(net, sample)
        for i, layer in enumerate(range(2, net.depth + 1)):
            for j in range(net.layers[layer - 1]):
                assert close(sweep.adjoints[f"z^{{{layer}}}_{{{j + 1}}}"], r.delta[i][j], 1e-9)
                assert close(sweep.adjoints[f"b^{{{layer}}}_{{{j + 1}}}"], r.grad_b[i][j], 1e-9)
                fd = _finite_difference(net, sample, i, j, None)
                assert abs(fd - r.grad_b[i][j]) <= 1e-6 * max(1, abs(fd))
                for k in range(net.layers[layer - 2]):
                    weight = f"w^{{{layer}}}_{{{j + 1}{k + 1}}}"
                    assert close(sweep.adjoints[weight], r.grad_w[i][j][k], 1e-9)
                    fd = _finite_difference(net, sample, i, j, k)
                    assert abs(fd - r.grad_w[i][j][k]) <= 1e-6 * max(1, abs(fd))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_pass_every_self_check(spec):
    results = [backprop(spec.network, x) for x in spec.samples]
    checks, _ = network_checks(spec.network, spec.samples, results)
    assert [c.name for c in checks] == ["forward pass == graph values",
                                        "BP1-BP4 == reverse sweep",
                                        "BP3-BP4 == finite differences", "delta == sympy.diff"]
    assert all(c.passed is not False for c in checks), [c for c in checks if not c.passed]
    assert checks[3].passed is True  # small networks: sympy.diff always runs


def test_cross_entropy_with_sigmoid_gives_delta_a_minus_y():
    """Nielsen's eq. (66): σ' cancels, δᴸ = aᴸ − y."""
    spec = parse_spec({**EXAMPLE, "cost": "cross-entropy"})
    for r in network_walkthrough(spec).samples:
        assert r.delta[-1][0] == pytest.approx(r.a[-1][0] - r.sample.y[0], rel=1e-12)


def test_a_wrong_gradient_fails_the_checks_loudly(monkeypatch):
    spec = parse_spec(EXAMPLE)
    good = [backprop(spec.network, x) for x in spec.samples]
    bad = [good[0].__class__(**{**good[0].__dict__, "delta": (good[0].delta[0], (0.5,))}),
           good[1]]
    checks, _ = network_checks(spec.network, spec.samples, bad)
    by_name = {c.name: c.passed for c in checks}
    assert by_name["BP1-BP4 == reverse sweep"] is False
    import symbp.network.derive as derive_module

    def broken(network, sample):
        r = backprop(network, sample)
        grad_w = ((tuple(tuple(g * 1.01 for g in row) for row in r.grad_w[0])), *r.grad_w[1:])
        return r.__class__(**{**r.__dict__, "grad_w": grad_w})

    monkeypatch.setattr(derive_module, "backprop", broken)
    with pytest.raises(CheckFailure, match="self-check failed"):
        network_walkthrough(spec)
    r = runner.invoke(app, ["network", "--spec", "examples/net.json"])
    assert r.exit_code != 0
    assert "self-check failed" in r.stderr and "FAILED" in r.stdout


# -- the batch gradient: BP1–BP2 for the whole batch, one fsum per parameter -------------------

def _network(layers, activation="sigmoid", cost="quadratic", seed=0, scale=1.0) -> Network:
    rng = random.Random(seed)
    weights = [[[scale * rng.uniform(-1, 1) for _ in range(m)] for _ in range(n)]
               for m, n in pairwise(layers)]
    biases = [[scale * rng.uniform(-1, 1) for _ in range(n)] for n in layers[1:]]
    return Network(tuple(layers), activation, cost, (), ()).with_parameters(weights, biases)


def _samples(network: Network, count: int, seed: int = 1) -> list[Sample]:
    rng = random.Random(seed)
    return [Sample(tuple(rng.uniform(-1, 1) for _ in range(network.layers[0])),
                   tuple(rng.uniform(0.1, 0.9) for _ in range(network.layers[-1])))
            for _ in range(count)]


@pytest.mark.parametrize(("activation", "cost"), [
    ("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
    ("identity", "quadratic"), ("sigmoid", "cross-entropy"),
    (("relu", "tanh", "softmax"), "quadratic"), (("relu", "tanh", "softmax"), "log-likelihood"),
])
@pytest.mark.parametrize("size", [1, 2, 5, 8, 40])  # one sample, batches smaller and larger
def test_batch_backprop_is_bitwise_the_average_of_the_records(activation, cost, size):
    # layers of 3, 7, 4 and 2 neurons: some batches are smaller than a layer, some larger
    network = _network((3, 7, 4, 2), activation, cost, seed=size)
    samples = _samples(network, size, seed=size + 1)
    records = [backprop(network, x) for x in samples]
    assert batch_backprop(network, samples) == batch_gradient(records)  # ==, not approx
    mean_cost, grad_w, grad_b = batch_backprop(network, samples)
    assert mean_cost == math.fsum(r.cost for r in records) / size
    assert [len(layer) for layer in grad_b] == [7, 4, 2]
    assert [(len(m), len(m[0])) for m in grad_w] == [(7, 3), (4, 7), (2, 4)]


def test_batch_backprop_equals_central_differences_of_the_mean_cost():
    network = _network((2, 3, 2), "tanh", seed=7)
    samples = _samples(network, 6, seed=8)
    mean_cost, grad_w, grad_b = batch_backprop(network, samples)

    def cost_at(i, j, k, delta):
        shifted = _shifted(network, i, j, k, delta)
        return math.fsum(_cost_by_hand(shifted, x) for x in samples) / len(samples)

    h = 1e-6
    assert close(mean_cost, cost_at(0, 0, None, 0.0), 1e-12)
    for i, layer in enumerate(network.weights):
        for j, row in enumerate(layer):
            fd = (cost_at(i, j, None, h) - cost_at(i, j, None, -h)) / (2 * h)
            assert abs(fd - grad_b[i][j]) <= 1e-8
            for k in range(len(row)):
                fd = (cost_at(i, j, k, h) - cost_at(i, j, k, -h)) / (2 * h)
                assert abs(fd - grad_w[i][j][k]) <= 1e-8


def _error(fn, *args) -> Exception:
    with pytest.raises(Exception) as info:
        fn(*args)
    return info.value


def test_batch_backprop_raises_what_backprop_raises():
    network = _network((2, 3, 1), seed=3)
    good = _samples(network, 3)
    # a sample of the wrong size, then weights that do not fit: the same ValueError
    short = Sample((0.5,), (0.5,))
    for batch in ([*good, short], [short]):
        error = _error(batch_backprop, network, batch)
        assert type(error) is ValueError
        assert str(error) == str(_error(backprop, network, short))
        assert str(error) == "the weights do not fit 3 biases and 1 activations"
    ragged = network.with_parameters(
        [network.weights[0], [network.weights[1][0][:2]]], network.biases)
    error = _error(batch_backprop, ragged, good)
    assert type(error) is ValueError and str(error) == str(_error(backprop, ragged, good[0]))
    # cross-entropy of a saturated output: the first such sample is named
    saturating = _network((2, 3, 1), cost="cross-entropy", seed=1, scale=40.0)
    samples = _samples(saturating, 8)
    fine = [_succeeds(backprop, saturating, x) for x in samples]
    assert fine[0] and not all(fine)
    bad = samples[fine.index(False)]
    error = _error(batch_backprop, saturating, samples)
    assert type(error) is DomainError and "strictly between 0 and 1" in str(error)
    assert str(error) == str(_error(backprop, saturating, bad))
    # overflow: the same message for the first sample that overflows
    linear = _network((2, 3, 1), "identity", seed=3)
    huge = linear.with_parameters([[[1e200 * w for w in row] for row in linear.weights[0]],
                                   linear.weights[1]], linear.biases)
    samples = [Sample((0.0, 0.0), (0.5,)), *_samples(huge, 2)]  # x = 0 does not overflow
    assert _succeeds(backprop, huge, samples[0])
    error = _error(batch_backprop, huge, samples)
    assert type(error) is DomainError and "the numbers overflow" in str(error)
    assert str(error) == str(_error(backprop, huge, samples[1]))
    with pytest.raises(ValueError, match="at least one sample"):
        batch_backprop(network, [])


def _succeeds(fn, *args) -> bool:
    try:
        fn(*args)
    except DomainError:
        return False
    return True


@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_training_takes_the_steps_of_the_per_sample_records(batch_size):
    network = _network((2, 4, 1), seed=11)
    samples = _samples(network, 7, seed=12)
    trained = train(network, samples, epochs=3, learning_rate=0.5, batch_size=batch_size,
                    seed=5)
    # the same SGD written with a record per sample: the very same floats
    rng, order, size = random.Random(5), list(range(7)), batch_size or 7
    costs = [batch_gradient([backprop(network, x) for x in samples])[0]]
    for _ in range(3):
        if size < 7:
            rng.shuffle(order)
        for start in range(0, 7, size):
            records = [backprop(network, samples[i]) for i in order[start:start + size]]
            _, grad_w, grad_b = batch_gradient(records)
            network = sgd_step(network, grad_w, grad_b, 0.5)
        costs.append(batch_gradient([backprop(network, x) for x in samples])[0])
    assert trained.network == network
    assert trained.costs == tuple(costs)


# -- the derivation -------------------------------------------------------------------------------

def test_derivation_equations_for_2_3_2():
    d = derive_network("2,3,2")
    assert d.ok and [c.passed for c in d.checks] == [True] * 5
    assert [e.label for e in d.equations] == ["BP1", "BP2", "BP3", "BP4"]
    groups = [(eq.label, eq.layer) for eq in d.layers]
    assert groups == [("BP1", 3), ("BP3", 3), ("BP4", 3), ("BP2", 2), ("BP3", 2), ("BP4", 2)]
    bp1, bp2 = d.layers[0], d.layers[3]
    assert [plain(c.rhs, as_written=True) for c in bp1.components] == [
        "(a^{3}_{1} - y_{1})*sigma'(z^{3}_{1})", "(a^{3}_{2} - y_{2})*sigma'(z^{3}_{2})"]
    assert plain(bp2.components[0].rhs, as_written=True) == (
        "(w^{3}_{11}*delta^{3}_{1} + w^{3}_{21}*delta^{3}_{2})*sigma'(z^{2}_{1})")
    assert inline(bp2.components[0].rhs, as_written=True) == "(w³₁₁·δ³₁ + w³₂₁·δ³₂)·σ'(z²₁)"
    assert inline(d.layers[5].components[1].rhs, as_written=True) == "x₂·δ²₁"
    assert d.layers[2].count == 6 and d.layers[5].count == 6


def test_derivation_bp1_against_sympy_diff():
    """BP1's component, with σ' made real, is sympy.diff of the cost with respect to z."""
    d = derive_network("2,2,2", cost="cross-entropy")
    z, y = sympy.Symbol("z^{3}_{1}", real=True), sympy.Symbol("y_{1}", real=True)
    a = symbp.sigmoid(z)
    cost = -(y * sympy.log(a) + (1 - y) * sympy.log(1 - a))
    rhs = d.layers[0].components[0].rhs
    rhs = rhs.replace(lambda e: e.func.__name__ == "sigma_prime", lambda e: a * (1 - a))
    rhs = rhs.xreplace({sympy.Symbol("a^{3}_{1}", real=True): a})
    assert sympy.simplify((rhs - sympy.diff(cost, z)).rewrite(sympy.exp)) == 0
    assert sympy.simplify((rhs - (a - y)).rewrite(sympy.exp)) == 0  # Nielsen's eq. (66)
    assert "δ³ = a³ − y" in prose_printers.unicode(d.layers[0].note)


def test_random_parameters_are_deterministic():
    one = random_network((2, 3, 1), seed=7)
    assert one == random_network((2, 3, 1), seed=7)
    assert one != random_network((2, 3, 1), seed=8)
    spec = parse_spec({"layers": [2, 3, 1], "samples": EXAMPLE["samples"],
                       "learning_rate": 0.5, "seed": 7})
    assert spec.network == one and spec.seed == 7 and spec.random_parameters


# -- the command line ----------------------------------------------------------------------------

def test_cli_derivation():
    r = runner.invoke(app, ["network", "--layers", "2,3,2"])
    assert r.exit_code == 0, r.output
    for text in ("Notation", "wˡⱼₖ", "δˡⱼ = ∂C/∂zˡⱼ", "Assumptions on the cost", "BP1", "BP2",
                 "BP3", "BP4", "δᴸ = ∇ₐC ⊙ σ'(zᴸ)", "δ² = ((w³)ᵀ δ³) ⊙ σ'(z²)",
                 "δ²₁  = (w³₁₁·δ³₁ + w³₂₁·δ³₂)·σ'(z²₁)", "∂C/∂w³₁₂  = a²₂·δ³₁", "✓"):
        assert text in r.stdout, text
    doc = json.loads(runner.invoke(app, ["network", "-l", "2,3,2", "-F", "json"]).stdout)
    assert doc["mode"] == "derivation" and all(doc["checks"].values())
    assert doc["equations"][1]["vector_latex"].startswith(r"\delta^{l}")


def test_cli_walkthrough_json():
    r = runner.invoke(app, ["network", "--spec", "examples/net.json", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    expected = _example_by_hand()
    assert doc["cost"] == pytest.approx((expected[0][0] + expected[1][0]) / 2, rel=1e-13)
    sample = doc["samples"][0]
    assert set(sample) >= {"cost", "z", "a", "delta", "grad_w", "grad_b"}
    assert sample["delta"][1] == [pytest.approx(expected[0][2], rel=1e-12)]
    assert sample["grad_w"][1][0] == pytest.approx(expected[0][3], rel=1e-12)
    assert doc["updated"]["weights"][1][0][0] == pytest.approx(
        0.7 - 0.5 * (expected[0][3][0] + expected[1][3][0]) / 2, rel=1e-13)
    assert len(doc["grad_w"]) == 2 and len(doc["grad_b"][0]) == 3
    assert doc["checks"] == {"forward pass == graph values": True,
                             "BP1-BP4 == reverse sweep": True,
                             "BP3-BP4 == finite differences": True,
                             "delta == sympy.diff": True,
                             "layer view == BP1-BP4 == reverse sweep": True}
    assert "w^{2}_{11}" in {node["name"] for node in doc["graph"]["nodes"]}


def test_cli_walkthrough_rich_and_epochs(tmp_path):
    r = runner.invoke(app, ["network", "--spec", "examples/net.json", "--epochs", "20"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    for text in ("Sample 1 of 2", "z²₁  = 0.1·1 + (-0.2)·0.5 + 0.1",
                 "BP1  δ³₁ = (a³₁ − y₁)·σ'(z³₁)", "= -0.079754", "∂C/∂w²₁₂",
                 "C = (0.0613859 + 0.215381)/2 = 0.138383",
                 "Neuron-level graph", "Training: 20 epochs", "0.124998"):
        assert text in out, text
    target = tmp_path / "out.json"
    r = runner.invoke(app, ["network", "--spec", "examples/net.json", "--epochs", "3",
                            "-F", "json", "-o", str(target)])
    assert r.exit_code == 0 and r.stdout == ""
    doc = json.loads(target.read_text())
    assert len(doc["training"]["costs"]) == 4
    assert doc["training"]["costs"][0] > doc["training"]["costs"][-1]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def _spec_file(tmp_path, **changes):
    data = {**EXAMPLE, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize(("changes", "message"), [
    ({"weights": [[[0.1, -0.2], [0.4, 0.3]], [[0.7, -0.1, 0.3]]]},
     "weights[0]: expected w^2 (3×2): 3 rows"),
    ({"weights": [[[0.1, -0.2, 9], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]]},
     "weights[0][0]: expected w^2 (3×2)"),
    ({"biases": [[0.1, 0.0], [0.2]]}, "biases[0]: expected b^2: 3 numbers"),
    ({"activation": "sigmod"}, "activation: unknown 'sigmod'; choose sigmoid, tanh, relu"),
    ({"cost": "hinge"}, "cost: unknown 'hinge'; choose quadratic, cross-entropy"),
    ({"learning_rate": "fast"}, "learning_rate: expected a number > 0"),
    ({"learning_rate": None}, "learning_rate: missing"),
    ({"samples": None}, "samples: missing"),
    ({"samples": [{"x": [1.0], "y": [1.0]}]}, "samples[0].x: expected 2 numbers"),
    ({"samples": [{"x": [1.0, "a"], "y": [1.0]}]}, "samples[0].x[1]: expected a number"),
    ({"layers": [2]}, "layers: expected at least 2 layer sizes"),
    ({"biases": None}, "biases: missing; give both weights and biases"),
    ({"wieghts": 1}, "unknown field 'wieghts'"),
    ({"activation": "relu", "cost": "cross-entropy"}, "cross-entropy cost needs outputs"),
])
def test_cli_bad_spec_is_one_line_error(tmp_path, changes, message):
    r = runner.invoke(app, ["network", "--spec", _spec_file(tmp_path, **changes)])
    assert r.exit_code == 1, r.output
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    assert "Traceback" not in r.output


@pytest.mark.parametrize(("args", "message"), [
    (["network"], "give --layers 2,3,2"),
    (["network", "--layers", "2,x"], "--layers: 'x' is not a whole number"),
    (["network", "--layers", "2,3", "--activation", "softplus"], "--activation: unknown"),
    (["network", "--layers", "2,3,2", "--activation", "softmax"],
     "softmax is only for the output layer (it makes the outputs probabilities), not for layer "
     "2; use --output-activation softmax and another σ for the hidden layers"),
    (["network", "--layers", "2,3", "--cost", "log-likelihood"],
     "the log-likelihood cost needs a softmax output (probabilities summing to 1), not "
     "sigmoid; use --output-activation softmax"),
    (["network", "--layers", "2,3", "--epochs", "2"], "--epochs needs training samples"),
    (["network", "--spec", "missing.json"], "cannot read missing.json"),
    (["network", "--spec", "examples/net.json", "--batch-size", "3", "--epochs", "1"],
     "--batch-size must be between 1 and the number of samples (2)"),
])
def test_cli_bad_options(args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output
    assert message in r.stderr and "Traceback" not in r.output


def test_invalid_json_and_saturated_cross_entropy(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"layers": [2, 1],')
    r = runner.invoke(app, ["network", "--spec", str(path)])
    assert r.exit_code == 1 and "not valid JSON" in r.stderr
    spec = {**EXAMPLE, "cost": "cross-entropy", "weights": [[[900, 0], [0, 0], [0, 0]],
                                                             [[900, 0, 0]]]}
    with pytest.raises(SymbpError, match="strictly between 0 and 1"):
        network_walkthrough(parse_spec(spec))


def test_cli_random_parameters_follow_the_seed(tmp_path):
    path = _spec_file(tmp_path, weights=None, biases=None)

    def parameters(*seed):
        r = runner.invoke(app, ["network", "--spec", path, "-F", "json", *seed])
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        assert doc["parameters"] == "random" and all(doc["checks"].values())
        return doc["weights"], doc["biases"]

    assert parameters() == parameters("--seed", "0")
    assert parameters("--seed", "1") != parameters("--seed", "2")
    weights, _ = parameters("--seed", "5")
    expected = random_network((2, 3, 1), seed=5).weights
    assert weights == [[list(row) for row in layer] for layer in expected]
    r = runner.invoke(app, ["network", "--spec", path, "--seed", "5"])
    assert "random parameters: N(0, 1) rounded to 2 decimals, seed 5" in r.stdout


@pytest.mark.parametrize("batch_size", [None, 2])
def test_training_that_overflows_stops_naming_the_epoch(batch_size):
    network = _network((2, 3, 1), "identity", seed=4)
    samples = _samples(network, 4, seed=5)
    seen = []
    with pytest.raises(SymbpError, match=r"^training stopped at epoch (\d+): the numbers "
                       r"overflow for x = \[") as info:
        train(network, samples, epochs=200, learning_rate=50.0, batch_size=batch_size,
              on_epoch=lambda epoch, cost: seen.append(epoch))
    stopped = int(re.search(r"epoch (\d+)", str(info.value)).group(1))
    # every epoch before the one that overflowed was reported, with a finite cost
    assert seen == list(range(1, stopped))


def test_records_show_themselves_in_a_repl_and_in_jupyter():
    # repr is one line saying what the record is (the fields hold graphs and every sample's
    # numbers); Jupyter shows the Markdown document; to_html is the stepper page
    import numpy as np

    data = {"layers": [2, 3, 2], "activations": ["relu", "softmax"], "cost": "log-likelihood",
            "weights": [[[0.5, -0.4], [0.3, 0.8], [-0.2, 0.1]],
                        [[0.6, -0.7, 0.2], [0.1, 0.4, -0.3]]],
            "biases": [[0.1, -0.2, 0.0], [0.05, -0.05]], "learning_rate": 0.5,
            "samples": [{"x": [1.0, 0.5], "y": [1, 0]}, {"x": [-0.5, 2.0], "y": [0, 1]}]}
    walk = symbp.network_walkthrough(symbp.parse_spec(data))
    # the cost by hand: z = W a + b per layer, C = mean of −ln softmax(z³)_y
    costs = []
    for sample in data["samples"]:
        a = np.array(sample["x"])
        for w, b, act in zip(data["weights"], data["biases"], data["activations"], strict=True):
            z = np.array(w) @ a + np.array(b)
            a = np.maximum(z, 0) if act == "relu" else np.exp(z) / np.exp(z).sum()
        costs.append(-np.log(a[sample["y"].index(1)]))
    text = repr(walk)
    assert "\n" not in text and len(text) < 200
    assert text == (f"<NetworkWalkthrough 2-3-2 relu/softmax, log-likelihood cost, "
                    f"{len(walk.checks)} checks passed; 2 samples, C = {np.mean(costs):.6g}>")
    assert walk._repr_markdown_() == walk.to_markdown()
    assert walk.to_markdown().startswith("## Backpropagation in a 2-3-2 network")
    assert walk.to_html().startswith("<!DOCTYPE html>")
    derivation = symbp.derive_network([2, 3, 1])
    assert repr(derivation) == (f"<NetworkDerivation 2-3-1 sigmoid, quadratic cost, "
                                f"{len(derivation.checks)} checks passed>")
    assert "\\delta^{L}_{j}" in derivation.to_latex()
    assert derivation._repr_markdown_() == derivation.to_markdown()
