r"""The layer view's notation as SymPy objects with their own printers (as
:mod:`symbp.network.symbols`): a matrix equation written as a chain of operands and
operators (``W² · a¹ + b²``), an operand with its shape badge (``W² (1×3)``), the shape of
an intermediate result (``→ (3)``), ∇_A C of a batch, and each layer's own σ and σ'
(``relu'(z²)``), so that a step never leaves the reader to guess which derivative."""

from __future__ import annotations

import sympy

from .symbols import Named, Notation

__all__ = ["OPERATORS", "TEX_NAMES", "UNICODE_NAMES", "Activated", "ActivatedPrime", "Badge",
           "Bare", "MatrixChain", "MatrixOp", "NablaA", "activated", "activated_prime", "op"]

OPERATORS = {"times": ("·", r"\cdot"), "plus": ("+", "+"), "odot": ("⊙", r"\odot"),
             "then": ("→", r"\to"), "equals": ("=", "="), "minus": ("−", "-")}
"""An operator's name → (Unicode, TeX): the matrix product, the sum, the elementwise
product, "gives" (an intermediate result), the equals sign and the difference."""


class MatrixOp(Named):
    """An operator between the operands of a :class:`MatrixChain` (a name of
    :data:`OPERATORS`)."""

    table = OPERATORS


def op(name: str) -> MatrixOp:
    """The operator ``name`` (``"times"``, ``"plus"``, ``"odot"``, ``"then"``, ``"equals"``)."""
    if name not in OPERATORS:
        raise ValueError(f"unknown operator {name!r}")
    return MatrixOp(name)


class MatrixChain(Notation):
    """Operands and operators in the order written: ``W² · a¹ + b² = z²``."""

    unicode = tex = " "
    joins = True


class Badge(Notation):
    """An operand with its shape: ``W² (1×3)``, ``a¹ (3)`` (a vector's length)."""

    unicode, tex = "{0} ({1})", r"{0}\,{{\scriptstyle ({1})}}"


class Bare(Notation):
    """The shape alone, of an intermediate result: ``(3)``."""

    unicode, tex = "({0})", r"{{\scriptstyle ({0})}}"


class NablaA(sympy.Function):
    """∇_A C: the matrix whose column x is ∇ₐCₓ of sample x."""

    def _sympystr(self, printer):
        # Unicode has no subscript capital A ("∇_A C" showed its underscore); not ∂C/∂A
        # either, which for the batch-mean C would carry a 1/m: the columns ∇ₐCₓ
        return f"∇ₐ{printer._print(self.args[0])}ₓ"

    def _latex(self, printer, exp=None):
        return rf"\nabla_A {printer._print(self.args[0])}"


TEX_NAMES = {"sigmoid": r"\sigma", "tanh": r"\tanh"}
"""An activation's name in TeX when it is not ``\\operatorname{name}``."""
UNICODE_NAMES = {"sigmoid": "σ"}
"""…and in Unicode, when it is not its name."""


class Activated(sympy.Function):
    """A layer's own σ applied: ``relu(z²)``, ``tanh(Z³)``, ``softmax(z⁴)``, ``σ(z³)`` for
    the sigmoid (the first argument is the activation's name, a ``Symbol``)."""

    mark = ""

    def _sympystr(self, printer):
        name, z = self.args
        return f"{UNICODE_NAMES.get(name.name, name.name)}{self.mark}({printer._print(z)})"

    def _latex(self, printer, exp=None):
        name, z = self.args
        tex = TEX_NAMES.get(name.name, rf"\operatorname{{{name.name}}}")
        base = rf"{tex}{self.mark}({printer._print(z)})"
        return base if exp is None else rf"{base}^{{{exp}}}"


class ActivatedPrime(Activated):
    """A layer's own σ' applied: ``relu'(z²)``, ``tanh'(Z³)``, ``σ'(z³)``."""

    mark = "'"


def activated(name: str, z: sympy.Basic) -> sympy.Basic:
    """σ(z) of a layer whose activation is ``name``: ``relu(z²)``; the identity's is z."""
    return z if name == "identity" else Activated(sympy.Symbol(name), z)


def activated_prime(name: str, z: sympy.Basic) -> sympy.Basic:
    """σ'(z) of a layer whose activation is ``name``: ``relu'(z²)``; the identity's is the
    vector (or matrix) of ones, 𝟏 written ``1``."""
    return sympy.Symbol("1") if name == "identity" else ActivatedPrime(sympy.Symbol(name), z)
