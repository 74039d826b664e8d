"""The machine-readable documents of ``symbp network --format json``.

Numbers are JSON numbers (full float precision).  Every per-layer list uses the
spec's indexing: position i is layer l = i + 2, so ``weights[i][j][k]`` is
w^l_{jk} and ``z[i][j]`` is z^l_{j+1} (0-based j in JSON, 1-based in Nielsen's
names).  Names are ASCII with TeX-style indices (``w^{2}_{11}``); expressions are
SymPy ``str`` strings; LaTeX strings are given where the derivation has them.
"""

from __future__ import annotations

import json

from ..core.printing import plain
from ..network.layers import LayerView, layer_numbers
from ..network.model import Network
from ..network.records import NetworkDerivation, NetworkWalkthrough
from ..network.symbols import Partial
from ..version import __version__
from .prose import math_latex, math_unicode, unicode, vector_line
from .tex.math import network_expr

__all__ = ["derivation_to_dict", "dumps", "to_json", "walkthrough_to_dict"]


INDEXING = ("position i of every per-layer list is layer l = i + 2 (layer 1 is the input x); "
            "weights[i][j][k] = w^l_{jk}, from neuron k+1 of layer l-1 to neuron j+1 of layer l")


def dumps(document: dict, *, indent: int | None = 2) -> str:
    """JSON text; keys in a fixed order, so equal input gives byte-identical output."""
    return json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False)


def to_json(record: NetworkDerivation | NetworkWalkthrough, *, indent: int | None = 2) -> str:
    """The JSON document of a derivation (``--layers``) or a walkthrough (``--spec``)."""
    if isinstance(record, NetworkWalkthrough):
        return dumps(walkthrough_to_dict(record), indent=indent)
    return dumps(derivation_to_dict(record), indent=indent)


def _lists(value):
    """Tuples (of tuples …) of floats as lists."""
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


def _checks(checks) -> dict:
    return {
        "checks": {c.name: c.passed for c in checks if c.passed is not None},
        "check_details": [
            {"name": c.name, "passed": c.passed, "method": c.method, "detail": c.detail}
            for c in checks
        ],
    }


def _network(network: Network) -> dict:
    return {
        "layers": list(network.layers),
        "activation": network.activation,
        "activations": list(network.activations),
        "cost_function": network.cost,
    }


def _parameters(network: Network) -> dict:
    return {"weights": _lists(network.weights), "biases": _lists(network.biases)}


def _layers(view: LayerView | None, sample: int | None = None) -> dict:
    """The layer view's numbers (``"layer_view"``: one entry per layer l ≥ 2; ``"layers"``
    stays the layer sizes, as in a spec file), in its
    convention: of the batch (W, grad_W out × in; Z, A, Delta n_l × m for Nielsen, m × n_l
    for PyTorch) or of one sample: its vectors z, a, δ as Z, A, Delta and ∂C/∂b = δ (W and
    b are the batch's; the sample's ∂C/∂W = δ aᵀ is its ``grad_w``, not repeated)."""
    if view is None:
        return {}
    entries = []
    for n in layer_numbers(view, sample):
        if sample is None:
            entries.append({"l": n.layer, "shapes": n.shapes, "W": _lists(n.weight),
                            "b": list(n.bias), "Z": _lists(n.z), "A": _lists(n.a),
                            "Delta": _lists(n.delta), "grad_W": _lists(n.grad_w),
                            "grad_b": list(n.grad_b)})
        else:  # vectors only: W, b are the batch's, the sample's δ aᵀ is its "grad_w"
            entries.append({"l": n.layer, "shapes": n.shapes, "Z": list(n.z), "A": list(n.a),
                            "Delta": list(n.delta), "grad_b": list(n.grad_b)})
    return {"layer_view": entries}


