"""What the parser refuses, and the checks of the raw text before Python parses it.

Refusals in plain words (:data:`REFUSED`, :func:`refused`), the calls accepted
(:func:`check_call`), the source lines with their notation rewrites (:class:`Source`, which
maps columns back for error carets), the nesting and literal-size checks that run before
:mod:`ast` sees the text, syntax errors in the user's words, and decimal literals read
without SymPy's slow conversion.
"""

from __future__ import annotations

import ast
import decimal
import difflib
import re
from dataclasses import dataclass

import sympy

from ..core.arithmetic import MAX_EXACT_BITS
from ..core.rules import CALLS, FUNCTIONS
from ..errors import ParseError
from ..limits import MAX_LITERAL_DIGITS
from .notation import Normalized, normalize

__all__ = [
    "DECIMAL_DIGITS", "MAX_DEPTH", "REFUSED", "Source", "arities_text", "check_call",
    "check_literals", "check_nesting", "clip", "decimal_literal", "refused", "syntax_error",
    "too_deep", "unknown",
]

MAX_DEPTH = 150
"""Deepest parenthesis nesting accepted (Python itself stops at 200)."""
_ARITHMETIC = "+ - * / ** ^, numbers, names and functions such as sin(x)"
REFUSED: dict[str, str] = {
    # statements
    "Import": "import statements are", "ImportFrom": "import statements are",
    "FunctionDef": "function definitions (def) are",
    "AsyncFunctionDef": "function definitions (def) are",
    "ClassDef": "class definitions are", "Return": "return statements are",
    "Delete": "del statements are", "For": "for loops are", "AsyncFor": "for loops are",
    "While": "while loops are", "If": "if statements are", "With": "with statements are",
    "AsyncWith": "with statements are", "Match": "match statements are",
    "Raise": "raise statements are", "Try": "try statements are",
    "TryStar": "try statements are", "Assert": "assert statements are",
    "Global": "global declarations are", "Nonlocal": "nonlocal declarations are",
    "Pass": "pass statements are", "Break": "break statements are",
    "Continue": "continue statements are",
    "AnnAssign": "type annotations (x: float = 1) are", "TypeAlias": "type aliases are",
    # expressions
    "BoolOp": "and/or are", "NamedExpr": "the walrus operator := is",
    "Lambda": "lambda functions are", "IfExp": "conditional expressions (a if c else b) are",
    "Dict": "dictionaries are", "Set": "sets are", "List": "lists are",
    "Tuple": "tuples (a, b) are", "ListComp": "comprehensions are",
    "SetComp": "comprehensions are", "DictComp": "comprehensions are",
    "GeneratorExp": "comprehensions are", "Await": "await is", "Yield": "yield is",
    "YieldFrom": "yield is", "Compare": "comparisons (< == > …) are",
    "FormattedValue": "strings are", "JoinedStr": "strings are",
    "Attribute": "attribute access (x.y) is", "Subscript": "subscripts (x[i]) are",
    "Slice": "slices (x[i:j]) are", "Starred": "starred arguments (*x) are",
    # operators that are not arithmetic
    "Mod": "the operator % is", "FloorDiv": "the operator // is", "MatMult": "the operator @ is",
    "BitAnd": "the operator & is", "BitOr": "the operator | is", "LShift": "the operator << is",
    "RShift": "the operator >> is", "Not": "the operator not is", "Invert": "the operator ~ is",
}
"""Every AST node kind symbp refuses (by class name), in plain words for the message."""
_CONSTANTS_REFUSED = {
    str: "strings are", bytes: "bytes are", bool: "True and False are",
    complex: "complex numbers (1j) are", type(None): "None is", type(...): "... is",
}


def refused(node: ast.AST) -> str:
    """Why ``node`` is refused, in the user's words: ``import statements are not allowed:
    symbp reads arithmetic only (…)``."""
    if isinstance(node, ast.Constant):
        what = _CONSTANTS_REFUSED.get(type(node.value), f"{type(node.value).__name__} values are")
    else:
        what = REFUSED.get(type(node).__name__, f"{type(node).__name__} is")
    return f"{what} not allowed: symbp reads arithmetic only ({_ARITHMETIC})"


