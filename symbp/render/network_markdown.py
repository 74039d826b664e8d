r"""Markdown for ``symbp network``: the parts of :mod:`~symbp.render.tex.network_document`
printed by :mod:`~symbp.render.markdown` (the printer of the explanation's documents too) —
headings, Markdown tables and TeX math in ``$…$`` / ``$$…$$`` (``aligned`` blocks) that
GitHub and Jupyter render, the same rows and the same numbers as the LaTeX output.
"""

from __future__ import annotations

from ..network.records import NetworkDerivation, NetworkWalkthrough
from .markdown import document
from .tex.network_document import parts

__all__ = ["to_markdown"]


def to_markdown(record: NetworkDerivation | NetworkWalkthrough, *, level: int = 2) -> str:
    """The record as Markdown; its title is a heading of ``level`` (sections one deeper)."""
    return document(parts(record), level)
