"""symbp's benchmark suite: prints each table and writes benchmarks/RESULTS.md.

    python benchmarks/run.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller budgets: a few minutes, some rows skipped
    python benchmarks/run.py --only symbolic,paths

The optional competitors come from the ``bench`` extra (``pip install -e '.[bench]'``:
symengine, micrograd) and PyTorch (``pip install torch==2.13.0``); a missing one is
skipped with a note.  Every number is a median over repetitions run side by side in
this one process (or, for whole-process timings, interleaved subprocesses); the
ratios, not the absolute times, are what carries over to another machine.
"""

from __future__ import annotations

import argparse
import compileall
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sympy  # noqa: E402
from oracles import max_relative_error  # noqa: E402
from timing import Timing, once, ratio, side_by_side  # noqa: E402
from workloads import (  # noqa: E402
    diamond_chain,
    mlp_cost_graph,
    random_graph,
    random_network,
    random_point,
    random_program,
    random_samples,
)

import symbp  # noqa: E402
from symbp.core.evaluate import float_values  # noqa: E402
from symbp.core.graph import Graph  # noqa: E402
from symbp.core.partials import partials_in  # noqa: E402
from symbp.core.paths import count_paths, iter_paths  # noqa: E402
from symbp.core.reverse import reverse_sweep  # noqa: E402
from symbp.network.backprop import backprop, batch_backprop, batch_gradient  # noqa: E402
from symbp.network.graph import parameter_names  # noqa: E402

try:
    import symengine
except ImportError:  # optional: the bench extra
    symengine = None
try:
    from micrograd.engine import Value
except ImportError:
    Value = None
try:
    import torch
except ImportError:
    torch = None

SECTIONS = ("symbolic", "growth", "paths", "end-to-end", "start-up", "networks")

TARGETS: list[tuple[str, str, bool | None]] = []
"""(target, what was measured, met?) — collected by the benches, summarized at the end."""


def target(goal: str, measured: str, met: bool | None) -> None:
    TARGETS.append((goal, measured, met))


# -- formatting ---------------------------------------------------------------------------------

def seconds(t: float | None) -> str:
    if t is None:
        return "—"
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def times(r: float | None, at_least: bool = False) -> str:
    if r is None:
        return "—"
    text = f"{r:,.0f}×" if r >= 10 else f"{r:.2f}×"
    return ("≥ " if at_least else "") + text


def timing_cell(t: Timing) -> str:
    if t.skipped:
        return f"skipped ({t.skipped})"
    return f"{seconds(t.median)} (n={t.n})"


class Report:
    """Collects the markdown tables and prints each as it is completed."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def section(self, title: str, text: str = "") -> None:
        self.add(f"## {title}\n" + (f"\n{text}\n" if text else ""))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        self.add("\n".join(lines) + "\n")

    def add(self, text: str) -> None:
        self.parts.append(text)
        print(text, flush=True)

    def text(self) -> str:
        return "\n".join(self.parts)


# -- 1. exact symbolic gradients --------------------------------------------------------------

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


def symbolic_row(report_rows, label, make_graph, wrt_names, *, reps, budget, predicted):
    """Time symbp.gradient, sympy.diff and symengine on one graph; return sympy's time."""
    graph = make_graph()
    f = graph.expression()  # built once, outside every timing
    wrt = [graph.symbols[x] for x in wrt_names]
    tools = {
        "symbp": (lambda g: symbp.gradient(g, check=False), make_graph),  # a fresh Graph each run
        "sympy": (lambda: [sympy.diff(f, x) for x in wrt], None),
    }
    skip = {}
    if predicted is not None and predicted > budget:
        skip["sympy"] = f"predicted ≈ {seconds(predicted)} > budget {seconds(budget)}"
    if symengine is not None:
        se_symbols, se_f = to_symengine(graph)
        se_wrt = [se_symbols[x] for x in wrt_names]
        tools["symengine"] = (lambda: [se_f.diff(x) for x in se_wrt], None)
    else:
        skip["symengine"] = "not installed"
    timings, results = side_by_side(tools, reps=reps, skip=skip)
    point = {x: random.Random(7).uniform(0.5, 1.5) for x in graph.inputs}
    ours = results["symbp"]
    agree, worst = [], 0.0
    for tool in ("sympy", "symengine"):
        if tool in results:
            reference = dict(zip(wrt_names, results[tool], strict=True))
            error = max_relative_error(ours, reference, point)
            worst = max(worst, error)
            agree.append(f"{tool} {error:.0e}")
    DIFFERENCES.append(worst)
    paths = sum(count_paths(graph, x) for x in wrt_names)
    report_rows.append([
        label, f"{len(graph.nodes):,}", f"{len(graph.edges):,}", f"{paths:,}",
        timing_cell(timings["symbp"]), timing_cell(timings["sympy"]),
        times(ratio(timings["sympy"], timings["symbp"])),
        timing_cell(timings.get("symengine", Timing(skipped="not installed"))),
        times(ratio(timings["symbp"], timings.get("symengine", Timing()))),
        ", ".join(agree) or "—",
    ])
    return timings["sympy"].median, ratio(timings["sympy"], timings["symbp"])


