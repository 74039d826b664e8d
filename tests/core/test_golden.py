"""The canonical example's every number (DESIGN.md), checked by hand."""

from __future__ import annotations

import sympy

import symbp
from symbp.core.graph import Edge

a, b, c, d, e = sympy.symbols("a b c d e", real=True)


def test_graph_names_formulas_and_values(canonical):
    graph = canonical.graph
    assert graph.inputs == ("a", "b")
    assert graph.output == "e"
    assert [n.name for n in graph.nodes] == ["a", "b", "c", "d", "e"]
    assert [str(graph.formula(n)) for n in "cde"] == ["a + b", "b + 1", "c*d"]
    assert canonical.values == {"a": 2, "b": 1, "c": 3, "d": 2, "e": 6}


def test_local_partials(canonical):
    partials = {(p.edge.source, p.edge.target): p for p in canonical.partials}
    assert set(partials) == {("a", "c"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")}
    expected = {("a", "c"): (1, 1), ("b", "c"): (1, 1), ("b", "d"): (1, 1),
                ("c", "e"): (d, 2), ("d", "e"): (c, 3)}
    for key, (expr, value) in expected.items():
        assert partials[key].expr == expr
        assert partials[key].value == value
    assert partials[("c", "e")].rule == "product rule"
    assert partials[("a", "c")].rule == "sum rule"


def test_sum_over_paths(canonical):
    pa, pb = canonical.paths["a"], canonical.paths["b"]
    assert pa.count == 1 and pb.count == 2
    assert [t.nodes for t in pa.shown] == [("a", "c", "e")]
    assert [(t.nodes, t.value) for t in pb.shown] == [(("b", "c", "e"), 2), (("b", "d", "e"), 3)]
    assert pa.sum == d and pa.value == 2
    assert pb.sum == c + d and pb.value == 5


def test_forward_mode_from_b(canonical):
    sweep = canonical.forward["b"]
    tangents = {name: q.value for name, q in sweep.totals.items()}
    assert tangents == {"b": 1, "c": 1, "d": 1, "e": 5}  # a does not depend on b: tangent 0
    assert len(sweep.steps) == 4  # one step per edge reachable from b
    assert sweep.totals["e"].expr == c + d


def test_reverse_sweep(canonical):
    adjoints = {name: q.value for name, q in canonical.reverse.totals.items()}
    assert adjoints == {"e": 1, "c": 2, "d": 3, "a": 2, "b": 5}
    assert len(canonical.reverse.steps) == len(canonical.graph.edges) == 5
    # each edge is used exactly once
    assert sorted((s.edge.source, s.edge.target) for s in canonical.reverse.steps) == sorted(
        (edge.source, edge.target) for edge in canonical.graph.edges)
    assert canonical.gradient["a"].expr == d
    assert canonical.gradient["b"].expr == c + d
    assert canonical.gradient_in_inputs == {"a": b + 1, "b": a + 2 * b + 1}


def test_reverse_reuses_stored_adjoint(canonical):
    """The two edges out of c both read the one stored adjoint de/dc = d."""
    steps = [s for s in canonical.reverse.steps if s.edge.target == "c"]
    assert [s.edge.source for s in steps] == ["a", "b"]
    assert all(s.carried == d and s.carried_value == 2 for s in steps)


def test_cost_counts(canonical):
    cost = canonical.cost
    assert (cost.paths.mul, cost.paths.add) == (3, 1)
    assert (cost.forward.mul, cost.forward.add) == (3, 1)
    assert (cost.reverse.mul, cost.reverse.add) == (3, 1)
    assert cost.repeated == ((Edge("c", "e", 0), 2),)


def test_all_checks_ran_and_passed(canonical):
    checks = {check.name: check for check in canonical.checks}
    assert set(checks) == {"paths == forward", "forward == reverse", "reverse == sympy.diff",
                           "reverse == finite differences"}
    assert all(check.passed is True for check in checks.values())
    assert canonical.ok


def test_double_edges_count_as_two_paths():
    ex = symbp.explain("b=a+a; c=b+b", at="a=1")
    assert [(edge.source, edge.target) for edge in ex.graph.edges] == [
        ("a", "b"), ("a", "b"), ("b", "c"), ("b", "c")]
    assert ex.paths["a"].count == 4
    assert ex.paths["a"].value == 4
    assert ex.gradient["a"].value == 4
    assert ex.values["c"] == 4


def test_gradient_fast_path():
    assert symbp.gradient("e=(a+b)*(b+1)", at="a=2,b=1") == {"a": 2, "b": 5}
    assert symbp.gradient("e=(a+b)*(b+1)") == {"a": b + 1, "b": a + 2 * b + 1}


def test_symbolic_explanation_has_no_values():
    ex = symbp.explain("e=(a+b)*(b+1)")
    assert ex.values is None
    assert ex.gradient["b"] == symbp.explain("e=(a+b)*(b+1)").gradient["b"]
    assert ex.gradient["b"].value is None and ex.gradient["b"].expr == c + d
    assert [check.name for check in ex.checks] == [
        "paths == forward", "forward == reverse", "reverse == sympy.diff"]
    assert ex.ok
