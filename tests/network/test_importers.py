"""Explain my model: ``symbp.network_from_torch`` and ``symbp.network_from_micrograd``.

The oracles are the frameworks themselves: for random ``nn.Sequential`` models (depths,
widths, activations, every cost) symbp's batch gradient equals the ``.grad`` that
PyTorch's ``backward()`` puts on each parameter for the batch-mean cost, in float64, to
1e-10; a micrograd ``MLP``'s gradient equals micrograd's own ``backward()``.

CI installs torch==2.13.0 and micrograd==0.1.0 (``.ci/run``); without them these tests
skip, saying so.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

import symbp
from symbp.errors import SymbpError

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed here: pip install torch==2.13.0 (CI does)")

TOLERANCE = 1e-10
HIDDEN = ["Sigmoid", "Tanh", "ReLU", "Identity", None]  # None: Linear right after Linear


def _random_model(rng: random.Random, cost: str):
    """An nn.Sequential in float64: 1–3 Linear layers of 1–5 neurons, random activations
    (a final Softmax(dim=-1) for the log-likelihood, Sigmoid for the cross-entropy)."""
    depth = rng.randint(1, 3)
    sizes = [rng.randint(1, 5) for _ in range(depth + 1)]
    if cost == "log-likelihood" or rng.random() < 0.3:
        sizes[-1] = max(sizes[-1], 2)
    modules = []
    for i in range(depth):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[rng.gauss(0, 1) for _ in range(sizes[i])]
                                              for _ in range(sizes[i + 1])]))
            linear.bias.copy_(torch.tensor([rng.gauss(0, 1) for _ in range(sizes[i + 1])]))
        modules.append(linear)
        last = i == depth - 1
        if last and cost == "log-likelihood":
            name = "Softmax"
        elif last and cost == "cross-entropy":
            name = "Sigmoid"
        elif last and sizes[-1] >= 2 and rng.random() < 0.3:
            name = "Softmax"
        else:
            name = rng.choice(HIDDEN)
        if name == "Softmax":
            modules.append(torch.nn.Softmax(dim=-1))
        elif name is not None:
            modules.append(getattr(torch.nn, name)())
    return torch.nn.Sequential(*modules), sizes


def _samples(rng: random.Random, sizes, cost: str, count: int) -> list[dict]:
    samples = []
    for _ in range(count):
        x = [rng.uniform(-2, 2) for _ in range(sizes[0])]
        if cost == "log-likelihood":
            label = rng.randrange(sizes[-1])
            y = [float(j == label) for j in range(sizes[-1])]
        elif cost == "cross-entropy":
            y = [rng.uniform(0, 1) for _ in range(sizes[-1])]
        else:
            y = [rng.uniform(-1, 1) for _ in range(sizes[-1])]
        samples.append({"x": x, "y": y})
    return samples


def _torch_cost(a, y, cost: str):
    """The batch-mean cost, as PyTorch users write it."""
    if cost == "quadratic":
        return (0.5 * ((a - y) ** 2).sum(dim=1)).mean()
    if cost == "log-likelihood":
        return -(y * torch.log(a)).sum(dim=1).mean()
    return -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(dim=1).mean()


def _compare(model, walkthrough) -> None:
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    assert len(linears) == len(walkthrough.grad_w)
    for linear, grad_w, grad_b in zip(linears, walkthrough.grad_w, walkthrough.grad_b,
                                      strict=True):
        for ours, theirs in ((grad_w, linear.weight.grad), (grad_b, linear.bias.grad)):
            theirs = theirs.tolist()
            flat_ours = [v for row in ours for v in row] if isinstance(ours[0], tuple) \
                else list(ours)
            flat_theirs = [v for row in theirs for v in row] if isinstance(theirs[0], list) \
                else theirs
            for a, b in zip(flat_ours, flat_theirs, strict=True):
                assert abs(a - b) <= TOLERANCE * max(1.0, abs(b)), (a, b)


@pytest.mark.parametrize("cost", ["quadratic", "log-likelihood", "cross-entropy"])
@pytest.mark.parametrize("seed", range(8))
def test_symbp_gradient_is_pytorchs_backward(cost, seed):
    rng = random.Random(1000 * seed + len(cost))
    model, sizes = _random_model(rng, cost)
    samples = _samples(rng, sizes, cost, rng.randint(1, 4))
    x = torch.tensor([s["x"] for s in samples], dtype=torch.float64)
    y = torch.tensor([s["y"] for s in samples], dtype=torch.float64)
    model.zero_grad()
    _torch_cost(model(x), y, cost).backward()
    spec = symbp.network_from_torch(model, cost=cost)
    assert set(spec) == {"layers", "activations", "cost", "weights", "biases",
                         "learning_rate"}
    if any(abs(z) < 1e-9 for z in _relu_inputs(model, x)):
        pytest.skip("a ReLU input is at its kink")  # never met with these seeds
    w = symbp.network_walkthrough({**spec, "samples": samples})
    assert w.ok
    _compare(model, w)
    assert w.cost == pytest.approx(float(_torch_cost(model(x), y, cost).detach()), rel=1e-12)


def _relu_inputs(model, x) -> list[float]:
    values, out = [], x
    for module in model:
        if isinstance(module, torch.nn.ReLU):
            values += out.flatten().tolist()
        out = module(out)
    return values


def test_weights_are_copied_exactly_from_float32():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    spec = symbp.network_from_torch(model)
    assert spec["layers"] == [3, 4, 2] and spec["activations"] == ["relu", "identity"]
    for i, linear in enumerate((model[0], model[2])):
        for j in range(linear.out_features):
            assert spec["biases"][i][j] == float(linear.bias[j].detach())
            for k in range(linear.in_features):  # weight[j][k] is w^l_{jk}
                assert spec["weights"][i][j][k] == float(linear.weight[j, k].detach())
    # the dict is a --spec file: json.dump, add samples, run the command
    assert json.loads(json.dumps(spec)) == spec


def test_a_torch_spec_runs_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from symbp.cli import app

    model = torch.nn.Sequential(torch.nn.Linear(2, 3, dtype=torch.float64), torch.nn.Tanh(),
                                torch.nn.Linear(3, 3, dtype=torch.float64),
                                torch.nn.Softmax(dim=-1))
    spec = symbp.network_from_torch(model, cost="log-likelihood", learning_rate=0.2)
    path = tmp_path / "net.json"
    path.write_text(json.dumps({**spec, "samples": [{"x": [0.5, -1.0], "y": [0, 0, 1]}]}))
    r = CliRunner().invoke(app, ["network", "--spec", str(path), "-F", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["activations"] == ["tanh", "softmax"] and all(doc["checks"].values())
    assert doc["learning_rate"] == 0.2


def _two_activations():
    return torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Sigmoid())


@pytest.mark.parametrize(("make", "message"), [
    (lambda: torch.nn.Sequential(torch.nn.Conv1d(1, 1, 2)),
     "module 0 (Conv1d) is not supported; symbp explains nn.Linear (with bias)"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.5)),
     "module 1 (Dropout) is not supported"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2)),
     "module 1 (BatchNorm1d) is not supported"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False)),
     "module 0 (Linear): a Linear without bias is not supported"),
    (_two_activations, "module 2 (Sigmoid) right after another activation: each activation "
                       "follows one nn.Linear"),
    (lambda: torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 2)),
     "module 0 (ReLU) at the start"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Softmax(dim=0)),
     "module 1 (Softmax): only Softmax(dim=-1)"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Softmax(dim=-1),
                                 torch.nn.Linear(3, 2)),
     "softmax is only supported as the last module"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.LeakyReLU()),
     "module 1 (LeakyReLU) is not supported"),
    (lambda: torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 2))),
     "module 0 (Sequential) is not supported"),
    (lambda: torch.nn.Linear(2, 2), "model: expected a torch.nn.Sequential"),
    (lambda: torch.nn.Sequential(), "model: an nn.Sequential with no nn.Linear"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(4, 1)),
     "module 1 (Linear): takes 4 inputs but the layer before has 3 outputs"),
])
def test_unsupported_models_are_one_line_errors(make, message):
    with pytest.raises(SymbpError) as info:
        symbp.network_from_torch(make())
    assert message in str(info.value) and "\n" not in str(info.value)


def test_costs_are_checked_against_the_model():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
    with pytest.raises(SymbpError, match="the log-likelihood cost needs a softmax output"):
        symbp.network_from_torch(model, cost="log-likelihood")
    with pytest.raises(SymbpError, match="cost: unknown 'nll'"):
        symbp.network_from_torch(model, cost="nll")
    with torch.no_grad():
        model[0].weight[0, 0] = float("nan")
    with pytest.raises(SymbpError, match="weight: holds a number that is not finite"):
        symbp.network_from_torch(model)


def test_import_symbp_does_not_import_torch():
    code = ("import sys, symbp; symbp.network_from_torch; symbp.network_from_micrograd; "
            "assert 'torch' not in sys.modules and 'micrograd' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- micrograd -------------------------------------------------------------------------------

def test_symbp_gradient_is_micrograds_backward():
    pytest.importorskip("micrograd", reason="micrograd is not installed here: "
                        "pip install micrograd==0.1.0 (CI does)")
    from micrograd.nn import MLP

    for seed, (nin, nouts) in enumerate([(2, [3, 1]), (3, [4, 4, 2]), (1, [2]),
                                         (2, [5, 3, 3])]):
        random.seed(seed)  # micrograd draws its weights from random
        mlp = MLP(nin, nouts)
        rng = random.Random(seed + 100)
        samples = [{"x": [rng.uniform(-1, 1) for _ in range(nin)],
                    "y": [rng.uniform(-1, 1) for _ in range(nouts[-1])]} for _ in range(3)]
        loss = 0
        for s in samples:
            out = mlp(s["x"])
            out = out if isinstance(out, list) else [out]
            loss = loss + sum(((a - y) ** 2) * 0.5 for a, y in zip(out, s["y"], strict=True))
        loss = loss * (1 / len(samples))
        mlp.zero_grad()
        loss.backward()
        spec = symbp.network_from_micrograd(mlp)
        assert spec["layers"] == [nin, *nouts]
        assert spec["activations"] == ["relu"] * (len(nouts) - 1) + ["identity"]
        w = symbp.network_walkthrough({**spec, "samples": samples})
        assert w.ok and w.cost == pytest.approx(loss.data, rel=1e-12)
        for i, layer in enumerate(mlp.layers):
            for j, neuron in enumerate(layer.neurons):
                assert abs(w.grad_b[i][j] - neuron.b.grad) <= TOLERANCE
                for k, weight in enumerate(neuron.w):
                    assert spec["weights"][i][j][k] == weight.data  # copied exactly
                    assert abs(w.grad_w[i][j][k] - weight.grad) <= TOLERANCE


def test_micrograd_errors():
    pytest.importorskip("micrograd", reason="micrograd is not installed here")
    from micrograd.nn import MLP, Layer

    with pytest.raises(SymbpError, match=r"mlp: expected a micrograd\.nn\.MLP, got Layer"):
        symbp.network_from_micrograd(Layer(2, 2))
    mlp = MLP(2, [2, 1])
    mlp.layers[0].neurons[1].nonlin = False
    with pytest.raises(SymbpError, match="layer 2 mixes ReLU and linear neurons"):
        symbp.network_from_micrograd(mlp)
