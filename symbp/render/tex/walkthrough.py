r"""The numeric walkthrough of ``symbp network --walkthrough`` as
:class:`~symbp.render.tex.document.Part` s: parameters, each sample's forward pass, error and
gradient, the batch, the neuron sweep and training.  Numbers are the terminal's (6
significant digits, negative factors in parentheses); big networks are summarized as
there unless the record is ``full``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import sympy

from ...core.forward import SweepStep
from ...core.printing import plural
from ...network import graph, steps, tables
from ...network.equations import GENERIC, softmax_bp1
from ...network.functions import COSTS, sigmas
from ...network.model import Network
from ...network.prose import Code, Math, Prose, Rounded, Text, Vector, prose
from ...network.records import NetworkWalkthrough
from ...network.symbols import (
    Adjoint,
    Juxtapose,
    Minus,
    Operator,
    Partial,
    SumOver,
    Times,
    Word,
    sigma,
    symbol,
)
from .. import marks
from .document import Chain, Item, Part, math_part
from .layers import layer_parts
from .network_math import adjoint, checks_parts, dc, f, more, n, name, shape

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
    z = symbol("z^{l}_{j}")
    weighted = sympy.Add(SumOver(Juxtapose(symbol("w^{l}_{jk}"), symbol("a^{l-1}_{k}")),
                                 symbol("k")), symbol("b^{l}_{j}"), evaluate=False)
    yield Part("prose", prose(_eq(z, weighted), ", ", _eq(symbol("a^{l}_{j}"), sigma(z)), ", ",
                              _eq(symbol("a^{1}"), symbol("x")), "."))
    yield math_part([*_layers(steps.forward_rows(net, r, w.full), _forward_chain),
                     _cost(steps.sample_cost(net, r))], f"sample {i + 1}: forward pass")
    yield Part("subheading", prose("Backward pass"))
    yield Part("prose", (Math(symbol("delta")),
                         Text(" of every neuron: BP1 at the output, then BP2 one layer down at "
                              "a time; "), *sigmas(net, "derivative_formula"), Text("; "),
                         *COSTS[net.cost].gradient_formula, Text(".")))
    if r.jacobian is not None:
        yield Part("prose", (*softmax_bp1(net), Text(".")))
    yield math_part(list(_layers(steps.error_rows(net, r, w.full), _error_chain)),
                    f"sample {i + 1}: backward pass (BP1, BP2)")
    yield Part("subheading", prose("Gradient"))
    bp3, bp4 = GENERIC[2], GENERIC[3]
    yield Part("prose", prose(f"{bp3.label}: ", bp3.component, f"; {bp4.label}: ",
                              bp4.component, "."))
    yield math_part(list(_layers(steps.gradient_rows(r, w.full), _gradient_chain)),
                    f"sample {i + 1}: gradient (BP3, BP4)")


def _layers(layers: Sequence[steps.LayerRows],
            chain: Callable[..., Chain]) -> Iterator[Chain | str]:
    """A chain per record shown, each layer followed by a row counting those left out."""
    for group in layers:
        yield from map(chain, group.rows)
        if group.hidden:
            yield more(group.hidden, group.what)


def _forward_chain(row: steps.ForwardRow) -> Chain:
    layer, j = row.layer, row.j
    if row.terms:
        products = [("+ " if k else "") + rf"{f(wk)} \cdot {f(ak)}"
                    for k, (wk, ak) in enumerate(row.terms)]
        arithmetic = Item("=", (*products, f"+ {f(row.bias)}"))
    else:
        arithmetic = Item("=", (rf"\sum_k {graph.weight_name(layer, j, 'k')}\, "
                                rf"{graph.activation_name(layer - 1, 'k')} + "
                                rf"{graph.bias_name(layer, j)}",))
    return Chain(graph.weighted_input_name(layer, j), (arithmetic, Item("=", (n(row.z),))),
                 rf"{graph.activation_name(layer, j)} = {n(row.a)}")


def _cost(c: steps.SampleCost) -> Chain:
    out, a, y = c.layer, c.outputs, c.targets
    if c.cost == "log-likelihood":  # y is one-hot: one term, −ln a^L_y
        label = y.index(1.0)
        return Chain("C", (Item("=", (rf"-\sum_j y_j \ln a^{{{out}}}_j",)),
                           Item("=", (rf"-\ln {graph.activation_name(out, label + 1)}",)),
                           Item("=", (rf"-\ln {n(a[label])}",)), Item("=", (n(c.value),))),
                     r"\text{cost}")
    if c.cost == "quadratic":
        general = rf"\tfrac{{1}}{{2}} \sum_j \left(y_j - a^{{{out}}}_j\right)^2"
        terms = [("+ " if k else "") + rf"\left({n(yj)} - {f(aj)}\right)^2"
                 for k, (aj, yj) in enumerate(zip(a, y, strict=True))]
        terms[0] = r"\tfrac{1}{2}" + (r"\bigl[" if len(a) > 1 else "") + terms[0]
        if len(a) > 1:
            terms[-1] += r"\bigr]"
    else:
        general = (rf"-\sum_j \left[y_j \ln a^{{{out}}}_j + (1 - y_j) "
                   rf"\ln\left(1 - a^{{{out}}}_j\right)\right]")
        terms = [("+ " if k else "") + rf"{f(yj)} \ln {n(aj)} + {f(1 - yj)} \ln {n(1 - aj)}"
                 for k, (aj, yj) in enumerate(zip(a, y, strict=True))]
        terms[0] = r"-\bigl[" + terms[0]
        terms[-1] += r"\bigr]"
    links = [Item("=", (general,))]
    if c.written_out:
        links.append(Item("=", tuple(terms)))
    links.append(Item("=", (n(c.value),)))
    return Chain("C", tuple(links), r"\text{cost}")


def _error_chain(row: steps.ErrorRow) -> Chain:
    z = graph.weighted_input_name(row.layer, row.j)
    if isinstance(row, steps.SoftmaxError):
        formula, numbers = _softmax_bp1(row)
    elif isinstance(row, steps.OutputError):
        formula, numbers = _bp1(row, z)
    else:
        formula, numbers = _bp2(row, z)
    return Chain(name(graph.delta_name(row.layer, row.j)),
                 (Item("=", (formula,)), Item("=", (numbers,)), Item("=", (n(row.delta),))),
                 rf"\text{{{row.label}}}")


def _bp1(row: steps.OutputError, z: str) -> tuple[str, str]:
    a, y = graph.activation_name(row.layer, row.j), graph.target_name(row.j)
    aj, yj, sp = row.output, row.target, row.sigma_prime
    if row.cost == "quadratic":
        return (rf"\left({a} - {y}\right) \sigma'\left({z}\right)",
                rf"\left({n(aj)} - {f(yj)}\right) \cdot {f(sp)}")
    return (rf"\frac{{{a} - {y}}}{{{a}\left(1 - {a}\right)}}\,\sigma'\left({z}\right)",
            rf"\frac{{{n(aj)} - {f(yj)}}}{{{n(aj)} \cdot {n(1 - aj)}}} \cdot {f(sp)}")


def _softmax_bp1(row: steps.SoftmaxError) -> tuple[str, str]:
    a, y = graph.activation_name(row.layer, row.j), graph.target_name(row.j)
    if row.cost == "log-likelihood":  # the Jacobian form reduced: a − y
        return rf"{a} - {y}", rf"{n(row.output)} - {f(row.target)}"
    a_k = graph.activation_name(row.layer, "k")
    return (rf"{a}\Bigl(\frac{{\partial C}}{{\partial {a}}} - \sum_k {a_k}\, "
            rf"\frac{{\partial C}}{{\partial {a_k}}}\Bigr)",
            rf"{f(row.output)} \cdot \left({n(row.gradient)} - {f(row.weighted)}\right)")


def _bp2(row: steps.HiddenError, z: str) -> tuple[str, str]:
    formula = (rf"\Bigl(\sum_k {graph.weight_name(row.layer + 1, 'k', row.j)}\, "
               rf"{name(graph.delta_name(row.layer + 1, 'k'))}\Bigr) \sigma'\left({z}\right)")
    products = " + ".join(rf"{f(wk)} \cdot {f(dk)}" for wk, dk in row.terms)
    total = (rf"\left({products}\right)" if len(row.terms) > 1 else products if row.terms
             else f(row.weighted_error))
    return formula, rf"{total} \cdot {f(row.sigma_prime)}"


def _gradient_chain(row: steps.GradientRow) -> Chain:
    delta = name(graph.delta_name(row.layer, row.j))
    if row.k is None:
        lhs, values = dc(graph.bias_name(row.layer, row.j)), (delta,)
    else:
        lhs = dc(graph.weight_name(row.layer, row.j, row.k))
        values = (rf"{graph.activation_name(row.layer - 1, row.k)} \cdot {delta}",
                  rf"{f(row.activation)} \cdot {f(row.delta)}")
    return Chain(lhs, tuple(Item("=", (v,)) for v in (*values, n(row.value))),
                 rf"\text{{{row.label}}}")


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
    C, eta = symbol("C"), symbol("eta")
    step = Minus(Word("before"), Times(eta, Word("mean")))
    yield Part("prose", prose(
        _eq(C, Juxtapose(sympy.Pow(symbol("n"), -1, evaluate=False),
                         SumOver(symbol("C_x"), symbol("x")))),
        ", so ", Partial(C, symbol("w")), " and ", Partial(C, symbol("b")),
        " are the averages of the samples' gradients; one SGD step: ",
        _eq(Word("after"), step), ", ", _eq(eta, Rounded(w.spec.learning_rate)), "."))
    links = []
    if batch.written_out:
        links.append(Item("=", (r"\frac{" + " + ".join(n(r.cost) for r in w.samples)
                                + f"}}{{{count}}}",)))
    links.append(Item("=", (n(w.cost),)))
    yield math_part([Chain("C", tuple(links))], "batch cost")
    header = (prose("parameter"),
              *(prose(f"sample {s + 1}") for s in range(batch.sample_columns)),
              prose("mean ", Partial(C, Operator("cdot"))), prose("before"), prose("after"))
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
        f"{sweep.nodes} nodes and {sweep.edges} edges. The reverse sweep of ",
        Code("symbp explain"), "'s engine stores ", Adjoint(C, v), " for every node ", v,
        ": at ", symbol("z"), " it is ", symbol("delta"), " (BP1, BP2), at ", symbol("b"),
        " and ", symbol("w"), " the gradient (BP3, BP4)."))
    body = [(prose(symbol(row.node)),
             prose("(input)" if row.formula is None else Math(row.formula, as_written=True)),
             _cell(row.value), _cell(row.adjoint), _layer_level(row.layer_level))
            for row in sweep.rows]
    if sweep.hidden:
        body.append((prose(f"… {sweep.hidden:,} more"), (), (), (), ()))
    yield Part("table", header=(prose("node"), prose("formula"), prose("value"),
                                prose(Adjoint(C, v), " (sweep)"), prose("layer level (BP1–BP4)")),
               rows=tuple(body), align="llrrl")
    if sweep.steps:
        yield Part("subheading", prose("Every step of the sweep"))
        yield math_part([_sweep_step(i, step) for i, step in enumerate(sweep.steps, start=1)],
                        f"sample {sweep.sample}: every step of the sweep")
    else:
        yield Part("prose", prose(
            "(Intermediate nodes ", _eq(symbol("p"), Times(symbol("w"), symbol("a"))), ", ",
            symbol("s"), " = running sums and the cost terms are left out; ", Code(marks.full()),
            " shows every node and every step of the sweep.)"))


def _layer_level(level: tables.LayerAdjoint | None) -> Prose:
    """What BP1–BP4 say dC/dv is: ``δ³₁ = -0.079754 (BP1)``."""
    if level is None:
        return ()
    label = f" ({level.label})" if level.label else ""
    return prose(_eq(level.formula, Rounded(level.value)), label)


def _sweep_step(index: int, step: SweepStep) -> Chain:
    """``dC/d source += dC/d target · ∂target/∂source = carried · partial = contribution``."""
    source, target = step.edge.source, step.edge.target
    partial = rf"\frac{{\partial {name(target)}}}{{\partial {name(source)}}}"
    links = (Item(r"\mathrel{+}=", (rf"{adjoint(target)} \cdot {partial}",)),
             Item("=", (rf"{f(step.carried)} \cdot {f(step.partial)}",)),
             Item("=", (n(step.contribution),)))
    return Chain(adjoint(source), links, rf"{index}.\ {name(source)} \to {name(target)}")


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
