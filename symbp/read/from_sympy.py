"""SymPy expression → computational graph.

SymPy stores ``a - b`` as ``a + (-1)·b`` and ``a / b`` as ``a · b⁻¹``; the graph shows
them the way people write them: a subtraction and a division.  Sums and products
of several terms become chains of binary operations, left to right.
"""

from __future__ import annotations

import sympy

from .. import arguments
from ..core.graph import Graph
from ..core.names import check_names
from ..core.rules import RULES
from ..errors import DomainError, SymbpError
from .builder import GraphBuilder, Ref

__all__ = ["from_sympy"]

_FUNCTIONS = {rule.value: op for op, rule in RULES.items()
              if rule.arity == 1 and isinstance(rule.value, sympy.FunctionClass)}
"""SymPy's function class → the operation of one argument it is (sympy.sin → "sin",
sigmoid → "sigmoid"), from the rule table: a new operation is known here too."""
_EXTREMA = {sympy.Max: "max", sympy.Min: "min"}
"""Functions of several arguments, built as a chain of two-operand nodes: max(max(a, b), c)."""


def from_sympy(expr, name: str = "f", *, share: bool = True) -> Graph:
    """The computational graph of a SymPy expression; the output node is called ``name``.

    Free symbols become inputs (sorted by name); identical subexpressions become
    one node unless ``share=False``.  Raises :class:`~symbp.errors.SymbpError` for
    constructs without a derivative rule (e.g. ``Piecewise``, ``Integral``).
    """
    arguments.flag(share, "from_sympy", "share")
    if isinstance(expr, str):  # SymPy would evaluate the text as Python (sympify)
        raise SymbpError(
            "from_sympy takes a SymPy expression, not text; read program text with "
            "symbp.parse(text), which never evaluates it")
    if isinstance(expr, int | float) and not isinstance(expr, bool):
        expr = sympy.sympify(expr, strict=True)
    if not isinstance(expr, sympy.Expr):
        raise SymbpError(f"from_sympy needs a SymPy expression, got {type(expr).__name__}")
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):  # x*nan is nan: no variables left
        raise DomainError("undefined: the expression is not a finite real number (it has an "
                          "infinite or undefined constant)")
    if not expr.free_symbols:
        raise SymbpError(f"{expr} has no variables; there is nothing to differentiate")
    if not isinstance(name, str) or not name.isidentifier():
        raise SymbpError(f"the output name must be an identifier, got {name!r}")
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    check_names([s.name for s in symbols] + [name])  # before they reach any artefact
    builder = GraphBuilder(share=share, reserved={s.name for s in symbols} | {name})
    refs: dict[sympy.Symbol, Ref] = {}
    for symbol in symbols:
        refs[symbol] = builder.input(symbol.name)
    built: dict[sympy.Basic, Ref | sympy.Expr] = {}
    stack: list[tuple[sympy.Basic, bool]] = [(expr, False)]
    while stack:  # iterative post-order: deep expressions must not hit the recursion limit
        node, ready = stack.pop()
        if node in built and share:
            continue
        if node.is_Symbol:
            built[node] = refs[node]
            continue
        if node.is_Number or not node.free_symbols:
            built[node] = node
            continue
        _check_supported(node)
        children = _children(node)
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children) if child not in built)
            continue
        built[node] = _build(builder, node, [built[c] for c in children])
    out = built[expr]
    if out in refs.values():
        raise SymbpError(f"{expr} is just an input; there is nothing to differentiate")
    if builder.base_name(out) is None:
        builder.label(out, name)
    return builder.finish(out)


def _check_supported(node: sympy.Basic) -> None:
    if node.is_Add or node.is_Mul or node.is_Pow:
        return
    if (_FUNCTIONS.get(type(node)) or _FUNCTIONS.get(node.func)) and len(node.args) == 1:
        return
    if node.func in _EXTREMA:
        return
    raise SymbpError(
        f"symbp has no derivative rule for {node.func.__name__} (in {node}); supported: "
        "+ - * / **, sqrt, " + ", ".join(sorted({*_FUNCTIONS.values(), *_EXTREMA.values()})))


