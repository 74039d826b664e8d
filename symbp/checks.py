"""Self-checks: every derivation is compared against independent oracles.

1. the sum over paths, forward mode and the reverse sweep agree (symbolically and in value);
2. the reverse sweep agrees with ``sympy.diff`` of the expression written out in the inputs;
3. it agrees with central finite differences at the point (high-precision mpmath).

Each :class:`Check` says which method actually ran; a check that could not run says
why (``passed is None``).  Comparisons never call ``simplify``/``expand`` on
expressions that could swell: beyond the size limits they compare numerically at
random points, and say so.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

import mpmath
import sympy

from .errors import DomainError
from .evaluate import numeric_values, to_mpf
from .graph import Graph

__all__ = ["Check", "same_expr", "same_value"]

EXPAND_LIMIT = 400
"""Largest expression (in SymPy operations) that is compared by expansion."""
RANDOM_POINTS = 3


@dataclass(frozen=True)
class Check:
    """One self-check: its result (``None`` = could not run), what ran, and details."""

    name: str
    passed: bool | None
    method: str
    detail: str = ""


def same_value(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal numbers: exactly for rationals, to 40 digits for exact irrationals, 1e-9 for floats."""
    a, b = sympy.sympify(a, strict=True), sympy.sympify(b, strict=True)
    if a.is_Rational and b.is_Rational:
        return a == b
    inexact = a.has(sympy.Float) or b.has(sympy.Float)
    digits = 30 if inexact else 50
    x, y = a.evalf(digits), b.evalf(digits)
    tolerance = sympy.Float("1e-9") if inexact else sympy.Float("1e-40", 50)
    scale = max(abs(x), abs(y), 1)
    return bool(abs(x - y) <= tolerance * scale)


def same_expr(a: sympy.Expr, b: sympy.Expr, *, seed: int = 0) -> tuple[bool, str]:
    """Whether two expressions are identical functions, and how that was decided."""
    difference = a - b
    if difference == 0:
        return True, "symbolic"
    if _small(difference) and (
        sympy.expand(difference) == 0 or sympy.simplify(difference) == 0
    ):
        return True, "symbolic"
    return _agree_at_random_points(a, b, seed), f"numeric at {RANDOM_POINTS} random points"


def _small(expr: sympy.Expr) -> bool:
    for size, sub in enumerate(sympy.preorder_traversal(expr), start=1):
        if size > EXPAND_LIMIT:
            return False
        if sub.is_Pow and sub.exp.is_Number and abs(sub.exp) > 12:
            return False  # expanding (a+b)**1000 would swell
    return True


_HALF = mpmath.mpf(1) / 2
_MPMATH = {
    "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "relu": lambda x: x if x > 0 else 0 * x,
    "Heaviside": lambda x, h0=_HALF: mpmath.mpf(1 if x > 0 else 0 if x < 0 else h0),
    "sign": mpmath.sign,
}


def _agree_at_random_points(a: sympy.Expr, b: sympy.Expr, seed: int) -> bool:
    """Both expressions at random points, 30 digits, evaluated once per distinct subtree.

    Expressions written out in the inputs share subtrees; a tree walk (``evalf``)
    would evaluate a subtree once per occurrence, exponentially often.  ``lambdify``
    with common-subexpression elimination evaluates each distinct subtree once.
    """
    rng = random.Random(seed)
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    both = sympy.lambdify(symbols, [a, b], modules=[_MPMATH, "mpmath"], cse=True)
    agreed = 0
    with mpmath.workdps(30):
        for _ in range(40):
            point = [mpmath.mpf(rng.uniform(0.5, 1.5)) for _ in symbols]
            try:
                x, y = both(*point)
            except (ZeroDivisionError, ValueError, OverflowError):
                continue
            if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (x, y)):
                continue  # outside the domain (complex or infinite): try another point
            if abs(x - y) > mpmath.mpf("1e-20") * max(abs(x), abs(y), 1):
                return False
            agreed += 1
            if agreed == RANDOM_POINTS:
                return True
    return False


def finite_differences(
    graph: Graph, point: Mapping[str, sympy.Expr], wrt: tuple[str, ...], dps: int = 40
) -> dict[str, object]:
    """Central differences (f(x+h) − f(x−h)) / 2h per input, with mpmath at ``dps`` digits.

    With 40 digits and h = 1e-15·max(1, |x|) both the truncation error (~h²) and the
    rounding error (~10⁻⁴⁰/h) are far below the 1e-10 tolerance used to compare.
    Raises :class:`DomainError` if a shifted point leaves the domain.
    """
    result = {}
    with mpmath.workdps(dps):
        base = {name: to_mpf(value, dps) for name, value in point.items()}
        for x in wrt:
            h = mpmath.mpf(10) ** (25 - dps) * max(1, abs(base[x]))
            up = numeric_values(graph, {**base, x: base[x] + h}, dps)[graph.output]
            down = numeric_values(graph, {**base, x: base[x] - h}, dps)[graph.output]
            result[x] = (up - down) / (2 * h)
    return result


def converged_finite_differences(
    graph: Graph, point: Mapping[str, sympy.Expr], x: str, tolerance: float = 1e-10
):
    """Central differences with ever smaller steps (and more digits) until two agree.

    A function as steep as x^(2^200) needs h far below 2^-200 before the difference
    quotient settles; each round shrinks h by 10^15 and adds 30 digits.  Returns the
    settled estimate, or ``None`` if it never settled.
    """
    previous = None
    for round_ in range(8):
        dps = 40 + 30 * round_
        estimate = finite_differences(graph, point, (x,), dps)[x]
        with mpmath.workdps(dps):
            if previous is not None and abs(estimate - previous) <= tolerance * max(
                1, abs(estimate)
            ):
                return estimate
        previous = estimate
    return None


def compare_with_finite_differences(
    graph: Graph,
    point: Mapping[str, sympy.Expr],
    gradient: Mapping[str, sympy.Expr],
    wrt: tuple[str, ...],
) -> Check:
    """Check the gradient's values against central finite differences."""
    name = "reverse == finite differences"
    bad, unsettled = [], []
    for x in wrt:
        try:
            estimate = converged_finite_differences(graph, point, x)
        except DomainError as exc:
            return Check(name, None, "central differences", f"skipped: {exc}")
        if estimate is None:
            unsettled.append(x)
            continue
        with mpmath.workdps(40):
            ours = to_mpf(gradient[x], 40)
            if abs(ours - estimate) > mpmath.mpf("1e-10") * max(1, abs(ours)):
                bad.append(f"d/d{x}: {mpmath.nstr(ours, 15)} vs {mpmath.nstr(estimate, 15)}")
    if unsettled and len(unsettled) == len(wrt):
        return Check(name, None, "central differences",
                     "skipped: the difference quotients did not settle")
    detail = "; ".join(bad) if bad else (
        "agree to 1e-10")
    if unsettled:
        detail += f" (did not settle for {', '.join(unsettled)})"
    return Check(name, not bad, "central differences", detail)
