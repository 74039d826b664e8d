"""Python's cyclic garbage collector, paused while a big structure is built.

Building a graph, parsing a program or running a sweep allocates objects one per node or
edge and frees almost none before the end.  Each time enough have been allocated the
collector scans them all again, so with it running the work grows faster than the graph:
parsing a 10⁵-edge program spent a third of its time in collections.  Paused, reference
counting still frees everything as usual; the cycles left (none in these loops) wait for
the next collection after the pause.
"""

from __future__ import annotations

import gc

__all__ = ["collector_paused"]


class collector_paused:  # lower case: used as a function, `with collector_paused():`
    """Pause the cyclic collector for the ``with`` block; nested pauses are harmless (only
    the outermost turns it back on, and only if it was on).

    A class rather than a ``contextlib.contextmanager`` generator: the generator's
    machinery cost ~15 µs a call on a cold cache, paid by every small gradient."""

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exception) -> None:
        if self._enabled:
            gc.enable()
