"""The one table of local derivative rules.

Every operation symbp knows is one :class:`Rule`: how to build its formula, how to
evaluate it, and — one entry per operand slot, as in HIPS/autograd's VJP registry —
the local partial ∂node/∂operand with the name of the rule that gives it.

Each function in a rule is written once over SymPy objects and reused by every
interpreter (JAX style): called with operand *symbols* it gives the symbolic partial
in the operands' names (∂e/∂c = d); called with operand *values* it gives the number.
A missing rule is an error that names the operation.

To add an operation, say ``gelu(x)``: (1) if SymPy lacks the function, write its class in
:mod:`symbp.core.functions` (``eval``, ``fdiff``, printing; see ``sigmoid``) with its
number forms in :mod:`symbp.core.forms` (a float form of the standard library and an
mpmath form, entered in ``FLOAT_FORMS``/``MPMATH_FORMS`` under the class name and set as
the class's ``float_form``/``mpmath_form``); (2) add its :class:`Rule` to :data:`RULES`
here (``_function_rule`` for one argument: partial, rule name, ``numeric=`` its
``mpmath_form``; ``kink``/``convention`` where it is not differentiable) and its scale
to :data:`SMOOTHNESS`.  Parsing, floats, mpmath, the checks and every printer follow.
To offer it as a network activation, add ``_activation("gelu", formula,
derivative_formula)`` to ``ACTIVATIONS`` in :mod:`symbp.network.functions`: its value
and σ', symbolic and in floats, come from this rule.  ``tests/core/test_forms.py`` checks
every rule's float and mpmath forms and every activation's σ'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy

from ..errors import SymbpError
from .canonical import call
from .exact import certain, second_opinion
from .functions import expm1, log1p, log_base, relu, sigmoid, softplus, written_max, written_min

__all__ = ["CALLS", "FUNCTIONS", "RULES", "Rule", "rule_for"]

Expr = sympy.Expr
Partial = Callable[..., Expr]


@dataclass(frozen=True)
class Rule:
    """How one operation is built, evaluated and differentiated.

    ``partials[i]`` is ∂op/∂(operand i) as a function of all operands and
    ``rule_names[i]`` says which rule of calculus gives it.  ``kink`` (optional)
    tells whether the operation is non-differentiable at given operand values;
    ``convention`` then says which one-sided derivative symbp uses.  ``domain`` says
    why a value can be undefined (shown with the node when it is).  ``names`` are
    what a program calls the operation as a function (``ln(x)``, ``log(x, b)``,
    ``pow(x, y)``); an operator such as ``+`` has none.
    """

    op: str
    arity: int
    formula: Callable[..., Expr]
    value: Callable[..., Expr]
    partials: tuple[Partial, ...]
    rule_names: tuple[str, ...]
    numeric: Callable[..., object]
    kink: Callable[..., bool] | None = None
    convention: str = ""
    domain: str = "it is not a finite real number there"
    names: tuple[str, ...] = ()


def _unevaluated_sub(x, y):
    return sympy.Add(x, sympy.Mul(-1, y, evaluate=False), evaluate=False)


def _unevaluated_div(x, y):
    return sympy.Mul(x, sympy.Pow(y, -1, evaluate=False), evaluate=False)


def _function_rule(name, sympy_fn, partial, rule_name, numeric, **extra) -> Rule:
    return Rule(
        op=name,
        arity=1,
        formula=lambda x: sympy_fn(x, evaluate=False),
        value=sympy_fn,
        partials=(partial,),
        rule_names=(rule_name,),
        numeric=numeric,
        **{"names": (name,), **extra},
    )


_HALF = sympy.S.Half


def _certified_sign(x) -> int | None:
    """The sign of an irrational number from certified digits (``None``: not a number,
    or no digit certain).  SymPy decides signs through assumptions that can be computed
    with too few digits (SymPy 1.14: ``sin(log(1 + 10^-16)).is_zero`` is True), which
    would flip a step or a sign at a point near a kink."""
    if not isinstance(x, sympy.Expr) or not x.is_number or x.is_Rational or x.is_Float:
        return None
    digits = certain(x, 15)
    if digits is None:  # a second opinion whose digits follow the operands
        opinion = second_opinion(x)
        if opinion is None or abs(opinion[0]) <= opinion[1]:
            return None
        return 1 if opinion[0] > 0 else -1
    return None if digits == 0 else (1 if digits > 0 else -1)


def _heaviside(x, at_zero):
    sign = _certified_sign(x)
    if sign is not None:
        return sympy.S.One if sign > 0 else sympy.S.Zero
    return sympy.Heaviside(x, at_zero)


def _step(x):
    """The Heaviside step with step(0) = 1/2: max's and min's derivative (see their rules)."""
    return _heaviside(x, _HALF)


def _sign(x):
    """abs' = sign, with the sign of an irrational number from certified digits."""
    sign = _certified_sign(x)
    return sympy.sign(x) if sign is None else sympy.Integer(sign)


