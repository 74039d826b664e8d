"""The float gradient by node position (symbp.core.reverse.float_gradient) gives the very
floats of the named sweep (float_values, partials_in, reverse_sweep with seed 1.0), bit for
bit, on every program, or hands over to it where something is undefined."""

from __future__ import annotations

import math

import pytest
from counting import random_graph
from hypothesis import given
from hypothesis import strategies as st

import symbp
from symbp.core.evaluate import float_values
from symbp.core.forward import RecordedSteps, forward_sweep
from symbp.core.graph import Graph, Node
from symbp.core.partials import partials_in
from symbp.core.reverse import float_gradient, reverse_sweep
from symbp.errors import DomainError
from tests.strategies import SETTINGS, points_for, programs


def named_sweep(graph: Graph, point) -> dict[str, float]:
    env = float_values(graph, point)
    adjoint = reverse_sweep(graph, partials_in(graph, env), record=False, seed=1.0)[1]
    return {x: adjoint.get(x, 0.0) for x in graph.inputs}  # 0.0: not reaching the output


def same_floats(a: dict, b: dict) -> bool:
    # bit for bit: equal, and the same sign of zero
    return a.keys() == b.keys() and all(
        a[k] == b[k] and math.copysign(1, a[k]) == math.copysign(1, b[k]) for k in a)


@SETTINGS
@given(data=st.data())
def test_same_floats_as_the_named_sweep(data):
    program = data.draw(programs())
    point = data.draw(points_for(program))
    graph = symbp.parse(program)
    try:
        expected = named_sweep(graph, point)
    except DomainError:
        expected = None
    fast = float_gradient(graph, point)
    if expected is None or not all(map(math.isfinite, partials_in(
            graph, float_values(graph, point)).values())):
        assert fast is None
    else:
        assert fast is not None and same_floats(fast, expected)


@pytest.mark.parametrize("lines", [1, 50, 3000])
def test_same_floats_on_big_random_graphs(lines):
    import random

    rng = random.Random(lines)
    graph = random_graph(lines, seed=lines)
    point = {x: rng.uniform(0.5, 1.5) for x in graph.inputs}
    assert same_floats(float_gradient(graph, point), named_sweep(graph, point))


def test_an_input_that_does_not_reach_the_output_has_gradient_zero():
    graph = Graph([Node("a"), Node("b"), Node("c", "sin", ("a",))], "c")
    assert float_gradient(graph, {"a": 1.0, "b": 2.0}) == {"a": math.cos(1.0), "b": 0.0}
    assert symbp.gradient(graph, at={"a": 1.0, "b": 2.0}) == {"a": math.cos(1.0), "b": 0.0}
    assert symbp.gradient(graph) == {"a": symbp.gradient("c = sin(a)")["a"], "b": 0}


def test_an_undefined_partial_hands_over_to_the_named_error():
    graph = symbp.parse("y = sqrt(x)")
    assert float_gradient(graph, {"x": 0.0}) is None  # √x' = 1/(2√x) at 0
    with pytest.raises(DomainError, match="x"):
        symbp.gradient(graph, at="x=0.0")


def test_graphs_given_out_of_order_are_sorted_the_same_way():
    # the fast path keeps an already-ordered list; Kahn's algorithm sorts any other
    nodes = [Node("y", "mul", ("s", "c")), Node("s", "sin", ("x",)), Node("x"),
             Node("c", "cos", ("x",))]
    graph = Graph(nodes, "y")
    assert [n.name for n in graph.nodes] == ["x", "s", "c", "y"]
    assert float_gradient(graph, {"x": 0.3}) == {"x": math.cos(0.6)} or math.isclose(
        float_gradient(graph, {"x": 0.3})["x"], math.cos(0.6), rel_tol=1e-15)


@SETTINGS
@given(data=st.data())
def test_float_sweeps_record_the_steps_the_general_sweeps_take(data):
    """With float partials in a mapping, the sweeps record edges and make each step when
    looked at; the steps and totals are those of the general loop (the same partials
    handed over as a function), bit for bit."""
    program = data.draw(programs())
    point = data.draw(points_for(program))
    graph = symbp.parse(program)
    try:
        local = partials_in(graph, float_values(graph, point))
    except DomainError:
        return
    pairs = [(reverse_sweep(graph, local, seed=1.0),
              reverse_sweep(graph, local.__getitem__, seed=1.0))]
    pairs += [(forward_sweep(graph, x, local, seed=1.0),
               forward_sweep(graph, x, local.__getitem__, seed=1.0)) for x in graph.inputs]
    for (steps, totals), (expected_steps, expected_totals) in pairs:
        assert isinstance(steps, RecordedSteps) and not isinstance(expected_steps, RecordedSteps)
        assert len(steps) == len(expected_steps)
        assert list(steps) == expected_steps and steps[1:3] == expected_steps[1:3]
        assert totals.keys() == expected_totals.keys()
        for name, value in totals.items():
            assert same_floats({name: value}, {name: expected_totals[name]})
        for step in steps:  # and each is carried · local, the product the sweep added
            assert step.contribution in (step.carried * step.partial,
                                         step.partial * step.carried)
