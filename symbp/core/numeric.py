"""Float evaluation of the rule table (for points given with decimals).

SymPy ``Float`` arithmetic costs tens of microseconds per operation; plain Python
floats cost tens of nanoseconds.  When a point has a decimal in it, symbp computes
in floats, with functions compiled once per operation from the *same* rule table
(``sympy.lambdify`` of each rule's value and partials, with symbp's functions in their
float forms, :data:`symbp.core.forms.FLOAT_FORMS`) — no second copy of the rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import mpmath
import sympy

from .exact import TooCostly
from .forms import FLOAT_FORMS, MPMATH_FORMS
from .rules import rule_for

__all__ = ["float_function", "float_rule", "is_defined", "is_float_point", "mpmath_value"]


def is_defined(value) -> bool:
    """True for a finite real number (SymPy or Python).

    SymPy's assumptions cannot always decide (is tan(sin(1)) finite?); then the number
    is evaluated to 30 digits and looked at.  A number whose exponent overflows even
    mpmath is :class:`~symbp.core.exact.TooCostly` (a one-line error, not a crash).
    """
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, complex | sympy.AccumBounds):  # SymPy: sin(oo) is real and finite
        return False
    try:
        real, finite = value.is_extended_real, value.is_finite
        if real is not None and finite is not None:
            return bool(real and finite)
        number = value.evalf(30)
    except OverflowError:  # mpmath's integers overflow: 1 - tanh(exp(3·10^293))^2
        raise TooCostly("a value is too extreme to evaluate (its exponent overflows)") from None
    return bool(number.is_Number and number.is_real and number.is_finite)


@cache
def float_rule(op: str):
    """``(value, partials)`` of ``op`` as plain-float functions."""
    rule = rule_for(op)
    xs = sympy.symbols(f"x0:{rule.arity}", real=True)
    modules = [FLOAT_FORMS, "math"]
    value = _careful(sympy.lambdify(xs, rule.value(*xs), modules=modules), rule.value)
    partials = tuple(_careful(sympy.lambdify(xs, p(*xs), modules=modules), p)
                     for p in rule.partials)
    return value, partials


def float_function(function: Callable[..., sympy.Expr], arity: int = 1) -> Callable[..., float]:
    """``function`` of SymPy operands (a rule's value or partial) compiled to plain floats with
    symbp's float forms, each common subexpression once (``sigmoid' = s·(1 − s)`` calls
    sigmoid once).  No slow path: an overflow or a domain error reaches the caller."""
    xs = sympy.symbols(f"x0:{arity}", real=True)
    return sympy.lambdify(xs, function(*xs), modules=[FLOAT_FORMS, "math"], cse=True)


def _careful(fast, rule_function):
    """``fast`` (plain floats), redone with 30-digit SymPy Floats when it fails.

    Floats fail where the result is fine: 1/(1 + x**2) at x = 1e308 overflows in x**2
    (the answer 1e-616 rounds to 0.0), and the power rule's 0·0**(-1) for x**0 at 0
    divides by zero (the rule itself says 0).  The slow path runs only on failure;
    a result beyond the range of floats stays an overflow.
    """
    def evaluate(*args):
        try:
            return fast(*args)
        except (ValueError, ZeroDivisionError, OverflowError):
            try:
                value = rule_function(*(sympy.Float(a, 30) for a in args))
            except (ValueError, ZeroDivisionError, OverflowError):
                value = sympy.nan
            if not is_defined(value):
                raise ValueError("not a finite real number") from None
            return float(value)  # inf when beyond floats: the caller reports an overflow
    return evaluate


def is_float_point(point) -> bool:
    """True when some coordinate is a decimal: the whole computation then runs in floats."""
    return any(
        isinstance(v, float) or (isinstance(v, sympy.Basic) and v.has(sympy.Float))
        for v in point.values()
    )


_MPMATH_FUNCTIONS: dict[str, Callable] = {
    **{f: getattr(mpmath, f) for f in ("sin", "cos", "tan", "exp", "log", "sinh", "cosh",
                                       "tanh", "asin", "acos", "atan")},
    "Abs": mpmath.fabs, "Max": max, "Min": min, **MPMATH_FORMS,
}


def mpmath_value(expr: sympy.Expr, env: dict):
    """``expr`` evaluated as written in mpmath at the working precision, each symbol from
    ``env`` (SymPy symbol → mpmath number): sums, products, powers and the functions of
    the rule table, one mpmath operation each — microseconds where SymPy's ``Float``
    arithmetic takes tens of them.  Constants (π, √2) come to the working precision."""
    value = env.get(expr)
    if value is not None:
        return value
    if expr.is_Add:
        return mpmath.fsum([mpmath_value(a, env) for a in expr.args])
    if expr.is_Mul:
        return mpmath.fprod([mpmath_value(a, env) for a in expr.args])
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer:
            return mpmath_value(base, env) ** int(exponent)
        return mpmath.power(mpmath_value(base, env), mpmath_value(exponent, env))
    if expr.is_number:
        return mpmath.mpf(expr.evalf(mpmath.mp.dps + 5)._to_mpmath(mpmath.mp.prec + 20))
    function = _MPMATH_FUNCTIONS.get(type(expr).__name__) if expr.is_Function else None
    if function is None:
        raise TypeError(f"no mpmath form for {type(expr).__name__}")
    return function(*(mpmath_value(a, env) for a in expr.args))
