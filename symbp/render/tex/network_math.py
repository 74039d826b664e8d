r"""TeX pieces of the ``symbp network`` documents: numbers as the terminal rounds them, node
names, dC/dnode, "more" rows, vectors and the checks (their details printed from their
runs by :mod:`~symbp.render.prose`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...core.checks import Check
from ...core.printing import num
from ...network.model import Network
from ...network.prose import Prose, Strong, prose
from .. import marks
from . import math as tex
from .document import Part

__all__ = ["adjoint", "checks_parts", "more", "n", "name", "shape"]


# -- small pieces ---------------------------------------------------------------------------------

def n(value: float) -> str:
    """A number as the terminal rounds it, in TeX (``1.5 \\cdot 10^{-7}``)."""
    return tex.scientific(num(value))


def name(node: str) -> str:
    """A node name (``w^{2}_{11}``, ``delta^{2}_{1}``) in TeX."""
    return "\\" + node if node.startswith("delta") else node


def adjoint(node: str) -> str:
    r"""``\frac{\mathrm{d} C}{\mathrm{d} node}``: the adjoint the reverse sweep stores."""
    return rf"\frac{{\mathrm{{d}} C}}{{\mathrm{{d}} {name(node)}}}"


def more(hidden: int, what: str) -> str:
    """A row ``⋮ 12 more rows (use --full to show all)`` under summarized math
    (``what`` is already plural)."""
    return (rf"&\vdots\quad {tex.count(hidden)}\ "
            + tex.text(f"more {what} {marks.show_all()}"))


def shape(network: Network) -> str:
    """The layer sizes, ``2-3-1``."""
    return "-".join(str(k) for k in network.layers)


def checks_parts(checks: Sequence[Check], ok: bool, lead: Prose = ()) -> Iterator[Part]:
    """The checks with their marks, and the failure sentence when one failed (both
    commands' documents list them so)."""
    yield Part("heading", prose("Checks"))
    if lead:
        yield Part("prose", lead)
    items = []
    for check in checks:
        mark = {True: prose(marks.MARK[True]),
                False: prose(marks.MARK[False], " ", Strong(marks.FAILED)),
                None: prose("–")}[check.passed]
        method = f" [{check.method}]" if check.method else ""
        detail = check.prose or prose(check.detail)
        items.append(prose(*mark, " ", Strong(check.name), method, *((": ", *detail) if detail
                                                                   else ())))
    yield Part("list", rows=tuple(items), align="itemize")
    if not ok:
        yield Part("prose", prose(Strong(marks.SELF_CHECK_FAILED)))
