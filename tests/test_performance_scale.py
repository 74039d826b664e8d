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


# -- symbp explain of a big program: no work on rows that are not shown -------------------------

def chain_graph(lines: int) -> Graph:
    """``t_i = tanh(t_{i-1}·x_k + t_{i-2})``: 5 edges a line, every node on a path to the
    output (so :func:`symbp.explain` keeps the graph as given)."""
    names = [f"x{k}" for k in range(1, 9)]
    nodes = [Node(n) for n in names]
    previous = ["x1", "x2"]
    for i in range(1, lines + 1):
        nodes += [Node(f"p{i}", "mul", (previous[-1], names[i % 8])),
                  Node(f"q{i}", "add", (f"p{i}", previous[-2])),
                  Node(f"t{i}", "tanh", (f"q{i}",))]
        previous.append(f"t{i}")
    return Graph(nodes, previous[-1])


def counting(monkeypatch, record: type, made: dict) -> None:
    """Count the instances of ``record`` made, wherever they are made (its ``__init__``)."""
    init = record.__init__

    def counted(self, *args, **kwargs):
        made[record.__name__] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(record, "__init__", counted)


def test_a_big_explanation_pairs_only_the_sweep_steps_and_totals_it_shows(monkeypatch):
    from symbp.explanation import records
    from symbp.render.terminal.explain import to_text
    from symbp.summary import ROWS

    made_at = {}
    for lines in (60, 600):
        graph = chain_graph(lines)
        made = {"Step": 0, "Quantity": 0}
        for record in (records.Step, records.Quantity):
            counting(monkeypatch, record, made)
        ex = symbp.explain(graph, at={x: 0.1 * k for k, x in enumerate(graph.inputs, 1)})
        assert ex.graph is graph  # nothing dropped
        text = to_text(ex)
        monkeypatch.undo()
        made_at[lines] = dict(made)
        sweeps = 1 + len(ex.forward)
        assert made["Step"] <= sweeps * ROWS  # the rows shown, no more
        assert f"{len(graph.edges):,} steps, one per edge" in text
    assert made_at[60] == made_at[600]  # ten times the edges, the same records made


def test_every_sweep_step_and_total_is_there_when_asked_for():
    graph = chain_graph(50)
    point = {x: 0.1 * k for k, x in enumerate(graph.inputs, 1)}
    ex = symbp.explain(graph, at=point)
    steps = ex.reverse.steps
    assert len(steps) == len(graph.edges) == len(tuple(steps)) == len(list(steps))
    assert steps == tuple(steps) and tuple(steps) == steps and steps[-3:] == tuple(steps)[-3:]
    # every step is carried · local = contribution, checked on the floats themselves
    for step in steps:
        assert step.contribution_value == step.carried_value * step.partial_value
    # the reverse totals of the inputs are the gradient, by the float sweep alone
    gradient = symbp.gradient(graph, at=point, check=False)
    assert {x: ex.reverse.totals[x].value for x in graph.inputs} == gradient
    assert dict(ex.reverse.totals) == {n: ex.reverse.totals[n] for n in ex.reverse.totals}
    assert list(ex.reverse.totals) == [n.name for n in graph.nodes]  # graph order
    assert "no-such-node" not in ex.reverse.totals
    with pytest.raises(KeyError):
        ex.reverse.totals["no-such-node"]
    # the forward sweep at x1 ends at the same derivative as the reverse sweep
    out = ex.forward["x1"].totals[graph.output].value
    assert out == pytest.approx(gradient["x1"], rel=1e-12)


def test_an_explanation_counts_paths_to_the_output_once(monkeypatch):
    from symbp.core import paths

    graph = chain_graph(30)
    in_edges = graph.in_edges
    asked = []

    class Counting(dict):
        def __getitem__(self, name):
            asked.append(name)
            return super().__getitem__(name)

    graph.__dict__["in_edges"] = Counting(in_edges)  # replaces the cached_property's value
    symbp.explain(graph, at={x: 0.5 for x in graph.inputs})
    counted = len(asked)
    asked.clear()
    assert paths.paths_to_output(graph) is paths.paths_to_output(graph)
    assert not asked  # remembered: no second pass
    with pytest.raises(TypeError):
        paths.paths_to_output(graph)[graph.output] = 2  # read-only: one copy for everyone
    # the sweeps, the paths and the cost each look a node's edges up a fixed number of
    # times: 12.6 per node (23.6 when each of the 12 askers counted the paths afresh)
    assert counted <= 13 * len(graph.nodes)
