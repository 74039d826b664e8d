"""The self-checks of an explanation and a gradient: paths, forward and reverse agree, the
gradient equals ``sympy.diff``, and finite differences at the point (or a random one)."""

from __future__ import annotations

import random
from dataclasses import replace

import mpmath
import sympy

from ..core.checks import Check, compare_with_finite_differences, same_expr, same_value
from ..core.evaluate import complete_point, numeric_values, values
from ..core.graph import Graph
from ..core.numeric import mpmath_value
from ..core.partials import kinks
from ..errors import SymbpError, option
from ..limits import SYMBOLIC_DEPTH
from ..read.point import parse_point
from .adjoints import expressions, gradient_in_inputs, gradient_of, writable
from .records import PATH_SUM_LIMIT, Quantity, Sweep

__all__ = ["FD_INPUTS", "explanation_checks", "gradient_checks"]


def explanation_checks(graph, point, wrt, paths, forward, reverse, in_inputs, kinked, full):
    """The checks of :func:`~symbp.explanation.derive.explain`, in the order shown."""
    checks = [
        _agreement("paths == forward", wrt, forward,
                   lambda x: (paths[x].sum, paths[x].value),
                   lambda x: _total(forward[x], graph.output),
                   skip=lambda x: None if paths[x].sum is not None or paths[x].value is not None
                   else f"more than {PATH_SUM_LIMIT:,} paths from {x}"),
        _agreement("forward == reverse", wrt, forward,
                   lambda x: _total(forward[x], graph.output),
                   lambda x: _total(reverse, x)),
        _against_sympy_diff(graph, in_inputs),
    ]
    checked = wrt if full else wrt[:FD_INPUTS]
    if point is not None:
        gradient_values = {x: reverse.totals[x].value for x in graph.inputs}
        if kinked:
            checks.append(Check("reverse == finite differences", None, "central differences",
                                "skipped: the point is a kink (see warnings)"))
        else:
            checks.append(_first_inputs(
                compare_with_finite_differences(graph, point, gradient_values, checked),
                checked, wrt))
    elif not in_inputs:  # big and symbolic: nothing else checks the sweep, so pick a point
        checks.append(_first_inputs(_at_random_point(graph, checked), checked, wrt))
    return tuple(checks)


def gradient_checks(graph: Graph, point, result: dict | None) -> tuple[Check, ...]:
    """``result``: the gradient at ``point``, in the inputs, or in node names (its
    printed formulas are what is checked then: written back into the inputs against
    ``sympy.diff`` where the graph is small enough, evaluated at a random point against
    finite differences)."""
    symbolic = writable(graph)
    nodes = getattr(result, "form", None) == "nodes"
    if not symbolic or result is None:
        in_inputs = {}
    elif nodes:
        in_inputs = written_out(graph, result)
    else:
        in_inputs = dict(result) if point is None else gradient_in_inputs(graph)
    checks = [_against_sympy_diff(graph, in_inputs)]
    checked = graph.inputs[:FD_INPUTS]
    if point is not None:
        kinked = kinks(graph, values(graph, point))
        if kinked:
            checks.append(Check("reverse == finite differences", None, "central differences",
                                "skipped: " + "; ".join(kinked)))
        else:
            checks.append(_first_inputs(
                compare_with_finite_differences(graph, point, result, checked),
                checked, graph.inputs))
    elif nodes or not in_inputs:
        check = _at_random_point(graph, checked, result if nodes else None)
        directional = "along a random direction" in check.method
        checks.append(check if directional else _first_inputs(check, checked, graph.inputs))
    return tuple(checks)


def written_out(graph: Graph, result) -> dict[str, sympy.Expr]:
    """A gradient in node names written back into the inputs: each adjoint replaced by
    its definition (they come from the output back, each in terms of the ones before),
    then each node by its expression in the inputs."""
    adjoints: dict[sympy.Symbol, sympy.Expr] = {}
    for symbol, total in result.where:
        adjoints[symbol] = total.xreplace(adjoints)
    nodes = {graph.symbols[v]: e for v, e in expressions(graph).items()
             if not graph[v].is_input}
    return {x: sympy.sympify(e, strict=True).xreplace(adjoints).xreplace(nodes)
            for x, e in result.items()}


def formulas_at(graph: Graph, result, point) -> dict[str, sympy.Float]:
    """A gradient in node names evaluated from its formulas as printed, in 30-digit
    arithmetic (a wrong formula must not pass for floats' rounding): the nodes' values at
    ``point``, then each adjoint in the order ``where`` defines it, then each input's
    entry — one mpmath operation per operation of the formulas, so linear in their size.
    A value that is not a finite real number (the point is outside the domain) is a
    :class:`ValueError`."""
    with mpmath.workdps(FORMULA_DIGITS):
        env = {graph.symbols[v]: value for v, value in
               numeric_values(graph, point, FORMULA_DIGITS).items()}
        for symbol, total in result.where:
            env[symbol] = mpmath_value(sympy.sympify(total, strict=True), env)
        values = {x: mpmath_value(sympy.sympify(e, strict=True), env) for x, e in result.items()}
        if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in values.values()):
            raise ValueError("a formula is not a finite real number at this point")
        return {x: sympy.Float(v, FORMULA_DIGITS) for x, v in values.items()}


