"""The terminal's one table engine (``render.terminal.rows.Rows``) against rich's ``Table``.

Every table of ``symbp explain`` and ``symbp network`` is a ``Rows``: it draws one-line
cells itself and hands over to the rich ``Table`` it stands for only when a cell wraps.
This prints, for the network walkthrough of ``examples/net.json`` and the derivation of a
2-3-1 network, the median time of the terminal text with every table drawn by ``Rows``
and with every table drawn by rich's ``Table`` (``Rows._rich_table``, the fallback, forced),
timed alternately; the two texts are checked equal first.

    python benchmarks/bench_terminal_tables.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import symbp
from symbp.network.spec import load_spec
from symbp.render import to
from symbp.render.terminal import rows

ROOT = Path(__file__).resolve().parent.parent


def _text(record, engine: str) -> str:
    original = rows.Rows.__rich_console__
    if engine == "rich":
        def through_rich(self, console, options):
            yield self._rich_table(options.ascii_only)
        rows.Rows.__rich_console__ = through_rich
    try:
        return to(record, "text")
    finally:
        rows.Rows.__rich_console__ = original


def main(repeats: int = 15) -> None:
    records = {
        "network walkthrough, examples/net.json": symbp.network_walkthrough(
            load_spec(ROOT / "examples" / "net.json")),
        "network derivation, 2-3-1": symbp.derive_network([2, 3, 1]),
        "explain e=(a+b)*(b+1) at a=2,b=1": symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1"),
    }
    print("| record | Rows (median) | rich Table (median) | rich / Rows |")
    print("|---|---|---|---|")
    for label, record in records.items():
        if _text(record, "rows") != _text(record, "rich"):
            raise SystemExit(f"{label}: the two engines print different text")
        times: dict[str, list[float]] = {"rows": [], "rich": []}
        for _ in range(repeats):
            for engine in times:
                start = time.perf_counter()
                _text(record, engine)
                times[engine].append(time.perf_counter() - start)
        fast, slow = (statistics.median(times[e]) for e in ("rows", "rich"))
        print(f"| {label} | {fast * 1e3:.1f} ms | {slow * 1e3:.1f} ms | {slow / fast:.2f}× |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
