"""The layer-level (matrix-form) view of a walkthrough: its numbers against SymPy ``Matrix``
products written here (with activations, σ' and ∇ₐC typed by hand), against the neuron
view, the reverse sweep and finite differences of a forward pass written here; the
conventions as transposes of each other; the shapes; the 1/m of the batch."""

from __future__ import annotations

import dataclasses
import math
import random
import re
from itertools import pairwise

import pytest
import sympy
from network_oracles import COST, NABLA, SIGMA
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.core.printing import inline
from symbp.errors import SymbpError
from symbp.network.derive import network_walkthrough
from symbp.network.layer_steps import layer_check
from symbp.network.layers import MATRIX_LIMIT, Block, Factor, layer_numbers
from symbp.network.matrix_form import matrix_backprop
from symbp.network.spec import parse_spec

runner = CliRunner(env={"COLUMNS": "100"})

EXAMPLE = {
    "layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
    "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
    "biases": [[0.1, 0.0, -0.1], [0.2]],
    "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}],
    "learning_rate": 0.5}


def _spec(layers, activation, cost, samples, seed):
    """A spec with random parameters; ``activation`` one name or one per layer."""
    rng = random.Random(seed)
    data = [{"x": [round(rng.uniform(-1, 1), 3) for _ in range(layers[0])],
             "y": [round(rng.uniform(0.05, 0.95), 3) for _ in range(layers[-1])]}
            for _ in range(samples)]
    key = "activation" if isinstance(activation, str) else "activations"
    return parse_spec({"layers": layers, key: activation, "cost": cost,
                       "samples": data, "learning_rate": 0.1, "seed": seed})


def _oracle(spec):
    """Z, A, Δ, ∂C/∂W, ∂C/∂b by SymPy matrix products (samples as columns)."""
    net, samples = spec.network, spec.samples
    m = len(samples)
    ones = sympy.ones(m, 1)
    a = sympy.Matrix([list(s.x) for s in samples]).T
    y = sympy.Matrix([list(s.y) for s in samples]).T
    A, Z = [a], []
    for w, b, name in zip(net.weights, net.biases, net.activations, strict=True):
        z = sympy.Matrix(w) * A[-1] + sympy.Matrix(b) * ones.T
        Z.append(z)
        A.append(z.applyfunc(lambda v, f=SIGMA[name][0]: f(float(v))))
    sp = [z.applyfunc(lambda v, f=SIGMA[name][1]: f(float(v)))
          for z, name in zip(Z, net.activations, strict=True)]
    nabla = sympy.Matrix(A[-1].shape[0], m,
                         lambda j, x: NABLA[net.cost](float(A[-1][j, x]), float(y[j, x])))
    deltas = [nabla.multiply_elementwise(sp[-1])]
    for i in range(len(Z) - 2, -1, -1):
        deltas.insert(0, (sympy.Matrix(net.weights[i + 1]).T * deltas[0])
                      .multiply_elementwise(sp[i]))
    grad_w = [d * A[i].T / m for i, d in enumerate(deltas)]
    grad_b = [d * ones / m for d in deltas]
    return Z, A[1:], deltas, grad_w, grad_b


def _close(matrix, values, rel=1e-12):
    rows = [list(map(float, matrix.row(r))) for r in range(matrix.rows)]
    assert len(rows) == len(values)
    for ours, theirs in zip(values, rows, strict=True):
        assert list(ours) == pytest.approx(theirs, rel=rel, abs=1e-15)


CASES = [([2, 3, 1], "sigmoid", "quadratic", 2), ([3, 4, 2], "tanh", "quadratic", 3),
         ([2, 4, 3, 2], "relu", "quadratic", 4), ([3, 2], "identity", "quadratic", 1),
         ([2, 3, 2], "sigmoid", "cross-entropy", 3), ([4, 5, 3, 2], "sigmoid", "quadratic", 5),
         ([3, 4, 3, 2], ["relu", "tanh", "identity"], "quadratic", 3)]


