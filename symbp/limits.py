"""Python's limit on int ↔ text conversion, lifted only while symbp itself converts.

Python refuses to turn an int of more than 4,300 digits into text or back
(:func:`sys.set_int_max_str_digits`, a guard against quadratic-time conversions of
untrusted text).  symbp has limits of its own that bound every exact integer it
computes (:data:`symbp.core.arithmetic.MAX_EXACT_BITS`, about 6,000 digits) and every literal it
reads (:data:`MAX_LITERAL_DIGITS`); path counts (exact integers of any size) are
printed through :func:`symbp.printing.magnitude`.  So inside symbp's entry points the
interpreter's limit is raised for the duration of the call and restored afterwards.
"""

from __future__ import annotations

import functools
import sys

__all__ = ["EXACT_DEPTH", "MAX_LITERAL_DIGITS", "SYMBOLIC_DEPTH", "long_int_text",
           "with_long_int_text"]

MAX_LITERAL_DIGITS = 6_020
"""Most digits of an integer written in a program, ``--at`` or a spec (≈ 20,000 bits)."""

SYMBOLIC_DEPTH = 30
"""Deepest expression symbp writes out in the inputs (levels of nesting, :meth:`Graph.depth`).

SymPy walks expressions recursively, several Python frames per level (``diff``,
``free_symbols``, printing, ``evalf``), so 140 nested ``sin(`` or a 1,000-line chain hit
Python's recursion limit, and towers such as ``x**x**…`` grow slow well before that.
Deeper graphs are written in node names (``symbp gradient --form nodes``) and checked
by finite differences instead of ``sympy.diff``."""

EXACT_DEPTH = 24
"""Deepest graph with transcendental functions evaluated exactly at an exact point.

An exact value such as ``sin(sin(…sin(1)…))`` nests as deep as the graph, and certifying
its digits (evalf through every level) costs seconds past about 25 levels; deeper graphs
are evaluated in floats, as graphs of more than ``EXACT_NODES`` nodes are."""


class long_int_text:  # lower case: used as a function, `with long_int_text():`
    """Lift Python's int ↔ text digit limit (if any) until the ``with`` block ends.

    A class rather than a ``contextlib.contextmanager`` generator: every entry point runs
    inside it, and the generator's machinery cost ~20 µs a call on a cold cache (a
    fifth of ``symbp.gradient`` on a small graph, ``benchmarks/bench_symbolic.py``)."""

    __slots__ = ("_previous",)

    def __enter__(self) -> None:
        get = getattr(sys, "get_int_max_str_digits", None)
        # 0: no limit to lift (Python without the limit, or already unlimited)
        self._previous = get() if get is not None else 0
        if self._previous:
            sys.set_int_max_str_digits(0)

    def __exit__(self, *exception) -> None:
        if self._previous:
            sys.set_int_max_str_digits(self._previous)


def with_long_int_text(function):
    """Decorate an entry point so that it runs inside :func:`long_int_text`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with long_int_text():
            return function(*args, **kwargs)

    return wrapper
