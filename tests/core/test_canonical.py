"""The direct constructors of symbp.core.canonical give exactly SymPy's evaluated objects.

The oracle is SymPy's own evaluation (``Mul(s, e)``, ``Add(*terms)``, ``cos(x)``): the
results must be equal *and* hold the same arguments in the same order, so that printing,
hashing and every later SymPy operation see no difference.
"""

from __future__ import annotations

import sympy
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, SYMBOLS, expressions, programs

import symbp
from symbp.core.canonical import LEFT_ALONE, call, product, total
from symbp.core.partials import partials_in
from symbp.explanation.adjoints import gradient_in_nodes

ADJOINTS = [sympy.Symbol(f"dy/d{v}", real=True) for v in ("a", "b", "c", "t", "v_1")]
NUMBERS = [sympy.S.One, sympy.S.NegativeOne, sympy.Integer(2), sympy.Rational(-3, 4),
           sympy.Float("0.25"), sympy.S.Zero, sympy.oo, sympy.zoo, sympy.nan,
           sympy.sqrt(2), sympy.pi, sympy.E, sympy.I]


def same(built, evaluated) -> bool:
    return (built == evaluated and type(built) is type(evaluated)
            and built.args == evaluated.args and sympy.srepr(built) == sympy.srepr(evaluated))


@SETTINGS
@given(expressions, st.sampled_from(ADJOINTS), st.sampled_from(NUMBERS))
def test_product_is_sympys_mul(pair, adjoint, number):
    _text, e = pair
    for factor in (e, -e, number * e, number, e**2, 1 / e, sympy.cos(e) * e):
        assert same(product(adjoint, factor), sympy.Mul(adjoint, factor)), factor


@SETTINGS
@given(st.lists(st.tuples(expressions, st.sampled_from(ADJOINTS), st.sampled_from(NUMBERS)),
                min_size=1, max_size=4))
def test_total_is_sympys_add(draws):
    terms = [sympy.Mul(adjoint, e) for (_t, e), adjoint, _n in draws]
    terms += [n * sympy.Mul(adjoint, e) for (_t, e), adjoint, n in draws[:2]]  # alike terms
    for some in (terms, terms[: len(draws)], terms[:1], [*terms, sympy.Integer(3)],
                 [*terms, sympy.zoo], [sympy.zoo * terms[0], *terms[1:]]):
        assert same(total(list(some)), sympy.Add(*some))


def test_call_skips_only_what_evaluation_would_leave_alone():
    x = sympy.Symbol("x", real=True)
    complex_x = sympy.Symbol("z")
    for function in LEFT_ALONE:
        assert same(call(function, x), function(x))
        # not a real symbol: evaluated as usual (cos(-x) = cos(x), sin(0) = 0 …)
        for argument in (-x, sympy.S.Zero, 2 * x, sympy.pi / 2, complex_x):
            assert same(call(function, argument), function(argument)), (function, argument)


def _nodes_by_evaluation(graph):
    """The node-name gradient built through SymPy's full evaluation (Mul, Add)."""
    partial = partials_in(graph, graph.symbols)
    out, terms, where, result = graph.output, {graph.output: [sympy.S.One]}, [], {}
    for node in reversed(graph.nodes):
        pending = terms.pop(node.name, None)
        if pending is None:
            continue
        adjoint = sympy.Add(*pending)
        if node.is_input:
            result[node.name] = adjoint
            continue
        carried = sympy.S.One
        if node.name != out:
            carried = sympy.Symbol(f"d{out}/d{node.name}", real=True)
            where.append((carried, adjoint))
        for edge in graph.in_edges[node.name]:
            terms.setdefault(edge.source, []).append(sympy.Mul(carried, partial[edge]))
    return {x: result.get(x, sympy.S.Zero) for x in graph.inputs}, tuple(where)


@SETTINGS
@given(programs())
def test_node_form_is_what_sympys_evaluation_builds(program):
    graph = symbp.parse(program)
    result, where = gradient_in_nodes(graph)
    expected, expected_where = _nodes_by_evaluation(graph)
    assert [s for s, _ in where] == [s for s, _ in expected_where]
    for (_, built), (_, evaluated) in zip(where, expected_where, strict=True):
        assert same(sympy.sympify(built), sympy.sympify(evaluated))
    for x in graph.inputs:
        assert same(sympy.sympify(result[x]), sympy.sympify(expected[x]))


def test_node_form_of_a_node_used_twice_by_one_consumer_collects_terms():
    # e = c·c: both edges carry de/de = 1 and the partial c, so de/dc = 2c (SymPy's Add)
    result, where = gradient_in_nodes(symbp.parse("c = sin(a); e = c*c"))
    a = SYMBOLS["a"]
    dc = sympy.Symbol("de/dc", real=True)
    assert where == ((dc, 2 * sympy.Symbol("c", real=True)),)
    assert result == {"a": dc * sympy.cos(a)}
