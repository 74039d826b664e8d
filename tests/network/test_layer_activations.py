"""Each layer's own σ and σ' in the layer view's steps, in every format: with relu, tanh,
sigmoid, identity and softmax layers mixed, a step names its layer's function (relu'(z²),
tanh'(z³), σ'(z⁴) for the sigmoid, 1 for the identity) and its numbers are that function's
— σ and σ' written out here, δ against finite differences of a forward pass written here."""

from __future__ import annotations

import math
import re

import pytest
from network_oracles import SIGMA  # σ and σ' written out, not taken from symbp
from typer.testing import CliRunner

from symbp.cli import app
from symbp.core.printing import inline
from symbp.network.derive import network_walkthrough
from symbp.network.layers import Block
from symbp.network.spec import parse_spec

runner = CliRunner(env={"COLUMNS": "100"})

SUPERSCRIPT = {2: "²", 3: "³", 4: "⁴"}
# how a step writes σ(z) and σ'(z) of a layer (l = the layer's superscript)
APPLIED = {"relu": "relu({z})", "tanh": "tanh({z})", "sigmoid": "σ({z})", "identity": "{z}",
           "softmax": "softmax({z})"}
DERIVED = {"relu": "relu'({z})", "tanh": "tanh'({z})", "sigmoid": "σ'({z})", "identity": "1"}
TEX = {"relu": r"\operatorname{relu}'(z^{%d})", "tanh": r"\tanh'(z^{%d})",
       "sigmoid": r"\sigma'(z^{%d})"}

NETWORKS = [
    (["relu", "tanh", "sigmoid"], "quadratic"),
    (["tanh", "relu", "identity"], "quadratic"),
    (["sigmoid", "relu", "softmax"], "log-likelihood"),
]


def _spec(activations, cost) -> dict:
    samples = [{"x": [0.5, -1.0], "y": [1.0, 0.0]}, {"x": [1.0, 0.25], "y": [0.0, 1.0]}]
    return {"layers": [2, 3, 3, 2], "activations": activations, "cost": cost,
            "samples": samples, "learning_rate": 0.5, "seed": 3}


def _forward(net, x, start: int = 2, z_start=None):
    """z and a of every layer l ≥ ``start`` (z^start given, or computed from x)."""
    a, zs = list(x), {}
    for layer in range(2, len(net.layers) + 1):
        W, b, name = net.weights[layer - 2], net.biases[layer - 2], net.activations[layer - 2]
        if layer == start and z_start is not None:
            z = list(z_start)
        else:
            z = [math.fsum(w * v for w, v in zip(row, a, strict=True)) + bj
                 for row, bj in zip(W, b, strict=True)]
        zs[layer] = z
        if name == "softmax":
            top = max(z)
            e = [math.exp(v - top) for v in z]
            a = [v / sum(e) for v in e]
        else:
            a = [SIGMA[name][0](v) for v in z]
    return zs, a


def _cost(net, a, y) -> float:
    if net.cost == "log-likelihood":
        return -math.log(a[y.index(1.0)])
    return sum((ai - yi) ** 2 for ai, yi in zip(a, y, strict=True)) / 2


@pytest.mark.parametrize(("activations", "cost"), NETWORKS)
@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_each_layer_step_names_its_own_function(activations, cost, convention):
    spec = parse_spec(_spec(activations, cost))
    net = spec.network
    walk = network_walkthrough(spec, view="layers", convention=convention)
    sample = spec.samples[0]
    zs, _ = _forward(net, sample.x)
    seen = set()
    for step in walk.layers.samples[0].steps:
        layer, name = step.layer, net.activations[step.layer - 2]
        z = f"z{SUPERSCRIPT[layer]}"
        values = [v for row in step.result.values for v in row]
        if step.label == "activation":
            (term,) = step.terms
            assert inline(term.symbol) == APPLIED[name].format(z=z)
            if name != "softmax":
                assert values == pytest.approx([SIGMA[name][0](v) for v in zs[layer]],
                                               rel=1e-12, abs=1e-15)
            seen.add(("activation", layer))
        elif step.label in ("BP1", "BP2") and step.terms[-2:-1] == ("odot",):
            prime = step.terms[-1]
            assert isinstance(prime, Block)
            assert inline(prime.symbol) == DERIVED[name].format(z=z)
            shown = [v for row in prime.values for v in row]
            assert shown == pytest.approx([SIGMA[name][1](v) for v in zs[layer]],
                                          rel=1e-12, abs=1e-15)
            # δ^l = ∂C/∂z^l by central differences of the forward pass written here
            delta = values
            for j in range(len(zs[layer])):
                up, down = list(zs[layer]), list(zs[layer])
                up[j] += 1e-6
                down[j] -= 1e-6
                slope = (_cost(net, _forward(net, sample.x, layer, up)[1], sample.y)
                         - _cost(net, _forward(net, sample.x, layer, down)[1], sample.y)) / 2e-6
                assert delta[j] == pytest.approx(slope, abs=1e-7)
            seen.add((step.label, layer))
    # every layer's activation shown, and σ' wherever BP1/BP2 multiply by it
    assert {layer for kind, layer in seen if kind == "activation"} == {2, 3, 4}
    assert {layer for kind, layer in seen if kind == "BP2"} == {2, 3}
    assert (("BP1", 4) in seen) == (activations[-1] != "softmax")


@pytest.mark.parametrize(("activations", "cost"), NETWORKS)
def test_every_format_writes_each_layers_derivative(activations, cost, tmp_path):
    spec = tmp_path / "net.json"
    spec.write_text(__import__("json").dumps(_spec(activations, cost)), encoding="utf-8")
    layers = {layer: name for layer, name in enumerate(activations, start=2)}
    elementwise = {layer: name for layer, name in layers.items() if name != "softmax"}
    terminal = runner.invoke(app, ["network", "--spec", str(spec), "--view", "layers"])
    assert terminal.exit_code == 0, terminal.output
    for fmt in ("latex", "markdown"):
        result = runner.invoke(app, ["network", "--spec", str(spec), "--view", "layers",
                                     "-F", fmt])
        assert result.exit_code == 0
        for layer, name in elementwise.items():
            if name != "identity":
                assert TEX[name] % layer in result.output, (fmt, layer, name)
        # a generic σ' of a numbered layer appears only where that layer is a sigmoid
        for layer in re.findall(r"\\sigma'\(z\^\{(\d)\}\)", result.output):
            assert layers[int(layer)] == "sigmoid"
    page = tmp_path / "net.html"
    assert runner.invoke(app, ["network", "--spec", str(spec), "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    for layer, name in elementwise.items():
        z = f"z{SUPERSCRIPT[layer]}"
        written = DERIVED[name].format(z=z)
        assert f"⊙ {written} ({3 if layer < 4 else 2})" \
            in terminal.output, (layer, name)  # the shape equation: relu'(z²) (3)
        assert f"⊙ {written} = " in html, (layer, name)
    for layer in re.findall(r"σ'\(z([²³⁴])\)", terminal.output + html):
        number = {"²": 2, "³": 3, "⁴": 4}[layer]
        assert layers[number] == "sigmoid"