@pytest.mark.parametrize(("layers", "activation", "cost", "samples"), CASES)
@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_layer_view_equals_sympy_matrix_products(layers, activation, cost, samples,
                                                 convention):
    spec = _spec(layers, activation, cost, samples, seed=len(layers) * 7 + samples)
    w = network_walkthrough(spec, view="layers", convention=convention)
    Z, A, deltas, grad_w, grad_b = _oracle(spec)
    mats = w.layers.matrices
    for i in range(len(layers) - 1):
        _close(Z[i], mats.z[i])
        _close(A[i], mats.a[i])
        _close(deltas[i], mats.delta[i], rel=1e-11)
        _close(grad_w[i], mats.grad_w[i], rel=1e-11)
        _close(grad_b[i], [(v,) for v in mats.grad_b[i]], rel=1e-11)
    # the JSON's numbers in the convention's layout
    for i, numbers in enumerate(layer_numbers(w.layers)):
        laid = (lambda M: M.T) if convention == "pytorch" else (lambda M: M)
        _close(laid(Z[i]), numbers.z)
        _close(laid(deltas[i]), numbers.delta, rel=1e-11)
        _close(grad_w[i], numbers.grad_w, rel=1e-11)  # out × in in both conventions
        assert numbers.weight == spec.network.weights[i]
    assert w.ok and w.layers.check.passed


@pytest.mark.parametrize(("layers", "activation", "cost", "samples"), CASES)
def test_layer_view_equals_neuron_view_and_finite_differences(layers, activation, cost,
                                                              samples):
    spec = _spec(layers, activation, cost, samples, seed=3)
    w = network_walkthrough(spec)
    net, mats = spec.network, w.layers.matrices

    def batch_cost(weights, biases):
        total = 0.0
        for s in spec.samples:
            a = list(s.x)
            for W, b, name in zip(weights, biases, net.activations, strict=True):
                a = [SIGMA[name][0](math.fsum(wk * ak for wk, ak in zip(row, a, strict=True))
                                    + bj) for row, bj in zip(W, b, strict=True)]
            total += COST[cost](a, s.y)
        return total / len(spec.samples)

    h = 1e-6
    weights = [[list(row) for row in W] for W in net.weights]
    biases = [list(b) for b in net.biases]
    for i, W in enumerate(weights):
        for j, row in enumerate(W):
            for k in range(len(row)):
                row[k] += h
                up = batch_cost(weights, biases)
                row[k] -= 2 * h
                down = batch_cost(weights, biases)
                row[k] += h
                assert mats.grad_w[i][j][k] == pytest.approx((up - down) / (2 * h), abs=1e-7)
                assert mats.grad_w[i][j][k] == pytest.approx(w.grad_w[i][j][k], rel=1e-12,
                                                             abs=1e-16)
            biases[i][j] += h
            up = batch_cost(weights, biases)
            biases[i][j] -= 2 * h
            down = batch_cost(weights, biases)
            biases[i][j] += h
            assert mats.grad_b[i][j] == pytest.approx((up - down) / (2 * h), abs=1e-7)
    # each sample written out in matrix form: the neuron view's numbers, entry by entry
    for sample in w.layers.samples:
        r = w.samples[sample.index]
        for step in sample.steps:
            i = step.layer - 2
            values = [v for row in step.result.values for v in row]
            if step.label in ("BP1", "BP2"):
                assert values == pytest.approx(r.delta[i], rel=1e-12, abs=1e-16)
            elif step.label == "forward":
                assert values == pytest.approx(r.z[i], rel=1e-12, abs=1e-16)
            elif step.label == "BP4":
                grid = step.grid
                for j, row in enumerate(grid.entries):
                    for k, entry in enumerate(row):
                        assert entry == grid.row_values[j] * grid.column_values[k]
                        assert entry == pytest.approx(r.grad_w[i][j][k], rel=1e-12, abs=1e-16)
    sweep = w.sweep
    first = w.layers.samples[0]
    for step in first.steps:
        if step.label == "BP4":  # the grid's entries are the sweep's adjoints of w
            for j, row in enumerate(step.grid.entries):
                for k, entry in enumerate(row):
                    node = f"w^{{{step.layer}}}_{{{j + 1}{k + 1}}}"
                    assert entry == pytest.approx(sweep.adjoints[node], rel=1e-9, abs=1e-15)


