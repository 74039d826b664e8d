"""Explain my model: a PyTorch ``nn.Sequential`` or a micrograd ``MLP`` as a network spec.

Each importer returns a dict in the very schema of ``symbp network --spec`` — ``layers``,
``activations`` (one per layer after the input), ``cost``, ``weights``, ``biases`` and the
``learning_rate`` of the walkthrough's SGD step — without samples, so that
``symbp.network_walkthrough({**spec, "samples": [...]})`` and ``json.dump(spec, f)`` +
``symbp network --spec`` both work.  Weights are copied exactly (a float32 weight is a
float64 exactly).  Neither PyTorch nor micrograd is imported until an importer runs
(``import symbp`` stays as fast as without them); the ``torch`` and ``micrograd`` extras
install them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

from ..errors import SymbpError
from .fields import is_number
from .spec import network_of

__all__ = ["TORCH_ACTIVATIONS", "network_from_micrograd", "network_from_torch",
           "torch_module", "torch_spec"]

TORCH_ACTIVATIONS = {"Sigmoid": "sigmoid", "Tanh": "tanh", "ReLU": "relu",
                     "Identity": "identity", "Softmax": "softmax"}
"""The ``torch.nn`` activation modules symbp follows, by class name → symbp's σ."""

_SUPPORTED = ("nn.Linear (with bias), then optionally one of nn.Sigmoid, nn.Tanh, nn.ReLU, "
              "nn.Identity; a final nn.Softmax(dim=-1)")


def torch_module():
    """PyTorch, imported now (not with symbp); a one-line error when it is missing."""
    try:
        with warnings.catch_warnings():  # PyTorch without NumPy warns; symbp needs no NumPy
            warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
            import torch
    except ImportError:
        raise SymbpError("PyTorch is not installed: pip install 'symbp[torch]'") from None
    return torch


def network_from_torch(model, cost: str = "quadratic", *,
                       learning_rate: float = 0.1) -> dict:
    """The spec of a PyTorch ``nn.Sequential`` of ``nn.Linear`` layers, each followed by at
    most one of ``nn.Sigmoid``, ``nn.Tanh``, ``nn.ReLU``, ``nn.Identity`` (none: the
    identity), and optionally a final ``nn.Softmax(dim=-1)`` (with
    ``cost="log-likelihood"``: categorical cross-entropy).

    PyTorch's ``weight[j][k]`` of the l-th ``nn.Linear`` (out × in) is Nielsen's w^l_{jk},
    the weight from neuron k of layer l−1 to neuron j of layer l, and ``bias[j]`` is b^l_j:
    ``nn.Linear`` computes y = x·Wᵀ + b for a row x, which is z = W a + b for a column a,
    so the matrices are copied as they are, each number exactly (float32 and float64 both
    convert to Python floats without rounding).  ``learning_rate`` is η of the
    walkthrough's SGD step (the model does not know its optimizer).

    Anything else — a convolution, dropout, batch norm, a ``Linear`` without bias, two
    activations in a row, a nested ``Sequential`` — is a one-line :class:`SymbpError`
    naming the module and what is supported.
    """
    torch = torch_module()
    if not isinstance(model, torch.nn.Sequential):
        raise SymbpError(f"model: expected a torch.nn.Sequential of {_SUPPORTED}; got "
                         f"{type(model).__name__}")
    linears: list = []
    activations: list[str] = []
    modules = list(model.named_children())
    for position, (key, module) in enumerate(modules):
        kind = type(module).__name__
        where = f"module {key} ({kind})"
        if isinstance(module, torch.nn.Linear):
            if module.bias is None:
                raise SymbpError(f"{where}: a Linear without bias is not supported (symbp's "
                                 "neurons have biases); use bias=True")
            if linears and len(activations) < len(linears):
                activations.append("identity")  # Linear after Linear: σ is the identity
            linears.append((key, module.weight, module.bias))
            continue
        if kind not in TORCH_ACTIVATIONS or type(module) is not getattr(torch.nn, kind):
            raise SymbpError(f"{where} is not supported; symbp explains {_SUPPORTED}")
        if not linears or len(activations) == len(linears):
            before = "at the start" if not linears else "right after another activation"
            raise SymbpError(f"{where} {before}: each activation follows one nn.Linear")
        if kind == "Softmax":
            if module.dim != -1:
                raise SymbpError(f"{where}: only Softmax(dim=-1), over the outputs of one "
                                 f"sample, is supported; got dim={module.dim}")
            if position != len(modules) - 1:
                raise SymbpError(f"{where}: softmax is only supported as the last module "
                                 "(the output layer)")
        activations.append(TORCH_ACTIVATIONS[kind])
    if not linears:
        raise SymbpError(f"model: an nn.Sequential with no nn.Linear; symbp explains "
                         f"{_SUPPORTED}")
    if len(activations) < len(linears):
        activations.append("identity")
    layers = [int(linears[0][1].shape[1]), *(int(w.shape[0]) for _, w, _ in linears)]
    for (key, w, _), n_in in zip(linears, layers, strict=False):
        if int(w.shape[1]) != n_in:
            raise SymbpError(f"module {key} (Linear): takes {int(w.shape[1])} inputs but the "
                             f"layer before has {n_in} outputs")
    weights = [_numbers(w, f"module {key} (Linear) weight") for key, w, _ in linears]
    biases = [_numbers(b, f"module {key} (Linear) bias") for key, _, b in linears]
    return _checked({"layers": layers, "activations": activations, "cost": cost,
                     "weights": weights, "biases": biases, "learning_rate": learning_rate})


