"""The steps of an explanation, decided once: what the HTML stepper walks through.

Five phases, in this order, each step naming exactly the nodes and edges it speaks of:

1. ``forward`` — one :class:`ForwardValue` per node in evaluation order: its formula with
   the operands' values plugged in, and its value;
2. ``partials`` — one :class:`~symbp.core.partials.LocalPartial` per edge;
3. ``paths`` — for each input of ``wrt``, one :class:`PathStep` per shown path (its edges,
   its product, the running sum), a :class:`PathsCounted` note when the paths are
   summarized, and the :class:`~symbp.explanation.records.InputPaths` total;
4. ``reverse`` — the :class:`Seed` ∂out/∂out = 1, then one :class:`AdjointStep` per edge in
   sweep order: the ``+=`` with the adjoint before and after it, and the nodes whose
   adjoints it completes;
5. ``checks`` — every :class:`~symbp.core.checks.Check`, then the
   :class:`~symbp.core.cost.Cost` of the three methods.

Long phases are summarized as the other formats summarize tables (:data:`PAGE_ROWS` steps,
then one :class:`Hidden` step saying how many were left out; ``full`` keeps them all).
:func:`adjoint_steps` is the reverse sweep with its running adjoints, for every format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import sympy

from ..core.exact import certain
from ..core.graph import Edge
from ..core.paths import PathTerm
from ..core.printing import inline
from .records import Explanation, InputPaths, Quantity, Step
from .view import LONG_PATH

__all__ = ["PAGE_ROWS", "PHASES", "AdjointStep", "ForwardValue", "Hidden", "PageStep",
           "PathStep", "PathsCounted", "Seed", "Steps", "adjoint_steps", "page_steps"]

PHASES = ("forward", "partials", "paths", "reverse", "checks")
"""The phases of the stepper, in order."""

PAGE_ROWS = 400
"""Steps per phase before the rest is summarized (unless ``full``): a 10⁴-node graph
stays a page a browser opens at once."""

SYMBOLIC_FAN_OUT = 32
"""A running adjoint is written symbolically only for nodes with at most this many
consumers (its partial sums would otherwise cost quadratic time; the value is always
there, and the completed adjoint is the sweep's own total)."""

_SECTION = {"forward": "graph", "partials": "partials", "paths": "paths",
            "reverse": "reverse", "checks": "checks"}
"""The explanation's section (``--show``) each phase belongs to."""


@dataclass(frozen=True)
class ForwardValue:
    """A node's value: its formula with the operand values in place of the operands."""

    node: str
    formula: sympy.Expr | None  # None for an input
    plugged: sympy.Expr | None  # None without a point
    value: sympy.Expr | None


@dataclass(frozen=True)
class PathStep:
    """One path of the sum over paths, and the sum so far (``number`` counts from 1)."""

    input: str
    number: int
    term: PathTerm
    running: Quantity


@dataclass(frozen=True)
class PathsCounted:
    """The note that only the first ``shown`` of ``count`` paths are listed."""

    input: str
    count: int
    shown: int


@dataclass(frozen=True)
class Seed:
    """The start of the reverse sweep: ∂output/∂output = 1."""

    output: str
    value: sympy.Expr


@dataclass(frozen=True)
class AdjointStep:
    """One edge of the reverse sweep: ``adjoint(source) += adjoint(target) · ∂target/∂source``.

    ``before`` and ``after`` are the source's adjoint around the ``+=``; ``completes`` the
    nodes whose adjoint is final after it (the source, at its last consumer)."""

    number: int
    step: Step
    before: Quantity
    after: Quantity
    completes: tuple[str, ...]


@dataclass(frozen=True)
class Hidden:
    """``count`` steps of ``phase`` left out."""

    phase: str
    count: int

    @property
    def what(self) -> str:
        """What one step of the phase is: node, edge, path, step or check."""
        return _WHAT[self.phase]


@dataclass(frozen=True)
class PageStep:
    """One step: its phase, the nodes and edges it highlights, and what it speaks of."""

    phase: str
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    subject: object


@dataclass(frozen=True)
class Steps:
    """Every step of the stepper, and how many each phase left out."""

    steps: tuple[PageStep, ...]
    hidden: dict[str, int]


def page_steps(ex: Explanation, *, rows: int = PAGE_ROWS) -> Steps:
    """The steps of ``ex``, at most ``rows`` per phase (all of them when ``ex.full``).

    A summarized phase builds only the steps it keeps (a 10⁴-node graph's page is written
    in seconds) and counts the rest."""
    steps: list[PageStep] = []
    hidden: dict[str, int] = {}
    graph = ex.graph
    sizes = {"forward": len(graph.nodes), "partials": len(ex.partials),
             "reverse": 1 + len(ex.reverse.steps)}
    for phase, make in (("forward", _forward), ("partials", _partials), ("paths", _paths),
                        ("reverse", _reverse), ("checks", _checks)):
        if _SECTION[phase] not in ex.sections:
            continue
        made = list(make(ex) if ex.full or phase not in sizes else islice(make(ex), rows))
        left = sizes.get(phase, len(made)) - len(made)
        if not ex.full and phase == "paths" and len(made) > rows:
            made, left = made[:rows], len(made) - rows
        steps += made
        if left > 0:
            hidden[phase] = left
            steps.append(PageStep(phase, (), (), Hidden(phase, left)))
    return Steps(tuple(steps), hidden)


_WHAT = {"forward": "node", "partials": "edge", "paths": "path", "reverse": "step",
         "checks": "check"}


def _forward(ex: Explanation) -> Iterator[PageStep]:
    graph = ex.graph
    for node in graph.nodes:
        formula = None if node.is_input else graph.formula(node.name)
        value = ex.values[node.name] if ex.values else None
        plugged = None
        if formula is not None and ex.values:
            plugged = _plug(formula, {graph.symbols[op]: ex.values[op] for op in node.operands})
        yield PageStep("forward", (node.name,), (), ForwardValue(node.name, formula, plugged,
                                                                 value))


PLUGGED_LIMIT = 24
"""An operand value longer than this (in inline characters) is plugged in as its decimal."""


def _plug(formula: sympy.Expr, values: dict[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """The formula with each operand replaced by its value, left unevaluated (``2 + 1``)."""
    mapping = {}
    for op, value in values.items():
        value = sympy.sympify(value, strict=True)
        if not (value.is_Rational or value.is_Float) and len(inline(value)) > PLUGGED_LIMIT:
            decimal = certain(value, 10)
            value = sympy.Float(decimal, 10) if decimal is not None else value
        mapping[op] = value
    with sympy.evaluate(False):
        return formula.xreplace(mapping)


def _partials(ex: Explanation) -> Iterator[PageStep]:
    for partial in ex.partials:
        edge = partial.edge
        yield PageStep("partials", (), (edge,), partial)


def _paths(ex: Explanation) -> Iterator[PageStep]:
    for x, paths in ex.paths.items():
        yield from _input_paths(ex, x, paths)


def _input_paths(ex: Explanation, x: str, paths: InputPaths) -> Iterator[PageStep]:
    products: list[sympy.Expr] | None = [] if ex.symbolic else None
    total = None
    for number, term in enumerate(paths.shown, start=1):
        if products is not None and len(term.edges) <= LONG_PATH:
            products.append(term.product)
        else:  # a long path's product is not written out (thousands of factors)
            products = None
        if term.value is not None:
            total = term.value if total is None else total + term.value
        running = Quantity(sympy.Add(*products) if products is not None else None, total)
        nodes = term.nodes
        yield PageStep("paths", nodes, term.edges, PathStep(x, number, term, running))
    if paths.count > len(paths.shown):
        yield PageStep("paths", (x, ex.graph.output), (),
                       PathsCounted(x, paths.count, len(paths.shown)))
    edges = tuple(dict.fromkeys(e for term in paths.shown for e in term.edges))
    yield PageStep("paths", (x, ex.graph.output), edges, paths)


def adjoint_steps(ex: Explanation) -> Iterator[AdjointStep]:
    """The reverse sweep's steps with the adjoint of each step's source before and after
    its ``+=`` (running sums of the contributions), and the nodes each step completes."""
    graph = ex.graph
    steps = ex.reverse.steps
    last = {step.edge.source: i for i, step in enumerate(steps)}
    terms: dict[str, list] = {}
    values: dict[str, sympy.Expr] = {}
    for i, step in enumerate(steps):
        source = step.edge.source
        done = terms.setdefault(source, [])
        symbolic = (step.contribution is not None
                    and len(graph.out_edges[source]) <= SYMBOLIC_FAN_OUT)
        zero = sympy.S.Zero
        before = Quantity((_sum(done) if done else zero) if symbolic else None,
                          values.get(source, zero if step.contribution_value is not None
                                     else None))
        done.append(step.contribution)
        if step.contribution_value is not None:
            previous = values.get(source)
            values[source] = (step.contribution_value if previous is None
                              else previous + step.contribution_value)
        after = Quantity(_sum(done) if symbolic else None, values.get(source))
        completes: tuple[str, ...] = ()
        if last[source] == i:
            completes = (source,)
            total = ex.reverse.totals.get(source)
            if total is not None and total.expr is not None and after.expr is None:
                after = Quantity(total.expr, after.value)
        yield AdjointStep(i + 1, step, before, after, completes)


def _sum(terms: list):
    if not terms or any(t is None for t in terms):
        return None
    return terms[0] if len(terms) == 1 else sympy.Add(*terms)


def _reverse(ex: Explanation) -> Iterator[PageStep]:
    output = ex.graph.output
    seed = ex.reverse.totals.get(output)
    yield PageStep("reverse", (output,), (), Seed(output, seed.value if seed is not None and
                                                  seed.value is not None else sympy.S.One))
    for adjoint in adjoint_steps(ex):
        edge = adjoint.step.edge
        yield PageStep("reverse", (edge.source,), (edge,), adjoint)


def _checks(ex: Explanation) -> Iterator[PageStep]:
    for check in ex.checks:
        yield PageStep("checks", (), (), check)
    if "cost" in ex.sections:
        yield PageStep("checks", (), tuple(edge for edge, _ in ex.cost.repeated[:PAGE_ROWS]),
                       ex.cost)

