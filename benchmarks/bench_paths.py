"""3. Paths: the exact count and the first paths of a graph with more than 2²⁰⁰ of them."""

from __future__ import annotations

from itertools import islice

from report import Report, seconds, target, timing_cell
from timing import Timing, once
from workloads import diamond_chain

from symbp.core.paths import count_paths, iter_paths


def run(report: Report, quick: bool) -> None:
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
