"""Aligned rows and indented lines for the terminal, drawn without rich's layout engine.

rich's ``Table`` measures every cell and renders each one through its wrapping
machinery, and ``Padding`` re-cuts every line it indents: for the small, one-line
tables of an explanation that was most of ``symbp explain``'s rendering time
(1–2 ms a table, more than computing and checking the derivatives).  :class:`Rows`
and :class:`Indented` draw the same characters directly when everything fits the
console on one line per row — the usual case — and hand over to a real rich
``Table`` / ``Padding`` (which wrap) when it does not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

__all__ = ["Indented", "Rows"]

GAP = 3
"""Blanks between two columns: rich's cell padding, the (blank) divider of
``box.SIMPLE_HEAD`` and the next cell's padding."""


class Rows:
    """Columns of one-line cells under a bold header and a rule, like a rich
    ``Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)``: the terminal's one
    table engine, for both commands.

    ``justify`` gives each column ``"left"`` or ``"right"``; ``indent`` spaces go
    before every line.  Without a ``divider`` the table has no box at all (``box=None``:
    cells two blanks apart, no rule).  ``overflow`` is what rich does to a cell too wide
    for the console: ``"fold"`` wraps it (a number is never cut), ``"ellipsis"`` cuts it
    with "…".  Plain-string cells are text as written, never rich markup.
    """

    def __init__(self, *headers: str, header: bool = True, indent: int = 0,
                 justify: Sequence[str] = (), divider: bool = True,
                 overflow: str = "ellipsis") -> None:
        self.headers = headers
        self.header = header
        self.indent = indent
        self.justify = tuple(justify) or ("left",) * len(headers)
        self.divider = divider
        self.overflow = overflow
        self.rows: list[tuple[Text, ...]] = []

    def add_row(self, *cells: str | Text) -> None:
        """Append a row: one cell per column."""
        if len(cells) != len(self.headers):
            raise ValueError(f"a row of {len(cells)} cells for {len(self.headers)} columns")
        self.rows.append(tuple(c if isinstance(c, Text) else Text(c) for c in cells))

    def _widths(self) -> list[int] | None:
        """Each column's width, or ``None`` when a cell spans several lines."""
        lines = [tuple(map(Text, self.headers))] if self.header else []
        lines += self.rows
        if any("\n" in cell.plain for row in lines for cell in row):
            return None
        return [max(map(cell_len, (row[i].plain for row in lines)), default=0)
                for i in range(len(self.headers))]

    def _width(self, widths: list[int]) -> int:
        gap = GAP if self.divider else GAP - 1
        return sum(widths) + gap * max(len(widths) - 1, 0)

    def __rich_console__(self, console: Console, options: ConsoleOptions
                         ) -> Iterator[RenderableType | Segment]:
        widths = self._widths()
        if widths is None or self.indent + self._width(widths) > options.max_width:
            yield self._rich_table(options.ascii_only)
            return
        if self.header:
            bold = console.get_style("bold")
            yield from self._line(console, [Text(h, style=bold) for h in self.headers], widths,
                                  bold)
            if self.divider:  # the box's rule under the header
                rule = "-" if options.ascii_only else "─"  # as rich's boxes in ASCII
                yield Segment(" " * self.indent + rule * self._width(widths))
                yield Segment.line()
        for row in self.rows:
            yield from self._line(console, row, widths)

    def _line(self, console: Console, cells: Sequence[Text], widths: list[int],
              style: Style | None = None) -> Iterator[Segment]:
        """One row; ``style`` (the header's) also covers the cells' padding, as in rich."""
        if self.indent:
            yield Segment(" " * self.indent)
        for i, (cell, width, justify) in enumerate(zip(cells, widths, self.justify,
                                                       strict=True)):
            if i:  # the cells' padding, and the box's blank divider between them
                yield from ((Segment(" ", style), Segment(" "), Segment(" ", style))
                            if self.divider else (Segment(" ", style), Segment(" ", style)))
            fill = Segment(" " * (width - cell_len(cell.plain)), style)
            if justify == "right":
                yield fill
            yield from _segments(console, cell)
            if justify != "right":
                yield fill
        yield Segment.line()

    def _rich_table(self, ascii_only: bool = False) -> RenderableType:
        """The same table laid out by rich, which wraps cells that do not fit (on an ASCII
        console with a rule of ``-``: rich's own substitute would draw a full grid)."""
        from rich import box
        from rich.padding import Padding
        from rich.table import Table

        head = box.Box(str(box.SIMPLE_HEAD).replace("─", "-"), ascii=True) if ascii_only \
            else box.SIMPLE_HEAD
        table = Table(box=head if self.divider else None, show_edge=False, pad_edge=False,
                      header_style="bold", show_header=self.header)
        for column, justify in zip(self.headers, self.justify, strict=True):
            table.add_column(column, justify=justify,  # type: ignore[arg-type]
                             overflow=self.overflow)  # type: ignore[arg-type]
        for row in self.rows:
            table.add_row(*row)
        return Padding(table, (0, 0, 0, self.indent), expand=False) if self.indent else table

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = self._widths()
        if widths is None:
            return Measurement.get(console, options, self._rich_table(options.ascii_only))
        width = self.indent + self._width(widths)
        return Measurement(width, width).with_maximum(options.max_width)


class Indented:
    """A line of text after ``spaces`` blanks; rich's ``Padding`` when it must wrap."""

    def __init__(self, text: Text, spaces: int) -> None:
        self.text = text
        self.spaces = spaces

    def __rich_console__(self, console: Console, options: ConsoleOptions
                         ) -> Iterator[RenderableType | Segment]:
        plain = self.text.plain
        if "\n" in plain or self.spaces + cell_len(plain) > options.max_width:
            from rich.padding import Padding

            yield Padding(self.text, (0, 0, 0, self.spaces), expand=False)
            return
        yield Segment(" " * self.spaces)
        yield from _segments(console, self.text)
        yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.spaces + max(map(cell_len, self.text.plain.split("\n")))
        return Measurement(width, width).with_maximum(options.max_width)


def _segments(console: Console, text: Text) -> Iterator[Segment]:
    """The styled pieces of a one-line Text (its own style under its spans')."""
    if text.spans:
        yield from text.render(console)
        return
    style = text.style
    if isinstance(style, str):
        style = console.get_style(style, default=Style.null()) if style else None
    yield Segment(text.plain, style)
