r"""TeX pieces of the ``symbp network`` documents: numbers as the terminal rounds them, node
names, ∂C/∂node, "more" rows, vectors and the checks (their details printed from their
runs by :mod:`~symbp.render.network_prose`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...core.checks import Check
from ...network.model import Network
from ...network.prose import prose
from .. import marks, network_prose
from ..marks import num
from . import math as tex
from .document import Part

__all__ = ["adjoint", "bold", "checks_parts", "dc", "f", "file_name", "more", "n", "name", "shape",
           "vector"]


# -- small pieces ---------------------------------------------------------------------------------

def n(value: float) -> str:
    """A number as the terminal rounds it, in TeX (``1.5 \\cdot 10^{-7}``)."""
    return tex.scientific(num(value))


def f(value: float) -> str:
    """A number as a factor: negative ones in parentheses."""
    text = n(value)
    return rf"\left({text}\right)" if text.startswith("-") else text


def name(node: str) -> str:
    """A node name (``w^{2}_{11}``, ``delta^{2}_{1}``) in TeX."""
    return "\\" + node if node.startswith("delta") else node


def dc(node: str) -> str:
    r"""``\frac{\partial C}{\partial node}``."""
    return rf"\frac{{\partial C}}{{\partial {name(node)}}}"


def adjoint(node: str) -> str:
    r"""``\frac{\mathrm{d} C}{\mathrm{d} node}``: the adjoint the reverse sweep stores."""
    return rf"\frac{{\mathrm{{d}} C}}{{\mathrm{{d}} {name(node)}}}"


def more(hidden: int, what: str) -> str:
    """A row ``⋮ 12 more rows (use --full to show all)`` under summarized math
    (``what`` is already plural)."""
    return (rf"&\vdots\quad {tex.count(hidden)}\ "
            + tex.text(f"more {what} {marks.SHOW_ALL}"))


def shape(network: Network) -> str:
    """The layer sizes, ``2-3-1``."""
    return "-".join(str(k) for k in network.layers)


def vector(values: Sequence[float]) -> str:
    """``\\left(0.1, 0.2, \\ldots\\ 4 more\\right)``: the first
    :data:`~symbp.render.marks.VECTOR_ITEMS` entries."""
    items = marks.VECTOR_ITEMS
    shown = [n(v) for v in values[:items]]
    if len(values) > items:
        shown.append(rf"\ldots\ \text{{{len(values) - items} more}}")
    return r"\left(" + ", ".join(shown) + r"\right)"


def file_name(path: str) -> str:
    """A file name in typewriter type that may break after a slash."""
    return r"\texttt{" + path.replace("/", r"/\allowbreak{}") + "}"


def checks_parts(checks: Sequence[Check], ok: bool, lead: str) -> Iterator[Part]:
    """The checks with their marks, and the failure sentence when one failed."""
    yield Part("heading", "Checks")
    yield Part("prose", lead)
    items = []
    for check in checks:
        mark = {True: f"${tex.unicode_math(marks.MARK[True])}$",
                False: rf"${tex.unicode_math(marks.MARK[False])}$ \textbf{{{marks.FAILED}}}",
                None: "--"}[check.passed]
        method = f" [{network_prose.latex_text(check.method)}]" if check.method else ""
        detail = network_prose.latex(check.prose or prose(check.detail))
        items.append(f"{mark} {bold(check.name)}{method}{': ' + detail if detail else ''}")
    yield Part("list", rows=tuple(items), align="itemize")
    if not ok:
        yield Part("prose", bold(marks.SELF_CHECK_FAILED))


def bold(words: str) -> str:
    r"""Bold text: marked ``\textbf{…}`` here, turned into ``**…**`` for Markdown."""
    return r"\textbf{" + words + "}"
