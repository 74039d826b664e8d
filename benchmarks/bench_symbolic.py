"""1. Exact symbolic gradients: symbp.gradient beside sympy.diff and SymEngine's diff.

Diamond chains (paths grow exponentially, nodes linearly) and the quadratic cost of sigmoid
MLPs; results compared at a random point (:mod:`oracles`).
"""

from __future__ import annotations

import random

import sympy
from oracles import max_relative_error
from report import Report, seconds, symengine, target, times, timing_cell
from timing import Timing, ratio, side_by_side
from workloads import diamond_chain, mlp_cost_graph

import symbp
from symbp.core.graph import Graph
from symbp.core.paths import count_paths
from symbp.network.graph import parameter_names


def to_symengine(graph: Graph) -> tuple[dict, object]:
    """The graph's output as a SymEngine expression, built node by node (shared subtrees)."""
    se = symengine
    ops = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "pow": lambda a, b: a**b, "neg": lambda a: -a,
        "sin": se.sin, "cos": se.cos, "tan": se.tan, "exp": se.exp, "log": se.log,
        "sqrt": se.sqrt, "tanh": se.tanh, "sinh": se.sinh, "cosh": se.cosh, "atan": se.atan,
        "sigmoid": lambda a: 1 / (1 + se.exp(-a)),
    }
    env: dict = {}
    for node in graph.nodes:
        if node.is_input:
            env[node.name] = se.Symbol(node.name)
        else:
            args = [env[a] if isinstance(a, str) else se.sympify(a) for a in node.args]
            env[node.name] = ops[node.op](*args)
    return {x: env[x] for x in graph.inputs}, env[graph.output]


def _converted(graph):
    """symbp.gradient by SymEngine, then every SymPy expression read (values and where)."""
    result = symbp.gradient(graph, check=False, form="nodes", backend="symengine")
    dict(result), result.where
    return result


def symbolic_row(report_rows, label, make_graph, wrt_names, *, reps, budget, predicted):
    """Time symbp.gradient (each backend), sympy.diff and symengine on one graph; return
    sympy.diff's time and its ratio to symbp's SymPy backend."""
    graph = make_graph()
    f = graph.expression()  # built once, outside every timing
    wrt = [graph.symbols[x] for x in wrt_names]
    tools = {  # symbp's tools get a fresh Graph each run (built outside the timing)
        "symbp": (lambda g: symbp.gradient(g, check=False, backend="sympy"), make_graph),
        "sympy": (lambda: [sympy.diff(f, x) for x in wrt], None),
    }
    skip = {}
    if predicted is not None and predicted > budget:
        skip["sympy"] = f"predicted ≈ {seconds(predicted)} > budget {seconds(budget)}"
    if symengine is not None:
        se_symbols, se_f = to_symengine(graph)
        se_wrt = [se_symbols[x] for x in wrt_names]
        tools["symengine"] = (lambda: [se_f.diff(x) for x in se_wrt], None)
        tools["fast"] = (lambda g: symbp.gradient(g, check=False, form="nodes",
                                                  backend="symengine"), make_graph)
        tools["converted"] = (_converted, make_graph)
    else:
        for tool in ("symengine", "fast", "converted"):
            skip[tool] = "SymEngine not installed"
    timings, results = side_by_side(tools, reps=reps, skip=skip)
    base = {x: random.Random(7).uniform(0.5, 1.5) for x in graph.inputs}
    agree, worst = [], 0.0
    for ours_name in ("symbp", "converted"):
        ours = results.get(ours_name)
        if ours is None:
            continue
        point = base
        if getattr(ours, "form", "inputs") == "nodes":  # node names: the oracle needs their values
            point = _node_form_point(graph, ours, base)
        for tool in ("sympy", "symengine"):
            if tool in results:
                reference = dict(zip(wrt_names, results[tool], strict=True))
                error = max_relative_error(ours, reference, point)
                worst = max(worst, error)
                agree.append(f"{'SymEngine-built ' if ours_name == 'converted' else ''}"
                             f"{tool} {error:.0e}")
    if "converted" in results:  # the same SymPy trees as SymPy's own sweep in node names?
        own = symbp.gradient(make_graph(), check=False, form="nodes", backend="sympy")
        same = dict(results["converted"]) == dict(own) and results["converted"].where == own.where
        SAME.append(same)
        agree.append("SymEngine-built = SymPy-built: " + ("identical" if same else "DIFFERENT"))
    DIFFERENCES.append(worst)
    paths = sum(count_paths(graph, x) for x in wrt_names)
    missing = Timing(skipped="SymEngine not installed")
    report_rows.append([
        label, f"{len(graph.nodes):,}", f"{len(graph.edges):,}", f"{paths:,}",
        timing_cell(timings["symbp"]), timing_cell(timings["sympy"]),
        times(ratio(timings["sympy"], timings["symbp"])),
        timing_cell(timings.get("symengine", missing)),
        times(ratio(timings["symbp"], timings.get("symengine", Timing()))),
        timing_cell(timings.get("fast", missing)),
        times(ratio(timings.get("fast", Timing()), timings.get("symengine", Timing()))),
        timing_cell(timings.get("converted", missing)),
        times(ratio(timings.get("converted", Timing()), timings.get("symengine", Timing()))),
        "; ".join(agree) or "—",
    ])
    FAST.append(ratio(timings.get("fast", Timing()), timings.get("symengine", Timing())))
    return timings["sympy"].median, ratio(timings["sympy"], timings["symbp"])


DIFFERENCES: list[float] = []
SAME: list[bool] = []
FAST: list[float | None] = []
SYMBOLIC_HEADER = ["graph", "nodes", "edges", "paths from the inputs differentiated",
                   "symbp.gradient, SymPy", "sympy.diff", "sympy.diff time / symbp's",
                   "symengine diff", "symbp SymPy / symengine",
                   "symbp.gradient, SymEngine (node names)", "symbp SymEngine / symengine",
                   "… and read in SymPy", "read in SymPy / symengine",
                   "largest relative difference at a random point"]


