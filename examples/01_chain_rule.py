"""1 — Derivatives and the chain rule.

What it teaches: a formula is a chain of small operations, each with a *local*
derivative given by one rule of calculus (power, sum, product, sin' = cos, ...).
The derivative of the whole formula is built from those local partials:

- the chain rule: along a chain of operations, multiply the local partials;
- the sum rule and the product rule: when x reaches the output along two paths,
  add the two products — the rules of school calculus are the sum over paths.

Every graph, partial, product and sum below is computed by symbp, and checked
against sympy.diff and finite differences.  Run:  python examples/01_chain_rule.py
"""

from _tutorial import console, heading, say
from rich import box
from rich.table import Table

import symbp
from symbp.core.printing import inline, value_text

CHAIN = "y = (x^2 + 1)^3"
SUM = "y = x^3 + x^2"
PRODUCT = "y = x^2*sin(x)"


heading("1. The chain rule: y = (x² + 1)³ at x = 1")
say("symbp splits the formula into one node per operation (a = x², b = a + 1, "
    "y = b³), gives each edge its local partial from a rule of calculus, and "
    "multiplies the local partials along the chain from x to y:")
chain = symbp.explain(CHAIN, at="x=1", sections=("graph", "partials", "paths"))
console.print(chain)
say("\nThe chain rule is this product: dy/dx = ∂a/∂x · ∂b/∂a · ∂y/∂b.")

heading("2. The sum rule: y = x³ + x² at x = 2")
say("Now x reaches y along two paths, one through each term.  The sum rule's "
    "local partials are 1, so each path carries its term's derivative, and the "
    "two paths are added:")
sum_rule = symbp.explain(SUM, at="x=2", sections=("partials", "paths"))
console.print(sum_rule)

heading("3. The product rule: y = x² · sin(x) at x = 2")
say("The product rule's local partials are the *other* factor (∂y/∂a = b, "
    "∂y/∂b = a), so the two paths give (uv)' = u'v + uv':")
product_rule = symbp.explain(PRODUCT, at="x=2", sections=("partials", "paths"))
console.print(product_rule)

heading("Summary")
say("The same derivatives written out in x (symbp's reverse sweep with every node "
    "replaced by its formula) and their values at the points above:")
table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
for column in ("y", "dy/dx", "at the point"):
    table.add_column(column)
examples = ((CHAIN, chain), (SUM, sum_rule), (PRODUCT, product_rule))
for formula, ex in examples:
    table.add_row(formula, inline(ex.gradient_in_inputs["x"]),
                  f"x = {inline(ex.point['x'])}: {value_text(ex.gradient['x'].value)}")
console.print(table)
checks = [check for _, ex in examples for check in ex.checks]
passed = sum(check.passed is True for check in checks)
console.print(f"\nsymbp's self-checks: {passed} of {len(checks)} passed (the sum over paths, "
              "forward mode and the reverse sweep agree with each other, with sympy.diff and "
              "with finite differences).")
