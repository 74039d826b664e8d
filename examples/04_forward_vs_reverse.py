"""4 — Forward mode versus reverse mode: what each repeats, what each costs.

What it teaches: forward mode gives the derivative of the output with respect
to *one* input per sweep, so a function of n inputs needs n sweeps, and every
sweep multiplies its way through the same edges near the output again.  Reverse
mode (backpropagation) needs one sweep for all inputs: it uses every edge once
and stores each node's total for reuse.  symbp counts the multiplications and
additions of each method.

1. e = (a+b)·(b+1): the product for the edge c → e is made by both forward sweeps;
2. one neuron with a quadratic cost, C = (σ(w₁x₁ + w₂x₂ + b) − y)²/2: six inputs,
   six forward sweeps over the same tail of the graph;
3. the same neuron with more and more weights: forward mode grows with the
   square of the number of inputs, the reverse sweep linearly.

Run:  python examples/04_forward_vs_reverse.py
"""

from collections import Counter

from _tutorial import console, heading, say, show
from rich import box
from rich.table import Table

import symbp
from symbp.core.printing import name


def neuron(n: int) -> str:
    """One sigmoid neuron with n weights and the quadratic cost of one example."""
    weighted = " + ".join(f"w{i}*x{i}" for i in range(1, n + 1))
    return f"z = {weighted} + b; C = (sigmoid(z) - y)^2/2"


def repeated_products(ex) -> None:
    """Each edge with the forward sweeps that multiply through it (read off symbp's steps)."""
    sweeps: dict = {}
    for seed, sweep in ex.forward.items():
        for step in sweep.steps:
            sweeps.setdefault(step.edge, []).append(seed)
    uses = Counter({edge: len(seeds) for edge, seeds in sweeps.items()})
    reverse_uses = Counter(step.edge for step in ex.reverse.steps)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("edge", "forward sweeps using it", "products", "reverse sweep"):
        table.add_column(column)
    for edge, count in uses.most_common(6):
        if count > 1:
            table.add_row(f"{name(edge.source)} → {name(edge.target)}",
                          ", ".join(name(seed) for seed in sweeps[edge]), str(count),
                          str(reverse_uses[edge]))
    console.print(table)
    extra = sum(count - 1 for count in uses.values())
    again = "product is" if extra == 1 else "products are"
    console.print(f"\nIn all, {extra} edge {again} made again by a later forward sweep; the "
                  f"reverse sweep makes each of its {len(ex.reverse.steps)} edge products once.")


heading("1. e = (a+b)·(b+1): two inputs, two forward sweeps")
canonical = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
say("Forward mode needs a sweep from a and another from b.  Both reach e through "
    "c, so both push a tangent through the edge c → e:")
show(canonical, "forward")
console.print()
repeated_products(canonical)
console.print()
say("symbp's operation counts (here the graph is too small for a difference: "
    "the savings come with more inputs and longer shared tails):")
show(canonical, "cost")

heading("2. One neuron and its cost: six inputs")
say("C = (σ(w₁x₁ + w₂x₂ + b) − y)²/2 has six inputs (w₁, w₂, x₁, x₂, b, y).  "
    "Forward mode needs six sweeps, and each crosses the tail z → σ(z) → … → C:")
cell = symbp.explain(neuron(2), at="w1=0.5,w2=-1,x1=1,x2=2,b=0.25,y=1")
show(cell, "graph", header=True)
console.print()
repeated_products(cell)
console.print()
show(cell, "cost")

heading("3. More weights: n forward sweeps against one reverse sweep")
say("The same neuron with n weights (2n + 2 inputs); symbp counts the operations "
    "(multiplications + additions) of all forward sweeps and of the reverse sweep:")
table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
for column in ("weights n", "inputs", "edges", "forward mode", "reverse sweep", "ratio"):
    table.add_column(column, justify="right")
for n in (1, 2, 4, 8, 16, 32):
    ex = symbp.explain(neuron(n), sections="cost")
    forward, reverse = ex.cost.forward.total, ex.cost.reverse.total
    table.add_row(str(n), str(len(ex.graph.inputs)), str(len(ex.graph.edges)), f"{forward:,}",
                  f"{reverse:,}", f"{forward / reverse:.1f}×")
console.print(table)
console.print("\nForward mode's cost grows with (inputs × graph size), reverse mode's with the "
              "graph size alone: with a million weights, a million forward sweeps against one "
              "backward pass.  That is why neural networks are trained with backpropagation.")