def _children(node: sympy.Basic) -> list[sympy.Basic]:
    """The operands the graph will read, after undoing SymPy's canonical forms."""
    if node.is_Add:
        return [_positive(t) for t in node.args]
    if node.is_Mul:
        coefficient, factors = _split_mul(node)
        return ([coefficient] if coefficient is not None else []) + [
            _reciprocal_base(f) for f in factors
        ]
    if node.is_Pow:
        base, exponent = node.args
        if exponent == sympy.S.Half:
            return [base]
        if exponent.is_Number and exponent.is_negative:
            return [base] if exponent == -1 else [base, -exponent]
        return [base, exponent]
    return list(node.args)


def _positive(term: sympy.Expr) -> sympy.Expr:
    coefficient, _rest = term.as_coeff_Mul()
    return -term if coefficient.is_negative else term


def _split_mul(node: sympy.Mul):
    """|numeric coefficient| (None if 1) and the other factors; the sign is handled apart."""
    coefficient, rest = node.as_coeff_Mul()
    coefficient = abs(coefficient)
    return (None if coefficient == 1 else coefficient), list(sympy.Mul.make_args(rest))


def _reciprocal_base(factor: sympy.Expr) -> sympy.Expr:
    if factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
        return factor.base if factor.exp == -1 else factor.base ** (-factor.exp)
    return factor


def _build(builder: GraphBuilder, node: sympy.Basic, operands: list) -> Ref | sympy.Expr:
    if node.is_Add:
        signs = [t.as_coeff_Mul()[0].is_negative for t in node.args]
        terms = list(zip(signs, operands, strict=True))
        terms.sort(key=lambda pair: pair[0])  # positive terms first: a - b, not -b + a
        negative, result = terms[0]
        if negative:
            result = builder.apply("neg", (result,))
        for negative, operand in terms[1:]:
            result = builder.apply("sub" if negative else "add", (result, operand))
        return result
    if node.is_Mul:
        return _build_mul(builder, node, operands)
    if node.is_Pow:
        base, exponent = node.args
        if exponent == sympy.S.Half:
            return builder.apply("sqrt", (operands[0],))
        if exponent.is_Number and exponent.is_negative:
            denominator = operands[0] if exponent == -1 else builder.apply("pow", tuple(operands))
            return builder.apply("div", (sympy.S.One, denominator))
        if base == sympy.E:
            return builder.apply("exp", (operands[1],))
        return builder.apply("pow", tuple(operands))
    if node.func in _EXTREMA:
        result = operands[0]
        for operand in operands[1:]:
            result = builder.apply(_EXTREMA[node.func], (result, operand))
        return result
    op = _FUNCTIONS.get(type(node)) or _FUNCTIONS.get(node.func)
    if op is None or len(operands) != 1:
        raise SymbpError(
            f"symbp has no derivative rule for {node.func.__name__} (in {node}); supported: "
            "+ - * / **, " + ", ".join(sorted(set(_FUNCTIONS.values()))))
    return builder.apply(op, (operands[0],))


def _build_mul(builder: GraphBuilder, node: sympy.Mul, operands: list):
    coefficient, factors = _split_mul(node)
    if coefficient is not None:
        operands = operands[1:]
    numerator, denominator = [], []
    for factor, operand in zip(factors, operands, strict=True):
        inverted = factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative
        (denominator if inverted else numerator).append(operand)
    if coefficient is not None:  # 3·a/2: the 3 joins the numerator, the 2 the denominator
        if coefficient.is_Rational and coefficient.q != 1:
            denominator.append(sympy.Integer(coefficient.q))
            coefficient = sympy.Integer(coefficient.p)
        if coefficient != 1:
            numerator.insert(0, coefficient)
    result = numerator[0] if numerator else sympy.S.One
    for operand in numerator[1:]:
        result = _apply(builder, "mul", result, operand)
    for operand in denominator:
        result = _apply(builder, "div", result, operand)
    if node.as_coeff_Mul()[0].is_negative:
        result = builder.apply("neg", (result,))
    return result


def _apply(builder: GraphBuilder, op: str, left, right):
    if not isinstance(left, int) and not isinstance(right, int):
        return {"mul": left * right, "div": left / right}[op]
    return builder.apply(op, (left, right))
