"""The fields of a network spec, checked one by one: the parameters' shapes, the samples,
numbers within the float range; and the words the errors use to describe what they got.

Every mistake is a one-line :class:`~symbp.errors.SymbpError` naming the field and the
expected shape (:mod:`symbp.network.spec` reads the whole spec).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from ..errors import SymbpError
from .model import Matrix, Sample, Vector

__all__ = [
    "MAX_SAMPLES",
    "check_biases",
    "check_samples",
    "check_vector",
    "check_weights",
    "describe",
    "is_int",
    "is_number",
    "json_int",
    "noun_count",
    "shape",
    "show",
]

MAX_SAMPLES = 10_000
"""Most training samples in a spec."""


def shape(layers, i) -> str:
    return f"{layers[i + 1]}×{layers[i]}"


def check_weights(value, layers) -> tuple[Matrix, ...]:
    count = len(layers) - 1
    shapes = ", ".join(shape(layers, i) for i in range(count))
    if not isinstance(value, list | tuple) or len(value) != count:
        raise SymbpError(
            f"weights: expected {count} matri{'x' if count == 1 else 'ces'} (one per layer after "
            f"the input: {shapes}), got {describe(value)}")
    result = []
    for i, matrix in enumerate(value):
        rows, cols = layers[i + 1], layers[i]
        where = f"weights[{i}]"
        about = (f"w^{i + 2} ({rows}×{cols}): {noun_count(rows, 'row')} (neurons of layer "
                 f"{i + 2}) of {noun_count(cols, 'number')} (neurons of layer {i + 1})")
        if not isinstance(matrix, list | tuple) or len(matrix) != rows:
            raise SymbpError(f"{where}: expected {about}; got {describe(matrix)}")
        result.append(tuple(check_vector(row, f"{where}[{j}]", cols, about)
                            for j, row in enumerate(matrix)))
    return tuple(result)


def check_biases(value, layers) -> tuple[Vector, ...]:
    count = len(layers) - 1
    sizes = ", ".join(str(n) for n in layers[1:])
    if not isinstance(value, list | tuple) or len(value) != count:
        raise SymbpError(f"biases: expected {count} list{'s' if count != 1 else ''} (one per "
                         f"layer after the input, of sizes {sizes}), got {describe(value)}")
    return tuple(check_vector(b, f"biases[{i}]", layers[i + 1],
                              f"b^{i + 2}: {noun_count(layers[i + 1], 'number')} (neurons "
                              f"of layer {i + 2})")
                 for i, b in enumerate(value))


def check_samples(value, layers, cost) -> tuple[Sample, ...]:
    if value is None:
        raise SymbpError("samples: missing; give training examples, e.g. \"samples\": "
                         "[{\"x\": [...], \"y\": [...]}]")
    if not isinstance(value, list | tuple) or not value:
        raise SymbpError(f"samples: expected a non-empty list of {{\"x\": [...], \"y\": [...]}}, "
                         f"got {describe(value)}")
    if len(value) > MAX_SAMPLES:
        raise SymbpError(f"samples: at most {MAX_SAMPLES:,}")
    result = []
    for i, item in enumerate(value):
        where = f"samples[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"x", "y"}:
            raise SymbpError(f"{where}: expected {{\"x\": [{noun_count(layers[0], 'number')}], "
                             f"\"y\": [{noun_count(layers[-1], 'number')}]}}, got "
                             f"{describe(item)}")
        x = check_vector(item["x"], f"{where}.x", layers[0],
                          f"{noun_count(layers[0], 'number')} (the input layer)")
        y = check_vector(item["y"], f"{where}.y", layers[-1],
                          f"{noun_count(layers[-1], 'number')} (the output layer)")
        if cost == "log-likelihood" and (sorted(y) != [0.0] * (len(y) - 1) + [1.0]):
            raise SymbpError(f"{where}.y: the log-likelihood cost needs a one-hot target (one "
                             f"1, the rest 0: the class of x), got {show(item['y'])}")
        if cost == "cross-entropy" and not all(0.0 <= v <= 1.0 for v in y):
            raise SymbpError(f"{where}.y: the cross-entropy cost needs targets between 0 and 1, "
                             f"got {show(item['y'])}")
        result.append(Sample(x, y))
    return tuple(result)


def check_vector(value, where: str, size: int, about: str) -> Vector:
    if not isinstance(value, list | tuple) or len(value) != size:
        raise SymbpError(f"{where}: expected {about}; got {describe(value)}")
    for k, v in enumerate(value):
        if not is_number(v):
            raise SymbpError(f"{where}[{k}]: expected a number, got {show(v)}")
    return tuple(float(v) for v in value)


def noun_count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_int(text: str) -> int | float:
    """A JSON integer: as Python's int, except one of more than 308 digits, which is beyond
    every float anyway (networks compute in floats) and becomes ``inf`` in linear time,
    so the field's check names it (Python's own int() refuses 4,300+ digits)."""
    return float(text) if len(text) > 310 else int(text)


def is_number(value) -> bool:
    """A real number within the float range (networks compute in floats)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond the largest float
        return False


def describe(value) -> str:
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object with fields " + (", ".join(map(str, value)) or "none")
    return show(value)


def show(value) -> str:
    if isinstance(value, float) and math.isnan(value):  # JSON's NaN, which Python reads
        return "NaN (not a number)"
    if isinstance(value, int | float) and not isinstance(value, bool) and not is_number(value):
        return "a number beyond the float range (±1.8e308)"
    text = (repr(value) if isinstance(value, str)
            else json.dumps(value, ensure_ascii=False, default=repr))
    return text if len(text) <= 40 else text[:39] + "…"
