"""5 — Path explosion: why backpropagation does not sum over paths one by one.

What it teaches: the sum over paths is the chain rule, but the number of paths
can grow exponentially with the depth of a graph.  In the family

    x₁ = w₁·x₀ + sin(x₀),  x₂ = w₂·x₁ + sin(x₁),  …,  x_L = w_L·x_{L−1} + sin(x_{L−1})

each layer splits and rejoins (through w·x and through sin), so the number of
paths from x₀ to the output doubles with every layer: 2^L.  Summing path by path
costs at least that many multiplications.  Forward mode factors the sum (one
sweep per input: it grows with inputs × depth) and the reverse sweep uses each
edge once (it grows with the depth alone).

symbp shows the paths of a small member, then counts paths and operations for
depths 1 to 20 and draws them on a log scale: a plot saved as an image when
matplotlib is installed (python examples/05_path_explosion.py [FILE.png],
default path_explosion.png), else a chart in the terminal.
"""

import math
import sys

from _tutorial import console, heading, say
from rich import box
from rich.table import Table

import symbp
from symbp.core.cost import cost
from symbp.core.paths import paths_to_output

DEPTHS = range(1, 21)


def program(depth: int) -> str:
    """The member of the family with ``depth`` layers; its output is x_depth."""
    return "; ".join(f"x{k} = w{k}*x{k - 1} + sin(x{k - 1})" for k in range(1, depth + 1))


def measure(depth: int) -> dict:
    """symbp's path counts and operation counts for one depth (no symbolic work)."""
    graph = symbp.parse(program(depth))
    paths = paths_to_output(graph)
    ops = cost(graph)
    return {"depth": depth, "inputs": len(graph.inputs), "edges": len(graph.edges),
            "from x0": paths["x0"], "paths": sum(paths[x] for x in graph.inputs),
            "path sum": ops.paths.total, "forward": ops.forward.total,
            "reverse": ops.reverse.total}


def plot(rows: list[dict], filename: str) -> bool:
    """A log-scale plot saved to ``filename``; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no window: write the file
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    depths = [r["depth"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    ax.semilogy(depths, [r["paths"] for r in rows], "o-", label="paths (all inputs)")
    ax.semilogy(depths, [r["path sum"] for r in rows], ".:", label="sum over paths: operations")
    ax.semilogy(depths, [r["forward"] for r in rows], "s-", ms=4, label="forward mode: operations")
    ax.semilogy(depths, [r["reverse"] for r in rows], "^-", ms=4,
                label="reverse sweep: operations")
    ax.set_xlabel("depth (layers)")
    ax.set_ylabel("count (log scale)")
    ax.set_title(r"$x_k = w_k\,x_{k-1} + \sin(x_{k-1})$: the paths double with each layer",
                 fontsize=11)
    ax.set_xticks(depths[::2] if len(depths) > 10 else depths)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(filename)
    plt.close(fig)
    return True


def terminal_chart(rows: list[dict]) -> None:
    """The same on a log scale in the terminal: two rows per power of ten."""
    series = (("●", "paths"), ("f", "forward"), ("r", "reverse"))  # drawn in this order
    height = max(round(2 * math.log10(r[key])) for r in rows for _, key in series)
    height += height % 2  # the top row is a power of ten
    grid = [[" "] * (3 * len(rows)) for _ in range(height + 1)]
    for i, r in enumerate(rows):
        for mark, key in reversed(series):  # paths last: drawn on top
            level = round(2 * math.log10(r[key]))
            grid[height - level][3 * i + 1] = mark
    console.print("count (log scale)")
    for j, line in enumerate(grid):
        level = height - j
        label = f"10^{level // 2}" if level % 2 == 0 else ""
        console.print(f"{label:>6} ┤{''.join(line)}")
    console.print(" " * 7 + "└" + "─" * (3 * len(rows)))
    ticks = "".join(f"{r['depth']:>3}" if r["depth"] % 5 == 0 or r["depth"] == 1 else "   "
                    for r in rows)
    console.print(" " * 7 + " " + ticks[1:] + "  depth")
    console.print(" " * 8 + "● paths (all inputs)   f forward mode   r reverse sweep")


heading("A small member: depth 2")
say("x₀ reaches the output through w·x or through sin at each of the two layers: "
    "2·2 = 4 paths.  symbp lists them with their products, and counts the operations:")
console.print(symbp.explain(program(2), sections=("paths", "cost")))

heading("Depth 1 to 20")
say("symbp counts the paths by dynamic programming (never by listing them) and "
    "the operations of each method:")
rows = [measure(depth) for depth in DEPTHS]
table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
for column in ("depth", "inputs", "paths from x₀", "all paths", "sum over paths",
               "forward mode", "reverse"):
    table.add_column(column, justify="right")
for r in rows:
    table.add_row(*(f"{r[key]:,}" for key in ("depth", "inputs", "from x0", "paths", "path sum",
                                               "forward", "reverse")))
console.print(table)
last = rows[-1]
console.print(f"\nAt depth {last['depth']}: {last['from x0']:,} paths from x₀ alone, "
              f"{last['path sum']:,} operations path by path, {last['forward']:,} for forward "
              f"mode ({last['inputs']} sweeps), {last['reverse']:,} for the reverse sweep.")

heading("On a log scale")
filename = sys.argv[1] if len(sys.argv) > 1 else "path_explosion.png"
if plot(rows, filename):
    console.print(f"plot saved to {filename}")
else:
    say("(matplotlib is not installed: `pip install matplotlib` saves this as a picture)")
    terminal_chart(rows)
console.print("\nThe paths climb a straight line on the log scale (exponential growth); "
              "forward mode bends up slowly (inputs × depth) and the reverse sweep stays low "
              "(linear in the depth).")