def walkthrough_to_dict(w: NetworkWalkthrough) -> dict:
    """The walkthrough as Python data (see the module docstring for the indexing).

    With the layer view, ``"convention"`` and ``"layer_view"`` (the batch's matrices, one
    entry per layer l ≥ 2) at the top level and each sample's own ``"layer_view"`` (its
    vectors); ``"layers"`` stays the layer sizes, as in a spec file.
    """
    spec, sweep = w.spec, w.sweep
    graph = sweep.graph
    return {
        "symbp": __version__,
        "mode": "walkthrough",
        **_network(w.network),
        "indexing": INDEXING,
        "learning_rate": spec.learning_rate,
        "seed": spec.seed,
        "parameters": "random" if spec.random_parameters else "given",
        **_parameters(w.network),
        "cost": w.cost,
        "view": w.view,
        "convention": None if w.layers is None else w.layers.convention,
        **_layers(w.layers),
        "samples": [
            {
                "x": list(r.sample.x),
                "y": list(r.sample.y),
                "cost": r.cost,
                "z": _lists(r.z),
                "a": _lists(r.a),
                "sigma_prime": _lists(r.sigma_prime),
                "grad_a": _lists(r.grad_a),
                "delta": _lists(r.delta),
                "grad_w": _lists(r.grad_w),
                "grad_b": _lists(r.grad_b),
                # a softmax output: ∂a^L_k/∂z^L_j, row k, column j (sigma_prime[-1] is its
                # diagonal)
                **({} if r.jacobian is None else {"jacobian": _lists(r.jacobian)}),
                **_layers(w.layers, x),
            }
            for x, r in enumerate(w.samples)
        ],
        "grad_w": _lists(w.grad_w),
        "grad_b": _lists(w.grad_b),
        "updated": _parameters(w.updated),
        "graph": {
            "sample": sweep.sample_index + 1,
            "output": graph.output,
            "nodes": [
                {"name": node.name, "op": node.op,
                 "formula": plain(graph.formula(node.name), as_written=True),
                 "value": sweep.values[node.name], "adjoint": sweep.adjoints[node.name]}
                for node in graph.nodes
            ],
            "edges": len(graph.edges),
        },
        "training": None if w.training is None else {
            "epochs": w.training.epochs,
            "batch_size": w.training.batch_size,
            "learning_rate": w.training.learning_rate,
            "costs": list(w.training.costs),
            **_parameters(w.training.network),
        },
        **_checks(w.checks),
    }


def _lhs(lhs) -> str:
    """A component's left side by node name: ``delta^{3}_{1}``, ``dC/dw^{3}_{12}``."""
    return f"dC/d{lhs.args[1].name}" if isinstance(lhs, Partial) else lhs.name


def derivation_to_dict(d: NetworkDerivation) -> dict:
    """The derivation as Python data: the equations in Unicode, LaTeX and SymPy strings."""
    return {
        "symbp": __version__,
        "mode": "derivation",
        **_network(d.network),
        "notation": [{"symbol": math_unicode(s), "meaning": unicode(m), "here": unicode(h)}
                     for s, m, h in d.notation],
        "assumptions": [unicode(a) for a in d.assumptions],
        "cost_formula": unicode(d.cost_formula),
        "gradient_formula": unicode(d.gradient_formula),
        "activation_formula": unicode(d.activation_formula),
        "derivative_formula": unicode(d.derivative_formula),
        "equations": [
            {"name": e.label, "title": e.title, "component": math_unicode(e.component),
             "vector": math_unicode(e.vector), "derivation": unicode(e.derivation),
             "component_latex": math_latex(e.component, in_text=False),
             "vector_latex": math_latex(e.vector, in_text=False)}
            for e in d.equations
        ],
        "instantiated": [
            {
                "equation": eq.label,
                "layer": eq.layer,
                "vector": vector_line(eq),
                "vector_latex": math_latex(eq.vector, in_text=False),
                "count": eq.count,
                "components": [
                    {"lhs": _lhs(c.lhs), "rhs": plain(c.rhs, as_written=True),
                     "rhs_latex": network_expr(c.rhs),
                     "adjoint_of": c.node}
                    for c in eq.components
                ],
                "note": unicode(eq.note),
            }
            for eq in d.layers
        ],
        "graph": {
            "nodes": len(d.graph.nodes),
            "edges": len(d.graph.edges),
            "output": d.graph.output,
            "program": d.graph.program(),
        },
        "check_point": {"seed": d.seed, **_parameters(d.network)},
        **_checks(d.checks),
    }
