"""How wide a TeX formula prints, in widths of one letter of 10pt math: what the layout
of chains and the breaking of long formulas measure.
"""

from __future__ import annotations

import re

__all__ = ["width"]


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}_^]|[^\\{}_^]")
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\mathrm", r"\mathsf", r"\operatorname",
         r"\mathrel", r"\limits", r"\nolimits", r"\hat"}
_WIDE = {r"\quad": 2.0, r"\qquad": 4.0, r"\,": 0.3, r"\;": 0.5, r"\:": 0.4, r"\ ": 0.5,
         r"\!": 0.0, r"\cdot": 1.5, r"\cdots": 3.0, r"\ldots": 3.0, r"\to": 2.5,
         r"\approx": 2.5, r"\sqrt": 1.0, r"\log": 3.0, r"\sin": 3.0, r"\cos": 3.0,
         r"\tan": 3.0, r"\exp": 3.0, r"\sinh": 4.0, r"\cosh": 4.0, r"\tanh": 4.0}


def width(tex: str) -> float:
    """A rough width of math-mode TeX in letters (fractions count their wider part).

    Good enough to decide where to break a line: it errs on the wide side.
    """
    tokens = _TOKEN.findall(tex)
    return _width(tokens, 0, len(tokens))[0]


def _width(tokens: list[str], i: int, end: int, scale: float = 1.0) -> tuple[float, int]:
    total_ = 0.0
    while i < end:
        token = tokens[i]
        if token == "}":
            return total_, i + 1
        w, i = _atom(tokens, i, end, scale)
        total_ += w
    return total_, i


def _group(tokens: list[str], i: int, end: int, scale: float) -> tuple[float, int]:
    """The width of one argument: a braced group or a single token."""
    while i < end and tokens[i] == " ":
        i += 1
    if i >= end:
        return 0.0, i
    if tokens[i] == "{":
        return _width(tokens, i + 1, end, scale)
    return _atom(tokens, i, end, scale)


def _atom(tokens: list[str], i: int, end: int, scale: float) -> tuple[float, int]:
    token = tokens[i]
    if token == "{":
        return _width(tokens, i + 1, end, scale)
    if token in ("_", "^"):
        return _group(tokens, i + 1, end, scale * 0.7)
    if token in (r"\frac", r"\tfrac", r"\dfrac"):
        top, i = _group(tokens, i + 1, end, scale)
        bottom, i = _group(tokens, i, end, scale)
        return max(top, bottom) + 0.6 * scale, i
    if token == r"\underbrace":
        body, i = _group(tokens, i + 1, end, scale)
        if i < end and tokens[i] == "_":
            label, i = _group(tokens, i + 1, end, scale * 0.7)
            body = max(body, label)
        return body, i
    if token == r"\begin":  # a matrix: its widest cell in each column, side by side
        return _environment(tokens, i, end, scale)
    if token in (r"\text", r"\mathrm", r"\operatorname"):
        inner, i = _group(tokens, i + 1, end, scale)
        return inner * (0.9 if token == r"\text" else 1.0), i
    if token == " ":
        return 0.0, i + 1
    if token in _ZERO:
        return 0.0, i + 1
    if token in _WIDE:
        return _WIDE[token] * scale, i + 1
    if token in "+-=<>":
        return 2.2 * scale, i + 1
    if token in ",;":
        return 0.6 * scale, i + 1
    return 1.0 * scale, i + 1


def _environment(tokens: list[str], i: int, end: int, scale: float) -> tuple[float, int]:
    """``\\begin{name} … \\end{name}``: rows split at ``\\\\``, cells at ``&``; each column
    as wide as its widest cell, with the column gap and the delimiters."""
    name_start = i + 2
    _, i = _group(tokens, i + 1, end, scale)  # the environment's name
    small = "".join(tokens[name_start:i - 1]) == "smallmatrix"
    if small:  # script size, tight columns
        scale *= 0.7
    depth, start = 0, i
    while i < end and not (tokens[i] == r"\end" and depth == 0):
        depth += (tokens[i] == r"\begin") - (tokens[i] == r"\end")
        i += 1
    body, columns, cell, k = tokens[start:i], [], [], 0
    for token in [*body, "\\\\"]:
        if token in ("&", "\\\\"):
            w = _width(cell, 0, len(cell), scale)[0]
            if k >= len(columns):
                columns.append(0.0)
            columns[k] = max(columns[k], w)
            cell, k = [], 0 if token == "\\\\" else k + 1
        else:
            cell.append(token)
    _, i = _group(tokens, i + 1, end, scale)  # \end's name
    return sum(columns) + 2.0 * scale * len(columns) + 1.0 * scale, i
