"""Prose that holds its math: a tuple of runs — :class:`Text`, :class:`Math` (a SymPy
object), :class:`Emph`, :class:`Code` — that each renderer prints with its own printer,
so no renderer has to guess which words are math."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Code", "Emph", "Math", "Prose", "Run", "Text", "prose"]


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
