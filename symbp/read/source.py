"""Turn whatever the user handed us (text, a SymPy expression, a Graph) into a Graph."""

from __future__ import annotations

import sympy

from ..core.graph import Graph
from ..errors import SymbpError

__all__ = ["to_graph"]


def to_graph(source, *, share: bool = True) -> Graph:
    """A :class:`Graph` from program text, a SymPy expression or a Graph."""
    if isinstance(source, Graph):
        return source
    if isinstance(source, str):
        from .parse import parse

        return parse(source, share=share)
    if isinstance(source, sympy.Basic):
        from .from_sympy import from_sympy

        return from_sympy(source, share=share)
    raise SymbpError(
        f"cannot explain a value of type {type(source).__name__}; give program text, a SymPy "
        "expression or a Graph")