SYMPY_BUDGET = {"quick": 20.0, "full": 240.0}
"""Longest single sympy.diff run (seconds, extrapolated) the benchmark waits for."""


def run(report: Report, quick: bool) -> None:
    budget = SYMPY_BUDGET["quick" if quick else "full"]
    report.section("1. Exact symbolic gradient w.r.t. every input", (
        "- *symbp.gradient*: `symbp.gradient(graph, check=False)` on an already-built Graph "
        "(no point): "
        "every node written out in the inputs, the local partials, the reverse sweep. "
        "A fresh Graph object each run (built outside the timing), so nothing is cached "
        "between runs.\n"
        "- *sympy.diff*: `[sympy.diff(f, x) for x in inputs]`, with `f = graph.expression()` "
        "built once outside the timing (the same SymPy objects symbp builds).\n"
        "- *symengine diff*: `[f.diff(x) for x in inputs]` on the same expression built "
        "in SymEngine (σ written as 1/(1 + e^(−z))), outside the timing.\n"
        "- *symbp.gradient, SymEngine (node names)*: `symbp.gradient(graph, check=False, "
        "form=\"nodes\", backend=\"symengine\")`: the reverse sweep in node names built in "
        "SymEngine (the local partials, one product per edge, one sum per node), returned "
        "as a LazyGradient whose SymPy expressions are not made yet; *… and read in SymPy*: "
        "the same, then every value and adjoint definition read (converted to SymPy, the "
        "very trees SymPy's own sweep builds: the last column says whether they are "
        "identical). The first column is `symbp.gradient(graph, check=False, "
        "backend=\"sympy\")` in its default form (written out in the inputs when small).\n\n"
        "SymPy's cache is cleared before every run of every tool. Medians of n runs, the "
        f"tools interleaved; a run longer than 5 s is not repeated; sympy.diff is not run "
        f"when its time, extrapolated from the two previous depths, exceeds {budget:.0f} s. "
        "Results are compared at a random point by a float evaluator that visits each "
        "shared subexpression once (the derivatives are DAGs far too long to print)."))
    for uses, depths in ((3, range(4, 17, 2)), (2, range(4, 17, 2))):
        rows: list[list[str]] = []
        previous: list[float] = []
        for depth in depths:
            predicted = None
            if len(previous) >= 2:
                predicted = previous[-1] * previous[-1] / previous[-2]
            elif previous and previous[-1] * 10 > budget:
                predicted = previous[-1] * 10
            t, r = symbolic_row(rows, f"diamond, {uses} uses/layer, depth {depth}",
                                lambda d=depth, u=uses: diamond_chain(d, u), ("x", "y"),
                                reps=5, budget=budget, predicted=predicted)
            if depth == 12 and uses == 3:
                target("≥ 1000× faster than sympy.diff at diamond depth 12",
                       f"{times(r)} (3 uses per layer)" if r else "sympy.diff not run "
                       "(raise --sympy-budget)", None if r is None else r >= 1000)
            if t is not None:
                previous.append(t)
            else:
                previous.append(predicted or float("inf"))
        formula = "sin(vᵢ₋₁) + vᵢ₋₁·cos(vᵢ₋₁)" if uses == 3 else "sin(vᵢ₋₁)·cos(vᵢ₋₁)"
        report.add(f"### (a) diamond chain, v₀ = x·y, vᵢ = {formula}: each value used {uses} "
                   f"times, {uses}^depth paths from each input\n")
        report.table(SYMBOLIC_HEADER, rows)
    rows = []
    sizes = ([2, 2, 2], [3, 4, 4, 2], [4, 8, 8, 3])
    for layers in sizes:
        names = parameter_names(mlp_cost_graph(layers)[1])
        _, r = symbolic_row(rows, f"sigmoid MLP {layers}, {len(names)} weights and biases",
                            lambda la=layers: mlp_cost_graph(la)[0], names,
                            reps=3 if quick else 5, budget=budget, predicted=None)
    target("≥ 200× faster than sympy.diff on the [4,8,8,3] MLP", times(r),
           r is not None and r >= 200)
    report.add("### (b) quadratic cost of a sigmoid network, gradient w.r.t. all weights "
               "and biases\n")
    report.add("symbp's sweep gives ∂C/∂x and ∂C/∂y too (the graph's other inputs); "
               "sympy.diff and symengine differentiate w.r.t. the parameters only.\n")
    report.table(SYMBOLIC_HEADER, rows)
    fast = [r for r in FAST if r is not None]
    if fast:
        target("symbp.gradient (SymEngine, node names) at least as fast as SymEngine's diff",
               f"{times(min(fast))} to {times(max(fast))} SymEngine's time",
               max(fast) <= 1.0)
        target("SymEngine-built gradient identical to SymPy-built after conversion",
               f"{sum(SAME)} of {len(SAME)} graphs", all(SAME))
    target("results equal (checked numerically at a random point)",
           f"largest relative difference {max(DIFFERENCES):.0e}", max(DIFFERENCES) <= 1e-9)


def _node_form_point(graph: Graph, gradient, point: dict) -> dict:
    """``point`` extended with every node's float value and every adjoint's, so the oracle
    can evaluate a gradient written in node names (``dv_8/dv_0``, defined in ``where``)."""
    from oracles import evaluate

    from symbp.core.evaluate import float_values

    extended = dict(point) | float_values(graph, point)
    for symbol, definition in gradient.where:  # the output's side first: each defined once
        extended[str(symbol)] = evaluate(definition, extended)
    return extended
