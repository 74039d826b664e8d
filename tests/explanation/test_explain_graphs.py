"""Graphs built through the API, explained: what the parser guarantees for program text
(every node reaches the output) may not hold for them."""

import math

import sympy

import symbp
from symbp import Graph, Node


def test_nodes_the_output_does_not_read_are_left_out_with_a_note():
    graph = Graph([Node("a"), Node("b"), Node("d", "mul", ("b", "b")),
                   Node("c", "sin", ("a",))], "c")
    ex = symbp.explain(graph, at={"a": 1.0})
    assert ex.graph.inputs == ("a",)
    assert "not used by the output c: b, d" in ex.notes
    assert ex.ok
    assert math.isclose(float(ex.reverse.totals["a"].value), math.cos(1.0), rel_tol=1e-15)
    # the same note and inputs as the program text with the unused line
    text = symbp.explain("d = b*b\nc = sin(a)", at={"a": 1.0})
    assert text.graph.inputs == ex.graph.inputs
    symbolic = symbp.explain(graph)
    a = sympy.Symbol("a", real=True)
    assert sympy.simplify(symbolic.reverse.totals["a"].expr - sympy.diff(sympy.sin(a), a)) == 0
    for fmt in ("latex", "markdown", "json", "html", "dot", "python"):
        assert symbp.render.to(ex, fmt)


def test_a_graph_every_node_of_which_reaches_the_output_is_kept_as_it_is():
    graph = symbp.parse("e = (a+b)*(b+1)")
    assert symbp.explain(graph, at="a=2,b=1").graph is graph