FORMULA_DIGITS = 30
"""Digits of the arithmetic that evaluates a node-name gradient's printed formulas."""


FD_INPUTS = 12
"""Inputs checked by finite differences unless ``full`` (each costs several evaluations)."""

FD_SECONDS_PER_NODE = 1e-3
"""The finite-difference check of a node-name gradient along a direction may take this much
longer per node than the fixed budget (a few evaluations of the graph, linear in its size;
about a third of a millisecond per node on a 2-core machine)."""

PER_INPUT_WORK = 10_000
"""Nodes × inputs up to which a node-name gradient is checked by one finite difference per
input; beyond, by one along a random direction of all inputs (a few evaluations of the
graph in all, so the check grows linearly with the graph, not with graph × inputs)."""


def _first_inputs(check: Check, checked, wrt) -> Check:
    if len(checked) == len(wrt):
        return check
    return replace(check, detail=f"{check.detail} (first {len(checked)} of {len(wrt)} "
                   f"inputs; {option('full', 'full=True')} checks all)")


def _at_random_point(graph: Graph, wrt, in_nodes=None) -> Check:
    """The float reverse sweep at a random point against finite differences there; for
    a gradient ``in_nodes`` (node names), its printed formulas evaluated there."""
    rng = random.Random(0)
    for _ in range(20):
        point = {x: sympy.Float(round(rng.uniform(0.5, 1.5), 6)) for x in graph.inputs}
        try:
            full = complete_point(graph, parse_point(point))
            result = (gradient_of(graph, full) if in_nodes is None
                      else formulas_at(graph, in_nodes, full))
        except (SymbpError, ZeroDivisionError, OverflowError, ValueError):
            continue  # outside the domain: try another point
        along = None
        if in_nodes is not None and len(graph.nodes) * len(wrt) > PER_INPUT_WORK:
            # one difference along a random direction of every input instead of one per
            # input: the same few evaluations of the graph however many inputs it has
            along = {x: rng.choice((-1, 1)) * round(rng.uniform(0.5, 1.5), 6)
                     for x in graph.inputs}
        check = compare_with_finite_differences(
            graph, point, result, wrt, along,
            seconds=0.0 if along is None else FD_SECONDS_PER_NODE * len(graph.nodes))
        if check.passed is None and "too costly" in check.detail:
            return check  # another point would cost as much
        if check.passed is not None:
            shown = ", ".join(f"{k} = {float(v):g}" for k, v in list(point.items())[:4])
            what = check.method if in_nodes is None else (
                f"the node-name formulas as printed, against {check.method}")
            return replace(check, method=f"{what} at a random point ({shown}"
                           + (", …" if len(point) > 4 else "") + ")")
    return Check("reverse == finite differences", None, "",
                 "skipped: no random point in the domain was found")


def _total(sweep: Sweep, name: str) -> tuple:
    quantity = sweep.totals.get(name, Quantity(None, None))  # absent: not computed
    return quantity.expr, quantity.value


def _agreement(name, wrt, forward, left, right, skip=None) -> Check:
    inputs = [x for x in wrt if x in forward]
    if not inputs:
        return Check(name, None, "", "skipped: forward mode was not run")
    methods, bad, skipped = set(), [], []
    for x in inputs:
        reason = skip(x) if skip else None
        if reason:
            skipped.append(reason)
            continue
        (a, a_value), (b, b_value) = left(x), right(x)
        if a is not None and b is not None:
            same, how = same_expr(a, b)
            methods.add(how)
            if not same:
                bad.append(f"∂/∂{x}: {a} vs {b}")
        if a_value is not None and b_value is not None:
            agree = same_value(a_value, b_value)
            if agree is None:
                skipped.append(f"the values for {x} cannot be certified")
                continue
            methods.add("values")
            if not agree:
                bad.append(f"∂/∂{x} = {a_value} vs {b_value}")
    if not methods:
        reason = "; ".join(skipped) if skipped else "no values or expressions to compare"
        return Check(name, None, "", "skipped: " + reason)
    detail = "; ".join(bad) if bad else f"agree for {', '.join(i for i in inputs)}"
    if skipped:
        detail += " (not compared: " + "; ".join(skipped) + ")"
    return Check(name, not bad, " and ".join(sorted(methods)), detail)


def _against_sympy_diff(graph, in_inputs) -> Check:
    name = "reverse == sympy.diff"
    if not in_inputs:
        why = "deep" if graph.depth() > SYMBOLIC_DEPTH else "large"
        return Check(name, None, "", f"skipped: the graph is too {why} to write out in its "
                     "inputs; finite differences check it instead")
    f = graph.expression()
    methods, bad = set(), []
    for x in graph.inputs:
        reference = sympy.diff(f, graph.symbols[x])
        same, how = same_expr(in_inputs[x], reference)
        methods.add(how)
        if not same:
            bad.append(f"∂/∂{x}: {in_inputs[x]} vs {reference}")
    detail = "; ".join(bad) if bad else "agree for every input"
    return Check(name, not bad, " and ".join(sorted(methods)), detail)
