"""Safe parser: program text → computational graph.

The text is parsed with Python's :mod:`ast` and walked against a whitelist; it is
never given to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.  Accepted:

- statements separated by ``;`` or newlines: ``c = a + b``, ``c += 1`` (also
  ``-= *= /= **=``), and an optional bare expression as the last statement;
- ``+ - * / ** ^`` (``^`` is a power, as in mathematics), unary ``-``/``+``,
  parentheses, integer/decimal/scientific numbers, ``pi``, identifiers, the functions of
  :data:`symbp.rules.FUNCTIONS` called as ``f(x)`` or micrograd-style ``x.f()``,
  and micrograd's ``Value(number)``.

Limits keep every input cheap: text size, nesting depth, node count and the size
of exact numbers are bounded, and exceeding one is a :class:`ParseError`.
"""

from __future__ import annotations

import ast
import decimal
import difflib
import math
import re
import textwrap
from dataclasses import dataclass

import sympy

from .. import arguments
from ..core.exact import certain, second_opinion
from ..core.graph import Graph
from ..core.numeric import is_defined
from ..core.printing import inline
from ..core.rules import CALLS, FUNCTIONS, RULES
from ..errors import ParseError, SymbpError
from ..limits import MAX_LITERAL_DIGITS, with_long_int_text
from .builder import GraphBuilder, Ref
from .notation import Normalized, normalize

__all__ = [
    "MAX_EXACT_BITS", "MAX_NODES", "MAX_TEXT", "REFUSED", "parse", "parse_number", "parse_point",
    "refused",
]

MAX_TEXT = 1_000_000
"""Longest program text accepted, in characters."""
MAX_NODES = 200_000
"""Most operations a program may create."""
MAX_DEPTH = 150
"""Deepest parenthesis nesting accepted (Python itself stops at 200)."""
CONSTANTS = {"pi": sympy.pi}
"""Names that stand for numbers (unless the program assigns them first)."""
MAX_EXACT_BITS = 20_000
"""Largest exact integer (numerator or denominator) symbp computes, in bits (~6000 digits)."""

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
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
class _Source:
    """The user's lines and their rewritten forms (:mod:`symbp.notation`), to map columns back."""

    lines: list[str]
    normalized: list[Normalized]

    @classmethod
    def of(cls, lines: list[str]) -> _Source:
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


def parse(text: str, *, share: bool = True, output: str | None = None) -> Graph:
    """Parse a program into a :class:`~symbp.graph.Graph`.

    ``text`` is an expression (``(a+b)*(b+1)``, output named ``f``), an assignment
    (``e=(a+b)*(b+1)``) or statements separated by ``;`` or newlines.  The last
    assigned name is the output unless ``output`` names another.  ``share=False``
    keeps identical subexpressions as separate nodes.  Raises :class:`ParseError`.
    """
    arguments.flag(share, "parse", "share")
    arguments.text_or_none(output, "parse", "output")
    return parse_program(text, share=share, output=output)[0]


