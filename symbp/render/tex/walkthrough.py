r"""The numeric walkthrough of ``symbp network --walkthrough`` as
:class:`~symbp.render.tex.document.Part` s: parameters, each sample's forward pass, error and
gradient, the batch, the neuron sweep and training.  Numbers are the terminal's (6
significant digits, negative factors in parentheses); big networks are summarized as
there unless the record is ``full``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import sympy

from ...core.printing import plural
from ...network import derivations, graph, steps, tables
from ...network.equations import GENERIC, softmax_bp1
from ...network.functions import COSTS, sigmas
from ...network.model import Network
from ...network.prose import Code, Math, Prose, Rounded, Text, Vector, prose
from ...network.records import NetworkWalkthrough
from ...network.symbols import Adjoint, Operator, Partial, Times, symbol
from .. import marks
from .derivations import chain, sweep_step
from .document import Chain, Part, math_part
from .layers import layer_parts
from .network_math import checks_parts, more, shape

__all__ = ["walkthrough_parts"]


# -- the walkthrough ------------------------------------------------------------------------------

def walkthrough_parts(w: NetworkWalkthrough) -> Iterator[Part]:
    net, spec = w.network, w.spec
    count = len(w.samples)
    yield Part("title", prose(f"Backpropagation in a {shape(net)} network, step by step"))
    where = (prose("random parameters (", symbol("N(0, 1)"),
                   f" rounded to 2 decimals, seed {spec.seed})") if spec.random_parameters else
             prose("parameters from ", Code(spec.source)) if spec.source
             else prose("parameters from the spec"))
    yield Part("prose", prose(f"Activation {net.activation_text}, {net.cost} cost, "
                              f"{plural(count, 'sample')}, learning rate ",
                              _eq(symbol("eta"), Rounded(spec.learning_rate)), "; ", *where,
                              ". Numbers are rounded to 6 significant digits (",
                              Code(marks.as_json()), " has them all)."))
    for section, sample in tables.sections(w):
        yield from _SECTIONS[section](w, sample)


def _parameters_section(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    yield Part("heading", prose("Parameters"))
    j, l_ = symbol("j"), symbol("l")
    yield Part("prose", prose("Row ", j, ": the weights ", symbol("w^{l}_{jk}"), " into neuron ",
                              j, " of layer ", l_, " and its bias ", symbol("b^{l}_{j}"), "."))
    yield from _parameters(w.network, w.full)


def _eq(lhs, rhs):
    return sympy.Eq(lhs, rhs, evaluate=False)


def _cell(value) -> Prose:
    """A table cell: a number rounded, a node name as math, words as they are."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return prose(Rounded(value))
    return prose(value)


def _parameters(net: Network, full: bool) -> Iterator[Part]:
    for t in tables.parameter_tables(net, full):
        cut = [prose("…")] if t.cut else []
        header = (prose(f"layer {t.layer}"),
                  *(prose(symbol(graph.weight_name(t.layer, "j", k))) for k in t.columns),
                  *cut, prose(symbol(graph.bias_name(t.layer, "j"))))
        body = [(prose(_eq(symbol("j"), row.j)), *map(_cell, row.weights), *cut, _cell(row.bias))
                for row in t.rows]
        if t.hidden:
            body.append((prose(f"… {t.hidden} more"), *[()] * (len(header) - 1)))
        yield Part("table", header=header, rows=tuple(body), align="l" + "r" * (len(header) - 1))


def _sample(w: NetworkWalkthrough, i: int) -> Iterator[Part]:
    r, net = w.samples[i], w.network
    yield Part("heading", prose(f"Sample {i + 1} of {len(w.samples)}"))
    yield Part("prose", prose(_eq(symbol("x"), Vector.of(r.sample.x)), ", ",
                              _eq(symbol("y"), Vector.of(r.sample.y)), "."))
    yield Part("subheading", prose("Forward pass"))
    z_, a_, a1 = derivations.FORWARD
    yield Part("prose", prose(z_, ", ", a_, ", ", a1, "."))
    yield math_part([*_layers(steps.forward_rows(net, r, w.full), derivations.forward),
                     chain(derivations.cost(steps.sample_cost(net, r)))],
                    f"sample {i + 1}: forward pass")
    yield Part("subheading", prose("Backward pass"))
    yield Part("prose", (Math(symbol("delta")),
                         Text(" of every neuron: BP1 at the output, then BP2 one layer down at "
                              "a time; "), *sigmas(net, "derivative_formula"), Text("; "),
                         *COSTS[net.cost].gradient_formula, Text(".")))
    if r.jacobian is not None:
        yield Part("prose", (*softmax_bp1(net), Text(".")))
    yield math_part(list(_layers(steps.error_rows(net, r, w.full), derivations.error)),
                    f"sample {i + 1}: backward pass (BP1, BP2)")
    yield Part("subheading", prose("Gradient"))
    bp3, bp4 = GENERIC[2], GENERIC[3]
    yield Part("prose", prose(f"{bp3.label}: ", bp3.component, f"; {bp4.label}: ",
                              bp4.component, "."))
    yield math_part(list(_layers(steps.gradient_rows(r, w.full), derivations.gradient)),
                    f"sample {i + 1}: gradient (BP3, BP4)")