def _extremum_rule(name, written, sympy_fn, numeric, larger: bool) -> Rule:
    """max or min of two operands: the derivative follows the operand that is chosen.

    At a tie (x = y) neither is differentiable; symbp passes half the derivative to
    each operand, as PyTorch's ``torch.maximum``/``torch.minimum`` do (``grad / 2``
    where self == other), so the two halves add up to the derivative along x = y.
    """
    sign = 1 if larger else -1
    return Rule(
        name, 2, written, sympy_fn,
        (lambda x, y: _step(sign * (x - y)), lambda x, y: _step(sign * (y - x))),
        (f"{name}' = step", f"{name}' = step"), numeric,
        kink=lambda x, y: x == y, names=(name,),
        convention=f"{name}' = 1/2 for each operand at a tie (as torch.{name}imum)",
    )


def _power_rule(x, y):
    # x**0 is the constant 1: its slope is 0 everywhere, also at x = 0 where the
    # general form 0·x**(-1) would be undefined
    return sympy.S.Zero if sympy.sympify(y, strict=True).is_zero else y * x ** (y - 1)


RULES: dict[str, Rule] = {
    "add": Rule("add", 2, lambda x, y: sympy.Add(x, y, evaluate=False), lambda x, y: x + y,
                (lambda x, y: sympy.S.One, lambda x, y: sympy.S.One),
                ("sum rule", "sum rule"), lambda x, y: x + y),
    "sub": Rule("sub", 2, _unevaluated_sub, lambda x, y: x - y,
                (lambda x, y: sympy.S.One, lambda x, y: sympy.S.NegativeOne),
                ("difference rule", "difference rule"), lambda x, y: x - y),
    "mul": Rule("mul", 2, lambda x, y: sympy.Mul(x, y, evaluate=False), lambda x, y: x * y,
                (lambda x, y: y, lambda x, y: x),
                ("product rule", "product rule"), lambda x, y: x * y),
    "div": Rule("div", 2, _unevaluated_div, lambda x, y: x / y,
                (lambda x, y: 1 / y, lambda x, y: -x / y**2),
                ("quotient rule", "quotient rule"), lambda x, y: x / y,
                domain="division by zero"),
    "pow": Rule("pow", 2, lambda x, y: sympy.Pow(x, y, evaluate=False), lambda x, y: x**y,
                (_power_rule, lambda x, y: x**y * sympy.log(x)),
                ("power rule", "exponential rule"), mpmath.power,
                domain="the power is not a finite real number", names=("pow",)),
    "neg": Rule("neg", 1, lambda x: sympy.Mul(-1, x, evaluate=False), lambda x: -x,
                (lambda x: sympy.S.NegativeOne,), ("negation",), lambda x: -x),
    "sin": _function_rule("sin", sympy.sin, lambda x: call(sympy.cos, x), "sin' = cos",
                          mpmath.sin),
    "cos": _function_rule("cos", sympy.cos, lambda x: -call(sympy.sin, x), "cos' = -sin",
                          mpmath.cos),
    "tan": _function_rule("tan", sympy.tan, lambda x: 1 + call(sympy.tan, x) ** 2,
                          "tan' = 1 + tan^2", mpmath.tan,
                          domain="tan is infinite there"),
    "exp": _function_rule("exp", sympy.exp, lambda x: call(sympy.exp, x), "exp' = exp",
                          mpmath.exp),
    "log": _function_rule("log", sympy.log, lambda x: 1 / x, "log' = 1/x", mpmath.log,
                          domain="log is defined for positive numbers only",
                          names=("log", "ln")),
    "log_base": Rule("log_base", 2, log_base, sympy.log,
                     (lambda x, b: 1 / (x * sympy.log(b)),
                      lambda x, b: -sympy.log(x) / (b * sympy.log(b) ** 2)),
                     ("log_b' = 1/(x log b)", "d/db log_b(x) = -log(x)/(b log(b)^2)"),
                     lambda x, b: mpmath.log(x) / mpmath.log(b), names=("log",),
                     domain="log(x, b) needs x > 0 and a base b > 0 other than 1"),
    "log1p": _function_rule("log1p", log1p, lambda x: 1 / (1 + x), "log1p' = 1/(1 + x)",
                            log1p.mpmath_form, domain="log1p is defined for x > -1 only"),
    "expm1": _function_rule("expm1", expm1, lambda x: call(sympy.exp, x), "expm1' = exp",
                            expm1.mpmath_form),
    "sqrt": _function_rule("sqrt", sympy.sqrt, lambda x: 1 / (2 * sympy.sqrt(x)),
                           "sqrt' = 1/(2 sqrt)", mpmath.sqrt,
                           domain="sqrt is defined for non-negative numbers only"),
    "sinh": _function_rule("sinh", sympy.sinh, lambda x: call(sympy.cosh, x), "sinh' = cosh",
                           mpmath.sinh),
    "cosh": _function_rule("cosh", sympy.cosh, lambda x: call(sympy.sinh, x), "cosh' = sinh",
                           mpmath.cosh),
    "tanh": _function_rule("tanh", sympy.tanh, lambda x: 1 - call(sympy.tanh, x) ** 2,
                           "tanh' = 1 - tanh^2", mpmath.tanh),
    "asin": _function_rule("asin", sympy.asin, lambda x: 1 / sympy.sqrt(1 - x**2),
                           "asin' = 1/sqrt(1 - x^2)", mpmath.asin,
                           domain="asin is defined for -1 <= x <= 1 only"),
    "acos": _function_rule("acos", sympy.acos, lambda x: -1 / sympy.sqrt(1 - x**2),
                           "acos' = -1/sqrt(1 - x^2)", mpmath.acos,
                           domain="acos is defined for -1 <= x <= 1 only"),
    "atan": _function_rule("atan", sympy.atan, lambda x: 1 / (1 + x**2), "atan' = 1/(1 + x^2)",
                           mpmath.atan),
    "sigmoid": _function_rule("sigmoid", sigmoid,
                              lambda x: call(sigmoid, x) * (1 - call(sigmoid, x)),
                              "sigmoid' = sigmoid (1 - sigmoid)", sigmoid.mpmath_form),
    "relu": _function_rule("relu", relu, lambda x: _heaviside(x, 0), "relu' = step",
                           relu.mpmath_form, kink=lambda x: x == 0,
                           convention="relu'(0) = 0 (as in PyTorch and micrograd)"),
    "abs": _function_rule("abs", sympy.Abs, _sign, "abs' = sign",
                          mpmath.fabs, kink=lambda x: x == 0,
                          convention="abs'(0) = sign(0) = 0 (as in PyTorch)"),
    "softplus": _function_rule("softplus", softplus, lambda x: call(sigmoid, x),
                               "softplus' = sigmoid", softplus.mpmath_form),
    "max": _extremum_rule("max", written_max, sympy.Max, lambda x, y: x if x >= y else y,
                          larger=True),
    "min": _extremum_rule("min", written_min, sympy.Min, lambda x, y: x if x <= y else y,
                          larger=False),
}
"""Operation name → rule.  Binary operators and the functions a program may call."""



