r"""TeX pieces of the ``symbp network`` documents: the records' Unicode formulas and prose
as TeX, numbers as the terminal rounds them, node names, ∂C/∂node, "more" rows, vectors
and the checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..core.checks import Check
from ..network.model import Network
from . import marks
from . import texmath as tex
from .document import Part
from .marks import num

__all__ = ["adjoint", "bold", "checks_parts", "dc", "f", "file_name", "more", "n", "name", "prose",
           "shape", "uni_math", "vector"]


# -- Unicode formulas as TeX ---------------------------------------------------------------------

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹ˡᴸ⁺⁻ᵀᵏʲ", "0123456789lL+-Tkj", strict=True))
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉ⱼₖₓₐₗ₊₋", "0123456789jkxal+-", strict=True))
_SYMBOLS = {
    "½": r"\tfrac{1}{2}", "‖": r"\Vert ", "Σ": r"\sum", "∇": r"\nabla", "⊘": r"\oslash",
    "−": "-", "…": r"\ldots", "'": "'", "→": r"\to", "η": r"\eta", "σ": r"\sigma",
    "δ": r"\delta", "×": r"\times", "⊙": r"\odot", "·": r"\cdot", "∂": r"\partial",
}
_FUNCTIONS = {"ln": r"\ln", "exp": r"\exp", "max": r"\max", "tanh": r"\tanh"}


def uni_math(formula: str) -> str:
    """A formula written in Unicode (``δˡⱼ = Σₖ wˡ⁺¹ₖⱼ δˡ⁺¹ₖ σ'(zˡⱼ)``) as math-mode TeX."""
    formula = re.sub(r"\^\(([^()]*)\)", lambda m: "^{" + m.group(1) + "}", formula)
    out: list[str] = []
    i = 0
    while i < len(formula):
        ch = formula[i]
        for table, mark in ((_SUPER, "^"), (_SUB, "_")):
            if ch in table:
                j = i
                while j < len(formula) and formula[j] in table:
                    j += 1
                out.append(mark + "{" + "".join(table[c] for c in formula[i:j]) + "}")
                i = j
                break
        else:
            word = re.match(r"[A-Za-z]{2,}", formula[i:])
            if word:
                w = word.group()
                out.append(_FUNCTIONS.get(w, r"\mathrm{" + w + "}") + " ")
                i += len(w)
                continue
            if ch in _SYMBOLS:
                out.append(_SYMBOLS[ch] + (" " if _SYMBOLS[ch][-1].isalpha() else ""))
            elif ch.isascii():
                out.append(ch)
            else:
                out.append("{" + tex.unicode_math(ch) + "}")
            i += 1
    return re.sub(r" +", " ", "".join(out)).strip()


_MATHY = re.compile(
    r"^[(\[]*([A-Za-z]|\d+(\.\d+)?|\d+/[a-z]|[=+<>*/-]|[0-9/()+*^.-]+)[)\]]*[,.;:]?$")
_TEXT_UNICODE = set("—–’")


def prose(words: str) -> str:
    """Text with formulas in Unicode as prose: the formulas in ``$…$``, the rest as text."""
    tokens = words.split(" ")
    kinds = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        mathy = (any(not c.isascii() and c not in _TEXT_UNICODE for c in token)
                 or bool(_MATHY.match(token)))
        if token == "a" and re.fullmatch(r"[a-z]{2,}", following) and following not in (
                "and", "or"):
            mathy = False  # the article
        kinds.append(mathy and token != "")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if not kinds[i]:
            out.append(tokens[i])
            i += 1
            continue
        j = i
        while j < len(tokens) and kinds[j]:
            j += 1
        run = " ".join(tokens[i:j])
        tail = re.search(r"[,.;:]+$", run)
        end = tail.group() if tail else ""
        run = run[: len(run) - len(end)]
        before = ""
        for opening, closing in ("()", "[]"):
            while run.endswith(closing) and run.count(opening) < run.count(closing):
                run, end = run[:-1], closing + end
            while run.startswith(opening) and run.count(opening) > run.count(closing):
                run, before = run[1:], before + opening
        out.append(f"{before}${uni_math(run)}${end}")
        i = j
    return " ".join(out)


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
        method = f" [{check.method}]" if check.method else ""
        detail = f": {check.detail}" if check.detail else ""
        items.append(f"{mark} {bold(check.name)}{prose(method + detail)}")
    yield Part("list", rows=tuple(items), align="itemize")
    if not ok:
        yield Part("prose", bold(marks.SELF_CHECK_FAILED))


def bold(words: str) -> str:
    r"""Bold text: marked ``\textbf{…}`` here, turned into ``**…**`` for Markdown."""
    return r"\textbf{" + words + "}"
