"""Prose that holds its math: a tuple of runs — :class:`Text`, :class:`Math` (a SymPy
object), :class:`Emph`, :class:`Strong`, :class:`Code` — that each renderer prints with its
own printer, so no renderer has to guess which words are math.  Numbers the network
printers round (:class:`Rounded`) and vectors of them (:class:`Vector`) are SymPy objects
too, so they sit in formulas (``η = 0.5``) and print in each format's notation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ..core.printing import inline, num

__all__ = ["VECTOR_ITEMS", "Code", "Emph", "Math", "Prose", "Rounded", "Run", "Strong", "Text",
           "Vector", "joined", "plain", "plain_math", "prose"]


@dataclass(frozen=True)
class Text:
    """Words, printed as they are (escaped where a format needs it)."""

    text: str


@dataclass(frozen=True)
class Math:
    """A SymPy expression, relation or symbol (:mod:`symbp.network.symbols`).  ``graph`` for
    math about a computational graph (``symbp explain``'s), printed as the explanation prints
    it (``c \\cdot d``, short floats); ``as_written`` for a graph's formula, printed so and
    as its program writes it (``w·a``, operands in their order)."""

    expr: Any
    as_written: bool = False
    graph: bool = False


@dataclass(frozen=True)
class Emph(Text):
    """Emphasized words (a book's title)."""


@dataclass(frozen=True)
class Strong(Text):
    """Words in bold (a check's name, the failure sentence)."""


@dataclass(frozen=True)
class Code(Text):
    """A name as typed (an option, a file)."""


Run = Text | Math
"""A run: words (:class:`Text` or one of its kinds) or math."""


class Rounded(sympy.Symbol):
    """A float as the network printers show it, to 6 significant digits
    (:func:`~symbp.core.printing.num`): ``0.524979``, ``1.5e-07`` (TeX: ``1.5 \\cdot 10^{-7}``)."""

    def __new__(cls, value: float):
        return super().__new__(cls, num(value))

    def _sympystr(self, printer):
        return self.name

    @property
    def scientific(self) -> bool:
        """Written with a power of ten (TeX ``1.5 \\cdot 10^{-7}``: a factor in parentheses)."""
        return "e" in self.name

    def _latex(self, printer, exp=None):
        mantissa, _, exponent = self.name.partition("e")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else mantissa


VECTOR_ITEMS = 8
"""Entries of a vector written out before "… k more"."""


class Vector(sympy.Function):
    """``(0.1, 0.2, … 4 more)``: a vector's first :data:`VECTOR_ITEMS` entries, rounded."""

    @classmethod
    def of(cls, values) -> Vector:
        shown = [Rounded(v) for v in values[:VECTOR_ITEMS]]
        return cls(sympy.Integer(len(values) - len(shown)), *shown)

    def _sympystr(self, printer):
        hidden, *shown = self.args
        more = [f"… {hidden} more"] if hidden else []
        return "(" + ", ".join([*map(printer._print, shown), *more]) + ")"

    def _latex(self, printer, exp=None):
        hidden, *shown = self.args
        more = [rf"\ldots\ \text{{{hidden} more}}"] if hidden else []
        return r"\left(" + ", ".join([*map(printer._print, shown), *more]) + r"\right)"
Prose = tuple[Run, ...]


def prose(*pieces, graph: bool = False) -> Prose:
    """Runs from pieces: a ``str`` is :class:`Text`, a run stays itself, anything else is
    :class:`Math` (about a computational graph with ``graph``)."""
    runs: list[Run] = []
    for piece in pieces:
        if isinstance(piece, str):
            runs.append(Text(piece))
        elif isinstance(piece, Text | Math):
            runs.append(piece)
        else:
            runs.append(Math(piece, graph=graph))
    return tuple(runs)


def joined(parts, separator: str = "; ") -> Prose:
    """Several proses as one, ``separator`` (text) between them."""
    runs: list[Run] = []
    for i, part in enumerate(parts):
        if i:
            runs.append(Text(separator))
        runs.extend(part)
    return tuple(runs)


def plain_math(expr) -> str:
    """A Math run's object in one-line Unicode: ``zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ``."""
    if isinstance(expr, sympy.Eq):
        return f"{plain_math(expr.lhs)} = {plain_math(expr.rhs)}"
    return inline(expr, as_written=True)


def plain(runs: Prose) -> str:
    """The prose as plain Unicode text (the terminal's, JSON's and an error message's)."""
    return "".join(plain_math(r.expr) if isinstance(r, Math) else r.text for r in runs)
