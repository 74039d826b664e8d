"""σ per layer: a spec's ``activations``, ``output_activation`` and ``--output-activation``.

Oracles: the forward and backward pass of a small relu/identity network written out by
hand here, central finite differences of that hand-written forward pass, and the
engine's reverse sweep (the self-checks every walkthrough runs).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.errors import SymbpError
from symbp.network.derive import derive_network, network_walkthrough
from symbp.network.model import Network
from symbp.network.spec import load_spec, parse_spec, random_network

runner = CliRunner(env={"COLUMNS": "100"})

# 2-2-1: relu hidden layer, identity output, quadratic cost
MIXED = {
    "layers": [2, 2, 1], "activations": ["relu", "identity"], "cost": "quadratic",
    "weights": [[[0.5, -1.0], [1.5, 0.25]], [[2.0, -3.0]]],
    "biases": [[0.1, -0.2], [0.3]],
    "samples": [{"x": [1.0, 2.0], "y": [0.5]}],
    "learning_rate": 0.1,
}


def _by_hand(w1, b1, w2, b2, x, y):
    """The forward pass and C of MIXED's network, written out."""
    z2 = [w1[0][0] * x[0] + w1[0][1] * x[1] + b1[0], w1[1][0] * x[0] + w1[1][1] * x[1] + b1[1]]
    a2 = [max(0.0, v) for v in z2]
    z3 = w2[0][0] * a2[0] + w2[0][1] * a2[1] + b2[0]
    return z2, a2, z3, 0.5 * (y[0] - z3) ** 2


def test_relu_hidden_identity_output_by_hand():
    w = network_walkthrough(parse_spec(MIXED))
    assert w.network.activations == ("relu", "identity")
    r = w.samples[0]
    # z² = (0.5 − 2 + 0.1, 1.5 + 0.5 − 0.2) = (−1.4, 1.8): relu gives a² = (0, 1.8)
    z2, a2, z3, cost = _by_hand(MIXED["weights"][0], MIXED["biases"][0], MIXED["weights"][1],
                                MIXED["biases"][1], [1.0, 2.0], [0.5])
    assert r.z[0] == pytest.approx(z2) and r.a[0] == pytest.approx(a2)
    assert z2 == pytest.approx([-1.4, 1.8])
    # identity output: a³ = z³ = 2·0 − 3·1.8 + 0.3 = −5.1
    assert r.a[1] == pytest.approx([-5.1]) and r.z[1] == pytest.approx([z3])
    assert r.cost == pytest.approx(cost) == pytest.approx(0.5 * 5.6 ** 2)
    # BP1 with σ' = 1 (identity): δ³ = a³ − y = −5.6; BP2 with relu': δ² = (w³)ᵀδ³ ⊙ (0, 1)
    assert r.sigma_prime[1] == (1.0,) and r.sigma_prime[0] == (0.0, 1.0)
    assert r.delta[1] == pytest.approx([-5.6])
    assert r.delta[0] == pytest.approx([0.0, -3.0 * -5.6])
    assert w.ok


def test_mixed_gradient_equals_finite_differences_of_the_hand_forward_pass():
    w = network_walkthrough(parse_spec(MIXED))
    r, h = w.samples[0], 1e-6
    for layer, (weights, _) in enumerate(zip(MIXED["weights"], MIXED["biases"],
                                                  strict=True)):
        for j, row in enumerate(weights):
            for k in range(len(row) + 1):  # the weights, then the bias (k = len(row))
                def cost(delta, layer=layer, j=j, k=k):
                    ws = json.loads(json.dumps(MIXED["weights"]))
                    bs = json.loads(json.dumps(MIXED["biases"]))
                    if k < len(ws[layer][j]):
                        ws[layer][j][k] += delta
                    else:
                        bs[layer][j] += delta
                    return _by_hand(ws[0], bs[0], ws[1], bs[1], [1.0, 2.0], [0.5])[3]
                fd = (cost(h) - cost(-h)) / (2 * h)
                ours = r.grad_w[layer][j][k] if k < len(row) else r.grad_b[layer][j]
                assert ours == pytest.approx(fd, abs=1e-6)


