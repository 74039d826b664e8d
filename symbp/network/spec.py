"""Reading and validating a network: ``--layers 2,3,1``, a spec file, random parameters.

A spec is a JSON object::

    {"layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
     "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
     "biases":  [[0.1, 0.0, -0.1], [0.2]],
     "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}],
     "learning_rate": 0.5}

``weights[i][j][k]`` is w^l_{jk} with l = i + 2 (from neuron k of layer l−1 to neuron
j of layer l) and ``biases[i][j]`` is b^l_j.  σ is one ``"activation"`` for every layer
(sigmoid by default), optionally with another ``"output_activation"`` for the last, or
``"activations"``: one name per layer after the input (``["relu", "identity"]``).  Every
mistake is a one-line :class:`~symbp.errors.SymbpError` naming the field and the expected
shape (the fields one by one: :mod:`symbp.network.fields`).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path

from .. import arguments
from ..errors import PARAMETER, LimitError, SymbpError
from .fields import (
    MAX_SAMPLES,
    check_biases,
    check_samples,
    check_weights,
    describe,
    is_int,
    is_number,
    json_int,
    show,
)
from .functions import ACTIVATIONS, COSTS
from .model import Network, NetworkSpec, freeze_matrices, freeze_vectors

__all__ = ["EXPLAINED_LAYERS", "EXPLAINED_PARAMETERS", "MAX_NEURONS", "MAX_PARAMETERS",
           "MAX_SAMPLES", "MAX_SPEC_BYTES", "activations_of", "check_choice", "check_explainable",
           "load_spec", "network_of", "parse_layers", "parse_spec", "random_network"]

MAX_NEURONS = 1_000
"""Most neurons in one layer."""
MAX_PARAMETERS = 100_000
"""Most weights and biases in a network."""
EXPLAINED_PARAMETERS = 10_000
"""Most weights and biases a derivation or walkthrough takes unless told otherwise
(``max_parameters``, ``--max-parameters``): building, checking and printing the
neuron-level graph takes a few seconds at this size (``--layers 300,300``, 90,300
parameters, took 36 s)."""
EXPLAINED_LAYERS = 100
"""Most layers a derivation or walkthrough takes unless told otherwise (``max_layers``,
``--max-layers``): every layer adds its own equations and checks (1,001 layers of width 2
took 18 s)."""
MAX_SPEC_BYTES = 32_000_000
"""Largest spec file read: MAX_PARAMETERS weights and 10,000 samples of 100 numbers written
out at ~25 characters a number take about 28 MB (``--spec /dev/urandom`` stops here)."""


def parse_layers(text: str | Sequence[int]) -> tuple[int, ...]:
    """Layer sizes from ``"2,3,2"`` (or a sequence of ints), validated."""
    if isinstance(text, str):
        parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
        sizes = []
        for part in parts:
            try:
                sizes.append(int(part))
            except ValueError:
                raise SymbpError(f"{PARAMETER}: {part!r} is not a whole number; give sizes "
                                 "like 2,3,2", parameter="layers") from None
        return _check_layers(sizes, PARAMETER, parameter="layers")
    return _check_layers(list(text), "layers")


def check_explainable(layers: Sequence[int], *, max_parameters: int | None,
                      max_layers: int | None) -> None:
    """Refuse up front a network too big to derive, check and print in a few seconds:
    more than ``max_parameters`` weights and biases or ``max_layers`` layers (defaults
    :data:`EXPLAINED_PARAMETERS`, :data:`EXPLAINED_LAYERS`)."""
    limit = EXPLAINED_PARAMETERS if max_parameters is None else max_parameters
    count = sum(n * m + n for m, n in pairwise(layers))
    if count > limit:
        raise LimitError(
            f"a network of {count:,} weights and biases is more than symbp explains in a few "
            f"seconds (limit {limit:,}); {PARAMETER} goes past it (slow)",
            parameter="max_parameters", setting=count)
    limit = EXPLAINED_LAYERS if max_layers is None else max_layers
    if len(layers) > limit:
        raise LimitError(
            f"a network of {len(layers):,} layers is more than symbp explains in a few "
            f"seconds (limit {limit:,}); {PARAMETER} goes past it (slow)",
            parameter="max_layers", setting=len(layers))


def _check_layers(sizes: list, field: str, *, parameter: str | None = None) -> tuple[int, ...]:
    example = "e.g. 2,3,1" if parameter else "e.g. [2, 3, 1]"
    if len(sizes) < 2 or not all(is_int(n) and n >= 1 for n in sizes):
        raise SymbpError(f"{field}: expected at least 2 layer sizes, each a whole number ≥ 1 "
                         f"({example}); got {show(sizes)}", parameter=parameter)
    if max(sizes) > MAX_NEURONS:
        raise SymbpError(f"{field}: at most {MAX_NEURONS:,} neurons per layer",
                         parameter=parameter)
    if sum(n * m + n for m, n in pairwise(sizes)) > MAX_PARAMETERS:
        raise SymbpError(f"{field}: at most {MAX_PARAMETERS:,} weights and biases in all",
                         parameter=parameter)
    return tuple(sizes)


def check_choice(value, field: str, table: Mapping, *, parameter: bool = False) -> str:
    """``value`` if it is a key of ``table``; else an error naming ``field`` (the spec's
    field; with ``parameter``, the parameter of that name) and the choices."""
    if not isinstance(value, str) or value not in table:
        raise SymbpError(f"{PARAMETER if parameter else field}: unknown {show(value)}; "
                         f"choose {', '.join(table)}", parameter=field if parameter else None)
    return value


def _check_pair(activations: Sequence[str], cost: str, layers: Sequence[int]) -> None:
    """σ per layer with the cost: softmax only at the output (of 2 neurons or more), the
    log-likelihood only after a softmax, the cross-entropy only after a sigmoid."""
    output = activations[-1]
    hidden = [layer for layer, act in enumerate(activations[:-1], start=2) if act == "softmax"]
    if hidden:
        raise SymbpError(
            f"softmax is only for the output layer (it makes the outputs probabilities), not "
            f"for layer {hidden[0]}; use {PARAMETER} and another σ for the hidden layers",
            parameter="output_activation", setting="softmax")
    if output == "softmax" and layers[-1] < 2:
        raise SymbpError("softmax over 1 output is the constant 1; give the output layer 2 or "
                         "more neurons")
    if cost == "log-likelihood" and output != "softmax":
        raise SymbpError(
            f"the log-likelihood cost needs a softmax output (probabilities summing to 1), not "
            f"{output}; use {PARAMETER}", parameter="output_activation", setting="softmax")
    if cost == "cross-entropy" and output == "softmax":
        raise SymbpError("the cross-entropy cost is for independent sigmoid outputs; with a "
                         "softmax output use the log-likelihood cost")
    if cost == "cross-entropy" and output != "sigmoid":
        field = "output_activation" if len(set(activations)) > 1 else "activation"
        raise SymbpError(
            f"the cross-entropy cost needs outputs between 0 and 1, which {output} does not "
            f"give; use {PARAMETER} (or the quadratic cost)", parameter=field,
            setting="sigmoid")


def activations_of(depth: int, activation: str | Sequence[str] = "sigmoid",
                   output_activation: str | None = None, *,
                   fields: tuple[str, str] | None = None) -> tuple[str, ...]:
    """σ of each of the ``depth`` − 1 layers after the input: ``activation`` for every
    layer (or a sequence, one name per layer), then ``output_activation`` for the last
    when given.  Errors name the parameters, or the spec's ``fields`` (activation's,
    output_activation's) when given."""
    field, output_field = fields or ("activation", "output_activation")
    count = depth - 1
    if isinstance(activation, str):
        names = [check_choice(activation, field, ACTIVATIONS, parameter=fields is None)] * count
    else:
        if not isinstance(activation, Sequence) or len(activation) != count:
            raise SymbpError(
                f"{PARAMETER if fields is None else field}: expected {count} "
                f"activation{'s' if count != 1 else ''} (one per layer after the input), got "
                f"{describe(activation)}", parameter=field if fields is None else None)
        names = [check_choice(a, f"{field}[{i}]", ACTIVATIONS) if fields is not None
                 else check_choice(a, field, ACTIVATIONS, parameter=True)
                 for i, a in enumerate(activation)]
    if output_activation is not None:
        names[-1] = check_choice(output_activation, output_field, ACTIVATIONS,
                                 parameter=fields is None)
    return tuple(names)


