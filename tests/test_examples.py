"""The tutorial scripts in examples/: each runs as a student would run it, and the numbers
it prints are compared with values computed here independently (by hand, with
sympy.diff of the composed function, or with a separate implementation)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

EXAMPLES = Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("[0-9][0-9]_*.py"))


def run(script: str, cwd: Path, *args: str, pythonpath: str | None = None) -> str:
    """Run an example as ``python examples/NAME.py`` and return what it printed."""
    env = {**os.environ, "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    env.pop("FORCE_COLOR", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def number(text: str) -> float:
    """A printed value as a float: ``24``, ``1/2``, ``4·cos(2) + 4·sin(2) ≈ 1.97``, ``1,068``."""
    if "≈" in text:
        text = text.rsplit("≈", 1)[1]
    return float(sympy.sympify(text.strip().replace(",", "").replace("·", "*").replace("^", "**")))


def sums(output: str) -> dict[str, float]:
    """The ``sum: dy/dx = … = value`` lines of the paths sections: derivative → value."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s*sum: (d\S+/d\S+) = (.*)$", line)
        if match:
            found[match[1]] = number(match[2].rsplit(" = ", 1)[-1])
    return found


def six(value: float) -> str:
    """A float as the tutorials print it (6 significant digits)."""
    return f"{value + 0.0:.6g}"


def test_there_are_eight_tutorials_with_docstrings():
    assert len(SCRIPTS) == 8, SCRIPTS
    for script in SCRIPTS:
        text = (EXAMPLES / script).read_text(encoding="utf-8")
        assert text.startswith('"""'), f"{script} has no module docstring"
        assert "What it teaches" in text.split('"""')[1], script
        assert "import symbp" in text, script


def test_01_chain_sum_and_product_rules(tmp_path):
    out = run("01_chain_rule.py", tmp_path)
    x = sympy.Symbol("x")
    chain = sympy.diff((x**2 + 1) ** 3, x).subs(x, 1)
    sum_rule = sympy.diff(x**3 + x**2, x).subs(x, 2)
    product = sympy.diff(x**2 * sympy.sin(x), x).subs(x, 2)
    assert (chain, sum_rule) == (24, 16)
    values = [v for k, v in _all_sums(out) if k == "dy/dx"]
    assert values[:2] == [24, 16]
    assert values[2] == pytest.approx(float(product), abs=1e-9)
    # the chain rule is one path with three local partials: 2x·1·3b² = 2·1·12
    assert "dy/dx: 1 path" in out and "2·1·12 = 24" in out
    # the sum rule's two paths 3x² = 12 and 2x = 4; the product rule's partials b and a
    assert "12·1 = 12" in out and "4·1 = 4" in out
    assert "∂y/∂a = b" in out and "∂y/∂b = a" in out and "product rule" in out
    assert "12 of 12 passed" in out


def _all_sums(output: str) -> list[tuple[str, float]]:
    found = []
    for line in output.splitlines():
        match = re.match(r"\s*sum: (d\S+/d\S+) = (.*)$", line)
        if match:
            found.append((match[1], number(match[2].rsplit(" = ", 1)[-1])))
    return found


def test_02_two_paths_sum_to_sympy_diff_of_the_composition(tmp_path):
    out = run("02_two_dimensions.py", tmp_path)
    t = sympy.Symbol("t")
    composed = sympy.cos(t) * sympy.sin(t)  # z(x(t), y(t)) written out by hand
    expected = sympy.diff(composed, t)
    assert expected.subs(t, sympy.pi / 6) == sympy.Rational(1, 2)
    assert sums(out)["dz/dt"] == 0.5
    assert "dz/dt: 2 paths" in out
    # the two products: dx/dt·∂z/∂x = −sin(t)·sin(t) and dy/dt·∂z/∂y = cos(t)·cos(t)
    assert "t → x → z:  ∂z/∂x·dx/dt = y·(-sin(t)) = (1/2)·(-1/2) = -1/4" in out
    assert "t → y → z:  ∂z/∂y·dy/dt = x·cos(t) = (sqrt(3)/2)·(sqrt(3)/2) = 3/4" in out
    assert "dz/dt = -1/4 + 3/4 = 1/2" in out
    printed = re.search(r"in the input: dz/dt = (.*?); at t = π/6", out)[1]
    formula = sympy.sympify(printed.replace("^", "**"))
    assert sympy.simplify(formula - expected) == 0


