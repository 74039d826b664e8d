"""A softmax output layer, with the log-likelihood (categorical cross-entropy) or the
quadratic cost.

Oracles: softmax, the cost and its derivatives written out here with ``math`` (e^z/Σe^z,
−ln a_y), central finite differences of that hand-written forward pass, and the
self-checks every walkthrough runs (reverse sweep, finite differences, sympy.diff).
"""

from __future__ import annotations

import json
import math
import random

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.errors import DomainError, SymbpError
from symbp.network.derive import derive_network, network_walkthrough
from symbp.network.spec import parse_spec

runner = CliRunner(env={"COLUMNS": "100"})

# 2 inputs, 3 classes, relu hidden layer of 2
SOFT = {
    "layers": [2, 2, 3], "activation": "relu", "output_activation": "softmax",
    "cost": "log-likelihood",
    "weights": [[[0.5, -0.25], [1.0, 0.75]], [[1.0, -0.5], [0.25, 0.5], [-1.0, 0.125]]],
    "biases": [[0.1, -0.2], [0.0, 0.3, -0.1]],
    "samples": [{"x": [1.0, 2.0], "y": [0, 1, 0]}, {"x": [-1.0, 0.5], "y": [1, 0, 0]}],
    "learning_rate": 0.5,
}


def _forward(weights, biases, x):
    """z², a² (relu), z³ and the softmax a³, written out (e^z / Σ e^z, no shift)."""
    z2 = [sum(w * v for w, v in zip(row, x, strict=True)) + b
          for row, b in zip(weights[0], biases[0], strict=True)]
    a2 = [max(0.0, v) for v in z2]
    z3 = [sum(w * v for w, v in zip(row, a2, strict=True)) + b
          for row, b in zip(weights[1], biases[1], strict=True)]
    e = [math.exp(v) for v in z3]
    return z2, a2, z3, [v / sum(e) for v in e]


def _cost(weights, biases, sample, cost):
    a3 = _forward(weights, biases, sample["x"])[3]
    if cost == "log-likelihood":
        return -math.log(a3[sample["y"].index(1)])
    return 0.5 * sum((y - a) ** 2 for a, y in zip(a3, sample["y"], strict=True))


@pytest.mark.parametrize("cost", ["log-likelihood", "quadratic"])
def test_softmax_by_hand(cost):
    w = network_walkthrough(parse_spec({**SOFT, "cost": cost}))
    assert w.ok
    for r, sample in zip(w.samples, SOFT["samples"], strict=True):
        _, _, z3, a3 = _forward(SOFT["weights"], SOFT["biases"], sample["x"])
        y = sample["y"]
        assert list(r.z[1]) == pytest.approx(z3, rel=1e-14)
        assert list(r.a[1]) == pytest.approx(a3, rel=1e-14)
        assert math.fsum(r.a[1]) == pytest.approx(1.0, rel=1e-15)
        assert r.cost == pytest.approx(_cost(SOFT["weights"], SOFT["biases"], sample, cost),
                                       rel=1e-13)
        # the Jacobian ∂a_k/∂z_j = a_k([k = j] − a_j), row k
        assert [list(row) for row in r.jacobian] == [
            pytest.approx([a3[k] * ((k == j) - a3[j]) for j in range(3)], rel=1e-13)
            for k in range(3)]
        grad = ([-yk / ak for ak, yk in zip(a3, y, strict=True)] if cost == "log-likelihood"
                else [ak - yk for ak, yk in zip(a3, y, strict=True)])
        general = [sum(grad[k] * a3[k] * ((k == j) - a3[j]) for k in range(3))
                   for j in range(3)]  # BP1 in general: δⱼ = Σₖ ∂C/∂aₖ ∂aₖ/∂zⱼ
        assert list(r.delta[1]) == pytest.approx(general, rel=1e-12, abs=1e-15)
        if cost == "log-likelihood":  # ... which is a − y
            assert list(r.delta[1]) == pytest.approx([a - t for a, t in zip(a3, y, strict=True)],
                                                     rel=1e-14)


