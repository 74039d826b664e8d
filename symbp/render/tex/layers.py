r"""The layer-level (matrix-form) view as :class:`~symbp.render.document.Part` s for the LaTeX
and Markdown printers: the shapes in a table, each step's shape equation, then the step in
display math with every matrix a ``bmatrix`` and its name and shape under a brace
(``\underbrace{…}_{W^{2}\,(3 \times 2)}``), BP4's grid as a table whose rows are δⱼ and
whose columns are aₖ.  What is shown is the records' (:mod:`symbp.network.layers`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sympy

from ...core.printing import plural
from ...network.layers import MATRIX_SHOWN, Block, Factor, Grid, LayerView, MatrixStep
from ...network.matrix_symbols import OPERATORS
from ...network.prose import Math, Rounded, Strong, Text, prose
from ...network.symbols import Juxtapose, Shape, Slash, SumOver, symbol
from ..marks import show_all
from ..prose import math_latex
from .document import Chain, Item, Part, math_part
from .math import LINE
from .network_math import n
from .width import width

__all__ = ["TIGHT", "WIDE", "block_tex", "layer_parts"]

WIDE = 0.6 * LINE
"""A matrix wider than this (in :func:`~symbp.render.tex.width.width` units) is set in
script size (``smallmatrix``), so that a layer of 8 × 8 fits the page."""
TIGHT = 0.8 * LINE
"""A matrix wider than this even in script size is written in groups of columns, each on
its own row of the chain (``[`` opens the first, ``]`` closes the last, and each brace
says which columns it holds), so that it stays beside the chain's left side and note."""