def _text(step) -> str:
    return inline(step.shapes(), as_written=True)


def test_shape_equations_read_as_in_the_issue():
    one = parse_spec({"layers": [3, 1], "samples": [{"x": [1, 2, 3], "y": [0.5]}],
                      "learning_rate": 0.1})
    w = network_walkthrough(one, view="layers")
    assert _text(w.layers.samples[0].steps[0]) == "W² (1×3) · a¹ (3) + b² (1) = z² (1)"
    w = network_walkthrough(parse_spec(EXAMPLE), view="layers")
    bp2 = [s for s in w.layers.samples[0].steps if s.label == "BP2"]
    assert [_text(s) for s in bp2] == ["(W³)ᵀ (3×1) · δ³ (1) → (3) ⊙ σ'(z²) (3) = δ² (3)"]
    bp4 = [s for s in w.layers.batch if s.label == "BP4"]
    assert _text(bp4[0]) == "(1/2) Δ³ (1×2) · (A²)ᵀ (2×3) = ∂C/∂W³ (1×3)"
    assert [(r.layer, r.weight, r.vector, r.batch, r.activation) for r in w.layers.shapes] == [
        (2, (3, 2), 3, (3, 2), "sigmoid"), (3, (1, 3), 1, (1, 2), "sigmoid")]
    torch = network_walkthrough(parse_spec(EXAMPLE), view="layers", convention="pytorch")
    assert [(r.weight, r.batch) for r in torch.layers.shapes] == [((3, 2), (2, 3)),
                                                                  ((1, 3), (2, 1))]
    forward = torch.layers.batch[0]
    assert _text(forward) == "A¹ (2×2) · (W²)ᵀ (2×3) + 1 (2) · (b²)ᵀ (1×3) = Z² (2×3)"
    bp4 = [s for s in torch.layers.batch if s.label == "BP4"]
    assert _text(bp4[0]) == "(1/2) (Δ³)ᵀ (1×2) · A² (2×3) = ∂C/∂W³ (1×3)"


def test_conventions_are_transposes_with_the_same_gradient():
    spec = _spec([3, 4, 2], "tanh", "quadratic", 3, seed=11)
    nielsen = network_walkthrough(spec, view="layers").layers
    torch = network_walkthrough(spec, view="layers", convention="pytorch").layers
    for a, b in zip(nielsen.batch, torch.batch, strict=True):
        assert a.label == b.label and a.layer == b.layer
        if a.label in ("forward", "activation", "BP1", "BP2"):  # Z, A, Δ: transposed
            assert b.result.values == tuple(zip(*a.result.values, strict=True))
        elif a.label == "BP4":  # out × in in both
            assert b.result.values == a.result.values
    for a, b in zip(layer_numbers(nielsen, 1), layer_numbers(torch, 1), strict=True):
        assert a.z == b.z and a.grad_w == b.grad_w  # a sample's vectors: no layout
    assert "PyTorch" in symbp.network.prose.plain(torch.note)
    # the check compares the same numbers, and says so in each layout's words
    assert nielsen.check.passed and torch.check.passed
    words = {v.convention: symbp.network.prose.plain(v.check.prose) for v in (nielsen, torch)}
    assert "every sample's column" in words["nielsen"] and "δ · aᵀ" in words["nielsen"]
    assert "(1/m) Δ · Aᵀ" in words["nielsen"]
    assert "every sample's row" in words["pytorch"] and "δᵀ · a" in words["pytorch"]
    assert "(1/m) Δᵀ · A" in words["pytorch"]


