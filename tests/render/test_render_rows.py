"""symbp.render.terminal.rows draws what rich's Table and Padding draw: rich is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from symbp.render.terminal.rows import Indented, Rows

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

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


def rich_borderless(header: bool, justify, rows=ROWS, headers=HEADERS, overflow="fold"):
    """The network's tables before they were Rows: no box without a header, cells folded."""
    table = Table(box=box.SIMPLE_HEAD if header else None, show_edge=False, pad_edge=False,
                  header_style="bold", show_header=header)
    for column, how in zip(headers, justify, strict=True):
        table.add_column(column, justify=how, overflow=overflow)
    for row in rows:
        table.add_row(*(Text(c) if isinstance(c, str) else c for c in row))
    return table


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("justify", [("left",) * 4, ("right", "left", "right", "right")])
@pytest.mark.parametrize("width", [100, 30, 14])
@pytest.mark.parametrize("color", [False, True])
def test_rows_without_a_divider_look_like_the_boxless_rich_table(header, justify, width, color):
    """``divider=False``: rich's ``box=None`` (two blanks between cells, no rule), whether
    the rows fit (drawn directly) or fold (rich lays them out)."""
    table = Rows(*HEADERS, header=header, justify=justify, divider=header, overflow="fold")
    for row in ROWS:
        table.add_row(*row)
    expected = draw(rich_borderless(header, justify), width, color=color)
    assert draw(table, width, color=color) == expected
    if width == 14:  # folded, never cut with "…"
        assert "…" not in draw(table, width)


def test_the_network_terminal_text_is_the_same_through_rich_tables(monkeypatch):
    """Every table of the walkthrough drawn by rich's Table gives the very same text."""
    import symbp
    from symbp.network.spec import load_spec
    from symbp.render import to

    record = symbp.network_walkthrough(load_spec(EXAMPLES / "net.json"))
    ours_text = to(record, "text")

    def through_rich(self, console, options):
        yield self._rich_table(options.ascii_only)

    monkeypatch.setattr(Rows, "__rich_console__", through_rich)
    assert to(record, "text") == ours_text


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
