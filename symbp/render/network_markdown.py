r"""Markdown for ``symbp network``: the parts of :mod:`~symbp.render.tex.network_document` with
headings, Markdown tables and TeX math in ``$…$`` / ``$$…$$`` (``aligned`` blocks) that
GitHub and Jupyter render — the same rows and the same numbers as the LaTeX output.
"""

from __future__ import annotations

from ..network.records import NetworkDerivation, NetworkWalkthrough
from . import network_prose
from .markdown import display, table
from .tex.document import Part
from .tex.network_document import parts

__all__ = ["to_markdown"]


def to_markdown(record: NetworkDerivation | NetworkWalkthrough, *, level: int = 2) -> str:
    """The record as Markdown; its title is a heading of ``level`` (sections one deeper)."""
    lines: list[str] = []
    for part in parts(record):
        if lines:
            lines.append("")
        lines.extend(_part(part, level))
    return "\n".join(lines) + "\n"


def _part(part: Part, level: int) -> list[str]:
    depth = {"title": level, "heading": level + 1, "subheading": level + 2}
    if part.kind in depth:
        return [f"{'#' * depth[part.kind]} {network_prose.markdown(part.text)}"]
    if part.kind == "prose":
        return [network_prose.markdown(part.text)]
    if part.kind == "math":
        return display(list(part.rows))
    if part.kind == "list":
        return [(f"{i}. " if part.align == "enumerate" else "- ") + network_prose.markdown(item)
                for i, item in enumerate(part.rows, start=1)]
    align = part.align if set(part.align) <= {"l", "r"} else ""
    return table(tuple(network_prose.markdown(h) for h in part.header),
                  [tuple(network_prose.markdown(c) for c in row) for row in part.rows], align)
