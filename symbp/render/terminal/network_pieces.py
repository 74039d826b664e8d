"""The terminal's small pieces of ``symbp network``: numbers to 6 digits, titles, tables,
"… N more" lines, vectors and the checks section.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text

from ...core.checks import Check
from ...core.printing import name
from ...network.model import Network
from ...network.prose import Vector
from .. import marks
from ..prose import math_unicode
from .explain import check_mark
from .rows import Rows

__all__ = ["add_row", "checks_section", "indent", "more", "more_of", "new_table", "shape", "sup",
           "title", "vector"]


def title(text: str, subtitle: str = "") -> Text:
    """A section's title, its subtitle dim on the same line."""
    title = Text(text, style="bold cyan")
    if subtitle:
        title.append(f"  {subtitle}", style="dim")
    return title


def new_table(*columns: str, header: bool = True, right: slice = slice(0)) -> Rows:
    """A table whose cells wrap (a number is never cut with "…"): under a rule when it has a
    header, else with no box at all; the columns ``right`` (numbers) right-justified."""
    justify = ["left"] * len(columns)
    justify[right] = ["right"] * len(justify[right])
    return Rows(*columns, header=header, divider=header, overflow="fold", justify=justify)


def add_row(table: Rows, *cells) -> None:
    """Add a row; plain strings become :class:`Text`, never read as rich markup
    (``[yⱼ ln a + …]`` must print as written)."""
    table.add_row(*cells)


def indent(renderable: RenderableType, spaces: int = 2) -> Padding:
    """The renderable moved right by ``spaces``."""
    return Padding(renderable, (0, 0, 0, spaces))


def more(hidden: int, what: str, spaces: int = 4) -> Padding:
    """``… 12 more rows (use --full to show all)`` under a summarized table."""
    return indent(Text(f"… {hidden:,} {marks.more_words(hidden, what)}", style="dim"), spaces)


def more_of(notes: list[str]) -> Padding:
    """One "more" line for several tables: ``… 3 more rows; 2 more columns (use --full …)``."""
    return indent(Text(f"… {'; '.join(notes)} {marks.show_all()}", style="dim"), 4)


def sup(layer: int | str) -> str:
    """A layer number as a superscript (``³``), as names print it."""
    return name(f"a^{{{layer}}}")[1:]


def vector(values: Sequence[float]) -> str:
    """``(0.1, 0.2, … 4 more)``: the first entries (:class:`~symbp.network.prose.Vector`)."""
    return math_unicode(Vector.of(values))


def checks_section(checks: Sequence[Check], ok: bool,
                   subtitle: str = "(every number above is compared with independent oracles)",
                   ) -> Iterator[RenderableType]:
    """The checks with their marks, and the failure sentence when one failed."""
    yield title("Checks", subtitle)
    table = new_table("", "", header=False)
    for check in checks:
        mark = check_mark(check)
        line = Text(check.name, style="bold")
        if check.method:
            line.append(f"  [{check.method}]", style="dim")
        if check.detail:
            line.append(f"\n{check.detail}", style="red" if check.passed is False else "")
        add_row(table, mark, line)
    yield indent(table)
    if not ok:
        yield Text(marks.SELF_CHECK_FAILED, style="bold red")


def shape(network: Network) -> str:
    """The layer sizes, ``2-3-1``."""
    return "-".join(str(n) for n in network.layers)
