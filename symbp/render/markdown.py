r"""Markdown: a heading per section, tables for nodes, edges and costs, and TeX math in
``$…$`` / ``$$…$$`` that GitHub and Jupyter render (MathJax) — and the printer of the
document model (:class:`~symbp.render.tex.document.Part`) both commands' documents are made
of (the explanation's in :mod:`~symbp.render.tex.explain_summary`, the network's in
:mod:`~symbp.render.tex.network_document`).

The derivations (sum over paths, forward mode, reverse sweep) are the very rows of
the LaTeX output, in ``aligned`` blocks; the notation is the same: ∂v/∂u a local
partial, dv/dx (upright d) a total derivative.
"""

from __future__ import annotations

from .. import arguments
from ..explanation.records import Explanation
from ..limits import with_long_int_text
from . import prose
from .tex.document import Part, block
from .tex.explain_summary import summary

__all__ = ["display", "document", "part", "table", "to_markdown"]


@with_long_int_text
def to_markdown(explanation: Explanation, *, level: int = 2) -> str:
    """The explanation as Markdown; its title is a heading of ``level`` (sections one deeper)."""
    arguments.explanation(explanation, "to_markdown")
    arguments.whole_number(level, "to_markdown", "level", minimum=1)
    return document(summary(explanation), level)


def document(parts: list[Part], level: int = 2) -> str:
    """The parts as Markdown, a blank line between them; the title is a heading of
    ``level``, headings one deeper, subheadings two."""
    lines: list[str] = []
    for piece in parts:
        if piece.kind == "comment":  # Markdown has no comments worth writing
            continue
        if lines:
            lines.append("")
        lines.extend(part(piece, level))
    return "\n".join(lines) + "\n"


def part(piece: Part, level: int = 2) -> list[str]:
    """One part as Markdown lines."""
    depth = {"title": level, "heading": level + 1, "subheading": level + 2}
    if piece.kind in depth:
        return [f"{'#' * depth[piece.kind]} {prose.markdown(piece.text)}"]
    if piece.kind == "prose":
        return [prose.markdown(piece.text)]
    if piece.kind == "math":
        return display(list(piece.rows))
    if piece.kind == "list":
        return [(f"{i}. " if piece.align == "enumerate" else "- ") + prose.markdown(item)
                for i, item in enumerate(piece.rows, start=1)]
    align = piece.align if set(piece.align) <= {"l", "r"} else ""
    return table(tuple(prose.markdown(h) for h in piece.header),
                 [tuple(prose.markdown(c) for c in row) for row in piece.rows], align)


def display(rows: list[str]) -> list[str]:
    """Display math: the rows in one ``aligned`` block between ``$$`` lines."""
    return ["$$", block(rows, "aligned"), "$$"]


def table(header: tuple[str, ...], body: list[tuple[str, ...]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` has ``r`` for each right-aligned column (else ``-``)."""
    align = align or "-" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |",
            *("| " + " | ".join(row) + " |" for row in body)]
