"""Values of every node at a point (the forward pass).

Exact inputs give exact values (``1/2`` stays one half, ``sin(2)`` stays ``sin(2)``);
decimals give floats.  A node that is undefined at the point (log(0), 1/0,
sqrt(-1)) is a :class:`~symbp.errors.DomainError` naming the node and its operands.
"""

from __future__ import annotations

import math
import sys

import mpmath
import sympy

from ..errors import PARAMETER, DomainError, SymbpError
from ..limits import EXACT_DEPTH
from .arithmetic import MAX_EXACT_BITS, exact_apply
from .exact import ExactValue
from .graph import Graph
from .names import input_named
from .numeric import float_rule, is_defined, is_float_point
from .printing import inline
from .printing import name as shown_name
from .rules import rule_for

__all__ = [
    "beyond_floats",
    "bounded",
    "complete_point",
    "constant_float",
    "grew_large",
    "in_floats",
    "in_floats_when_exact",
    "input_float",
    "is_defined",
    "numeric_values",
    "to_mpf",
    "values",
]

EXACT_SIZE = 40
"""Largest exact irrational value kept as a written-out expression (in SymPy tree nodes)."""


EXACT_NODES = 300
"""Graphs with more nodes than this and transcendental functions are evaluated in floats."""
_RATIONAL_OPS = frozenset({"input", "add", "sub", "mul", "div", "neg", "pow", "abs", "relu"})


def _transcendental(graph: Graph) -> bool:
    return any(node.op not in _RATIONAL_OPS for node in graph.nodes)


def in_floats_when_exact(graph: Graph) -> bool:
    """True when :func:`values` computes in floats even at an exact point (big or deep
    graphs with transcendental functions)."""
    return ((len(graph.nodes) > EXACT_NODES or graph.depth() > EXACT_DEPTH)
            and _transcendental(graph))


def in_floats(values_: dict) -> bool:
    """True when :func:`values` computed in floats."""
    return any(isinstance(v, float) for v in values_.values())


def bounded(value):
    """``value``, held as one :class:`~symbp.core.exact.ExactValue` atom once it has grown large.

    Exact values of transcendental functions nest (sin(cos(sin(2)))…) and sums of
    products of them swell with every node; past a small size the value becomes an
    atom, so later expressions stay small, while it stays exact: its decimals are
    certified by SymPy's error-tracking evalf when shown (no digit is ever guessed).
    """
    if not isinstance(value, sympy.Basic) or value.is_Rational or value.is_Float:
        return value
    if isinstance(value, ExactValue):
        return value
    for size, _ in enumerate(sympy.preorder_traversal(value), start=1):
        if size > EXACT_SIZE:
            return ExactValue(value)
    return value


def grew_large(values_: dict) -> bool:
    """True when some value was held as an :class:`~symbp.core.exact.ExactValue` atom."""
    return any(isinstance(v, sympy.Basic) and v.has(ExactValue) for v in values_.values())


def complete_point(
    graph: Graph, point: dict[str, sympy.Expr] | None
) -> dict[str, sympy.Expr] | None:
    """The point to evaluate at: ``point`` plus defaults written in the program (``a = 2``).

    Returns ``None`` when no input has a value (a purely symbolic explanation).  Names
    that are not inputs, and inputs left without a value, are errors.
    """
    inputs = set(graph.inputs)
    named = [(input_named(inputs, key), value) for key, value in (point or {}).items()]
    point = dict(named)
    if len(point) < len(named):  # {"a": 1, "ａ": 2}: two values for the input a
        twice = next(key for key, _ in named if sum(k == key for k, _ in named) > 1)
        raise SymbpError(f"{PARAMETER} gives {twice} twice", parameter="at")
    unknown = [key for key in point if key not in graph.inputs]
    if unknown:
        raise SymbpError(
            f"{PARAMETER} names {', '.join(unknown)}, which "
            f"{'is' if len(unknown) == 1 else 'are'} not an input; inputs are "
            f"{', '.join(graph.inputs)}", parameter="at")
    for name in graph.inputs:
        default = graph[name].default
        if name not in point and default is not None:
            point[name] = default
    if not point:
        return None
    missing = [name for name in graph.inputs if name not in point]
    if missing:
        raise SymbpError(
            f"no value for {', '.join(missing)}; give every input a value, e.g. {PARAMETER}",
            parameter="at", setting=",".join(f"{name}=1" for name in missing))
    return {name: point[name] for name in graph.inputs}


