"""What every benchmark section shares: the report it writes into, the targets it checks,
how numbers are written, the peers (optional competitors) and the machine's description.

A section is a module ``bench_<name>.py`` with ``run(report, quick)``; ``run.py`` lists the
sections in order.  A section adds its tables with :meth:`Report.section` and
:meth:`Report.table`, and each goal of the issue with :func:`target` (goal, what was
measured, met or not), so the summary at the end puts every goal side by side.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import sympy
from timing import Timing

import symbp

HERE = Path(__file__).resolve().parent

# -- peers: optional competitors (the bench extra, and PyTorch installed apart) ----------------

try:
    import symengine
except ImportError:
    symengine = None
try:
    from micrograd.engine import Value
except ImportError:
    Value = None
try:
    import torch
except ImportError:
    torch = None
try:
    import numpy
except ImportError:
    numpy = None

# -- targets ------------------------------------------------------------------------------------

TARGETS: list[tuple[str, str, bool | None]] = []
"""(goal, what was measured, met?) — collected by the sections, summarized at the end."""


def target(goal: str, measured: str, met: bool | None) -> None:
    """Record one goal of the issue with what was measured (``met=None``: not measured)."""
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


def timing_cell(t: Timing, minimum: bool = False) -> str:
    """``median (n=…)``, or ``median, min … (n=…)`` with ``minimum``."""
    if t.skipped:
        return f"skipped ({t.skipped})"
    if not t.runs:
        return "—"
    low = f", min {seconds(t.minimum)}" if minimum and t.n > 1 else ""
    return f"{seconds(t.median)}{low} (n={t.n})"


class Report:
    """Collects the markdown text and prints each part as it is completed."""

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


# -- the machine --------------------------------------------------------------------------------

def console_script() -> list[str]:
    """The installed ``symbp`` script next to this Python (not a pyenv shim)."""
    script = Path(sys.executable).with_name("symbp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "symbp"]


def environment() -> str:
    """The machine and every version a number depends on."""
    versions = [f"Python {platform.python_version()}", f"symbp {symbp.__version__}",
                f"SymPy {sympy.__version__}"]
    for module, label in ((numpy, "NumPy"), (symengine, "SymEngine"), (torch, "PyTorch")):
        if module is not None:
            versions.append(f"{label} {module.__version__}")
    if Value is not None:
        versions.append("micrograd 0.1.0")
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip() + ", "
                break
    except OSError:
        pass
    return (f"{cpu}{platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
            + ", ".join(versions))
