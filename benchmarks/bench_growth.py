"""2. Linear growth: time per edge from 10³ to 10⁵ edges from program text, and on to 10⁶
edges built through the API.

Each size runs in a fresh child process (``python bench_growth.py --child ...``), so one
size's heap does not slow the next and the peak memory is the process's own (the child
reports ``ru_maxrss``).  Run as a script, this module is that child.
"""

from __future__ import annotations

import ast
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from timing import Timing

HERE = Path(__file__).resolve().parent

TEXT_SIZES = (1_000, 10_000, 100_000)
API_SIZES = (10_000, 100_000, 1_000_000)
DRIFT = 1.3
"""The goal: time per edge at 10⁵ (10⁶ through the API) at most this many times that at 10⁴."""


def run(report, quick: bool) -> None:
    # imported here, not at the top: the child processes must not load report's peers
    # (PyTorch alone is 200 MB of the peak memory measured)
    from report import target, timing_cell

    report.section("2. Linear growth: time per edge, 10³ to 10⁶ edges", (
        "Random programs `t_i = tanh(t_j*t_k + t_l)` (operands from the previous 20 lines; "
        "8 inputs; 5 edges a line). Each measurement is a fresh child process, the sizes "
        "interleaved, after a warm-up gradient of a one-line program (which compiles the "
        "float forms of the three operations, once per session); Python's garbage "
        "collector is left as it is (on), as a user has it. Times are the child's CPU time "
        "(`time.process_time()`: the work is single-threaded, and on a shared machine the "
        "wall clock also counts other processes' turns). "
        "*From text*: `symbp.parse(text)`, then `symbp.gradient(graph, at=point, "
        "check=False)` (node values, local partials and the reverse sweep in floats). The "
        "peer is Python's own `ast.parse(text)` of the same text, the first step of any "
        "safe parser of it. *Through the API*: the `Node` records and `Graph(nodes, "
        "output)` (names checked, topological order), then the same gradient; peak memory "
        "is the child process's peak resident set (`VmHWM`: the interpreter, SymPy and "
        "everything symbp holds)."))
    reps = 2 if quick else 5
    text = {n: [] for n in TEXT_SIZES}
    api = {n: [] for n in API_SIZES}
    for rep in range(reps):
        for n in TEXT_SIZES:
            text[n].append(_child("text", n))
        for n in API_SIZES:
            if n < 10**6 or rep < (1 if quick else 3):
                api[n].append(_child("api", n))
    rows, per_edge = [], {}
    for n in TEXT_SIZES:
        runs = text[n]
        edges = runs[0]["edges"]
        parse_t = Timing([r["parse"] for r in runs])
        grad_t = Timing([r["gradient"] for r in runs])
        total = Timing([r["parse"] + r["gradient"] for r in runs])
        peer = Timing([r["ast"] for r in runs])
        per_edge[n] = total.median / edges
        rows.append([f"{edges:,}", timing_cell(parse_t), timing_cell(grad_t),
                     f"{per_edge[n] * 1e6:.2f} µs",
                     f"{per_edge[n] / per_edge[10_000]:.2f}×" if 10_000 in per_edge else "—",
                     f"{peer.median / edges * 1e6:.2f} µs",
                     f"{total.median / peer.median:.1f}×", _mb(runs)])
    report.add("### (a) From program text: parse, then the float gradient\n")
    report.table(["edges", "parse", "gradient", "per edge", "vs 10⁴", "ast.parse per edge",
                  "symbp / ast.parse", "peak memory"], rows)
    text_drift = per_edge[100_000] / per_edge[10_000]
    target(f"from text, time per edge flat: ≤ {DRIFT}× drift from 10⁴ to 10⁵ edges",
           f"{text_drift:.2f}× ({per_edge[10_000] * 1e6:.1f} → "
           f"{per_edge[100_000] * 1e6:.1f} µs per edge)", text_drift <= DRIFT)
    rows, per_edge, own = [], {}, {}
    for n in API_SIZES:
        runs = api[n]
        edges = runs[0]["edges"]
        records_t = Timing([r["records"] for r in runs])
        graph_t = Timing([r["graph"] for r in runs])
        grad_t = Timing([r["gradient"] for r in runs])
        total = Timing([r["records"] + r["graph"] + r["gradient"] for r in runs])
        per_edge[n] = total.median / edges
        own[n] = Timing([r["graph"] + r["gradient"] for r in runs]).median / edges
        rows.append([f"{edges:,}", timing_cell(records_t), timing_cell(graph_t),
                     timing_cell(grad_t), f"{per_edge[n] * 1e6:.2f} µs",
                     f"{per_edge[n] / per_edge[10_000]:.2f}×", f"{own[n] * 1e6:.2f} µs",
                     f"{own[n] / own[10_000]:.2f}×", _mb(runs)])
    report.add("### (b) Through the API: Node records and Graph, then the float gradient\n")
    report.add("*Node records*: the caller's loop that makes the `Node`s (Python's cyclic "
               "garbage collector runs in it as the heap grows: the part that drifts); "
               "*Graph*: `Graph(nodes, output)`; *symbp's part*: Graph and gradient, the "
               "work symbp itself does.\n")
    report.table(["edges", "Node records", "Graph", "gradient", "per edge", "vs 10⁴",
                  "symbp's part per edge", "vs 10⁴", "peak memory"], rows)
    api_drift = per_edge[1_000_000] / per_edge[10_000]
    own_drift = own[1_000_000] / own[10_000]
    peak = max(r["maxrss"] for r in api[1_000_000])
    target(f"through the API, time per edge flat to 10⁶ edges (≤ {DRIFT}× drift from 10⁴) "
           "in under 1 GB",
           f"{api_drift:.2f}×, peak {peak / 2**20:.0f} MB (symbp's part, Graph and gradient: "
           f"{own_drift:.2f}×)",
           api_drift <= DRIFT and peak < 2**30)