def test_03_canonical_graph_values_partials_and_both_modes(tmp_path):
    out = run("03_computational_graph.py", tmp_path)
    # by hand: c = a + b = 3, d = b + 1 = 2, e = c·d = 6
    for node, formula, value in (("c", r"a \+ b", 3), ("d", r"b \+ 1", 2), ("e", "c·d", 6)):
        assert re.search(rf"^\s*{node}\s+{formula}\s+{value}\b", out, flags=re.M), node
    for partial in ("∂c/∂a = 1", "∂c/∂b = 1", "∂d/∂b = 1", "∂e/∂c = d       2",
                    "∂e/∂d = c       3"):
        assert partial in out
    assert sums(out) == {"de/da": 2, "de/db": 5}
    assert "b → c → e   ∂c/∂b·∂e/∂c = 1·d = d = 1·2 = 2" in out
    assert "b → d → e   ∂d/∂b·∂e/∂d = 1·c = c = 1·3 = 3" in out
    assert "result: de/db = c + d = 5" in out
    assert "gradient: de/da = d = b + 1 = 2,  de/db = c + d = a + 2·b + 1 = 5" in out
    # the table of what one sweep gives: forward from b, reverse from e
    rows = {node: (tangent, int(adjoint)) for node, tangent, adjoint in re.findall(
        r"^([a-e])\s+(not reached|\d+)\s+(\d+)\s*$", out, flags=re.M)}
    assert rows == {"a": ("not reached", 2), "b": ("1", 5), "c": ("1", 2), "d": ("1", 3),
                    "e": ("5", 1)}
    assert out.count("✓") == 4


def neuron_forward_and_reverse_ops(n: int) -> tuple[int, int]:
    """Counted by hand for C = (σ(w₁x₁ + … + wₙxₙ + b) − y)²/2 built as a chain of sums.

    Reverse: one multiplication per edge not into C (no node feeds two others, so no
    additions).  Forward: a sweep per input, one multiplication per edge after the first
    (the seed's) on its single path to C.
    """
    edges = 2 * n + 2 * (n - 1) + 2 + 1 + 2 + 1 + 1
    reverse = edges - 1
    tail = 4  # z → σ(z) → σ(z) − y → (…)² → C
    forward = 0
    for i in range(1, n + 1):  # w_i and x_i: w·x, then the sums up to z, then the tail
        sums_to_z = 1 if n == 1 else (n - max(i, 2) + 1) + 1
        forward += 2 * (sums_to_z + tail)
    forward += tail  # b: b → z is the seed's edge
    forward += 2  # y: y → f is the seed's edge; then f → g → C
    return forward, reverse


def test_04_forward_repeats_products_and_costs_more(tmp_path):
    out = run("04_forward_vs_reverse.py", tmp_path)
    assert re.search(r"^c → e\s+a, b\s+2\s+1\s*$", out, flags=re.M)
    assert "In all, 1 edge product is made again" in out
    # the neuron with two weights: the tail edges are crossed by 6 and 5 forward sweeps
    assert re.search(r"^g → C\s+w₁, x₁, w₂, x₂, b, y\s+6\s+1\s*$", out, flags=re.M)
    assert re.search(r"^z → e\s+w₁, x₁, w₂, x₂, b\s+5\s+1\s*$", out, flags=re.M)
    assert re.search(r"forward mode, 6 sweeps\s+30\s+0\s+30", out)
    assert re.search(r"reverse sweep, 1 sweep\s+12\s+0\s+12", out)
    table = re.findall(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+([\d,]+)\s+([\d,]+)\s+([\d.]+)×\s*$", out,
                       flags=re.M)
    assert [int(row[0]) for row in table] == [1, 2, 4, 8, 16, 32]
    for n, inputs, edges, forward, reverse, _ in table:
        n = int(n)
        assert int(inputs) == 2 * n + 2
        assert int(edges) == 4 * n + 5
        assert (number(forward), number(reverse)) == neuron_forward_and_reverse_ops(n)


