"""A wrong rule must be caught by the checks and shown loudly, never passed off as right."""

from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.core import rules


@pytest.fixture
def broken_product_rule(monkeypatch):
    """∂(x·y)/∂x = y + 1: wrong on purpose."""
    wrong = dataclasses.replace(
        rules.RULES["mul"], partials=(lambda x, y: y + 1, lambda x, y: x))
    monkeypatch.setitem(rules.RULES, "mul", wrong)


def test_explain_raises_with_the_failed_check(broken_product_rule):
    with pytest.raises(symbp.CheckFailure) as info:
        symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
    failed = {check.name for check in info.value.explanation.failures}
    assert "reverse == sympy.diff" in failed
    assert "reverse == finite differences" in failed
    # paths, forward and reverse use the same (wrong) local partials, so they agree:
    # only the independent oracles can catch a wrong rule — and they do
    assert "forward == reverse" not in failed


def test_cli_shows_the_failure_and_exits_3(broken_product_rule):
    r = CliRunner(env={"COLUMNS": "100"}).invoke(
        app, ["explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1", "-s", "checks"])
    assert r.exit_code == 3
    assert "✗ FAILED reverse == sympy.diff" in r.stdout
    assert "this is a bug in symbp" in r.stderr


def test_non_strict_explain_returns_the_failing_explanation(broken_product_rule):
    ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", strict=False)
    assert not ex.ok
    assert "FAILED" in str(ex)


SINE_OF_A_HUGE_NUMBER = "y = abs(asin(sin(expm1(c))/(sin(expm1(c))^2 + 1)))"


@pytest.fixture
def broken_expm1_rule(monkeypatch):
    """expm1' = 2·exp: wrong on purpose (in floats and mpmath too: their compiled forms
    are cached per operation, so they are recompiled around the patch)."""
    import sympy

    from symbp.core.checks import mpmath_partial
    from symbp.core.numeric import float_rule

    wrong = dataclasses.replace(rules.RULES["expm1"], partials=(lambda x: 2 * sympy.exp(x),))
    float_rule.cache_clear(), mpmath_partial.cache_clear()
    monkeypatch.setitem(rules.RULES, "expm1", wrong)
    yield
    float_rule.cache_clear(), mpmath_partial.cache_clear()


@pytest.mark.parametrize("at", [{"c": 100.0}, {"c": 100}])
def test_finite_differences_catch_a_wrong_rule_at_an_extreme_point(broken_expm1_rule, at):
    # at c = 100.0 the floats' sin(fl(expm1(100))) says nothing about the exact slope, so the
    # check compares the rules in many digits with the difference quotient: a wrong rule
    # is still a loud failure there, never "cannot judge"
    ex = symbp.explain(SINE_OF_A_HUGE_NUMBER, at=at, strict=False)
    check = {c.name: c for c in ex.checks}["reverse == finite differences"]
    assert check.passed is False, check
    assert check.detail.startswith("d/dc: ")


def test_a_constant_derivative_is_compared_at_random_points_not_skipped():
    # sympy.diff of max(a, min(a, b)) (= a) is the constant 1, which lambdify returns as a
    # Python int: the comparison used to skip every point and call the gradient wrong
    import sympy

    gradient = symbp.gradient("y = max(a, min(a, b))")
    a, b = sympy.symbols("a b", real=True)
    for x, y in [(1, 2), (2, 1), (0.3, -4)]:  # each side of the kink a = b
        point = {a: x, b: y}
        assert gradient["a"].subs(point) == 1 and gradient["b"].subs(point) == 0
    assert symbp.gradient("y = max(a, min(a, b))", at="a=1,b=2") == {"a": 1, "b": 0}


def test_piecewise_expressions_need_points_on_both_sides_of_a_kink():
    import sympy

    from symbp.core.checks import same_expr

    a, b = sympy.symbols("a b", real=True)
    step = sympy.Heaviside(a - b)
    for seed in range(40):  # three points fell on one side for 1 seed in 8
        assert not same_expr(step, sympy.Integer(1), seed=seed)[0]
        assert same_expr(step + sympy.Heaviside(b - a), sympy.Integer(1), seed=seed)[0]