def block_tex(block: Block) -> tuple[str, ...]:
    r"""A block as a ``bmatrix`` with its name and shape under a brace (an intermediate
    result: its shape alone).  A wide one is set in script size (``smallmatrix``); one
    still wider than :data:`TIGHT` is cut into groups of columns, one piece each, which
    the chain's layout puts on rows of their own."""
    hidden_rows, hidden_columns = block.hidden
    rows = [[n(block.values[r][c]) for c in block.columns]
            + ([r"\cdots"] if hidden_columns else []) for r in block.rows]
    if hidden_rows:
        rows.append([r"\vdots"] * len(block.columns) + ([r"\ddots"] if hidden_columns else []))
    label = math_latex(block.badge, in_text=False)
    if not block.intermediate:
        label = rf"{math_latex(block.symbol, in_text=False)}\,({label})"
    else:
        label = f"({label})"

    def body(first: int, stop: int) -> str:
        return r" \\ ".join(" & ".join(row[first:stop]) for row in rows)

    count = len(rows[0])
    matrix = r"\begin{bmatrix} " + body(0, count) + r" \end{bmatrix}"
    if width(matrix) <= WIDE:
        return (rf"\underbrace{{{matrix}}}_{{{label}}}",)
    for groups in range(1, count + 1):  # script size, in as few groups as fit
        size = -(-count // groups)
        starts = range(0, count, size)
        pieces = [(r"\left[" if g == 0 else r"\left.") + r"\begin{smallmatrix} "
                  + body(g, g + size) + r" \end{smallmatrix}"
                  + (r"\right]" if g + size >= count else r"\right.") for g in starts]
        if groups == count or all(width(p) <= TIGHT for p in pieces):
            break
    if len(pieces) == 1:
        return (rf"\underbrace{{{pieces[0]}}}_{{{label}}}",)
    shown = [*block.columns, *([None] if hidden_columns else [])]
    return tuple(rf"\underbrace{{{p}}}_{{{label}\text{{, {_columns(shown[g:g + size])}}}}}"
                 for p, g in zip(pieces, starts, strict=True))


def _columns(indices) -> str:
    """Which columns a group of a cut matrix holds, counted from 1 (``None``: the columns
    left out, the ``\\cdots``): ``columns 1--4``, ``column 7 and the rest``."""
    numbers = [i + 1 for i in indices if i is not None]
    rest = "the rest" if None in indices else ""
    if not numbers:
        return rest
    span = (f"column {numbers[0]}" if len(numbers) == 1
            else f"columns {numbers[0]}--{numbers[-1]}")
    return f"{span} and {rest}" if rest else span


def _chain(step: MatrixStep) -> Chain:
    result = step.result
    if len(step.terms) == 1 and isinstance(step.terms[0], Block):  # a² = σ(z²), ∂C/∂b = δ
        return Chain(math_latex(result.symbol, in_text=False),
                     (Item("=", (math_latex(step.terms[0].symbol, in_text=False),)),
                      Item("=", block_tex(result))), rf"\text{{{step.label}}}")
    pieces: list[str] = []
    pending = ""
    for term in step.terms:
        if isinstance(term, str):
            pending = OPERATORS[term][1]
            continue
        tex = ((math_latex(term.value, in_text=True),) if isinstance(term, Factor)
               else block_tex(term))
        pieces += [f"{pending} {tex[0]}".strip(), *tex[1:]]
        pending = ""
    return Chain(math_latex(result.symbol, in_text=False),
                 (Item("=", tuple(pieces)), Item("=", block_tex(result))),
                 rf"\text{{{step.label}}}")


GRID_COLUMNS = 5
"""Columns of BP4's grid in one table at most; a wider grid is cut into tables of this
many, or of fewer when its numbers are long (−5.85225·10⁻⁹), so that a table fits the
line."""


def _grid_columns(grid: Grid) -> int:
    """How many of the grid's columns one table holds: its widest cell, its widest row
    label and the column gaps, in ``\\small`` (nine tenths of the math's width units)."""
    cells = [grid.column_values[k] for k in grid.columns]
    cells += [grid.entries[j][k] for j in grid.rows for k in grid.columns]
    cell = max(width(n(v)) for v in cells) * 0.9 + 2.0
    label = max(width(n(grid.row_values[j])) + 6.0 for j in grid.rows) * 0.9 + 2.0
    return max(1, min(GRID_COLUMNS, int((LINE - label) // cell)))


def _grid(grid: Grid) -> Iterator[Part]:
    cut = len(grid.columns) < len(grid.column_values)
    size = _grid_columns(grid)
    groups = [grid.columns[g:g + size] for g in range(0, len(grid.columns), size)]
    for g, columns in enumerate(groups):
        more = [prose("…")] if cut and g == len(groups) - 1 else []
        header = ((), *(prose(grid.column_symbols[k]) for k in columns), *more)
        rows = [((), *(prose(Rounded(grid.column_values[k])) for k in columns),
                 *[()] * len(more))]
        rows += [(prose(sympy.Eq(grid.row_symbols[j], Rounded(grid.row_values[j]),
                                 evaluate=False)),
                  *(prose(Rounded(grid.entries[j][k])) for k in columns), *more)
                 for j in grid.rows]
        if len(grid.rows) < len(grid.row_values):
            rows.append(tuple(prose("⋮") for _ in header))
        yield Part("table", header=header, rows=tuple(rows),
                   align="l" + "r" * (len(header) - 1))


def _steps(steps: Sequence[MatrixStep], general: dict) -> Iterator[Part]:
    for step in steps:
        lead = [Strong(step.label), Text(": "), Math(step.shapes())]
        if step.label in general:
            lead += [Text(", from "), Math(general[step.label])]
        yield Part("prose", (*lead, Text(".")))
        if step.grid is not None:
            yield from _grid(step.grid)
            yield Part("prose", prose(
                step.symbols(), ": entry (j, k) is ", Math(_entry(step)),
                ", the neuron view's BP4 entry for this weight."))
        else:
            yield math_part([_chain(step)], f"layer {step.layer}: {step.label}")
        if step.cut:
            yield Part("prose", prose(f"(Rows and columns after the first {MATRIX_SHOWN} are "
                                      f"left out; {show_all()[1:]}"))


def _entry(step: MatrixStep):
    layer = step.layer
    return Juxtapose(symbol(f"a^{{{layer - 1}}}_{{k}}"), symbol(f"delta^{{{layer}}}_{{j}}"))


def layer_parts(view: LayerView) -> Iterator[Part]:
    """The layer view's parts: convention, shapes, each shown sample, the batch."""
    yield Part("heading", prose(f"Layer by layer, in matrix form ({view.convention} convention)"))
    yield Part("prose", view.note)
    s, m = symbol, symbol("m")
    batch = (Shape(m, s("n_l")) if view.convention == "pytorch" else Shape(s("n_l"), m))
    yield Part("table", header=(
        prose("layer ", s("l")), prose(s("sigma")), prose(s("W^{l}")),
        prose(s("b^{l}"), ", ", s("z^{l}"), ", ", s("a^{l}"), ", ", s("delta^{l}")),
        prose(s("Z^{l}"), ", ", s("A^{l}"), ", ", s("Delta^{l}"), " (batch: ", batch, ", ",
              sympy.Eq(m, view.m, evaluate=False), ")")),
        rows=tuple((prose(str(r.layer)), prose(r.activation), prose(Shape(*r.weight)),
                    prose(sympy.Integer(r.vector)), prose(Shape(*r.batch)))
                   for r in view.shapes),
        align="llrrr")
    general = dict(view.equations)
    for sample in view.samples:
        yield Part("subheading", prose(f"Sample {sample.index + 1} in matrix form"))
        yield from _steps(sample.steps, general)
    m = view.m
    where = "rows" if view.convention == "pytorch" else "columns"
    yield Part("subheading", prose(f"The batch of {plural(m, 'sample')} in matrix form"))
    one_over = Slash(sympy.Integer(1), symbol("m"))
    yield Part("prose", prose(
        f"The samples are the {where} of each matrix. The gradient of ",
        sympy.Eq(symbol("C"), Juxtapose(one_over, SumOver(symbol("C_x"), symbol("x"))),
                 evaluate=False),
        " is the average of the samples': the ",
        sympy.Eq(one_over, Slash(sympy.Integer(1), sympy.Integer(m)), evaluate=False),
        " in front of each sum over the samples."))
    yield from _steps(view.batch, dict(view.batch_equations))