def test_the_batch_averages_with_one_over_m():
    spec = _spec([2, 3, 2], "sigmoid", "quadratic", 4, seed=5)
    w = network_walkthrough(spec, view="layers")
    view = w.layers
    factors = [t for s in view.batch for t in s.terms if isinstance(t, Factor)]
    assert len(factors) == 4 and all(f.value == sympy.Rational(1, 4) for f in factors)
    mats = view.matrices
    for i in range(2):  # (1/m) Δ 1 and (1/m) Δ Aᵀ: the mean of the neuron view's samples
        for j in range(len(mats.grad_w[i])):
            deltas = [r.delta[i][j] for r in w.samples]
            assert mats.grad_b[i][j] == pytest.approx(sum(deltas) / 4, rel=1e-13)
            for k in range(len(mats.grad_w[i][j])):
                products = [r.delta[i][j] * r.activation(i + 1)[k] for r in w.samples]
                assert mats.grad_w[i][j][k] == pytest.approx(sum(products) / 4, rel=1e-12)
    text = " ".join(symbp.render.to(w, "text", width=100).split())
    assert "the 1/m = 1/4 in front of each sum over the samples" in text


def test_the_check_fails_loudly_when_the_views_differ():
    spec = parse_spec(EXAMPLE)
    w = network_walkthrough(spec, view="layers")
    r = w.samples[1]
    wrong = dataclasses.replace(r, delta=((r.delta[0][0] + 1e-3, *r.delta[0][1:]), r.delta[1]))
    mats = matrix_backprop(spec.network, spec.samples)
    check = layer_check(spec.network, mats, (w.samples[0], wrong), w.grad_w, w.grad_b, w.sweep)
    assert check.passed is False and "sample 2" in check.detail and "δ²₁" in check.detail
    check = layer_check(spec.network, mats, w.samples, w.grad_w, w.grad_b, w.sweep)
    assert check.passed is True


def test_terminal_fits_80_columns_up_to_4_8_8_3_and_summarizes_beyond():
    spec = _spec([4, 8, 8, 3], "sigmoid", "quadratic", 3, seed=2)
    w = network_walkthrough(spec, view="layers")
    text = symbp.render.to(w, "text", width=80)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    section = text[text.index("Layer by layer"):text.index("Checks")]
    assert "⋮" not in section and "…" not in section  # 8 × 8 is written out whole
    W3 = spec.network.weights[1]
    row = [symbp.render.marks.num(v) for v in W3[0]]
    assert any(all(v in line for v in row) for line in lines)  # a row of W³ on one line
    assert MATRIX_LIMIT == 8
    big = network_walkthrough(_spec([3, 16, 4, 2], "sigmoid", "quadratic", 1, seed=1),
                              view="layers")
    text = symbp.render.to(big, "text", width=80)
    assert max(map(len, text.splitlines())) <= 80
    assert "⋮" in text and "after the first 6 are left out" in text
    blocks = [t for s in big.layers.samples[0].steps for t in s.terms if isinstance(t, Block)]
    assert any(b.hidden == (10, 0) for b in blocks)  # W² is 16 × 3: 10 rows left out
    full = network_walkthrough(big.spec, view="layers", full=True)
    assert all(b.hidden == (0, 0) for s in full.layers.batch for b in s.terms
               if isinstance(b, Block))


@pytest.mark.parametrize("layers", [[4, 16, 16, 3], [2, 30, 1]])
@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_terminal_summarizes_big_layers_within_80_columns(layers, convention):
    """Past 8 rows or columns a matrix shows its first 6 and ⋮ / …, in both conventions:
    no line over 80 columns, and the first shown row of W² (Nielsen) or of (W²)ᵀ
    (PyTorch: W²'s first column) is the spec's numbers, in order, on one line."""
    spec = _spec(layers, ["relu"] * (len(layers) - 2) + ["sigmoid"], "quadratic", 2, seed=5)
    w = network_walkthrough(spec, view="layers", convention=convention)
    text = symbp.render.to(w, "text", width=80)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    assert "⋮" in text and "after the first 6 are left out" in text
    W2 = spec.network.weights[0]
    first = list(W2[0]) if convention == "nielsen" else [row[0] for row in W2]
    shown = [symbp.render.marks.num(v) for v in first[:6]]
    pattern = r"\s+".join(map(re.escape, shown))
    assert any(re.search(pattern, line) for line in lines), shown
    if len(first) > MATRIX_LIMIT:  # a long row: cut after 6, with … for the rest
        assert any(re.search(pattern + r"\s+…", line) for line in lines)