def values(graph: Graph, point: dict[str, sympy.Expr]) -> dict[str, sympy.Expr]:
    """Every node's value at ``point`` (which must give every input).

    Exact SymPy numbers for an exact point; Python floats as soon as one coordinate
    is a decimal (see :mod:`symbp.core.numeric`), and also for an exact point on a graph
    of more than :data:`EXACT_NODES` nodes or deeper than
    :data:`~symbp.limits.EXACT_DEPTH` levels with transcendental functions, where exact
    arithmetic (nested sin(cos(…)) values) would crawl.
    """
    if is_float_point(point) or in_floats_when_exact(graph):
        return float_values(graph, point)
    env: dict[str, sympy.Expr] = {}
    for node in graph.nodes:
        if node.is_input:
            env[node.name] = sympy.sympify(point[node.name], strict=True)
            continue
        operands = graph.operand_values(node.name, env)
        try:
            value = exact_apply(node.op, operands)
        except SymbpError as exc:
            raise SymbpError(f"node {shown_name(node.name)}: {exc}") from None
        if not is_defined(value):
            raise DomainError(_undefined(graph, node.name, env), parameter="at")
        env[node.name] = bounded(value)
    return env


def float_values(graph: Graph, point: dict[str, object]) -> dict[str, float]:
    """Every node's value in Python floats (53-bit, like micrograd and PyTorch float64)."""
    env: dict[str, float] = {}
    for node in graph.nodes:
        if node.is_input:
            env[node.name] = input_float(graph, node.name, point[node.name])
            continue
        args = [env[a] if isinstance(a, str) else constant_float(graph, a) for a in node.args]
        try:
            value = float_rule(node.op)[0](*args)
        except (ValueError, ZeroDivisionError, OverflowError):
            value = math.nan
        if isinstance(value, complex) or not math.isfinite(value):
            raise DomainError(_beyond_floats(graph, node.name, args)
                              or _undefined(graph, node.name, env), parameter="at")
        env[node.name] = value
    return env


def _beyond_floats(graph: Graph, name: str, args: list[float]) -> str | None:
    """The message for a value that is a fine real number, only too large for a float."""
    node = graph[name]
    try:
        value = rule_for(node.op).value(*(sympy.Float(a, 30) for a in args))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if not is_defined(value):
        return None
    formula = inline(graph.formula(name), as_written=True)
    return beyond_floats(graph, f"{shown_name(name)} = {formula}", value, node.op)


def beyond_floats(graph: Graph, what: str, value: sympy.Float, kind: str) -> str:
    """The message for ``what`` (a node, a local partial of ``graph``), whose ``value`` (a
    30-digit Float) is a fine real number, only too large for a float; ``kind`` is the
    operation that makes it, ``"input"`` or ``"constant"``."""
    return (f"{what} ≈ {_about(value)} at this point: beyond the range of floats (about "
            f"±1.8e308){_remedy(graph, kind, value)}")


def _remedy(graph: Graph, kind: str, value: sympy.Float) -> str:
    """What helps a value beyond floats: an exact point — unless the graph is computed in
    floats at any point, or the value would be a fraction too long to compute exactly."""
    if kind == "constant" and not in_floats_when_exact(graph):
        return ("; symbp computes in floats at a decimal point: give the point as integers or "
                "fractions (8 rather than 8.0) to compute exactly")
    if in_floats_when_exact(graph):
        return (f"; symbp computes a graph this deep or large (over {EXACT_DEPTH} levels or "
                f"{EXACT_NODES} nodes) in floats even at an exact point; choose a point where "
                "it is nearer 1")
    if kind in _RATIONAL and abs(_log10(value)) >= _EXACT_DIGITS:
        return (f", and too long to compute exactly (more than {MAX_EXACT_BITS:,} bits); "
                "choose a point where it is nearer 1")
    if _log10(value) < 0:  # a number too small: its fraction
        return ("; give the point as integers or fractions (1/10**400 rather than 1e-400) "
                "to compute exactly")
    return "; give the point as integers or fractions (8 rather than 8.0) to compute exactly"


_RATIONAL = ("input", "add", "sub", "mul", "div", "neg", "pow")
"""Operations whose exact value at exact operands is a fraction (a power: mostly)."""
_EXACT_DIGITS = MAX_EXACT_BITS * 0.30103  # log10 of the largest exact integer


