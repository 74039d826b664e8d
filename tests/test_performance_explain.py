"""`symbp explain` of a big program does no work on what it does not show, and no work
twice, counted in operations (never in seconds): symbolic partials and symbols are built
for the rows shown, a finite-difference check too big to finish is declined before any
evaluation, and forward mode's costs for every input come from one pass."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from counting import counting_rules, random_graph

import symbp
import symbp.core.checks
import symbp.core.evaluate
import symbp.core.partials
import symbp.core.rules
from symbp.core.checks import FD_PASSES, FD_WORK, compare_with_finite_differences
from symbp.core.cost import Ops, cost
from symbp.core.graph import Graph, Node


def test_a_big_explanation_builds_only_the_symbolic_partials_it_shows(monkeypatch):
    graph = random_graph(2000)  # 10,000 edges
    point = {x: 0.5 + 0.1 * i for i, x in enumerate(graph.inputs)}
    calls = counting_rules(monkeypatch)
    text = str(symbp.explain(graph, at=point))
    symbolic = sum(v for (op, what), v in calls.items() if what != "value")
    assert "more edges (use full=True to show all)" in text
    # a dozen table rows and the first edges of the shown paths, not one per edge
    assert 0 < symbolic < 200 and len(graph.edges) == 10_000
    assert len(graph.symbols) < 300  # the names shown, of 6,008 nodes


def test_every_symbolic_partial_is_still_there_when_asked_for():
    graph = random_graph(30)
    ex = symbp.explain(graph, at={x: 0.5 for x in graph.inputs})
    for p in ex.partials:  # the lazy formula is the rule's partial in the operands' symbols
        node = graph[p.edge.target]
        operands = graph.operand_values(node.name, graph.symbols)
        assert p.expr == symbp.core.rules.rule_for(node.op).partials[p.edge.slot](*operands)
    assert ex.partials == symbp.explain(graph, at={x: 0.5 for x in graph.inputs}).partials


def test_finite_differences_too_big_to_finish_are_declined_before_any_work(monkeypatch):
    evaluations = []
    real = symbp.core.checks.numeric_values

    def counting(*args, **kwargs):
        evaluations.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(symbp.core.checks, "numeric_values", counting)
    big = random_graph(3000)  # 9,008 nodes, 8 inputs
    assert len(big.inputs) * len(big.nodes) * FD_PASSES > FD_WORK
    point = {x: 0.5 + 0.1 * i for i, x in enumerate(big.inputs)}
    gradient = symbp.gradient(big, at=point, check=False)
    check = compare_with_finite_differences(big, point, gradient, big.inputs)
    assert check.passed is None and "too costly" in check.detail
    assert evaluations == []
    small = random_graph(20)  # within the work limit: it runs, and agrees
    point = {x: 0.5 + 0.1 * i for i, x in enumerate(small.inputs)}
    gradient = symbp.gradient(small, at=point, check=False)
    check = compare_with_finite_differences(small, point, gradient, small.inputs[:2])
    assert check.passed is True and evaluations


class CountingPositions(tuple):
    """A graph's ``arg_positions`` that counts the nodes' operand lists it hands out."""

    reads = 0

    def __getitem__(self, i):
        self.reads += 1
        return super().__getitem__(i)

    def __iter__(self):
        for args in super().__iter__():
            self.reads += 1
            yield args


def test_forward_mode_counts_of_every_input_take_one_pass():
    # 64 inputs: one sweep per input read every node's operands 64 times
    nodes = [Node(f"x{k}") for k in range(64)] + [Node("s0", "mul", ("x0", "x1"))]
    nodes += [Node(f"s{k}", "add", (f"s{k - 1}", f"x{k + 1}")) for k in range(1, 63)]
    graph = Graph(nodes, "s62")
    positions = graph.arg_positions = CountingPositions(graph.arg_positions)
    counted = cost(graph).per_input_forward
    assert positions.reads == len(graph.nodes)  # once each, for all 64 inputs
    # x0 feeds s0 (a product with the seed: free), then one product per link s1 … s62;
    # xk (k ≥ 2) joins at s(k−1) (free) and rides the 63 − k links after it; nothing
    # joins two tangents of one input, so no additions
    assert counted["x0"] == counted["x1"] == Ops(62, 0)
    assert counted["x5"] == Ops(58, 0) and counted["x63"] == Ops(0, 0)


COLLECTIONS_DURING_COMMAND = """
import gc, sys
from symbp.cli import main
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"])
                    if phase == "start" else None)
sys.argv = ["symbp", "explain", "-f", sys.argv[1], "--at", sys.argv[2]]
try:
    main()
except SystemExit as done:
    code = done.code
print("EXIT", code, "COLLECTIONS", len(collections), file=sys.stderr)
"""


def test_the_command_does_not_walk_its_own_records_with_the_collector(tmp_path):
    # everything a command derives lives until it has printed: a cyclic collection in
    # between walks all of it (two walks over ~300,000 objects for 15,000 edges)
    graph = random_graph(600)
    program = tmp_path / "program.txt"
    program.write_text(graph.program(), encoding="utf-8")
    point = ",".join(f"{x}={0.5 + 0.1 * i}" for i, x in enumerate(graph.inputs))
    done = subprocess.run([sys.executable, "-c", COLLECTIONS_DURING_COMMAND, str(program),
                           point], capture_output=True, text=True, check=True)
    assert "✓ forward == reverse" in done.stdout
    assert done.stderr.split()[-4:] == ["EXIT", "0", "COLLECTIONS", "0"]


def test_a_big_explanation_makes_only_the_local_partial_records_it_shows(monkeypatch):
    made = []

    class Counted(symbp.core.partials.LocalPartial):
        def __init__(self, edge, *args):
            made.append(edge)
            super().__init__(edge, *args)

    monkeypatch.setattr(symbp.core.partials, "LocalPartial", Counted)
    point = {x: 0.5 + 0.1 * i for i, x in enumerate(random_graph(2000).inputs)}
    ex = symbp.explain(random_graph(2000), at=point)
    graph = ex.graph  # the lines the output reads: 9,370 edges
    text = str(ex)
    assert f"… {len(graph.edges) - 12:,} more edges" in text and 0 < len(made) <= 20
    # and every one is there when asked for: the rule's name and the float partial of
    # each edge, computed here from the rule table and the node values
    values = symbp.core.evaluate.float_values(graph, point)
    expected = []
    for edge in graph.edges:
        node = graph[edge.target]
        rule = symbp.core.rules.rule_for(node.op)
        operands = [values[a] for a in node.args]
        expected.append((edge, rule.rule_names[edge.slot],
                         float(rule.partials[edge.slot](*operands))))
    assert [(p.edge, p.rule) for p in ex.partials] == [e[:2] for e in expected]
    assert [p.value for p in ex.partials] == pytest.approx([e[2] for e in expected], rel=1e-12)
    assert len(ex.partials) == len(graph.edges) > 9_000
    assert ex.partials[-2:] == tuple(ex.partials)[-2:]
    monkeypatch.undo()  # the records made from here on are plain LocalPartials again
    assert ex.partials == tuple(ex.partials) and pickle.loads(pickle.dumps(ex.partials)) == \
        tuple(ex.partials)