def test_terminal_shows_the_grid_as_the_neuron_view_products():
    w = network_walkthrough(parse_spec(EXAMPLE))
    text = symbp.render.to(w, "text", width=100)
    # the neuron view's ∂C/∂w³₁₂ = a²₂·δ³₁ and the grid's (1, 2) entry: the same number
    assert "∂C/∂w³₁₂  = a²₂·δ³₁  = 0.634136·(-0.079754)  = -0.0505749" in text
    grid = text[text.index("δ³ (1) · (a²)ᵀ (1×3) = ∂C/∂W³ (1×3)"):]
    assert "δ³₁ = -0.079754  -0.0418692  -0.0505749  -0.0301104" in grid
    ascii = runner.invoke(app, ["network", "--spec", "examples/net.json", "--ascii",
                                "--width", "80"])
    assert ascii.exit_code == 0 and ascii.stdout.isascii()
    lines = [" ".join(line.split()) for line in ascii.stdout.splitlines()]
    assert "[-0.350388] (*) [0.227616] = [-0.079754]" in lines  # BP1, transliterated


def test_cli_views_and_conventions():
    neurons = runner.invoke(app, ["network", "--spec", "examples/net.json", "--view", "neurons"])
    both = runner.invoke(app, ["network", "--spec", "examples/net.json"])
    layers = runner.invoke(app, ["network", "--spec", "examples/net.json", "--view", "layers",
                                 "--convention", "pytorch"])
    assert neurons.exit_code == both.exit_code == layers.exit_code == 0
    assert "Layer by layer" not in neurons.stdout and "Layer by layer" in both.stdout
    assert "Sample 1 of 2" in both.stdout and "Sample 1 of 2" not in layers.stdout
    assert "pytorch convention" in layers.stdout
    assert "layer view == BP1-BP4 == reverse sweep" in layers.stdout
    for args, words in ((["--view", "rows"], "--view: unknown 'rows'"),
                        (["--convention", "cs231n"], "--convention: unknown 'cs231n'")):
        r = runner.invoke(app, ["network", "--spec", "examples/net.json", *args])
        assert r.exit_code == 1 and words in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["network", "--layers", "2,1", "--view", "layers"])
    assert r.exit_code == 1 and "--view needs training samples" in r.output


@pytest.mark.parametrize("bad", [None, 3, "", "Layers", "layers\x00", ["layers"]])
def test_library_refuses_a_bad_view_or_convention(bad):
    spec = parse_spec(EXAMPLE)
    with pytest.raises(SymbpError, match="view"):
        network_walkthrough(spec, view=bad)
    with pytest.raises(SymbpError, match="convention"):
        network_walkthrough(spec, convention=bad)


def test_layer_view_of_one_sample_and_one_neuron_layers():
    spec = parse_spec({"layers": [1, 1, 1], "samples": [{"x": [0.5], "y": [0.2]}],
                       "learning_rate": 0.1, "weights": [[[2.0]], [[-1.0]]],
                       "biases": [[0.0], [0.5]]})
    w = network_walkthrough(spec, view="layers")
    s = SIGMA["sigmoid"]
    z2 = 1.0
    a2 = s[0](z2)
    z3 = -a2 + 0.5
    d3 = (s[0](z3) - 0.2) * s[1](z3)
    d2 = -1.0 * d3 * s[1](z2)
    mats = w.layers.matrices
    assert mats.delta[1][0][0] == pytest.approx(d3, rel=1e-14)
    assert mats.delta[0][0][0] == pytest.approx(d2, rel=1e-14)
    assert mats.grad_w[0][0][0] == pytest.approx(0.5 * d2, rel=1e-14)
    assert [p for p in pairwise(spec.network.layers)] == [(1, 1), (1, 1)]
    # one sample: no factor 1 in front of BP3/BP4 ("1 [..]"), the result still δ (a)ᵀ
    bp = [step for step in w.layers.batch if step.label in ("BP3", "BP4")]
    assert len(bp) == 4 and not any(isinstance(t, Factor) for s in bp for t in s.terms)
    bp4 = next(step for step in bp if step.label == "BP4" and step.layer == 3)
    assert bp4.result.matrix[0, 0] == pytest.approx(d3 * a2, rel=1e-14)
    text = " ".join(symbp.render.to(w, "text", width=100).split())
    assert "the 1/m = 1/1 in front of each sum over the samples" in text
    assert " 1 [" not in text