def _numbers(tensor, where: str) -> list:
    """A tensor's numbers as (nested) lists of Python floats, each exactly."""
    torch = torch_module()
    if not tensor.is_floating_point():
        raise SymbpError(f"{where}: expected floating-point numbers, got {tensor.dtype}")
    values = tensor.detach().to(device="cpu", dtype=torch.float64).tolist()
    flat = values if tensor.dim() == 1 else [v for row in values for v in row]
    if not all(math.isfinite(v) for v in flat):
        raise SymbpError(f"{where}: holds a number that is not finite (nan or ±inf)")
    return values


def torch_spec(modules: Sequence[str], state: dict, cost: str = "quadratic", *,
               learning_rate: float = 0.1, source: str = "the state dict") -> dict:
    """The spec of an ``nn.Sequential`` given as its modules' class names (``["Linear",
    "ReLU", "Linear", "Softmax"]``) and its ``state_dict()`` (tensors keyed
    ``"0.weight"``, ``"0.bias"``, … by the modules' positions): the model is rebuilt from
    these two alone (no code is run) and read by :func:`network_from_torch`."""
    torch = torch_module()
    if not isinstance(state, dict):
        raise SymbpError(f"{source}: expected a state dict (tensors by name), got "
                         f"{type(state).__name__}")
    if not isinstance(modules, list) or not modules or not all(
            isinstance(m, str) for m in modules):
        raise SymbpError(f"modules: expected a list of nn.Sequential's module names, e.g. "
                         f"[\"Linear\", \"ReLU\", \"Linear\"]; got {modules!r:.60}")
    for i, kind in enumerate(modules):
        if kind != "Linear" and kind not in TORCH_ACTIVATIONS:
            raise SymbpError(f"modules: {kind!r:.40} (module {i}) is not supported; symbp "
                             f"explains {_SUPPORTED}")
    expected = [f"{i}.{p}" for i, m in enumerate(modules) if m == "Linear"
                for p in ("weight", "bias")]
    for key in state:
        if key not in expected:
            raise SymbpError(f"{source}: unexpected tensor {str(key)!r:.60}; the modules "
                             f"{', '.join(modules)} have {', '.join(expected) or 'none'}")
    sequence = []
    for i, kind in enumerate(modules):
        if kind == "Linear":
            weight, bias = (state.get(f"{i}.{p}") for p in ("weight", "bias"))
            for p, tensor in (("weight", weight), ("bias", bias)):
                if not isinstance(tensor, torch.Tensor):
                    raise SymbpError(f"{source}: no tensor {i}.{p} for module {i} (Linear)")
            if weight.dim() != 2 or bias.dim() != 1 or bias.shape[0] != weight.shape[0]:
                raise SymbpError(f"{source}: module {i} (Linear) needs a 2-D weight (out × in) "
                                 f"and a bias of its out; got {tuple(weight.shape)} and "
                                 f"{tuple(bias.shape)}")
            linear = torch.nn.Linear(int(weight.shape[1]), int(weight.shape[0]),
                                     dtype=weight.dtype if weight.is_floating_point()
                                     else torch.float64)
            _copy(linear, weight, bias, f"{source}: module {i} (Linear)")
            sequence.append(linear)
        elif kind == "Softmax":
            sequence.append(torch.nn.Softmax(dim=-1))
        else:
            sequence.append(getattr(torch.nn, kind)())
    return network_from_torch(torch.nn.Sequential(*sequence), cost,
                              learning_rate=learning_rate)


