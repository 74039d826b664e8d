"""Numbers and points as the user writes them: ``--at a=2,b=-1/2`` and ``2^10``.

A value is parsed with the same safe parser as a program (:class:`~symbp.read.parse.Walker`),
as a constant expression; exact numbers past :data:`~symbp.core.arithmetic.MAX_EXACT_BITS`
are refused.
"""

from __future__ import annotations

import ast
import re

import sympy

from ..core.arithmetic import check_exact, exact_integer
from ..core.numeric import is_defined
from ..errors import PARAMETER, ParseError, SymbpError
from ..limits import with_long_int_text
from .parse import Walker
from .safety import Source, check_literals, check_nesting, clip

__all__ = ["parse_number", "parse_point"]


@with_long_int_text
def parse_number(text: str) -> sympy.Expr:
    """A value such as ``2``, ``-1/2``, ``0.25``, ``1e-3`` or ``2^10``: a constant expression."""
    try:
        source = Source.of([text.strip()])
        check_nesting(source)
        check_literals(source)
        walker = Walker(source, share=True)
        tree = ast.parse(source.text, mode="eval")
        result = walker.expression(tree.body)
    except SyntaxError:
        raise ParseError(f"{clip(text)!r} is not a number") from None
    except ParseError as exc:
        raise ParseError(f"{clip(text)!r} is not a number: {exc.message}") from None
    except (RecursionError, MemoryError):
        raise ParseError(f"{clip(text)!r} is nested too deeply") from None
    if isinstance(result, int):
        raise ParseError(f"{clip(text)!r} is not a number; give a value like 2, -1/2 or 0.25")
    return result



_INDEXED_NAME = re.compile(r"^[^\W\d_][\w^{}]*$")
"""Graph names with super/subscripts, as networks use them: ``w^{2}_{11}``."""


def parse_point(items: list[str] | str | dict | None) -> dict[str, sympy.Expr]:
    """``["a=2,b=1"]`` or ``"a=2, b=1"`` or ``{"a": 2}`` → ``{"a": 2, "b": 1}`` (SymPy numbers)."""
    if items is None:
        return {}
    if isinstance(items, dict):
        pairs = list(items.items())
    else:
        if isinstance(items, str):
            items = [items]
        pairs = []
        for item in items:
            for part in item.split(","):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise ParseError(f"{PARAMETER} expects name=value pairs like a=2,b=1; "
                                     f"got {part!r}", parameter="at")
                key, _, text = part.partition("=")
                pairs.append((key.strip(), text))
    point: dict[str, sympy.Expr] = {}
    for key, raw in pairs:
        if not (str(key).isidentifier() or _INDEXED_NAME.match(str(key))):
            raise ParseError(f"{PARAMETER}: {key!r} is not a variable name", parameter="at")
        if isinstance(raw, bool):
            raise ParseError(f"{PARAMETER} {key}: expected a number, got {raw!r}",
                             parameter="at")
        if isinstance(raw, int):
            try:
                value = exact_integer(raw)
            except SymbpError as exc:
                raise ParseError(f"{PARAMETER} {key}: {exc}", parameter="at") from None
        elif isinstance(raw, float):
            value = sympy.Float(raw)
        elif isinstance(raw, sympy.Basic):
            value = sympy.sympify(raw, strict=True)
            if not value.is_number:
                raise ParseError(f"{PARAMETER} {key}: expected a number, got {raw}",
                                 parameter="at")
            try:
                check_exact(value)
            except SymbpError as exc:
                raise ParseError(f"{PARAMETER} {key}: {exc}", parameter="at") from None
        else:
            value = parse_number(str(raw))
        if not isinstance(raw, str) and not is_defined(value):  # text is checked as parsed
            raise ParseError(f"{PARAMETER} {key}: expected a finite real number, got {raw}",
                             parameter="at")
        if key in point:
            raise ParseError(f"{PARAMETER} gives {key} twice", parameter="at")
        point[key] = value
    return point
