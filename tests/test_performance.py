"""Regression guards for symbp's cost, by counting operations (never by wall-clock time).

Backpropagation's point is that the reverse sweep uses each edge once, where the sum
over paths uses it once per path.  These tests count what symbp actually does —
rule evaluations, multiplications, edge visits, names rendered, modules imported — so
they pass or fail the same way on a fast or a busy machine.  The timings themselves
are in ``benchmarks/`` (``python benchmarks/run.py``).
"""

from __future__ import annotations

import importlib
import math
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest
import sympy
from counting import counting_rules, random_graph

import symbp
from symbp.core.cost import cost
from symbp.core.graph import Graph, Node
from symbp.core.paths import count_paths, iter_paths
from symbp.core.reverse import reverse_sweep
from symbp.network.backprop import backprop, batch_backprop, batch_gradient
from symbp.network.functions import ACTIVATIONS, COSTS
from symbp.network.model import Network, Sample


def diamond_chain(depth: int) -> Graph:
    """v₀ = x·y, vᵢ = sin(vᵢ₋₁)·cos(vᵢ₋₁): 3·depth + 3 nodes, 2^(depth+1) paths in all."""
    nodes = [Node("x"), Node("y"), Node("v_0", "mul", ("x", "y"))]
    for i in range(1, depth + 1):
        prev = f"v_{i - 1}"
        nodes += [Node(f"s_{i}", "sin", (prev,)), Node(f"c_{i}", "cos", (prev,)),
                  Node(f"v_{i}", "mul", (f"s_{i}", f"c_{i}"))]
    return Graph(nodes, f"v_{depth}")


class CountingLookups(dict):
    """A graph's ``in_edges``/``out_edges`` that counts the edges it hands out."""

    visited = 0

    def __getitem__(self, name):
        edges = super().__getitem__(name)
        self.visited += len(edges)
        return edges


def count_lookups(graph: Graph, attribute: str) -> CountingLookups:
    counting = CountingLookups(getattr(graph, attribute))
    graph.__dict__[attribute] = counting  # replaces the cached_property's value
    return counting


# -- the reverse sweep: each edge exactly once ----------------------------------------------------

class Tracked(float):
    """A local partial that counts the multiplications it takes part in."""

    products = 0

    def __mul__(self, other):
        Tracked.products += 1
        return float(self) * other

    __rmul__ = __mul__


@pytest.mark.parametrize("depth", [10, 40])
def test_reverse_sweep_asks_each_local_partial_once(depth):
    graph = diamond_chain(depth)
    asked = Counter()

    def partial(edge):
        asked[edge] += 1
        return Tracked(0.5)

    Tracked.products = 0
    steps, _ = reverse_sweep(graph, partial, seed=1.0)
    assert asked == Counter(graph.edges)  # every edge, each exactly once
    assert Tracked.products == len(graph.edges)  # one multiplication per edge
    assert [s.edge for s in steps] == [e for n in reversed(graph.nodes)
                                       for e in graph.in_edges[n.name]]
    # while the sum over paths multiplies along 2^(depth+1) paths
    assert count_paths(graph, "x") + count_paths(graph, "y") == 2 ** (depth + 1)
    assert cost(graph).reverse.mul <= len(graph.edges) < cost(graph).paths.mul


@pytest.mark.parametrize("depth, form", [(30, "nodes"), (9, "inputs")])
def test_symbolic_gradient_builds_each_node_and_partial_once(monkeypatch, depth, form):
    calls = counting_rules(monkeypatch)
    graph = diamond_chain(depth)  # 2^31 paths: one evaluation per path would never finish
    result = symbp.gradient(graph, check=False, backend="sympy")  # the sweep alone, in SymPy
    assert result.form == form  # 61 levels deep: in node names; 19: written out
    operations = [n for n in graph.nodes if not n.is_input]
    values = sum(v for (op, what), v in calls.items() if what == "value")
    partials = sum(v for (op, what), v in calls.items() if what != "value")
    # in node names the partials take the operands' names: no node is written out
    assert values == (len(operations) if form == "inputs" else 0)
    assert partials == len(graph.edges)
    assert set(result) == {"x", "y"}


