"""The functions a calculus or ML course uses: ln, log(x, b), pow, asin, acos, max, min,
softplus, log1p, expm1 — hand-checked numbers, kink conventions, accuracy, domains, how
every format prints them, and a wrong rule for each caught by the checks.

(The random-program property tests of test_properties.py and test_render_*.py draw
these functions too.)
"""

from __future__ import annotations

import dataclasses
import json
import math

import mpmath
import pytest
import sympy

import symbp
from symbp.core import rules
from symbp.core.rules import CALLS, FUNCTIONS, RULES

x, b = sympy.symbols("x b", real=True)
NEW = ("log_base", "asin", "acos", "max", "min", "softplus", "log1p", "expm1")


def d(text: str, at: str) -> dict:
    return symbp.gradient(text, at=at)


def test_hand_checked_derivatives():
    assert d("y = ln(x)", "x=2") == {"x": sympy.Rational(1, 2)}
    assert d("y = log(x, 2)", "x=4") == {"x": 1 / (4 * sympy.log(2))}
    # d/db log_b(8) = -ln 8 / (b ln² b) = -3/(2 ln 2) at b = 2
    assert sympy.simplify(d("y = log(8, b)", "b=2")["b"] + 3 / (2 * sympy.log(2))) == 0
    assert d("y = pow(x, 3)", "x=2") == {"x": 12}
    assert d("y = pow(2, x)", "x=3") == {"x": 8 * sympy.log(2)}
    assert d("y = asin(x)", "x=1/2") == {"x": 2 / sympy.sqrt(3)}
    assert d("y = acos(x)", "x=1/2") == {"x": -2 / sympy.sqrt(3)}
    assert d("y = atan(x)", "x=1") == {"x": sympy.Rational(1, 2)}
    assert d("y = sinh(x)", "x=0") == {"x": 1}
    assert d("y = cosh(x)", "x=0") == {"x": 0}
    assert d("y = softplus(x)", "x=0") == {"x": sympy.Rational(1, 2)}
    assert d("y = log1p(x)", "x=1") == {"x": sympy.Rational(1, 2)}
    assert d("y = expm1(x)", "x=0") == {"x": 1}
    assert d("y = max(x, b)", "x=3,b=1") == {"x": 1, "b": 0}
    assert d("y = max(x, b)", "x=1,b=3") == {"x": 0, "b": 1}
    assert d("y = min(x, b)", "x=3,b=1") == {"x": 0, "b": 1}


def test_ln_is_log_and_pow_is_the_power():
    assert symbp.parse("y = ln(x)").program() == symbp.parse("y = log(x)").program()
    assert symbp.parse("y = pow(x, 3)").program() == symbp.parse("y = x**3").program()
    assert symbp.parse("y = log(x, 2)")["y"].op == "log_base"
    assert CALLS["log"] == {1: "log", 2: "log_base"}
    assert {"ln", "pow", "asin", "acos", "max", "min", "softplus", "log1p", "expm1"} <= set(
        FUNCTIONS)


@pytest.mark.parametrize(("fn", "engine"), [("max", "torch.maximum"), ("min", "torch.minimum")])
def test_a_tie_gives_half_to_each_operand_as_pytorch(fn, engine):
    # PyTorch: maximum(self, other) backward is grad/2 to each where self == other
    ex = symbp.explain(f"y = {fn}(x, b)", at="x=2,b=2")
    assert {k: q.value for k, q in ex.gradient.items()} == {
        "x": sympy.Rational(1, 2), "b": sympy.Rational(1, 2)}
    assert any("not differentiable" in w and engine in w for w in ex.warnings)
    # the halves add up to the derivative along x = b: max(x, x) = x
    assert d(f"y = {fn}(x, x)", "x=2") == {"x": 1}


def test_max_with_zero_is_not_relu_at_the_kink():
    # relu'(0) = 0 (PyTorch's relu); max(x, 0) at 0 splits the tie (PyTorch's maximum)
    assert d("y = relu(x)", "x=0") == {"x": 0}
    assert d("y = max(x, 0)", "x=0") == {"x": sympy.Rational(1, 2)}
    assert d("y = max(x, 0)", "x=0.5") == {"x": 1.0}


def test_decimals_keep_their_digits():
    assert d("y = log1p(x)", "x=1e-20") == {"x": pytest.approx(1.0)}
    value = symbp.explain("y = log1p(x)", at="x=1e-20").values["y"]
    assert value == pytest.approx(1e-20, rel=1e-12)  # log(1 + x) would give 0
    value = symbp.explain("y = expm1(x)", at="x=1e-20").values["y"]
    assert value == pytest.approx(1e-20, rel=1e-12)
    assert symbp.explain("y = softplus(x)", at="x=800.0").values["y"] == pytest.approx(800)
    tiny = symbp.explain("y = softplus(x)", at="x=-700.0").values["y"]
    assert tiny == pytest.approx(math.exp(-700), rel=1e-12)  # log(1 + e^x) ≈ e^x, not 0


def test_exact_values_are_exact():
    ex = symbp.explain("y = log1p(x) + expm1(x) + softplus(x)", at="x=1")
    assert sympy.simplify(ex.values["y"] - (sympy.log(2) + sympy.E - 1 + sympy.log(1 + sympy.E))
                          ) == 0
    assert symbp.explain("y = log(x, 2)", at="x=8").values["y"] == 3


