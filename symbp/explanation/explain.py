"""Collects every analysis of one graph at one point into an inert :class:`Explanation`.

Data flows one way: source → Graph → analyses (values, local partials, paths,
forward, reverse, cost, checks) → Explanation → renderers.  The Explanation holds
plain records only; renderers never compute mathematics.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import sympy

from .. import arguments
from ..core.checks import Check, compare_with_finite_differences, same_expr, same_value
from ..core.cost import Cost, cost
from ..core.evaluate import bounded, complete_point, grew_large, in_floats, is_defined, values
from ..core.exact import certain
from ..core.forward import SweepStep, add_up, forward_sweep
from ..core.graph import Edge, Graph
from ..core.numeric import is_float_point
from ..core.partials import LocalPartial, kinks, local_partials, partials_in
from ..core.paths import PathTerm, path_terms, paths_to_output
from ..core.printing import name as shown_name
from ..core.reverse import reverse_sweep
from ..errors import CheckFailure, DomainError, LimitError, SymbpError
from ..limits import SYMBOLIC_DEPTH, long_int_text, with_long_int_text
from ..read.parse import parse_program
from ..read.point import parse_point
from ..read.source import to_graph

__all__ = [
    "SECTIONS",
    "Explanation",
    "Gradient",
    "InputPaths",
    "Quantity",
    "Step",
    "Sweep",
    "explain",
    "gradient",
]

SECTIONS = ("graph", "partials", "paths", "forward", "reverse", "cost", "checks")
"""The sections of an explanation, in the order they are shown."""

PATH_SUM_LIMIT = 2_000
"""Most paths per input whose products are summed symbolically (beyond: counted only)."""
SYMBOLIC_NODES = 300
SYMBOLIC_TREE = 5_000
"""Full symbolic expressions (in node names) are built only for graphs within these sizes
(and no deeper than :data:`~symbp.limits.SYMBOLIC_DEPTH`)."""


def _writable(graph: Graph) -> bool:
    """True when the graph is small and shallow enough to write out in SymPy expressions."""
    return (len(graph.nodes) <= SYMBOLIC_NODES and graph.tree_size() <= SYMBOLIC_TREE
            and graph.depth() <= SYMBOLIC_DEPTH)
BIG_EDGES = 200
"""Above this many edges a graph is "big": forward mode runs for a few inputs unless ``full``."""
BIG_FORWARD_INPUTS = 3


@dataclass(frozen=True)
class Quantity:
    """A derived quantity: its expression (in node names; ``None`` if too large) and value."""

    expr: sympy.Expr | None
    value: sympy.Expr | None


@dataclass(frozen=True)
class Step:
    """One edge used by a sweep: carried · local partial = contribution, symbolically and
    in value.  ``carried`` is ∂source/∂seed (forward) or ∂output/∂target (reverse)."""

    edge: Edge
    partial: sympy.Expr
    partial_value: sympy.Expr | None
    carried: sympy.Expr | None
    carried_value: sympy.Expr | None
    contribution: sympy.Expr | None
    contribution_value: sympy.Expr | None


@dataclass(frozen=True)
class Sweep:
    """A forward sweep seeded at an input, or the reverse sweep seeded at the output."""

    mode: str  # "forward" or "reverse"
    seed: str
    steps: tuple[Step, ...]
    totals: dict[str, Quantity]


@dataclass(frozen=True)
class InputPaths:
    """The sum over paths for one input: how many, the first few, and their sum."""

    input: str
    count: int
    shown: tuple[PathTerm, ...]
    sum: sympy.Expr | None  # None when there are too many paths to expand
    value: sympy.Expr | None


@dataclass(frozen=True)
class Explanation:
    """Everything symbp derived about one graph, ready for any renderer.

    Render it with ``rich`` (it is a rich renderable), ``to_json()``, or the
    functions of :mod:`symbp.render`.
    """

    graph: Graph
    point: dict[str, sympy.Expr] | None
    values: dict[str, sympy.Expr] | None
    wrt: tuple[str, ...]
    partials: tuple[LocalPartial, ...]
    paths: dict[str, InputPaths]
    forward: dict[str, Sweep]
    reverse: Sweep
    gradient: dict[str, Quantity]
    cost: Cost
    checks: tuple[Check, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sections: tuple[str, ...] = SECTIONS
    full: bool = False
    max_paths: int = 8
    symbolic: bool = True
    gradient_in_inputs: dict[str, sympy.Expr] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.passed is not False for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed (a failure is a bug in symbp)."""
        return tuple(check for check in self.checks if check.passed is False)

    def partial(self, edge: Edge) -> LocalPartial:
        """The local partial of ``edge``."""
        return self._partials_by_edge[edge]

    @property
    def _partials_by_edge(self) -> dict[Edge, LocalPartial]:
        cached = self.__dict__.get("_by_edge")
        if cached is None:
            cached = {p.edge: p for p in self.partials}
            object.__setattr__(self, "_by_edge", cached)
        return cached

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON document of ``symbp explain --format json``."""
        from ..render.json import to_json

        return to_json(self, indent=indent)

    def to_dict(self) -> dict:
        """The JSON document as Python data."""
        from ..render.json import to_dict

        return to_dict(self)

    def to_latex(self, *, standalone: bool = False) -> str:
        """LaTeX: ``align*`` blocks, or a whole document with ``standalone``."""
        from ..render.latex import to_latex

        return to_latex(self, standalone=standalone)

    def to_markdown(self) -> str:
        """Markdown with ``$…$`` math (GitHub, Jupyter)."""
        from ..render.markdown import to_markdown

        return to_markdown(self)

    def to_dot(self) -> str:
        """The graph as Graphviz DOT text."""
        from ..render.dot import to_dot

        return to_dot(self)

    def to_python(self) -> str:
        """A staged Python module: ``forward_backward(inputs…) -> (value, gradient)``."""
        from ..render.python import to_python

        return to_python(self)

    def _repr_latex_(self) -> str:
        from ..render.jupyter import latex

        return latex(self)

    def _repr_markdown_(self) -> str:
        from ..render.jupyter import markdown

        return markdown(self)

    def _repr_svg_(self) -> str | None:
        from ..render.jupyter import svg

        return svg(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from ..render.jupyter import mimebundle

        return mimebundle(self, include=include, exclude=exclude)

    def __rich_console__(self, console, options):
        from ..render.terminal import render

        with long_int_text():  # the renderables hold text only: build them all here
            renderables = list(render(self))
        yield from renderables

    def __str__(self) -> str:
        from ..render.terminal import to_text

        return to_text(self)


@with_long_int_text
def explain(
    source,
    at: Mapping[str, object] | Iterable[str] | str | None = None,
    wrt: Iterable[str] | str | None = None,
    *,
    output: str | None = None,
    share: bool = True,
    max_paths: int = 8,
    sections: Iterable[str] | None = None,
    full: bool = False,
    strict: bool = True,
) -> Explanation:
    """Explain the derivatives of ``source`` step by step.

    ``source`` is program text (``"e=(a+b)*(b+1)"``), a SymPy expression or a
    :class:`Graph`.  ``at`` gives the point (``{"a": 2, "b": 1}`` or ``"a=2,b=1"``);
    without it everything stays symbolic.  ``wrt`` narrows the paths and forward
    mode to some inputs.  ``max_paths`` caps the paths listed per input,
    ``sections`` picks what renderers show and ``full`` turns off summarizing of
    big graphs.  With ``strict`` (the default) a failed self-check raises
    :class:`~symbp.errors.CheckFailure` carrying the explanation.
    """
    at = arguments.point(at, "explain")
    wrt = arguments.name_list(wrt, "explain", "wrt")
    sections = arguments.name_list(sections, "explain", "sections")
    arguments.text_or_none(output, "explain", "output")
    max_paths = arguments.whole_number(max_paths, "explain", "max_paths")
    for parameter, value in (("share", share), ("full", full), ("strict", strict)):
        arguments.flag(value, "explain", parameter)
    graph, notes = _graph_and_notes(source, output=output, share=share)
    point = complete_point(graph, parse_point(at))
    wrt = _wrt(graph, wrt)
    shown = _sections(sections)
    with _collector_paused():
        explanation = _derive(graph, point, wrt, notes, shown, full, max_paths)
    if strict and not explanation.ok:
        failed = ", ".join(f"{c.name} ({c.detail})" for c in explanation.failures)
        error = CheckFailure(f"self-check failed — this is a bug in symbp: {failed}")
        error.explanation = explanation
        raise error
    return explanation


class Gradient(dict):
    """∂output/∂input for every input (a ``dict``), with the self-checks that ran on it.

    ``form`` says how a symbolic gradient is written: ``"inputs"`` (expressions in the
    inputs) or ``"nodes"`` (in node names and the adjoints ``where`` defines: a pair
    ``(symbol, definition)`` per adjoint, output first, each definition in node names and
    the adjoints before it).  A gradient at a point has ``form`` ``"values"``.
    """

    checks: tuple[Check, ...] = ()
    form: str = "values"
    where: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    depth: int = 0
    graph: Graph | None = None

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.passed is not False for check in self.checks)


FORMS = ("auto", "inputs", "nodes")
"""How :func:`gradient` writes a symbolic gradient (``auto``: inputs when shallow enough)."""


@with_long_int_text
def gradient(source, at: Mapping[str, object] | Iterable[str] | str | None = None, *,
             check: bool = True, form: str = "auto") -> Gradient:
    """∂output/∂input for every input, by the reverse sweep alone (no paths).

    With ``at``, values (exact for exact inputs, floats otherwise); without it,
    SymPy expressions: in the inputs (``form="inputs"``) or, for a graph too deep or too
    large to write out (:data:`~symbp.limits.SYMBOLIC_DEPTH`), in node names with the
    adjoints defined one per node in ``result.where`` (``form="nodes"``); ``"auto"``
    picks the inputs when it can.  With ``check`` (the default) the result is
    compared with ``sympy.diff`` (symbolically, for graphs small enough to write out)
    and with finite differences at the point, as :func:`explain` does: a failure
    raises :class:`~symbp.errors.CheckFailure`; checks that could not judge are in
    ``result.checks``.  ``check=False`` is the fast path for programs and benchmarks.
    An exact value whose digits cannot be certified is an error, never a guess.
    """
    at = arguments.point(at, "gradient")
    arguments.flag(check, "gradient", "check")
    if form not in FORMS:
        raise SymbpError(f"gradient: form must be one of {', '.join(FORMS)}, got {form!r}")
    graph = to_graph(source)
    point = complete_point(graph, parse_point(at))
    form = _form(graph, form) if point is None else "values"
    with _collector_paused():
        if form == "nodes":
            result, where = _gradient_in_nodes(graph)
            result = Gradient(result)
            result.where = where
        else:
            result = Gradient(_gradient(graph, point))
    result.form, result.depth, result.graph = form, graph.depth(), graph
    if point is not None:
        _certify(graph, point, result)
    if check:
        result.checks = _gradient_checks(graph, point, None if form == "nodes" else result)
        if not result.ok:
            failed = ", ".join(f"{c.name} ({c.detail})" for c in result.checks
                               if c.passed is False)
            error = CheckFailure(f"self-check failed — this is a bug in symbp: {failed}")
            error.gradient = result
            raise error
    return result


def _form(graph: Graph, form: str) -> str:
    """The form of a symbolic gradient: ``inputs`` when the graph can be written out."""
    if _writable(graph):
        return "inputs" if form == "auto" else form
    if form == "inputs":
        depth = graph.depth()
        why = (f"nested {depth:,} levels deep; symbp writes out at most {SYMBOLIC_DEPTH} "
               "levels (SymPy walks expressions recursively)" if depth > SYMBOLIC_DEPTH
               else f"too large to write out ({len(graph.nodes):,} nodes; written out, "
               f"{graph.tree_size():,} operations; the limits are {SYMBOLIC_NODES:,} and "
               f"{SYMBOLIC_TREE:,})")
        raise LimitError(f"the gradient in the inputs would be {why}; {{how}} writes it in "
                         "node names", parameter="form", setting="nodes")
    return "nodes"


def _gradient_in_nodes(graph: Graph):
    """The reverse sweep in node names, each adjoint named ``d<output>/d<node>`` and defined
    once (in node names and the adjoints of its consumers): shallow whatever the depth."""
    partials = partials_in(graph, graph.symbols)
    out = graph.output
    where: list[tuple[sympy.Symbol, sympy.Expr]] = []

    def named(total):
        # the adjoints come in sweep order: the output first, then each node once
        symbol = sympy.Dummy(f"adjoint{len(where)}")
        where.append((symbol, total))
        return symbol

    adjoint = reverse_sweep(graph, partials, record=False, tidy=named)[1]
    node_of = {symbol: v for v, symbol in adjoint.items()}
    # the output's adjoint is 1; every other node's gets a name, every input's is the result
    names = {symbol: sympy.Symbol(f"d{out}/d{v}", real=True) for v, symbol in adjoint.items()}
    names[adjoint[out]] = sympy.S.One
    totals = {node_of[symbol]: total.xreplace(names) for symbol, total in where}
    order = [node_of[symbol] for symbol, _ in where]  # sweep order: the output first
    defined = tuple((names[adjoint[v]], totals[v]) for v in order
                    if v != out and not graph[v].is_input)
    return {x: totals.get(x, sympy.S.Zero) for x in graph.inputs}, defined



def _certify(graph: Graph, point, result: dict) -> None:
    """Refuse to hand out an exact value whose leading digits are not certain."""
    for x, value in result.items():
        if isinstance(value, float) or certain(value, 15) is not None:
            continue
        raise SymbpError(
            f"d{shown_name(graph.output)}/d{shown_name(x)} cannot be computed to 15 certain "
            "digits at this point: its digits cancel (or it is too large or too small) "
            "beyond what symbp's precision budget allows; try another point")


def _gradient_checks(graph: Graph, point, result: dict | None) -> tuple[Check, ...]:
    """``result``: the gradient at ``point`` or in the inputs (``None`` in node names)."""
    symbolic = _writable(graph)
    in_inputs = (dict(result) if point is None else _gradient_in_inputs(graph)) \
        if symbolic and result is not None else {}
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
    elif not in_inputs:
        checks.append(_first_inputs(_at_random_point(graph, checked), checked, graph.inputs))
    return tuple(checks)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: a sweep allocates one object per edge and
    frees none before the end, so collections would only re-scan them (a third of the
    time at 10⁵ edges).  Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _gradient(graph: Graph, point) -> dict:
    if point is None:
        env, seed, tidy = _expressions(graph), sympy.S.One, None
        local = partials_in(graph, env)
    else:
        env = values(graph, point)
        local = partials_in(graph, env)
        if not all(is_defined(value) for value in local.values()):
            local_partials(graph, env)  # raises the DomainError naming the edge and point
        seed, tidy = (1.0 if in_floats(env) else sympy.S.One), bounded
    adjoint = reverse_sweep(graph, local, record=False, seed=seed, tidy=tidy)[1]
    return {x: adjoint[x] for x in graph.inputs}


# -- assembly --------------------------------------------------------------------------------

def _graph_and_notes(source, *, output, share) -> tuple[Graph, list[str]]:
    if isinstance(source, str):
        return parse_program(source, share=share, output=output)
    graph = to_graph(source)
    if output is not None and output != graph.output:
        raise SymbpError("output= applies to program text; build the graph with that output")
    return graph, []


def _wrt(graph: Graph, names: list[str] | None) -> tuple[str, ...]:
    if names is None:
        return graph.inputs
    if not names:  # --wrt "": no paths, no forward mode, yet a cost table of sweeps
        raise SymbpError(f"--wrt is empty; give one or more inputs: {', '.join(graph.inputs)}")
    unknown = [n for n in names if n not in graph.inputs]
    if unknown:
        raise SymbpError(
            f"--wrt {', '.join(unknown)}: not an input; inputs are {', '.join(graph.inputs)}")
    return tuple(n for n in graph.inputs if n in names)


def _sections(names: list[str] | None) -> tuple[str, ...]:
    if names is None:
        return SECTIONS
    if not names:  # --show "": a header and nothing else
        raise SymbpError(f"--show is empty; choose one or more of {', '.join(SECTIONS)}")
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise SymbpError(
            f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return tuple(s for s in SECTIONS if s in names)


def _expressions(graph: Graph) -> dict[str, sympy.Expr]:
    """Every node written out in the inputs (shared SymPy subtrees, built once each)."""
    from ..core.rules import rule_for

    env: dict[str, sympy.Expr] = {}
    for node in graph.nodes:
        if node.is_input:
            env[node.name] = graph.symbols[node.name]
            continue
        value = rule_for(node.op).value(*graph.operand_values(node.name, env))
        if _not_finite(value):
            # e.g. y = x/(a - a): undefined for every value of the inputs
            raise DomainError(f"undefined: {rule_for(node.op).domain} at node "
                              f"{shown_name(node.name)}, whatever the inputs are")
        env[node.name] = value
    return env


_NOT_FINITE = frozenset({sympy.zoo, sympy.nan, sympy.oo, -sympy.oo})


def _not_finite(value) -> bool:
    """``zoo``/``nan``/``oo`` made by this node: its operands were finite, and SymPy lifts
    these to the top (``x/0`` is ``zoo·x``), so one level is enough (``has`` would walk
    a shared tree exponentially often)."""
    return value in _NOT_FINITE or any(arg in _NOT_FINITE for arg in value.args)


def _derive(graph, point, wrt, notes, sections, full, max_paths) -> Explanation:
    node_values = values(graph, point) if point is not None else None
    one = 1.0 if node_values is not None and in_floats(node_values) else sympy.S.One
    partials = local_partials(graph, node_values)
    symbolic_partials = {p.edge: p.expr for p in partials}
    numeric_partials = {p.edge: p.value for p in partials} if point is not None else None
    symbolic = _writable(graph)
    warnings = kinks(graph, node_values) if node_values is not None else []
    notes = list(notes)
    if node_values is not None and isinstance(one, float) and not is_float_point(point):
        notes.append("the graph is large or deep and has transcendental functions: values are "
                     "computed in floats, not exactly")
    elif node_values is not None and grew_large(node_values):
        notes.append("exact values that grew long are shown as decimals (≈, every digit "
                     "shown is certain); --format json has them exactly")

    reverse = _sweep("reverse", graph, graph.output, symbolic_partials, numeric_partials,
                     symbolic, one)
    forward_inputs = wrt
    if not full and len(graph.edges) > BIG_EDGES and len(wrt) > BIG_FORWARD_INPUTS:
        forward_inputs = wrt[:BIG_FORWARD_INPUTS]
        notes.append(
            f"forward mode shown for {', '.join(forward_inputs)} only ({len(wrt)} inputs; "
            "use --full or --wrt for others)")
    forward = {
        x: _sweep("forward", graph, x, symbolic_partials, numeric_partials, symbolic, one)
        for x in forward_inputs
    }
    paths = _paths(graph, wrt, symbolic_partials, numeric_partials, max_paths, symbolic)
    gradient_quantities = {x: reverse.totals.get(x, Quantity(None, None)) for x in graph.inputs}
    if point is None and not symbolic:
        depth = graph.depth()
        why = (f"nested {depth:,} levels deep (symbolic forms are written out to "
               f"{SYMBOLIC_DEPTH} levels)" if depth > SYMBOLIC_DEPTH else "too large")
        notes.append(f"the graph is {why} for full symbolic expressions; give a point "
                     "with --at to see every value")
    in_inputs = _gradient_in_inputs(graph) if symbolic else {}
    checks = _checks(graph, point, wrt, paths, forward, reverse, in_inputs, bool(warnings),
                     full)
    return Explanation(
        graph=graph,
        point=point,
        values=node_values,
        wrt=wrt,
        partials=partials,
        paths=paths,
        forward=forward,
        reverse=reverse,
        gradient=gradient_quantities,
        cost=cost(graph),
        checks=checks,
        warnings=tuple(warnings),
        notes=tuple(notes),
        sections=sections,
        full=full,
        max_paths=max_paths,
        symbolic=symbolic,
        gradient_in_inputs=in_inputs,
    )


def _sweep(mode, graph, seed, symbolic_partials, numeric_partials, symbolic, one) -> Sweep:
    def run(partials, one=sympy.S.One, tidy=None):
        if mode == "forward":
            return forward_sweep(graph, seed, partials, seed=one, tidy=tidy)
        return reverse_sweep(graph, partials, seed=one, tidy=tidy)

    sym_steps, sym_totals = run(symbolic_partials) if symbolic else ([], {})
    if numeric_partials is not None:
        num_steps, num_totals = run(numeric_partials, one, bounded)
    else:
        num_steps, num_totals = [], {}
    template = sym_steps or num_steps
    if not template:  # big and symbolic-only: record the recurrence (partials) alone
        template = _bare_steps(mode, graph, seed, symbolic_partials)
    steps = tuple(
        _merge(step, sym_steps[i] if sym_steps else None, num_steps[i] if num_steps else None)
        for i, step in enumerate(template)
    )
    names = sym_totals.keys() | num_totals.keys()
    totals = {
        name: Quantity(sym_totals.get(name), num_totals.get(name))
        for name in graph.index
        if name in names
    }
    return Sweep(mode, seed, steps, totals)


def _bare_steps(mode, graph, seed, symbolic_partials) -> list[SweepStep]:
    """Which edges a sweep uses, in order, without building any expression."""
    if mode == "reverse":
        order = reversed(graph.nodes)
        return [SweepStep(e, symbolic_partials[e], None, None)
                for node in order for e in graph.in_edges[node.name]]
    reached = {seed}
    steps = []
    for node in graph.nodes[graph.index[seed] + 1:]:
        for edge in graph.in_edges[node.name]:
            if edge.source in reached:
                steps.append(SweepStep(edge, symbolic_partials[edge], None, None))
        if any(e.source in reached for e in graph.in_edges[node.name]):
            reached.add(node.name)
    return steps


def _merge(template: SweepStep, sym: SweepStep | None, num: SweepStep | None) -> Step:
    return Step(
        edge=template.edge,
        partial=template.partial if sym is None else sym.partial,
        partial_value=None if num is None else num.partial,
        carried=None if sym is None else sym.carried,
        carried_value=None if num is None else num.carried,
        contribution=None if sym is None else sym.contribution,
        contribution_value=None if num is None else num.contribution,
    )


def _paths(graph, wrt, symbolic_partials, numeric_partials, max_paths, symbolic):
    counts = paths_to_output(graph)
    result = {}
    for x in wrt:
        summable = counts[x] <= PATH_SUM_LIMIT  # beyond: counted exactly, listed up to the cap
        terms = path_terms(graph, x, symbolic_partials, numeric_partials,
                           None if summable else max_paths)
        total = sympy.Add(*(t.product for t in terms)) if summable and symbolic else None
        total_value = (
            add_up([t.value for t in terms])
            if summable and numeric_partials is not None
            else None
        )
        result[x] = InputPaths(x, counts[x], tuple(terms[:max_paths]), total, total_value)
    return result


def _gradient_in_inputs(graph: Graph) -> dict[str, sympy.Expr]:
    env = _expressions(graph)
    adjoint = reverse_sweep(graph, partials_in(graph, env), record=False)[1]
    return {x: adjoint[x] for x in graph.inputs}


def _checks(graph, point, wrt, paths, forward, reverse, in_inputs, kinked, full):
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


FD_INPUTS = 12
"""Inputs checked by finite differences unless ``full`` (each costs several evaluations)."""


def _first_inputs(check: Check, checked, wrt) -> Check:
    if len(checked) == len(wrt):
        return check
    return replace(check, detail=f"{check.detail} (first {len(checked)} of {len(wrt)} "
                   "inputs; --full checks all)")


def _at_random_point(graph: Graph, wrt) -> Check:
    """The float reverse sweep at a random point against finite differences there."""
    rng = random.Random(0)
    for _ in range(20):
        point = {x: sympy.Float(round(rng.uniform(0.5, 1.5), 6)) for x in graph.inputs}
        try:
            result = gradient(graph, at=point, check=False)
        except SymbpError:
            continue  # outside the domain: try another point
        check = compare_with_finite_differences(graph, point, result, wrt)
        if check.passed is not None:
            shown = ", ".join(f"{k} = {float(v):g}" for k, v in list(point.items())[:4])
            return replace(check, method=f"central differences at a random point ({shown}"
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
