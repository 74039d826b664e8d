"""``symbp network --torch model.pt``: a saved PyTorch ``nn.Sequential``, read safely.

What is read is a **state dict** (``torch.save(model.state_dict(), "model.pt")``) with
``torch.load(..., weights_only=True)``, PyTorch's loader that rebuilds tensors and plain
containers only: no pickled object is ever unpickled, so a file cannot run code.  A whole
pickled model (``torch.save(model)``) would need arbitrary unpickling, and TorchScript
runs code of its own; neither is accepted.  A state dict holds numbers, not the model's
structure, so the architecture comes beside it in a small JSON file::

    {"modules": ["Linear", "ReLU", "Linear", "Softmax"], "cost": "log-likelihood"}

— the ``nn.Sequential``'s modules by class name, in order (the state dict's keys
``0.weight``, ``0.bias``, ``2.weight`` … are their positions), and optionally the cost.
By default it is the model's path with ``.json`` for ``.pt`` (``model.json``).  The samples
come from a third JSON file: a list of ``{"x": [...], "y": [...]}``, or an object with
``"samples"`` and optionally ``"learning_rate"``.

Every file is read once, within a size limit (:mod:`symbp.files`); whatever is wrong — not
a PyTorch file, an object that is not a state dict, missing or extra tensors, shapes that
do not fit the architecture, a device, a folder — is a one-line :class:`SymbpError`
naming the file.
"""

from __future__ import annotations

import io
import json
import pickle
import re
from collections.abc import Mapping
from pathlib import Path

from .. import arguments
from ..errors import PARAMETER, SymbpError
from ..files import display_path, read_bytes, read_text
from .importers import torch_module, torch_spec
from .model import NetworkSpec
from .spec import MAX_SPEC_BYTES, parse_spec

__all__ = ["MAX_ARCHITECTURE_BYTES", "MAX_TORCH_BYTES", "default_architecture", "load_torch"]

MAX_TORCH_BYTES = 16_000_000
"""Largest state dict read: the most weights and biases symbp takes (100,000) in float64
are 0.8 MB; the zip container PyTorch writes adds little."""
MAX_ARCHITECTURE_BYTES = 100_000
"""Largest architecture file read (a list of module names)."""


def load_torch(path: str | Path, *, samples: str | Path, architecture: str | Path | None = None,
               seed: int | None = None, learning_rate: float | None = None,
               cost: str | None = None) -> NetworkSpec:
    """The spec of a saved ``nn.Sequential``: its state dict at ``path`` (read with
    ``weights_only=True``), its ``architecture`` (default: ``path`` with ``.json``) and
    the ``samples`` file; ``seed``, ``learning_rate`` and ``cost`` replace the files'."""
    path = Path(arguments.path(path, "load_torch", "path"))
    samples = Path(arguments.path(samples, "load_torch", "samples"))
    if architecture is None:
        architecture = default_architecture(path)
    architecture = Path(arguments.path(architecture, "load_torch", "architecture"))
    arguments.text_or_none(cost, "load_torch", "cost")
    state = _state_dict(path)
    modules, file_cost = _architecture(architecture)
    where = display_path(architecture)
    try:
        spec = torch_spec(modules, state, cost or file_cost, source=display_path(path))
    except SymbpError as exc:  # the modules' fault: the architecture's; else the tensors'
        if str(exc).startswith(display_path(path)):
            raise
        raise exc.within(f"{where if str(exc).startswith('modules') else display_path(path)}"
                         ": ") from None
    items, file_rate = _samples(samples)
    data = {**spec, "samples": items}
    data.pop("learning_rate")
    if file_rate is not None:
        data["learning_rate"] = file_rate
    try:
        return parse_spec(data, seed=seed, learning_rate=learning_rate,
                          source=display_path(path))
    except SymbpError as exc:
        raise exc.within(f"{display_path(samples)}: ") from None


def default_architecture(path: str | Path) -> Path:
    """The architecture file beside a state dict: ``model.pt`` → ``model.json``."""
    path = Path(path)
    architecture = path.with_suffix(".json")
    if architecture == path:
        raise SymbpError(f"{display_path(path)}: give its architecture with {PARAMETER}",
                         parameter="architecture")
    return architecture


def _state_dict(path: Path) -> dict:
    data = read_bytes(path, limit=MAX_TORCH_BYTES, note="a PyTorch state dict")
    torch = torch_module()
    shown = display_path(path)
    if not data.startswith((b"PK\x03\x04", b"\x80")):  # a zip archive, or a legacy pickle
        raise SymbpError(f"{shown}: not a PyTorch file (torch.save writes a zip archive)")
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "weights only load failed" not in str(exc).lower():
            raise SymbpError(f"{shown}: not a PyTorch file PyTorch can read "
                             f"({_first_line(exc)})") from None
        raise SymbpError(f"{shown}: holds objects other than tensors, which symbp never "
                         "unpickles (they could run code); save model.state_dict()") from None
    except Exception as exc:  # whatever else PyTorch's loader refuses, said in one line
        raise SymbpError(f"{shown}: not a PyTorch file PyTorch can read "
                         f"({_first_line(exc)})") from None
    if not isinstance(state, Mapping) or not all(isinstance(k, str) for k in state):
        raise SymbpError(f"{shown}: holds a {type(state).__name__}, not a state dict (tensors "
                         "by name): save model.state_dict()")
    return dict(state)


def _first_line(exc: Exception) -> str:
    """An exception's first line, without control characters (PyTorch's have colours)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    line = (text.strip().splitlines() or [type(exc).__name__])[0]
    line = "".join(c for c in line if c.isprintable())
    return line if len(line) <= 100 else line[:99] + "…"


def _json(path: Path, limit: int, note: str):
    text = read_text(path, limit=limit, note=note)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SymbpError(f"{display_path(path)}: not valid JSON: {exc.msg} (line {exc.lineno}, "
                         f"column {exc.colno})") from None


def _architecture(path: Path) -> tuple[list, str]:
    data = _json(path, MAX_ARCHITECTURE_BYTES, "an architecture")
    shown = display_path(path)
    if not isinstance(data, dict) or "modules" not in data or set(data) - {"modules", "cost"}:
        raise SymbpError(f"{shown}: expected {{\"modules\": [\"Linear\", \"ReLU\", …], "
                         "\"cost\": …}} (cost optional)")
    cost = data.get("cost", "quadratic")
    return data["modules"], cost


def _samples(path: Path) -> tuple[list, float | None]:
    data = _json(path, MAX_SPEC_BYTES, "samples")
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict) and "samples" in data and not set(data) - {"samples",
                                                                        "learning_rate"}:
        return data["samples"], data.get("learning_rate")
    raise SymbpError(f"{display_path(path)}: expected a list of {{\"x\": [...], \"y\": [...]}} "
                     "or {\"samples\": [...], \"learning_rate\": …}")