@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_json_layers_in_each_convention(convention):
    import json

    r = runner.invoke(app, ["network", "--spec", "examples/net.json", "-F", "json",
                            "--convention", convention])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    spec = parse_spec(EXAMPLE)
    Z, A, deltas, grad_w, grad_b = _oracle(spec)
    assert doc["convention"] == convention and doc["view"] == "both"
    assert doc["layers"] == [2, 3, 1]  # the sizes, as in a spec file
    assert [entry["l"] for entry in doc["layer_view"]] == [2, 3]
    for i, entry in enumerate(doc["layer_view"]):
        assert set(entry) == {"l", "shapes", "W", "b", "Z", "A", "Delta", "grad_W", "grad_b"}
        n_out, n_in = len(spec.network.weights[i]), len(spec.network.weights[i][0])
        batch = [2, n_out] if convention == "pytorch" else [n_out, 2]
        assert entry["shapes"] == {"W": [n_out, n_in], "b": [n_out], "Z": batch, "A": batch,
                                   "Delta": batch}
        laid = (lambda M: M.T) if convention == "pytorch" else (lambda M: M)
        _close(laid(Z[i]), entry["Z"])
        _close(laid(A[i]), entry["A"])
        _close(laid(deltas[i]), entry["Delta"], rel=1e-11)
        _close(grad_w[i], entry["grad_W"], rel=1e-11)
        assert entry["W"] == [list(row) for row in spec.network.weights[i]]
        assert entry["grad_b"] == pytest.approx([float(v) for v in grad_b[i]], rel=1e-11)
        assert len(entry["grad_W"]) == n_out and len(entry["grad_W"][0]) == n_in
    for x, sample in enumerate(doc["samples"]):  # each sample: vectors, its own δ aᵀ
        for i, entry in enumerate(sample["layer_view"]):
            assert set(entry) == {"l", "shapes", "Z", "A", "Delta", "grad_b"}
            assert entry["Delta"] == pytest.approx(sample["delta"][i], rel=1e-12)
            assert entry["Z"] == pytest.approx(sample["z"][i], rel=1e-12)
            assert entry["grad_b"] == entry["Delta"]
            _close(deltas[i].col(x).T, [entry["Delta"]], rel=1e-11)
    neurons = json.loads(runner.invoke(app, ["network", "--spec", "examples/net.json", "-F",
                                             "json", "--view", "neurons"]).stdout)
    assert neurons["convention"] is None and "layer_view" not in neurons
    assert "layer_view" not in neurons["samples"][0]


