"""How every renderer summarizes what is too long to show: the first rows and a count.

One rule for ``symbp explain`` and ``symbp network``, in every output format, so the
terminal, LaTeX, Markdown and the notebook leave out the same rows (``--full`` shows
all of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["ROWS", "summarize"]

ROWS = 12
"""Rows shown per table or list before summarizing (unless ``full``)."""

T = TypeVar("T")


def summarize(items: Sequence[T], full: bool) -> tuple[list[T], int]:
    """The items shown and how many are left out: all when ``full`` or when there are at
    most :data:`ROWS` + 2 (a "… 1 more" line would hide less than it takes), else the
    first ``ROWS``."""
    if full or len(items) <= ROWS + 2:
        return list(items), 0
    return list(items[:ROWS]), len(items) - ROWS
