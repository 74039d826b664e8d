"""5. Start-up: the whole-process wall time of a small `symbp explain`, beside a bare
``python -c "import sympy, rich, typer"``."""

from __future__ import annotations

import compileall
import subprocess
import sys
import time
from pathlib import Path

from report import Report, console_script, seconds, target, times, timing_cell
from timing import Timing, ratio

import symbp

GOAL = 1.15
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


def run(report: Report, quick: bool) -> None:
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
    rows = [[label, timing_cell(t, minimum=True), times(ratio(t, baseline))]
            for label, t in runs.items()]
    report.table(["command", "wall time", "vs baseline"], rows)
    labels = list(commands)
    explain_cmd, unfrozen, floor = runs[labels[1]], runs[labels[2]], runs[labels[4]]
    r = ratio(explain_cmd, baseline)
    low = explain_cmd.minimum / baseline.minimum
    target(f"start-up ≤ {GOAL}× `python -c \"import sympy, rich, typer\"`",
           f"{times(r)} of the medians, {times(low)} of the minima "
           f"({times(ratio(unfrozen, baseline))} without the exit-time `gc.freeze()`)",
           r <= GOAL)
    report.add(f"symbp explain without the freeze, over the typer reference: "
               f"{seconds(unfrozen.median - floor.median)} of imports, computing and "
               "rendering.\n")
