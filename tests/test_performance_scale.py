"""Linear scaling guards (issue 16), by counting operations, never by wall-clock time.

At 10⁶ edges every pass over a graph's nodes and every look-up in a million-entry dict
misses the processor's caches, so what grows the time per edge is the number of such
passes and look-ups.  These tests count the look-ups: node names are a ``str`` subclass
whose ``__hash__`` counts (a dict hashes its key on every look-up and insertion), and the
timings themselves are in ``benchmarks/bench_growth.py``.
"""

from __future__ import annotations

import random

import pytest

import symbp
from symbp.core.graph import Graph, Node


class Name(str):
    """A node name that counts the dict look-ups (hashes) made with it."""

    hashes = 0

    def __hash__(self) -> int:
        Name.hashes += 1
        return str.__hash__(self)


def counted_program(lines: int, seed: int = 0) -> tuple[list[Node], Name]:
    """``t_i = tanh(t_j*t_k + t_l)`` (operands from the previous 20 lines; 5 edges a line),
    every name a :class:`Name`; the nodes and the output's name."""
    rng = random.Random(seed)
    names = [Name(f"x{k}") for k in range(1, 9)]
    nodes = [Node(n) for n in names]
    for i in range(1, lines + 1):
        j, k, m = (Name(rng.choice(names[-20:])) for _ in range(3))
        p, q, t = Name(f"p{i}"), Name(f"q{i}"), Name(f"t{i}")
        nodes += [Node(p, "mul", (j, k)), Node(q, "add", (p, m)), Node(t, "tanh", (q,))]
        names.append(t)
    return nodes, names[-1]


@pytest.mark.parametrize("lines", [10, 300])
def test_a_graph_in_program_order_is_built_with_one_look_up_per_edge(lines):
    nodes, output = counted_program(lines)
    Name.hashes = 0
    graph = Graph(nodes, output)
    graph.index, graph.arg_positions, graph.depth(), graph.depth()
    # per node: "is the name taken?" and its entry; per edge: its operand's position;
    # and the output's look-up.  (Checks, ordering, positions and depth in separate
    # passes took 4 per node and 3 per edge.)
    assert Name.hashes <= 2 * len(graph.nodes) + len(graph.edges) + 2
    # what the one pass found is what the names say, checked by name
    assert len(graph.edges) == 5 * lines
    for node, where in zip(graph.nodes, graph.arg_positions, strict=True):
        assert [graph.nodes[p].name for p in where] == list(node.operands)
        assert all(p < graph.index[node.name] for p in where)  # topological


def test_a_graph_out_of_order_is_the_same_graph():
    nodes, output = counted_program(40)
    in_order = Graph(nodes, output)
    shuffled = nodes[:]
    random.Random(1).shuffle(shuffled)
    reordered = Graph(shuffled, output)
    # Kahn's order differs from the program's, but every node reads the same operands,
    # each before it, and the positions agree with the names
    assert {n.name: n for n in reordered.nodes} == {n.name: n for n in in_order.nodes}
    for node, where in zip(reordered.nodes, reordered.arg_positions, strict=True):
        assert [reordered.nodes[p].name for p in where] == list(node.operands)
        assert all(p < reordered.index[node.name] for p in where)
    point = {x: 0.25 + 0.1 * i for i, x in enumerate(in_order.inputs)}
    assert (symbp.gradient(reordered, at=point, check=False)
            == pytest.approx(symbp.gradient(in_order, at=point, check=False), rel=1e-12))
    # depth from the positions = depth from the names (levels computed here by name)
    level: dict[str, int] = {}
    for node in reordered.nodes:
        level[node.name] = 1 + max((level[a] for a in node.operands), default=-1)
    assert reordered.depth() == in_order.depth() == level[output]


def test_the_float_gradient_looks_up_no_name_per_edge():
    counts = []
    for lines in (30, 300):
        nodes, output = counted_program(lines)
        graph = Graph(nodes, output)
        point = {x: 0.5 for x in graph.inputs}
        Name.hashes = 0
        symbp.gradient(graph, at=point, check=False)
        counts.append(Name.hashes)
    # the inputs' and the output's names only: ten times the edges, the same count
    assert counts[0] == counts[1]
    assert counts[0] < 20 * len(graph.inputs)