def random_network(layers: Sequence[int], activation: str | Sequence[str] = "sigmoid",
                   cost: str = "quadratic", *, seed: int = 0,
                   output_activation: str | None = None) -> Network:
    """A network with weights and biases drawn from N(0, 1) (Nielsen's choice), rounded to
    2 decimals so they can be followed by hand; deterministic for a given ``seed``.

    σ is ``activation`` in every layer (or one name per layer after the input), and
    ``output_activation`` in the last when given."""
    layers = parse_layers(layers)
    activations = activations_of(len(layers), activation, output_activation)
    check_choice(cost, "cost", COSTS, parameter=True)
    _check_pair(activations, cost, layers)
    rng = random.Random(seed)
    weights, biases = [], []
    for m, n in pairwise(layers):
        weights.append([[round(rng.gauss(0.0, 1.0), 2) for _ in range(m)] for _ in range(n)])
        biases.append([round(rng.gauss(0.0, 1.0), 2) for _ in range(n)])
    return Network(layers, activations, cost, freeze_matrices(weights),
                   freeze_vectors(biases))


_FIELDS = ("layers", "activation", "output_activation", "activations", "cost", "weights",
           "biases", "samples", "learning_rate", "seed")


def load_spec(path: str | Path, *, seed: int | None = None,
              learning_rate: float | None = None, activation: str | None = None,
              cost: str | None = None, output_activation: str | None = None) -> NetworkSpec:
    """Read and validate a spec file (see :func:`parse_spec`); errors name the file and field.

    ``seed``, ``learning_rate``, ``activation``, ``output_activation`` and ``cost`` (the
    command line's options) replace the file's values when given: ``activation`` is then σ
    of every layer (the file's ``activations`` are dropped) and ``output_activation`` σ of
    the last (the file's, when it names one and this is not given).
    """
    from ..files import read_text

    path = Path(arguments.path(path, "load_spec", "path"))
    arguments.whole_number(seed, "load_spec", "seed", minimum=None, none=True)
    arguments.text_or_none(activation, "load_spec", "activation")
    arguments.text_or_none(output_activation, "load_spec", "output_activation")
    arguments.text_or_none(cost, "load_spec", "cost")
    text = read_text(path, limit=MAX_SPEC_BYTES, note="a spec")
    try:
        data = json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise SymbpError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column "
                         f"{exc.colno})") from None
    if isinstance(data, dict):
        if activation is not None:
            data.pop("activations", None)
            data["activation"] = activation
        if output_activation is not None:
            if isinstance(data.get("activations"), list) and data["activations"]:
                data["activations"] = [*data["activations"][:-1], output_activation]
            else:
                data["output_activation"] = output_activation
        if cost is not None:
            data["cost"] = cost
    try:
        return parse_spec(data, seed=seed, learning_rate=learning_rate, source=str(path))
    except SymbpError as exc:
        raise exc.within(f"{path}: ") from None


