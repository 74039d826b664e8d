"""Mathematical notation → the Python operators the safe parser reads.

symbp prints formulas the way people write them (``e = c·d``, ``x − 1``, ``x²``,
``c₁``), and a student pastes them back.  Before the text reaches :mod:`ast`, each
line is rewritten by one table, :data:`NOTATION`, and by two rules for Unicode
scripts:

========================  =========================  ==================================
written                   read as                    why
========================  =========================  ==================================
``^``                     ``**``                     a power, as in mathematics
``·`` ``⋅`` ``×``         ``*``                      products (symbp prints ``·``)
``−`` (U+2212)            ``-``                      the minus sign of typeset math
``÷``                     ``/``                      division
``π``                     ``pi``                     the constant symbp prints for pi
``ℯ``                     ``exp(1)``                 Euler's number as symbp prints it
``x²`` ``x⁻¹`` ``x¹⁰``    ``x**2`` ``x**-1`` …       superscript digits are a power
``c₁`` ``x₁₂``            ``c1`` ``x12``             symbp prints ``c1`` and ``c_1`` as c₁
``|x|``                   ``abs(x)``                 absolute value bars, when they pair
========================  =========================  ==================================

Subscript digits are read as plain digits (``x₁`` → ``x1``), the name a student most
likely typed; a version symbp made (``c_1``, printed c₁) then comes back as ``c1``,
which names the same node of the pasted program.  ``|…|`` pairs are read only when a
bar opens after an operator, ``(``, ``,``, ``=`` or the start of the line and a later
bar closes it; any other ``|`` stays the (refused) Python operator.

Every rewrite is recorded (:attr:`Normalized.rewrites`), so an error's caret points at
the column the user typed (:meth:`Normalized.column`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["NOTATION", "Normalized", "normalize"]

NOTATION: dict[str, str] = {
    "^": "**",
    # spaced, so that a doubled sign stays an error: x ·· 2 is not x ** 2, nor x ÷÷ 2 x // 2
    "·": " * ",  # U+00B7 middle dot: symbp's product sign
    "⋅": " * ",  # U+22C5 dot operator: TeX's \cdot copied from a PDF
    "×": " * ",  # U+00D7
    "÷": " / ",  # U+00F7
    "−": "-",  # U+2212 minus sign
}
"""Characters read as the Python operators they stand for."""

_SUPERSCRIPT_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
_SUBSCRIPT_DIGITS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
_SCRIPT_CHARACTERS = frozenset(_SUPERSCRIPT_DIGITS) | frozenset(_SUBSCRIPT_DIGITS)
_SPECIAL = re.compile(
    "(?P<power>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    "|(?P<index>[₀₁₂₃₄₅₆₇₈₉]+)"
    f"|(?P<symbol>[πℯ|{re.escape(''.join(NOTATION))}])"
)
_CONSTANTS = {"π": "pi", "ℯ": "exp(1)"}
"""Constants as symbp prints them (Python would read ℯ as the name e)."""
_OPERAND_NEXT = frozenset("+-*/^(,=;·⋅×−÷")
"""After one of these (or at the start of a line) an operand is expected."""


@dataclass(frozen=True)
class Normalized:
    """One line rewritten for :mod:`ast`, and where its rewrites came from.

    ``rewrites`` holds ``(start, length, user_start, user_length)`` for each rewritten
    span, in order; between them the text is the user's, shifted.
    """

    text: str
    rewrites: tuple[tuple[int, int, int, int], ...] = ()

    def column(self, index: int) -> int:
        """The user's column (0-based) of rewritten character ``index``."""
        index = min(max(index, 0), len(self.text))
        k = bisect.bisect_right(self.rewrites, (index, float("inf"))) - 1
        if k < 0:
            return index
        start, length, user_start, user_length = self.rewrites[k]
        if index < start + length:
            return user_start  # inside a rewrite: where the user's symbol is
        return user_start + user_length + (index - start - length)


def normalize(line: str) -> Normalized:
    """``line`` with the notation of :data:`NOTATION`, scripts and ``|x|`` rewritten."""
    if line.isascii() and "^" not in line and "|" not in line:
        return Normalized(line)  # nothing to rewrite (the usual case)
    bars = _absolute_value_bars(line) if "|" in line else {}
    pieces: list[str] = []
    rewrites: list[tuple[int, int, int, int]] = []
    position = length = 0
    for match in _SPECIAL.finditer(line):
        replacement = _replacement(match, line, bars)
        if replacement is None:
            continue
        start, end = match.span()
        pieces.append(line[position:start])
        length += start - position
        pieces.append(replacement)
        rewrites.append((length, len(replacement), start, end - start))
        length += len(replacement)
        position = end
    pieces.append(line[position:])
    return Normalized("".join(pieces), tuple(rewrites))


def _replacement(match: re.Match, line: str, bars: dict[int, str]) -> str | None:
    """What one special character (or run of script digits) stands for, or None: keep it."""
    start, end = match.span()
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    if match["power"]:
        sign = {"⁻": "-", "⁺": "+"}.get(match["power"][0], "")
        return "**" + sign + "".join(_SUPERSCRIPT_DIGITS.get(c, "") for c in match["power"])
    if match["index"]:  # only right after a name's letter or digit: x₁, not w²₁
        if _in_name(before) and before not in _SCRIPT_CHARACTERS:
            return "".join(_SUBSCRIPT_DIGITS[c] for c in match["index"])
        return None
    symbol = match["symbol"]
    if symbol == "|":
        return bars.get(start)
    if symbol in _CONSTANTS:  # the constant, not a letter inside a name such as πr
        return None if _in_name(before) or _in_name(after) else _CONSTANTS[symbol]
    return NOTATION[symbol]


def _in_name(char: str) -> bool:
    return char.isalnum() or char == "_"


def _absolute_value_bars(line: str) -> dict[int, str]:
    """Columns of ``|`` that open (``abs(``) or close (``)``) an absolute value.

    A bar opens where an operand is expected (after an operator, ``(``, ``,``, ``=``,
    another opening bar, or at the start) and closes where an operand has just ended;
    the bars must balance on the line, or none is rewritten.
    """
    bars: dict[int, str] = {}
    depth = 0
    operand_expected = True
    for token in re.finditer(r"\||[^\s|]+", line):  # a bar, or a run of other characters
        if token[0] != "|":
            operand_expected = token[0][-1] in _OPERAND_NEXT
        elif operand_expected:
            bars[token.start()] = "abs("
            depth += 1
        elif depth > 0:
            bars[token.start()] = ")"
            depth -= 1
        else:
            return {}
    return bars if depth == 0 else {}