DIFFERENCES: list[float] = []
SYMBOLIC_HEADER = ["graph", "nodes", "edges", "paths from the inputs differentiated",
                   "symbp.gradient", "sympy.diff", "sympy.diff time / symbp's", "symengine diff",
                   "symbp's time / symengine's", "largest relative difference at a random point"]


SYMPY_BUDGET = {"quick": 20.0, "full": 150.0}
"""Longest single sympy.diff run (seconds, extrapolated) the benchmark waits for."""


def bench_symbolic(report: Report, quick: bool) -> None:
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
        "in SymEngine (σ written as 1/(1 + e^(−z))).\n\n"
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
    target("results equal (checked numerically at a random point)",
           f"largest relative difference {max(DIFFERENCES):.0e}", max(DIFFERENCES) <= 1e-9)


# -- 2. growth ----------------------------------------------------------------------------------

def bench_growth(report: Report, quick: bool) -> None:
    report.section("2. Growth: the reverse sweep at a float point, 10³ to 10⁵ edges", (
        "Random programs `t_i = tanh(t_j*t_k + t_l)` (operands from the previous 20 lines; "
        "8 inputs). *gradient*: `symbp.gradient(graph, at=point, check=False)` — node values, "
        "local "
        "partials and the reverse sweep, in floats — on a fresh, already-built Graph (its "
        "edge index is built inside the timing). *sweep alone*: `reverse_sweep` with the "
        "local partials given, recording one step per edge as `symbp explain` does. "
        "Peak memory: tracemalloc around `symbp.gradient`, in a separate run (tracing "
        "slows Python down)."))
    sizes = (1_000, 10_000, 100_000)
    timings = {n: (Timing(), Timing()) for n in sizes}
    reps = 3 if quick else 5
    for _ in range(reps):  # sizes interleaved, so a slow spell hits all of them
        for n in sizes:
            g = random_graph(n)
            point = random_point(g)
            seconds_, _ = once(lambda g=g, point=point: symbp.gradient(g, at=point, check=False))
            timings[n][0].runs.append(seconds_)
            local = partials_in(g, float_values(g, point))
            seconds_, _ = once(lambda g=g, local=local: reverse_sweep(g, local, seed=1.0))
            timings[n][1].runs.append(seconds_)
    rows = []
    base = {}
    for n in sizes:
        g = random_graph(n)
        point = random_point(g)
        tracemalloc.start()
        symbp.gradient(g, at=point, check=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        total, sweep = timings[n]
        per_edge = total.median / len(g.edges)
        per_sweep = sweep.median / len(g.edges)
        base.setdefault("total", per_edge)
        base.setdefault("sweep", per_sweep)
        rows.append([
            f"{len(g.nodes):,}", f"{len(g.edges):,}", timing_cell(total),
            f"{per_edge * 1e6:.2f} µs", f"{per_edge / base['total']:.2f}×",
            timing_cell(sweep), f"{per_sweep * 1e6:.2f} µs", f"{per_sweep / base['sweep']:.2f}×",
            f"{peak / 2**20:.1f} MB",
        ])
    report.table(["nodes", "edges", "gradient", "per edge", "vs 10³", "sweep alone",
                  "per edge", "vs 10³", "peak memory (gradient)"], rows)
    drift_total = per_edge / base["total"]
    drift_sweep = per_sweep / base["sweep"]
    target("time per edge roughly constant: ≤ 1.5× drift from 10³ to 10⁵ edges",
           f"gradient {drift_total:.2f}×, sweep alone {drift_sweep:.2f}×",
           drift_total <= 1.5 and drift_sweep <= 1.5)
    target("10⁵ edges under 10 s and 1 GB",
           f"{seconds(total.median)}, peak {peak / 2**20:.0f} MB",
           total.median < 10 and peak < 2**30)


# -- 3. paths -----------------------------------------------------------------------------------

def bench_paths(report: Report, quick: bool) -> None:
    report.section("3. Paths: exact count and first paths of a graph with more than 2²⁰⁰", (
        "`diamond_chain(201, uses=2)`: 2²⁰¹ paths from x. *count*: `count_paths(graph, "
        "'x')` (dynamic programming over the edges); *first 10*: "
        "`list(islice(iter_paths(graph, 'x'), 10))` (lazy depth-first search). Each run on "
        "a fresh Graph, so building its edge index is included."))
    rows = []
    count_t, first_t = Timing(), Timing()
    for _ in range(5 if quick else 11):
        seconds_, count = once(lambda g: count_paths(g, "x"), lambda: diamond_chain(201, 2))
        count_t.runs.append(seconds_)
        seconds_, first = once(lambda g: list(islice(iter_paths(g, "x"), 10)),
                               lambda: diamond_chain(201, 2))
        first_t.runs.append(seconds_)
    g = diamond_chain(201, 2)
    rows.append([f"{len(g.nodes):,}", f"{len(g.edges):,}", f"2^{count.bit_length() - 1}"
                 + (" exactly" if count == 1 << (count.bit_length() - 1) else ""),
                 timing_cell(count_t), f"{len(first)} paths of {len(first[0])} edges",
                 timing_cell(first_t)])
    report.table(["nodes", "edges", "paths from x", "count", "enumerated", "first 10"], rows)
    target("exact count of more than 2²⁰⁰ paths in under 50 ms", seconds(count_t.median),
           count_t.median < 0.05)
    target("first 10 enumerated paths in under 50 ms", seconds(first_t.median),
           first_t.median < 0.05)


# -- 4. end to end ------------------------------------------------------------------------------

def console_script() -> list[str]:
    """The installed ``symbp`` script next to this Python (not a pyenv shim)."""
    script = Path(sys.executable).with_name("symbp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "symbp"]


def bench_end_to_end(report: Report, quick: bool) -> None:
    statements = 3600
    program = random_program(statements)
    graph = symbp.parse(program)
    point = ",".join(f"{x}={v}" for x, v in random_point(graph).items())
    report.section("4. End to end: `symbp explain` on a 10⁴-node program", (
        f"`symbp explain -f program.txt --at {point[:40]}…` as a whole process (the "
        "installed console script), rendering the summarized terminal explanation (every "
        "section, big tables cut, self-checks run). Wall time of the whole process, "
        "median of n runs."))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "program.txt")
        path.write_text(program, encoding="utf-8")
        command = [*console_script(), "explain", "-f", str(path), "--at", point]
        timing = Timing()
        lines = 0
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            timing.runs.append(time.perf_counter() - start)
            lines = done.stdout.count("\n")
    report.table(["program", "nodes", "edges", "`symbp explain` wall time", "output lines"],
                 [[f"{statements:,} lines", f"{len(graph.nodes):,}", f"{len(graph.edges):,}",
                   timing_cell(timing), f"{lines:,}"]])
    target("`symbp explain` on a 10⁴-node program in under 5 s", seconds(timing.median),
           timing.median < 5)


# -- 5. start-up --------------------------------------------------------------------------------

TYPER_FLOOR = """
import sympy, rich, typer
app = typer.Typer()
@app.command()
def explain(program: str, at: list[str] | None = typer.Option(None, "--at")) -> None:
    print(program, at)
app()
"""


NO_FREEZE = """
import sys
from symbp.cli import app
sys.argv = ["symbp", "explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1"]
app()
"""


def bench_startup(report: Report, quick: bool) -> None:
    report.section("5. Start-up: whole-process wall time", (
        "Interleaved runs of each command (the installed console script, not a pyenv "
        "shim), after one warm-up run each; medians. symbp's bytecode is compiled first, "
        "as pip does when it installs a wheel (this machine sets PYTHONDONTWRITEBYTECODE, "
        "which would otherwise make every run recompile symbp from source). The last row "
        "is a reference: the baseline's imports plus a do-nothing typer command with the "
        "same kind of options. pyproject.toml holds typer below 0.29: typer 0.29 coerces "
        "every option through a pydantic TypeAdapter built at run time, which added about "
        "90 ms to every command. SymPy imports its tensor and combinatorics modules on the "
        "first sum it builds (about 17 ms), a cost any SymPy program pays and the "
        "baseline does not. The console script ends with `gc.freeze()`, so the "
        "interpreter's last cyclic collection at exit skips the objects still alive "
        "(SymPy's import-time objects, most of them); the second row shows what that "
        "saves — the baseline, a plain `python -c`, pays that collection too."))
    compileall.compile_dir(Path(symbp.__file__).parent, quiet=1)
    commands = {
        "`python -c \"import sympy, rich, typer\"` (baseline)":
            [sys.executable, "-c", "import sympy, rich, typer"],
        "`symbp explain \"e=(a+b)*(b+1)\" --at a=2,b=1`":
            [*console_script(), "explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1"],
        "the same `symbp explain`, without the console script's exit-time `gc.freeze()`":
            [sys.executable, "-c", NO_FREEZE],
        "`python -c \"import symbp\"`": [sys.executable, "-c", "import symbp"],
        "`import sympy, rich, typer` + a do-nothing typer command with the same kind of "
        "options (reference)":
            [sys.executable, "-c", TYPER_FLOOR, "e=(a+b)*(b+1)", "--at", "a=2,b=1"],
    }
    runs = {label: Timing() for label in commands}
    for command in commands.values():  # warm-up: the files in the page cache
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    for _ in range(7 if quick else 15):
        for label, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            runs[label].runs.append(time.perf_counter() - start)
    baseline = runs[next(iter(commands))]
    rows = [[label, timing_cell(t), times(ratio(t, baseline))] for label, t in runs.items()]
    report.table(["command", "wall time", "vs baseline"], rows)
    labels = list(commands)
    explain_cmd, unfrozen, floor = runs[labels[1]], runs[labels[2]], runs[labels[4]]
    r = ratio(explain_cmd, baseline)
    target("start-up ≤ 1.25× `python -c \"import sympy, rich, typer\"`",
           f"{times(r)} ({times(ratio(unfrozen, baseline))} without the exit-time "
           "`gc.freeze()`)", r <= 1.25)
    report.add(f"symbp explain without the freeze, over the typer reference: "
               f"{seconds(unfrozen.median - floor.median)} of imports, computing and "
               "rendering.\n")


# -- 6. networks --------------------------------------------------------------------------------

def micrograd_batch(network, samples):
    """The batch gradient in micrograd: one graph per sample, ``backward`` on each
    sample's cost / n (adjoints add up in the shared parameter Values)."""
    weights = [[[Value(w) for w in row] for row in layer] for layer in network.weights]
    biases = [[Value(b) for b in layer] for layer in network.biases]
    scale = 1.0 / len(samples)
    for sample in samples:
        a = [Value(x) for x in sample.x]
        for w, b in zip(weights, biases, strict=True):
            a = [sum((w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)), b_j).relu()
                 for row, b_j in zip(w, b, strict=True)]
        cost = sum(((y_j - a_j) ** 2 for a_j, y_j in zip(a, sample.y, strict=True)),
                   Value(0.0)) * (0.5 * scale)
        cost.backward()
    return ([[[w.grad for w in row] for row in layer] for layer in weights],
            [[b.grad for b in layer] for layer in biases])


