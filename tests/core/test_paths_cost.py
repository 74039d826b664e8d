"""Paths are counted by dynamic programming and enumerated lazily; costs are exact counts."""

from __future__ import annotations

import itertools
from collections import Counter

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symbp
from symbp.core.cost import cost
from symbp.core.forward import forward_sweep
from symbp.core.graph import Graph, Node
from symbp.core.paths import count_paths, edge_uses, iter_paths


def doubling_chain(depth: int) -> str:
    """x_{k+1} = x_k * x_k: two edges per level, so 2^depth paths from x0."""
    return "\n".join(f"x{k + 1} = x{k} * x{k}" for k in range(depth))


def diamond(depth: int) -> str:
    """Each level reads the previous one through two branches: 2^depth paths."""
    lines = []
    for k in range(depth):
        lines += [f"p{k} = sin(x{k})", f"q{k} = cos(x{k})", f"x{k + 1} = p{k} + q{k}"]
    return "\n".join(lines)


def test_counts_are_exact_for_astronomical_path_numbers():
    graph = symbp.parse(doubling_chain(250))
    assert count_paths(graph, "x0") == 2**250
    first = list(itertools.islice(iter_paths(graph, "x0"), 10))
    assert len(first) == 10 and len(set(first)) == 10
    assert all(len(path) == 250 for path in first)


def test_path_count_matches_enumeration_on_small_graphs():
    for depth in range(1, 7):
        graph = symbp.parse(diamond(depth))
        assert count_paths(graph, "x0") == 2**depth
        assert sum(1 for _ in iter_paths(graph, "x0")) == 2**depth


def test_explaining_a_huge_path_count_lists_few_and_does_not_hang():
    ex = symbp.explain(doubling_chain(200), at="x0=1", max_paths=3, sections=["paths"])
    paths = ex.paths["x0"]
    assert paths.count == 2**200
    assert len(paths.shown) == 3
    assert paths.sum is None and paths.value is None  # too many to sum one by one
    assert ex.gradient["x0"].value == 2**200  # d/dx x^(2^200) at 1
    checks = {c.name: c for c in ex.checks}
    assert checks["paths == forward"].passed is None  # said, not hidden
    assert checks["forward == reverse"].passed is True
    assert checks["reverse == finite differences"].passed is True
    assert "more paths not shown" in str(ex)


def test_costs_of_the_diamond():
    depth = 10
    graph = symbp.parse(diamond(depth))
    counted = cost(graph)
    # reverse: 4 edges per level (x→p, x→q, p→x', q→x'), products with the seed are free
    assert counted.reverse.mul == 4 * depth - 2
    assert counted.reverse.add == depth  # x_k for k < depth joins its p and q branches
    # forward from the single input touches the same edges once
    assert counted.forward.mul == 4 * depth - 2
    # the path expansion: 2^depth paths of 2·depth edges each, 2·depth − 1 products apiece
    assert counted.paths.mul == 2**depth * (2 * depth - 1)
    assert counted.paths.add == 2**depth - 1
    uses = edge_uses(graph)
    assert max(uses.values()) == 2 ** (depth - 1)


def test_forward_mode_costs_one_sweep_per_input():
    text = "y = " + " + ".join(f"x{i}*w{i}" for i in range(5))
    counted = cost(symbp.parse(text))
    # 10 inputs → 10 forward sweeps; the reverse sweep does all at once
    assert len(counted.per_input_forward) == 10
    assert counted.forward.mul > counted.reverse.mul


def test_paths_agree_with_a_hand_count():
    """b = a + a; c = b·b: four paths from a, each a product 1·b; dc/da = 4b = 8a."""
    ex = symbp.explain("b = a + a; c = b*b", at="a=3")
    assert ex.paths["a"].count == 4
    assert ex.paths["a"].sum == 4 * sympy.Symbol("b", real=True)
    assert ex.gradient["a"].value == 24


# -- forward mode's count: one pass for every input, the same numbers as a sweep per input ----

def sweep_per_input(graph, x) -> tuple[int, int]:
    """What forward mode seeded at ``x`` does, counted on the sweep itself: one product per
    step whose carried tangent is not the seed, and k − 1 additions at a node with k steps."""
    steps, _ = forward_sweep(graph, x, lambda edge: 0.5, seed=1.0)
    mul = sum(1 for step in steps if step.edge.source != x)
    per_node = Counter(step.edge.target for step in steps)
    return mul, sum(k - 1 for k in per_node.values())


def reached_per_input(graph, x) -> tuple[int, int]:
    """The definition a pass per input used: reached incoming edges of each reached node."""
    reached, mul, add = {x}, 0, 0
    for node in graph.nodes[graph.index[x] + 1:]:
        incoming = [a for a in node.operands if a in reached]
        if incoming:
            reached.add(node.name)
            mul += len(incoming) - incoming.count(x)
            add += len(incoming) - 1
    return mul, add


@st.composite
def random_dags(draw) -> Graph:
    """Inputs and operations on earlier nodes (repeated operands and constants too)."""
    inputs = draw(st.integers(1, 70))  # past 64: masks wider than a machine word
    names = [f"x{k}" for k in range(inputs)]
    nodes = [Node(name) for name in names]
    for i in range(draw(st.integers(1, 40))):
        op = draw(st.sampled_from(["add", "mul", "sin", "sub"]))
        pick = st.sampled_from(names[-draw(st.integers(1, len(names))):])
        args = [draw(pick) for _ in range(1 if op == "sin" else 2)]
        if op != "sin" and draw(st.booleans()):
            args[draw(st.integers(0, 1))] = sympy.Integer(draw(st.integers(1, 3)))
        nodes.append(Node(f"v{i}", op, tuple(args)))
        names.append(f"v{i}")
    return Graph(nodes, names[-1])


@settings(max_examples=200, deadline=None)
@given(random_dags())
def test_forward_counts_of_all_inputs_at_once_are_each_sweeps_own(graph):
    counted = cost(graph).per_input_forward
    assert list(counted) == list(graph.inputs)
    for x in graph.inputs:
        by_sweep = sweep_per_input(graph, x)
        assert (counted[x].mul, counted[x].add) == by_sweep == reached_per_input(graph, x)


def test_forward_counts_by_hand():
    """c = a·b; d = c + a; e = d·d: from a, the products with a are free (a→c, a→d), the
    other three edges (c→d, d→e twice) one product each; d and e join 2 terms each."""
    counted = cost(symbp.parse("c = a*b; d = c + a; e = d*d")).per_input_forward
    assert (counted["a"].mul, counted["a"].add) == (3, 2)
    # from b: b→c free; c→d and d→e twice; d has one reached operand (c), e two (d, d)
    assert (counted["b"].mul, counted["b"].add) == (3, 1)