def explosion_counts(depth: int) -> dict[str, int]:
    """Counted by hand for x_k = w_k·x_{k−1} + sin(x_{k−1}), k = 1..depth (5 edges a layer)."""
    n = depth
    paths = {"x0": (2**n, 2 * n)}  # input → (number of paths, edges on each)
    paths.update({f"w{k}": (2 ** (n - k), 2 + 2 * (n - k)) for k in range(1, n + 1)})
    path_sum = sum(count * (length - 1) + count - 1 for count, length in paths.values())
    forward = (4 * n - 2 + n) + sum(1 + 5 * (n - k) for k in range(1, n + 1))
    reverse = (5 * n - 2) + n  # a product per edge not into the output; an addition per fork
    return {"from x0": 2**n, "paths": sum(c for c, _ in paths.values()), "path sum": path_sum,
            "forward": forward, "reverse": reverse}


def _explosion_table(out: str) -> dict[int, list[int]]:
    rows = re.findall(r"^\s*(\d+)" + r"\s+([\d,]+)" * 6 + r"\s*$", out, flags=re.M)
    return {int(r[0]): [int(v.replace(",", "")) for v in r[1:]] for r in rows}


def test_05_path_explosion_table_and_plot(tmp_path):
    out = run("05_path_explosion.py", tmp_path)
    assert "dx₂/dx₀: 4 paths" in out and "dx₂/dw₁: 2 paths" in out
    table = _explosion_table(out)
    assert sorted(table) == list(range(1, 21))
    for depth, (inputs, from_x0, paths, path_sum, forward, reverse) in table.items():
        expected = explosion_counts(depth)
        assert inputs == depth + 1
        assert (from_x0, paths, path_sum, forward, reverse) == (
            expected["from x0"], expected["paths"], expected["path sum"], expected["forward"],
            expected["reverse"]), depth
    assert table[20][1] == 1_048_576 and table[20][5] == 118
    picture = tmp_path / "path_explosion.png"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "count (log scale)" in out and not picture.exists()
    else:
        assert f"plot saved to {picture.name}" in out
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_05_terminal_chart_without_matplotlib(tmp_path):
    hidden = tmp_path / "hide"
    (hidden / "matplotlib").mkdir(parents=True)
    (hidden / "matplotlib" / "__init__.py").write_text("raise ImportError('hidden')\n")
    out = run("05_path_explosion.py", tmp_path, pythonpath=str(hidden))
    assert "matplotlib is not installed" in out
    chart = out[out.index("count (log scale)"):]
    lines = chart.splitlines()
    assert any(line.startswith("  10^6 ┤") for line in lines)
    assert "● paths (all inputs)   f forward mode   r reverse sweep" in chart
    # at depth 20 (the last column) the paths are at 2·10^6 (level 12.6 → 13), the
    # reverse sweep at 118 (level 4.1 → 4): on the rows of 10^6.5 and 10^2
    last = 8 + 3 * 19 + 1
    by_label = {line[:6].strip(): line for line in lines if "┤" in line}
    assert by_label["10^2"][last] == "r"
    assert not (tmp_path / "path_explosion.png").exists()


# -- the network of examples 6 and 7, computed independently with sympy ------------------------

W2 = [[0.5, -0.4], [0.3, 0.8]]
B2 = [0.1, -0.2]
W3 = [[0.6, -0.7]]
B3 = [0.05]
OR = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 1)]
PARAMS = sympy.symbols("w2_11 w2_12 w2_21 w2_22 b2_1 b2_2 w3_11 w3_12 b3_1")