def _layers(layers: Sequence[steps.LayerRows],
            derivation: Callable[..., derivations.Derivation]) -> Iterator[Chain | str]:
    """A chain per record shown, each layer followed by a row counting those left out."""
    for group in layers:
        yield from (chain(derivation(row)) for row in group.rows)
        if group.hidden:
            yield more(group.hidden, group.what)


def _other_samples(w: NetworkWalkthrough, start: int) -> Iterator[Part]:
    yield Part("heading", prose(f"Samples {start + 1}–{len(w.samples)}"))
    yield Part("prose", prose("The same steps (", Code(marks.full()), " shows each one, ",
                              Code(marks.as_json()), " has all the numbers)."))
    rows, hidden = steps.summarize(range(start, len(w.samples)), w.full)
    body = [(prose(str(i + 1)), prose(Vector.of(w.samples[i].sample.x)),
             prose(Vector.of(w.samples[i].sample.y)), _cell(w.samples[i].cost)) for i in rows]
    if hidden:
        body.append((prose(f"… {hidden} more"), (), (), ()))
    yield Part("table", header=(prose("sample"), prose(symbol("x")), prose(symbol("y")),
                                prose(symbol("C_x"))), rows=tuple(body), align="lllr")


def _batch(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    count, batch = len(w.samples), tables.batch_table(w)
    yield Part("heading", prose(f"Batch of {plural(count, 'sample')} and one SGD step"))
    yield Part("prose", (*derivations.batch_rule(w.spec.learning_rate), Text(".")))
    cost = derivations.batch_cost([r.cost for r in w.samples], w.cost, batch.written_out)
    yield math_part([chain(cost)], "batch cost")
    header = (prose("parameter"),
              *(prose(f"sample {s + 1}") for s in range(batch.sample_columns)),
              prose("mean ", Partial(symbol("C"), Operator("cdot"))), prose("before"),
              prose("after"))
    body = [(prose(symbol(row.parameter)), *map(_cell, row.per_sample), _cell(row.mean),
             _cell(row.before), _cell(row.after)) for row in batch.rows]
    if batch.hidden:
        body.append((prose(f"… {batch.hidden} more"), *[()] * (len(header) - 1)))
    yield Part("table", header=header, rows=tuple(body), align="l" + "r" * (len(header) - 1))


def _neuron_sweep(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    sweep = tables.sweep_table(w)
    C, v = symbol("C"), symbol("v")
    yield Part("heading", prose("Neuron-level graph of ", C, f" for sample {sweep.sample}"))
    yield Part("prose", prose(
        symbol("C_x"), f" of sample {sweep.sample} as a computational graph has "
        f"{sweep.nodes} nodes and {sweep.edges} edges. ", *tables.SWEEP_ADJOINTS))
    body = [(prose(symbol(row.node)),
             prose("(input)" if row.formula is None else Math(row.formula, as_written=True)),
             _cell(row.value), _cell(row.adjoint),
             () if row.layer_level is None else row.layer_level.statement)
            for row in sweep.rows]
    if sweep.hidden:
        body.append((prose(f"… {sweep.hidden:,} more"), (), (), (), ()))
    yield Part("table", header=(prose("node"), prose("formula"), prose("value"),
                                prose(Adjoint(C, v), " (sweep)"), prose("layer level (BP1–BP4)")),
               rows=tuple(body), align="llrrl")
    if sweep.steps:
        yield Part("subheading", prose("Every step of the sweep"))
        yield math_part([sweep_step(i, step) for i, step in enumerate(sweep.steps, start=1)],
                        f"sample {sweep.sample}: every step of the sweep")
    else:
        yield Part("prose", prose(
            "(Intermediate nodes ", _eq(symbol("p"), Times(symbol("w"), symbol("a"))), ", ",
            symbol("s"), " = running sums and the cost terms are left out; ", Code(marks.full()),
            " shows every node and every step of the sweep.)"))


def _training(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    t = w.training
    count = len(w.samples)
    batches = ("all samples: epoch 1 is the step above" if t.batch_size == count
               else f"mini-batches of {t.batch_size}, shuffled each epoch")
    yield Part("heading", prose(f"Training: {plural(t.epochs, 'epoch')} of SGD"))
    change = t.costs[-1] - t.costs[0]
    yield Part("prose", prose(
        _eq(symbol("eta"), Rounded(t.learning_rate)), f", {batches}. The batch cost goes from ",
        Rounded(t.costs[0]), " to ", Rounded(t.costs[-1]), " (",
        *(() if change < 0 else ("+",)), Rounded(change), ")."))
    yield Part("table", header=(prose("epoch"), prose(symbol("C"), " (batch mean)")), align="rr",
               rows=tuple((prose(str(e)), _cell(t.costs[e]))
                          for e in tables.shown_epochs(t, w.full)))
    yield Part("prose", prose("Parameters after training:"))
    yield from _parameters(t.network, w.full)


def _checks(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    yield from checks_parts(w.checks, w.ok, prose("Every number above is compared with "
                                                  "independent oracles."))


def _layers_section(w: NetworkWalkthrough, _=None) -> Iterator[Part]:
    """The same numbers layer by layer, in matrix form (:mod:`symbp.network.layers`)."""
    yield from layer_parts(w.layers)


_SECTIONS = {"parameters": _parameters_section, "sample": _sample, "other samples": _other_samples,
             "batch": _batch, "layers": _layers_section,
             "sweep": _neuron_sweep, "training": _training, "checks": _checks}
"""How each section of :func:`symbp.network.tables.sections` is printed."""
