"""3 — The computational graph e = (a + b)·(b + 1) at a = 2, b = 1.

What it teaches: the classic example of "Calculus on Computational Graphs".
The expression becomes a graph with the intermediate nodes c = a + b and
d = b + 1 and the output e = c·d.  Then:

- values flow forward: c = 3, d = 2, e = 6;
- each edge carries a local partial: ∂c/∂a = ∂c/∂b = ∂d/∂b = 1, ∂e/∂c = d = 2,
  ∂e/∂d = c = 3;
- the sum over paths: de/db = 1·2 + 1·3 = 5 (two paths), de/da = 1·2 = 2;
- forward mode (seeded at one input) and reverse mode (seeded at the output,
  i.e. backpropagation) compute the same numbers edge by edge.

Every number is symbp's.  Run:  python examples/03_computational_graph.py
(`symbp explain "e=(a+b)*(b+1)" --at a=2,b=1 -o graph.svg` draws the graph.)
"""


from _tutorial import console, heading, say, show
from rich import box
from rich.table import Table

import symbp
from symbp.core.printing import inline

ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")

heading("The graph and its values")
say("Each operation is a node; an edge goes from each operand to the node that "
    "uses it.  Evaluating the nodes in order gives every value:")
show(ex, "graph", header=True)

heading("Derivatives on the edges")
say("The local partial of each edge: how its target changes when its source "
    "changes and the other operands stay fixed.  Each comes from one rule:")
show(ex, "partials")

heading("Sum over paths")
say("How does e change with b?  b reaches e along two paths; each contributes "
    "the product of its local partials, and the contributions add up:")
show(ex, "paths")

heading("Forward mode")
say("Forward mode starts at one input with tangent 1 and pushes it along the "
    "edges: one sweep per input, each giving the derivative of every node with "
    "respect to that input.")
show(ex, "forward")

heading("Reverse mode: backpropagation")
say("Reverse mode starts at the output with adjoint 1 and pulls it back along "
    "the edges: one sweep gives the derivative of the output with respect to "
    "every node.")
show(ex, "reverse", "checks")

heading("What one sweep gives")
table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
table.add_column("node")
table.add_column("forward from b: d(node)/db", justify="right")
table.add_column("reverse from e: de/d(node)", justify="right")
forward, reverse = ex.forward["b"].totals, ex.reverse.totals
for node in ex.graph.nodes:
    tangent = inline(forward[node.name].value) if node.name in forward else "not reached"
    table.add_row(node.name, tangent, inline(reverse[node.name].value))
console.print(table)
console.print()
console.print(f"Forward mode from b gives de/db = {inline(forward['e'].value)} (and needs "
              f"another sweep for a); reverse mode gives de/da = "
              f"{inline(reverse['a'].value)} and de/db = {inline(reverse['b'].value)} at once.")