def parse_spec(data: Mapping, *, seed: int | None = None, learning_rate: float | None = None,
               source: str = "") -> NetworkSpec:
    """Validate a spec (the JSON object of ``--spec``) and build a :class:`NetworkSpec`.

    Required: ``layers`` and ``samples`` (``[{"x": [...], "y": [...]}, ...]``) and
    ``learning_rate`` (unless given here).  Optional: ``activation`` (sigmoid) and
    ``output_activation``, or ``activations`` (one per layer after the input),
    ``cost`` (quadratic), ``weights`` and ``biases`` (both or neither; random from
    ``seed`` when left out), ``seed``.  A mistake is a :class:`SymbpError` naming the
    field and the expected shape.
    """
    arguments.whole_number(seed, "parse_spec", "seed", minimum=None, none=True)
    arguments.instance(source, str, "parse_spec", "source", "a string")
    if not isinstance(data, Mapping):
        raise SymbpError(f"the spec must be a JSON object with the fields {', '.join(_FIELDS)}")
    unknown = [key for key in data if key not in _FIELDS]
    if unknown:
        raise SymbpError(f"unknown field {show(unknown[0])}; the fields are "
                         f"{', '.join(_FIELDS)}")
    if "layers" not in data:
        raise SymbpError("layers: missing; give the layer sizes, e.g. \"layers\": [2, 3, 1]")
    layers = _check_layers(list(data["layers"]) if isinstance(data["layers"], list | tuple)
                           else [data["layers"]], "layers")
    activations = _spec_activations(data, len(layers))
    cost = check_choice(data.get("cost", "quadratic"), "cost", COSTS)
    _check_pair(activations, cost, layers)
    if seed is None:
        seed = data.get("seed", 0)
        if not is_int(seed):
            raise SymbpError(f"seed: expected a whole number, got {show(seed)}")
    has_w, has_b = "weights" in data, "biases" in data
    if has_w != has_b:
        missing = "biases" if has_w else "weights"
        raise SymbpError(f"{missing}: missing; give both weights and biases, or neither "
                         "(random parameters from the seed)")
    if has_w:
        weights = check_weights(data["weights"], layers)
        biases = check_biases(data["biases"], layers)
        network = Network(layers, activations, cost, weights, biases)
    else:
        network = random_network(layers, activations, cost, seed=seed)
    samples = check_samples(data.get("samples"), layers, cost)
    if learning_rate is None:
        if "learning_rate" not in data:
            raise SymbpError("learning_rate: missing; give η > 0, e.g. \"learning_rate\": 0.5 "
                             f"(or {PARAMETER})", parameter="learning_rate")
        learning_rate = data["learning_rate"]
        field, parameter = "learning_rate", None
    else:
        field, parameter = PARAMETER, "learning_rate"
    if not is_number(learning_rate) or learning_rate <= 0:
        raise SymbpError(f"{field}: expected a number > 0, got {show(learning_rate)}",
                         parameter=parameter)
    return NetworkSpec(network, samples, float(learning_rate), seed, not has_w, source)


