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
import math
import re
from dataclasses import dataclass

import sympy

from . import arguments
from .builder import GraphBuilder, Ref
from .errors import ParseError, SymbpError
from .graph import Graph
from .limits import MAX_LITERAL_DIGITS, with_long_int_text
from .numeric import is_defined
from .printing import inline
from .rules import FUNCTIONS, RULES

__all__ = ["MAX_EXACT_BITS", "MAX_NODES", "MAX_TEXT", "parse", "parse_number", "parse_point"]

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
_ALLOWED = "symbp reads arithmetic (+ - * / ** ^), numbers, names and functions like sin(x)"
_REJECTED = {
    ast.Attribute: "attribute access (x.y) is not allowed",
    ast.Subscript: "subscripts (x[i]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "and/or are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed",
    ast.Starred: "starred expressions are not allowed",
    ast.NamedExpr: "the walrus operator := is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


@dataclass(frozen=True)
class _Source:
    """The user's lines and where each ``^`` was widened to ``**``, to map columns back."""

    lines: list[str]
    carets: dict[int, list[int]]  # line number → original columns (0-based) of '^'

    def error(self, message: str, node: ast.AST | None = None) -> ParseError:
        if node is None or not hasattr(node, "lineno"):
            return ParseError(message)
        return self.error_at(message, node.lineno, node.col_offset)

    def error_at(self, message: str, line: int, byte_offset: int) -> ParseError:
        if not 1 <= line <= len(self.lines):
            return ParseError(message)
        original = self.lines[line - 1]
        # ast counts UTF-8 bytes of the widened line; count characters, then undo '^' → '**'.
        widened_chars = len(_widen(original).encode()[:byte_offset].decode(errors="ignore"))
        carets = self.carets.get(line, [])
        column = widened_chars
        for i in range(len(original) + 1):
            if i + sum(1 for c in carets if c < i) >= widened_chars:
                column = i
                break
        return ParseError(message, line=line, column=column + 1, source_line=original)


def _widen(line: str) -> str:
    return line.replace("^", "**")


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
    lines = text.split("\n")
    if not text.strip():
        raise ParseError("the program is empty; write an expression such as e=(a+b)*(b+1)")
    carets = {i + 1: [m.start() for m in re.finditer(r"\^", line)] for i, line in enumerate(lines)}
    source = _Source(lines, {k: v for k, v in carets.items() if v})
    _check_nesting(source)
    _check_literals(source)
    try:
        tree = ast.parse(_widen(text), mode="exec")
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


_SIGN_RUN = re.compile(rf"[-+~](?:\s*[-+~]){{{MAX_DEPTH}}}")
"""More than :data:`MAX_DEPTH` signs in a row (spaces between them allowed)."""


_INTEGER_LITERAL = re.compile(r"(?<![\w.])\d[\d_]*(?![\w.])")
"""A decimal integer literal (not part of a name, a decimal or a hex/exponent literal)."""


def _check_literals(source: _Source) -> None:
    """Integers of more than :data:`MAX_LITERAL_DIGITS` digits are refused before Python
    converts them (which is quadratic in their length)."""
    for number, line in enumerate(source.lines, start=1):
        for match in _INTEGER_LITERAL.finditer(line):
            digits = len(match.group().replace("_", ""))
            if digits > MAX_LITERAL_DIGITS:
                raise ParseError(
                    f"an integer of {digits:,} digits; symbp computes exactly with at most "
                    f"{MAX_LITERAL_DIGITS:,} digits ({MAX_EXACT_BITS:,} bits)",
                    line=number, column=match.start() + 1, source_line=line,
                )


def _syntax_error(exc: SyntaxError, source: _Source) -> ParseError:
    message = (exc.msg or "invalid syntax").rstrip(".")
    if "too many nested" in message or "recursion" in message:
        return ParseError(_too_deep())
    if exc.lineno is None or exc.offset is None:
        return ParseError(f"syntax error: {message}")
    line_text = _widen(source.lines[exc.lineno - 1]) if exc.lineno <= len(source.lines) else ""
    byte_offset = len(line_text[: max(exc.offset - 1, 0)].encode())
    return source.error_at(f"syntax error: {message}", exc.lineno, byte_offset)


class _Walker:
    """Walks the whitelisted AST and feeds a :class:`GraphBuilder`."""

    def __init__(self, source: _Source, share: bool) -> None:
        self.source = source
        self.builder = GraphBuilder(share=share)
        self.scope: dict[str, Ref] = {}
        self.last_assigned: str | None = None

    # -- statements ------------------------------------------------------------------------
    def program(self, tree: ast.Module, output: str | None) -> tuple[Graph, list[str]]:
        self.builder.reserved |= _identifiers(tree) | set(FUNCTIONS)
        bare: Ref | sympy.Expr | None = None
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Expr) and i == len(tree.body) - 1:
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
                raise self.source.error(
                    f"{type(stmt).__name__.lower()} statements are not allowed; {_ALLOWED}", stmt)
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
                raise ParseError("the output is a constant; write an expression of some input")
            out, output_base = bare, "f"
        elif self.last_assigned is not None:
            out, output_base = self.scope[self.last_assigned], None
        else:
            raise ParseError("the program is empty; write an expression such as e=(a+b)*(b+1)")
        if output is None:
            graph = self.builder.finish(out, output_base=output_base)
        elif output in self.scope:
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
                f"the output {graph.output} is an input itself; differentiate an expression "
                "of the inputs (e.g. e = a*b)")
        return graph, list(self.builder.notes)

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
                symbol = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise self.source.error(f"the operator {symbol} is not allowed; {_ALLOWED}", node)
            return self.combine(op, args, node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return args[0]
            if isinstance(node.op, ast.USub):
                return self.combine("neg", args, node)
            raise self.source.error(f"the operator {type(node.op).__name__} is not allowed", node)
        if isinstance(node, ast.Call):
            fn = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if fn == "Value":
                return args[0]
            return self.combine(fn, args, node)
        message = _REJECTED.get(type(node))
        if message is None:
            message = f"{type(node).__name__} is not allowed"
        raise self.source.error(f"{message}; {_ALLOWED}", node)

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
            kind = "strings" if isinstance(value, str) else f"{type(value).__name__} constants"
            raise self.source.error(f"{kind} are not allowed; {_ALLOWED}", node)
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
        line = _widen(self.source.lines[node.lineno - 1]).encode()
        if node.lineno != node.end_lineno:
            return None
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
        if name in RULES or name == "Value":
            raise self.source.error(
                f"{name} is a function; call it as {name}(x) or use another name", node)
        return name

    def check_call(self, node: ast.Call) -> None:
        if node.keywords:
            raise self.source.error("keyword arguments are not allowed", node)
        func = node.func
        if isinstance(func, ast.Attribute):  # micrograd style: (a + b).relu()
            if func.attr not in FUNCTIONS or node.args:
                raise self.source.error(
                    f"unknown method .{func.attr}(); only function methods such as x.relu() "
                    "or x.exp() are allowed, without arguments", node)
            return
        if not isinstance(func, ast.Name):
            raise self.source.error("only named functions can be called, e.g. sin(x)", node)
        if func.id == "Value":
            if len(node.args) != 1 or not isinstance(node.args[0], (ast.Constant, ast.UnaryOp)):
                raise self.source.error("Value(...) takes one number", node)
            return
        if func.id not in FUNCTIONS:
            raise self.source.error(
                f"unknown function {func.id!r}; known functions: {', '.join(FUNCTIONS)}", node)
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.source.error(f"{func.id} takes exactly one argument", node)


_OPERATOR_TEXT = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
    ast.LShift: "<<", ast.RShift: ">>",
}


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
    if isinstance(value, sympy.Rational) and max(
        abs(value.p).bit_length(), value.q.bit_length()
    ) > MAX_EXACT_BITS:
        raise SymbpError(
            f"an exact number grew past {MAX_EXACT_BITS:,} bits; use decimals (2.0) to compute "
            "with floats")
    return value


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
        source = _Source([text], {})
        _check_nesting(source)
        _check_literals(source)
        value = _Walker(source, share=True)
        tree = ast.parse(_widen(text.strip()), mode="eval")
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