@pytest.mark.parametrize("cost", ["log-likelihood", "quadratic"])
def test_softmax_gradient_equals_finite_differences_of_the_hand_forward_pass(cost):
    w = network_walkthrough(parse_spec({**SOFT, "cost": cost}))
    h = 1e-6
    for layer in range(2):
        for j, row in enumerate(SOFT["weights"][layer]):
            width = len(row)
            for k in range(width + 1):
                def mean_cost(delta, layer=layer, j=j, k=k, width=width):
                    ws = json.loads(json.dumps(SOFT["weights"]))
                    bs = json.loads(json.dumps(SOFT["biases"]))
                    if k < width:
                        ws[layer][j][k] += delta
                    else:
                        bs[layer][j] += delta
                    return sum(_cost(ws, bs, s, cost) for s in SOFT["samples"]) / 2
                fd = (mean_cost(h) - mean_cost(-h)) / (2 * h)
                ours = w.grad_w[layer][j][k] if k < width else w.grad_b[layer][j]
                assert ours == pytest.approx(fd, abs=1e-7)


def test_softmax_is_stable_where_e_to_the_z_overflows():
    # z³ = (1000, 999.5, 990): e^1000 overflows a float; softmax(z − max z) does not
    spec = {"layers": [1, 3], "activation": "softmax", "cost": "log-likelihood",
            "weights": [[[1000.0], [999.5], [990.0]]], "biases": [[0.0, 0.0, 0.0]],
            "samples": [{"x": [1.0], "y": [0, 1, 0]}], "learning_rate": 0.1}
    with pytest.raises(OverflowError):
        math.exp(1000.0)
    w = network_walkthrough(parse_spec(spec))
    r = w.samples[0]
    # by hand, shifted by 1000: e^0, e^-0.5, e^-10
    e = [1.0, math.exp(-0.5), math.exp(-10.0)]
    expected = [v / sum(e) for v in e]
    assert list(r.a[0]) == pytest.approx(expected, rel=1e-14)
    assert r.cost == pytest.approx(-math.log(expected[1]), rel=1e-14)
    assert w.ok  # the graph (with its shift m) and finite differences agree too


def test_a_softmax_output_that_rounds_to_0_is_a_one_line_domain_error():
    spec = {"layers": [1, 2], "activation": "softmax", "cost": "log-likelihood",
            "weights": [[[1000.0], [-1000.0]]], "biases": [[0.0, 0.0]],
            "samples": [{"x": [1.0], "y": [0, 1]}], "learning_rate": 0.1}
    with pytest.raises(DomainError, match="the log-likelihood needs outputs above 0") as info:
        network_walkthrough(parse_spec(spec))
    assert "\n" not in str(info.value)


def test_training_with_softmax_lowers_the_log_likelihood():
    rng = random.Random(3)
    samples = []
    for _ in range(12):
        x = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        label = 0 if x[0] > 0.3 else 1 if x[1] > 0 else 2
        samples.append({"x": x, "y": [float(label == c) for c in range(3)]})
    spec = parse_spec({"layers": [2, 4, 3], "activation": "tanh", "output_activation": "softmax",
                       "cost": "log-likelihood", "samples": samples, "learning_rate": 0.5})
    w = network_walkthrough(spec, epochs=40)
    costs = w.training.costs
    assert costs[-1] < 0.7 * costs[0]
    assert w.ok


@pytest.mark.parametrize("cost", ["log-likelihood", "quadratic"])
def test_derivation_shows_the_general_bp1_and_why(cost):
    d = derive_network("2,3,3", "relu", cost, output_activation="softmax", seed=2)
    assert d.ok and all(c.passed for c in d.checks)
    text = " ".join(str(d).split())
    assert "δ³ = (∂a³/∂z³)ᵀ ∇ₐC" in text
    assert "∂a³ₖ/∂z³ⱼ = a³ₖ([k = j] − a³ⱼ)" in text
    if cost == "log-likelihood":
        assert "That is why the softmax and the log-likelihood fit together: δ³ = a³ − y" in text
        assert "δ³₁ = a³₁ - y₁" in text
    else:
        assert "softmax is not elementwise" in text
        assert "δ³₁ = (a³₁ - y₁)·a³₁·(1 - a³₁) + (a³₂ - y₂)·a³₂·(-a³₁)" in text