def micrograd_one_graph(network, samples):
    """micrograd as in its demo: one graph for the whole batch's mean cost, one backward."""
    weights = [[[Value(w) for w in row] for row in layer] for layer in network.weights]
    biases = [[Value(b) for b in layer] for layer in network.biases]
    total = Value(0.0)
    for sample in samples:
        a = [Value(x) for x in sample.x]
        for w, b in zip(weights, biases, strict=True):
            a = [sum((w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)), b_j).relu()
                 for row, b_j in zip(w, b, strict=True)]
        total = total + sum(((y_j - a_j) ** 2 for a_j, y_j in zip(a, sample.y, strict=True)),
                            Value(0.0)) * 0.5
    (total * (1.0 / len(samples))).backward()
    return ([[[w.grad for w in row] for row in layer] for layer in weights],
            [[b.grad for b in layer] for layer in biases])


def torch_batch(tensors):
    """The batch gradient in PyTorch (float64): one batched forward and backward."""
    weights, biases, x, y = tensors
    for w in (*weights, *biases):
        w.grad = None
    a = x
    for w, b in zip(weights, biases, strict=True):
        a = torch.relu(a @ w.T + b)
    cost = (0.5 * ((y - a) ** 2).sum(dim=1)).mean()
    cost.backward()
    return [w.grad for w in weights], [b.grad for b in biases]


