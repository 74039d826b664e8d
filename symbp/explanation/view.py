"""What every format shows of an explanation, decided once (the view layer).

The renderers (terminal, LaTeX, Markdown, DOT) differ only in syntax; these rules say
*what* they show, so they cannot drift apart:

- :func:`output_line`: the output and its value (or its formula in the inputs), stated
  in every header — a long program's node table is summarized and would hide it;
- :func:`in_inputs`: the derivative written in the inputs (``x²·cos(x) + 2·x·sin(x)``),
  in the gradient summary when it is short enough to read (:data:`IN_INPUTS_LIMIT`);
- :func:`path_ends`: how much of a long path each listing shows, so that two shortened
  paths never look the same;
- :func:`in_numbers`: whether a product is written again in numbers — not when a factor
  has no certain digit (``(no digit certain)·1`` says nothing ``≈`` does not).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from ..core.exact import certain
from ..core.graph import Edge
from ..core.printing import equals, inline, name
from .records import Explanation

__all__ = ["IN_INPUTS_LIMIT", "LONG_PATH", "WHOLE_PATH", "Ends", "heading", "in_inputs",
           "in_numbers", "output_expression", "output_value", "path_ends", "shortened"]

IN_INPUTS_LIMIT = 60
"""An expression written in the inputs is shown when its one-line form has at most this
many characters (longer ones are not useful in a summary; JSON always has them)."""

LONG_PATH = 6
"""Paths with more edges than this are shown shortened to their ends."""


def in_inputs(ex: Explanation, x: str) -> sympy.Expr | None:
    """∂output/∂x written in the inputs when it is short enough to be useful, else None."""
    expr = ex.gradient_in_inputs.get(x)
    return expr if expr is not None and _short(expr) else None


def in_numbers(values) -> bool:
    """Whether a product of these factor values is written in numbers: every value known
    (not ``None``) and each a float, a rational or a number with a certain digit."""
    return all(v is not None and (isinstance(v, float) or _certain(v)) for v in values)


def _certain(value) -> bool:
    value = sympy.sympify(value, strict=True)
    return value.is_Rational or value.is_Float or certain(value, 15) is not None


def output_value(ex: Explanation) -> sympy.Expr | None:
    """The output's value at the point (None without a point)."""
    return ex.values[ex.graph.output] if ex.values else None


def heading(ex: Explanation, inputs: Sequence[str]) -> str:
    """``∂y/∂(x, w)  at x = 2, w = 1/2;  y = 3``: what is derived, where, and the output's
    value, in one line of Unicode (the title of the picture and of the stepper page)."""
    graph = ex.graph
    words = f"∂{name(graph.output)}/∂({', '.join(name(x) for x in inputs)})"
    if ex.point is not None:
        words += "  at " + ", ".join(f"{name(k)} {equals(v)}" for k, v in ex.point.items())
    value = output_value(ex)
    if value is not None:  # the output's value, stated in every format's header
        words += f";  {name(graph.output)} {equals(value)}"
    return words


def output_expression(ex: Explanation) -> sympy.Expr | None:
    """The output written in the inputs, for a header without a point (short ones only)."""
    if not ex.gradient_in_inputs:  # too big to write out (explain did not build it)
        return None
    expr = ex.graph.expression()
    return expr if _short(expr) else None


def _short(expr: sympy.Expr) -> bool:
    return len(inline(expr)) <= IN_INPUTS_LIMIT


Ends = tuple[int, int]
"""Edges kept at the start and at the end of a shortened path."""


def path_ends(paths: Sequence[Sequence[Edge]]) -> Ends | None:
    """How many edges a listing keeps at each end of its long paths
    (``a → c → … → g → g₁`` keeps (2, 1)) so that no two of ``paths`` look the same.

    Starts from the first two edges and the last one, as the listing always did, and
    keeps the fewest more edges that tell the shown forms apart (at the end first when
    it is a tie: paths into one output tend to differ late); when no ends up to
    :data:`LONG_PATH` edges do, the long paths are shown whole — unless one is longer
    than :data:`WHOLE_PATH` edges: then ``None``, and a listing shows (2, 1) of each and
    numbers the paths (a 3,000-edge path written whole would be thousands of names).
    """
    long_paths = {tuple(p) for p in paths if len(p) > LONG_PATH}
    candidates = sorted(((head, tail) for head in range(2, LONG_PATH + 1)
                         for tail in range(1, LONG_PATH + 1)),
                        key=lambda ends: (ends[0] + ends[1], ends[0]))
    for ends in candidates:
        if len({_shown(p, ends) for p in long_paths}) == len(long_paths):
            return ends
    if any(len(p) > WHOLE_PATH for p in long_paths):
        return None
    return (10**9, 10**9)


WHOLE_PATH = 24
"""Most edges of a path shown whole when its ends cannot tell it from the others."""


def shortened(path: Sequence[Edge], ends: Ends) -> tuple[tuple[Edge, ...], ...] | None:
    """The first and last edges of a long path that :func:`path_ends` keeps, or None when
    the path is shown whole (short, or the ends would hide one node at most)."""
    head, tail = ends
    if len(path) <= LONG_PATH or len(path) <= head + tail + 1:
        return None
    return tuple(path[:head]), tuple(path[len(path) - tail:])


def _shown(path: tuple[Edge, ...], ends: Ends):
    """What a listing shows of ``path``: its ends, or the whole path."""
    cut = shortened(path, ends)
    return path if cut is None else cut
