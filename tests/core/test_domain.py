"""Undefined points name the node; kinks state the convention and warn."""

from __future__ import annotations

import pytest
import sympy

import symbp
from symbp.errors import DomainError


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("e = log(a)", "a=0", "e = log(a) is undefined at this point (a = 0): log is defined "
         "for positive numbers only"),
        ("e = 1/(a - b)", "a=1,b=1", "e = 1/c is undefined at this point (c = 0): division by "
         "zero"),
        ("e = sqrt(a)", "a=-1", "e = sqrt(a) is undefined at this point (a = -1): sqrt is "
         "defined for non-negative numbers only"),
        ("e = log(a)", "a=-0.5", "e = log(a) is undefined at this point (a = -0.5)"),
        ("e = a/b", "b=0.0,a=1.0", "division by zero"),
    ],
)
def test_undefined_values_name_the_node(text, at, message):
    with pytest.raises(DomainError) as info:
        symbp.explain(text, at=at)
    assert message in str(info.value)
    with pytest.raises(DomainError):
        symbp.gradient(text, at=at)


def test_undefined_local_partial_names_the_edge():
    with pytest.raises(DomainError, match=r"∂e/∂a = 1/\(2·sqrt\(a\)\) is undefined"):
        symbp.explain("e = sqrt(a)", at="a=0")
    with pytest.raises(DomainError, match="undefined"):
        symbp.gradient("e = sqrt(a)", at="a=0")


@pytest.mark.parametrize(("text", "convention"), [
    ("e = relu(a)*b", "relu'(0) = 0"),
    ("e = abs(a)*b", "abs'(0) = sign(0) = 0"),
])
def test_kinks_warn_and_use_the_stated_convention(text, convention):
    ex = symbp.explain(text, at="a=0,b=3")
    assert any(convention in warning for warning in ex.warnings)
    assert ex.gradient["a"].value == 0  # the convention, applied
    fd = next(c for c in ex.checks if c.name == "reverse == finite differences")
    assert fd.passed is None and "kink" in fd.detail


def test_away_from_the_kink_no_warning():
    ex = symbp.explain("e = relu(a)*b + abs(a)", at="a=-2,b=3")
    assert ex.warnings == ()
    assert ex.gradient["a"].value == -1
    assert ex.ok


def test_exact_values_stay_exact():
    ex = symbp.explain("e = sin(a)*b/3", at="a=2,b=1/2")
    assert ex.values["e"] == sympy.sin(2) / 6
    assert ex.gradient["a"].value == sympy.cos(2) / 6
    assert ex.gradient["b"].value == sympy.sin(2) / 3


def test_huge_exact_numbers_are_refused_quickly():
    with pytest.raises(symbp.SymbpError, match="too large to compute exactly"):
        symbp.explain("e = a**100000", at="a=3")
    # the same in floats is fine (and overflows loudly only if it really does)
    assert symbp.gradient("e = a**3", at="a=2.0")["a"] == pytest.approx(12.0)