def symbp_engine_batch(network, samples):
    """The same batch gradient by the engine: the reverse sweep over each sample's
    neuron-level graph (as the network checks run it)."""
    from symbp.network.graph import graph_point, network_graph

    graph = network_graph(network)
    names = parameter_names(network)
    total = dict.fromkeys(names, 0.0)
    for sample in samples:
        # symbp.gradient's fast path (its --at parser takes plain names, not w^{2}_{11})
        env = float_values(graph, graph_point(network, sample))
        grad = reverse_sweep(graph, partials_in(graph, env), record=False, seed=1.0)[1]
        for p in names:
            total[p] += grad[p]
    return {p: v / len(samples) for p, v in total.items()}


def bench_networks(report: Report, quick: bool) -> None:
    layers = (2, 16, 16, 1)
    network = random_network(layers, activation="relu")
    samples = random_samples(network, 100)
    report.section("6. Networks: batch gradient over 100 samples of a [2,16,16,1] network", (
        "relu in every layer (micrograd 0.1.0 has no exp, so no sigmoid), quadratic cost, "
        f"{network.parameter_count} weights and biases, gradient averaged over the batch. "
        "*symbp*: `batch_backprop(network, samples)` (symbp.network.backprop: BP1–BP2 for the "
        "whole batch at once, a column of numbers per neuron; each weight's batch sum of BP4 as "
        "one `math.fsum`). *symbp, per-sample records*: `batch_gradient([backprop(network, s) for "
        "s in samples])`, each sample's full record (z, a, δ, its ∂C/∂w matrices) then the "
        "average; the very same floats. *symbp engine*: "
        "`symbp.gradient(graph, at=point, check=False)` of each "
        "sample's neuron-level graph, averaged. *micrograd*: one Value graph per sample, "
        "`backward()` of each sample's cost/n (the faster way to use it); *micrograd, one "
        "graph*: as in micrograd's demo, one graph of the batch's mean cost and one "
        "`backward()`. *PyTorch*: float64 tensors, the whole batch "
        "in one forward and backward (tensors built outside the timing). Interleaved runs, "
        "medians."))
    tools = {
        "symbp": (lambda: batch_backprop(network, samples), None),
        "symbp, per-sample records": (
            lambda: batch_gradient([backprop(network, s) for s in samples]), None),
        "symbp engine": (lambda: symbp_engine_batch(network, samples), None),
    }
    skip = {}
    if Value is not None:
        tools["micrograd"] = (lambda: micrograd_batch(network, samples), None)
        tools["micrograd, one graph"] = (lambda: micrograd_one_graph(network, samples), None)
    else:
        skip["micrograd"] = "not installed: pip install micrograd==0.1.0"
    if torch is not None:
        torch.set_num_threads(1)

        def tensors():
            weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True)
                       for w in network.weights]
            biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True)
                      for b in network.biases]
            x = torch.tensor([s.x for s in samples], dtype=torch.float64)
            y = torch.tensor([s.y for s in samples], dtype=torch.float64)
            return weights, biases, x, y

        tools["pytorch"] = (torch_batch, tensors)
    else:
        skip["pytorch"] = "not installed: pip install torch==2.13.0"
    for name in skip:
        tools.setdefault(name, (None, None))
    timings, results = side_by_side(tools, reps=5 if quick else 9, skip=skip)
    _, grad_w, grad_b = results["symbp"]
    ours = _flatten(grad_w, grad_b)
    agreement = {"symbp": "—"}
    records = results["symbp, per-sample records"]
    agreement["symbp, per-sample records"] = (
        "identical" if records == results["symbp"] else
        _max_difference(ours, _flatten(*records[1:])))
    engine = results["symbp engine"]
    names = parameter_names(network)
    agreement["symbp engine"] = _max_difference(ours, [engine[p] for p in names])
    for name in ("micrograd", "micrograd, one graph"):
        if name in results:
            agreement[name] = _max_difference(ours, _flatten(*results[name]))
    if "pytorch" in results:
        w, b = results["pytorch"]
        agreement["pytorch"] = _max_difference(
            ours, _flatten([t.tolist() for t in w], [t.tolist() for t in b]))
    rows = []
    for name, timing in timings.items():
        rows.append([name, timing_cell(timing), times(ratio(timing, timings["symbp"])),
                     agreement.get(name, "—")])
    report.table(["tool", "batch gradient", "time / symbp's", "largest difference from "
                  "symbp's gradient"], rows)
    if "micrograd" in results:
        slow = min(ratio(timings[n], timings["symbp"]) for n in ("micrograd",
                                                               "micrograd, one graph"))
        target("batch gradient ≥ 100× faster than micrograd (its faster way)", times(slow),
               slow >= 100)
    if "pytorch" in results:
        difference = float(agreement["pytorch"])
        target("gradients agree with PyTorch float64 to 1e-10",
               f"{difference:.0e} (PyTorch's time / symbp's: "
               f"{times(ratio(timings['pytorch'], timings['symbp']))})", difference <= 1e-10)