def test_latex_and_markdown_write_the_matrices_under_braces():
    from symbp.render.network_latex import to_latex
    from symbp.render.network_markdown import to_markdown

    w = network_walkthrough(parse_spec(EXAMPLE))
    latex, markdown = to_latex(w, standalone=True), to_markdown(w)
    W2 = (r"\underbrace{\begin{bmatrix} 0.1 & -0.2 \\ 0.4 & 0.3 \\ -0.5 & 0.2 \end{bmatrix}}"
          r"_{W^{2}\,(3 \times 2)}")
    a1 = r"\underbrace{\begin{bmatrix} 1 \\ 0.5 \end{bmatrix}}_{a^{1}\,(2)}"
    for text in (latex, markdown):
        assert f"z^{{2}} &= {W2} \\cdot {a1} +" in text
        # the grid: row δ²₁ with its value, entries a¹ₖ·δ²₁ (1·δ and 0.5·δ)
        assert r"$\delta^{2}_{1} = -0.0139221$ & $-0.0139221$ & $-0.00696106$" in latex
        assert "1/m" in text.replace(r"\frac{1}{m}", "1/m")
    assert r"| $\delta^{2}_{1} = -0.0139221$ | $-0.0139221$ | $-0.00696106$ |" in markdown
    assert r"\underbrace{\begin{bmatrix} 0.0144116 & 0.0139411 & 0.0258273 \end{bmatrix}}" \
        r"_{\frac{\partial C}{\partial W^{3}}\,(1 \times 3)}" in latex  # the batch's (1/m) Δ Aᵀ
    torch = to_latex(network_walkthrough(parse_spec(EXAMPLE), convention="pytorch"))
    # Z² in PyTorch's layout: a sample per row (2 × 3), the same numbers as Nielsen's columns
    assert (r"\begin{bmatrix} 0.1 & 0.55 & -0.5 \\ -0.09 & 0.12 & 0.21 \end{bmatrix}}"
            r"_{Z^{2}\,(2 \times 3)}") in torch
    assert (r"\begin{bmatrix} 0.1 & -0.09 \\ 0.55 & 0.12 \\ -0.5 & 0.21 \end{bmatrix}}"
            r"_{Z^{2}\,(3 \times 2)}") in latex


def _wide_spec() -> dict:
    """A [4, 8, 8, 3] network whose numbers print long: inputs up to ±3 push the sigmoid and
    softmax into saturation, so δ and σ' run to −7.49679·10⁻¹⁵ — eight such columns made
    one matrix 77 pt wider than the page before matrices were cut into groups of columns."""
    rng = random.Random(4)
    samples = []
    for _ in range(12):
        y = [0, 0, 0]
        y[rng.randrange(3)] = 1
        samples.append({"x": [round(rng.uniform(-3, 3), 3) for _ in range(4)], "y": y})
    return {"layers": [4, 8, 8, 3], "activations": ["relu", "tanh", "softmax"],
            "cost": "quadratic", "samples": samples, "learning_rate": 0.5, "seed": 4}


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None,
                    reason="no LaTeX engine (pdflatex) installed; .ci/run installs it")
