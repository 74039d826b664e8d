"""Words and marks every printer writes the same way (terminal, LaTeX, Markdown, for both
commands): check marks, the self-check failure sentence, the "more" line of a summary,
the network printers' numbers, the letter that stands for any input, and how many rows a
summary keeps.

Each printer typesets these in its own notation; the decision and the wording live here.
"""

from __future__ import annotations

from ..core.printing import noun, num
from ..errors import option

__all__ = [
    "FAILED",
    "MARK",
    "REPEATED_ROWS",
    "SELF_CHECK_FAILED",
    "any_input",
    "as_json",
    "full",
    "more_words",
    "num",
    "show_all",
]


MARK = {True: "✓", False: "✗", None: "–"}
"""A check's mark by ``Check.passed``: passed, failed, not run (e.g. skipped at a kink)."""
FAILED = "FAILED"
"""The word after the mark of a failed check."""

SELF_CHECK_FAILED = ("A self-check failed: this is a bug in symbp; the numbers above cannot "
                     "be trusted.")
"""Said after the checks when one of them failed."""


REPEATED_ROWS = 5
"""Repeated edge products listed in the cost section (all of them with ``full``)."""

ANY_INPUT = ("x", "u", "v")
"""Letters that may stand for any input in the paths' lead, in order of preference; when
nodes have all of them, printers write ξ."""


def full() -> str:
    """The option that shows everything: ``full=True`` (``--full`` on the command line)."""
    return option("full", "full=True")


def as_json() -> str:
    """Where every number is: ``to_json()`` (``--format json`` on the command line)."""
    return option("format", "to_json()", "json")


def show_all(code=str) -> str:
    """The hint after every "… N more" line of a summarized table: ``(use full=True to
    show all)``; ``code`` sets the option as the format writes code."""
    return f"(use {code(full())} to show all)"


def more_words(hidden: int, what: str, code=str) -> str:
    """``more nodes (use full=True to show all)``: the words after the count of hidden rows
    (``what`` is singular; it is made plural for ``hidden``)."""
    return f"more {noun(hidden, what)} {show_all(code)}"


def any_input(names) -> str | None:
    """A letter that no node is called (``x`` would be read as the node x in ``z = x·y``),
    or None when every one of :data:`ANY_INPUT` is taken (the printer writes ξ)."""
    return next((v for v in ANY_INPUT if v not in names), None)
