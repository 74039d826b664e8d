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
from functools import cache

import mpmath
import sympy

from ..errors import DomainError
from .evaluate import numeric_values, to_mpf
from .exact import TooCostly, budget, certain
from .forms import MPMATH_FORMS
from .graph import Graph
from .printing import name as shown_name
from .rules import SMOOTHNESS, rule_for

__all__ = ["Check", "same_expr", "same_value"]

EXPAND_LIMIT = 400
"""Largest expression (in SymPy operations) that is compared by expansion."""
RANDOM_POINTS = 3
PIECEWISE_POINTS = 24
"""Random points for piecewise expressions (Heaviside, Min, Abs…): three points can all fall
on one side of a kink (Heaviside(a − b) against 1 agrees at 1 in 8 triples); 24 cannot,
but once in 8 million."""
_PIECEWISE = (sympy.Heaviside, sympy.sign, sympy.Abs, sympy.Min, sympy.Max, sympy.Piecewise)


@dataclass(frozen=True)
class Check:
    """One self-check: its result (``None`` = could not run), what ran, and details."""

    name: str
    passed: bool | None
    method: str
    detail: str = ""
    prose: tuple = ()
    """The detail as runs that hold their math (:mod:`symbp.network.prose`) when the check
    built them, for renderers that typeset math; ``detail`` is their plain text."""


def same_value(a: sympy.Expr, b: sympy.Expr) -> bool | None:
    """Equal numbers: exactly for rationals, to 1e-15 relative for exact irrationals (their
    certified decimals), 1e-9 for floats.  ``None`` when a value cannot be certified."""
    a, b = sympy.sympify(a, strict=True), sympy.sympify(b, strict=True)
    if a.is_Rational and b.is_Rational:
        return a == b
    inexact = a.has(sympy.Float) or b.has(sympy.Float)
    x, y = certain(a, 20), certain(b, 20)
    if x is None or y is None:
        return None
    if inexact:  # float sums in another order: an error relative to the terms, say 1
        return bool(abs(x - y) <= sympy.Float("1e-9") * max(abs(x), abs(y), 1))
    return bool(abs(x - y) <= sympy.Float("1e-15", 20) * max(abs(x), abs(y)))


def same_expr(a: sympy.Expr, b: sympy.Expr, *, seed: int = 0) -> tuple[bool, str]:
    """Whether two expressions are identical functions, and how that was decided."""
    difference = a - b
    if difference == 0:
        return True, "symbolic"
    if _small(difference) and (
        sympy.expand(difference) == 0 or sympy.simplify(difference) == 0
    ):
        return True, "symbolic"
    points = PIECEWISE_POINTS if a.has(*_PIECEWISE) or b.has(*_PIECEWISE) else RANDOM_POINTS
    return _agree_at_random_points(a, b, seed, points), f"numeric at {points} random points"


def _small(expr: sympy.Expr) -> bool:
    for size, sub in enumerate(sympy.preorder_traversal(expr), start=1):
        if size > EXPAND_LIMIT:
            return False
        if sub.is_Pow and sub.exp.is_Number and abs(sub.exp) > 12:
            return False  # expanding (a+b)**1000 would swell
    return True


def _agree_at_random_points(a: sympy.Expr, b: sympy.Expr, seed: int,
                            points: int = RANDOM_POINTS) -> bool:
    """Both expressions at random points, 30 digits, evaluated once per distinct subtree.

    Expressions written out in the inputs share subtrees; a tree walk (``evalf``)
    would evaluate a subtree once per occurrence, exponentially often.  ``lambdify``
    with common-subexpression elimination evaluates each distinct subtree once.
    """
    rng = random.Random(seed)
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    both = sympy.lambdify(symbols, [a, b], modules=[MPMATH_FORMS, "mpmath"], cse=True)
    agreed = 0
    with mpmath.workdps(30):
        for _ in range(37 + points):  # a few points may fall outside the domain
            point = [mpmath.mpf(rng.uniform(0.5, 1.5)) for _ in symbols]
            try:
                # a constant side (sympy.diff of max(a, min(a, b)) is 1) comes back as a
                # Python int: made an mpf here, so it is compared rather than skipped
                x, y = (mpmath.mpmathify(v) for v in both(*point))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in (x, y)):
                continue  # outside the domain (complex or infinite): try another point
            if abs(x - y) > mpmath.mpf("1e-20") * max(abs(x), abs(y), 1):
                return False
            agreed += 1
            if agreed == points:
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


