"""Symbolic gradients of long chains, in node names: linear in the length, checked.

    python benchmarks/bench_chain.py [--quick]     # this section alone, printed
    (run.py lists it as a section: run(report, quick))
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sympy  # noqa: E402
from timing import Timing, cold, side_by_side  # noqa: E402

import symbp  # noqa: E402
from symbp.render import to  # noqa: E402

DESCRIPTION = """\
The chain ``x{i+1} = x{i}*y{i%7} + sin(x{i})`` written out in its inputs is nested twice as
many levels deep as it has lines: ``sympy.diff`` of the written-out expression walks it
recursively (a RecursionError by 1,000 lines); SymEngine's ``diff`` works on the written-out
expression's shared subtrees in C++. symbp writes the gradient in node names (one adjoint
per node), so every column should grow linearly: the time per line stays flat.
*symbp.gradient*: on an already-parsed graph, SymPy's cache cleared first, built in SymPy
(``backend="sympy"``); *SymEngine backend*: the same sweep built in SymEngine
(``backend="symengine"``), its SymPy expressions not made yet; *with its self-
checks*: the default ``check=True`` (the printed formulas evaluated in 30-digit arithmetic
at a random point against central differences); *printed lines*: ``symbp gradient``'s text,
summarized as the terminal shows it; *peak memory*: tracemalloc around ``symbp.gradient`` in
a separate run. SymEngine and ``sympy.diff`` differentiate the chain written out in its
inputs (built outside the timing)."""

try:
    import symengine
except ImportError:  # optional: the bench extra
    symengine = None


def chain(lines: int) -> str:
    """The issue's chain: 3 nodes and 5 edges a line, 8 inputs (x0, y0 … y6)."""
    return "\n".join(f"x{i + 1} = x{i}*y{i % 7} + sin(x{i})" for i in range(lines))


def _seconds(t: float | None) -> str:
    if t is None:
        return "—"
    return f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s"


def _cell(t: Timing) -> str:
    return f"skipped ({t.skipped})" if t.skipped else f"{_seconds(t.median)} (n={t.n})"


def _symengine_diff(lines: int):
    """SymEngine's diff of the chain written out (built outside the timing), or why not."""
    if symengine is None:
        return None, "not installed"
    x, ys = symengine.Symbol("x0"), [symengine.Symbol(f"y{k}") for k in range(7)]
    expr = x
    for i in range(lines):
        expr = expr * ys[i % 7] + symengine.sin(expr)
    wrt = [x, *ys]
    return (lambda: [expr.diff(v) for v in wrt]), ""


def _sympy_diff(graph) -> str:
    """One run of sympy.diff of the written-out chain w.r.t. every input, or its error."""
    try:
        f = graph.expression()
        cold()
        start = time.perf_counter()
        for x in graph.inputs:
            sympy.diff(f, graph.symbols[x])
        return f"{_seconds(time.perf_counter() - start)} (n=1)"
    except RecursionError:
        return "RecursionError"


def rows(quick: bool) -> tuple[list[str], list[list[str]], dict]:
    """The table's header and rows, and what the goals need (seconds at the largest size)."""
    sizes = (1_000, 3_000) if quick else (1_000, 3_000, 10_000)
    header = ["lines", "nodes", "symbp.gradient (node names, check=False)", "per line",
              "SymEngine backend (not read in SymPy)", "with its self-checks",
              "printed lines (summarized)", "peak memory",
              "symengine diff (written out)", "sympy.diff (written out)"]
    table, facts = [], {}
    for lines in sizes:
        text = chain(lines)
        graph = symbp.parse(text)
        tools = {"symbp": (lambda g: symbp.gradient(g, form="nodes", check=False,
                                                    backend="sympy"),
                           lambda t=text: symbp.parse(t))}
        if symengine is not None:
            tools["fast"] = (lambda g: symbp.gradient(g, form="nodes", check=False,
                                                      backend="symengine"),
                             lambda t=text: symbp.parse(t))
        se_fn, se_why = _symengine_diff(lines) if lines <= 3_000 else (None, "not run")
        if se_fn is not None:
            tools["symengine"] = (se_fn, None)
        reps = 3  # the 10⁴-line row too: one run of it swung 1.08 → 1.56 s between runs
        timings, results = side_by_side(tools, reps=reps, long_run=60)
        per_line = timings["symbp"].median / lines
        checked = Timing()
        cold()
        start = time.perf_counter()
        result = symbp.gradient(graph, form="nodes")
        checked.runs.append(time.perf_counter() - start)
        verdict = next(c for c in result.checks if c.name == "reverse == finite differences")
        printed = to(result, "text").count("\n")
        tracemalloc.start()
        symbp.gradient(symbp.parse(text), form="nodes", check=False, backend="sympy")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sympy_cell = _sympy_diff(graph) if lines <= 1_000 else "not run"
        table.append([
            f"{lines:,}", f"{len(graph.nodes):,}", _cell(timings["symbp"]),
            f"{per_line * 1e6:.0f} µs",
            _cell(timings["fast"]) if "fast" in timings else "SymEngine not installed",
            f"{_seconds(checked.median)} ({verdict.detail})",
            f"{printed:,}", f"{peak / 2**20:.1f} MB",
            _cell(timings["symengine"]) if "symengine" in timings else se_why, sympy_cell,
        ])
        facts[lines] = (timings["symbp"].median, checked.median, per_line, peak)
        del results
    return header, table, facts


def run(report, quick: bool) -> None:
    """run.py's section: the table and the goal of a 10⁴-line chain in a few seconds."""
    report.section("Symbolic gradient of a long chain, in node names",
                   " ".join(DESCRIPTION.split()))
    header, table, facts = rows(quick)
    report.table(header, table)
    largest = max(facts)
    sweep, checked, _, peak = facts[largest]
    first = facts[min(facts)][2]
    drift = facts[largest][2] / first
    try:
        from report import target
    except ImportError:  # run alone, before run.py's report module
        return
    target(f"symbolic gradient of a {largest:,}-line chain in node names in a few seconds",
           f"{_seconds(sweep)} ({_seconds(checked)} with its self-checks), "
           f"peak {peak / 2**20:.0f} MB, time per line ×{drift:.2f} from {min(facts):,} lines",
           sweep < 5 and drift <= 1.3)


class _Printed:
    """A stand-in for run.py's Report when this section runs alone."""

    def section(self, title: str, text: str = "") -> None:
        print(f"## {title}\n\n{text}\n")

    def table(self, header, rows_) -> None:
        print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
        for row in rows_:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    run(_Printed(), "--quick" in sys.argv)
