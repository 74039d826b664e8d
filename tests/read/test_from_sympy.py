"""from_sympy: SymPy expressions become graphs that read the way people write them."""

from __future__ import annotations

import pytest
import sympy

import symbp

a, b, c, x = sympy.symbols("a b c x", real=True)


def program(expr, **kwargs) -> list[str]:
    return symbp.from_sympy(expr, **kwargs).program().splitlines()


def test_subtraction_and_division_are_shown_naturally():
    assert program(a - b) == ["f = a - b"]
    assert program(a / b) == ["f = a/b"]
    assert program(-a) == ["f = -a"]
    assert program(2 * a - 3 * b / c) == ["d = 2*a", "e = 3*b", "g = e/c", "f = d - g"]
    assert program(-a * b / 2) == ["c = a*b", "d = c/2", "f = -d"]
    assert program(1 / sympy.sqrt(a)) == ["b = sqrt(a)", "f = 1/b"]


def test_output_name_and_sharing():
    assert symbp.from_sympy((a + b) * (a + b) ** 3, name="y").output == "y"
    assert program(sympy.sin(a + b) * sympy.cos(a + b)) == [
        "c = a + b", "d = cos(c)", "e = sin(c)", "f = d*e"]


def test_gradient_matches_sympy_diff_on_the_sympy_side():
    expr = sympy.exp(-x) * sympy.sin(a * x) / (1 + x**2) - sympy.log(a) * sympy.tanh(x)
    ours = symbp.gradient(symbp.from_sympy(expr))
    for symbol in (a, x):
        difference = ours[symbol.name] - sympy.diff(expr, symbol)
        assert sympy.simplify(difference) == 0


def test_explain_accepts_sympy_expressions():
    ex = symbp.explain((a + b) * (b + 1), at={"a": 2, "b": 1})
    assert ex.gradient["a"].value == 2 and ex.gradient["b"].value == 5
    assert ex.ok


def test_unsupported_constructs_name_the_function():
    with pytest.raises(symbp.SymbpError, match="no derivative rule for Piecewise"):
        symbp.from_sympy(sympy.Piecewise((a, a > 0), (b, True)))
    with pytest.raises(symbp.SymbpError, match="nothing to differentiate"):
        symbp.from_sympy(sympy.Integer(3))
    with pytest.raises(symbp.SymbpError, match="just an input"):
        symbp.from_sympy(a)