def network_of(data: Mapping) -> Network:
    """The network a spec describes, checked as :func:`parse_spec` checks it, without
    samples or η: ``layers``, σ, ``cost``, ``weights`` and ``biases`` (all required)."""
    for field in ("layers", "weights", "biases"):
        if field not in data:
            raise SymbpError(f"{field}: missing")
    layers = _check_layers(list(data["layers"]) if isinstance(data["layers"], list | tuple)
                           else [data["layers"]], "layers")
    activations = _spec_activations(data, len(layers))
    cost = check_choice(data.get("cost", "quadratic"), "cost", COSTS)
    _check_pair(activations, cost, layers)
    return Network(layers, activations, cost, check_weights(data["weights"], layers),
                   check_biases(data["biases"], layers))


def _spec_activations(data: Mapping, depth: int) -> tuple[str, ...]:
    """σ per layer from ``activations``, or ``activation`` and ``output_activation``."""
    if "activations" in data:
        both = [key for key in ("activation", "output_activation") if key in data]
        if both:
            raise SymbpError(f"activations: give σ per layer, or {both[0]}, not both")
        if not isinstance(data["activations"], list):
            raise SymbpError(f"activations: expected a list of {depth - 1} names (one per "
                             f"layer after the input), got {describe(data['activations'])}")
        return activations_of(depth, data["activations"], fields=("activations", ""))
    return activations_of(depth, data.get("activation", "sigmoid"),
                          data.get("output_activation"),
                          fields=("activation", "output_activation"))