FD_SECONDS = 3.0
"""Time budget of the finite-difference check (all inputs together)."""
FD_MAX_DIGITS = 5_000
"""Most working digits finite differences may use; beyond, the check says it is too costly."""
FD_WORK = 200_000
"""Most node evaluations in mpmath the finite-difference check starts on (directions × nodes
× :data:`FD_PASSES`, in proportion to a caller's extra ``seconds``): a bigger one could not
finish within :data:`FD_SECONDS` (an mpmath node costs 15–50 µs at 40 digits), so it is
called too costly before any work, the same way on every machine; the time budget still
stops a slow smaller one."""
FD_PASSES = 6
"""Evaluations of the graph per input: values and tangents (up to twice, as the digits
grow), then f(x ± h) at two steps."""
STEP_MARGIN = mpmath.mpf("1e-6")
"""The step is at most this fraction of the distance to the nearest kink or pole."""


def compare_with_finite_differences(
    graph: Graph,
    point: Mapping[str, sympy.Expr],
    gradient: Mapping[str, sympy.Expr],
    wrt: tuple[str, ...],
    along: Mapping[str, float] | None = None,
    seconds: float = 0.0,
) -> Check:
    """Check the gradient's values against central finite differences (one per input of
    ``wrt``, or with ``along`` a single one along that direction: input → weight), within
    :data:`FD_SECONDS` plus ``seconds`` (a caller's allowance for the graph's size).

    The step and the working precision follow the point: the step stays a millionth
    of the distance to the nearest kink or pole (or of the length over which a
    function changes character, 1 for sin), the digits grow with the size of the
    arguments and with the cancellation in f(x+h) − f(x−h), and the comparison is
    relative.  Where differences cannot judge (a kink or pole at the point, a value
    that cannot be certified) or would cost too much (:data:`FD_WORK`, :data:`FD_SECONDS`
    and :data:`FD_MAX_DIGITS`), the check says so instead of passing or failing.
    """
    name, method = "reverse == finite differences", "central differences"
    directions = 1 if along is not None else len(wrt)  # one difference along ``along``
    if directions * len(graph.nodes) * FD_PASSES > FD_WORK * (1 + seconds / FD_SECONDS):
        return Check(name, None, method, "not checked: too costly at this point")
    floats = any(isinstance(v, float) for v in gradient.values())
    bad, unjudged = [], []
    try:
        with budget(FD_SECONDS + seconds):
            if along is not None:
                return _judge_along(graph, point, gradient, along, floats)
            for x in wrt:
                verdict = _judge(graph, point, gradient[x], {x: 1}, floats)
                if isinstance(verdict, str) and verdict.startswith("cannot judge"):
                    unjudged.append(f"d/d{x}: {verdict[len('cannot judge: '):]}")
                elif verdict is not None:
                    bad.append(verdict)
    except TooCostly:
        return Check(name, None, method, "not checked: too costly at this point")
    except DomainError as exc:
        return Check(name, None, method, f"not checked: {exc}")
    if unjudged and len(unjudged) == len(wrt):
        return Check(name, None, method, "not checked: finite differences cannot judge here ("
                     + "; ".join(unjudged) + ")")
    detail = "; ".join(bad) if bad else "agree to 1e-10"
    if unjudged:
        detail += " (cannot judge " + "; ".join(unjudged) + ")"
    return Check(name, not bad, method, detail)