@pytest.mark.parametrize("lines", [200, 2000])
def test_float_gradient_evaluates_each_edge_once(monkeypatch, lines):
    import symbp.core.evaluate
    import symbp.core.partials
    import symbp.core.reverse
    from symbp.core.numeric import float_rule

    calls = Counter()

    def counting_float_rule(op):
        value, partials = float_rule(op)

        def count(fn, key):
            def wrapper(*args):
                calls[key] += 1
                return fn(*args)
            return wrapper

        return count(value, "value"), tuple(count(p, "partial") for p in partials)

    monkeypatch.setattr(symbp.core.partials, "float_rule", counting_float_rule)
    monkeypatch.setattr(symbp.core.evaluate, "float_rule", counting_float_rule)
    monkeypatch.setattr(symbp.core.reverse, "float_rule", counting_float_rule)
    graph = random_graph(lines)
    point = {x: 0.5 + 0.1 * i for i, x in enumerate(graph.inputs)}
    symbp.gradient(graph, at=point, check=False)  # the sweep alone
    assert calls["partial"] == len(graph.edges)  # 5 per line, whatever the size
    assert calls["value"] == len(graph.nodes) - len(graph.inputs)


# -- paths: counted by dynamic programming, enumerated lazily --------------------------------------

def test_count_paths_beyond_2_to_the_200_visits_each_edge_once():
    graph = diamond_chain(200)
    lookups = count_lookups(graph, "in_edges")
    assert count_paths(graph, "x") == 2**200
    assert lookups.visited == len(graph.edges)  # O(edges), never O(paths)


def test_first_paths_come_without_enumerating_the_rest():
    graph = diamond_chain(200)
    lookups = count_lookups(graph, "out_edges")
    first = [path for path, _ in zip(iter_paths(graph, "x"), range(10), strict=False)]
    assert len(first) == 10 and len({p for p in first}) == 10
    assert all(len(p) == 1 + 2 * 200 for p in first)
    # the first path walks down once; the next nine each backtrack a few edges
    assert lookups.visited <= 2 * len(first[0]) + 10 * 8


# -- rendering: only what is shown ------------------------------------------------------------

def test_long_paths_are_rendered_from_their_ends(monkeypatch):
    import symbp.render.terminal.explain_pieces as terminal

    graph = diamond_chain(100)
    ex = symbp.explain(graph, at={"x": 0.7, "y": 1.1}, sections=["paths"], max_paths=8)
    named = Counter()
    real_name = terminal.name

    def counting_name(text):
        named[text] += 1
        return real_name(text)

    monkeypatch.setattr(terminal, "name", counting_name)
    text = str(ex)
    shown = [t for info in ex.paths.values() for t in info.shown]
    assert len(shown) == 16 and all(len(t.edges) == 201 for t in shown)
    assert "product of 201 local partials" in text
    # a few names per path, not one per node: 16 paths × 201 edges would be 3,000+
    assert sum(named.values()) < 200
    # nor is the symbolic product of 201 partials built when only its value is shown
    assert all("product" not in vars(t) for t in shown)
    assert shown[0].product == sympy.Mul(*shown[0].factors)


# -- start-up: what `symbp explain` does not need is not imported; the exit is cheap ----------