@with_long_int_text
def parse_program(
    text: str, *, share: bool = True, output: str | None = None
) -> tuple[Graph, list[str]]:
    """Like :func:`parse`, also returning notes about the program (unused names)."""
    if not isinstance(text, str):
        raise ParseError(f"expected program text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ParseError(f"the program is {len(text):,} characters long; the limit is {MAX_TEXT:,}")
    text = text.replace("\r\n", "\n").replace("\t", " ")
    # pasted code keeps its indentation: the indentation common to every line goes
    text = textwrap.dedent(text)
    lines = text.split("\n")
    if not text.strip():
        raise ParseError("the program is empty; write an expression such as e=(a+b)*(b+1)")
    source = _Source.of(lines)
    _check_nesting(source)
    _check_literals(source)
    try:
        tree = ast.parse(source.text, mode="exec")
    except SyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except (RecursionError, MemoryError):
        raise ParseError(_too_deep()) from None
    walker = _Walker(source, share)
    return walker.program(tree, output)


def _too_deep() -> str:
    return "the expression is nested too deeply; split it into statements (c = ...; d = ...)"


def _check_nesting(source: _Source) -> None:
    """Parentheses and runs of signs (``- - -x``: each sign nests one level in Python's
    parser) deeper than :data:`MAX_DEPTH` are refused before Python parses the text."""
    for number, line in enumerate(source.lines, start=1):
        run = _SIGN_RUN.search(line)
        if run is not None:
            raise ParseError(
                f"more than {MAX_DEPTH} signs in a row (+ or -); write the number or "
                "expression with one sign",
                line=number, column=run.end(), source_line=line,
            )
    if sum(line.count("(") + line.count("[") + line.count("{") for line in source.lines) \
            <= MAX_DEPTH:
        return  # too few to nest that deep: skip the walk over every character
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


_SIGN_RUN = re.compile(rf"[-+~−](?:\s*[-+~−]){{{MAX_DEPTH}}}")
"""More than :data:`MAX_DEPTH` signs in a row (spaces between them allowed)."""


_INTEGER_LITERAL = re.compile(r"(?<![\w.])\d[\d_]*(?![\w.])")
"""A decimal integer literal (not part of a name, a decimal or a hex/exponent literal)."""


def _check_literals(source: _Source) -> None:
    """Integers of more than :data:`MAX_LITERAL_DIGITS` digits are refused before Python
    converts them (which is quadratic in their length)."""
    for number, line in enumerate(source.normalized, start=1):  # x²²²… is a literal too
        for match in _INTEGER_LITERAL.finditer(line.text):
            digits = len(match.group().replace("_", ""))
            if digits > MAX_LITERAL_DIGITS:
                raise source.error_at_char(
                    f"an integer of {digits:,} digits; symbp computes exactly with at most "
                    f"{MAX_LITERAL_DIGITS:,} digits ({MAX_EXACT_BITS:,} bits)",
                    number, match.start())


def _syntax_error(exc: SyntaxError, source: _Source) -> ParseError:
    message = (exc.msg or "invalid syntax").rstrip(".")
    if "too many nested" in message or "recursion" in message:
        return ParseError(_too_deep())
    if exc.lineno is None or exc.offset is None:
        return ParseError(f"syntax error: {message}")
    if not 1 <= exc.lineno <= len(source.lines):
        return ParseError(f"syntax error: {message}")
    if "indent" in message:  # the common indentation is gone (dedent): this line differs
        message += "; indent every line of the program alike (or not at all)"
    # SyntaxError.offset counts characters (1-based) of the rewritten line
    return source.error_at_char(f"syntax error: {message}", exc.lineno, max(exc.offset - 1, 0))


class _Walker:
    """Walks the whitelisted AST and feeds a :class:`GraphBuilder`."""

    def __init__(self, source: _Source, share: bool) -> None:
        self.source = source
        self.builder = GraphBuilder(share=share)
        self.scope: dict[str, Ref] = {}
        self.last_assigned: str | None = None
        self.constants: dict[Ref, ast.stmt] = {}  # inputs made by assigning a number (a = 2)
        self.bare: ast.expr | None = None

    # -- statements ------------------------------------------------------------------------
    def program(self, tree: ast.Module, output: str | None) -> tuple[Graph, list[str]]:
        self.builder.reserved |= _identifiers(tree) | set(FUNCTIONS)
        bare: Ref | sympy.Expr | None = None
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Expr) and i == len(tree.body) - 1:
                self.bare = stmt.value
                bare = self.expression(stmt.value)
            elif isinstance(stmt, ast.Expr):
                raise self.source.error(
                    "only the last statement may be a bare expression; assign the others "
                    "to names (c = ...)", stmt)
            elif isinstance(stmt, ast.Assign):
                if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                    raise self.source.error(
                        "assign to one plain name at a time (c = a + b)", stmt)
                self.assign(stmt.targets[0], self.expression(stmt.value), stmt)
            elif isinstance(stmt, ast.AugAssign):
                self.augmented(stmt)
            else:
                raise self.source.error(refused(stmt), stmt)
        return self.finish(bare, output)

    def assign(self, target: ast.Name, value: Ref | sympy.Expr, stmt: ast.stmt) -> None:
        name = self.check_name(target)
        if isinstance(value, int):
            if self.builder.is_named(value):
                self.scope[name] = value  # plain alias: d = c
            else:
                self.builder.label(value, name)
                self.scope[name] = value
        else:  # a number: the name is an input, and the number its value (a = -4.0)
            self.scope[name] = self.builder.input(name, default=value)
            self.constants[self.scope[name]] = stmt
        self.last_assigned = name

    def augmented(self, stmt: ast.AugAssign) -> None:
        op = _BINARY.get(type(stmt.op)) or ("pow" if isinstance(stmt.op, ast.BitXor) else None)
        if op is None or not isinstance(stmt.target, ast.Name):
            raise self.source.error(
                "augmented assignment must be name += -= *= /= **= expression", stmt)
        name = self.check_name(stmt.target)
        current = self.read(name)
        value = self.expression(stmt.value)
        result = self.combine(op, (current, value), stmt, fresh=True)
        self.assign(stmt.target, result, stmt)

    def finish(self, bare, output: str | None) -> tuple[Graph, list[str]]:
        if bare is not None:
            if not isinstance(bare, int):
                shown = _clip(self.source.original(self.bare) or sympy.sstr(bare), 60)
                raise self.source.error(
                    f"{shown} is a constant: it depends on no input; write an expression "
                    "of an input, e.g. 2*x", self.bare)
            out, output_base = bare, "f"
        elif self.last_assigned is not None:
            out, output_base = self.scope[self.last_assigned], None
        else:
            raise ParseError("the program is empty; write an expression such as e=(a+b)*(b+1)")
        if output is None:
            if self.builder.is_input(out):
                raise self.nothing_to_differentiate(out, None if bare is not None else
                                                    self.last_assigned)
            graph = self.builder.finish(out, output_base=output_base)
        elif output in self.scope:
            if self.builder.is_input(self.scope[output]):
                raise self.nothing_to_differentiate(self.scope[output], output)
            graph = self.builder.finish(self.scope[output])
        else:  # maybe a generated name (c_1, a letter): name everything, then look it up
            everything = self.builder.finish(out, output_base=output_base)
            if output not in everything:
                raise ParseError(
                    f"--output {output!r} is not a node of the program "
                    f"(nodes: {', '.join(n.name for n in everything.nodes)})")
            keep = _ancestors(everything, output)
            graph = Graph([n for n in everything.nodes if n.name in keep], output)
        if graph[graph.output].is_input:
            raise ParseError(
                f"{graph.output} is an input: there is nothing to differentiate; --output "
                "names a node computed from the inputs")
        return graph, list(self.builder.notes)

    def nothing_to_differentiate(self, ref: Ref, name: str | None) -> ParseError:
        """Why an output that is an input (``y = x``) or a constant (``y = 3``) is refused."""
        statement = self.constants.get(ref)
        if statement is not None and name == self.builder.base_name(ref):
            shown = _clip(self.source.original(statement) or name, 60)
            return self.source.error(
                f"{shown} is a constant: it depends on no input; write an expression of an "
                f"input, e.g. {name} = 2*x", statement)
        source = self.builder.base_name(ref)
        if name is None or name == source:
            return ParseError(
                f"the output is just the input {source}: there is nothing to differentiate; "
                f"write an expression of it, e.g. y = {source}**2")
        return ParseError(
            f"{name} is just {source}: there is nothing to differentiate; write an expression "
            f"of {source}, e.g. {name} = {source}**2")

    # -- expressions -------------------------------------------------------------------------
    def expression(self, root: ast.expr) -> Ref | sympy.Expr:
        """Iterative post-order walk (deep expressions must not hit Python's recursion limit)."""
        results: list[Ref | sympy.Expr] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            children = self.children(node)
            if not ready and children:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            args = tuple(results[len(results) - len(children):]) if children else ()
            if children:
                del results[len(results) - len(children):]
            results.append(self.reduce(node, args))
            if len(self.builder) > MAX_NODES:
                raise self.source.error(f"the program has more than {MAX_NODES:,} operations", node)
        return results[0]

    def children(self, node: ast.expr) -> list[ast.expr]:
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            self.check_call(node)
            if isinstance(node.func, ast.Attribute):
                return [node.func.value]
            return list(node.args)
        return []

    def reduce(self, node: ast.expr, args: tuple) -> Ref | sympy.Expr:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            name = self.check_name(node)
            if name in CONSTANTS and name not in self.scope:
                return CONSTANTS[name]
            return self.read(name)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.BitXor):
                op = "pow"
            elif type(node.op) in _BINARY:
                op = _BINARY[type(node.op)]
            else:
                raise self.source.error(refused(node.op), node)
            return self.combine(op, args, node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return args[0]
            if isinstance(node.op, ast.USub):
                return self.combine("neg", args, node)
            raise self.source.error(refused(node.op), node)
        if isinstance(node, ast.Call):
            fn = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if fn == "Value":
                return args[0]
            return self.combine(CALLS[fn][len(args)], args, node)
        raise self.source.error(refused(node), node)

    def combine(self, op: str, args: tuple, node: ast.AST, *, fresh: bool = False):
        if all(not isinstance(a, int) for a in args):
            return self.fold(op, args, node)
        return self.builder.apply(op, tuple(args), fresh=fresh)

    def fold(self, op: str, args: tuple, node: ast.AST) -> sympy.Expr:
        """Evaluate an operation on constants now (guarded against huge exact numbers)."""
        try:
            value = exact_apply(op, args)
        except SymbpError as exc:
            raise self.source.error(str(exc), node) from None
        if not is_defined(value):
            # the formula as every renderer prints it: (-8)^(1/3), not "-8 ** 1/3"
            shown = inline(RULES[op].formula(*args), as_written=True)
            raise self.source.error(f"{shown} is undefined (not a finite real number)", node)
        return value

    def constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.source.error(refused(node), node)
        if isinstance(value, int):
            try:
                return exact_integer(value)
            except SymbpError as exc:
                raise self.source.error(str(exc), node) from None
        segment = self.segment(node)
        if not math.isfinite(value):
            shown = segment if segment is None or len(segment) <= 40 else segment[:30] + "…"
            raise self.source.error(f"the number {shown} is too large", node)
        return _decimal(segment.replace("_", "")) if segment else sympy.Float(value)

    def segment(self, node: ast.AST) -> str | None:
        if node.lineno != node.end_lineno:
            return None
        line = self.source.normalized[node.lineno - 1].text.encode()
        return line[node.col_offset:node.end_col_offset].decode()

    def read(self, name: str) -> Ref:
        if name not in self.scope:
            self.scope[name] = self.builder.input(name)
        return self.scope[name]

    def check_name(self, node: ast.Name) -> str:
        name = node.id
        if name.startswith("_"):
            raise self.source.error(f"names may not start with '_': {name}", node)
        if name in CONSTANTS and isinstance(node.ctx, ast.Store):
            raise self.source.error(f"{name} is the constant π; use another name", node)
        if name in CALLS or name == "Value":
            raise self.source.error(
                f"{name} is a function; call it as {name}(x) or use another name", node)
        return name

    def check_call(self, node: ast.Call) -> None:
        if node.keywords:
            raise self.source.error("keyword arguments are not allowed", node)
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise self.source.error(refused(ast.Starred()), node)
        func = node.func
        if isinstance(func, ast.Attribute):
            self.check_method(node, func)
            return
        if not isinstance(func, ast.Name):
            raise self.source.error("only named functions can be called, e.g. sin(x)", node)
        if func.id == "Value":
            if len(node.args) != 1 or not isinstance(node.args[0], (ast.Constant, ast.UnaryOp)):
                raise self.source.error("Value(...) takes one number", node)
            return
        if func.id not in CALLS:
            raise self.source.error(_unknown(f"function {func.id}", func.id, FUNCTIONS), node)
        arities = CALLS[func.id]
        if len(node.args) not in arities:
            raise self.source.error(f"{func.id} takes {_arguments(arities)}", node)

    def check_method(self, node: ast.Call, func: ast.Attribute) -> None:
        """micrograd style: ``(a + b).relu()``; ``math.sin(x)`` is told to drop ``math.``."""
        module = func.value.id if isinstance(func.value, ast.Name) else None
        if module in _MODULES and func.attr in CALLS:
            raise self.source.error(
                f"write {func.attr}(...) without {module}.: symbp's functions need no module",
                node)
        methods = [name for name, arities in CALLS.items() if 1 in arities]
        if func.attr in CALLS and func.attr not in methods:
            raise self.source.error(
                f"{func.attr} takes {_arguments(CALLS[func.attr])}: write "
                f"{func.attr}(x, y), not x.{func.attr}()", node)
        if func.attr not in methods:
            raise self.source.error(_unknown(f"method .{func.attr}()", func.attr, methods,
                                             shown="." + "{}()"), node)
        if node.args and len(node.args) + 1 in CALLS[func.attr]:
            raise self.source.error(
                f"methods take no arguments: write {func.attr}(x, …), not x.{func.attr}(…)",
                node)
        if node.args:
            raise self.source.error(
                f".{func.attr}() takes no arguments: write x.{func.attr}() or {func.attr}(x)",
                node)


_MODULES = {"math", "np", "numpy", "torch", "sympy", "sp", "mpmath", "cmath", "F"}
"""Module names a student may write before a function (``math.sin(x)``)."""


def _unknown(what: str, name: str, known, *, shown: str = "{}") -> str:
    """``unknown function sinn — did you mean sin?`` (a case-insensitive match first)."""
    known = sorted(known)
    by_case = [k for k in known if k.lower() == name.lower()]
    close = by_case or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} — did you mean {shown.format(close[0])}?"
    kind = what.split()[0] + "s"
    return f"unknown {what}; known {kind}: {', '.join(shown.format(k) for k in known)}"