def _calls() -> dict[str, dict[int, str]]:
    calls: dict[str, dict[int, str]] = {}
    for op, rule in RULES.items():
        for name in rule.names:
            calls.setdefault(name, {})[rule.arity] = op
    return calls


CALLS: dict[str, dict[int, str]] = _calls()
"""Function name → {number of arguments: operation}: ``log`` → {1: log, 2: log_base}."""

FUNCTIONS: tuple[str, ...] = tuple(sorted(CALLS))
"""Names a program may call as functions, e.g. ``sin(x)``, ``max(a, b)`` or micrograd's
``x.relu()`` (methods for the functions of one argument)."""


def rule_for(op: str) -> Rule:
    """The rule for ``op``; an unknown operation is an error naming it."""
    try:
        return RULES[op]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise SymbpError(f"no derivative rule for operation {op!r} (known: {known})") from None


def _tan_scale(x):
    # distance to the nearest pole (k + 1/2)·π, and at most 1 (the period's scale)
    pi = mpmath.pi
    k = mpmath.floor(x / pi)
    return (min(1, abs(x - (k + mpmath.mpf(1) / 2) * pi)),)


def _power_scale(x, y):
    # x**y changes by a factor e when x moves by |x|/|y| (polynomials: also near 0);
    # the exponent's scale is 1/|log x|
    base = (max(abs(x), 1 / max(1, abs(y))) if y == int(y) and y >= 0 else abs(x)) / max(1, abs(y))
    exponent = 1 / max(1, abs(mpmath.log(abs(x)))) if x != 0 else None
    return (base, exponent)