def test_import_leaves_networks_and_publishing_renderers_for_later():
    code = ("import sys, symbp.cli; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('symbp'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded = set(done.stdout.split())
    for lazy in ("symbp.network.model", "symbp.network.functions", "symbp.network.backprop",
                 "symbp.network.train", "symbp.network.records", "symbp.network.derive",
                 "symbp.network.equations", "symbp.network.graph", "symbp.network.checks",
                 "symbp.network.steps", "symbp.network.tables", "symbp.network.spec",
                 "symbp.render.latex", "symbp.render.tex.math", "symbp.render.tex.document",
                 "symbp.render.tex.explain_chains", "symbp.render.tex.explain_document",
                 "symbp.render.dot", "symbp.render.markdown", "symbp.render.python"):
        assert lazy not in loaded
    assert "symbp.explanation.derive" in loaded
    # and the curated API still has every name
    assert all(hasattr(symbp, name) for name in symbp.__all__)
    assert set(symbp.__all__) <= set(dir(symbp))
    with pytest.raises(AttributeError):
        symbp.no_such_name  # noqa: B018


EXPLAIN_IN_PROCESS = """
import gc, sys
from symbp.cli import main
sys.argv = ["symbp", "explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1"]
try:
    main()
except SystemExit as done:
    code = done.code
print("EXIT", code, "FROZEN", gc.get_freeze_count())
print("MODULES", " ".join(sorted(sys.modules)))
"""


def test_explain_command_loads_neither_pydantic_nor_rich_tables():
    done = subprocess.run([sys.executable, "-c", EXPLAIN_IN_PROCESS], capture_output=True,
                          text=True, check=True)
    lines = done.stdout.splitlines()
    loaded = set(lines[-1].split()[1:])
    # typer ≥ 0.29 would import pydantic to coerce the options (~90 ms); the explanation's
    # tables fit the console, so rich's Table (and its measuring) is never needed
    for heavy in ("pydantic", "numpy", "rich.table", "rich.padding", "symbp.network.model",
                  "symbp.render.latex"):
        assert heavy not in loaded
    assert "✓ reverse == sympy.diff" in done.stdout
    # main() ends the process with the survivors frozen: no exit-time walk over SymPy's
    # import-time objects (a fresh interpreter has nothing frozen)
    exit_code, frozen = lines[-2].split()[1], int(lines[-2].split()[3])
    assert exit_code in ("0", "None") and frozen > 10_000


@pytest.mark.parametrize(("program", "code", "shown"), [
    ("e=(a+b)*(b+1)", 0, "✓ reverse == finite differences"),
    ("e=(a+b", 1, "error: "),
])
def test_console_script_keeps_its_output_and_exit_code(program, code, shown):
    done = subprocess.run([sys.executable, "-m", "symbp", "explain", program, "--at",
                           "a=2,b=1"], capture_output=True, text=True)
    assert done.returncode == code
    assert shown in (done.stdout if code == 0 else done.stderr)
    if code:
        assert "Traceback" not in done.stderr and done.stdout == ""


def test_sigmoid_of_a_symbolic_sum_asks_no_assumptions(monkeypatch):
    # the module (sympy.core.assumptions the attribute is a function of the same name)
    assumptions = importlib.import_module("sympy.core.assumptions")

    w = sympy.symbols("w_1:9", real=True, cls=sympy.Dummy)
    a = sympy.symbols("a_1:9", real=True, cls=sympy.Dummy)
    z = sympy.Add(*(wi * ai for wi, ai in zip(w, a, strict=True)))
    asked = Counter()
    real_ask = assumptions._ask

    def counting_ask(fact, obj):
        asked[fact] += 1
        return real_ask(fact, obj)

    monkeypatch.setattr(assumptions, "_ask", counting_ask)
    s = symbp.sigmoid(z)
    assert not asked  # deducing "is z zero?" for a big sum costs milliseconds each time
    assert isinstance(s, symbp.sigmoid)
    monkeypatch.undo()
    assert symbp.sigmoid(sympy.S.Zero) == sympy.Rational(1, 2)
    assert symbp.sigmoid(sympy.Symbol("z", zero=True)) == sympy.Rational(1, 2)
    assert symbp.sigmoid(sympy.sin(1) - sympy.sin(1)) == sympy.Rational(1, 2)


# -- networks: the fast layer-level loops give the very same floats ------------------------------

def reference_backprop(network: Network, sample: Sample):
    """BP1–BP4 written plainly, one generator per sum (the formulas as in Nielsen)."""
    act, cost_ = ACTIVATIONS[network.activation], COSTS[network.cost]
    zs, acts, a = [], [], sample.x
    for w, b in zip(network.weights, network.biases, strict=True):
        z = tuple(sum(w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)) + b_j
                  for row, b_j in zip(w, b, strict=True))
        a = tuple(act.value(z_j) for z_j in z)
        zs.append(z)
        acts.append(a)
    sp = [tuple(act.derivative(z_j) for z_j in z) for z in zs]
    deltas = [tuple(g * s for g, s in zip(cost_.gradient(a, sample.y), sp[-1], strict=True))]
    for i in range(len(zs) - 2, -1, -1):
        w_next, d_next = network.weights[i + 1], deltas[0]
        back = tuple(sum(w_next[k][j] * d_next[k] for k in range(len(d_next)))
                     for j in range(len(zs[i])))
        deltas.insert(0, tuple(v * s for v, s in zip(back, sp[i], strict=True)))
    inputs = (sample.x, *acts[:-1])
    grad_w = tuple(tuple(tuple(a_k * d_j for a_k in a_prev) for d_j in d)
                   for d, a_prev in zip(deltas, inputs, strict=True))
    return tuple(zs), tuple(acts), tuple(deltas), grad_w