def _flatten(grad_w, grad_b) -> list[float]:
    """Nielsen's parameter order (symbp.network.graph.parameter_names): per layer, each
    neuron's weights row by row, then the layer's biases."""
    flat = []
    for w, b in zip(grad_w, grad_b, strict=True):
        for row in w:
            flat += list(row)
        flat += list(b)
    return flat


def _max_difference(a: list[float], b: list[float]) -> str:
    return f"{max(abs(x - y) for x, y in zip(a, b, strict=True)):.1e}"


# -- main ---------------------------------------------------------------------------------------

BENCHES = {
    "symbolic": bench_symbolic,
    "growth": bench_growth,
    "paths": bench_paths,
    "end-to-end": bench_end_to_end,
    "start-up": bench_startup,
    "networks": bench_networks,
}


def environment() -> str:
    versions = [f"Python {platform.python_version()}", f"symbp {symbp.__version__}",
                f"SymPy {sympy.__version__}"]
    for module, label in ((symengine, "SymEngine"), (torch, "PyTorch")):
        if module is not None:
            versions.append(f"{label} {module.__version__}")
    if Value is not None:
        versions.append("micrograd 0.1.0")
    import os

    return (f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
            + ", ".join(versions))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller budgets, fewer runs")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--sympy-budget", type=float, default=None,
                        help="longest sympy.diff run to wait for, in seconds (default: 150, "
                        "or 20 with --quick)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                        help="where to write the results (default: benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(SECTIONS)
    unknown = [s for s in chosen if s not in BENCHES]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    if args.sympy_budget is not None:
        SYMPY_BUDGET["quick" if args.quick else "full"] = args.sympy_budget
    report = Report()
    started = time.perf_counter()
    report.add("# symbp benchmarks\n")
    report.add(f"Generated by `python benchmarks/run.py{' --quick' if args.quick else ''}"
               f"{' --only ' + args.only if args.only else ''}` on {environment()}.\n"
               "Times are medians of n runs (the machine is shared and noisy: read the "
               "ratios, measured side by side in one run, rather than the absolute "
               "times).\n")
    for name in chosen:
        BENCHES[name](report, args.quick)
    report.section("Targets")
    report.table(["target", "measured", "met"], [
        [goal, measured, "yes" if met else ("no" if met is False else "not measured")]
        for goal, measured, met in TARGETS])
    report.add(f"_Total benchmark time: {time.perf_counter() - started:.0f} s._\n")
    args.out.write_text(report.text(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