def _mb(runs) -> str:
    return f"{max(r['maxrss'] for r in runs) / 2**20:.0f} MB"


def _child(kind: str, edges: int) -> dict:
    done = subprocess.run([sys.executable, str(HERE / "bench_growth.py"), "--child", kind,
                           str(edges)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


# -- the child process -------------------------------------------------------------------------

def _measure_text(edges: int) -> dict:
    from workloads import random_point, random_program

    import symbp

    program = random_program(edges // 5)
    start = time.process_time()
    ast.parse(program)
    ast_time = time.process_time() - start
    start = time.process_time()
    graph = symbp.parse(program)
    parse_time = time.process_time() - start
    point = random_point(graph)
    start = time.process_time()
    symbp.gradient(graph, at=point, check=False)
    gradient_time = time.process_time() - start
    return {"edges": len(graph.edges), "parse": parse_time, "gradient": gradient_time,
            "ast": ast_time}


def _measure_api(edges: int) -> dict:
    from workloads import random_point

    import symbp
    from symbp import Graph, Node

    rng = random.Random(0)  # the operands of random_graph(edges), drawn before the timing
    names = [f"x{k}" for k in range(1, 9)]
    lines = []
    for i in range(1, edges // 5 + 1):
        recent = names[-20:]
        lines.append((i, rng.choice(recent), rng.choice(recent), rng.choice(recent)))
        names.append(f"t{i}")
    start = time.process_time()
    nodes = [Node(f"x{k}") for k in range(1, 9)]
    for i, j, k, m in lines:
        nodes += [Node(f"p{i}", "mul", (j, k)), Node(f"q{i}", "add", (f"p{i}", m)),
                  Node(f"t{i}", "tanh", (f"q{i}",))]
    records = time.process_time()
    graph = Graph(nodes, names[-1])
    built = time.process_time()
    del nodes, lines
    point = random_point(graph)
    start_gradient = time.process_time()
    symbp.gradient(graph, at=point, check=False)
    gradient_time = time.process_time() - start_gradient
    return {"edges": len(graph.edges), "records": records - start, "graph": built - records,
            "gradient": gradient_time}


def _peak_resident() -> int:
    """This process's peak resident set, in bytes: VmHWM, which starts afresh at exec
    (``ru_maxrss`` keeps the parent's peak from before the fork)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def _warm_up() -> None:
    """Compile the float forms of mul, add and tanh once (sympy.lambdify, ~10 ms each), as
    any session does on its first gradient, so the sizes compare per-edge work."""
    import symbp

    symbp.gradient(symbp.parse("t = tanh(x*y + x)"), at={"x": 0.5, "y": 1.5}, check=False)


def _child_main(kind: str, edges: int) -> None:
    sys.path.insert(0, str(HERE))
    _warm_up()
    result = (_measure_text if kind == "text" else _measure_api)(edges)
    result["maxrss"] = _peak_resident()
    print(json.dumps(result))


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    _child_main(sys.argv[2], int(sys.argv[3]))