@dataclass(frozen=True)
class Source:
    """The user's lines and their rewritten forms (:mod:`symbp.read.notation`), to map
    columns back."""

    lines: list[str]
    normalized: list[Normalized]

    @classmethod
    def of(cls, lines: list[str]) -> Source:
        return cls(lines, [normalize(line) for line in lines])

    @property
    def text(self) -> str:
        """The whole program as :mod:`ast` reads it."""
        return "\n".join(n.text for n in self.normalized)

    def error(self, message: str, node: ast.AST | None = None) -> ParseError:
        if node is None or not hasattr(node, "lineno"):
            return ParseError(message)
        return self.error_at(message, node.lineno, node.col_offset)

    def error_at(self, message: str, line: int, byte_offset: int) -> ParseError:
        if not 1 <= line <= len(self.lines):
            return ParseError(message)
        return self.error_at_char(message, line, self.char_index(line, byte_offset))

    def error_at_char(self, message: str, line: int, index: int) -> ParseError:
        """An error at character ``index`` (0-based) of rewritten line ``line``."""
        column = self.normalized[line - 1].column(index)
        return ParseError(message, line=line, column=column + 1, source_line=self.lines[line - 1])

    def char_index(self, line: int, byte_offset: int) -> int:
        """ast counts UTF-8 bytes of the rewritten line; this counts its characters."""
        prefix = self.normalized[line - 1].text.encode()[:byte_offset]
        return len(prefix.decode(errors="ignore"))

    def original(self, node: ast.AST) -> str | None:
        """The user's text of a one-line ``node``, as typed (``2·3``, not ``2*3``)."""
        if getattr(node, "end_lineno", None) != node.lineno:
            return None
        line = node.lineno
        start = self.normalized[line - 1].column(self.char_index(line, node.col_offset))
        end = self.normalized[line - 1].column(self.char_index(line, node.end_col_offset))
        return self.lines[line - 1][start:end]


def too_deep() -> str:
    """The message for an expression nested deeper than Python can parse."""
    return "the expression is nested too deeply; split it into statements (c = ...; d = ...)"


def check_nesting(source: Source) -> None:
    """Parentheses and runs of signs (``- - -x``: each sign nests one level in Python's
    parser) deeper than :data:`MAX_DEPTH` are refused before Python parses the text."""
    whole = "\n".join(source.lines)
    # a run within a line is a run in the whole text: one search finds whether to look
    if _SIGN_RUN.search(whole) is not None:
        for number, line in enumerate(source.lines, start=1):
            run = _SIGN_RUN.search(line)
            if run is not None:
                raise ParseError(
                    f"more than {MAX_DEPTH} signs in a row (+ or -); write the number or "
                    "expression with one sign",
                    line=number, column=run.end(), source_line=line,
                )
    if not _too_deep(_BRACKETS.sub("", whole)):
        return  # the brackets alone, walked in order, never nest that deep
    depth = 0
    for number, line in enumerate(source.lines, start=1):
        for column, char in enumerate(line):
            if char in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ParseError(
                        f"parentheses are nested more than {MAX_DEPTH} deep; "
                        "split the expression into statements",
                        line=number, column=column + 1, source_line=line,
                    )
            elif char in ")]}":
                depth = max(depth - 1, 0)


def _too_deep(brackets: str) -> bool:
    """Whether the brackets (nothing else), read in order, nest deeper than
    :data:`MAX_DEPTH` — a closing bracket at depth 0 counts as nothing, as in the walk."""
    if brackets.count("(") + brackets.count("[") + brackets.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for char in brackets:
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif depth:
            depth -= 1
    return False


_BRACKETS = re.compile(r"[^()\[\]{}]+")
"""Everything but brackets (removed before the nesting is walked)."""
_SIGN_RUN = re.compile(rf"[-+~−](?:\s*[-+~−]){{{MAX_DEPTH}}}")
"""More than :data:`MAX_DEPTH` signs in a row (spaces between them allowed)."""


_INTEGER_LITERAL = re.compile(r"(?<![\w.])\d[\d_]*(?![\w.])")
"""A decimal integer literal (not part of a name, a decimal or a hex/exponent literal)."""


_DIGIT_RUN = re.compile(rf"[\d_]{{{MAX_LITERAL_DIGITS + 1}}}")
"""A run of more digits (and underscores) than a literal may have: without one, no
literal :data:`_INTEGER_LITERAL` finds can have too many digits."""


def check_literals(source: Source) -> None:
    """Integers of more than :data:`MAX_LITERAL_DIGITS` digits are refused before Python
    converts them (which is quadratic in their length)."""
    if _DIGIT_RUN.search("\n".join(n.text for n in source.normalized)) is None:
        return  # no run of digits (and _) that long: no literal has that many digits
    for number, line in enumerate(source.normalized, start=1):  # x²²²… is a literal too
        for match in _INTEGER_LITERAL.finditer(line.text):
            digits = len(match.group().replace("_", ""))
            if digits > MAX_LITERAL_DIGITS:
                raise source.error_at_char(
                    f"an integer of {digits:,} digits; symbp computes exactly with at most "
                    f"{MAX_LITERAL_DIGITS:,} digits ({MAX_EXACT_BITS:,} bits)",
                    number, match.start())


