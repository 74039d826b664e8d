r"""The walkthrough's derivations (:mod:`symbp.network.derivations`) as rows of ``align*``:
each link printed by ``sympy.latex``, a long sum broken between its terms.
"""

from __future__ import annotations

from ...core.forward import SweepStep
from ...network import derivations
from ...network.symbols import Brackets, Edge, Juxtapose, Neg, Terms, symbol
from ..prose import math_latex
from . import math as tex
from .document import Chain, Item

__all__ = ["chain", "sweep_step"]


def _display(expr) -> str:
    """Display math by ``sympy.latex`` (a fraction as a fraction)."""
    return math_latex(expr, in_text=False)


def chain(d: derivations.Derivation) -> Chain:
    """A row of the walkthrough, its links printed by ``sympy.latex`` (the note: the
    equation the row gives as well, or the rule's name)."""
    note = _display(d.result) if d.result is not None else tex.text(d.label)
    first = r"\mathrel{+}=" if d.accumulates else "="
    return Chain(_display(d.lhs), tuple(Item(first if i == 0 else "=", _pieces(link))
                                        for i, link in enumerate(d.links)), note)


def _pieces(link) -> tuple[str, ...]:
    r"""A link as the pieces a long row may break between: a sum at its terms, also in
    square brackets after a factor or a minus sign (``\bigl[`` … ``\bigr]``: a ``\left[``
    cannot span rows)."""
    terms, head = link, ""
    if (isinstance(link, Neg | Juxtapose) and isinstance(link.args[-1], Brackets)
            and isinstance(link.args[-1].args[0], Terms)):
        head = "-" if isinstance(link, Neg) else _display(Juxtapose(*link.args[:-1]))
        terms = link.args[-1].args[0]
    if not isinstance(terms, Terms):
        return (_display(link),)
    pieces = [("+ " if i else "") + _display(t) for i, t in enumerate(terms.args)]
    if head:
        pieces[0] = head + r"\bigl[" + pieces[0]
        pieces[-1] += r"\bigr]"
    return tuple(pieces)


def sweep_step(index: int, step: SweepStep) -> Chain:
    """``dC/d source += dC/d target · ∂target/∂source = carried · partial = contribution``,
    numbered and named by its edge."""
    row = chain(derivations.sweep_step(step))
    edge = Edge(symbol(step.edge.source), symbol(step.edge.target))
    return Chain(row.lhs, row.items, rf"{index}.\ {_display(edge)}")
