"""The terminal rendering of a training walkthrough (``symbp network --walkthrough``):
parameters, each sample's forward pass, error and gradient, the batch, the neuron sweep
and training.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rich.console import RenderableType
from rich.text import Text

from ...core.printing import inline, name, num, plural
from ...network import derivations, graph, steps, tables
from ...network.equations import GENERIC, softmax_bp1
from ...network.functions import COSTS, sigmas
from ...network.model import Network
from ...network.records import NetworkWalkthrough
from .. import marks
from ..prose import math_unicode, unicode
from .layers import layer_section
from .network_pieces import (
    add_row,
    checks_section,
    indent,
    more,
    more_of,
    new_table,
    shape,
    title,
    vector,
)

__all__ = ["render_walkthrough"]


def render_walkthrough(w: NetworkWalkthrough) -> Iterator[RenderableType]:
    """Renderables for ``symbp network --spec …``."""
    net, spec = w.network, w.spec
    head = Text("symbp network", style="bold magenta")
    n = len(w.samples)
    head.append(f"  {shape(net)} · {net.activation_text} · {net.cost} cost · "
                f"{plural(n, 'sample')} · η = {num(spec.learning_rate)}",
                style="bold")
    yield head
    where = (f"random parameters: N(0, 1) rounded to 2 decimals, seed {spec.seed}"
             if spec.random_parameters else f"parameters from {spec.source or 'the spec'}")
    yield Text(f"{where}.  Numbers are rounded to 6 significant digits ({marks.as_json()} has "
               "them all).", style="dim")
    for section, sample in tables.sections(w):
        yield Text("")
        yield from _SECTIONS[section](w, sample)


def _parameters_section(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    yield title("Parameters", "(row j: the weights wˡⱼₖ into neuron j of layer l, its bias bˡⱼ)")
    yield from _parameters(w.network, w.full)


def _parameters(net: Network, full: bool) -> Iterator[RenderableType]:
    for t in tables.parameter_tables(net, full):
        cut = ["…"] if t.cut else []
        weights = (name(graph.weight_name(t.layer, "j", k)) for k in t.columns)
        table = new_table(f"layer {t.layer}", *weights, *cut, name(graph.bias_name(t.layer, "j")),
                          right=slice(1, None))
        for row in t.rows:
            add_row(table, f"j = {row.j}", *map(num, row.weights), *cut, num(row.bias))
        yield indent(table)
        if t.hidden:
            yield more(t.hidden, "neuron")


def _sample(w: NetworkWalkthrough, i: int) -> Iterator[RenderableType]:
    r, net = w.samples[i], w.network
    head = title(f"Sample {i + 1} of {len(w.samples)}")
    head.append(f"   x = {vector(r.sample.x)}   y = {vector(r.sample.y)}", style="bold")
    yield head
    yield from _forward(net, r, w.full)
    yield from _backward(net, r, w.full)
    yield from _gradient(r, w.full)


def _other_samples(w: NetworkWalkthrough, start: int) -> Iterator[RenderableType]:
    yield title(f"Samples {start + 1}–{len(w.samples)}",
                f"(the same steps; {marks.full()} shows each one, {marks.as_json()} has all the "
                "numbers)")
    table = new_table("sample", "x", "y", "Cₓ")
    rows, hidden = steps.summarize(range(start, len(w.samples)), w.full)
    for i in rows:
        r = w.samples[i]
        add_row(table, str(i + 1), vector(r.sample.x), vector(r.sample.y), num(r.cost))
    yield indent(table)
    if hidden:
        yield more(hidden, "sample", 2)


def _step_table(layers: Sequence[steps.LayerRows], cells: Callable[..., tuple],
                columns: int) -> Iterator[RenderableType]:
    """One table of steps, a row per record shown, then a note of the rows left out."""
    table = new_table(*[""] * columns, header=False)
    for group in layers:
        for row in group.rows:
            add_row(table, *cells(row))
    yield indent(table, 4)
    notes = [f"{group.hidden} more {group.what}" for group in layers if group.hidden]
    if notes:
        yield more_of(notes)


def _forward(net: Network, r, full: bool) -> Iterator[RenderableType]:
    yield indent(Text("Forward pass", style="bold").append(
        "   " + ",  ".join(map(math_unicode, derivations.FORWARD)), style="dim"))
    yield from _step_table(steps.forward_rows(net, r, full), _forward_cells, 4)
    yield indent(Text(_line(derivations.cost(steps.sample_cost(net, r)))), 4)


def _forward_cells(row: steps.ForwardRow) -> tuple:
    d = derivations.forward(row)
    arithmetic, z = d.links
    return (math_unicode(d.lhs), f"= {math_unicode(arithmetic)}", f"= {math_unicode(z)}",
            math_unicode(d.result))


def _line(d: derivations.Derivation) -> str:
    """A derivation on one line: ``C = ½ Σⱼ (yⱼ − a³ⱼ)² = ½(1 − 0.65)² = 0.06``."""
    lhs, first, *rest = map(math_unicode, (d.lhs, *d.links))
    return f"{lhs} {'+=' if d.accumulates else '='} " + " = ".join((first, *rest))


def _backward(net: Network, r, full: bool) -> Iterator[RenderableType]:
    yield indent(Text("Backward pass", style="bold").append(
        "   δ of every neuron: BP1 at the output, then BP2 one layer down at a time",
        style="dim"))
    yield from _step_table(steps.error_rows(net, r, full), _error_cells, 4)
    gradient = COSTS[net.cost].gradient_formula
    yield indent(Text(f"{unicode(sigmas(net, 'derivative_formula'))}; {unicode(gradient)}",
                      style="dim"), 4)
    if r.jacobian is not None:
        yield indent(Text(unicode(softmax_bp1(net)), style="dim"), 4)


def _error_cells(row: steps.ErrorRow) -> tuple:
    d = derivations.error(row)
    formula, numbers, value = map(math_unicode, d.links)
    return (Text(d.label, style="bold"), f"{math_unicode(d.lhs)} = {formula}", f"= {numbers}",
            f"= {value}")


def _gradient(r, full: bool) -> Iterator[RenderableType]:
    yield indent(Text("Gradient", style="bold").append(
        "   " + "     ".join(f"{bp.label}: {math_unicode(bp.component)}" for bp in GENERIC[2:]),
        style="dim"))
    yield from _step_table(steps.gradient_rows(r, full), _gradient_cells, 5)


def _gradient_cells(row: steps.GradientRow) -> tuple:
    d = derivations.gradient(row)
    *links, value = (f"= {math_unicode(link)}" for link in d.links)
    return (Text(d.label, style="bold"), math_unicode(d.lhs), *links, *[""] * (2 - len(links)),
            value)


def _batch(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    n, batch = len(w.samples), tables.batch_table(w)
    cost = derivations.batch_cost([r.cost for r in w.samples], w.cost, batch.written_out)
    yield title(f"Batch of {plural(n, 'sample')} and one SGD step")
    yield indent(Text(unicode(derivations.batch_rule(w.spec.learning_rate)), style="dim"))
    yield indent(Text(_line(cost), style="bold"))
    table = new_table("parameter", *(f"sample {s + 1}" for s in range(batch.sample_columns)),
                      "mean ∂C/∂·", "before", "after", right=slice(1, None))
    for row in batch.rows:
        add_row(table, name(row.parameter), *map(num, row.per_sample), num(row.mean),
                num(row.before), num(row.after))
    yield indent(table)
    if batch.hidden:
        yield more(batch.hidden, "parameter", 2)


def _neuron_sweep(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    sweep = tables.sweep_table(w)
    yield title(f"Neuron-level graph of C for sample {sweep.sample}",
                f"({sweep.nodes} nodes, {sweep.edges} edges)")
    yield indent(Text(unicode(tables.SWEEP_ADJOINTS), style="dim"))
    table = new_table("node", "formula", "value", "dC/dv (sweep)", "layer level (BP1–BP4)",
                      right=slice(2, 4))
    for row in sweep.rows:
        formula = "(input)" if row.formula is None else inline(row.formula, as_written=True)
        add_row(table, name(row.node), formula, num(row.value), num(row.adjoint),
                "" if row.layer_level is None else unicode(row.layer_level.statement))
    yield indent(table)
    if sweep.hidden:
        yield more(sweep.hidden, "node", 2)
    if sweep.steps:
        yield indent(Text("Every step of the sweep:", style="bold"))
        sweep_table = new_table("", "", "", header=False)
        for i, step in enumerate(sweep.steps, start=1):
            e = step.edge
            add_row(sweep_table, str(i), f"{name(e.source)} → {name(e.target)}",
                    _line(derivations.sweep_step(step)))
        yield indent(sweep_table, 4)
    else:
        yield indent(Text("(intermediate nodes p = w·a, s = running sums and the cost terms "
                          f"are left out; {marks.full()} shows every node and every step of "
                          "the sweep)",
                          style="dim"))


_SPARKS = "▁▂▃▄▅▆▇█"


def _sparkline(values: Sequence[float], width: int = 40) -> str:
    if len(values) > width:
        step = (len(values) - 1) / (width - 1)
        values = [values[round(i * step)] for i in range(width)]
    low, high = min(values), max(values)
    if high - low <= 1e-15 * max(1.0, abs(high)):
        return _SPARKS[0] * len(values)
    return "".join(_SPARKS[min(7, int((v - low) / (high - low) * 8))] for v in values)


def _training(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    t = w.training
    n = len(w.samples)
    batches = ("all samples: epoch 1 is the step above" if t.batch_size == n
               else f"mini-batches of {t.batch_size}, shuffled each epoch")
    yield title(f"Training: {plural(t.epochs, 'epoch')} of SGD",
                f"(η = {num(t.learning_rate)}, {batches})")
    change = t.costs[-1] - t.costs[0]
    yield indent(Text(f"C  {_sparkline(t.costs)}  {num(t.costs[0])} → {num(t.costs[-1])} "
                      f"({'−' if change < 0 else '+'}{num(abs(change))})"))
    table = new_table("epoch", "C (batch mean)", right=slice(None))
    for e in tables.shown_epochs(t, w.full):
        add_row(table, str(e), num(t.costs[e]))
    yield indent(table)
    yield indent(Text("Parameters after training:", style="bold"))
    yield from _parameters(t.network, w.full)


def _checks(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    yield from checks_section(w.checks, w.ok)


def _layers_section(w: NetworkWalkthrough, _=None) -> Iterator[RenderableType]:
    """The same numbers layer by layer, in matrix form (:mod:`symbp.network.layers`)."""
    yield from layer_section(w.layers)


_SECTIONS = {"parameters": _parameters_section, "sample": _sample, "other samples": _other_samples,
             "batch": _batch, "layers": _layers_section,
             "sweep": _neuron_sweep, "training": _training, "checks": _checks}
"""How each section of :func:`symbp.network.tables.sections` is printed."""