@pytest.mark.parametrize(("text", "at", "message"), [
    ("y = asin(x)", "x=2", "asin is defined for -1 <= x <= 1 only"),
    ("y = acos(x)", "x=-3/2", "acos is defined for -1 <= x <= 1 only"),
    ("y = asin(x)", "x=1", "local partial"),  # asin' is infinite at 1
    ("y = log(x, b)", "x=2,b=1", "base b > 0 other than 1"),
    ("y = log(x, b)", "x=-2,b=3", "base b > 0 other than 1"),
    ("y = log1p(x)", "x=-1", "log1p is defined for x > -1 only"),
    ("y = log1p(x)", "x=-2.0", "log1p is defined for x > -1 only"),
])
def test_outside_the_domain_is_a_one_line_error(text, at, message):
    with pytest.raises(symbp.DomainError, match=message):
        symbp.explain(text, at=at)


PROGRAM = ("y = max(x, 1)*log(x, 2) + min(x, 3) + softplus(x) + log1p(x)*expm1(x)"
           " + asin(x/4) + acos(x/4) + ln(x) + pow(x, 2)")


def test_every_format_prints_them_as_written():
    ex = symbp.explain(PROGRAM, at="x=2", full=True)
    terminal = str(ex)
    for shown in ("max(x, 1)", "log(x, 2)", "min(x, 3)", "softplus(x)", "log1p(x)",
                  "expm1(x)", "asin(", "acos("):
        assert shown in terminal
    assert "Max(" not in terminal and "log_base" not in terminal
    latex = symbp.to_latex(ex)
    for shown in (r"\max\left(x, 1\right)", r"\log_{2}\left(x\right)", r"\min\left(x, 3\right)",
                  r"\operatorname{softplus}\left(x\right)", r"\operatorname{log1p}\left(x\right)",
                  r"\operatorname{expm1}\left(x\right)", r"\operatorname{asin}"):
        assert shown in latex, shown
    document = json.loads(symbp.to_json(ex))
    formulas = {n["formula"] for n in document["nodes"]}
    assert {"max(x, 1)", "log(x, 2)", "min(x, 3)", "softplus(x)", "log1p(x)",
            "expm1(x)"} <= formulas
    assert "log(x, 2)" in symbp.to_dot(ex)


def test_the_staged_python_runs_to_the_engines_numbers():
    code = symbp.to_python(symbp.explain(PROGRAM))
    for shown in ("max(x, 1)", "math.log(x, 2)", "min(x, 3)", "_softplus(x)", "math.log1p(x)",
                  "math.expm1(x)", "math.asin", "math.acos"):
        assert shown in code, shown
    namespace: dict = {}
    exec(compile(code, "<symbp>", "exec"), namespace)  # the code symbp generated
    for point in (0.5, 1.5, 2.5, 3.5):
        value, gradient = namespace["forward_backward"](point)
        assert gradient["x"] == pytest.approx(float(d(PROGRAM, f"x={point}")["x"]), rel=1e-12)
        assert value == pytest.approx(float(symbp.explain(PROGRAM, at=f"x={point}")
                                            .values["y"]), rel=1e-12)


def test_the_written_forms_parse_back():
    graph = symbp.parse(PROGRAM)
    again = symbp.parse(graph.program())
    assert again.program() == graph.program()


def test_from_sympy_knows_them():
    from symbp.core.functions import expm1, log1p, softplus

    a, c = sympy.symbols("a c", real=True)
    expr = sympy.Max(a, x, c) * softplus(a) + log1p(x**2) + expm1(a) + sympy.asin(a / 3)
    graph = symbp.from_sympy(expr)
    assert [n.op for n in graph.nodes].count("max") == 2
    at = {"a": sympy.Rational(1, 2), "x": 2, "c": 1}
    ours = symbp.gradient(graph, at=at)
    for s in (a, x, c):
        reference = sympy.diff(expr, s).subs({a: at["a"], x: 2, c: 1})
        assert abs(sympy.N(ours[s.name], 30) - sympy.N(reference, 30)) < 1e-25


@pytest.mark.parametrize("op", NEW)
def test_a_wrong_rule_for_each_is_caught(op, monkeypatch):
    rule = RULES[op]
    wrong = dataclasses.replace(rule, partials=(
        lambda *args: rule.partials[0](*args) + 1, *rule.partials[1:]))
    monkeypatch.setitem(rules.RULES, op, wrong)
    call = rule.names[0]
    text = f"y = {call}(x, b)" if rule.arity == 2 else f"y = {call}(x)"
    with pytest.raises(symbp.CheckFailure) as info:
        symbp.explain(text, at="x=1/3,b=3" if rule.arity == 2 else "x=1/3")
    failed = {check.name for check in info.value.explanation.failures}
    assert {"reverse == sympy.diff", "reverse == finite differences"} <= failed


def test_every_rule_has_an_mpmath_and_a_float_form():
    from symbp.core.numeric import float_rule

    for op, rule in RULES.items():
        arguments = (0.3, 2.5)[: rule.arity]
        value, partials = float_rule(op)
        with mpmath.workdps(30):
            exact = rule.numeric(*(mpmath.mpf(v) for v in arguments))
        assert math.isclose(value(*arguments), float(exact), rel_tol=1e-12), op
        assert len(partials) == rule.arity
