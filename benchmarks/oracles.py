"""Independent float evaluation of symbolic results, to check that the tools agree.

Derivatives of the diamond chain are DAG-shaped: written out as trees they are
exponentially long, so neither ``lambdify`` nor ``subs`` can evaluate them.  This
evaluator visits each distinct subexpression once (memoized on the expression
object) and works on SymPy and SymEngine expressions alike.
"""

from __future__ import annotations

import math

_FUNCTIONS = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "log": math.log,
    "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh, "atan": math.atan,
    "sqrt": math.sqrt, "Abs": abs, "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
}


def evaluate(expr, point: dict[str, float]) -> float:
    """``expr`` at ``point`` (symbol name → float), each shared subexpression once."""
    cache: dict = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in cache:
            continue
        args = tuple(node.args)
        if args and not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in args if arg not in cache)
            continue
        cache[node] = _apply(node, [cache[arg] for arg in args], point)
    return cache[expr]


def _apply(node, values: list[float], point: dict[str, float]) -> float:
    kind = type(node).__name__
    if kind in ("Symbol", "Dummy"):
        return point[str(node)]
    if not values:  # a number or a constant such as E
        return float(node)
    if kind == "Add":
        return math.fsum(values)
    if kind == "Mul":
        return math.prod(values)
    if kind == "Pow":
        return values[0] ** values[1]
    if kind in _FUNCTIONS:
        return _FUNCTIONS[kind](*values)
    raise TypeError(f"cannot evaluate {kind}")


def max_relative_error(left: dict, right: dict, point: dict[str, float]) -> float:
    """Largest |a − b| / max(|a|, |b|) over the keys of ``right`` (0 where both are 0)."""
    worst = 0.0
    for key, expr in right.items():
        a, b = evaluate(left[key], point), evaluate(expr, point)
        scale = max(abs(a), abs(b))
        worst = max(worst, abs(a - b) / scale if scale else 0.0)
    return worst
