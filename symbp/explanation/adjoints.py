"""The gradient of a graph by the reverse sweep alone, unchecked.

In the inputs (:func:`gradient_in_inputs`, when the graph is small and shallow enough to
write out: :func:`writable`), in node names with one adjoint defined per node
(:func:`gradient_in_nodes`), or at a point (:func:`reverse_gradient`); :func:`gradient_of`
picks the form and certifies exact values.  :mod:`symbp.explanation.gradient` and the
self-checks build on these.
"""

from __future__ import annotations

import sympy

from ..core import symengine_sweep
from ..core.canonical import product, total
from ..core.collector import collector_paused
from ..core.evaluate import bounded, in_floats, in_floats_when_exact, is_defined, values
from ..core.exact import certain
from ..core.graph import Graph
from ..core.numeric import is_float_point
from ..core.partials import local_partials, partials_in
from ..core.printing import name as shown_name
from ..core.reverse import float_gradient, reverse_sweep
from ..core.rules import rule_for
from ..errors import PARAMETER, DomainError, LimitError, SymbpError
from ..limits import SYMBOLIC_DEPTH
from .records import Gradient, LazyGradient

__all__ = [
    "FORMS", "INPUTS_IN_SYMPY", "SYMBOLIC_NODES", "SYMBOLIC_TREE", "certify", "expressions",
    "gradient_in_inputs", "gradient_in_nodes", "gradient_of", "not_finite", "reverse_gradient",
    "symbolic", "writable",
]

SYMBOLIC_NODES = 300
SYMBOLIC_TREE = 5_000
"""Full symbolic expressions (in node names) are built only for graphs within these sizes
(and no deeper than :data:`~symbp.limits.SYMBOLIC_DEPTH`)."""


def writable(graph: Graph) -> bool:
    """True when the graph is small and shallow enough to write out in SymPy expressions."""
    return (len(graph.nodes) <= SYMBOLIC_NODES and graph.tree_size() <= SYMBOLIC_TREE
            and graph.depth() <= SYMBOLIC_DEPTH)


FORMS = ("auto", "inputs", "nodes")
"""How :func:`symbp.gradient` writes a symbolic gradient (``auto``: inputs when shallow enough)."""


def gradient_of(graph: Graph, point, form: str = "auto", backend: str = "sympy") -> Gradient:
    """∂output/∂input for every input of ``graph``, unchecked: at ``point`` (its exact
    values certified), or symbolic in ``form`` (``auto``, ``inputs`` or ``nodes``), built
    by ``backend`` (:data:`~symbp.core.symengine_sweep.BACKENDS`; see :func:`symbolic`)."""
    form = _form(graph, form) if point is None else "values"
    note = ""
    with collector_paused():
        if form == "values":
            result = Gradient(reverse_gradient(graph, point))
        else:
            result, note = symbolic(graph, form, backend)
    result.form, result.graph = form, graph
    if not isinstance(result, LazyGradient):  # a LazyGradient measures it when asked
        result.depth = graph.depth()
    if note:
        result.backend_note = note
    if point is not None:
        certify(graph, point, result)
    return result


INPUTS_IN_SYMPY = ("the gradient in the inputs is built in SymPy: SymEngine writes products "
                   "in its own canonical form (exp(a)·exp(b) as exp(a + b), x^a·x^b as "
                   "x^(a + b), 2·(a + b) kept whole), which SymPy's would not be")
"""Why ``form="inputs"`` never uses SymEngine (measured: 24 of 307 random programs differed)."""


def symbolic(graph: Graph, form: str, backend: str) -> tuple[Gradient, str]:
    """The symbolic gradient in ``form`` (``inputs`` or ``nodes``), and why SymPy built it
    when SymEngine was asked for (``backend="symengine"``) or available (``"auto"``).

    In node names SymEngine builds exactly SymPy's expressions (the same products and sums
    of node symbols and local partials; ``tests/core/test_symengine_sweep.py`` compares
    them), 3–6× faster, so ``auto`` uses it when installed; the result is a
    :class:`~symbp.explanation.records.LazyGradient`, converted to SymPy on first access.
    In the inputs SymEngine's canonical form differs from SymPy's (:data:`INPUTS_IN_SYMPY`),
    so SymPy builds it."""
    note = ""
    if backend != "sympy":
        if symengine_sweep.engine() is None:
            note = "" if backend == "auto" else symengine_sweep.NOT_INSTALLED
        elif form == "inputs":
            note = INPUTS_IN_SYMPY
        else:
            built = symengine_sweep.in_nodes(graph)
            if not isinstance(built, str):
                values, where = built
                return (LazyGradient(values, where, symengine_sweep.ToSymPy(graph)),
                        "")
            note = built
    if form == "nodes":
        values, where = gradient_in_nodes(graph)
        result = Gradient(values)
        result.where = where
    else:
        result = Gradient(reverse_gradient(graph, None))
    return result, note


