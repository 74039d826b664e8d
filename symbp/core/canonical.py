"""SymPy objects built directly in the canonical form SymPy would give them.

SymPy canonicalizes every ``Mul``, ``Add`` and function it builds: ``Mul.flatten``
gathers powers and numbers and sorts the factors, a function's ``eval`` asks whether its
argument is a number, a multiple of π or of i …  For the shapes the reverse sweep in
node names builds over and over — an adjoint symbol times a local partial, a sum of such
products, ``cos`` of a node's symbol — the outcome is known in advance, and building it
through the full machinery was four fifths of ``symbp.gradient``'s time.  These
constructors give the *same* objects (equal, with the same arguments in the same order:
``tests/core/test_canonical.py`` compares them with SymPy's evaluated construction) and
fall back to SymPy's own construction for every other shape.
"""

from __future__ import annotations

import sympy
from sympy.core.basic import _args_sortkey  # the key Mul.flatten and Add.flatten sort by

from .functions import expm1, log1p, relu, sigmoid, softplus

__all__ = ["LEFT_ALONE", "call", "product", "total"]

_ONE = sympy.S.One
_Mul = sympy.Mul
_Add = sympy.Add
_from_mul = _Mul._from_args
_from_add = _Add._from_args
_UNBOUNDED = frozenset({sympy.zoo, sympy.oo, -sympy.oo, sympy.nan})

LEFT_ALONE = frozenset({
    sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.log, sympy.sinh, sympy.cosh,
    sympy.tanh, sympy.asin, sympy.acos, sympy.atan, sigmoid, relu, softplus, log1p, expm1,
})
"""Functions whose ``eval`` returns nothing for a real symbol: applied to one, they stay
as they are (``cos(x)``), so SymPy's evaluation can be skipped."""


def call(function, x):
    """``function(x)`` as SymPy evaluates it; for a real symbol ``x`` and a function of
    :data:`LEFT_ALONE`, without running ``eval`` (which would leave it alone anyway)."""
    if getattr(x, "is_Symbol", False) and x.is_real and function in LEFT_ALONE:
        return function(x, evaluate=False)
    return function(x)


def product(symbol: sympy.Symbol, factor: sympy.Expr) -> sympy.Expr:
    """``Mul(symbol, factor)`` as SymPy evaluates it, where ``symbol`` does not occur in
    ``factor`` (an adjoint's name times a local partial in node names).

    ``factor`` is canonical, so its factors stay as they are: the product is ``symbol``
    sorted in among them, after the numeric coefficient (``Mul.flatten``'s order).
    """
    if factor is _ONE:
        return symbol
    if factor.is_Number:
        if factor.is_zero or not factor.is_finite:
            return _Mul(symbol, factor)
        return _from_mul((factor, symbol), True)
    if not factor.is_commutative:
        return _Mul(symbol, factor)
    if factor.is_Mul:
        args = factor.args
        if args[0] in _UNBOUNDED:
            return _Mul(symbol, factor)  # zoo·x, oo·x: Mul's own rules for infinities
        coefficient = args[0] if args[0].is_Number else None
        factors = [*(args[1:] if coefficient is not None else args), symbol]
        factors.sort(key=_args_sortkey)
        return _from_mul(tuple(factors) if coefficient is None else (coefficient, *factors),
                         True)
    if factor.is_Symbol or factor.is_Function or factor.is_Pow or factor.is_Add:
        pair = [factor, symbol]
        pair.sort(key=_args_sortkey)
        return _from_mul(tuple(pair), True)
    return _Mul(symbol, factor)


def total(terms: list) -> sympy.Expr:
    """``Add(*terms)`` as SymPy evaluates it.  Terms that cannot combine — no number, no
    sum among them, no two alike but for their coefficients — are only sorted
    (``Add.flatten``'s order); anything else goes through ``Add``."""
    if len(terms) == 1:
        return terms[0]
    seen = set()
    for term in terms:
        if term.is_Add or term.is_Number or term in _UNBOUNDED or not term.is_commutative:
            return _Add(*terms)
        rest = term.as_coeff_Mul()[1]
        if rest in seen or (term.is_Mul and term.args[0] in _UNBOUNDED):
            return _Add(*terms)
        seen.add(rest)
    ordered = sorted(terms, key=_args_sortkey)
    return _from_add(tuple(ordered), True)
