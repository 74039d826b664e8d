"""Exact arithmetic with a size bound: numbers computed exactly, refused before they grow
past :data:`MAX_EXACT_BITS` (a power such as ``10**10**6`` would take minutes and megabytes).

Constant folding in the parser and the values of :mod:`symbp.core.evaluate` both go through
:func:`exact_apply`; numbers given at a point go through :func:`exact_integer` and
:func:`check_exact`.
"""

from __future__ import annotations

import mpmath
import sympy

from ..errors import SymbpError
from ..limits import MAX_LITERAL_DIGITS
from .exact import MAX_DIGITS, certain, reduction_digits, second_opinion
from .rules import RULES

__all__ = ["MAX_EXACT_BITS", "check_exact", "exact_apply", "exact_integer"]

MAX_EXACT_BITS = 20_000
"""Largest exact integer (numerator or denominator) symbp computes, in bits (~6000 digits)."""


def exact_apply(op: str, args) -> sympy.Expr:
    """Apply ``op`` to numbers, refusing exact results too large to compute quickly."""
    if op == "pow":
        _check_power_size(*args)
    if op in _PERIODIC:
        _check_reducible(op, args[0])
    value = RULES[op].value(*args)
    if value == 0 and not all(isinstance(a, sympy.Rational) for a in args):
        value = _confirmed_zero(op, args)
    if isinstance(value, sympy.Rational) and max(
        abs(value.p).bit_length(), value.q.bit_length()
    ) > MAX_EXACT_BITS:
        size = abs(value.p).bit_length() - value.q.bit_length()  # log2 |value|, ±1
        raise SymbpError(
            f"an exact number grew past {MAX_EXACT_BITS:,} bits; {_in_floats(size)}")
    return value


def _confirmed_zero(op: str, args) -> sympy.Expr:
    """A 0 that SymPy's automatic evaluation decided from irrational operands, confirmed.

    SymPy may decide a value is 0 through an assumption it computed with too few digits
    (SymPy 1.14: ``sin(log(1 + 10^-14)).is_zero`` is True, so ``sinh`` of it "is" 0 and
    relu's step after it flips).  When certified digits show the unevaluated value is
    not 0, it is kept unevaluated; a true 0 (sin(π)) cannot be certified and stays 0.
    """
    unevaluated = RULES[op].formula(*args)
    digits = certain(unevaluated, 15)
    if digits is not None:
        return unevaluated if digits != 0 else sympy.S.Zero
    # not certifiable within the budget: a second opinion whose digits follow the operands
    opinion = second_opinion(unevaluated)
    if opinion is None:
        return sympy.S.Zero
    approx, zero = opinion
    return unevaluated if abs(approx) > zero else sympy.S.Zero


_PERIODIC = ("sin", "cos", "tan")
"""Operations that reduce their argument modulo π before anything else (mpmath's way)."""


def _check_reducible(op: str, argument: sympy.Expr) -> None:
    """Refuse sin, cos or tan of an exact number too large to reduce modulo π.

    Their value could never be certified (that takes more than :data:`MAX_DIGITS` digits of
    π), and worse, SymPy evaluates such a value wherever it meets it — relu asking its
    sign, an Add's printer ordering its terms — for hours (sin(e^(10^8))).
    """
    if isinstance(argument, sympy.Float):
        return  # a float is below 10^309: its reduction is quick
    digits = reduction_digits(argument)
    if digits > MAX_DIGITS:
        size, needs = ((f"near 10^{digits:,}", f"about {digits:,}") if digits < 10**15
                       else ("beyond 10^(10^15)", "more than 10^15"))
        raise SymbpError(
            f"{op} of a number {size} cannot be evaluated: reducing it modulo π takes "
            f"{needs} digits of π, and symbp works with at most {MAX_DIGITS:,}; make the "
            f"argument of {op} smaller (another point or constant)", parameter="at")


def _check_power_size(base, exponent) -> None:
    if not (isinstance(base, sympy.Rational) and isinstance(exponent, sympy.Rational)):
        return
    if base in (0, 1, -1) or (exponent.q != 1 and abs(exponent) < 64):
        return
    with mpmath.workdps(30):  # the bits of the power's numerator or denominator, log2 + 1
        bits = mpmath.floor(abs(exponent) * max(mpmath.log(abs(base.p), 2),
                                                mpmath.log(base.q, 2))) + 1
        size = exponent * (mpmath.log(abs(base.p), 2) - mpmath.log(base.q, 2))
    if bits > MAX_EXACT_BITS:
        shown = f"{int(bits):,}" if bits < 10**15 else mpmath.nstr(bits, 3)
        raise SymbpError(
            f"{_operand(base)}**{_operand(exponent)} is too large to compute exactly (about "
            f"{shown} bits; symbp computes exactly with at most {MAX_EXACT_BITS:,} "
            f"bits); {_in_floats(size)}")


def _operand(number: sympy.Rational) -> str:
    """A power's base or exponent as Python reads it: (10001/10000)**…, 2**(-3); a long
    one by its size, (≈ 1.000e+6000), not its thousands of digits."""
    if max(abs(number.p).bit_length(), number.q.bit_length()) > 128:
        return f"(≈ {sympy.sstr(sympy.Float(number, 4))})"
    return str(number) if number.q == 1 and number >= 0 else f"({number})"


def _in_floats(log2_size) -> str:
    """What to do about an exact number too long to compute, given log2 of its size:
    compute in floats when they hold it, else choose another point (floats would
    overflow to ±inf or underflow to 0, and their error would send the user back)."""
    if -1020 < log2_size < 1020:
        return "use decimals (2.0) to compute with floats"
    with mpmath.workdps(30):
        power = mpmath.mpf(log2_size) * mpmath.log10(2)
        shown = (f"{int(power):,}" if abs(power) < 10**15
                 else f"({mpmath.nstr(power, 3)})")
    if log2_size > 0:
        return (f"it is near 10^{shown}, beyond the range of floats (about ±1.8e308) too; "
                "choose a point where it is smaller")
    return (f"it is near 10^{shown}, too small for floats (about 2.2e-308) too; "
            "choose a point where it is larger")


def exact_integer(value: int) -> sympy.Integer:
    """``value`` as a SymPy integer, refused beyond :data:`MAX_EXACT_BITS`."""
    if value.bit_length() > MAX_EXACT_BITS:
        raise SymbpError(
            f"an integer of {value.bit_length():,} bits; symbp computes exactly with at most "
            f"{MAX_EXACT_BITS:,} bits (about {MAX_LITERAL_DIGITS:,} digits)")
    return sympy.Integer(value)


def check_exact(value: sympy.Expr) -> sympy.Expr:
    """A SymPy number given as a value, refused when its exact form is beyond
    :data:`MAX_EXACT_BITS` (numerator or denominator)."""
    if isinstance(value, sympy.Rational):
        exact_integer(int(value.p))
        exact_integer(int(value.q))
    return value