def cost_expression(x, y):
    """½(y − a³)² of the 2-2-1 sigmoid network, written out in its nine parameters."""
    w211, w212, w221, w222, b21, b22, w311, w312, b31 = PARAMS
    s = lambda z: 1 / (1 + sympy.exp(-z))  # noqa: E731
    a21 = s(w211 * x[0] + w212 * x[1] + b21)
    a22 = s(w221 * x[0] + w222 * x[1] + b22)
    a3 = s(w311 * a21 + w312 * a22 + b31)
    return (y - a3) ** 2 / 2


def start() -> list[float]:
    return [W2[0][0], W2[0][1], W2[1][0], W2[1][1], B2[0], B2[1], W3[0][0], W3[0][1], B3[0]]


def gradient_function(x, y):
    cost = cost_expression(x, y)
    return (sympy.lambdify(PARAMS, cost, "math"),
            sympy.lambdify(PARAMS, [sympy.diff(cost, p) for p in PARAMS], "math"))


def test_06_one_sample_through_bp1_to_bp4(tmp_path):
    out = run("06_network.py", tmp_path)
    cost, grad = gradient_function((1.0, 0.5), 1.0)
    point = start()
    g = grad(*point)
    c = cost(*point)
    # ∂C/∂b = δ (BP3), ∂C/∂w = a·δ (BP4): sympy.diff of the cost gives both
    delta3, delta21, delta22 = g[8], g[4], g[5]
    assert f"C = ½ Σⱼ (yⱼ − a³ⱼ)² = ½(1 − 0.493373)² = {six(c)}" in out
    assert re.search(rf"BP1  δ³₁ = .*= {re.escape(six(delta3))}\s", out)
    assert re.search(rf"BP2  δ²₁ = .*= {re.escape(six(delta21))}\s", out)
    assert f"= {six(delta22)}" in out
    assert re.search(rf"∂C/∂w³₁₁\s+= a²₁·δ³₁\s+= .* = {re.escape(six(g[6]))}", out)
    assert re.search(rf"∂C/∂w²₁₂\s+= x₂·δ²₁\s+= .* = {re.escape(six(g[1]))}", out)
    # one SGD step with η = 2 on b³₁
    assert re.search(rf"b³₁\s+{six(g[8])}\s+0.05\s+{six(0.05 - 2 * g[8])}", out)
    for label in ("Notation", "BP1", "BP2", "BP3", "BP4", "Forward pass", "Backward pass"):
        assert label in out
    assert "✗" not in out and "FAILED" not in out


def test_07_batch_average_update_and_training(tmp_path):
    out = run("07_batch_sgd.py", tmp_path)
    functions = [gradient_function(x, y) for x, y in OR]

    def batch(point):
        costs = [cost(*point) for cost, _ in functions]
        grads = [grad(*point) for _, grad in functions]
        mean = [math.fsum(g[i] for g in grads) / len(grads) for i in range(len(PARAMS))]
        return math.fsum(costs) / len(costs), grads, mean

    point = start()
    c0, grads, mean = batch(point)
    assert f"= {six(c0)}\n" in out
    # the per-sample row and the mean of w³₁₁ (index 6) and b²₁ (index 4)
    for index, label in ((6, "w³₁₁"), (4, "b²₁")):
        row = "\\s+".join([label, *(re.escape(six(g[index])) for g in grads),
                           re.escape(six(mean[index]))])
        assert re.search(row, out), label
    # the update: after = before − η·mean, η = 2
    after = [p - 2.0 * m for p, m in zip(point, mean, strict=True)]
    assert re.search(rf"b³₁\s+0.05\s+{re.escape(six(-2 * mean[8]))}\s+{re.escape(six(after[8]))}",
                     out)
    c1 = batch(after)[0]
    assert f"The cost goes from C = {six(c0)} to C = {six(c1)}." in out
    # full-batch gradient descent for 200 epochs, independently
    costs = [c0]
    for _ in range(200):
        point = [p - 2.0 * m for p, m in zip(point, batch(point)[2], strict=True)]
        costs.append(batch(point)[0])
    curve = {int(e): [float(v) for v in vs] for e, *vs in re.findall(
        r"^(\d+)\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)\s*$", out, flags=re.M)}
    assert sorted(curve) == [0, 1, 2, 5, 10, 20, 50, 100, 200]
    for epoch, columns in curve.items():
        assert six(columns[0]) == six(costs[epoch]), epoch
    full = [curve[e][0] for e in sorted(curve)]
    assert full == sorted(full, reverse=True)  # the cost goes down at every shown epoch
    for column in (1, 2):  # SGD with mini-batches: lower than it started, and lower still
        assert curve[200][column] < curve[0][column] / 10
    assert "25 of 25 passed" in out  # 5 walkthroughs × 5 checks (the layer view's too)


