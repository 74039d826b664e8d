"""The words of each stepper step: the steps of :mod:`symbp.explanation.steps` written as
the terminal writes the same rows (its pieces are reused, so the formats cannot drift).
"""

from __future__ import annotations

import math

import sympy

from ...core.checks import Check
from ...core.cost import Cost
from ...core.partials import LocalPartial
from ...core.printing import approximate, chain, name, nearest_float, number, plural, value_text
from ...errors import option
from ...explanation.records import Explanation, InputPaths
from ...explanation.steps import (
    AdjointStep,
    ForwardValue,
    Hidden,
    PageStep,
    PathsCounted,
    PathStep,
    Seed,
)
from ..marks import FAILED, MARK, more_words
from ..terminal.explain_pieces import count, derivative, path, product, short_expr, slot
from ..terminal.sweeps import step_text

__all__ = ["PHASE_TITLES", "decimal", "step_words"]

PHASE_TITLES = {
    "forward": "Forward values",
    "partials": "Local partials",
    "paths": "Sum over paths",
    "reverse": "Reverse sweep",
    "checks": "Checks and cost",
}
"""Each phase's heading, in the step panel and the static list."""


def decimal(value) -> str | None:
    """A value as a decimal of up to 12 significant digits (``None`` when it has none)."""
    result = nearest_float(value)
    if result is None:
        return None
    if not math.isfinite(result):  # beyond floats: the certified decimal, as text
        return number(approximate(value))
    return f"{result:.12g}"


def step_words(ex: Explanation, step: PageStep) -> str:
    """What the step says, in one line of text."""
    subject = step.subject
    for kind, words in _WORDS:
        if isinstance(subject, kind):
            return words(ex, subject)
    raise TypeError(f"no words for a {type(subject).__name__} step")


def _valued(value) -> str:
    """``3``, ``1/2 = 0.5``, ``sin(2) ≈ 0.9092974268``: exact where exact, always a decimal."""
    text = value_text(value)
    value = sympy.sympify(value, strict=True)
    if value.is_Rational and not value.is_Integer and "≈" not in text:
        text += " = " + number(sympy.Float(value, 15))
    return text


def _forward(ex: Explanation, v: ForwardValue) -> str:
    head = name(v.node)
    if v.formula is None:
        return "input " + chain(head, _valued(v.value) if v.value is not None else None)
    return chain(f"{head} = {short_expr(v.formula, as_written=True)}",
                 short_expr(v.plugged, as_written=True) if v.plugged is not None else None,
                 _valued(v.value) if v.value is not None else None)


def _partial(ex: Explanation, p: LocalPartial) -> str:
    edge = p.edge
    local = derivative(edge.target, edge.source, False) + slot(ex, edge)
    return (f"{name(edge.source)} → {name(edge.target)}, {p.rule}: "
            + chain(local, short_expr(p.expr),
                    value_text(p.value) if p.value is not None else None))


def _path(ex: Explanation, s: PathStep) -> str:
    out = ex.graph.output
    total = ex.paths[s.input].count
    running = chain(derivative(out, s.input, True),
                    short_expr(s.running.expr) if s.running.expr is not None else None,
                    value_text(s.running.value) if s.running.value is not None else None)
    return (f"path {s.number:,} of {count(total)} from {name(s.input)}: "
            f"{path(ex, s.term.edges)};  {product(ex, s.term)};  sum so far: {running}")


def _counted(ex: Explanation, c: PathsCounted) -> str:
    return (f"{name(c.input)} has {plural(c.count, 'path', shown=count(c.count))} to "
            f"{name(ex.graph.output)}; the first {c.shown:,} are listed "
            f"({option('max_paths', 'max_paths')}), "
            "the total below is over all of them")


def _total(ex: Explanation, p: InputPaths) -> str:
    out = ex.graph.output
    return (f"sum over {plural(p.count, 'path', shown=count(p.count))}: "
            + chain(derivative(out, p.input, True),
                    short_expr(p.sum) if p.sum is not None else None,
                    value_text(p.value) if p.value is not None else None))


def _seed(ex: Explanation, s: Seed) -> str:
    out = name(s.output)
    return (f"d{out}/d{out} = 1: the sweep starts at the output {out}; a node's adjoint is "
            "complete once every consumer has added to it")


def _adjoint(ex: Explanation, a: AdjointStep) -> str:
    source = a.step.edge.source
    head = derivative(ex.graph.output, source, True)
    words = f"step {a.number:,}: {step_text(ex, ex.reverse, a.step, False)};  {head}: "
    words += f"{_amount(a.before)} → {_amount(a.after)}"
    if a.completes:
        words += f" (complete: every consumer of {name(source)} has added to it)"
    return words


def _amount(q) -> str:
    if q.value is not None:
        return value_text(q.value)
    return short_expr(q.expr) if q.expr is not None else "?"


def _check(ex: Explanation, c: Check) -> str:
    words = f"{MARK[c.passed]} {c.name}  [{c.method}]"
    if c.passed is False:
        words += f"  {FAILED}"
    return words + (f"  {c.detail}" if c.detail else "")


def _cost(ex: Explanation, c: Cost) -> str:
    n = len(ex.graph.inputs)
    parts = [f"{label}: {count(ops.mul)} mul + {count(ops.add)} add = {count(ops.total)}"
             for label, ops in (("sum over paths", c.paths),
                                (f"forward mode ({plural(n, 'sweep')})", c.forward),
                                ("reverse sweep (1 sweep)", c.reverse))]
    words = "Cost, in multiplications and additions: " + ";  ".join(parts)
    if c.repeated:
        words += (f";  highlighted: the {plural(len(c.repeated), 'local partial')} the path "
                  "expansion multiplies more than once (the reverse sweep uses each once)")
    return words


def _hidden(ex: Explanation, h: Hidden) -> str:
    return f"… {h.count:,} {more_words(h.count, h.what)}"


_WORDS = ((ForwardValue, _forward), (LocalPartial, _partial), (PathStep, _path),
          (PathsCounted, _counted), (InputPaths, _total), (Seed, _seed),
          (AdjointStep, _adjoint), (Check, _check), (Cost, _cost), (Hidden, _hidden))
