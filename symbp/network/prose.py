"""Prose that holds its math: a tuple of runs — :class:`Text`, :class:`Math` (a SymPy
object), :class:`Emph`, :class:`Code` — that each renderer prints with its own printer,
so no renderer has to guess which words are math."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ..core.printing import inline

__all__ = ["Code", "Emph", "Math", "Prose", "Run", "Text", "joined", "plain", "plain_math", "prose"]


@dataclass(frozen=True)
class Text:
    """Words, printed as they are (escaped where a format needs it)."""

    text: str


@dataclass(frozen=True)
class Math:
    """A SymPy expression, relation or symbol (:mod:`symbp.network.symbols`)."""

    expr: Any


@dataclass(frozen=True)
class Emph:
    """Emphasized words (a book's title)."""

    text: str


@dataclass(frozen=True)
class Code:
    """A name as typed (an option, a file)."""

    text: str


Run = Text | Math | Emph | Code
Prose = tuple[Run, ...]


def prose(*pieces) -> Prose:
    """Runs from pieces: a ``str`` is :class:`Text`, a run stays itself, anything else is
    :class:`Math`."""
    runs: list[Run] = []
    for piece in pieces:
        if isinstance(piece, str):
            runs.append(Text(piece))
        elif isinstance(piece, Text | Math | Emph | Code):
            runs.append(piece)
        else:
            runs.append(Math(piece))
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
