"""Write examples/tutorial.ipynb: the backpropagation story of examples/01–07 as a notebook.

The notebook is generated (so that it can be reviewed and changed as Python) and
committed without outputs: running it is the reader's job, and the test suite's
(tests/test_notebook.py executes it in a real Jupyter kernel).

    python scripts/make_notebook.py          # rewrite examples/tutorial.ipynb
    python scripts/make_notebook.py --check  # exit 1 if the committed file is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "tutorial.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Backpropagation, step by step, with symbp

This notebook retells the classic explanation of backpropagation — Chris Olah's
*Calculus on Computational Graphs: Backpropagation* and chapter 2 of Michael Nielsen's
*Neural Networks and Deep Learning* — in order.  Every graph, derivative, sum and
table below is computed by **symbp** and checked by it (against `sympy.diff` and finite
differences); the text between the outputs only says what to look at.

An `Explanation` displays itself in Jupyter: Markdown with math, and the picture of the
graph when Graphviz is installed.  The same story as scripts: `examples/01_chain_rule.py`
… `examples/07_batch_sgd.py`."""),
    ("code", """\
from IPython.display import Markdown, display

import symbp

symbp.__version__"""),
    ("md", """\
## 1. Derivatives and the chain rule

A formula is a chain of small operations.  symbp gives each operation a node and each
edge its **local partial**, from one rule of calculus.  Along a chain of operations the
chain rule multiplies the local partials:"""),
    ("code", """\
symbp.explain("y = (x^2 + 1)^3", at="x=1", sections=["graph", "partials", "paths"])"""),
    ("md", """\
When $x$ reaches $y$ along two paths — one through each term of a sum, or each factor
of a product — the products of the two paths are added.  The sum rule's local partials
are 1; the product rule's are the *other* factor:"""),
    ("code", """\
symbp.explain("y = x^3 + x^2", at="x=2", sections=["partials", "paths"])"""),
    ("code", """\
symbp.explain("y = x^2*sin(x)", at="x=2", sections=["partials", "paths"])"""),
    ("md", """\
## 2. Two dimensions: the sum over paths

For $z(x(t), y(t))$ the chain rule of several variables reads
$\\frac{dz}{dt} = \\frac{\\partial z}{\\partial x}\\frac{dx}{dt} +
\\frac{\\partial z}{\\partial y}\\frac{dy}{dt}$: one product per path from $t$ to $z$,
and the derivative is their sum.  Here $x = \\cos t$, $y = \\sin t$, $z = x y$ at
$t = \\pi/6$:"""),
    ("code", """\
two = symbp.explain("x = cos(t); y = sin(t); z = x*y", at="t=pi/6",
                    sections=["graph", "partials", "paths", "checks"])
two"""),
    ("md", "Each path's product and their sum, read off the explanation:"),
    ("code", """\
paths = two.paths["t"]
for term in paths.shown:
    print(" → ".join(term.nodes), " product:", term.product, "=", term.value)
print("sum:", paths.sum, "=", paths.value)
print("written out in t:", symbp.gradient("x = cos(t); y = sin(t); z = x*y")["t"])"""),
    ("md", """\
## 3. The computational graph $e = (a+b)(b+1)$

The classic example at $a = 2$, $b = 1$: the values flow forward, every edge carries a
local partial, and the derivative of $e$ with respect to $b$ is the sum over the two
paths from $b$.  Forward mode (seeded at one input) and reverse mode (seeded at the
output: backpropagation) compute the same sums edge by edge:"""),
    ("code", """\
ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
ex"""),
    ("md", """\
One forward sweep gives the derivative of *every node* with respect to *one input*; the
reverse sweep gives the derivative of *the output* with respect to *every node*:"""),
    ("code", """\
forward, reverse = ex.forward["b"].totals, ex.reverse.totals
rows = [f"| {n.name} | {forward[n.name].value if n.name in forward else 'not reached'} "
        f"| {reverse[n.name].value} |" for n in ex.graph.nodes]
display(Markdown("| node | forward from $b$: $d(\\\\text{node})/db$ | "
                 "reverse from $e$: $de/d(\\\\text{node})$ |\\n|---|---:|---:|\\n"
                 + "\\n".join(rows)))"""),
    ("md", """\
The same explanation in symbp's other formats — LaTeX for lecture notes, and a
self-contained Python function that runs the forward pass and backpropagation:"""),
    ("code", """\
print(ex.to_latex()[:600], "…")"""),
    ("code", """\
print(ex.to_python())"""),
    ("code", """\
generated = {}
exec(ex.to_python(), generated)  # symbp's own output: the function printed above
generated["forward_backward"](2.0, 1.0)"""),
    ("md", """\
## 4. Forward mode against reverse mode

Forward mode needs one sweep per input, and every sweep multiplies its way through the
same edges near the output again.  The reverse sweep uses each edge once.  Which edges
does forward mode use more than once, for one neuron and its cost
$C = (\\sigma(w_1 x_1 + w_2 x_2 + b) - y)^2/2$?"""),
    ("code", """\
from collections import Counter

neuron = symbp.explain("z = w1*x1 + w2*x2 + b; C = (sigmoid(z) - y)^2/2",
                       at="w1=0.5,w2=-1,x1=1,x2=2,b=0.25,y=1", sections=["graph", "cost"])
uses = Counter(step.edge for sweep in neuron.forward.values() for step in sweep.steps)
rows = [f"| {e.source} → {e.target} | {n} |" for e, n in uses.most_common() if n > 1]
display(Markdown("| edge | forward sweeps using it |\\n|---|---:|\\n" + "\\n".join(rows)))
neuron"""),
    ("md", """\
With $n$ weights the neuron has $2n + 2$ inputs: symbp's operation counts for all forward
sweeps and for the one reverse sweep:"""),
    ("code", """\
def neuron_program(n):
    weighted = " + ".join(f"w{i}*x{i}" for i in range(1, n + 1))
    return f"z = {weighted} + b; C = (sigmoid(z) - y)^2/2"

rows = []
for n in (1, 2, 4, 8, 16, 32):
    c = symbp.explain(neuron_program(n), sections="cost").cost
    rows.append(f"| {n} | {2 * n + 2} | {c.forward.total:,} | {c.reverse.total:,} |")
display(Markdown("| weights | inputs | forward mode | reverse sweep |\\n|---:|---:|---:|---:|\\n"
                 + "\\n".join(rows)))"""),
    ("md", """\
## 5. Path explosion

In the family $x_k = w_k x_{k-1} + \\sin(x_{k-1})$ every layer splits and rejoins, so the
number of paths from $x_0$ doubles with each layer.  Summing path by path explodes; the
two sweeps do not.  symbp counts the paths by dynamic programming (`symbp.core.paths`) and
the operations of each method (`symbp.core.cost`):"""),
    ("code", """\
from symbp.core.cost import cost
from symbp.core.paths import paths_to_output


def family(depth):
    return "; ".join(f"x{k} = w{k}*x{k - 1} + sin(x{k - 1})" for k in range(1, depth + 1))

symbp.explain(family(2), sections=["paths", "cost"])"""),
    ("code", """\
rows = []
for depth in range(1, 21):
    graph = symbp.parse(family(depth))
    counts, ops = paths_to_output(graph), cost(graph)
    rows.append((depth, sum(counts[x] for x in graph.inputs), ops.paths.total,
                 ops.forward.total, ops.reverse.total))
display(Markdown("| depth | paths | sum over paths | forward mode | reverse sweep |\\n"
                 "|---:|---:|---:|---:|---:|\\n"
                 + "\\n".join("| " + " | ".join(f"{v:,}" for v in r) + " |" for r in rows)))"""),
    ("code", """\
try:
    import matplotlib.pyplot as plt
except ImportError:  # the table above says the same
    print("(pip install matplotlib for the plot)")
else:
    depth = [r[0] for r in rows]
    for column, label in ((1, "paths"), (2, "sum over paths"), (3, "forward mode"),
                          (4, "reverse sweep")):
        plt.semilogy(depth, [r[column] for r in rows], marker=".", label=label)
    plt.xlabel("depth")
    plt.ylabel("count (log scale)")
    plt.legend()
    plt.show()"""),
    ("md", """\
## 6. A small fully connected network: BP1–BP4

In Nielsen's notation ($z^l = w^l a^{l-1} + b^l$, $a^l = \\sigma(z^l)$,
$\\delta^l = \\partial C/\\partial z^l$) backpropagation is four equations.  symbp derives
them for a 2-2-1 sigmoid network with the quadratic cost, instantiates them for every
neuron, and checks each against the reverse sweep over the network's neuron-level
graph:"""),
    ("code", """\
print(symbp.derive_network([2, 2, 1]))"""),
    ("md", """\
One training example worked through: the forward pass, $\\delta$ by BP1 and BP2, the
gradient by BP3 and BP4, and one step of gradient descent:"""),
    ("code", """\
NETWORK = {"layers": [2, 2, 1], "activation": "sigmoid", "cost": "quadratic",
           "weights": [[[0.5, -0.4], [0.3, 0.8]], [[0.6, -0.7]]],
           "biases": [[0.1, -0.2], [0.05]], "learning_rate": 2.0}
one = symbp.network_walkthrough(symbp.parse_spec({**NETWORK,
                                                  "samples": [{"x": [1, 0.5], "y": [1]}]}))
print(one)"""),
    ("md", """\
## 7. A batch and stochastic gradient descent

The cost of a training set is the average of its examples' costs, so its gradient is the
average of the per-example gradients.  The network learns the OR of two bits: each
example's gradient, their average, one update $w \\to w - \\eta\\,\\partial C/\\partial w$,
then a few hundred epochs:"""),
    ("code", """\
OR = [{"x": [0, 0], "y": [0]}, {"x": [0, 1], "y": [1]},
      {"x": [1, 0], "y": [1]}, {"x": [1, 1], "y": [1]}]
batch = symbp.network_walkthrough(symbp.parse_spec({**NETWORK, "samples": OR}), epochs=200)
rows = [f"| $b^3_1$ | {' | '.join(f'{r.grad_b[-1][0]:.6g}' for r in batch.samples)} "
        f"| {batch.grad_b[-1][0]:.6g} | {batch.network.biases[-1][0]:.6g} "
        f"| {batch.updated.biases[-1][0]:.6g} |"]
display(Markdown("| parameter | example 1 | example 2 | example 3 | example 4 | mean | before "
                 "| after |\\n|---|---:|---:|---:|---:|---:|---:|---:|\\n" + "\\n".join(rows)))
print(f"C before: {batch.cost:.6g}, after 200 epochs: {batch.training.costs[-1]:.6g}")"""),
    ("code", """\
sgd = symbp.network_walkthrough(symbp.parse_spec({**NETWORK, "samples": OR}), epochs=200,
                                batch_size=1)
try:
    import matplotlib.pyplot as plt
except ImportError:
    for epoch in (0, 1, 10, 50, 100, 200):
        print(epoch, f"{batch.training.costs[epoch]:.6g}", f"{sgd.training.costs[epoch]:.6g}")
else:
    plt.plot(batch.training.costs, label="full batch")
    plt.plot(sgd.training.costs, label="mini-batches of 1")
    plt.xlabel("epoch")
    plt.ylabel("C")
    plt.legend()
    plt.show()"""),
    ("md", """\
## 8. The same numbers in matrix form

Neuron by neuron, BP1–BP4 are sums; layer by layer they are matrix products, and that is
where the transposes, ⊙ and the batch average come in: $z^l = W^l a^{l-1} + b^l$ with $W^l$
of shape $n_l \\times n_{l-1}$, $\\delta^l = ((W^{l+1})^T \\delta^{l+1}) \\odot \\sigma'(z^l)$,
$\\partial C/\\partial W^l = \\delta^l (a^{l-1})^T$ — and for a batch of $m$ samples as the
columns of $A$, $Z$, $\\Delta$: $\\partial C/\\partial W^l = \\frac{1}{m} \\Delta^l (A^{l-1})^T$.
`view="layers"` shows the walkthrough this way (`"both"`, the default, shows both views),
every matrix written out with its shape; a check compares every entry with the neuron
view and the reverse sweep:"""),
    ("code", """\
from symbp.core.printing import inline

matrix = symbp.network_walkthrough(symbp.parse_spec({**NETWORK, "samples": OR}), view="layers")
view = matrix.layers
for row in view.shapes:
    print(f"layer {row.layer}: W {row.weight}, b z a δ ({row.vector}), batch Z A Δ {row.batch}")
for step in view.batch:
    print(f"  {step.label:<10} {inline(step.shapes(), as_written=True)}")
print(view.check.name, view.check.passed)"""),
    ("md", """\
BP4 of the batch is the average of the samples' outer products $\\delta (a)^T$ — the
neuron view's mean $\\partial C/\\partial w^3_{1k}$, entry for entry:"""),
    ("code", """\
grad_W3 = next(s for s in view.batch if s.label == "BP4" and s.layer == 3).result.matrix
print(grad_W3)
print([round(g, 12) for g in matrix.grad_w[1][0]])"""),
    ("md", """\
PyTorch's `nn.Linear` computes $Y = X W^T + b$ with the samples as the **rows** of $X$:
`convention="pytorch"` shows the same numbers in that layout — $Z$, $A$, $\\Delta$
transposed, $W$ and $\\partial C/\\partial W$ (PyTorch's `weight.grad`) unchanged:"""),
    ("code", """\
torch = symbp.network_walkthrough(symbp.parse_spec({**NETWORK, "samples": OR}), view="layers",
                                  convention="pytorch").layers
Z2 = {v.convention: v.batch[0].result.matrix for v in (view, torch)}
print("Z² (Nielsen):", Z2["nielsen"].shape, " Z² (PyTorch):", Z2["pytorch"].shape,
      " transposes:", Z2["pytorch"] == Z2["nielsen"].T)
print(symbp.network.prose.plain(torch.note))"""),
    ("md", """\
Everything above is also on the command line: `symbp explain "e=(a+b)*(b+1)" --at a=2,b=1`,
`symbp network --layers 2,2,1`, `symbp network --spec examples/net.json --epochs 5` and
`symbp network --spec examples/net.json --view layers --convention pytorch`."""),
]


def build() -> nbformat.NotebookNode:
    """The notebook, outputs empty and execution counts unset."""
    cells = [new_markdown_cell(text) if kind == "md" else new_code_cell(text)
             for kind, text in CELLS]
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives the same file
    nbformat.validate(notebook)
    return notebook


def text(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def main(argv: list[str]) -> int:
    wanted = text(build())
    if "--check" in argv:
        current = NOTEBOOK.read_text(encoding="utf-8") if NOTEBOOK.exists() else ""
        if current != wanted:
            print(f"{NOTEBOOK} is stale: run python scripts/make_notebook.py", file=sys.stderr)
            return 1
        return 0
    NOTEBOOK.write_text(wanted, encoding="utf-8")
    print(f"wrote {NOTEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
