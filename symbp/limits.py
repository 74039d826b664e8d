"""Python's limit on int ↔ text conversion, lifted only while symbp itself converts.

Python refuses to turn an int of more than 4,300 digits into text or back
(:func:`sys.set_int_max_str_digits`, a guard against quadratic-time conversions of
untrusted text).  symbp has limits of its own that bound every exact integer it
computes (:data:`symbp.parse.MAX_EXACT_BITS`, about 6,000 digits) and every literal it
reads (:data:`MAX_LITERAL_DIGITS`); path counts (exact integers of any size) are
printed through :func:`symbp.printing.magnitude`.  So inside symbp's entry points the
interpreter's limit is raised for the duration of the call and restored afterwards.
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager

__all__ = ["MAX_LITERAL_DIGITS", "long_int_text", "with_long_int_text"]

MAX_LITERAL_DIGITS = 6_020
"""Most digits of an integer written in a program, ``--at`` or a spec (≈ 20,000 bits)."""


@contextmanager
def long_int_text():
    """Lift Python's int ↔ text digit limit (if any) until the block ends."""
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # Python without the limit
        yield
        return
    previous = get()
    if previous == 0:  # already unlimited
        yield
        return
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(previous)


def with_long_int_text(function):
    """Decorate an entry point so that it runs inside :func:`long_int_text`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with long_int_text():
            return function(*args, **kwargs)

    return wrapper
