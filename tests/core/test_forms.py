"""One source per function: every rule's float and mpmath forms agree with its exact SymPy
value and partials (also at kinks and ties), every activation's σ' is ``sympy.diff`` of σ,
and every cost's gradient is ``sympy.diff`` of the cost."""

from __future__ import annotations

import inspect
import math

import mpmath
import pytest
import sympy

from symbp.core import functions
from symbp.core.checks import mpmath_partial
from symbp.core.forms import FLOAT_FORMS, MPMATH_FORMS, PYTHON_HELPERS
from symbp.core.numeric import float_rule, is_defined
from symbp.core.rules import RULES
from symbp.network.functions import ACTIVATIONS, COSTS

R = sympy.Rational
ONE_ARGUMENT = (R(-5, 2), R(-1), R(-1, 3), R(0), R(1, 4), R(1, 2), R(3, 2), R(7, 3))
"""Points for functions of one argument: 0 is the kink of relu and abs."""
TWO_ARGUMENTS = ((R(1, 3), R(3)), (R(2), R(2)), (R(-1, 2), R(1, 2)), (R(3), R(1, 4)),
                 (R(5, 2), R(-3, 2)), (R(0), R(0)), (R(7, 3), R(2)))
"""Points for two operands: (2, 2), (0, 0) and the like are the ties of max and min."""


def points(rule):
    return [(x,) for x in ONE_ARGUMENT] if rule.arity == 1 else TWO_ARGUMENTS


def exact_or_none(expr):
    """The exact number, or ``None`` outside the domain (complex, infinite, undefined)."""
    return expr if is_defined(expr) else None


@pytest.mark.parametrize("op", sorted(RULES))
def test_the_float_and_mpmath_forms_agree_with_the_exact_value_and_partials(op):
    rule = RULES[op]
    value, partials = float_rule(op)
    checked = 0
    for point in points(rule):
        exact = exact_or_none(rule.value(*point))
        if exact is None:
            continue
        checked += 1
        floats = [float(v) for v in point]
        assert math.isclose(value(*floats), float(exact), rel_tol=1e-12, abs_tol=1e-300), \
            (op, point)
        with mpmath.workdps(30):
            mp_point = [mpmath.mpf(v.p) / v.q for v in point]
            mp_exact = mpmath.mpf(str(sympy.N(exact, 40)))
            assert abs(rule.numeric(*mp_point) - mp_exact) <= mpmath.mpf("1e-25") * max(
                1, abs(mp_exact)), (op, point)
        for slot, partial in enumerate(rule.partials):
            exact_partial = exact_or_none(partial(*point))
            if exact_partial is None:
                continue
            got = partials[slot](*floats)
            assert math.isclose(got, float(exact_partial), rel_tol=1e-12, abs_tol=1e-300), \
                (op, slot, point, got, exact_partial)
            if op == "pow" and point == (0, 0):
                continue  # compiled, x**0's slope 0·0**(-1) divides by zero (callers catch it)
            with mpmath.workdps(30):
                mp_partial = mpmath_partial(op, slot)(*mp_point)
                expected = mpmath.mpf(str(sympy.N(exact_partial, 40)))
                assert abs(mp_partial - expected) <= mpmath.mpf("1e-25") * max(1, abs(expected)), \
                    (op, slot, point)
    assert checked >= 3, op


@pytest.mark.parametrize(("op", "point", "partials"), [
    ("relu", (0.0,), (0.0,)),  # relu'(0) = 0, as PyTorch
    ("abs", (0.0,), (0.0,)),  # abs'(0) = sign(0) = 0
    ("max", (2.0, 2.0), (0.5, 0.5)),  # a tie: half to each operand
    ("min", (2.0, 2.0), (0.5, 0.5)),
])
def test_the_kink_conventions_hold_in_floats_and_mpmath(op, point, partials):
    assert tuple(p(*point) for p in float_rule(op)[1]) == partials
    with mpmath.workdps(30):
        assert tuple(mpmath_partial(op, s)(*map(mpmath.mpf, point))
                     for s in range(len(point))) == partials


def test_each_function_class_carries_the_forms_of_the_tables():
    classes = (functions.sigmoid, functions.relu, functions.softplus, functions.log1p,
               functions.expm1)
    for cls in classes:
        assert cls.float_form is FLOAT_FORMS[cls.__name__], cls
        assert cls.mpmath_form is MPMATH_FORMS[cls.__name__], cls


def test_generated_python_helpers_are_the_float_forms():
    for helper, form in PYTHON_HELPERS.items():
        assert form.__name__ == f"_{helper}"
        namespace: dict = {"math": math}
        exec(inspect.getsource(form), namespace)  # the text generated code carries
        copy = namespace[form.__name__]
        for x in (-3.5, -0.0, 0.0, 1e-300, 2.0, 800.0, -800.0):
            args = (x, 0.5) if helper == "step" else (x,)
            assert copy(*args) == form(*args)


