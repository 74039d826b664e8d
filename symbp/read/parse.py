"""Safe parser: program text → computational graph.

The text is parsed with Python's :mod:`ast` and walked against a whitelist; it is
never given to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.  Accepted:

- statements separated by ``;`` or newlines: ``c = a + b``, ``c += 1`` (also
  ``-= *= /= **=``), and an optional bare expression as the last statement;
- ``+ - * / ** ^`` (``^`` is a power, as in mathematics), unary ``-``/``+``,
  parentheses, integer/decimal/scientific numbers, ``pi``, identifiers, the functions of
  :data:`symbp.core.rules.FUNCTIONS` called as ``f(x)`` or micrograd-style ``x.f()``,
  and micrograd's ``Value(number)``.

Limits keep every input cheap: text size, nesting depth, node count and the size
of exact numbers are bounded, and exceeding one is a :class:`ParseError`.
"""

from __future__ import annotations

import ast
import math
import textwrap
import unicodedata

import sympy

from .. import arguments
from ..core.arithmetic import exact_apply, exact_integer
from ..core.collector import collector_paused
from ..core.graph import Graph
from ..core.numeric import is_defined
from ..core.printing import inline
from ..core.rules import CALLS, FUNCTIONS, RULES
from ..errors import PARAMETER, ParseError, SymbpError
from ..limits import with_long_int_text
from .builder import GraphBuilder, Ref
from .safety import (
    Source,
    check_call,
    check_literals,
    check_nesting,
    clip,
    decimal_literal,
    refused,
    syntax_error,
    too_deep,
)

__all__ = ["CONSTANTS", "MAX_NODES", "MAX_TEXT", "Walker", "parse", "parse_program"]

MAX_TEXT = 1_000_000
"""Longest program text accepted, in characters."""
MAX_NODES = 200_000
"""Most operations a program may create."""
CONSTANTS = {"pi": sympy.pi}
"""Names that stand for numbers (unless the program assigns them first)."""

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}


def parse(text: str, *, share: bool = True, output: str | None = None) -> Graph:
    """Parse a program into a :class:`~symbp.core.graph.Graph`.

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
    # a byte order mark (Windows editors start UTF-8 files with one) is no character of
    # the program; the output is named as Python reads names (ａ is a)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\t", " ")
    output = None if output is None else unicodedata.normalize("NFKC", output)
    # pasted code keeps its indentation: the indentation common to every line goes
    text = textwrap.dedent(text)
    lines = text.split("\n")
    if not text.strip():
        raise ParseError("the program is empty; write an expression such as e=(a+b)*(b+1)")
    with collector_paused():  # the syntax tree and the graph: see core/collector.py
        return _parse_lines(lines, share, output)


def _parse_lines(lines: list[str], share: bool, output: str | None
                 ) -> tuple[Graph, list[str]]:
    source = Source.of(lines)
    check_nesting(source)
    check_literals(source)
    try:
        tree = ast.parse(source.text, mode="exec")
    except SyntaxError as exc:
        raise syntax_error(exc, source) from None
    except (RecursionError, MemoryError):
        raise ParseError(too_deep()) from None
    walker = Walker(source, share)
    return walker.program(tree, output)


class Walker:
    """Walks the whitelisted AST and feeds a :class:`GraphBuilder`."""

    def __init__(self, source: Source, share: bool) -> None:
        self.source = source
        self.builder = GraphBuilder(share=share)
        self.scope: dict[str, Ref] = {}
        self.last_assigned: str | None = None
        self.constants: dict[Ref, ast.stmt] = {}  # inputs made by assigning a number (a = 2)
        self.bare: ast.expr | None = None

    # -- statements ------------------------------------------------------------------------
    def program(self, tree: ast.Module, output: str | None) -> tuple[Graph, list[str]]:
        # every identifier the user wrote is reserved: check_name adds each one it reads,
        # and the walk reads them all before finish() names anything
        self.builder.reserved |= set(FUNCTIONS)
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
                shown = clip(self.source.original(self.bare) or sympy.sstr(bare), 60)
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
                    f"{PARAMETER} {output!r} is not a node of the program "
                    f"(nodes: {', '.join(n.name for n in everything.nodes)})", parameter="output")
            keep = _ancestors(everything, output)
            graph = Graph([n for n in everything.nodes if n.name in keep], output)
        if graph[graph.output].is_input:
            raise ParseError(
                f"{graph.output} is an input: there is nothing to differentiate; "
                f"{PARAMETER} names a node computed from the inputs", parameter="output")
        return graph, list(self.builder.notes)

    def nothing_to_differentiate(self, ref: Ref, name: str | None) -> ParseError:
        """Why an output that is an input (``y = x``) or a constant (``y = 3``) is refused."""
        statement = self.constants.get(ref)
        if statement is not None and name == self.builder.base_name(ref):
            shown = clip(self.source.original(statement) or name, 60)
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
        # (node, its children once looked at): each node's children are found once
        stack: list[tuple[ast.expr, list[ast.expr] | None]] = [(root, None)]
        builder = self.builder
        while stack:
            node, children = stack.pop()
            if children is None:
                children = self.children(node)
                if children:
                    stack.append((node, children))
                    stack.extend([(child, None) for child in reversed(children)])
                    continue
                args = ()
            else:
                args = tuple(results[-len(children):])
                del results[-len(children):]
            results.append(self.reduce(node, args))
            if len(builder) > MAX_NODES:
                raise self.source.error(f"the program has more than {MAX_NODES:,} operations", node)
        return results[0]

    def children(self, node: ast.expr) -> list[ast.expr]:
        kind = type(node)
        if kind is ast.Name or kind is ast.Constant:  # the leaves, most nodes of a program
            return []
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            check_call(node, self.source)
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
            if isinstance(node.func, ast.Name):
                self.builder.reserved.add(fn)
            if fn == "Value":
                return args[0]
            return self.combine(CALLS[fn][len(args)], args, node)
        raise self.source.error(refused(node), node)

    def combine(self, op: str, args: tuple, node: ast.AST, *, fresh: bool = False):
        for a in args:
            if isinstance(a, int):  # an operand is a node (a Ref)
                return self.builder.apply(op, tuple(args), fresh=fresh)
        return self.fold(op, args, node)

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
            raise self.source.error(
                f"the number {shown} is beyond the range of floats (about ±1.8e308); write it "
                "as an integer or fraction (10**309 rather than 1e309) to compute exactly", node)
        return decimal_literal(segment.replace("_", "")) if segment else sympy.Float(value)

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
        self.builder.reserved.add(name)
        if name.startswith("_"):
            raise self.source.error(f"names may not start with '_': {name}", node)
        if name in CONSTANTS and isinstance(node.ctx, ast.Store):
            raise self.source.error(f"{name} is the constant π; use another name", node)
        if name in CALLS or name == "Value":
            raise self.source.error(
                f"{name} is a function; call it as {name}(x) or use another name", node)
        return name



def _ancestors(graph: Graph, name: str) -> set[str]:
    keep: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current not in keep:
            keep.add(current)
            stack.extend(graph[current].operands)
    return keep
