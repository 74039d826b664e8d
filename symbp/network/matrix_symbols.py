r"""The layer view's notation as SymPy objects with their own printers (as
:mod:`symbp.network.symbols`): a matrix equation written as a chain of operands and
operators (``W² · a¹ + b²``), an operand with its shape badge (``W² (1×3)``), the shape of
an intermediate result (``→ (3)``) and ∇_A C of a batch."""

from __future__ import annotations

import sympy

__all__ = ["OPERATORS", "Badge", "Bare", "MatrixChain", "MatrixOp", "NablaA", "op"]

OPERATORS = {"times": ("·", r"\cdot"), "plus": ("+", "+"), "odot": ("⊙", r"\odot"),
             "then": ("→", r"\to"), "equals": ("=", "="), "minus": ("−", "-")}
"""An operator's name → (Unicode, TeX): the matrix product, the sum, the elementwise
product, "gives" (an intermediate result), the equals sign and the difference."""


class MatrixOp(sympy.Symbol):
    """An operator between the operands of a :class:`MatrixChain` (a name of
    :data:`OPERATORS`)."""

    def _sympystr(self, printer):
        return OPERATORS[self.name][0]

    def _latex(self, printer, exp=None):
        return OPERATORS[self.name][1]


def op(name: str) -> MatrixOp:
    """The operator ``name`` (``"times"``, ``"plus"``, ``"odot"``, ``"then"``, ``"equals"``)."""
    if name not in OPERATORS:
        raise ValueError(f"unknown operator {name!r}")
    return MatrixOp(name)


class MatrixChain(sympy.Function):
    """Operands and operators in the order written: ``W² · a¹ + b² = z²``."""

    def _sympystr(self, printer):
        return " ".join(printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return " ".join(printer._print(a) for a in self.args)


class Badge(sympy.Function):
    """An operand with its shape: ``W² (1×3)``, ``a¹ (3)`` (a vector's length)."""

    def _sympystr(self, printer):
        operand, shape = self.args
        return f"{printer._print(operand)} ({printer._print(shape)})"

    def _latex(self, printer, exp=None):
        operand, shape = self.args
        return rf"{printer._print(operand)}\,{{\scriptstyle ({printer._print(shape)})}}"


class Bare(sympy.Function):
    """The shape alone, of an intermediate result: ``(3)``."""

    def _sympystr(self, printer):
        return f"({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"{{\scriptstyle ({printer._print(self.args[0])})}}"


class NablaA(sympy.Function):
    """∇_A C: the matrix whose column x is ∇ₐCₓ of sample x."""

    def _sympystr(self, printer):
        return f"∇_A {printer._print(self.args[0])}"

    def _latex(self, printer, exp=None):
        return rf"\nabla_A {printer._print(self.args[0])}"
