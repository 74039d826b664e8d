"""The SymEngine backend of ``symbp.gradient`` builds exactly the SymPy backend's expressions.

What is asserted, and why: the SymEngine-built gradient in node names, converted to SymPy,
is *structurally* equal to the SymPy backend's (``==`` on SymPy objects and the same
``srepr``: the same tree, the same argument order), so every printer, check and golden
output is unchanged whichever backend built it; and it passes the self-checks, whose
oracles are ``sympy.diff`` (written back into the inputs) and finite differences.  The
inputs form is never built in SymEngine: its canonical form differs from SymPy's
(``exp(a)·exp(b)`` is ``exp(a + b)`` there), which the last tests show.
"""

from __future__ import annotations

import pickle
import random
from collections import Counter
from itertools import pairwise

import pytest
import sympy
from hypothesis import given
from strategies import SETTINGS, expressions, programs

import symbp
from benchmarks.workloads import diamond_chain  # the benchmark's own diamonds
from symbp.core import symengine_sweep
from symbp.core.graph import Graph
from symbp.core.rules import RULES
from symbp.errors import SymbpError
from symbp.explanation.adjoints import INPUTS_IN_SYMPY
from symbp.explanation.records import LazyGradient
from symbp.network.graph import network_graph
from symbp.network.model import Network

symengine = pytest.importorskip("symengine", reason="SymEngine is not installed "
                                "(pip install 'symbp[fast]'; .ci/run installs it)")


def _both(source):
    """The node-name gradient by each backend, unchecked (SymEngine's converted)."""
    ours = symbp.gradient(source, form="nodes", check=False, backend="symengine")
    theirs = symbp.gradient(source, form="nodes", check=False, backend="sympy")
    return ours, theirs


def _assert_same(ours, theirs, *, constants=False):
    """Equal trees; SymEngine built ``ours`` unless the program has a constant SymEngine
    would not keep as SymPy does (``sin(1)``, ``0.5``), which the note must name."""
    if constants and ours.backend == "sympy":
        assert ours.backend_note.startswith("the constant ")
    else:
        assert type(ours) is LazyGradient and ours.backend == "symengine", ours.backend_note
    assert type(theirs) is not LazyGradient and theirs.backend == "sympy"
    assert list(ours.where) == list(theirs.where)
    assert sympy.srepr(list(ours.where)) == sympy.srepr(list(theirs.where))
    assert dict(ours) == dict(theirs)
    assert sympy.srepr(dict(ours)) == sympy.srepr(dict(theirs))


def mlp(layers, activation="sigmoid") -> Graph:
    rng = random.Random(0)
    weights = tuple(tuple(tuple(rng.uniform(-1, 1) for _ in range(m)) for _ in range(n))
                    for m, n in pairwise(layers))
    biases = tuple(tuple(rng.uniform(-1, 1) for _ in range(n)) for n in layers[1:])
    return network_graph(Network(tuple(layers), activation, "quadratic", weights, biases))


def test_every_operation_of_the_rule_table_has_a_symengine_rule():
    table = symengine_sweep.rule_table(symengine)
    assert set(table) == set(RULES)
    for op, partials in table.items():
        assert len(partials) == RULES[op].arity


@SETTINGS
@given(programs())
def test_random_programs_equal_the_sympy_backend(program):
    _assert_same(*_both(program))


@SETTINGS
@given(expressions)
def test_random_expressions_equal_the_sympy_backend_and_pass_the_checks(pair):
    program = f"y = {pair[0]}"
    _assert_same(*_both(program), constants=True)
    checked = symbp.gradient(program, form="nodes", backend="symengine")
    assert checked.ok
    assert checked.checks[0].passed is True  # sympy.diff of the written-out program


