r"""LaTeX for ``symbp network``: the derivation of BP1–BP4 and the numeric walkthrough.

Both records are first turned into :class:`Part` s — headings, prose (text with
``$…$`` math), ``align*`` rows (laid out by :func:`~symbp.render.layout`) and
tables with math cells — which this module writes as LaTeX and
:mod:`~symbp.render.network_markdown` as Markdown, so the two show the same rows and
the same numbers.  Numbers are the terminal's (6 significant digits, negative factors
in parentheses); big networks are summarized as there unless the record is ``full``
(both write the records of :mod:`symbp.network_steps`).

:func:`to_latex` gives a fragment of ``align*`` blocks (each preceded by a comment
naming it) or, with ``standalone=True``, a complete ``article`` that compiles with
pdflatex (amsmath, amssymb, geometry).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..core.checks import Check
from ..core.forward import SweepStep
from ..core.printing import noun, plural
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
from ..network.records import NetworkDerivation, NetworkWalkthrough
from . import texmath as tex
from .document import Chain, Item, block, layout
from .latex import PREAMBLE
from .network_pieces import num

__all__ = ["Part", "parts", "prose", "to_latex", "uni_math"]


# -- parts ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """One piece of the document.

    ``kind`` is ``"title"`` / ``"heading"`` / ``"subheading"`` (``text`` is prose),
    ``"prose"`` (text with ``$…$`` math), ``"math"`` (``rows``: laid-out ``align*``
    rows; ``text`` names the block in a fragment's comment), ``"table"`` (``header`` and
    ``rows`` of prose cells, ``align`` a column spec of ``l``/``r``/``p``) or ``"list"``
    (``rows``: prose items, ``align`` ``"enumerate"`` or ``"itemize"``).
    """

    kind: str
    text: str = ""
    rows: tuple = ()
    header: tuple[str, ...] = ()
    align: str = ""


def _math(rows: Sequence[Chain | str], comment: str) -> Part:
    return Part("math", comment, tuple(layout(list(rows))))


def parts(record: NetworkDerivation | NetworkWalkthrough) -> list[Part]:
    """The document as parts (see :class:`Part`)."""
    if isinstance(record, NetworkDerivation):
        return list(_derivation(record))
    return list(_walkthrough(record))


# -- Unicode formulas as TeX ---------------------------------------------------------------------

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹ˡᴸ⁺⁻ᵀᵏʲ", "0123456789lL+-Tkj", strict=True))
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉ⱼₖₓₐₗ₊₋", "0123456789jkxal+-", strict=True))
_SYMBOLS = {
    "½": r"\tfrac{1}{2}", "‖": r"\Vert ", "Σ": r"\sum", "∇": r"\nabla", "⊘": r"\oslash",
    "−": "-", "…": r"\ldots", "'": "'", "→": r"\to", "η": r"\eta", "σ": r"\sigma",
    "δ": r"\delta", "×": r"\times", "⊙": r"\odot", "·": r"\cdot", "∂": r"\partial",
}
_FUNCTIONS = {"ln": r"\ln", "exp": r"\exp", "max": r"\max", "tanh": r"\tanh"}


def uni_math(formula: str) -> str:
    """A formula written in Unicode (``δˡⱼ = Σₖ wˡ⁺¹ₖⱼ δˡ⁺¹ₖ σ'(zˡⱼ)``) as math-mode TeX."""
    formula = re.sub(r"\^\(([^()]*)\)", lambda m: "^{" + m.group(1) + "}", formula)
    out: list[str] = []
    i = 0
    while i < len(formula):
        ch = formula[i]
        for table, mark in ((_SUPER, "^"), (_SUB, "_")):
            if ch in table:
                j = i
                while j < len(formula) and formula[j] in table:
                    j += 1
                out.append(mark + "{" + "".join(table[c] for c in formula[i:j]) + "}")
                i = j
                break
        else:
            word = re.match(r"[A-Za-z]{2,}", formula[i:])
            if word:
                w = word.group()
                out.append(_FUNCTIONS.get(w, r"\mathrm{" + w + "}") + " ")
                i += len(w)
                continue
            if ch in _SYMBOLS:
                out.append(_SYMBOLS[ch] + (" " if _SYMBOLS[ch][-1].isalpha() else ""))
            elif ch.isascii():
                out.append(ch)
            else:
                out.append("{" + tex.unicode_math(ch) + "}")
            i += 1
    return re.sub(r" +", " ", "".join(out)).strip()


_MATHY = re.compile(
    r"^[(\[]*([A-Za-z]|\d+(\.\d+)?|\d+/[a-z]|[=+<>*/-]|[0-9/()+*^.-]+)[)\]]*[,.;:]?$")
_TEXT_UNICODE = set("—–’")


def prose(words: str) -> str:
    """Text with formulas in Unicode as prose: the formulas in ``$…$``, the rest as text."""
    tokens = words.split(" ")
    kinds = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        mathy = (any(not c.isascii() and c not in _TEXT_UNICODE for c in token)
                 or bool(_MATHY.match(token)))
        if token == "a" and re.fullmatch(r"[a-z]{2,}", following) and following not in (
                "and", "or"):
            mathy = False  # the article
        kinds.append(mathy and token != "")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if not kinds[i]:
            out.append(tokens[i])
            i += 1
            continue
        j = i
        while j < len(tokens) and kinds[j]:
            j += 1
        run = " ".join(tokens[i:j])
        tail = re.search(r"[,.;:]+$", run)
        end = tail.group() if tail else ""
        run = run[: len(run) - len(end)]
        before = ""
        for opening, closing in ("()", "[]"):
            while run.endswith(closing) and run.count(opening) < run.count(closing):
                run, end = run[:-1], closing + end
            while run.startswith(opening) and run.count(opening) > run.count(closing):
                run, before = run[1:], before + opening
        out.append(f"{before}${uni_math(run)}${end}")
        i = j
    return " ".join(out)


# -- small pieces ---------------------------------------------------------------------------------

def n(value: float) -> str:
    """A number as the terminal rounds it, in TeX (``1.5 \\cdot 10^{-7}``)."""
    return tex.scientific(num(value))


def f(value: float) -> str:
    """A number as a factor: negative ones in parentheses."""
    text = n(value)
    return rf"\left({text}\right)" if text.startswith("-") else text


def name(node: str) -> str:
    """A node name (``w^{2}_{11}``, ``delta^{2}_{1}``) in TeX."""
    return "\\" + node if node.startswith("delta") else node


def dc(node: str) -> str:
    r"""``\frac{\partial C}{\partial node}``."""
    return rf"\frac{{\partial C}}{{\partial {name(node)}}}"


def adjoint(node: str) -> str:
    r"""``\frac{\mathrm{d} C}{\mathrm{d} node}``: the adjoint the reverse sweep stores."""
    return rf"\frac{{\mathrm{{d}} C}}{{\mathrm{{d}} {name(node)}}}"


def _more(hidden: int, what: str) -> str:
    return (rf"&\vdots\quad {tex.count(hidden)}\ "
            + tex.text(f"more {what} (use --full to show all)"))


def _shape(network: Network) -> str:
    return "-".join(str(k) for k in network.layers)


def _vector(values: Sequence[float]) -> str:
    shown = [n(v) for v in values[:8]]
    if len(values) > 8:
        shown.append(rf"\ldots\ \text{{{len(values) - 8} more}}")
    return r"\left(" + ", ".join(shown) + r"\right)"


def _file(path: str) -> str:
    """A file name in typewriter type that may break after a slash."""
    return r"\texttt{" + path.replace("/", r"/\allowbreak{}") + "}"


def _checks(checks: Sequence[Check], ok: bool, lead: str) -> Iterator[Part]:
    yield Part("heading", "Checks")
    yield Part("prose", lead)
    items = []
    for check in checks:
        mark = {True: r"$\checkmark$", False: r"$\times$ \textbf{FAILED}", None: "--"}[
            check.passed]
        method = f" [{check.method}]" if check.method else ""
        detail = f": {check.detail}" if check.detail else ""
        items.append(f"{mark} {_bold(check.name)}{prose(method + detail)}")
    yield Part("list", rows=tuple(items), align="itemize")
    if not ok:
        yield Part("prose", _bold("A self-check failed: this is a bug in symbp; the numbers "
                                  "above cannot be trusted."))


def _bold(words: str) -> str:
    r"""Bold text: marked ``\textbf{…}`` here, turned into ``**…**`` for Markdown."""
    return r"\textbf{" + words + "}"


# -- the derivation -------------------------------------------------------------------------------

def _derivation(d: NetworkDerivation) -> Iterator[Part]:
    net = d.network
    yield Part("title", f"Backpropagation in a {_shape(net)} network")
    yield Part("prose", f"Activation {net.activation}, {net.cost} cost. $L = {net.depth}$ "
               f"layers: layer 1 is the input $x$, layer {net.depth} the output; $C$ is the "
               "cost of one training example. Notation of Nielsen, \\emph{Neural Networks "
               "and Deep Learning}, ch. 2.")
    yield Part("heading", "Notation")
    yield Part("table", header=("symbol", "meaning", "in this network"), align="lpp",
               rows=tuple((f"${uni_math(s)}$", prose(m), prose(h)) for s, m, h in d.notation))
    yield Part("heading", "Assumptions on the cost")
    yield Part("list", rows=tuple(prose(a) for a in d.assumptions), align="enumerate")
    yield Part("heading", "The four equations of backpropagation")
    yield Part("prose", "Each in component form and in vector form, and why it holds.")
    for eq in d.equations:
        yield Part("subheading", f"{eq.label}: {eq.title}")
        yield _math([_split(eq.component_latex, r"\text{component}"),
                     _split(eq.vector_latex, r"\text{vector}")], eq.label)
        yield Part("prose", "Why: " + prose(eq.derivation))
    yield Part("heading", "For this network")
    act = ACTIVATIONS[net.activation]
    yield Part("prose", f"$\\sigma$ = {net.activation}: {prose(act.formula)}, "
               f"{prose(d.derivative_formula)}; {prose(d.gradient_formula)}.")
    for layer in range(net.depth, 1, -1):
        equations = [eq for eq in d.layers if eq.layer == layer]
        role = " (output)" if layer == net.depth else ""
        yield Part("subheading", f"Layer {layer}{role}")
        rows: list[Chain | str] = []
        for eq in equations:
            shown, hidden = steps.summarize(eq.components, d.full)
            hidden += eq.count - len(eq.components)
            rows.append(_split(eq.vector_latex, rf"\text{{{eq.label}}}"))
            rows += [Chain(_component_lhs(c.lhs), (Item("=", (tex.network_expr(c.rhs),)),))
                     for c in shown]
            if hidden:
                rows.append(_more(hidden, noun(hidden, "component")))
        labels = ", ".join(eq.label for eq in equations)
        yield _math(rows, f"layer {layer}: {labels}")
        for eq in equations:
            if eq.note:
                yield Part("prose", prose(eq.note))
    order = ", then ".join(
        f"$\\delta^{{{layer}}}$ (BP1)" if layer == net.depth else
        f"$\\delta^{{{layer}}}$ (BP2, from $\\delta^{{{layer + 1}}}$)"
        for layer in range(net.depth, 1, -1))
    yield Part("prose", f"Order: {order}. Each $\\delta$ is computed once and reused --- by BP3 "
               "and BP4 of its layer and by BP2 for the layer below: the memoized reverse "
               "sweep, i.e. backpropagation.")
    yield from _neuron_rules(d)
    yield from _checks(d.checks, d.ok, f"On random parameters and a random example (seed "
                       f"{d.seed}), every equation above is evaluated and compared.")


def _split(equation: str, note: str = "") -> Chain:
    """``lhs = rhs`` (LaTeX) as a chain aligned at its ``=``."""
    lhs, rhs = equation.split(" = ", 1)
    return Chain(lhs, (Item("=", (rhs,)),), note)


def _component_lhs(lhs: str) -> str:
    return dc(lhs[4:]) if lhs.startswith("dC/d") else name(lhs)


def _neuron_rules(d: NetworkDerivation) -> Iterator[Part]:
    graph = d.graph
    yield Part("heading", "The same equations on the neuron-level graph")
    yield Part("prose", f"$C_x$ as a computational graph has {plural(len(graph.nodes), 'node')} "
               f"and {plural(len(graph.edges), 'edge')}. Backprop on the graph stores "
               r"$\frac{\mathrm{d} C}{\mathrm{d} v}$ for every node $v$, from $C$ down: "
               r"$\frac{\mathrm{d} C}{\mathrm{d} v} = \sum_{v \to t} \frac{\mathrm{d} C}"
               r"{\mathrm{d} t}\,\frac{\partial t}{\partial v}$ (the local partial, from the "
               "rule table). For neuron 1 of each layer:")
    rows = []
    for rule in d.adjoint_rules:
        terms = [tex.factor(p) for _, p in rule.terms]
        product = [rf"{adjoint(e.target)} \cdot {t}"
                   for (e, _), t in zip(rule.terms, terms, strict=True)]
        pieces = [("+ " if i else "") + p for i, p in enumerate(product)] or ["1"]
        label = f"{rule.meaning} ({rule.equation})" if rule.equation else rule.meaning
        note = _math_prose(prose(label.replace("dC/d", "∂C/∂"))) if label else ""
        rows.append(Chain(adjoint(rule.node), (Item("=", tuple(pieces)),), note))
    yield _math(rows, "neuron-level adjoints")
    if not d.full:
        every = plural(len(d.sweep_steps), "step")
        yield Part("prose", f"(\\texttt{{--full}} shows all {every} of the sweep in the "
                   "terminal.)")


def _math_prose(words: str) -> str:
    """Prose (``$…$`` math in text) as math-mode TeX, for a note column."""
    return "".join(chunk if k % 2 else tex.text(chunk) for k, chunk in enumerate(words.split("$")))


# -- the walkthrough ------------------------------------------------------------------------------

def _walkthrough(w: NetworkWalkthrough) -> Iterator[Part]:
    net, spec = w.network, w.spec
    count = len(w.samples)
    yield Part("title", f"Backpropagation in a {_shape(net)} network, step by step")
    where = (f"random parameters ($N(0, 1)$ rounded to 2 decimals, seed {spec.seed})"
             if spec.random_parameters else
             f"parameters from {_file(spec.source)}" if spec.source else "parameters from the spec")
    yield Part("prose", f"Activation {net.activation}, {net.cost} cost, "
               f"{plural(count, 'sample')}, learning rate $\\eta = "
               f"{n(spec.learning_rate)}$; {where}. Numbers are rounded to 6 significant "
               "digits (\\texttt{--format json} has them all).")
    yield Part("heading", "Parameters")
    yield Part("prose", r"Row $j$: the weights $w^{l}_{jk}$ into neuron $j$ of layer $l$ and "
               r"its bias $b^{l}_{j}$.")
    yield from _parameters(net, w.full)
    detailed = tables.detailed_samples(w)
    for i in range(detailed):
        yield from _sample(w, i)
    if detailed < count:
        yield from _other_samples(w, detailed)
    yield from _batch(w)
    yield from _neuron_sweep(w)
    if w.training is not None:
        yield from _training(w)
    yield from _checks(w.checks, w.ok, "Every number above is compared with independent "
                       "oracles.")


def _parameters(net: Network, full: bool) -> Iterator[Part]:
    for t in tables.parameter_tables(net, full):
        cut = ["$\\ldots$"] if t.cut else []
        header = (f"layer {t.layer}", *(f"${weight_name(t.layer, 'j', k)}$" for k in t.columns),
                  *cut, f"${bias_name(t.layer, 'j')}$")
        body = [(f"$j = {row.j}$", *(f"${n(v)}$" for v in row.weights), *cut, f"${n(row.bias)}$")
                for row in t.rows]
        if t.hidden:
            body.append((f"\\ldots\\ {t.hidden} more", *[""] * (len(header) - 1)))
        yield Part("table", header=header, rows=tuple(body), align="l" + "r" * (len(header) - 1))


def _sample(w: NetworkWalkthrough, i: int) -> Iterator[Part]:
    r, net = w.samples[i], w.network
    yield Part("heading", f"Sample {i + 1} of {len(w.samples)}")
    yield Part("prose", f"$x = {_vector(r.sample.x)}$, $y = {_vector(r.sample.y)}$.")
    yield Part("subheading", "Forward pass")
    yield Part("prose", r"$z^{l}_{j} = \sum_k w^{l}_{jk}\, a^{l-1}_{k} + b^{l}_{j}$, "
               r"$a^{l}_{j} = \sigma(z^{l}_{j})$, $a^{1} = x$.")
    yield _math([*_layers(steps.forward_rows(net, r, w.full), _forward_chain),
                 _cost(steps.sample_cost(net, r))], f"sample {i + 1}: forward pass")
    yield Part("subheading", "Backward pass")
    act = ACTIVATIONS[net.activation]
    yield Part("prose", "$\\delta$ of every neuron: BP1 at the output, then BP2 one layer "
               f"down at a time; {prose(act.derivative_formula)}; "
               f"{prose(COSTS[net.cost].gradient_formula)}.")
    yield _math(list(_layers(steps.error_rows(net, r, w.full), _error_chain)),
                f"sample {i + 1}: backward pass (BP1, BP2)")
    yield Part("subheading", "Gradient")
    yield Part("prose", r"BP3: $\frac{\partial C}{\partial b^{l}_{j}} = \delta^{l}_{j}$; "
               r"BP4: $\frac{\partial C}{\partial w^{l}_{jk}} = a^{l-1}_{k}\,\delta^{l}_{j}$.")
    yield _math(list(_layers(steps.gradient_rows(r, w.full), _gradient_chain)),
                f"sample {i + 1}: gradient (BP3, BP4)")


def _layers(layers: Sequence[steps.LayerRows],
            chain: Callable[..., Chain]) -> Iterator[Chain | str]:
    """A chain per record shown, each layer followed by a row counting those left out."""
    for group in layers:
        yield from map(chain, group.rows)
        if group.hidden:
            yield _more(group.hidden, group.what)


def _forward_chain(row: steps.ForwardRow) -> Chain:
    layer, j = row.layer, row.j
    if row.terms:
        products = [("+ " if k else "") + rf"{f(wk)} \cdot {f(ak)}"
                    for k, (wk, ak) in enumerate(row.terms)]
        arithmetic = Item("=", (*products, f"+ {f(row.bias)}"))
    else:
        arithmetic = Item("=", (rf"\sum_k {weight_name(layer, j, 'k')}\, "
                                rf"{activation_name(layer - 1, 'k')} + {bias_name(layer, j)}",))
    return Chain(weighted_input_name(layer, j), (arithmetic, Item("=", (n(row.z),))),
                 rf"{activation_name(layer, j)} = {n(row.a)}")


def _cost(c: steps.SampleCost) -> Chain:
    out, a, y = c.layer, c.outputs, c.targets
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
    z = weighted_input_name(row.layer, row.j)
    formula, numbers = _bp1(row, z) if isinstance(row, steps.OutputError) else _bp2(row, z)
    return Chain(name(delta_name(row.layer, row.j)),
                 (Item("=", (formula,)), Item("=", (numbers,)), Item("=", (n(row.delta),))),
                 rf"\text{{{row.label}}}")


def _bp1(row: steps.OutputError, z: str) -> tuple[str, str]:
    a, y = activation_name(row.layer, row.j), target_name(row.j)
    aj, yj, sp = row.output, row.target, row.sigma_prime
    if row.cost == "quadratic":
        return (rf"\left({a} - {y}\right) \sigma'\left({z}\right)",
                rf"\left({n(aj)} - {f(yj)}\right) \cdot {f(sp)}")
    return (rf"\frac{{{a} - {y}}}{{{a}\left(1 - {a}\right)}}\,\sigma'\left({z}\right)",
            rf"\frac{{{n(aj)} - {f(yj)}}}{{{n(aj)} \cdot {n(1 - aj)}}} \cdot {f(sp)}")


def _bp2(row: steps.HiddenError, z: str) -> tuple[str, str]:
    formula = (rf"\Bigl(\sum_k {weight_name(row.layer + 1, 'k', row.j)}\, "
               rf"{name(delta_name(row.layer + 1, 'k'))}\Bigr) \sigma'\left({z}\right)")
    products = " + ".join(rf"{f(wk)} \cdot {f(dk)}" for wk, dk in row.terms)
    total = (rf"\left({products}\right)" if len(row.terms) > 1 else products if row.terms
             else f(row.weighted_error))
    return formula, rf"{total} \cdot {f(row.sigma_prime)}"


def _gradient_chain(row: steps.GradientRow) -> Chain:
    delta = name(delta_name(row.layer, row.j))
    if row.k is None:
        lhs, values = dc(bias_name(row.layer, row.j)), (delta,)
    else:
        lhs = dc(weight_name(row.layer, row.j, row.k))
        values = (rf"{activation_name(row.layer - 1, row.k)} \cdot {delta}",
                  rf"{f(row.activation)} \cdot {f(row.delta)}")
    return Chain(lhs, tuple(Item("=", (v,)) for v in (*values, n(row.value))),
                 rf"\text{{{row.label}}}")


def _other_samples(w: NetworkWalkthrough, start: int) -> Iterator[Part]:
    yield Part("heading", f"Samples {start + 1}--{len(w.samples)}")
    yield Part("prose", "The same steps (\\texttt{--full} shows each one, \\texttt{--format "
               "json} has all the numbers).")
    rows, hidden = steps.summarize(range(start, len(w.samples)), w.full)
    body = [(str(i + 1), f"${_vector(w.samples[i].sample.x)}$",
             f"${_vector(w.samples[i].sample.y)}$", f"${n(w.samples[i].cost)}$") for i in rows]
    if hidden:
        body.append((f"\\ldots\\ {hidden} more", "", "", ""))
    yield Part("table", header=("sample", "$x$", "$y$", "$C_x$"), rows=tuple(body), align="lllr")


def _batch(w: NetworkWalkthrough) -> Iterator[Part]:
    count, batch = len(w.samples), tables.batch_table(w)
    yield Part("heading", f"Batch of {plural(count, 'sample')} and one SGD step")
    yield Part("prose", r"$C = \frac{1}{n} \sum_x C_x$, so $\frac{\partial C}{\partial w}$ and "
               r"$\frac{\partial C}{\partial b}$ are the averages of the samples' gradients; "
               r"one SGD step: $\text{after} = \text{before} - \eta \cdot \text{mean}$, "
               rf"$\eta = {n(w.spec.learning_rate)}$.")
    links = []
    if batch.written_out:
        links.append(Item("=", (r"\frac{" + " + ".join(n(r.cost) for r in w.samples)
                                + f"}}{{{count}}}",)))
    links.append(Item("=", (n(w.cost),)))
    yield _math([Chain("C", tuple(links))], "batch cost")
    header = ("parameter", *(f"sample {s + 1}" for s in range(batch.sample_columns)),
              r"mean $\partial C/\partial\cdot$", "before", "after")
    body = [(f"${row.parameter}$", *(f"${n(v)}$" for v in row.per_sample), f"${n(row.mean)}$",
             f"${n(row.before)}$", f"${n(row.after)}$") for row in batch.rows]
    if batch.hidden:
        body.append((f"\\ldots\\ {batch.hidden} more", *[""] * (len(header) - 1)))
    yield Part("table", header=header, rows=tuple(body), align="l" + "r" * (len(header) - 1))


def _neuron_sweep(w: NetworkWalkthrough) -> Iterator[Part]:
    sweep = tables.sweep_table(w)
    yield Part("heading", f"Neuron-level graph of $C$ for sample {sweep.sample}")
    yield Part("prose", f"$C_x$ of sample {sweep.sample} as a computational graph has "
               f"{sweep.nodes} nodes and {sweep.edges} edges. The reverse sweep of "
               rf"\texttt{{symbp explain}}'s engine stores ${adjoint('v')}$ for every node $v$: "
               r"at $z$ it is $\delta$ (BP1, BP2), at $b$ and $w$ the gradient (BP3, BP4).")
    body = [(f"${name(row.node)}$",
             "(input)" if row.formula is None else f"${tex.expr(row.formula, as_written=True)}$",
             f"${n(row.value)}$", f"${n(row.adjoint)}$", _layer_level(row.layer_level))
            for row in sweep.rows]
    if sweep.hidden:
        body.append((f"\\ldots\\ {sweep.hidden:,} more", "", "", "", ""))
    yield Part("table", header=("node", "formula", "value", r"$\mathrm{d}C/\mathrm{d}v$ (sweep)",
                                "layer level (BP1--BP4)"), rows=tuple(body), align="llrrl")
    if sweep.steps:
        yield Part("subheading", "Every step of the sweep")
        yield _math([_sweep_step(i, step) for i, step in enumerate(sweep.steps, start=1)],
                    f"sample {sweep.sample}: every step of the sweep")
    else:
        yield Part("prose", r"(Intermediate nodes $p = w \cdot a$, $s$ = running sums and the "
                   r"cost terms are left out; \texttt{--full} shows every node and every step "
                   "of the sweep.)")


_ADJOINTS = {"weighted error": r"\sum_k {}\, {}", "delta": "{}"}
"""How BP1–BP4 write dC/dv when it is not ∂C/∂v (with a slash: legible in a table cell)."""


def _layer_level(level: tables.LayerAdjoint | None) -> str:
    """What BP1–BP4 say dC/dv is, as prose: ``$\\delta^{3}_{1} = -0.079754$ (BP1)``."""
    if level is None:
        return ""
    lhs = _ADJOINTS.get(level.quantity, r"\partial C/\partial {}").format(*map(name, level.names))
    return f"${lhs} = {n(level.value)}$" + (f" ({level.label})" if level.label else "")


def _sweep_step(index: int, step: SweepStep) -> Chain:
    """``dC/d source += dC/d target · ∂target/∂source = carried · partial = contribution``."""
    source, target = step.edge.source, step.edge.target
    partial = rf"\frac{{\partial {name(target)}}}{{\partial {name(source)}}}"
    links = (Item(r"\mathrel{+}=", (rf"{adjoint(target)} \cdot {partial}",)),
             Item("=", (rf"{f(step.carried)} \cdot {f(step.partial)}",)),
             Item("=", (n(step.contribution),)))
    return Chain(adjoint(source), links, rf"{index}.\ {name(source)} \to {name(target)}")


def _training(w: NetworkWalkthrough) -> Iterator[Part]:
    t = w.training
    count = len(w.samples)
    batches = ("all samples: epoch 1 is the step above" if t.batch_size == count
               else f"mini-batches of {t.batch_size}, shuffled each epoch")
    yield Part("heading", f"Training: {plural(t.epochs, 'epoch')} of SGD")
    change = t.costs[-1] - t.costs[0]
    sign = "-" if change < 0 else "+"
    yield Part("prose", f"$\\eta = {n(t.learning_rate)}$, {batches}. The batch cost goes from "
               f"${n(t.costs[0])}$ to ${n(t.costs[-1])}$ (${sign}{n(abs(change))}$).")
    yield Part("table", header=("epoch", "$C$ (batch mean)"), align="rr",
               rows=tuple((str(e), f"${n(t.costs[e])}$")
                          for e in tables.shown_epochs(t, w.full)))
    yield Part("prose", "Parameters after training:")
    yield from _parameters(t.network, w.full)


# -- LaTeX ----------------------------------------------------------------------------------------

def to_latex(record: NetworkDerivation | NetworkWalkthrough, *, standalone: bool = False) -> str:
    """The record as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    document = parts(record)
    if not standalone:
        lines = [f"% symbp network: {_comment(document[0].text)}"]
        for part in document:
            if part.kind == "math":
                lines.append(f"% {_comment(part.text)}")
                lines.append(block(part.rows))
        return "\n".join(lines) + "\n"
    body = [PREAMBLE + r"\renewcommand{\arraystretch}{1.35}", r"\begin{document}", ""]
    for part in document:
        body.append(_latex_part(part))
        body.append("")
    body.append(r"\end{document}")
    return "\n".join(body) + "\n"


def _comment(words: str) -> str:
    return " ".join(words.split())


def _latex_part(part: Part) -> str:
    if part.kind == "title":
        return rf"\section*{{{latex_prose(part.text)}}}"
    if part.kind == "heading":
        return rf"\subsection*{{{latex_prose(part.text)}}}"
    if part.kind == "subheading":
        return rf"\paragraph{{{latex_prose(part.text)}}}"
    if part.kind == "prose":
        return latex_prose(part.text)
    if part.kind == "math":
        return block(part.rows)
    if part.kind == "list":
        items = "\n".join(rf"\item {latex_prose(item)}" for item in part.rows)
        return rf"\begin{{{part.align}}}" + "\n" + items + "\n" + rf"\end{{{part.align}}}"
    return _latex_table(part)


_WIDTHS = {"lpp": ("l", r"p{0.48\linewidth}", r"p{0.28\linewidth}")}


def _latex_table(part: Part) -> str:
    columns = _WIDTHS.get(part.align, tuple(part.align))
    head = " & ".join(rf"\textbf{{{latex_prose(h)}}}" for h in part.header) + r" \\ \hline"
    rows = [" & ".join(latex_prose(c) for c in row) + r" \\" for row in part.rows]
    return "\n".join([r"\begin{center}", r"\small", rf"\begin{{tabular}}{{{''.join(columns)}}}",
                      head, *rows, r"\end{tabular}", r"\end{center}"])


_TEXT_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}", "—": "---", "–": "--", "’": "'", "<": r"\textless{}",
                 ">": r"\textgreater{}"}
_COMMAND = re.compile(r"(\\[A-Za-z]+\{|\\[A-Za-z]+|\\.|[{}])")


def latex_prose(words: str) -> str:
    """Prose (text with ``$…$`` math and a few TeX commands we wrote) as LaTeX text: text
    characters TeX treats specially are escaped, the math and our commands kept."""
    out = []
    for k, chunk in enumerate(words.split("$")):
        if k % 2:
            out.append(f"${chunk}$")
            continue
        for piece in _COMMAND.split(chunk):
            if _COMMAND.fullmatch(piece or " "):
                out.append(piece)
            else:
                out.append("".join(_TEXT_SPECIAL.get(c, c if c.isascii() else
                                                     _non_ascii_text(c)) for c in piece))
    return "".join(out)


def _non_ascii_text(ch: str) -> str:
    math = tex.unicode_math(ch)
    if math == "?":
        math = unicodedata.normalize("NFKD", ch)[:1] or "?"
    return f"${math}$"