def test_walkthrough_says_how_bp1_reduces():
    text = " ".join(str(network_walkthrough(parse_spec(SOFT))).split())
    assert "softmax output: BP1 in general is δ³ = (∂a³/∂z³)ᵀ ∇ₐC" in text
    assert "with the log-likelihood and a one-hot y it is δ³ = a³ − y" in text
    assert "C = −Σⱼ yⱼ ln a³ⱼ = −ln a³₂ = −ln" in text
    assert "(computed as e^(zⱼ − m)/Σₖ e^(zₖ − m)" not in text  # σ's formula is the derivation's
    derivation = " ".join(str(derive_network("2,3", "softmax", "log-likelihood")).split())
    assert "with m = max(zₖ): the same numbers, and no exponential overflows" in derivation


@pytest.mark.parametrize(("changes", "message"), [
    ({"activation": "softmax", "output_activation": None},
     "softmax is only for the output layer (it makes the outputs probabilities), not for "
     "layer 2"),
    ({"output_activation": "sigmoid"},
     "the log-likelihood cost needs a softmax output (probabilities summing to 1), not sigmoid"),
    ({"samples": [{"x": [1.0, 2.0], "y": [0.5, 0.5, 0]}]},
     "samples[0].y: the log-likelihood cost needs a one-hot target (one 1, the rest 0: the "
     "class of x), got [0.5, 0.5, 0]"),
    ({"samples": [{"x": [1.0, 2.0], "y": [1, 1, 0]}]}, "samples[0].y: the log-likelihood"),
    ({"samples": [{"x": [1.0, 2.0], "y": [0, 0, 0]}]}, "samples[0].y: the log-likelihood"),
    ({"samples": [{"x": [1.0, 2.0], "y": [2, -1, 0]}]}, "samples[0].y: the log-likelihood"),
    ({"cost": "cross-entropy"}, "the cross-entropy cost is for independent sigmoid outputs; "
                                "with a softmax output use the log-likelihood cost"),
    ({"layers": [2, 2, 1], "weights": [[[0.5, -0.25], [1.0, 0.75]], [[1.0, -0.5]]],
      "biases": [[0.1, -0.2], [0.0]], "samples": [{"x": [1.0, 2.0], "y": [1]}]},
     "softmax over 1 output is the constant 1"),
    ({"cost": "hinge"}, "cost: unknown 'hinge'; choose quadratic, cross-entropy, "
                        "log-likelihood"),
])
def test_hostile_softmax_specs_are_one_line_errors(tmp_path, changes, message):
    data = {k: v for k, v in {**SOFT, **changes}.items() if v is not None}
    with pytest.raises(SymbpError) as info:
        parse_spec(data)
    assert message in str(info.value) and "\n" not in str(info.value)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    r = runner.invoke(app, ["network", "--spec", str(path)])
    assert r.exit_code == 1 and message in r.stderr and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1


def test_softmax_from_the_command_line_and_in_every_format(tmp_path):
    path = tmp_path / "soft.json"
    path.write_text(json.dumps(SOFT))
    r = runner.invoke(app, ["network", "--spec", str(path), "-F", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["activations"] == ["relu", "softmax"] and doc["cost_function"] == "log-likelihood"
    assert all(doc["checks"].values())
    a3 = doc["samples"][0]["a"][1]
    assert doc["samples"][0]["jacobian"][0][1] == pytest.approx(-a3[0] * a3[1], rel=1e-14)
    assert doc["samples"][0]["sigma_prime"][1] == pytest.approx([a * (1 - a) for a in a3])
    for options in (["-F", "latex", "--standalone"], ["-F", "markdown"], ["-F", "rich"]):
        r = runner.invoke(app, ["network", "--spec", str(path), *options])
        assert r.exit_code == 0 and "softmax" in r.stdout, options
    r = runner.invoke(app, ["network", "--layers", "3,4,3", "--activation", "tanh",
                            "--output-activation", "softmax", "--cost", "log-likelihood"])
    assert r.exit_code == 0 and "fit together" in " ".join(r.stdout.split())
    assert symbp.render.to(network_walkthrough(parse_spec(SOFT)), "dict")["samples"][1][
        "jacobian"]