def _copy(linear, weight, bias, where: str) -> None:
    torch = torch_module()
    if not (weight.is_floating_point() and bias.is_floating_point()):
        raise SymbpError(f"{where}: expected floating-point tensors, got {weight.dtype} and "
                         f"{bias.dtype}")
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(bias.to(weight.dtype))


def network_from_micrograd(mlp, cost: str = "quadratic", *,
                           learning_rate: float = 0.1) -> dict:
    """The spec of a micrograd ``MLP`` (micrograd 0.1.0): its layers of neurons, each
    ``Neuron`` with weights ``w`` (one per input) and bias ``b``, ReLU when ``nonlin``
    (every layer but the last, in ``MLP``), else linear — symbp's ``relu`` and
    ``identity``.  Neuron j's ``w[k]`` in layer l is Nielsen's w^l_{jk}; each number is
    copied exactly.  ``learning_rate`` is η of the walkthrough's SGD step."""
    try:
        from micrograd.nn import MLP
    except ImportError:
        raise SymbpError("micrograd is not installed: pip install 'symbp[micrograd]'") from None
    if not isinstance(mlp, MLP):
        raise SymbpError(f"mlp: expected a micrograd.nn.MLP, got {type(mlp).__name__}")
    layers, activations, weights, biases = [], [], [], []
    for l_, layer in enumerate(mlp.layers, start=2):
        neurons = list(getattr(layer, "neurons", ()))
        if not neurons:
            raise SymbpError(f"mlp: layer {l_} has no neurons")
        kinds = {bool(n.nonlin) for n in neurons}
        if len(kinds) != 1:
            raise SymbpError(f"mlp: layer {l_} mixes ReLU and linear neurons; symbp gives "
                             "every neuron of a layer the same σ")
        if not layers:
            layers.append(len(neurons[0].w))
        layers.append(len(neurons))
        activations.append("relu" if kinds.pop() else "identity")
        weights.append([[_value(v, f"layer {l_}, neuron {j} w[{k}]") for k, v in enumerate(n.w)]
                        for j, n in enumerate(neurons, start=1)])
        biases.append([_value(n.b, f"layer {l_}, neuron {j} b")
                       for j, n in enumerate(neurons, start=1)])
    if not layers:
        raise SymbpError("mlp: an MLP with no layers")
    return _checked({"layers": layers, "activations": activations, "cost": cost,
                     "weights": weights, "biases": biases, "learning_rate": learning_rate})


def _value(v, where: str) -> float:
    data = getattr(v, "data", None)
    if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
        raise SymbpError(f"mlp: {where}: expected a finite number, got {data!r:.40}")
    return float(data)


def _checked(spec: dict) -> dict:
    """The spec, after the checks ``--spec`` makes (shapes, σ with the cost, sizes, η)."""
    network_of(spec)
    if not is_number(spec["learning_rate"]) or spec["learning_rate"] <= 0:
        raise SymbpError(f"learning_rate: expected a number > 0, got "
                         f"{spec['learning_rate']!r:.40}")
    return spec
