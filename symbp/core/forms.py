"""The number forms of the functions symbp computes with: each one's float form (standard
library only) and mpmath form, written once.

:mod:`symbp.core.functions` gives its classes these forms (``sigmoid.float_form``,
``sigmoid.mpmath_form``); :mod:`symbp.core.numeric` compiles the rules to floats with
:data:`FLOAT_FORMS`, :mod:`symbp.core.checks` and :mod:`symbp.core.rules` to mpmath with
:data:`MPMATH_FORMS`, and generated Python copies the source of :data:`PYTHON_HELPERS`.
Both tables are keyed by the name SymPy prints for the function (``Heaviside`` for the
step of relu', max' and min').
"""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath

__all__ = ["FLOAT_FORMS", "MPMATH_FORMS", "PYTHON_HELPERS"]


# -- float forms (their source is copied into generated Python: keep them self-contained) ---

def _sigmoid(x):
    # the logistic function, without overflow for large |x|
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _softplus(x):
    # log(1 + e^x), without overflow for large x
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _relu(x):
    return x if x > 0 else 0.0


def _step(x, at_zero):
    # the Heaviside step (relu', max', min'); at_zero is symbp's convention at the kink
    return 1.0 if x > 0 else (0.0 if x < 0 else at_zero)


def _sign(x):
    # abs' (the sign); abs'(0) = 0 as in PyTorch
    return 0.0 if x == 0 else math.copysign(1.0, x)


def _float_heaviside(x, at_zero=0.5):
    # SymPy passes the convention exactly (0 or 1/2): a float step gives a float
    return _step(x, float(at_zero))


# -- mpmath forms (of an mpf, at mpmath's working precision) -----------------------------------

def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_softplus(x):
    # log(1 + e^x) without overflow: x + log(1 + e^-x) for positive x
    return x + mpmath.log1p(mpmath.exp(-x)) if x > 0 else mpmath.log1p(mpmath.exp(x))


def _mp_relu(x):
    return x if x > 0 else x * 0


_HALF = mpmath.mpf(1) / 2


def _mp_heaviside(x, at_zero=_HALF):
    return mpmath.mpf(1 if x > 0 else 0 if x < 0 else at_zero)


FLOAT_FORMS: dict[str, Callable[..., float]] = {
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "relu": _relu,
    "log1p": math.log1p,
    "expm1": math.expm1,
    "Heaviside": _float_heaviside,
    "sign": _sign,  # SymPy's float printer writes sign and Abs out itself; for other printers
    "Abs": abs,
}
"""SymPy function name → its float form (``sympy.lambdify`` module for floats)."""

MPMATH_FORMS: dict[str, Callable] = {
    "sigmoid": _mp_sigmoid,
    "softplus": _mp_softplus,
    "relu": _mp_relu,
    "log1p": mpmath.log1p,
    "expm1": mpmath.expm1,
    "Heaviside": _mp_heaviside,
    "sign": mpmath.sign,
}
"""SymPy function name → its mpmath form (``sympy.lambdify`` module for mpmath)."""

PYTHON_HELPERS: dict[str, Callable[..., float]] = {
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "step": _step,
    "sign": _sign,
}
"""Helper name → the float form whose source generated Python copies (as ``_<name>``)."""