def _judge_along(graph, point, gradient, along, floats) -> Check:
    """One central difference along ``along`` (input → weight) against the directional
    derivative Σ weight·∂/∂input of ``gradient``: as many function evaluations as for a
    single input, whatever the number of inputs (PyTorch's fast gradcheck projects the
    same way).  A component far smaller than the sum is not judged by it."""
    name = "reverse == finite differences"
    method = f"central differences along a random direction of {len(along)} inputs"
    terms = [certain(gradient[x], 25) if not isinstance(gradient[x], float)
             else sympy.Float(gradient[x]) for x in along]
    if any(term is None for term in terms):
        return Check(name, None, method, "not checked: a value cannot be certified")
    ours = sympy.Add(*(sympy.Float(weight, 30) * term
                       for weight, term in zip(along.values(), terms, strict=True)))
    verdict = _judge(graph, point, ours, along, floats)
    if verdict is None:
        return Check(name, True, method, "agree to 1e-10")
    if verdict.startswith("cannot judge"):
        return Check(name, None, method, "not checked: " + verdict[len("cannot judge: "):])
    slope = verdict.split(": ", 1)[1]
    return Check(name, False, method, f"the directional derivative: {slope}")


def _judge(graph, point, ours, direction, floats) -> str | None:
    """``None`` when the difference quotient along ``direction`` (input → weight; one
    input with weight 1 for a partial) agrees with ``ours``; else what is wrong, or
    ``"cannot judge: why"``."""
    x = ", ".join(direction)
    ours_value = certain(ours, 20) if not isinstance(ours, float) else sympy.Float(ours)
    if ours_value is None:
        return "cannot judge: the value cannot be certified to 20 digits"
    if floats:  # the floats were computed at the nearest 64-bit floats, not at the decimals
        point = {k: sympy.Float(float(v), 30) for k, v in point.items()}
    plan = _plan_step(graph, point, direction)
    if isinstance(plan, str):
        return plan
    h, dps, natural, exact_slope = plan
    with mpmath.workdps(dps + 10):
        ours_mp = mpmath.mpf(ours_value._to_mpmath(mpmath.mp.prec))
        first = _quotient(graph, point, direction, h, dps)
        second = _quotient(graph, point, direction, h / 8, dps + 20)
        # relative, but a slope of 0 is judged against the slope's natural size
        scale = max(abs(first), abs(second), abs(ours_mp), natural)
        if abs(first - second) > mpmath.mpf("1e-11") * scale:
            return "cannot judge: the difference quotients do not settle"
        tolerance = mpmath.mpf("1e-10") * scale + (mpmath.mpf("1e-300") if floats else 0)
        if abs(ours_mp - second) > tolerance:
            if floats and abs(exact_slope - second) <= tolerance:
                # the same rules in many-digit arithmetic agree: the floats' own rounding
                # (say fl(1e16 + 1) inside sin) moved the result, not a wrong rule
                return ("cannot judge: rounding in floats changes the result here (the rules "
                        f"in {dps}-digit arithmetic agree; floats give {mpmath.nstr(ours_mp, 6)})")
            return f"d/d{x}: {mpmath.nstr(ours_mp, 15)} vs {mpmath.nstr(second, 15)}"
    return None


