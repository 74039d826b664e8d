"""The rich terminal rendering of ``symbp network``: the derivation and the walkthrough.

Numbers are rounded to 6 significant digits (the JSON output has them all).  Big
networks are summarized (the first rows of each table and a count of the rest)
unless the record was made with ``full=True``.  What a walkthrough shows — which rows,
which sums term by term, BP1 or BP2 — is decided in :mod:`symbp.network_steps`, for the
LaTeX and Markdown output too; this module writes those records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..core.checks import Check
from ..core.printing import inline, name, noun, plural
from ..network import steps, tables
from ..network.functions import ACTIVATIONS, COSTS
from ..network.graph import (
    activation_name,
    bias_name,
    delta_name,
    target_name,
    weight_name,
    weighted_input_name,
)
from ..network.model import Network
from ..network.records import (
    NetworkDerivation,
    NetworkWalkthrough,
    component_lhs,
)
from .terminal import SELF_CHECK_FAILED, check_mark, plain_text

__all__ = ["num", "render_derivation", "render_walkthrough", "to_text"]

def to_text(record, *, width: int = 100) -> str:
    """The terminal rendering as plain text (no colour), e.g. for ``str()`` and tests."""
    return plain_text(record, width=width)


# -- small pieces --------------------------------------------------------------------------------

def num(value: float) -> str:
    """A float to 6 significant digits: 0.524979, -0.079754, 1.5e-07."""
    text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text


def _factor(value: float) -> str:
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def _title(text: str, subtitle: str = "") -> Text:
    title = Text(text, style="bold cyan")
    if subtitle:
        title.append(f"  {subtitle}", style="dim")
    return title


def _table(*columns: str, header: bool = True) -> Table:
    table = Table(box=box.SIMPLE_HEAD if header else None, show_edge=False, pad_edge=False,
                  header_style="bold", show_header=header)
    for column in columns:
        table.add_column(column, overflow="fold")  # wrap, never cut a number with "…"
    return table


def _add(table: Table, *cells) -> None:
    """Add a row; plain strings become :class:`Text`, never read as rich markup
    (``[yⱼ ln a + …]`` must print as written)."""
    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def _indent(renderable: RenderableType, spaces: int = 2) -> Padding:
    return Padding(renderable, (0, 0, 0, spaces))


def _more(hidden: int, what: str, spaces: int = 4) -> Padding:
    return _indent(Text(f"… {hidden:,} more {noun(hidden, what)} (use --full to show all)",
                        style="dim"),
                   spaces)


def _more_of(notes: list[str]) -> Padding:
    return _indent(Text(f"… {'; '.join(notes)} (use --full to show all)", style="dim"), 4)


def _sup(layer: int | str) -> str:
    return name(f"a^{{{layer}}}")[1:]


def _vector(values: Sequence[float]) -> str:
    shown = [num(v) for v in values[:8]]
    if len(values) > 8:
        shown.append(f"… {len(values) - 8} more")
    return "(" + ", ".join(shown) + ")"


def _checks(checks: Sequence[Check], ok: bool,
            subtitle: str = "(every number above is compared with independent oracles)",
            ) -> Iterator[RenderableType]:
    yield _title("Checks", subtitle)
    table = _table("", "", header=False)
    for check in checks:
        mark = check_mark(check)
        line = Text(check.name, style="bold")
        if check.method:
            line.append(f"  [{check.method}]", style="dim")
        if check.detail:
            line.append(f"\n{check.detail}", style="red" if check.passed is False else "")
        _add(table, mark, line)
    yield _indent(table)
    if not ok:
        yield Text(SELF_CHECK_FAILED, style="bold red")


def _shape(network: Network) -> str:
    return "-".join(str(n) for n in network.layers)


# -- the derivation ------------------------------------------------------------------------------

def render_derivation(d: NetworkDerivation) -> Iterator[RenderableType]:
    """Renderables for ``symbp network --layers …``."""
    net = d.network
    head = Text("symbp network", style="bold magenta")
    head.append(f"  {_shape(net)} · {net.activation} · {net.cost} cost", style="bold")
    yield head
    yield Text(f"L = {net.depth} layers: layer 1 is the input x, layer {net.depth} the output; "
               "C is the cost of one training example.", style="dim")
    yield Text("")
    yield _title("Notation", "(Nielsen, Neural Networks and Deep Learning, ch. 2)")
    table = _table("symbol", "meaning", "in this network")
    for row in d.notation:
        _add(table, *row)
    yield _indent(table)
    yield Text("")
    yield _title("Assumptions on the cost")
    table = _table("", "", header=False)
    for i, text in enumerate(d.assumptions, start=1):
        _add(table, f"{i}.", text)
    yield _indent(table)
    yield Text("")
    yield _title("The four equations of backpropagation", "(component form, vector form, why)")
    for eq in d.equations:
        yield _indent(Text(f"{eq.label}  ", style="bold").append(eq.title, style="bold"))
        table = _table("", "", header=False)
        _add(table, "component", Text(eq.component))
        _add(table, "vector", Text(eq.vector))
        _add(table, Text("why", style="dim"), Text(eq.derivation, style="dim"))
        yield _indent(table, 7)
    yield Text("")
    yield from _instantiated(d)
    yield Text("")
    yield from _neuron_rules(d)
    yield Text("")
    yield from _checks(d.checks, d.ok, f"(on random parameters and a random example, seed "
                       f"{d.seed}: every equation above is evaluated and compared)")


def _instantiated(d: NetworkDerivation) -> Iterator[RenderableType]:
    net = d.network
    yield _title("For this network", f"(σ = {net.activation}: {d.derivative_formula}; "
                 f"{d.gradient_formula})")
    current = None
    for eq in d.layers:
        if eq.layer != current:
            current = eq.layer
            role = " (output)" if eq.layer == net.depth else ""
            yield _indent(Text(f"layer {eq.layer}{role}", style="bold"))
        yield _indent(Text(f"{eq.label}  ", style="bold").append(eq.vector), 4)
        rows, hidden = steps.summarize(eq.components, d.full)
        table = _table("", "", header=False)
        for c in rows:
            _add(table, component_lhs(c), "= " + inline(c.rhs, as_written=True))
        yield _indent(table, 9)
        hidden += eq.count - len(eq.components)
        if hidden:
            yield _more(hidden, "component", 9)
        if eq.note:
            yield _indent(Text(eq.note, style="green"), 9)
    order = ", then ".join(
        f"δ{_sup(layer)} (BP1)" if layer == net.depth else
        f"δ{_sup(layer)} (BP2, from δ{_sup(layer + 1)})" for layer in range(net.depth, 1, -1))
    yield _indent(Text(
        f"Order: {order}.  Each δ is computed once and reused — by BP3 and BP4 of its layer and "
        "by BP2 for the layer below: the memoized reverse sweep, i.e. backpropagation.",
        style="dim"))


def _neuron_rules(d: NetworkDerivation) -> Iterator[RenderableType]:
    graph = d.graph
    yield _title("The same equations on the neuron-level graph",
                 f"(Cₓ as a computational graph: {plural(len(graph.nodes), 'node')}, "
                 f"{plural(len(graph.edges), 'edge')})")
    yield _indent(Text(
        "Backprop on the graph stores dC/dv for every node v, from C down: dC/dv = Σ over the "
        "edges v → t of dC/dt · ∂t/∂v (the local partial, from the rule table).  For neuron 1 "
        "of each layer:", style="dim"))
    table = _table("", "", "", header=False)
    for rule in d.adjoint_rules:
        terms = " + ".join(f"dC/d{name(e.target)}·{_paren(inline(p))}" for e, p in rule.terms)
        label = f"{rule.meaning} ({rule.equation})" if rule.equation else rule.meaning
        _add(table, f"dC/d{name(rule.node)}", "= " + (terms or "1"), Text(label, style="green"))
    yield _indent(table, 4)
    if d.full:
        yield _indent(Text("Every step of the sweep (reverse topological order):", style="bold"))
        sweep_table = _table("", "", header=False)
        for i, (edge, partial) in enumerate(d.sweep_steps, start=1):
            _add(sweep_table, str(i), f"dC/d{name(edge.source)} += dC/d{name(edge.target)}·"
                          f"{_paren(inline(partial))}")
        yield _indent(sweep_table, 4)
    else:
        yield _indent(Text(f"(--full shows all {plural(len(d.sweep_steps), 'step')} of the sweep)",
                           style="dim"), 4)


def _paren(text: str) -> str:
    """Parentheses around a factor that is a sum or starts with a minus sign."""
    depth, top_level_sum = 0, False
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if depth == 0 and c in "+-" and 0 < i < len(text) - 1 and text[i - 1] == " ":
            top_level_sum = True
    return f"({text})" if top_level_sum or text.startswith("-") else text


# -- the walkthrough -------------------------------------------------------------------------------

def render_walkthrough(w: NetworkWalkthrough) -> Iterator[RenderableType]:
    """Renderables for ``symbp network --spec …``."""
    net, spec = w.network, w.spec
    head = Text("symbp network", style="bold magenta")
    n = len(w.samples)
    head.append(f"  {_shape(net)} · {net.activation} · {net.cost} cost · "
                f"{plural(n, 'sample')} · η = {num(spec.learning_rate)}",
                style="bold")
    yield head
    where = (f"random parameters: N(0, 1) rounded to 2 decimals, seed {spec.seed}"
             if spec.random_parameters else f"parameters from {spec.source or 'the spec'}")
    yield Text(f"{where}.  Numbers are rounded to 6 significant digits (--format json has "
               "them all).", style="dim")
    yield Text("")
    yield _title("Parameters", "(row j: the weights wˡⱼₖ into neuron j of layer l, its bias bˡⱼ)")
    yield from _parameters(net, w.full)
    detailed = tables.detailed_samples(w)
    for i in range(detailed):
        yield Text("")
        yield from _sample(w, i)
    if detailed < n:
        yield Text("")
        yield from _other_samples(w, detailed)
    yield Text("")
    yield from _batch(w)
    yield Text("")
    yield from _neuron_sweep(w)
    if w.training is not None:
        yield Text("")
        yield from _training(w)
    yield Text("")
    yield from _checks(w.checks, w.ok)


def _parameters(net: Network, full: bool) -> Iterator[RenderableType]:
    for t in tables.parameter_tables(net, full):
        cut = ["…"] if t.cut else []
        table = _table(f"layer {t.layer}", *(name(weight_name(t.layer, "j", k)) for k in t.columns),
                       *cut, name(bias_name(t.layer, "j")))
        for column in table.columns[1:]:
            column.justify = "right"
        for row in t.rows:
            _add(table, f"j = {row.j}", *map(num, row.weights), *cut, num(row.bias))
        yield _indent(table)
        if t.hidden:
            yield _more(t.hidden, "neuron")


def _sample(w: NetworkWalkthrough, i: int) -> Iterator[RenderableType]:
    r, net = w.samples[i], w.network
    head = _title(f"Sample {i + 1} of {len(w.samples)}")
    head.append(f"   x = {_vector(r.sample.x)}   y = {_vector(r.sample.y)}", style="bold")
    yield head
    yield from _forward(net, r, w.full)
    yield from _backward(net, r, w.full)
    yield from _gradient(r, w.full)


def _other_samples(w: NetworkWalkthrough, start: int) -> Iterator[RenderableType]:
    yield _title(f"Samples {start + 1}–{len(w.samples)}",
                 "(the same steps; --full shows each one, --format json has all the numbers)")
    table = _table("sample", "x", "y", "Cₓ")
    rows, hidden = steps.summarize(range(start, len(w.samples)), w.full)
    for i in rows:
        r = w.samples[i]
        _add(table, str(i + 1), _vector(r.sample.x), _vector(r.sample.y), num(r.cost))
    yield _indent(table)
    if hidden:
        yield _more(hidden, "sample", 2)


def _step_table(layers: Sequence[steps.LayerRows], cells: Callable[..., tuple],
                columns: int) -> Iterator[RenderableType]:
    """One table of steps, a row per record shown, then a note of the rows left out."""
    table = _table(*[""] * columns, header=False)
    for group in layers:
        for row in group.rows:
            _add(table, *cells(row))
    yield _indent(table, 4)
    notes = [f"{group.hidden} more {group.what}" for group in layers if group.hidden]
    if notes:
        yield _more_of(notes)


def _forward(net: Network, r, full: bool) -> Iterator[RenderableType]:
    yield _indent(Text("Forward pass", style="bold").append(
        "   zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ,  aˡⱼ = σ(zˡⱼ),  a¹ = x",
        style="dim"))
    yield from _step_table(steps.forward_rows(net, r, full), _forward_cells, 4)
    yield _indent(Text(_cost_text(steps.sample_cost(net, r))), 4)


def _forward_cells(row: steps.ForwardRow) -> tuple:
    layer, j = row.layer, row.j
    if row.terms:
        products = " + ".join(f"{_factor(wk)}·{_factor(ak)}" for wk, ak in row.terms)
        arithmetic = f"= {products} + {_factor(row.bias)}"
    else:
        arithmetic = (f"= Σₖ {name(weight_name(layer, j, 'k'))}·"
                      f"{name(activation_name(layer - 1, 'k'))} + {name(bias_name(layer, j))}")
    return (name(weighted_input_name(layer, j)), arithmetic, f"= {num(row.z)}",
            f"{name(activation_name(layer, j))} = {num(row.a)}")


def _cost_text(c: steps.SampleCost) -> str:
    a, y = c.outputs, c.targets
    if c.cost == "quadratic":
        general = f"C = ½ Σⱼ (yⱼ − a{_sup(c.layer)}ⱼ)²"
        terms = " + ".join(f"({num(yj)} − {_factor(aj)})²" for aj, yj in zip(a, y, strict=True))
        numbers = f"½[{terms}]" if len(a) > 1 else f"½{terms}"
    else:
        general = f"C = −Σⱼ [yⱼ ln a{_sup(c.layer)}ⱼ + (1 − yⱼ) ln(1 − a{_sup(c.layer)}ⱼ)]"
        numbers = "-[" + " + ".join(f"{num(yj)}·ln {num(aj)} + {num(1 - yj)}·ln {num(1 - aj)}"
                                    for aj, yj in zip(a, y, strict=True)) + "]"
    if not c.written_out:
        return f"{general} = {num(c.value)}"
    return f"{general} = {numbers} = {num(c.value)}"


def _backward(net: Network, r, full: bool) -> Iterator[RenderableType]:
    yield _indent(Text("Backward pass", style="bold").append(
        "   δ of every neuron: BP1 at the output, then BP2 one layer down at a time",
        style="dim"))
    yield from _step_table(steps.error_rows(net, r, full), _error_cells, 4)
    act = ACTIVATIONS[net.activation]
    yield _indent(Text(f"{act.derivative_formula}; {COSTS[net.cost].gradient_formula}",
                       style="dim"), 4)


def _error_cells(row: steps.ErrorRow) -> tuple:
    d, z = name(delta_name(row.layer, row.j)), name(weighted_input_name(row.layer, row.j))
    bp1 = isinstance(row, steps.OutputError)
    formula, numbers = _bp1(row, d, z) if bp1 else _bp2(row, d, z)
    return Text(row.label, style="bold"), formula, numbers, f"= {num(row.delta)}"


def _bp1(row: steps.OutputError, d: str, z: str) -> tuple[str, str]:
    a, y = name(activation_name(row.layer, row.j)), name(target_name(row.j))
    aj, yj, sp = row.output, row.target, row.sigma_prime
    if row.cost == "quadratic":
        return f"{d} = ({a} − {y})·σ'({z})", f"= ({num(aj)} − {_factor(yj)})·{_factor(sp)}"
    return (f"{d} = ({a} − {y})/({a}(1 − {a}))·σ'({z})",
            f"= ({num(aj)} − {_factor(yj)})/({num(aj)}·{num(1 - aj)})·{_factor(sp)}")


def _bp2(row: steps.HiddenError, d: str, z: str) -> tuple[str, str]:
    formula = (f"{d} = (Σₖ {name(weight_name(row.layer + 1, 'k', row.j))}"
               f"{name(delta_name(row.layer + 1, 'k'))})·σ'({z})")
    products = " + ".join(f"{_factor(wk)}·{_factor(dk)}" for wk, dk in row.terms)
    # one term needs no parentheses: 0.7·(-0.0798)·0.249, not (0.7·(-0.0798))·0.249
    total = (f"({products})" if len(row.terms) > 1 else products if row.terms
             else _factor(row.weighted_error))
    return formula, f"= {total}·{_factor(row.sigma_prime)}"


def _gradient(r, full: bool) -> Iterator[RenderableType]:
    yield _indent(Text("Gradient", style="bold").append(
        "   BP3: ∂C/∂bˡⱼ = δˡⱼ     BP4: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ", style="dim"))
    yield from _step_table(steps.gradient_rows(r, full), _gradient_cells, 5)


def _gradient_cells(row: steps.GradientRow) -> tuple:
    delta = name(delta_name(row.layer, row.j))
    if row.k is None:
        lhs, symbols, numbers = f"∂C/∂{name(bias_name(row.layer, row.j))}", f"= {delta}", ""
    else:
        lhs = f"∂C/∂{name(weight_name(row.layer, row.j, row.k))}"
        symbols = f"= {name(activation_name(row.layer - 1, row.k))}·{delta}"
        numbers = f"= {_factor(row.activation)}·{_factor(row.delta)}"
    return Text(row.label, style="bold"), lhs, symbols, numbers, f"= {num(row.value)}"


def _batch(w: NetworkWalkthrough) -> Iterator[RenderableType]:
    n, eta, batch = len(w.samples), num(w.spec.learning_rate), tables.batch_table(w)
    average = (f"({' + '.join(num(r.cost) for r in w.samples)})/{n} = "
               if batch.written_out else "")
    yield _title(f"Batch of {plural(n, 'sample')} and one SGD step")
    yield _indent(Text(f"C = (1/n) Σₓ Cₓ, so ∂C/∂w and ∂C/∂b are the averages of the samples' "
                       f"gradients; one SGD step: after = before − η·mean, η = {eta}",
                       style="dim"))
    yield _indent(Text(f"C = {average}{num(w.cost)}", style="bold"))
    table = _table("parameter", *(f"sample {s + 1}" for s in range(batch.sample_columns)),
                   "mean ∂C/∂·", "before", "after")
    for column in table.columns[1:]:
        column.justify = "right"
    for row in batch.rows:
        _add(table, name(row.parameter), *map(num, row.per_sample), num(row.mean),
             num(row.before), num(row.after))
    yield _indent(table)
    if batch.hidden:
        yield _more(batch.hidden, "parameter", 2)


def _neuron_sweep(w: NetworkWalkthrough) -> Iterator[RenderableType]:
    sweep = tables.sweep_table(w)
    yield _title(f"Neuron-level graph of C for sample {sweep.sample}",
                 f"({sweep.nodes} nodes, {sweep.edges} edges)")
    yield _indent(Text("The reverse sweep of symbp explain's engine stores dC/dv for every node "
                       "v: at z it is δ (BP1, BP2), at b and w the gradient (BP3, BP4).",
                       style="dim"))
    table = _table("node", "formula", "value", "dC/dv (sweep)", "layer level (BP1–BP4)")
    for column in table.columns[2:4]:
        column.justify = "right"
    for row in sweep.rows:
        formula = "(input)" if row.formula is None else inline(row.formula, as_written=True)
        _add(table, name(row.node), formula, num(row.value), num(row.adjoint),
             _layer_level(row.layer_level))
    yield _indent(table)
    if sweep.hidden:
        yield _more(sweep.hidden, "node", 2)
    if sweep.steps:
        yield _indent(Text("Every step of the sweep:", style="bold"))
        sweep_table = _table("", "", "", header=False)
        for i, step in enumerate(sweep.steps, start=1):
            e = step.edge
            _add(sweep_table, str(i), f"{name(e.source)} → {name(e.target)}",
                          f"dC/d{name(e.source)} += dC/d{name(e.target)}·∂{name(e.target)}/∂"
                          f"{name(e.source)} = {_factor(step.carried)}·{_factor(step.partial)}"
                          f" = {num(step.contribution)}")
        yield _indent(sweep_table, 4)
    else:
        yield _indent(Text("(intermediate nodes p = w·a, s = running sums and the cost terms "
                           "are left out; --full shows every node and every step of the sweep)",
                           style="dim"))


_ADJOINTS = {"weighted error": "Σₖ {}{}", "delta": "{}"}
"""How BP1–BP4 write dC/dv when it is not ∂C/∂v (the ``names`` of the record go in ``{}``)."""


def _layer_level(level: tables.LayerAdjoint | None) -> str:
    """What BP1–BP4 say dC/dv is: ``δ³₁ = -0.079754 (BP1)``."""
    if level is None:
        return ""
    lhs = _ADJOINTS.get(level.quantity, "∂C/∂{}").format(*map(name, level.names))
    return f"{lhs} = {num(level.value)}" + (f" ({level.label})" if level.label else "")


_SPARKS = "▁▂▃▄▅▆▇█"


def _sparkline(values: Sequence[float], width: int = 40) -> str:
    if len(values) > width:
        step = (len(values) - 1) / (width - 1)
        values = [values[round(i * step)] for i in range(width)]
    low, high = min(values), max(values)
    if high - low <= 1e-15 * max(1.0, abs(high)):
        return _SPARKS[0] * len(values)
    return "".join(_SPARKS[min(7, int((v - low) / (high - low) * 8))] for v in values)


def _training(w: NetworkWalkthrough) -> Iterator[RenderableType]:
    t = w.training
    n = len(w.samples)
    batches = ("all samples: epoch 1 is the step above" if t.batch_size == n
               else f"mini-batches of {t.batch_size}, shuffled each epoch")
    yield _title(f"Training: {plural(t.epochs, 'epoch')} of SGD",
                 f"(η = {num(t.learning_rate)}, {batches})")
    change = t.costs[-1] - t.costs[0]
    yield _indent(Text(f"C  {_sparkline(t.costs)}  {num(t.costs[0])} → {num(t.costs[-1])} "
                       f"({'−' if change < 0 else '+'}{num(abs(change))})"))
    table = _table("epoch", "C (batch mean)")
    for column in table.columns:
        column.justify = "right"
    for e in tables.shown_epochs(t, w.full):
        _add(table, str(e), num(t.costs[e]))
    yield _indent(table)
    yield _indent(Text("Parameters after training:", style="bold"))
    yield from _parameters(t.network, w.full)