SMOOTHNESS: dict[str, Callable[..., tuple]] = {
    "div": lambda x, y: (None, abs(y)),
    "pow": _power_scale,
    "sin": lambda x: (1,),
    "cos": lambda x: (1,),
    "tan": _tan_scale,
    "exp": lambda x: (1,),
    "log": lambda x: (abs(x),),
    "sqrt": lambda x: (abs(x),),
    "sinh": lambda x: (1,),
    "cosh": lambda x: (1,),
    "tanh": lambda x: (1,),
    "atan": lambda x: (max(1, abs(x)),),
    "sigmoid": lambda x: (1,),
    "relu": lambda x: (abs(x),),
    "abs": lambda x: (abs(x),),
    # the functions of issue 12: poles of the derivative at ±1 (asin, acos), at -1
    # (log1p), log's at 0 and base 1 (log_base), kinks where max/min switch operand
    "asin": lambda x: (min(1, abs(1 - abs(x))),),
    "acos": lambda x: (min(1, abs(1 - abs(x))),),
    "log1p": lambda x: (abs(1 + x),),
    "expm1": lambda x: (1,),
    "softplus": lambda x: (1,),
    "log_base": lambda x, b: (abs(x), abs(b) * min(1, abs(mpmath.log(abs(b))))
                               if b != 0 else None),
    "max": lambda x, y: (abs(x - y), abs(x - y)),
    "min": lambda x, y: (abs(x - y), abs(x - y)),
}
"""Operation → the distance, per operand (mpmath values), over which it stays smooth.

The distance to a kink (relu, abs at 0) or a pole (tan, 1/y, log at 0), or the length
over which the function changes character (1 for sin or exp); ``None``: no limit
(linear in that operand).  Finite differences use it to choose a step that neither
straddles a kink nor steps over a pole.  An operation missing here limits the step
only relative to the point.
"""
