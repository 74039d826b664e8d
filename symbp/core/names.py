"""Which names may enter a graph, decided once, where every graph is built.

A node's name flows into everything symbp writes: Python identifiers and comments
(``to_python``), LaTeX, Graphviz labels, Markdown, the terminal.  Rather than trusting
each printer to escape whatever arrives, :class:`~symbp.core.graph.Graph` accepts two shapes
of name only (the printers still escape, as a second line of defence):

- a Python identifier: ``a``, ``c_1``, ``alpha``, ``α``, ``x_in`` — what the parser reads;
- Nielsen's indexed names in TeX style, ``w^{2}_{11}``: letters, then ``^{…}`` and/or
  ``_{…}`` holding letters, digits and commas (the networks' weights and biases).

So no name holds a newline, a quote, a backslash, ``$``, ``%``, ``&``, ``<``, ``|``,
brackets or a colon, whatever a SymPy ``Symbol`` or a hand-built ``Node`` carries.

Two different names that *display* alike are refused too: symbp shows ``alpha`` as α
and ``x1``, ``x_1`` as x₁, so ``alpha`` and ``α`` in one program would be two inputs a
reader cannot tell apart.  Look-alike letters from other alphabets (Cyrillic а, Greek
Α) count as the letter they look like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable

from ..errors import SymbpError

__all__ = ["check_names", "display_key", "input_named", "is_valid_name"]

_INDEX = r"(?:\{[0-9A-Za-z,]+\}|[0-9A-Za-z])"
_INDEXED = re.compile(rf"[A-Za-z]+(?:\^{_INDEX})?(?:_{_INDEX})?")
"""``w^{2}_{11}``, ``x_{1}``, ``a^3``: TeX-style indices, only letters, digits and commas."""

# Fast paths for the names graphs are made of (a, c_1, v_12, x7, w^{2}_{1,10}); every
# other name goes through symbp.core.printing.name, which costs ~30 µs (a network graph has
# 10⁵ nodes).  tests/test_hostile_api.py checks these agree with printing.name.
_FAST = re.compile(r"([A-Za-z])(?:_?([0-9]*)|(?:\^\{([0-9]+)\})?_\{([0-9,]+)\})")
_SUB = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_LOOK_ALIKE = str.maketrans(
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοаеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅ",
    "ABEZHIKMNOPTYXoaeopcyxijsdqwABEKMHOPCTXIJS",
)
"""Greek and Cyrillic letters drawn exactly like a Latin one (Α/A, а/a, о/o …)."""


def input_named(inputs: Container[str], name: str) -> str:
    """``name`` as the input it names: itself, or as Python reads it (NFKC folds ａ to a) —
    a program's names went through Python's parser, a SymPy symbol's name did not, so
    ``--at ａ=3`` names the input ``a`` of ``y = ａ*2``."""
    if name in inputs:
        return name
    folded = unicodedata.normalize("NFKC", name)
    return folded if folded in inputs else name


def is_valid_name(name: object) -> bool:
    """True for a name a graph accepts: a Python identifier or an indexed ``w^{2}_{11}``."""
    return isinstance(name, str) and (name.isidentifier() or bool(_INDEXED.fullmatch(name)))


def display_key(name: str) -> str:
    """What a reader sees of ``name``: its display (``alpha`` → α, ``x_1`` → x₁), with
    compatibility forms (ﬁ → fi, as Python reads them) and look-alike letters folded."""
    match = _FAST.fullmatch(name)
    if match:
        if match[2] is not None:  # x, x1, x_1: the letter and subscript digits
            return match[1] + match[2].translate(_SUB)
        return match[1] + (match[3] or "").translate(_SUP) + match[4].translate(_SUB)
    from .printing import name as shown  # printing imports nothing from here

    return shown(unicodedata.normalize("NFKC", name)).translate(_LOOK_ALIKE)


def check_names(names: Iterable[object]) -> None:
    """Refuse a name that is not valid (see the module text) or two that display alike."""
    seen: dict[str, str] = {}
    for name in names:
        if not is_valid_name(name):
            raise SymbpError(
                f"{_quoted(name)} cannot be a variable name: use letters, digits and _ "
                "(a Python identifier such as x, x_1 or alpha)")
        key = display_key(name)
        other = seen.setdefault(key, name)
        if other != name:
            from .printing import name as shown

            raise SymbpError(
                f"{other} and {name} are different names that both display as "
                f"{shown(name)}; use one spelling for one variable")


def _quoted(name: object) -> str:
    if not isinstance(name, str):
        return f"{name!r} (of type {type(name).__name__})"
    text = ascii(name)  # quotes, newlines and control characters made visible
    return text if len(text) <= 60 else text[:59] + "…"