def test_08_explains_a_pytorch_model_with_pytorchs_own_gradient(tmp_path):
    """The example's numbers are those of PyTorch's backward(), computed here; without
    PyTorch the example says it needs it and stops."""
    out = run("08_pytorch_model.py", tmp_path)
    try:
        import torch
    except ImportError:
        assert out.strip() == "skipped: this example needs PyTorch: pip install 'symbp[torch]'"
        return
    torch.manual_seed(8)  # the example's model, built again
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 3, dtype=torch.float64), torch.nn.Tanh(),
        torch.nn.Linear(3, 3, dtype=torch.float64), torch.nn.Softmax(dim=-1))
    x = torch.tensor([[0.5, -1.0], [-0.25, 0.75]], dtype=torch.float64)
    loss = torch.nn.functional.nll_loss(torch.log(model(x)), torch.tensor([2, 0]))
    loss.backward()
    assert f"C = (0.679781 + 1.20419)/2 = {six(loss.item())}" in out
    for j in range(3):  # the batch table: b³ⱼ, 2 samples, the mean, before, after (η = 0.5)
        b, g = model[2].bias[j].item(), model[2].bias.grad[j].item()
        assert re.search(rf"b³{'₁₂₃'[j]}\s+\S+\s+\S+\s+{re.escape(six(g))}\s+"
                         rf"{re.escape(six(b))}\s+"
                         rf"{re.escape(six(b - 0.5 * g))}", out), j
    w, g = model[0].weight[1, 0].item(), model[0].weight.grad[1, 0].item()
    assert re.search(rf"w²₂₁\s+\S+\s+\S+\s+{re.escape(six(g))}\s+{re.escape(six(w))}", out)
    assert "δ³₁ = a³₁ − y₁" in out and "fit together" not in out  # the walkthrough's BP1
    assert "with the log-likelihood and a one-hot y it is δ³ = a³ − y" in " ".join(out.split())
    # the layer view too, in PyTorch's layout: Z² is nn.Linear's output for the batch (a
    # sample per row), the batch's ∂C/∂W³ = (1/2) (Δ³)ᵀ · A² is weight.grad, row by row
    assert "Layer by layer, in matrix form  (pytorch convention)" in out
    layers = out[out.index("Layer by layer, in matrix form"):]
    forward = layers[layers.index("The batch of 2 samples"):]
    forward = forward[:forward.index("activation")]
    z = model[0](x).detach()
    for i in range(2):
        assert re.search(r"\s+".join(re.escape(six(v)) for v in z[i].tolist()), forward), i
    bp4 = layers[layers.index("(1/2) (Δ³)ᵀ (3×2) · A² (2×3) = ∂C/∂W³ (3×3)"):]
    bp4 = bp4[:bp4.index("BP3")]
    for j in range(3):
        row = model[2].weight.grad[j].tolist()
        assert re.search(r"\s+".join(re.escape(six(v)) for v in row), bp4), j
    largest = re.search(r"largest difference in either is (\S+)\.", " ".join(out.split()))
    assert float(largest.group(1)) < 1e-12
    assert "✗" not in out and "FAILED" not in out


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_example_fits_80_columns_and_pastes_cleanly(script, tmp_path):
    """What a student sees in an 80-column terminal: no line longer than that, and no
    blanks at line ends (rich pads tables to the width) for a tutorial author to paste."""
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    too_long = [line for line in done.stdout.splitlines() if len(line) > 80]
    assert not too_long, too_long[:3]
    padded = [line for line in done.stdout.splitlines() if line != line.rstrip()]
    assert not padded, padded[:3]