@pytest.mark.parametrize("make", [
    *(lambda d=d, u=u: diamond_chain(d, u) for d in (4, 8, 16) for u in (2, 3)),
    lambda: mlp([2, 2, 2]), lambda: mlp([3, 4, 4, 2]), lambda: mlp([2, 3, 2], "relu"),
    lambda: mlp([2, 3, 2], "tanh"),
], ids=[*(f"diamond-{d}-{u}" for d in (4, 8, 16) for u in (2, 3)), "mlp-2-2-2",
        "mlp-3-4-4-2", "mlp-relu", "mlp-tanh"])
def test_benchmark_shapes_equal_the_sympy_backend(make):
    _assert_same(*_both(make()))


def test_every_function_of_the_rule_table_in_one_program():
    program = ("t = relu(a) + abs(b) + max(a, b) - min(a, b) + sigmoid(a)*softplus(b)\n"
               "u = log1p(a**2) + expm1(b) + tan(a) + sqrt(1 + b**2) + asin(sin(a)/2)\n"
               "v = acos(sin(b)/2) + atan(a) + sinh(a) + cosh(b) + tanh(a) + log(1 + a**2)\n"
               "y = t*u/v + pow(1 + a**2, b) + log(2 + a**2, 3) + exp(-a) + (a - b)**3")
    ours, theirs = _both(program)
    _assert_same(ours, theirs)
    assert symbp.gradient(program, form="nodes", backend="symengine").ok


def test_each_partial_is_built_once_per_edge(monkeypatch):
    calls = Counter()
    table = symengine_sweep.rule_table(symengine)
    for op, partials in list(table.items()):
        def counted(fn, _op=op):
            if not callable(fn):  # a constant partial (a sum's 1): nothing is built
                return fn
            def wrapper(*args):
                calls[_op] += 1
                return fn(*args)
            return wrapper
        monkeypatch.setitem(table, op, tuple(counted(p) for p in partials))
    graph = diamond_chain(30, 3)  # 3^31 paths: one product per path would never finish
    result = symbp.gradient(graph, form="nodes", check=False)
    assert type(result) is LazyGradient
    assert len(graph.edges) == 30 * 6 + 2
    # per layer: sin, cos and the product's two operands call a partial; the sum's two
    # operands take the constant 1 (and v₀ = x·y two more)
    assert calls == Counter(sin=30, cos=30, mul=2 * 30 + 2)
    # one adjoint per operation but the output (∂v₃₀/∂v₃₀ = 1 is not defined): 2 inputs
    assert len(result.symengine_where) == len(graph.nodes) - 3


def test_constant_partials_are_the_rules_constants():
    """The partials the sweep takes as constants are the rule table's own (SymPy's)."""
    from symbp.core.rules import rule_for

    table = symengine_sweep.rule_table(symengine)
    constants = {op: partials for op, partials in table.items()
                 if not any(callable(p) for p in partials)}
    assert set(constants) == {"add", "sub", "neg"}
    a, b = sympy.symbols("a b", real=True)
    for op, partials in constants.items():
        operands = (a, b)[:len(partials)]
        expected = [sympy.diff(rule_for(op).value(*operands), x) for x in operands]
        assert [sympy.sympify(p) for p in partials] == expected


def test_nothing_is_converted_until_a_value_is_read(monkeypatch):
    graph = diamond_chain(8, 3)
    made = Counter()
    for cls in (sympy.Mul, sympy.Add):
        original = cls.flatten.__func__

        def counted(c, seq, _original=original, _name=cls.__name__):
            made[_name] += 1
            return _original(c, seq)
        monkeypatch.setattr(cls, "flatten", classmethod(counted))
    result = symbp.gradient(graph, form="nodes", check=False)  # auto, unchecked: SymEngine
    assert type(result) is LazyGradient
    assert len(result) == 2 and "x" in result and list(result.keys()) == ["x", "y"]
    assert made == Counter() and "_convert" in result.__dict__
    # SymEngine's own, without SymPy: ∂v₀/∂x = y for v₀ = x·y
    assert result.symengine["x"] == symengine.Symbol("dv_8/dv_0") * symengine.Symbol("y")
    value = result["x"]
    assert "_convert" not in result.__dict__ and value == graph.symbols["y"] * sympy.Symbol(
        "dv_8/dv_0", real=True)
    # converting builds no more SymPy products and sums than edges (8 diamonds: 50 edges)
    assert made["Mul"] + made["Add"] <= len(graph.edges)