def syntax_error(exc: SyntaxError, source: Source) -> ParseError:
    """Python's SyntaxError as a :class:`ParseError` at the user's column."""
    message = (exc.msg or "invalid syntax").rstrip(".")
    if "too many nested" in message or "recursion" in message:
        return ParseError(too_deep())
    if exc.lineno is None or exc.offset is None:
        return ParseError(f"syntax error: {message}")
    if not 1 <= exc.lineno <= len(source.lines):
        return ParseError(f"syntax error: {message}")
    if "indent" in message:  # the common indentation is gone (dedent): this line differs
        message += "; indent every line of the program alike (or not at all)"
    # SyntaxError.offset counts characters (1-based) of the rewritten line
    return source.error_at_char(f"syntax error: {message}", exc.lineno, max(exc.offset - 1, 0))

def check_call(node: ast.Call, source: Source) -> None:
    """A call the parser accepts: a known function with its number of arguments,
    ``Value(number)`` or a micrograd-style method; anything else is a :class:`ParseError`."""
    if node.keywords:
        raise source.error("keyword arguments are not allowed", node)
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        raise source.error(refused(ast.Starred()), node)
    func = node.func
    if isinstance(func, ast.Attribute):
        check_method(node, func, source)
        return
    if not isinstance(func, ast.Name):
        raise source.error("only named functions can be called, e.g. sin(x)", node)
    if func.id == "Value":
        if len(node.args) != 1 or not isinstance(node.args[0], (ast.Constant, ast.UnaryOp)):
            raise source.error("Value(...) takes one number", node)
        return
    if func.id not in CALLS:
        raise source.error(unknown(f"function {func.id}", func.id, FUNCTIONS), node)
    arities = CALLS[func.id]
    if len(node.args) not in arities:
        raise source.error(f"{func.id} takes {arities_text(arities)}", node)



def check_method(node: ast.Call, func: ast.Attribute, source: Source) -> None:
    """micrograd style: ``(a + b).relu()``; ``math.sin(x)`` is told to drop ``math.``."""
    module = func.value.id if isinstance(func.value, ast.Name) else None
    if module in _MODULES and func.attr in CALLS:
        raise source.error(
            f"write {func.attr}(...) without {module}.: symbp's functions need no module",
            node)
    methods = [name for name, arities in CALLS.items() if 1 in arities]
    if func.attr in CALLS and func.attr not in methods:
        raise source.error(
            f"{func.attr} takes {arities_text(CALLS[func.attr])}: write "
            f"{func.attr}(x, y), not x.{func.attr}()", node)
    if func.attr not in methods:
        raise source.error(unknown(f"method .{func.attr}()", func.attr, methods,
                                         shown="." + "{}()"), node)
    if node.args and len(node.args) + 1 in CALLS[func.attr]:
        raise source.error(
            f"methods take no arguments: write {func.attr}(x, …), not x.{func.attr}(…)",
            node)
    if node.args:
        raise source.error(
            f".{func.attr}() takes no arguments: write x.{func.attr}() or {func.attr}(x)",
            node)


_MODULES = {"math", "np", "numpy", "torch", "sympy", "sp", "mpmath", "cmath", "F"}
"""Module names a student may write before a function (``math.sin(x)``)."""


def unknown(what: str, name: str, known, *, shown: str = "{}") -> str:
    """``unknown function sinn — did you mean sin?`` (a case-insensitive match first)."""
    known = sorted(known)
    by_case = [k for k in known if k.lower() == name.lower()]
    close = by_case or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} — did you mean {shown.format(close[0])}?"
    kind = what.split()[0] + "s"
    return f"unknown {what}; known {kind}: {', '.join(shown.format(k) for k in known)}"


def arities_text(arities: dict[int, str]) -> str:
    """``one argument``, ``two arguments``, ``one or two arguments``."""
    counts = sorted(arities)
    words = " or ".join({1: "one", 2: "two"}.get(n, str(n)) for n in counts)
    return f"{words} argument{'' if counts == [1] else 's'}"


DECIMAL_DIGITS = 30
"""Significant digits a decimal literal keeps (computations with decimals run in floats)."""


def decimal_literal(text: str) -> sympy.Float:
    """A decimal literal as a SymPy Float of its digits, at most :data:`DECIMAL_DIGITS`.

    SymPy's own conversion of a 100,000-digit literal takes minutes (and an integer
    conversion past Python's 4,300-digit limit); ``decimal`` rounds it correctly in
    microseconds first.
    """
    rounded = decimal.Context(prec=DECIMAL_DIGITS).create_decimal(text)
    return sympy.Float(str(rounded), max(15, min(len(rounded.as_tuple().digits),
                                                 DECIMAL_DIGITS)))


def clip(text: str, keep: int = 40) -> str:
    """``text`` shortened for an error message (a value may be megabytes long)."""
    return text if len(text) <= keep else f"{text[:keep - 12]}…{text[-10:]}"