@pytest.mark.parametrize("wide", [False, True], ids=["sigmoid", "long-numbers"])
@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_layer_view_latex_fits_the_page(convention, wide, tmp_path):
    """Both views of a [4, 8, 8, 3] network compile, and pdflatex's own log reports no box
    more than 3 pt wider than the line: the 8 × 8 matrices, BP4's grids and the neuron
    view stay inside the margins."""
    import subprocess

    from symbp.render.network_latex import to_latex

    spec = (parse_spec(_wide_spec()) if wide
            else _spec([4, 8, 8, 3], "sigmoid", "quadratic", 3, seed=2))
    w = network_walkthrough(spec, view="both", convention=convention)
    (tmp_path / "layers.tex").write_text(to_latex(w, standalone=True), encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           "layers.tex"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=180)
    log = (tmp_path / "layers.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-2000:]
    overfull = [float(line.split("(")[1].split("pt")[0]) for line in log.splitlines()
                if line.startswith("Overfull \\hbox")]
    assert all(v < 3 for v in overfull), overfull


def test_wide_matrix_is_cut_into_groups_of_columns():
    """A matrix too wide for a line even in script size is written as groups of columns,
    each under a brace naming its columns; together they hold every number of the block
    exactly once, in order ([ opens the first group, ] closes the last)."""
    from symbp.render.tex.layers import block_tex
    from symbp.render.tex.network_math import n

    values = tuple(tuple(-7.49679e-15 * (r + 1) * (c + 3) for c in range(8)) for r in range(3))
    block = Block(sympy.Symbol("Delta"), values, False, (0, 1, 2), tuple(range(8)))
    pieces = block_tex(block)
    assert len(pieces) > 1
    assert pieces[0].startswith(r"\underbrace{\left[") and r"\right]" in pieces[-1]
    assert "columns 1--" in pieces[0] and "--8}" in pieces[-1]
    for r, row in enumerate(values):
        cells = []
        for piece in pieces:
            body = piece.split(r"\begin{smallmatrix} ")[1].split(r" \end{smallmatrix}")[0]
            cells += body.split(r" \\ ")[r].split(" & ")
        assert cells == [n(v) for v in row]
    narrow = Block(sympy.Symbol("W"), ((0.5, -1.0),), False, (0,), (0, 1))
    assert block_tex(narrow) == (
        r"\underbrace{\begin{bmatrix} 0.5 & -1 \end{bmatrix}}_{W\,(1 \times 2)}",)


@pytest.mark.parametrize("cost", ["log-likelihood", "quadratic"])
@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_softmax_output_in_matrix_form(cost, convention):
    """A softmax output: A^L column by column e^z/Σe^z, BP1 through its Jacobian
    diag(a) − a aᵀ (SymPy matrices here), equal to A − Y with the log-likelihood."""
    samples = [{"x": [1.0, 0.5], "y": [0, 1, 0]}, {"x": [0.2, -0.4], "y": [1, 0, 0]},
               {"x": [-0.7, 0.9], "y": [0, 0, 1]}, {"x": [0.3, 0.3], "y": [0, 1, 0]}]
    spec = parse_spec({"layers": [2, 3, 3], "activation": "tanh",
                       "output_activation": "softmax", "cost": cost, "samples": samples,
                       "learning_rate": 0.5, "seed": 4})
    w = network_walkthrough(spec, convention=convention)
    mats, net = w.layers.matrices, spec.network
    assert w.ok and w.layers.check.passed
    for x, s in enumerate(spec.samples):
        a1 = sympy.Matrix(s.x)
        z2 = sympy.Matrix(net.weights[0]) * a1 + sympy.Matrix(net.biases[0])
        a2 = z2.applyfunc(lambda v: math.tanh(float(v)))
        z3 = sympy.Matrix(net.weights[1]) * a2 + sympy.Matrix(net.biases[1])
        e = [math.exp(float(v)) for v in z3]
        a3 = sympy.Matrix([v / sum(e) for v in e])
        jacobian = sympy.diag(*a3) - a3 * a3.T
        y = sympy.Matrix(s.y)
        nabla = (a3 - y) if cost == "quadratic" else sympy.Matrix(
            [-float(yk) / float(ak) for yk, ak in zip(y, a3, strict=True)])
        delta = jacobian.T * nabla
        assert [mats.a[1][j][x] for j in range(3)] == pytest.approx(list(map(float, a3)),
                                                                     rel=1e-12)
        assert [mats.delta[1][j][x] for j in range(3)] == pytest.approx(
            list(map(float, delta)), rel=1e-9, abs=1e-15)
        if cost == "log-likelihood":
            assert [mats.delta[1][j][x] for j in range(3)] == pytest.approx(
                [float(a3[j] - y[j]) for j in range(3)], rel=1e-9, abs=1e-15)
    bp1 = [s for s in w.layers.samples[0].steps if s.label == "BP1"]
    assert _text(bp1[0]).startswith("(∂a³/∂z³)ᵀ (3×3) · ∇ₐC (3)" if convention == "nielsen"
                                    else "∇ₐC (3) · ∂a³/∂z³ (3×3)")
    if cost == "log-likelihood":
        assert _text(bp1[1]) == "a³ (3) − y (3) = δ³ (3)"
        batch = next(s for s in w.layers.batch if s.label == "BP1")
        shape = "(3×4)" if convention == "nielsen" else "(4×3)"
        assert _text(batch) == f"A³ {shape} − Y {shape} = Δ³ {shape}"
