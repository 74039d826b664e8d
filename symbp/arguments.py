"""Checks of what a caller passes to symbp's public functions, at the door.

A wrong type must not travel inside and fail there as an ``AttributeError`` about
some internal: each public function checks its arguments first with these helpers
and raises :class:`~symbp.errors.ArgumentError` (a ``SymbpError`` and a ``TypeError``)
naming the function, the parameter, what it takes and what it got.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable, Mapping

from .errors import ArgumentError

__all__ = ["EXPLANATION_FIELDS", "callable_or_none", "explanation", "flag", "instance",
           "name_list", "path", "point", "text_or_none", "whole_number"]


def _got(value: object) -> str:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"{shown} ({type(value).__name__})"


def _refuse(function: str, parameter: str, expected: str, value: object) -> ArgumentError:
    return ArgumentError(f"{function}: {parameter} must be {expected}, got {_got(value)}")


def whole_number(value: object, function: str, parameter: str, *, minimum: int | None = 0,
                 none: bool = False) -> int | None:
    """``value`` as an int ≥ ``minimum`` (any int when ``minimum`` is ``None``; ``None``
    too when ``none``); no bools or floats: ``epochs=2.5`` or ``max_paths="3"`` is a
    mistake to report, not to round."""
    if value is None and none:
        return None
    expected = ("a whole number" + (f" ≥ {minimum}" if minimum is not None else "")
                + (" or None" if none else ""))
    if isinstance(value, bool):
        raise _refuse(function, parameter, expected, value)
    try:
        number = operator.index(value)  # int, numpy integers; not float or str
    except TypeError:
        raise _refuse(function, parameter, expected, value) from None
    if minimum is not None and number < minimum:
        raise _refuse(function, parameter, expected, value)
    return number


def flag(value: object, function: str, parameter: str) -> bool:
    """``True`` or ``False`` exactly (``full="no"`` would otherwise count as true)."""
    if not isinstance(value, bool):
        raise _refuse(function, parameter, "True or False", value)
    return value


def text_or_none(value: object, function: str, parameter: str) -> str | None:
    """A string or ``None``."""
    if value is not None and not isinstance(value, str):
        raise _refuse(function, parameter, "a string or None", value)
    return value


def instance(value: object, kind: type | tuple[type, ...], function: str, parameter: str,
             expected: str) -> object:
    """``value`` if it is a ``kind``; ``expected`` says what it should be and how to get one."""
    if not isinstance(value, kind):
        raise _refuse(function, parameter, expected, value)
    return value


def callable_or_none(value: object, function: str, parameter: str) -> Callable | None:
    """A function (or ``None``)."""
    if value is not None and not callable(value):
        raise _refuse(function, parameter, "a function or None", value)
    return value


def path(value: object, function: str, parameter: str) -> str | os.PathLike:
    """A file path: a string or a ``pathlib.Path``."""
    if not isinstance(value, str | os.PathLike):
        raise _refuse(function, parameter, "a file path (str or pathlib.Path)", value)
    return value


def name_list(value: object, function: str, parameter: str) -> list[str] | None:
    """``None``, ``"a,b"`` or an iterable of such strings → the names, in order."""
    if value is None:
        return None
    expected = 'a name, names separated by commas ("a,b") or a list of names'
    items = [value] if isinstance(value, str) else value
    if isinstance(value, Mapping) or not isinstance(items, Iterable):
        raise _refuse(function, parameter, expected, value)
    items = list(items)
    if not all(isinstance(item, str) for item in items):
        raise _refuse(function, parameter, expected, value)
    return [n.strip() for item in items for n in item.split(",") if n.strip()]


def point(value: object, function: str, parameter: str = "at"):
    """``None``, ``"a=2,b=1"``, ``{"a": 2, "b": 1}`` or an iterable of ``"a=2"`` strings."""
    expected = 'a point such as "a=2,b=1" or {"a": 2, "b": 1}'
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise _refuse(function, parameter, expected + " (names as strings)", value)
        return dict(value)
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return items
    raise _refuse(function, parameter, expected, value)


EXPLANATION_FIELDS = ("graph", "partials", "paths", "forward", "reverse", "gradient", "cost",
                      "checks", "sections")
"""What a renderer reads of an :class:`~symbp.explanation.records.Explanation`."""


def explanation(value: object, function: str):
    """An :class:`~symbp.explanation.records.Explanation`, what every ``to_*`` renderer takes.

    Checked by duck type (every field in :data:`EXPLANATION_FIELDS`): this module sits
    below the explanation records and imports nothing from them.
    """
    if all(hasattr(value, name) for name in EXPLANATION_FIELDS):
        return value
    hint = "an Explanation from symbp.explain(...)"
    if type(value).__name__ in ("NetworkWalkthrough", "NetworkDerivation"):
        hint += (f" (a network record has .to_json(), and symbp.render.network_"
                 f"{'latex' if 'latex' in function else 'markdown'} renders it)")
    raise _refuse(function, "explanation", hint, value)
