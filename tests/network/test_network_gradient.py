"""symbp.network_gradient (NumPy) against PyTorch's autograd in float64, against symbp's
pure-Python batch backprop (an independent computation: plain floats, fsum-rounded means)
and against central finite differences of the batch cost."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from itertools import pairwise

import pytest

import symbp
from symbp.errors import ArgumentError, DomainError, SymbpError
from symbp.network.backprop import batch_backprop, batch_cost
from symbp.network.batch import ARRAY_ACTIVATIONS
from symbp.network.functions import ACTIVATIONS
from symbp.network.model import Network, NetworkSpec, Sample

np = pytest.importorskip("numpy", reason="numpy is a dependency of symbp.network_gradient")

NETS = [  # layers, activation, cost
    ((2, 16, 16, 1), "relu", "quadratic"),
    ((2, 16, 16, 1), "sigmoid", "quadratic"),
    ((10, 30, 20, 5), "tanh", "quadratic"),
    ((4, 8, 8, 3), "sigmoid", "cross-entropy"),
    ((3, 5, 2), "identity", "quadratic"),
    ((20, 40, 10), "sigmoid", "quadratic"),  # 1,250 parameters
    ((3, 8, 6, 2), ("relu", "tanh", "sigmoid"), "cross-entropy"),  # σ per layer
    ((3, 8, 6, 2), ("tanh", "relu", "identity"), "quadratic"),
]


def make_spec(layers, activation, cost, n=100, seed=0) -> NetworkSpec:
    rng = random.Random(seed)
    weights = tuple(tuple(tuple(rng.uniform(-1, 1) for _ in range(m)) for _ in range(k))
                    for m, k in pairwise(layers))
    biases = tuple(tuple(rng.uniform(-1, 1) for _ in range(k)) for k in layers[1:])
    samples = tuple(Sample(tuple(rng.uniform(-1, 1) for _ in range(layers[0])),
                           tuple(rng.uniform(0.05, 0.95) for _ in range(layers[-1])))
                    for _ in range(n))
    return NetworkSpec(Network(tuple(layers), activation, cost, weights, biases), samples, 0.5)


def flat(grad_w, grad_b) -> list[float]:
    out = []
    for w, b in zip(grad_w, grad_b, strict=True):
        out += [float(v) for row in w for v in row] + [float(v) for v in b]
    return out


@pytest.mark.parametrize(("layers", "activation", "cost"), NETS)
def test_equals_pytorch_float64_to_1e_10(layers, activation, cost):
    torch = pytest.importorskip("torch", reason="PyTorch is installed by .ci/run "
                                "(pip install torch==2.13.0)")
    spec = make_spec(layers, activation, cost)
    net = spec.network
    w = [torch.tensor(m, dtype=torch.float64, requires_grad=True) for m in net.weights]
    b = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in net.biases]
    x = torch.tensor([s.x for s in spec.samples], dtype=torch.float64)
    y = torch.tensor([s.y for s in spec.samples], dtype=torch.float64)
    sigma = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
             "identity": lambda z: z}
    a = x
    for w_l, b_l, name in zip(w, b, net.activations, strict=True):
        a = sigma[name](a @ w_l.T + b_l)
    if cost == "quadratic":
        c = (0.5 * ((y - a) ** 2).sum(dim=1)).mean()
    else:
        c = torch.nn.functional.binary_cross_entropy(a, y, reduction="sum") / len(spec.samples)
    c.backward()
    ours = symbp.network_gradient(spec)
    assert ours["cost"] == pytest.approx(c.item(), rel=1e-12, abs=1e-10)
    for mine, theirs in zip((*ours["grad_w"], *ours["grad_b"]),
                            (*(t.grad for t in w), *(t.grad for t in b)), strict=True):
        assert mine.shape == tuple(theirs.shape)
        assert np.max(np.abs(mine - theirs.numpy())) <= 1e-10


@pytest.mark.parametrize(("layers", "activation", "cost"), NETS)
def test_equals_the_walkthroughs_pure_python_backprop(layers, activation, cost):
    spec = make_spec(layers, activation, cost, n=37, seed=3)
    ours = symbp.network_gradient(spec)
    mean_cost, grad_w, grad_b = batch_backprop(spec.network, spec.samples)
    assert ours["cost"] == pytest.approx(mean_cost, rel=1e-13, abs=1e-15)
    assert flat(ours["grad_w"], ours["grad_b"]) == pytest.approx(flat(grad_w, grad_b),
                                                                 rel=1e-11, abs=1e-14)


def test_nielsen_indexing_against_finite_differences():
    # grad_w[l-2][j-1, k-1] is ∂C/∂w^l_{jk}: nudge that one weight and watch the batch cost
    spec = make_spec((3, 4, 2), "sigmoid", "quadratic", n=5, seed=11)
    ours = symbp.network_gradient(spec)
    net, h = spec.network, 1e-6
    for layer, j, k in ((0, 0, 2), (0, 3, 1), (1, 1, 3)):
        def cost_with(delta, layer=layer, j=j, k=k):
            weights = [list(map(list, m)) for m in net.weights]
            weights[layer][j][k] += delta
            return batch_cost(net.with_parameters(weights, net.biases), spec.samples)
        numeric = (cost_with(h) - cost_with(-h)) / (2 * h)
        assert ours["grad_w"][layer][j, k] == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    assert ours["grad_w"][0].shape == (4, 3) and ours["grad_b"][1].shape == (2,)


@pytest.mark.parametrize("name", sorted(ARRAY_ACTIVATIONS))
def test_array_forms_equal_the_rule_floats(name):
    sigma, sigma_prime = ARRAY_ACTIVATIONS[name]
    points = [-800.0, -30.0, -1.5, -1e-300, -0.0, 0.0, 1e-300, 0.3, 2.0, 30.0, 800.0]
    z = np.array(points)
    a = sigma(np, z)
    da = sigma_prime(np, z, a)
    activation = ACTIVATIONS[name]
    # NumPy's tanh and exp may differ from the C library's in the last bit: a few ulps
    for i, point in enumerate(points):
        assert a[i] == pytest.approx(activation.value(point), rel=1e-14, abs=1e-300)
        assert da[i] == pytest.approx(activation.derivative(point), rel=1e-14, abs=1e-300)


def test_a_spec_object_as_read_from_json():
    data = {"layers": [2, 3, 1], "activation": "tanh",
            "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
            "biases": [[0.1, 0.0, -0.1], [0.2]],
            "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}]}
    ours = symbp.network_gradient(data)  # no learning_rate: the gradient needs none
    spec = symbp.parse_spec({**data, "learning_rate": 0.5})
    mean_cost, grad_w, grad_b = batch_backprop(spec.network, spec.samples)
    assert ours["cost"] == pytest.approx(mean_cost, rel=1e-14)
    assert flat(ours["grad_w"], ours["grad_b"]) == pytest.approx(flat(grad_w, grad_b),
                                                                 rel=1e-13, abs=1e-16)


@pytest.mark.parametrize("bad", [None, "net.json", 3, [1, 2], b"{}"])
def test_wrong_type_is_a_one_line_error(bad):
    with pytest.raises(ArgumentError, match="network_gradient") as info:
        symbp.network_gradient(bad)
    assert "\n" not in str(info.value)


def test_a_bad_spec_object_is_the_specs_own_error():
    with pytest.raises(SymbpError, match="layers"):
        symbp.network_gradient({"samples": []})


def test_overflow_and_a_saturated_cross_entropy_are_domain_errors():
    huge = make_spec((2, 3, 1), "identity", "quadratic", n=3)
    net = huge.network
    big = net.with_parameters([[[1e300] * 2] * 3, [[1e300] * 3]], net.biases)
    with pytest.raises(DomainError, match="not a finite number"):
        symbp.network_gradient(NetworkSpec(big, huge.samples, 0.5))
    saturated = make_spec((2, 3, 1), "sigmoid", "cross-entropy", n=3)
    net = saturated.network
    big = net.with_parameters([[[800.0] * 2] * 3, [[800.0] * 3]], [[800.0] * 3, [800.0]])
    with pytest.raises(DomainError):
        symbp.network_gradient(NetworkSpec(big, saturated.samples, 0.5))


def test_numpy_is_imported_only_when_the_fast_path_is_called():
    code = ("import sys, symbp; f = symbp.network_gradient; before = 'numpy' in sys.modules; "
            "f({'layers': [1, 1], 'weights': [[[0.5]]], 'biases': [[0.0]], "
            "'samples': [{'x': [1.0], 'y': [0.0]}]}); print(before, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]


def test_cost_is_the_batch_mean():
    spec = make_spec((2, 2, 1), "sigmoid", "quadratic", n=4, seed=5)
    costs = [batch_cost(spec.network, [s]) for s in spec.samples]
    assert symbp.network_gradient(spec)["cost"] == pytest.approx(math.fsum(costs) / 4,
                                                                 rel=1e-15)


def test_an_activation_without_numpy_forms_takes_the_pure_python_path(monkeypatch):
    import symbp.network.batch as batch

    monkeypatch.delitem(batch.ARRAY_ACTIVATIONS, "tanh")
    spec = make_spec((3, 4, 2), ("tanh", "sigmoid"), "quadratic", n=6, seed=2)
    ours = symbp.network_gradient(spec)
    mean_cost, grad_w, grad_b = batch_backprop(spec.network, spec.samples)
    assert ours["cost"] == mean_cost  # the very floats, as arrays
    assert flat(ours["grad_w"], ours["grad_b"]) == flat(grad_w, grad_b)
    assert all(isinstance(g, np.ndarray) for g in (*ours["grad_w"], *ours["grad_b"]))


def softmax_spec(cost, n=40, seed=4, layers=(3, 6, 4), scale=1.0) -> NetworkSpec:
    spec = make_spec(layers, ("tanh", "softmax"), cost, n=n, seed=seed)
    net = spec.network
    net = net.with_parameters([[[scale * v for v in row] for row in m] for m in net.weights],
                              net.biases)
    rng = random.Random(seed)
    width = layers[-1]
    hot = [rng.randrange(width) for _ in spec.samples]  # one-hot targets
    samples = tuple(Sample(s.x, tuple(float(j == k) for j in range(width)))
                    for s, k in zip(spec.samples, hot, strict=True))
    return NetworkSpec(net, samples, 0.5)


def torch_softmax_net(torch, spec, cost):
    """PyTorch float64 on softmax_spec's tanh → softmax network: z³, y, the cost, and the
    parameters' gradients in symbp's order (the weights, then the biases)."""
    net = spec.network
    w = [torch.tensor(m, dtype=torch.float64, requires_grad=True) for m in net.weights]
    b = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in net.biases]
    x = torch.tensor([s.x for s in spec.samples], dtype=torch.float64)
    y = torch.tensor([s.y for s in spec.samples], dtype=torch.float64)
    z = torch.tanh(x @ w[0].T + b[0]) @ w[1].T + b[1]
    if cost == "log-likelihood":
        c = torch.nn.functional.cross_entropy(z, y.argmax(dim=1))  # −ln softmax(z)_y, mean
    else:
        c = (0.5 * ((torch.softmax(z, dim=1) - y) ** 2).sum(dim=1)).mean()
    c.backward()
    return z.detach(), y, c.item(), [t.grad.numpy() for t in (*w, *b)]


@pytest.mark.parametrize("cost", ["log-likelihood", "quadratic"])
def test_softmax_output_in_numpy_equals_pytorch_and_the_pure_python_backprop(cost, monkeypatch):
    torch = pytest.importorskip("torch", reason="PyTorch is installed by .ci/run "
                                "(pip install torch==2.13.0)")
    import symbp.network.batch as batch

    spec = softmax_spec(cost)
    expected_cost, expected_w, expected_b = batch_backprop(spec.network, spec.samples)

    def refuse(*_):
        raise AssertionError("the softmax took the pure-Python path")
    monkeypatch.setattr(batch, "batch_backprop", refuse)
    ours = symbp.network_gradient(spec)
    assert ours["cost"] == pytest.approx(expected_cost, rel=1e-12)
    assert flat(ours["grad_w"], ours["grad_b"]) == pytest.approx(
        flat(expected_w, expected_b), rel=1e-10, abs=1e-13)
    _, _, c, grads = torch_softmax_net(torch, spec, cost)
    assert ours["cost"] == pytest.approx(c, rel=1e-12)
    for mine, theirs in zip((*ours["grad_w"], *ours["grad_b"]), grads, strict=True):
        assert np.max(np.abs(mine - theirs)) <= 1e-10


def test_softmax_with_huge_z_neither_overflows_nor_loses_a_finite_cost():
    # z in the hundreds: e^z overflows unless the max is subtracted, and a_y underflows to 0
    # for a sample whose label is not the largest z (−ln a_y is still finite: ln Σ e^z − z_y)
    torch = pytest.importorskip("torch", reason="PyTorch is installed by .ci/run "
                                "(pip install torch==2.13.0)")
    spec = softmax_spec("log-likelihood", n=12, seed=9, scale=900.0)
    ours = symbp.network_gradient(spec)
    z, y, c, grads = torch_softmax_net(torch, spec, "log-likelihood")
    assert (torch.softmax(z, dim=1) * y).sum(dim=1).min().item() == 0.0  # a_y underflows
    assert math.isfinite(ours["cost"]) and ours["cost"] > 100
    assert ours["cost"] == pytest.approx(c, rel=1e-12)
    for mine, theirs in zip((*ours["grad_w"], *ours["grad_b"]), grads, strict=True):
        assert np.max(np.abs(mine - theirs)) <= 1e-9
    with pytest.raises(DomainError, match="rounds to 0"):  # the walkthrough prints ln a_y
        batch_backprop(spec.network, spec.samples)
