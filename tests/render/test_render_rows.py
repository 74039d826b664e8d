"""symbp.render.terminal.rows draws what rich's Table and Padding draw: rich is the oracle."""

from __future__ import annotations

import pytest
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from symbp.render.terminal.rows import Indented, Rows

HEADERS = ("edge", "rule", "local partial", "value")
ROWS = [
    ("a → c", "sum rule", "∂c/∂a = 1", "1"),
    ("c → e", "product rule", "∂e/∂c = d", "2"),
    ("w²₁₁ → z", "product rule", "∂z/∂w²₁₁ = a¹₁", "-0.7710"),
]


def draw(renderable, width: int, *, color: bool = False):
    """The characters drawn; with ``color``, the styled runs (neighbours of one style merged,
    so that how the pieces were cut does not matter)."""
    console = Console(width=width, record=True, color_system="truecolor" if color else None,
                      file=_Null(), force_jupyter=False, force_terminal=color)
    if color:  # no style and the null style draw the same
        segments = (Segment(s.text, s.style or Style.null())
                    for s in console.render(renderable) if s.text)
        return list(Segment.simplify(segments))
    console.print(renderable)
    return console.export_text()


class _Null:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def rich_table(header: bool, justify, indent: int, rows=ROWS, headers=HEADERS):
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold",
                  show_header=header)
    for column, how in zip(headers, justify, strict=True):
        table.add_column(column, justify=how)
    for row in rows:
        table.add_row(*(Text(c) if isinstance(c, str) else c for c in row))
    return Padding(table, (0, 0, 0, indent), expand=False)


def ours(header: bool, justify, indent: int, rows=ROWS, headers=HEADERS) -> Rows:
    table = Rows(*headers, header=header, indent=indent, justify=justify)
    for row in rows:
        table.add_row(*row)
    return table


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("justify", [("left",) * 4, ("left", "left", "right", "right")])
@pytest.mark.parametrize("indent", [0, 2, 4])
@pytest.mark.parametrize("color", [False, True])
def test_rows_look_like_the_rich_table(header, justify, indent, color):
    expected = draw(rich_table(header, justify, indent), 100, color=color)
    assert draw(ours(header, justify, indent), 100, color=color) == expected


def test_styled_cells_keep_their_styles():
    rows = [(Text("✓", style="bold green"), Text("paths == forward", style="bold")
             .append("  [symbolic]", style="dim"))]
    headers = ("", "")
    expected = draw(rich_table(False, ("left", "left"), 2, rows, headers), 80, color=True)
    assert draw(ours(False, ("left", "left"), 2, rows, headers), 80, color=True) == expected
    assert "[symbolic]" in draw(ours(False, ("left", "left"), 2, rows, headers), 80)


@pytest.mark.parametrize("width", [20, 30, 41])
def test_rows_too_wide_for_the_console_wrap_as_rich_wraps_them(width):
    table = ours(True, ("left",) * 4, 2)
    assert draw(table, width) == draw(rich_table(True, ("left",) * 4, 2), width)
    assert max(map(len, draw(table, width).splitlines())) <= width


def test_plain_strings_are_never_markup():
    table = Rows("formula")
    table.add_row("[bold]x[/bold]")
    assert "[bold]x[/bold]" in draw(table, 40)


def test_a_row_must_fill_every_column():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Rows("a", "b", "c").add_row("1", "2")


@pytest.mark.parametrize("width", [80, 12])
def test_indented_text_is_padding(width):
    text = Text("sum: de/db = c + d = 5", style="green")
    expected = draw(Padding(text, (0, 0, 0, 4), expand=False), width, color=True)
    assert draw(Indented(text, 4), width, color=True) == expected
