"""Reading and validating a network: ``--layers 2,3,1``, a spec file, random parameters.

A spec is a JSON object::

    {"layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
     "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
     "biases":  [[0.1, 0.0, -0.1], [0.2]],
     "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}],
     "learning_rate": 0.5}

``weights[i][j][k]`` is w^l_{jk} with l = i + 2 (from neuron k of layer l−1 to neuron
j of layer l) and ``biases[i][j]`` is b^l_j.  Every mistake is a one-line
:class:`~symbp.errors.SymbpError` naming the field and the expected shape.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path

from .. import arguments
from ..errors import PARAMETER, LimitError, SymbpError
from .functions import ACTIVATIONS, COSTS
from .model import (
    Matrix,
    Network,
    NetworkSpec,
    Sample,
    Vector,
    freeze_matrices,
    freeze_vectors,
)

__all__ = ["EXPLAINED_LAYERS", "EXPLAINED_PARAMETERS", "MAX_NEURONS", "MAX_PARAMETERS",
           "MAX_SAMPLES", "MAX_SPEC_BYTES", "check_choice", "check_explainable", "load_spec",
           "parse_layers", "parse_spec", "random_network"]

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
MAX_SAMPLES = 10_000
"""Most training samples in a spec."""
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
    if len(sizes) < 2 or not all(_is_int(n) and n >= 1 for n in sizes):
        raise SymbpError(f"{field}: expected at least 2 layer sizes, each a whole number ≥ 1 "
                         f"({example}); got {_show(sizes)}", parameter=parameter)
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
        raise SymbpError(f"{PARAMETER if parameter else field}: unknown {_show(value)}; "
                         f"choose {', '.join(table)}", parameter=field if parameter else None)
    return value


def _check_pair(activation: str, cost: str) -> None:
    if cost == "cross-entropy" and activation != "sigmoid":
        raise SymbpError(
            f"the cross-entropy cost needs outputs between 0 and 1, which {activation} does not "
            f"give; use {PARAMETER} (or the quadratic cost)", parameter="activation",
            setting="sigmoid")


def random_network(layers: Sequence[int], activation: str = "sigmoid",
                   cost: str = "quadratic", *, seed: int = 0) -> Network:
    """A network with weights and biases drawn from N(0, 1) (Nielsen's choice), rounded to
    2 decimals so they can be followed by hand; deterministic for a given ``seed``."""
    layers = parse_layers(layers)
    check_choice(activation, "activation", ACTIVATIONS, parameter=True)
    check_choice(cost, "cost", COSTS, parameter=True)
    _check_pair(activation, cost)
    rng = random.Random(seed)
    weights, biases = [], []
    for m, n in pairwise(layers):
        weights.append([[round(rng.gauss(0.0, 1.0), 2) for _ in range(m)] for _ in range(n)])
        biases.append([round(rng.gauss(0.0, 1.0), 2) for _ in range(n)])
    return Network(layers, activation, cost, freeze_matrices(weights), freeze_vectors(biases))


_FIELDS = ("layers", "activation", "cost", "weights", "biases", "samples", "learning_rate",
           "seed")


def load_spec(path: str | Path, *, seed: int | None = None,
              learning_rate: float | None = None, activation: str | None = None,
              cost: str | None = None) -> NetworkSpec:
    """Read and validate a spec file (see :func:`parse_spec`); errors name the file and field.

    ``seed``, ``learning_rate``, ``activation`` and ``cost`` (the command line's options)
    replace the file's values when given.
    """
    from ..files import read_text

    path = Path(arguments.path(path, "load_spec", "path"))
    arguments.whole_number(seed, "load_spec", "seed", minimum=None, none=True)
    arguments.text_or_none(activation, "load_spec", "activation")
    arguments.text_or_none(cost, "load_spec", "cost")
    text = read_text(path, limit=MAX_SPEC_BYTES, note="a spec")
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise SymbpError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column "
                         f"{exc.colno})") from None
    if isinstance(data, dict):
        data.update({key: value for key, value in (("activation", activation), ("cost", cost))
                     if value is not None})
    try:
        return parse_spec(data, seed=seed, learning_rate=learning_rate, source=str(path))
    except SymbpError as exc:
        raise exc.within(f"{path}: ") from None


def parse_spec(data: Mapping, *, seed: int | None = None, learning_rate: float | None = None,
               source: str = "") -> NetworkSpec:
    """Validate a spec (the JSON object of ``--spec``) and build a :class:`NetworkSpec`.

    Required: ``layers`` and ``samples`` (``[{"x": [...], "y": [...]}, ...]``) and
    ``learning_rate`` (unless given here).  Optional: ``activation`` (sigmoid),
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
        raise SymbpError(f"unknown field {_show(unknown[0])}; the fields are "
                         f"{', '.join(_FIELDS)}")
    if "layers" not in data:
        raise SymbpError("layers: missing; give the layer sizes, e.g. \"layers\": [2, 3, 1]")
    layers = _check_layers(list(data["layers"]) if isinstance(data["layers"], list | tuple)
                           else [data["layers"]], "layers")
    activation = check_choice(data.get("activation", "sigmoid"), "activation", ACTIVATIONS)
    cost = check_choice(data.get("cost", "quadratic"), "cost", COSTS)
    _check_pair(activation, cost)
    if seed is None:
        seed = data.get("seed", 0)
        if not _is_int(seed):
            raise SymbpError(f"seed: expected a whole number, got {_show(seed)}")
    has_w, has_b = "weights" in data, "biases" in data
    if has_w != has_b:
        missing = "biases" if has_w else "weights"
        raise SymbpError(f"{missing}: missing; give both weights and biases, or neither "
                         "(random parameters from the seed)")
    if has_w:
        weights = _check_weights(data["weights"], layers)
        biases = _check_biases(data["biases"], layers)
        network = Network(layers, activation, cost, weights, biases)
    else:
        network = random_network(layers, activation, cost, seed=seed)
    samples = _check_samples(data.get("samples"), layers, cost)
    if learning_rate is None:
        if "learning_rate" not in data:
            raise SymbpError("learning_rate: missing; give η > 0, e.g. \"learning_rate\": 0.5 "
                             f"(or {PARAMETER})", parameter="learning_rate")
        learning_rate = data["learning_rate"]
        field, parameter = "learning_rate", None
    else:
        field, parameter = PARAMETER, "learning_rate"
    if not _is_number(learning_rate) or learning_rate <= 0:
        raise SymbpError(f"{field}: expected a number > 0, got {_show(learning_rate)}",
                         parameter=parameter)
    return NetworkSpec(network, samples, float(learning_rate), seed, not has_w, source)


def _shape(layers, i) -> str:
    return f"{layers[i + 1]}×{layers[i]}"


def _check_weights(value, layers) -> tuple[Matrix, ...]:
    count = len(layers) - 1
    shapes = ", ".join(_shape(layers, i) for i in range(count))
    if not isinstance(value, list | tuple) or len(value) != count:
        raise SymbpError(
            f"weights: expected {count} matri{'x' if count == 1 else 'ces'} (one per layer after "
            f"the input: {shapes}), got {_describe(value)}")
    result = []
    for i, matrix in enumerate(value):
        rows, cols = layers[i + 1], layers[i]
        where = f"weights[{i}]"
        about = (f"w^{i + 2} ({rows}×{cols}): {_count(rows, 'row')} (neurons of layer {i + 2}) "
                 f"of {_count(cols, 'number')} (neurons of layer {i + 1})")
        if not isinstance(matrix, list | tuple) or len(matrix) != rows:
            raise SymbpError(f"{where}: expected {about}; got {_describe(matrix)}")
        result.append(tuple(_check_vector(row, f"{where}[{j}]", cols, about)
                            for j, row in enumerate(matrix)))
    return tuple(result)


def _check_biases(value, layers) -> tuple[Vector, ...]:
    count = len(layers) - 1
    sizes = ", ".join(str(n) for n in layers[1:])
    if not isinstance(value, list | tuple) or len(value) != count:
        raise SymbpError(f"biases: expected {count} list{'s' if count != 1 else ''} (one per "
                         f"layer after the input, of sizes {sizes}), got {_describe(value)}")
    return tuple(_check_vector(b, f"biases[{i}]", layers[i + 1],
                               f"b^{i + 2}: {_count(layers[i + 1], 'number')} (neurons of layer "
                               f"{i + 2})")
                 for i, b in enumerate(value))


def _check_samples(value, layers, cost) -> tuple[Sample, ...]:
    if value is None:
        raise SymbpError("samples: missing; give training examples, e.g. \"samples\": "
                         "[{\"x\": [...], \"y\": [...]}]")
    if not isinstance(value, list | tuple) or not value:
        raise SymbpError(f"samples: expected a non-empty list of {{\"x\": [...], \"y\": [...]}}, "
                         f"got {_describe(value)}")
    if len(value) > MAX_SAMPLES:
        raise SymbpError(f"samples: at most {MAX_SAMPLES:,}")
    result = []
    for i, item in enumerate(value):
        where = f"samples[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"x", "y"}:
            raise SymbpError(f"{where}: expected {{\"x\": [{_count(layers[0], 'number')}], "
                             f"\"y\": [{_count(layers[-1], 'number')}]}}, got "
                             f"{_describe(item)}")
        x = _check_vector(item["x"], f"{where}.x", layers[0],
                          f"{_count(layers[0], 'number')} (the input layer)")
        y = _check_vector(item["y"], f"{where}.y", layers[-1],
                          f"{_count(layers[-1], 'number')} (the output layer)")
        if cost == "cross-entropy" and not all(0.0 <= v <= 1.0 for v in y):
            raise SymbpError(f"{where}.y: the cross-entropy cost needs targets between 0 and 1, "
                             f"got {_show(item['y'])}")
        result.append(Sample(x, y))
    return tuple(result)


def _check_vector(value, where: str, size: int, about: str) -> Vector:
    if not isinstance(value, list | tuple) or len(value) != size:
        raise SymbpError(f"{where}: expected {about}; got {_describe(value)}")
    for k, v in enumerate(value):
        if not _is_number(v):
            raise SymbpError(f"{where}[{k}]: expected a number, got {_show(v)}")
    return tuple(float(v) for v in value)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_int(text: str) -> int | float:
    """A JSON integer: as Python's int, except one of more than 308 digits, which is beyond
    every float anyway (networks compute in floats) and becomes ``inf`` in linear time,
    so the field's check names it (Python's own int() refuses 4,300+ digits)."""
    return float(text) if len(text) > 310 else int(text)


def _is_number(value) -> bool:
    """A real number within the float range (networks compute in floats)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond the largest float
        return False


def _describe(value) -> str:
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object with fields " + (", ".join(map(str, value)) or "none")
    return _show(value)


def _show(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and not _is_number(value):
        return "a number beyond the float range (±1.8e308)"
    text = (repr(value) if isinstance(value, str)
            else json.dumps(value, ensure_ascii=False, default=repr))
    return text if len(text) <= 40 else text[:39] + "…"