def _arguments(arities: dict[int, str]) -> str:
    """``one argument``, ``two arguments``, ``one or two arguments``."""
    counts = sorted(arities)
    words = " or ".join({1: "one", 2: "two"}.get(n, str(n)) for n in counts)
    return f"{words} argument{'' if counts == [1] else 's'}"


def _identifiers(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _ancestors(graph: Graph, name: str) -> set[str]:
    keep: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current not in keep:
            keep.add(current)
            stack.extend(graph[current].operands)
    return keep


def exact_apply(op: str, args) -> sympy.Expr:
    """Apply ``op`` to numbers, refusing exact results too large to compute quickly."""
    if op == "pow":
        _check_power_size(*args)
    value = RULES[op].value(*args)
    if value == 0 and not all(isinstance(a, sympy.Rational) for a in args):
        value = _confirmed_zero(op, args)
    if isinstance(value, sympy.Rational) and max(
        abs(value.p).bit_length(), value.q.bit_length()
    ) > MAX_EXACT_BITS:
        raise SymbpError(
            f"an exact number grew past {MAX_EXACT_BITS:,} bits; use decimals (2.0) to compute "
            "with floats")
    return value


def _confirmed_zero(op: str, args) -> sympy.Expr:
    """A 0 that SymPy's automatic evaluation decided from irrational operands, confirmed.

    SymPy may decide a value is 0 through an assumption it computed with too few digits
    (SymPy 1.14: ``sin(log(1 + 10^-14)).is_zero`` is True, so ``sinh`` of it "is" 0 and
    relu's step after it flips).  When certified digits show the unevaluated value is
    not 0, it is kept unevaluated; a true 0 (sin(π)) cannot be certified and stays 0.
    """
    unevaluated = RULES[op].formula(*args)
    digits = certain(unevaluated, 15)
    if digits is not None:
        return unevaluated if digits != 0 else sympy.S.Zero
    # not certifiable within the budget: a second opinion whose digits follow the operands
    opinion = second_opinion(unevaluated)
    if opinion is None:
        return sympy.S.Zero
    approx, zero = opinion
    return unevaluated if abs(approx) > zero else sympy.S.Zero


def _check_power_size(base, exponent) -> None:
    if not (isinstance(base, sympy.Rational) and isinstance(exponent, sympy.Rational)):
        return
    if base in (0, 1, -1) or (exponent.q != 1 and abs(exponent) < 64):
        return
    bits = max(abs(base.p).bit_length(), base.q.bit_length()) * abs(exponent)
    if bits > MAX_EXACT_BITS:
        raise SymbpError(
            f"{base}**{exponent} is too large to compute exactly (about {int(bits):,} bits; "
            f"symbp computes exactly with at most {MAX_EXACT_BITS:,} bits); use decimals "
            "(2.0) to compute with floats")


def exact_integer(value: int) -> sympy.Integer:
    """``value`` as a SymPy integer, refused beyond :data:`MAX_EXACT_BITS`."""
    if value.bit_length() > MAX_EXACT_BITS:
        raise SymbpError(
            f"an integer of {value.bit_length():,} bits; symbp computes exactly with at most "
            f"{MAX_EXACT_BITS:,} bits (about {MAX_LITERAL_DIGITS:,} digits)")
    return sympy.Integer(value)


def _check_exact(value: sympy.Expr) -> sympy.Expr:
    """A SymPy number given as a value, refused when its exact form is beyond
    :data:`MAX_EXACT_BITS` (numerator or denominator)."""
    if isinstance(value, sympy.Rational):
        exact_integer(int(value.p))
        exact_integer(int(value.q))
    return value


DECIMAL_DIGITS = 30
"""Significant digits a decimal literal keeps (computations with decimals run in floats)."""


def _decimal(text: str) -> sympy.Float:
    """A decimal literal as a SymPy Float of its digits, at most :data:`DECIMAL_DIGITS`.

    SymPy's own conversion of a 100,000-digit literal takes minutes (and an integer
    conversion past Python's 4,300-digit limit); ``decimal`` rounds it correctly in
    microseconds first.
    """
    rounded = decimal.Context(prec=DECIMAL_DIGITS).create_decimal(text)
    return sympy.Float(str(rounded), max(15, min(len(rounded.as_tuple().digits),
                                                 DECIMAL_DIGITS)))


@with_long_int_text
def parse_number(text: str) -> sympy.Expr:
    """A value such as ``2``, ``-1/2``, ``0.25``, ``1e-3`` or ``2^10``: a constant expression."""
    try:
        source = _Source.of([text.strip()])
        _check_nesting(source)
        _check_literals(source)
        value = _Walker(source, share=True)
        tree = ast.parse(source.text, mode="eval")
        result = value.expression(tree.body)
    except SyntaxError:
        raise ParseError(f"{_clip(text)!r} is not a number") from None
    except ParseError as exc:
        raise ParseError(f"{_clip(text)!r} is not a number: {exc.message}") from None
    except (RecursionError, MemoryError):
        raise ParseError(f"{_clip(text)!r} is nested too deeply") from None
    if isinstance(result, int):
        raise ParseError(f"{_clip(text)!r} is not a number; give a value like 2, -1/2 or 0.25")
    return result


def _clip(text: str, keep: int = 40) -> str:
    """``text`` shortened for an error message (a value may be megabytes long)."""
    return text if len(text) <= keep else f"{text[:keep - 12]}…{text[-10:]}"


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
                    raise ParseError(f"--at expects name=value pairs like a=2,b=1; got {part!r}")
                key, _, text = part.partition("=")
                pairs.append((key.strip(), text))
    point: dict[str, sympy.Expr] = {}
    for key, raw in pairs:
        if not (str(key).isidentifier() or _INDEXED_NAME.match(str(key))):
            raise ParseError(f"--at: {key!r} is not a variable name")
        if isinstance(raw, bool):
            raise ParseError(f"--at {key}: expected a number, got {raw!r}")
        if isinstance(raw, int):
            try:
                value = exact_integer(raw)
            except SymbpError as exc:
                raise ParseError(f"--at {key}: {exc}") from None
        elif isinstance(raw, float):
            value = sympy.Float(raw)
        elif isinstance(raw, sympy.Basic):
            value = sympy.sympify(raw, strict=True)
            if not value.is_number:
                raise ParseError(f"--at {key}: expected a number, got {raw}")
            try:
                _check_exact(value)
            except SymbpError as exc:
                raise ParseError(f"--at {key}: {exc}") from None
        else:
            value = parse_number(str(raw))
        if key in point:
            raise ParseError(f"--at gives {key} twice")
        point[key] = value
    return point
