"""The terminal rendering of the layer-level (matrix-form) view of a walkthrough: the
shapes, each step with its shape equation and its matrices written out in brackets, BP4's
outer-product grid, the batch in matrix form.

What is shown (which rows and columns of a big matrix) is decided in
:mod:`symbp.network.layers`; here only the layout, which depends on the width: a step's
matrices sit side by side with their operators and flow onto the next lines when the
width runs out (:class:`Flow`), and a matrix wider than the whole width is cut into
groups of columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderableType
from rich.text import Text

from ...core.printing import inline, plural
from ...network.layers import MATRIX_SHOWN, Block, Factor, Grid, LayerView, MatrixStep
from ...network.matrix_symbols import OPERATORS
from ...network.symbols import Shape
from ..marks import num, show_all
from ..prose import math_unicode, unicode
from .network_pieces import add_row, indent, new_table, sup, title

__all__ = ["Flow", "Piece", "layer_section"]

GAP = 1
"""Spaces between two pieces of a step."""


@dataclass(frozen=True)
class Piece:
    """Lines of text laid out as one unit, with the line operators align with (``middle``).
    A ``table`` piece (a matrix, a grid) keeps its ``cells`` so that it can be cut into
    groups of columns when it is wider than the line."""

    lines: tuple[str, ...]
    middle: int

    @property
    def width(self) -> int:
        return max(map(len, self.lines), default=0)


@dataclass(frozen=True)
class Cells:
    """A matrix or grid before layout: a caption over it, the header rows (a grid's), the
    body rows and the row labels; ``brackets`` draws the matrix's brackets; ``left``
    columns of each row are labels that every group of columns repeats."""

    caption: str
    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]
    left: int
    brackets: bool


def _pieces_of(cells: Cells, room: int, text: Callable[[str], str]) -> list[Piece]:
    """A matrix (or grid) as one piece, or as several groups of columns when wider than
    ``room``."""
    header = [tuple(map(text, row)) for row in cells.header]
    body = [tuple(map(text, row)) for row in cells.body]
    columns = len(body[0]) if body else 0
    widths = [max(len(row[c]) for row in [*header, *body]) for c in range(columns)]
    labels, data = list(range(cells.left)), list(range(cells.left, columns))
    fixed = sum(widths[c] + 2 for c in labels) + (2 if cells.brackets else 0)
    groups, current, used = [], [], fixed
    for c in data:
        if current and used + widths[c] + 2 > room:
            groups.append(current)
            current, used = [], fixed
        current.append(c)
        used += widths[c] + 2
    groups.append(current)
    pieces = []
    for group in groups:
        shown = labels + group
        caption = text(cells.caption)
        if len(groups) > 1:
            caption += f" (columns {group[0] - cells.left + 1}–{group[-1] - cells.left + 1})"
        lines = [caption] if caption else []
        lines += lines_of(header, shown, widths)
        rows = lines_of(body, shown, widths)
        if cells.brackets:  # [ | ] in ASCII: one character each, so the widths stay
            rows = [text(row) for row in _bracketed(rows)]
        start = len(lines)
        body_width = max(map(len, [*lines[1 if caption else 0:], *rows]))
        width = max(body_width, len(caption))
        shift = " " * ((width - body_width) // 2)  # under a wider caption: centred
        lines = [caption.center(width).rstrip()] if caption else []
        lines += [shift + line for line in lines_of(header, shown, widths)]
        lines += [shift + row for row in rows]
        pieces.append(Piece(tuple(lines), start + (len(rows) - 1) // 2))
    return pieces


def lines_of(rows, shown: list[int], widths: list[int]) -> list[str]:
    """Rows of cells as lines, each column right-aligned to its width."""
    return ["  ".join(row[c].rjust(widths[c]) for c in shown) for row in rows]


def _bracketed(rows: list[str]) -> list[str]:
    if len(rows) == 1:
        return [f"[{rows[0]}]"]
    ends = [("⎡", "⎤")] + [("⎢", "⎥")] * (len(rows) - 2) + [("⎣", "⎦")]
    return [f"{left}{row}{right}" for row, (left, right) in zip(rows, ends, strict=True)]


class Flow:
    """A step's pieces side by side, flowing onto more lines when the width runs out; each
    line of pieces aligned on their middle lines (where the operators are).  Laid out at
    the console's width, after transliteration when the output is ASCII (:meth:`as_ascii`)."""

    def __init__(self, items: Sequence[str | Cells], spaces: int = 4,
                 text: Callable[[str], str] = str) -> None:
        self.items, self.spaces, self.text = tuple(items), spaces, text

    def as_ascii(self) -> Flow:
        """The same flow, its text transliterated before it is measured."""
        from .console import to_ascii

        return Flow(self.items, self.spaces, to_ascii)

    def lines(self, width: int) -> list[str]:
        """The text at ``width`` columns."""
        room = max(20, width - self.spaces)
        pieces: list[Piece] = []
        for item in self.items:
            if isinstance(item, Cells):
                pieces += _pieces_of(item, room, self.text)
            else:
                pieces.append(Piece((self.text(item),), 0))
        rows: list[list[Piece]] = [[]]
        used = 0
        for piece in pieces:
            if rows[-1] and used + GAP + piece.width > room:
                rows.append([])
                used = 0
            used += (GAP if rows[-1] else 0) + piece.width
            rows[-1].append(piece)
        out: list[str] = []
        for row in rows:
            above = max(p.middle for p in row)
            below = max(len(p.lines) - p.middle for p in row)
            for offset in range(-above, below):
                cells = [(p.lines[p.middle + offset] if 0 <= p.middle + offset < len(p.lines)
                          else "").ljust(p.width) for p in row]
                out.append((" " * self.spaces + (" " * GAP).join(cells)).rstrip())
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        for line in self.lines(options.max_width):
            yield Text(line)


# -- records to cells --------------------------------------------------------------------

def _label(symbol) -> str:
    return inline(symbol, as_written=True)


def block_cells(block: Block) -> Cells:
    """A block's numbers in brackets, a caption naming it (none for an intermediate)."""
    hidden_rows, hidden_columns = block.hidden
    body = []
    for r in block.rows:
        row = [num(block.values[r][c]) for c in block.columns]
        body.append((*row, "…") if hidden_columns else tuple(row))
    if hidden_rows:
        body.append(tuple(["⋮"] * len(block.columns) + (["⋱"] if hidden_columns else [])))
    caption = "" if block.intermediate else _label(block.symbol)
    return Cells(caption, (), tuple(body), 0, True)


def grid_cells(grid: Grid, result: Block) -> Cells:
    """BP4's grid: a header of aₖ and their values, a row per δⱼ with its value."""
    cut = len(grid.columns) < len(grid.column_values)
    more = ["…"] if cut else []
    header = (("", *(_label(grid.column_symbols[k]) for k in grid.columns), *more),
              ("", *(num(grid.column_values[k]) for k in grid.columns), *[""] * cut))
    body = [(f"{_label(grid.row_symbols[j])} = {num(grid.row_values[j])}",
             *(num(grid.entries[j][k]) for k in grid.columns), *more)
            for j in grid.rows]
    if len(grid.rows) < len(grid.row_values):
        body.append(("⋮", *["⋮"] * len(grid.columns), *["⋱"] * cut))
    return Cells(_label(result.symbol), header, tuple(body), 1, False)


def step_items(step: MatrixStep) -> list[str | Cells]:
    """The pieces of a step: its operands, operators and result (BP4 of one sample: its
    grid)."""
    if step.grid is not None:
        return [grid_cells(step.grid, step.result)]
    if len(step.terms) == 1 and isinstance(step.terms[0], Block):  # a² = σ(z²), ∂C/∂b = δ
        cells = block_cells(step.result)
        caption = f"{cells.caption} = {_label(step.terms[0].symbol)}"
        return [Cells(caption, (), cells.body, 0, True)]
    items: list[str | Cells] = []
    for term in step.terms:
        if isinstance(term, str):
            items.append(OPERATORS[term][0])
        elif isinstance(term, Factor):
            items.append(_label(term.value))
        else:
            items.append(block_cells(term))
    return [*items, "=", block_cells(step.result)]


# -- the section -------------------------------------------------------------------------

def layer_section(view: LayerView, spaces: int = 4) -> Iterator[RenderableType]:
    """The layer view: the convention, the shapes, the equations, the samples and the batch
    in matrix form."""
    yield title("Layer by layer, in matrix form", f"({view.convention} convention)")
    yield indent(Text(unicode(view.note), style="dim"))
    yield from _shapes(view)
    for sample in view.samples:
        yield Text("")
        yield indent(Text(f"Sample {sample.index + 1}", style="bold").append(
            "   " + "   ".join(math_unicode(e) for label, e in view.equations
                               if label in ("forward", "activation")), style="dim"))
        yield from _steps(view, sample.steps, spaces, per_sample=True)
    yield Text("")
    m = view.m
    where = "rows" if view.convention == "pytorch" else "columns"
    yield indent(Text(f"The batch of {plural(m, 'sample')}", style="bold").append(
        f"   samples as {where}; the gradient is the average over the batch: the 1/m = "
        f"1/{m} in front of each sum over the samples", style="dim"))
    yield from _steps(view, view.batch, spaces, per_sample=False)


def _shapes(view: LayerView) -> Iterator[RenderableType]:
    pytorch = view.convention == "pytorch"
    table = new_table("layer l", "σ", "Wˡ", "bˡ, zˡ, aˡ, δˡ", f"Zˡ, Aˡ, Δˡ (batch of {view.m})")
    for row in view.shapes:
        add_row(table, str(row.layer), row.activation, math_unicode(Shape(*row.weight)),
                str(row.vector), math_unicode(Shape(*row.batch)))
    yield indent(table)
    unit = ("m × nₗ: a sample per row" if pytorch else "nₗ × m: a sample per column")
    yield indent(Text(f"(Wˡ is nₗ × nₗ₋₁, out × in, in both conventions; a batch is {unit})",
                      style="dim"))


def _steps(view: LayerView, steps: Sequence[MatrixStep], spaces: int,
           per_sample: bool) -> Iterator[RenderableType]:
    general = dict(view.equations if per_sample else view.batch_equations)
    for step in steps:
        head = Text(f"{step.label:<11}", style="bold")
        head.append(math_unicode(step.shapes()))
        if step.label in ("BP1", "BP2", "BP3", "BP4"):
            head.append(f"   ({math_unicode(general[step.label])})", style="dim")
        yield indent(head, spaces - 2)
        yield Flow(step_items(step), spaces)
        if step.cut:
            yield indent(Text(f"(⋮ and …: rows and columns after the first {MATRIX_SHOWN} are left "
                              f"out; {show_all()[1:]}", style="dim"), spaces)
        if step.grid is not None:
            yield indent(Text(f"{math_unicode(step.symbols())}: entry (j, k) = aₖ·δⱼ, the "
                              f"neuron view's ∂C/∂w{sup(step.layer)}ⱼₖ (BP4)", style="dim"),
                         spaces)