def test_every_way_of_reading_a_lazy_gradient_converts_it():
    program = "c = a - b; d = sin(c)*b; e = d*d + c"
    theirs = symbp.gradient(program, form="nodes", check=False, backend="sympy")
    readers = [lambda g: g["a"], lambda g: g.get("b"), lambda g: list(g.items()),
               lambda g: list(g.values()), lambda g: dict(g), lambda g: {**g},
               lambda g: g == theirs, lambda g: repr(g), lambda g: g.copy(), lambda g: g.where,
               lambda g: pickle.loads(pickle.dumps(g)), lambda g: g | {}]
    for read in readers:
        ours = symbp.gradient(program, form="nodes", check=False, backend="symengine")
        read(ours)
        assert "_convert" not in ours.__dict__
        assert dict(ours) == dict(theirs) and ours == theirs
    copy = pickle.loads(pickle.dumps(symbp.gradient(program, form="nodes", check=False)))
    assert dict(copy) == dict(theirs) and copy.where == theirs.where


def test_a_lazy_gradient_prints_as_the_sympy_one():
    program = "\n".join(f"x{i + 1} = x{i}*y{i % 3} + sigmoid(x{i})" for i in range(40))
    ours, theirs = _both(program)
    assert symbp.render.to(ours, "text") == symbp.render.to(theirs, "text")


def test_without_symengine_sympy_builds_it(monkeypatch):
    monkeypatch.setattr(symengine_sweep, "engine", lambda: None)
    auto = symbp.gradient(CHAIN, form="nodes", check=False)
    assert type(auto) is not LazyGradient and auto.backend == "sympy"
    assert auto.backend_note == ""  # nothing was asked for
    asked = symbp.gradient(CHAIN, form="nodes", check=False, backend="symengine")
    assert asked.backend == "sympy" and "not installed" in asked.backend_note
    assert dict(asked) == dict(symbp.gradient(CHAIN, form="nodes", backend="sympy"))


CHAIN = "\n".join(f"x{i + 1} = x{i}*y + sin(x{i})" for i in range(12))


def test_what_sympy_builds_says_why():
    decimal = symbp.gradient("y = 0.5*a + b", form="nodes", check=False, backend="symengine")
    assert decimal.backend == "sympy" and "0.5" in decimal.backend_note
    inputs = symbp.gradient("y = exp(a)*exp(b)", check=False, backend="symengine")
    assert inputs.form == "inputs" and inputs.backend_note == INPUTS_IN_SYMPY
    checked = symbp.gradient(CHAIN, form="nodes")  # auto with the checks: SymPy, no note
    assert checked.backend == "sympy" and checked.backend_note == ""
    at_point = symbp.gradient("y = a*b", at={"a": 3, "b": 2}, backend="symengine")
    assert at_point.form == "values" and dict(at_point) == {"a": 2, "b": 3}


def test_the_inputs_form_of_symengine_is_not_sympys():
    # why form="inputs" stays with SymPy: the same product, two canonical forms
    a, b = symengine.symbols("a b")
    converted = sympy.sympify(symengine.exp(a) * symengine.exp(b))
    x, y = sympy.symbols("a b")
    assert converted == sympy.exp(x + y) and sympy.exp(x) * sympy.exp(y) != converted


@pytest.mark.parametrize("backend", [None, 3, "", "SymEngine", "numpy", ["auto"], "a" * 10_000])
def test_a_bad_backend_is_a_one_line_error(backend):
    with pytest.raises(SymbpError, match="backend must be one of auto, sympy, symengine") as error:
        symbp.gradient("y = a*b", backend=backend)
    assert "\n" not in str(error.value) and len(str(error.value)) < 200
