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
from ..network_prose import math_latex
from .document import Chain, Item, Part, math_part
from .math import LINE
from .network_math import n
from .width import width

__all__ = ["WIDE", "block_tex", "layer_parts"]

WIDE = 0.6 * LINE
"""A matrix wider than this (in :func:`~symbp.render.tex.width.width` units) is set in
script size (``smallmatrix``), so that a layer of 8 × 8 fits the page."""


def block_tex(block: Block) -> str:
    r"""A block as a ``bmatrix`` with its name and shape under a brace (an intermediate
    result: its shape alone)."""
    hidden_rows, hidden_columns = block.hidden
    rows = []
    for r in block.rows:
        cells = [n(block.values[r][c]) for c in block.columns]
        rows.append(" & ".join([*cells, *([r"\cdots"] if hidden_columns else [])]))
    if hidden_rows:
        rows.append(" & ".join([r"\vdots"] * len(block.columns)
                               + ([r"\ddots"] if hidden_columns else [])))
    matrix = r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"
    if width(matrix) > WIDE:  # too wide for a line: in script size
        matrix = (r"\left[\begin{smallmatrix} " + r" \\ ".join(rows)
                  + r" \end{smallmatrix}\right]")
    label = math_latex(block.badge, in_text=False)
    if not block.intermediate:
        label = rf"{math_latex(block.symbol, in_text=False)}\,({label})"
    else:
        label = f"({label})"
    return rf"\underbrace{{{matrix}}}_{{{label}}}"


def _chain(step: MatrixStep) -> Chain:
    result = step.result
    if len(step.terms) == 1 and isinstance(step.terms[0], Block):  # a² = σ(z²), ∂C/∂b = δ
        return Chain(math_latex(result.symbol, in_text=False),
                     (Item("=", (math_latex(step.terms[0].symbol, in_text=False),)),
                      Item("=", (block_tex(result),))), rf"\text{{{step.label}}}")
    pieces: list[str] = []
    pending = ""
    for term in step.terms:
        if isinstance(term, str):
            pending = OPERATORS[term][1]
            continue
        tex = (math_latex(term.value, in_text=True) if isinstance(term, Factor)
               else block_tex(term))
        pieces.append(f"{pending} {tex}".strip())
        pending = ""
    return Chain(math_latex(result.symbol, in_text=False),
                 (Item("=", tuple(pieces)), Item("=", (block_tex(result),))),
                 rf"\text{{{step.label}}}")


GRID_COLUMNS = 5
"""Columns of BP4's grid in one table; a wider grid is cut into tables of this many."""


def _grid(grid: Grid) -> Iterator[Part]:
    cut = len(grid.columns) < len(grid.column_values)
    groups = [grid.columns[g:g + GRID_COLUMNS]
              for g in range(0, len(grid.columns), GRID_COLUMNS)]
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
