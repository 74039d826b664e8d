r"""The one document model the LaTeX and Markdown printers print, for both commands.

A document is a list of :class:`Part` s — titles, headings, prose (runs of
:mod:`symbp.network.prose`, whose math is SymPy objects each format prints with its own
printer), tables of prose cells, lists and display math.  Derivations are
:class:`Chain` records (``lhs = item = item …`` with a note), laid out by :func:`layout`
into ``align``/``aligned`` rows no wider than :data:`~symbp.render.tex.math.LINE`.
:mod:`symbp.render.latex` and :mod:`symbp.render.markdown` each print every kind of part
one way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .math import LINE
from .width import width

__all__ = ["Chain", "Item", "Part", "block", "distinct", "item", "layout", "math_part"]

# -- chains and their layout -------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One link ``rel pieces`` of a chain (``= 1 \\cdot d``, ``\\approx 0.91``)."""

    rel: str
    pieces: tuple[str, ...]

    @property
    def tex(self) -> str:
        return " ".join(self.pieces)


@dataclass(frozen=True)
class Chain:
    """``lhs rel₁ item₁ rel₂ item₂ …`` with an optional note in a right-hand column."""

    lhs: str
    items: tuple[Item, ...]
    note: str = ""


def item(rel: str, parts: Iterable[str]) -> Item:
    """An :class:`Item` from any iterable of pieces."""
    return Item(rel, tuple(parts))


def distinct(items: Iterable[Item | None]) -> tuple[Item, ...]:
    """Each link once, missing ones dropped (``1·1 = 1``, not ``1·1 = 1·1 = 1``), as the
    terminal's chains do."""
    shown: list[Item] = []
    for link in items:
        if link is not None and link.pieces and all(s.tex != link.tex for s in shown):
            shown.append(link)
    return tuple(shown)


def layout(rows: Sequence[Chain | str], *, line: float = LINE) -> list[str]:
    """Rows of an ``align*``/``aligned`` block (without the ``\\\\`` between them).

    Chains are laid out, strings are rows already.  Notes share one right-hand column
    of the block, so the room left for the formulas is what the widest note and the
    widest left side leave over; a formula longer than that continues on the next
    row, aligned after the relation sign.
    """
    chains = [c for c in rows if isinstance(c, Chain)]
    lhs_width = max((width(c.lhs) for c in chains), default=0.0)
    note_width = max((width(c.note) for c in chains if c.note), default=0.0)
    room = max(line - lhs_width - (note_width + 3.0 if note_width else 0.0), line * 0.45)
    result: list[str] = []
    for row in rows:
        result.extend(_chain_rows(row, room) if isinstance(row, Chain) else [row])
    return result


def _chain_rows(chain: Chain, room: float) -> list[str]:
    """A chain's rows: a link moves whole to the next row when it does not fit on this
    one; only a link wider than a whole row is broken between its pieces."""
    note = f" && {chain.note}" if chain.note else ""
    if not chain.items:
        return [f"{chain.lhs} &{note}"]
    lines: list[list[str]] = [[]]
    used = 0.0
    for link in chain.items:
        tokens = [f"{link.rel} {link.pieces[0]}".strip(), *link.pieces[1:]]
        widths = [width(t) + 0.5 for t in tokens]
        if lines[-1] and used + sum(widths) > room:
            lines.append([])
            used = 0.0
        for k, (token, w) in enumerate(zip(tokens, widths, strict=True)):
            if lines[-1] and used + w > room:
                lines.append([])
                used = 2.0
                if k:  # the link goes on: indent past the relation sign
                    token = r"\quad " + token
            lines[-1].append(token)
            used += w
    rows = [f"{chain.lhs} &{' '.join(lines[0])}{note}"]
    rows.extend("&" + " ".join(tokens) for tokens in lines[1:])
    return rows


def block(rows: Sequence[str], environment: str = "align*") -> str:
    """Rows joined into one environment (``align*`` for LaTeX, ``aligned`` for Markdown)."""
    body = " \\\\\n".join(rows)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


# -- parts of a document ---------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """One piece of the document.

    ``kind`` is ``"title"`` / ``"heading"`` / ``"subheading"`` (``text`` is prose),
    ``"prose"`` (``text`` is prose), ``"comment"`` (``text`` is a line of words for a
    LaTeX ``%`` comment; Markdown has none), ``"math"`` (``rows``: laid-out ``align*``
    rows; ``text`` names the block in a fragment's comment), ``"table"`` (``header`` and
    ``rows`` of prose cells, ``align`` a column spec of ``l``/``r``/``p``) or ``"list"``
    (``rows``: prose items, ``align`` ``"enumerate"`` or ``"itemize"``).
    """

    kind: str
    text: str = ""
    rows: tuple = ()
    header: tuple[str, ...] = ()
    align: str = ""


def math_part(rows: Sequence[Chain | str], comment: str) -> Part:
    """A math part: the rows laid out (:func:`layout`), named ``comment`` in a fragment."""
    return Part("math", comment, tuple(layout(list(rows))))