def _form(graph: Graph, form: str) -> str:
    """The form of a symbolic gradient: ``inputs`` when the graph can be written out."""
    if form == "nodes":
        return form  # any graph can be written in node names: no need to measure it
    if writable(graph):
        return "inputs" if form == "auto" else form
    if form == "inputs":
        depth = graph.depth()
        why = (f"nested {depth:,} levels deep; symbp writes out at most {SYMBOLIC_DEPTH} "
               "levels (SymPy walks expressions recursively)" if depth > SYMBOLIC_DEPTH
               else f"too large to write out ({len(graph.nodes):,} nodes; written out, "
               f"{graph.tree_size():,} operations; the limits are {SYMBOLIC_NODES:,} and "
               f"{SYMBOLIC_TREE:,})")
        raise LimitError(f"the gradient in the inputs would be {why}; {PARAMETER} writes it in "
                         "node names", parameter="form", setting="nodes")
    return "nodes"


def gradient_in_nodes(graph: Graph):
    """The reverse sweep in node names, each adjoint named ``d<output>/d<node>`` and defined
    once (in node names and the adjoints of its consumers): shallow whatever the depth.

    Each edge adds one product (its consumer's adjoint name times its local partial) and
    each node one sum, built in SymPy's canonical form directly (:mod:`symbp.core.canonical`):
    linear in the size of the graph, and the same objects SymPy's evaluation would give."""
    partial = partials_in(graph, graph.symbols)
    out = graph.output
    terms: dict[str, list] = {out: []}
    where: list[tuple[sympy.Symbol, sympy.Expr]] = []
    result: dict[str, sympy.Expr] = {}
    in_edges = graph.in_edges
    for node in reversed(graph.nodes):  # sweep order: the output first
        v = node.name
        pending = terms.pop(v, None)
        if pending is None:
            continue  # not an ancestor of the output
        if v == out:
            carried = None  # ∂out/∂out = 1: the output's operands get their partials
            if node.is_input:
                result[v] = sympy.S.One
        else:
            adjoint = total(pending)
            if node.is_input:
                result[v] = adjoint
                continue
            carried = sympy.Symbol(f"d{out}/d{v}", real=True)
            where.append((carried, adjoint))
        for edge in in_edges[v]:
            local = partial[edge]
            contribution = local if carried is None else product(carried, local)
            waiting = terms.get(edge.source)
            if waiting is None:
                terms[edge.source] = [contribution]
            else:
                waiting.append(contribution)
    return {x: result.get(x, sympy.S.Zero) for x in graph.inputs}, tuple(where)


def certify(graph: Graph, point, result: dict) -> None:
    """Refuse to hand out an exact value whose leading digits are not certain."""
    for x, value in result.items():
        if isinstance(value, float) or certain(value, 15) is not None:
            continue
        raise SymbpError(
            f"d{shown_name(graph.output)}/d{shown_name(x)} cannot be computed to 15 certain "
            "digits at this point: its digits cancel (or it is too large or too small) "
            "beyond what symbp's precision budget allows; try another point")


def reverse_gradient(graph: Graph, point) -> dict:
    """The reverse sweep's gradient at ``point``, or in the inputs when ``point`` is None."""
    if point is None:
        env, seed, tidy = expressions(graph), sympy.S.One, None
        local = partials_in(graph, env)
    else:
        if is_float_point(point) or in_floats_when_exact(graph):
            fast = float_gradient(graph, point)  # the same floats, by position
            if fast is not None:
                return fast
        # exact values, or a value or partial that is undefined: this path names it
        env = values(graph, point)
        local = partials_in(graph, env)
        if not all(is_defined(value) for value in local.values()):
            local_partials(graph, env)  # raises the DomainError naming the edge and point
        seed, tidy = (1.0 if in_floats(env) else sympy.S.One), bounded
    adjoint = reverse_sweep(graph, local, record=False, seed=seed, tidy=tidy)[1]
    # an input that does not reach the output: ∂output/∂input = 0
    return {x: adjoint.get(x, seed * 0) for x in graph.inputs}


def expressions(graph: Graph) -> dict[str, sympy.Expr]:
    """Every node written out in the inputs (shared SymPy subtrees, built once each)."""
    env: dict[str, sympy.Expr] = {}
    for node in graph.nodes:
        if node.is_input:
            env[node.name] = graph.symbols[node.name]
            continue
        value = rule_for(node.op).value(*graph.operand_values(node.name, env))
        if not_finite(value):
            # e.g. y = x/(a - a): undefined for every value of the inputs
            raise DomainError(f"undefined: {rule_for(node.op).domain} at node "
                              f"{shown_name(node.name)}, whatever the inputs are")
        env[node.name] = value
    return env


_NOT_FINITE = frozenset({sympy.zoo, sympy.nan, sympy.oo, -sympy.oo})


def not_finite(value) -> bool:
    """``zoo``/``nan``/``oo`` made by this node: its operands were finite, and SymPy lifts
    these to the top (``x/0`` is ``zoo·x``), so one level is enough (``has`` would walk
    a shared tree exponentially often)."""
    return value in _NOT_FINITE or any(arg in _NOT_FINITE for arg in value.args)


def gradient_in_inputs(graph: Graph) -> dict[str, sympy.Expr]:
    """The gradient written out in the inputs (for graphs that are :func:`writable`)."""
    env = expressions(graph)
    adjoint = reverse_sweep(graph, partials_in(graph, env), record=False)[1]
    return {x: adjoint.get(x, sympy.S.Zero) for x in graph.inputs}  # 0: not reaching the output