def _plan_step(graph, point, direction):
    """``(h, digits)`` for the central difference along ``direction``, or ``"cannot judge:
    why"``."""
    magnitude = max((_digits_of(v) for v in point.values()), default=0)
    if magnitude > FD_MAX_DIGITS:
        raise TooCostly("the point is too large")
    dps = 30 + magnitude
    values_, tangents = _values_and_tangents(graph, point, direction, dps)
    # the digits follow every value on the way, not only the point: sin(expm1(100))
    # takes the sine of a 44-digit number, which 33 digits know only to ±10^10
    inner = max((_digits_of(v) for v in values_.values()), default=0)
    if inner > magnitude:
        if inner > FD_MAX_DIGITS:
            raise TooCostly("the values on the way are too large")
        dps = 30 + inner
        values_, tangents = _values_and_tangents(graph, point, direction, dps)
    with mpmath.workdps(dps):
        base = {k: to_mpf(v, dps) for k, v in point.items()}
        size = max(abs(base[x] * weight) for x, weight in direction.items())
        h = mpmath.mpf("1e-8") * max(1, size)
        for node in graph.nodes:
            value, slope = values_[node.name], abs(tangents.get(node.name, 0))
            if value and slope:  # products compound: x·x·…·x (2^200 times) is steep
                h = min(h, STEP_MARGIN * abs(value) / slope)
            smooth = None if node.is_input else SMOOTHNESS.get(node.op)
            if smooth is None:
                continue
            operands = [values_[a] if isinstance(a, str) else to_mpf(a, dps) for a in node.args]
            for slot, length in enumerate(smooth(*operands)):
                arg = node.args[slot]
                slope = abs(tangents.get(arg, 0)) if isinstance(arg, str) else 0
                if length is None or slope == 0:
                    continue
                if length == 0:
                    return (f"cannot judge: {shown_name(node.name)} = {node.op}(…) is at a kink "
                            "or pole")
                h = min(h, STEP_MARGIN * length / slope)
        # digits: x ± h must differ from x, and f(x+h) − f(x−h) must keep its digits
        largest = max([abs(v) for v in values_.values()] + [mpmath.mpf(1)])
        slope = abs(tangents.get(graph.output, 0))
        needed = (mpmath.log10(max(1, size) / h)
                  + mpmath.log10(largest / (h * slope)) if slope else mpmath.log10(largest / h))
        digits = int(dps + max(0, needed) + 15)
        # f changes by about |f| over the length h/STEP_MARGIN: a slope's natural size
        natural = abs(values_[graph.output]) * STEP_MARGIN / h * mpmath.mpf("1e-3")
    if digits > FD_MAX_DIGITS:  # this direction's slope alone: other inputs may be judged
        return f"cannot judge: finite differences would need {digits:,} digits"
    return h, digits, natural, tangents.get(graph.output, mpmath.mpf(0))


def _digits_of(value) -> int:
    """Decimal digits before the point of ``value`` (0 for |value| < 1), cheaply."""
    with mpmath.workprec(30):
        number = to_mpf(value, 10)
    return max(0, int(mpmath.mag(number)) * 302 // 1000 + 1) if number else 0  # 10^(10^400) too


def _quotient(graph, point, direction, h, dps):
    with mpmath.workdps(dps):
        base = {k: to_mpf(v, dps) for k, v in point.items()}
        up = numeric_values(graph, {**base, **{x: base[x] + h * weight for x, weight
                                               in direction.items()}}, dps)[graph.output]
        down = numeric_values(graph, {**base, **{x: base[x] - h * weight for x, weight
                                                 in direction.items()}}, dps)[graph.output]
        return (up - down) / (2 * h)


def _values_and_tangents(graph, point, direction, dps):
    """Every node's mpmath value and its tangent along ``direction`` (forward mode in
    mpmath)."""
    with mpmath.workdps(dps):
        return _forward_in_mpmath(graph, {k: to_mpf(v, dps) for k, v in point.items()},
                                  direction, dps)


def _forward_in_mpmath(graph, base, direction, dps):
    values_ = numeric_values(graph, base, dps)
    tangents = {x: mpmath.mpf(weight) for x, weight in direction.items()}
    for node in graph.nodes:
        if node.is_input:
            continue
        operands = [values_[a] if isinstance(a, str) else to_mpf(a, dps) for a in node.args]
        total = mpmath.mpf(0)
        for slot, arg in enumerate(node.args):
            if isinstance(arg, str) and arg in tangents:
                try:
                    total += mpmath_partial(node.op, slot)(*operands) * tangents[arg]
                except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                    continue
        if total:
            tangents[node.name] = total
    return values_, tangents


@cache
def mpmath_partial(op: str, slot: int):
    """The partial of ``op`` with respect to operand ``slot``, compiled to mpmath (cached per
    operation: clear the cache with ``mpmath_partial.cache_clear()`` after patching a rule)."""
    rule = rule_for(op)
    xs = sympy.symbols(f"x0:{rule.arity}", real=True)
    return sympy.lambdify(xs, rule.partials[slot](*xs), modules=[MPMATH_FORMS, "mpmath"])