def random_network_and_samples(rng: random.Random, activation: str, cost_name: str,
                               count: int) -> tuple[Network, list[Sample]]:
    """A [3, 5, 4, 2] network with uniform random parameters, and ``count`` samples."""
    layers = (3, 5, 4, 2)
    weights = tuple(tuple(tuple(rng.uniform(-1, 1) for _ in range(m)) for _ in range(n))
                    for m, n in pairwise(layers))
    biases = tuple(tuple(rng.uniform(-1, 1) for _ in range(n)) for n in layers[1:])
    samples = [Sample(tuple(rng.uniform(-1, 1) for _ in range(3)),
                      tuple(rng.uniform(0.1, 0.9) for _ in range(2))) for _ in range(count)]
    return Network(layers, activation, cost_name, weights, biases), samples


@pytest.mark.parametrize(("activation", "cost_name"), [
    *((activation, "quadratic") for activation in sorted(ACTIVATIONS)
      if ACTIVATIONS[activation].elementwise),  # a softmax layer: tests/network
    ("sigmoid", "cross-entropy"),  # cross-entropy needs outputs in (0, 1)
])
def test_backprop_floats_are_bitwise_those_of_the_plain_formulas(activation, cost_name):
    assert cost_name in COSTS
    rng = random.Random(sum(map(ord, activation + cost_name)))
    network, samples = random_network_and_samples(rng, activation, cost_name, 5)
    results = [backprop(network, s) for s in samples]
    for r, s in zip(results, samples, strict=True):
        zs, acts, deltas, grad_w = reference_backprop(network, s)
        assert (r.z, r.a, r.delta, r.grad_w) == (zs, acts, deltas, grad_w)
    _, grad_w, grad_b = batch_gradient(results)
    assert grad_b == tuple(tuple(math.fsum(r.grad_b[i][j] for r in results) / 5
                                 for j in range(len(layer)))
                           for i, layer in enumerate(results[0].grad_b))
    assert grad_w[0][0][0] == math.fsum(r.grad_w[0][0][0] for r in results) / 5


@pytest.mark.parametrize(("activation", "cost_name"), [
    *((activation, "quadratic") for activation in sorted(ACTIVATIONS)
      if ACTIVATIONS[activation].elementwise),  # a softmax layer: tests/network
    ("sigmoid", "cross-entropy"),
])
@pytest.mark.parametrize("size", [1, 3, 12])
def test_batch_backprop_floats_are_bitwise_those_of_the_plain_formulas(activation, cost_name,
                                                                       size):
    rng = random.Random(size + sum(map(ord, activation + cost_name)))
    network, samples = random_network_and_samples(rng, activation, cost_name, size)
    plain = [reference_backprop(network, s) for s in samples]
    cost_ = COSTS[cost_name]
    expected_cost = math.fsum(cost_.value(acts[-1], s.y)
                              for (_, acts, _, _), s in zip(plain, samples, strict=True)) / size
    expected_w = tuple(tuple(tuple(math.fsum(p[3][i][j][k] for p in plain) / size
                                   for k in range(m))
                             for j in range(n))
                       for i, (m, n) in enumerate(pairwise(network.layers)))
    expected_b = tuple(tuple(math.fsum(p[2][i][j] for p in plain) / size for j in range(n))
                       for i, n in enumerate(network.layers[1:]))
    assert batch_backprop(network, samples) == (expected_cost, expected_w, expected_b)


def test_batch_backprop_evaluates_each_neuron_once_per_sample_and_no_matrix(monkeypatch):
    import symbp.network.backprop

    calls = Counter()

    def counted(fn, key):
        def wrapper(z):
            calls[key] += 1
            return fn(z)
        return wrapper

    sigmoid = ACTIVATIONS["sigmoid"]
    monkeypatch.setitem(ACTIVATIONS, "sigmoid", replace(
        sigmoid, value=counted(sigmoid.value, "σ"), derivative=counted(sigmoid.derivative, "σ'")))

    def no_outer(*args):
        raise AssertionError("a per-sample ∂C/∂w matrix was built")

    monkeypatch.setattr(symbp.network.backprop, "outer", no_outer)
    rng = random.Random(0)
    layers = (2, 16, 16, 1)
    network = Network(layers, "sigmoid", "quadratic",
                      tuple(tuple(tuple(rng.uniform(-1, 1) for _ in range(m)) for _ in range(n))
                            for m, n in pairwise(layers)),
                      tuple(tuple(rng.uniform(-1, 1) for _ in range(n)) for n in layers[1:]))
    samples = [Sample((rng.uniform(-1, 1), rng.uniform(-1, 1)), (0.5,)) for _ in range(100)]
    batch_backprop(network, samples)
    assert calls == {"σ": 100 * 33, "σ'": 100 * 33}  # 33 neurons with a z, once per sample
