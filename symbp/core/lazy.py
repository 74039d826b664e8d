"""A sequence whose items are made when looked at, standing for the tuple of them.

A 15,000-edge explanation has 15,000 local partials and four sweeps of as many steps, and
the terminal shows a dozen of each: the records are made on look-up, from tables the
computation kept anyway.  Each such sequence behaves as the tuple it stands for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["LazySequence"]

T = TypeVar("T")


class LazySequence(Sequence[T]):
    """Indexing, slices (a tuple), ``len``, iteration and ``==`` as the tuple of its items,
    unhashable as that tuple would be were its items, and pickled as that tuple.  A
    subclass gives ``__len__`` and :meth:`item`."""

    __slots__ = ()

    def item(self, i: int) -> T:
        """The ``i``-th item (``i`` may be negative), made now."""
        raise NotImplementedError

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self.item(k) for k in range(*i.indices(len(self))))
        return self.item(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to a tuple, so not hashable

    def __reduce__(self):  # pickled as the tuple it stands for
        return (tuple, (tuple(self),))
