"""2 — Two dimensions: the chain rule as a sum over paths.

What it teaches: when z depends on t through two intermediate variables,
z(x(t), y(t)), the chain rule of several variables says

    dz/dt = ∂z/∂x · dx/dt + ∂z/∂y · dy/dt

In the computational graph that is one product per path from t to z (t → x → z
and t → y → z), and the derivative is the sum of the products — the "sum over
paths" that every later example builds on.

Here x = cos t, y = sin t and z = x·y, at t = π/6, where every number is exact.
symbp computes the graph, the local partials, each path's product and the sum.
Run:  python examples/02_two_dimensions.py
"""


from _tutorial import console, heading, say

import symbp
from symbp.core.printing import inline, value_text

PROGRAM = "x = cos(t); y = sin(t); z = x*y"
POINT = "t=pi/6"


def factor(expr) -> str:
    """An expression as a factor of a product: (-1/2), (sqrt(3)/2), y."""
    text = inline(expr)
    return f"({text})" if text.startswith("-") or any(c in text for c in " /") else text


heading("z(x(t), y(t)) with x = cos t, y = sin t, z = x·y, at t = π/6")
say("t reaches z along two paths, one through x and one through y.  On each "
    "path, multiply the local partials; then add the two products:")
ex = symbp.explain(PROGRAM, at=POINT, sections=("graph", "partials", "paths", "checks"))
console.print(ex)

heading("The chain rule of two variables, term by term")
say("Each path is one term of dz/dt = ∂z/∂x · dx/dt + ∂z/∂y · dy/dt: the local "
    "partial of its last edge times the tangent dx/dt (or dy/dt) that forward "
    "mode carries to the middle node:")
info, tangents = ex.paths["t"], ex.forward["t"].totals
terms = []
for term in info.shown:
    middle, last = term.nodes[1], term.edges[-1]
    local, tangent = ex.partial(last), tangents[middle]
    console.print(f"  {' → '.join(term.nodes)}:  ∂z/∂{middle}·d{middle}/dt = "
                  f"{factor(local.expr)}·{factor(tangent.expr)} = "
                  f"{factor(local.value)}·{factor(tangent.value)} = {inline(term.value)}")
    terms.append(inline(term.value))
console.print(f"  dz/dt = {' + '.join(terms)} = {inline(info.value)}")

heading("Written out in t")
formula = symbp.gradient(PROGRAM)["t"]
say(f"symbp.gradient gives the derivative in the input: dz/dt = {inline(formula)}; "
    f"at t = π/6 that is {value_text(symbp.gradient(PROGRAM, at=POINT)['t'])}, the sum above.")