@pytest.mark.parametrize("name", sorted(n for n in ACTIVATIONS if ACTIVATIONS[n].elementwise))
def test_every_activation_derivative_is_sympy_diff_of_its_value(name):
    act = ACTIVATIONS[name]
    z = sympy.Symbol("z", real=True)
    assert sympy.simplify(act.symbolic_derivative(z) - sympy.diff(act.symbolic(z), z)) == 0
    for point in (R(-3, 2), R(-1, 5), R(0), R(1, 3), R(2)):
        assert math.isclose(act.value(float(point)), float(act.symbolic(point)),
                            rel_tol=1e-14, abs_tol=1e-300)
        assert math.isclose(act.derivative(float(point)),
                            float(act.symbolic_derivative(point)), rel_tol=1e-14)
    if name == "relu":  # σ'(0) = 0
        assert act.derivative(0.0) == 0.0 and act.symbolic_derivative(sympy.S.Zero) == 0


def test_softmax_and_its_jacobian_are_sympy_s():
    """softmax in floats (shifted by the max) == e^z/Σe^z exactly; its Jacobian == sympy.diff;
    no overflow where e^z alone overflows a float."""
    from symbp.network.functions import softmax_jacobian

    act = ACTIVATIONS["softmax"]
    z = sympy.symbols("z1:4", real=True)
    a = act.symbolic_layer(z)
    jacobian = softmax_jacobian(a)
    for k in range(3):
        for j in range(3):
            assert sympy.simplify(jacobian[k][j] - sympy.diff(a[k], z[j])) == 0
    for point in ((R(-3, 2), R(1, 5), R(2)), (R(0), R(0), R(0)), (R(800), R(799), R(-5))):
        exact = [v.xreplace(dict(zip(z, point, strict=True))) for v in a]
        floats = act.layer([float(p) for p in point])
        for f_, e in zip(floats, exact, strict=True):
            assert math.isclose(f_, float(sympy.N(e, 30)), rel_tol=1e-14, abs_tol=1e-300)
        assert math.isclose(math.fsum(floats), 1.0, rel_tol=1e-15)
    assert act.layer([1000.0, 0.0]) == pytest.approx([1.0, math.exp(-1000.0)], abs=1e-300)
    assert not act.elementwise and ACTIVATIONS["tanh"].elementwise


def test_activations_are_the_engine_rules():
    for act in ACTIVATIONS.values():
        if act.op is not None:
            assert act.symbolic is RULES[act.op].value
            assert act.symbolic_derivative is RULES[act.op].partials[0]


@pytest.mark.parametrize("name", sorted(COSTS))
def test_every_cost_gradient_is_sympy_diff_of_the_cost(name):
    cost = COSTS[name]
    a, y = sympy.symbols("a y", real=True)
    assert sympy.simplify(cost.symbolic_gradient(a, y) - sympy.diff(cost.component(a, y), a)) == 0
    outputs, targets = (0.2, 0.7, 0.55), (0.1, 1.0, 0.0)
    symbolic = cost.symbolic([sympy.Float(v, 30) for v in outputs],
                             [sympy.Float(v, 30) for v in targets])
    assert math.isclose(cost.value(outputs, targets), float(symbolic), rel_tol=1e-14)
    assert cost.gradient(outputs, targets) == pytest.approx(
        [float(cost.symbolic_gradient(sympy.Float(p, 30), sympy.Float(t, 30)))
         for p, t in zip(outputs, targets, strict=True)], rel=1e-14)


@pytest.mark.parametrize(("activation", "cost"), [
    *((activation, "quadratic") for activation in sorted(ACTIVATIONS)),
    ("sigmoid", "cross-entropy"),
    ("softmax", "log-likelihood"),
])
def test_the_neuron_graph_computes_the_activation_and_the_cost_of_the_tables(activation, cost):
    """The graph's cost nodes are written by hand (their names are pinned): they must spell
    the cost's expression, with σ the activation's."""
    from symbp.network.graph import (
        bias_name,
        input_name,
        network_graph,
        target_name,
        weight_name,
    )
    from symbp.network.model import Network

    network = Network((1, 2), activation, cost, (((0.5,), (-0.25,)),), ((0.1, 0.2),))
    graph = network_graph(network)
    s = graph.symbols
    x = s[input_name(1)]
    a = ACTIVATIONS[activation].symbolic_layer(
        [s[weight_name(2, j, 1)] * x + s[bias_name(2, j)] for j in (1, 2)])
    expected = COSTS[cost].symbolic(a, [s[target_name(j)] for j in (1, 2)])
    point = dict(zip(sorted(expected.free_symbols, key=str),
                     (R(1, 3), R(-2, 5), R(3, 7), R(1, 5), R(-1, 4), R(2, 9), R(4, 7)),
                     strict=True))
    if activation == "softmax":  # the shift m² is an input: any value, the same softmax
        point[s["m^{2}"]] = R(7, 3)
    assert set(point) == graph.expression().free_symbols
    assert abs(sympy.N(graph.expression().xreplace(point) - expected.xreplace(point), 30)) < 1e-25
