r"""LaTeX for ``symbp network``: the derivation of BP1–BP4 and the numeric walkthrough.

Both records are first turned into :class:`~symbp.render.tex.document.Part` s
(:mod:`~symbp.render.tex.network_document`) — headings, prose (text with
``$…$`` math), ``align*`` rows (laid out by :func:`~symbp.render.tex.document.layout`) and
tables with math cells — which :mod:`~symbp.render.latex` prints as LaTeX and
:mod:`~symbp.render.markdown` as Markdown (the printers of the explanation's documents
too), so the two show the same rows and the same numbers.  Numbers are the terminal's
(6 significant digits, negative factors in parentheses); big networks are summarized as
there unless the record is ``full`` (both write the records of :mod:`symbp.network.steps`).

:func:`to_latex` gives a fragment of ``align*`` blocks (each preceded by a comment
naming it) or, with ``standalone=True``, a complete ``article`` that compiles with
pdflatex (amsmath, amssymb, geometry).
"""

from __future__ import annotations

from ..network.records import NetworkDerivation, NetworkWalkthrough
from .latex import PREAMBLE, comment, document, fragment
from .tex.network_document import parts

__all__ = ["to_latex"]


def to_latex(record: NetworkDerivation | NetworkWalkthrough, *, standalone: bool = False) -> str:
    """The record as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    pieces = parts(record)
    if standalone:
        return document(pieces, PREAMBLE + r"\renewcommand{\arraystretch}{1.35}")
    return fragment(pieces, f"% symbp network: {comment(pieces[0].text)}")
