"""``symbp.explain``: collects every analysis of one graph at one point into an inert
:class:`~symbp.explanation.records.Explanation`.

Data flows one way: source → Graph → analyses (values, local partials, paths,
forward, reverse, cost, checks) → Explanation → renderers.  The Explanation holds
plain records only; renderers never compute mathematics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy

from .. import arguments
from ..core.collector import collector_paused
from ..core.cost import cost
from ..core.evaluate import bounded, complete_point, grew_large, in_floats, values
from ..core.forward import SweepStep, add_up, forward_sweep
from ..core.graph import Graph
from ..core.names import input_named
from ..core.numeric import is_float_point
from ..core.partials import kinks, local_partials
from ..core.paths import path_terms, paths_to_output
from ..core.reverse import reverse_sweep
from ..errors import PARAMETER, CheckFailure, SymbpError, option
from ..limits import SYMBOLIC_DEPTH, with_long_int_text
from ..read.parse import parse_program
from ..read.point import parse_point
from ..read.source import to_graph
from .adjoints import gradient_in_inputs, writable
from .checks import explanation_checks
from .records import (
    PATH_SUM_LIMIT,
    SECTIONS,
    Explanation,
    InputPaths,
    Quantity,
    Steps,
    Sweep,
    Totals,
)

__all__ = ["BIG_EDGES", "BIG_FORWARD_INPUTS", "explain"]

BIG_EDGES = 200
"""Above this many edges a graph is "big": forward mode runs for a few inputs unless ``full``."""
BIG_FORWARD_INPUTS = 3


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
    with collector_paused():
        explanation = _derive(graph, point, wrt, notes, shown, full, max_paths)
    if strict and not explanation.ok:
        failed = ", ".join(f"{c.name} ({c.detail})" for c in explanation.failures)
        error = CheckFailure(f"self-check failed — this is a bug in symbp: {failed}")
        error.explanation = explanation
        raise error
    return explanation



# -- assembly --------------------------------------------------------------------------------

def _graph_and_notes(source, *, output, share) -> tuple[Graph, list[str]]:
    if isinstance(source, str):
        return parse_program(source, share=share, output=output)
    graph = to_graph(source)
    if output is not None and output != graph.output:
        raise SymbpError("output= applies to program text; build the graph with that output")
    return _reaching_output(graph)


def _reaching_output(graph: Graph) -> tuple[Graph, list[str]]:
    """The graph without the nodes its output does not read, and a note naming them.

    The parser drops a program's unused lines the same way; a graph built through the API
    may still hold them, and they have no path, no adjoint and nothing to explain."""
    keep = {graph.output}
    for node in reversed(graph.nodes):
        if node.name in keep:
            keep.update(node.operands)
    if len(keep) == len(graph):
        return graph, []
    dropped = [node.name for node in graph.nodes if node.name not in keep]
    listed = ", ".join(dropped[:8]) + (f" and {len(dropped) - 8} more" if len(dropped) > 8
                                        else "")
    kept = [node for node in graph.nodes if node.name in keep]
    return (Graph(kept, graph.output, generated_names=True),
            [f"not used by the output {graph.output}: {listed}"])


def _wrt(graph: Graph, names: list[str] | None) -> tuple[str, ...]:
    if names is None:
        return graph.inputs
    if not names:  # --wrt "": no paths, no forward mode, yet a cost table of sweeps
        raise SymbpError(f"{PARAMETER} is empty; give one or more inputs: "
                         f"{', '.join(graph.inputs)}", parameter="wrt")
    inputs = set(graph.inputs)
    names = [input_named(inputs, n) for n in names]
    unknown = [n for n in names if n not in inputs]
    if unknown:
        raise SymbpError(
            f"{PARAMETER} {', '.join(unknown)}: not an input; inputs are "
            f"{', '.join(graph.inputs)}", parameter="wrt")
    return tuple(n for n in graph.inputs if n in names)


def _sections(names: list[str] | None) -> tuple[str, ...]:
    if names is None:
        return SECTIONS
    if not names:  # --show "": a header and nothing else
        raise SymbpError(f"{PARAMETER} is empty; choose one or more of {', '.join(SECTIONS)}",
                         parameter="sections")
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise SymbpError(
            f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return tuple(s for s in SECTIONS if s in names)


def _derive(graph, point, wrt, notes, sections, full, max_paths) -> Explanation:
    node_values = values(graph, point) if point is not None else None
    one = 1.0 if node_values is not None and in_floats(node_values) else sympy.S.One
    partials = local_partials(graph, node_values)
    # built on first look-up: a big graph shows a few of its partials (core/partials.py)
    symbolic_partials = partials.symbolic if partials else {}
    numeric_partials = partials.numeric if point is not None else None
    symbolic = writable(graph)
    warnings = kinks(graph, node_values) if node_values is not None else []
    notes = list(notes)
    if node_values is not None and isinstance(one, float) and not is_float_point(point):
        notes.append("the graph is large or deep and has transcendental functions: values are "
                     "computed in floats, not exactly")
    elif node_values is not None and grew_large(node_values):
        notes.append("exact values that grew long are shown as decimals (≈, every digit "
                     f"shown is certain); {option('format', 'to_json()', 'json')} has them exactly")

    reverse = _sweep("reverse", graph, graph.output, symbolic_partials, numeric_partials,
                     symbolic, one)
    forward_inputs = wrt
    if not full and len(graph.edges) > BIG_EDGES and len(wrt) > BIG_FORWARD_INPUTS:
        forward_inputs = wrt[:BIG_FORWARD_INPUTS]
        notes.append(
            f"forward mode shown for {', '.join(forward_inputs)} only ({len(wrt)} inputs; "
            f"use {option('full', 'full=True')} or {option('wrt', 'wrt=[…]')} for others)")
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
    in_inputs = gradient_in_inputs(graph) if symbolic else {}
    checks = explanation_checks(graph, point, wrt, paths, forward, reverse, in_inputs,
                                bool(warnings), full)
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
    steps = Steps(template, sym_steps, num_steps)  # paired when looked at
    names = sym_totals.keys() | num_totals.keys()
    totals = Totals([name for name in graph.index if name in names], sym_totals, num_totals)
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