def _log10(value: sympy.Float):
    """log10 |value| to 30 digits (a Float's own exponent is exact; its digits need not be)."""
    with mpmath.workdps(30):
        return mpmath.log10(abs(value._to_mpmath(mpmath.mp.prec)))


def _about(value: sympy.Float) -> str:
    """A number beyond floats in three digits — or, when the 30 digits it was computed
    with cannot give its mantissa (exp(1e300) ≈ 10^(4.343e+299)), as a power of ten."""
    power = _log10(value)
    if abs(power) < 10**20:
        return sympy.sstr(value.evalf(3))
    return ("-" if value < 0 else "") + f"10^({mpmath.nstr(power, 4)})"


def input_float(graph: Graph, name: str, value) -> float:
    """An input's coordinate as a float; one beyond their range (``exp(800.0)``, which
    SymPy holds as a Float of any size) is refused, not carried on as ``inf``, and so is
    a decimal too small for a float to keep 15 of its digits (``1e-400`` would be 0,
    ``1.234567891234e-320`` keeps 5); a Python float is taken as it is."""
    return _float(graph, shown_name(name), value, "input")


def constant_float(graph: Graph, constant) -> float:
    """A constant of the program (``1e-400``, ``exp(710)``) as a float, refused as an input
    is when floats cannot hold it (it would be 0.0 or ``inf``, a wrong number)."""
    return _float(graph, f"the constant {inline(constant)}", constant, "constant")


def _float(graph: Graph, what: str, value, kind: str) -> float:
    number = float(value)
    if math.isfinite(number) and (abs(number) >= sys.float_info.min or isinstance(value, float)):
        return number  # a normal float, or a float given as one (a network's 5e-324): exact
    exact = sympy.sympify(value, strict=True)
    if exact.is_zero:  # 0.0, -0.0 (SymPy: Float(0.0) != 0)
        return number
    exact = exact.evalf(30)
    if not math.isfinite(number):
        raise DomainError(beyond_floats(graph, what, exact, kind), parameter="at")
    # below 2.2e-308 floats keep fewer bits: 1e-400 is 0.0, 1.234567891234e-320 is 1.2347e-320
    if abs(sympy.Float(number, 30) - exact) <= abs(exact) * sympy.Float("1e-15", 30):
        return number
    raise DomainError(
        f"{what} ≈ {_about(exact)} at this point: too small for floats, which hold it as "
        f"{number!r} (fewer than 15 digits){_remedy(graph, kind, exact)}", parameter="at")


def _undefined(graph: Graph, name: str, env: dict) -> str:
    node = graph[name]
    where = ", ".join(
        f"{shown_name(arg)} = {inline(env[arg])}" for arg in dict.fromkeys(node.operands)
    )
    formula = inline(graph.formula(name), as_written=True)
    return (
        f"{shown_name(name)} = {formula} is undefined at this point ({where}): "
        f"{rule_for(node.op).domain}; choose another point with {PARAMETER}"
    )


def numeric_values(graph: Graph, point: dict[str, object], dps: int = 40) -> dict[str, object]:
    """Every node's value as an mpmath number with ``dps`` digits (for finite differences).

    A value that is not a finite real raises :class:`DomainError`.
    """
    env: dict[str, object] = {}
    with mpmath.workdps(dps):
        for node in graph.nodes:
            if node.is_input:
                env[node.name] = to_mpf(point[node.name], dps)
                continue
            args = [env[arg] if isinstance(arg, str) else to_mpf(arg, dps) for arg in node.args]
            try:
                value = rule_for(node.op).numeric(*args)
            except (ZeroDivisionError, ValueError, OverflowError):
                raise DomainError(f"{shown_name(node.name)} is undefined here") from None
            if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
                raise DomainError(f"{shown_name(node.name)} is undefined here")
            env[node.name] = value
    return env


def to_mpf(value, dps: int = 40):
    """A SymPy number (exact or float, e.g. ``cos(1)``) or mpf as an mpmath float."""
    if isinstance(value, mpmath.mpf):
        return value
    number = sympy.N(sympy.sympify(value, strict=True), dps + 5)
    if not number.is_real:
        raise DomainError(f"{value} is not a real number")
    return mpmath.mpf(number._to_mpmath(mpmath.mp.prec + 20))