def test_one_activation_is_every_layers_and_output_activation_the_last():
    net = random_network((2, 3, 3, 1), "tanh", output_activation="identity", seed=3)
    assert net.activations == ("tanh", "tanh", "identity")
    assert net.activation is None and net.sigma(4) == "identity" and net.sigma(2) == "tanh"
    assert net.activation_text == "tanh (layers 2–3), identity (layer 4)"
    uniform = Network((2, 3, 1), "relu", "quadratic", (), ())
    assert uniform.activations == ("relu", "relu") and uniform.activation == "relu"
    split = {k: v for k, v in MIXED.items() if k != "activations"}
    spec = parse_spec({**split, "activation": "tanh", "output_activation": "sigmoid"})
    assert spec.network.activations == ("tanh", "sigmoid")


def test_derivation_follows_each_layers_sigma():
    d = derive_network("2,3,2", ["relu", "identity"], seed=1)
    assert d.ok and d.network.activations == ("relu", "identity")
    assert all(c.passed is not False for c in d.checks)
    assert any(c.name == "equations == reverse sweep" and c.passed for c in d.checks)
    text = str(d)
    assert "layer 3 (output), σ = identity" in text and "layer 2, σ = relu" in text
    assert "relu (layer 2), identity (layer 3)" in text
    same = derive_network("2,3,2", "relu", output_activation="identity", seed=1)
    assert same.network == d.network


@pytest.mark.parametrize(("changes", "message"), [
    ({"activations": ["relu"]}, "activations: expected 2 activations (one per layer after the "
                                "input), got a list of 1"),
    ({"activations": ["relu", "softplus"]}, "activations[1]: unknown 'softplus'; choose"),
    ({"activations": "relu"}, "activations: expected a list of 2 names"),
    ({"activations": ["relu", 3]}, "activations[1]: unknown 3"),
    ({"activation": "relu"}, "activations: give σ per layer, or activation, not both"),
    ({"output_activation": "relu"},
     "activations: give σ per layer, or output_activation, not both"),
    ({"activations": ["relu", "tanh"], "cost": "cross-entropy"},
     "the cross-entropy cost needs outputs between 0 and 1, which tanh does not give"),
])
def test_bad_activations_are_one_line_errors(changes, message):
    with pytest.raises(SymbpError) as info:
        parse_spec({**MIXED, **changes})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_bad_output_activation_field():
    data = {k: v for k, v in MIXED.items() if k != "activations"}
    with pytest.raises(SymbpError, match=r"^output_activation: unknown 'soft'; choose"):
        parse_spec({**data, "output_activation": "soft"})


def test_command_line_replaces_the_files_activations(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(MIXED))
    assert load_spec(path).network.activations == ("relu", "identity")
    assert load_spec(path, output_activation="tanh").network.activations == ("relu", "tanh")
    assert load_spec(path, activation="tanh").network.activations == ("tanh", "tanh")
    split = {k: v for k, v in MIXED.items() if k != "activations"}
    path.write_text(json.dumps({**split, "activation": "relu", "output_activation": "identity"}))
    assert load_spec(path, activation="tanh").network.activations == ("tanh", "identity")
    r = runner.invoke(app, ["network", "--spec", str(path), "--output-activation", "sigmoid",
                            "-F", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["activations"] == ["relu", "sigmoid"] and doc["activation"] is None
    assert all(doc["checks"].values())
    r = runner.invoke(app, ["network", "--layers", "2,2", "--output-activation", "sigmod"])
    assert r.exit_code == 1 and "--output-activation: unknown 'sigmod'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_walkthrough_says_each_layers_sigma_prime():
    w = network_walkthrough(parse_spec(MIXED))
    text = " ".join(str(w).split())  # the terminal wraps long lines
    assert "relu (layer 2), identity (layer 3)" in text
    assert "layer 2: relu, σ'(z) = 1 if z > 0 else 0" in text
    assert "layer 3: identity, σ'(z) = 1" in text
    latex = symbp.render.to(w, "latex", standalone=True)
    assert "relu (layer 2), identity (layer 3)" in latex
