"""The steps of a numeric walkthrough, decided once: what the network's HTML stepper
(``symbp network --spec net.json -o net.html``) walks through.

For each sample (the first :data:`~symbp.summary.ROWS` unless ``full``): the forward pass
layer by layer, BP1 at the output, BP2 for each hidden layer from the top, BP3/BP4 for
each layer; then the batch average of the gradients per layer and the SGD update per
layer; then the checks.  Each step names the neurons ``(l, j)`` and weights ``(l, j, k)``
it speaks of (Nielsen's 1-based indices: w^l_{jk} joins neuron k of layer l − 1 to
neuron j of layer l), and the layer view's matrices ``(name, l)`` — names of the JSON's
``"layer_view"`` entries: W, b, Z, A, Delta, grad_W, grad_b; ``("A", 1)`` is the input —
that its equation reads and writes (BP2 for layer 2: W³, Δ³, Z², Δ²).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.checks import Check
from ..summary import summarize
from .records import NetworkWalkthrough

__all__ = ["BLOCKS", "NETWORK_PHASES", "NetworkStep", "network_steps"]

NETWORK_PHASES = ("forward", "bp1", "bp2", "bp34", "average", "update", "checks")
"""The phases of the network's stepper, in order."""

BLOCKS = ("W", "b", "Z", "A", "Delta", "grad_W", "grad_b")
"""The layer view's matrices of one layer, in the order the page lays them out."""


def _blocks(phase: str, layer: int) -> tuple[tuple[str, int], ...]:
    """The matrices a step's equation reads and writes, in the layer view (the batch's:
    a sample's vectors are its columns)."""
    previous = layer - 1
    names = {
        "forward": (("W", layer), ("A", previous), ("b", layer), ("Z", layer), ("A", layer)),
        "bp1": (("Z", layer), ("A", layer), ("Delta", layer)),
        "bp2": (("W", layer + 1), ("Delta", layer + 1), ("Z", layer), ("Delta", layer)),
        "bp34": (("Delta", layer), ("A", previous), ("grad_W", layer), ("grad_b", layer)),
        "average": (("Delta", layer), ("A", previous), ("grad_W", layer), ("grad_b", layer)),
        "update": (("W", layer), ("b", layer), ("grad_W", layer), ("grad_b", layer)),
    }
    return names.get(phase, ())


@dataclass(frozen=True)
class NetworkStep:
    """One step: its phase, the sample (0-based; ``None`` for the batch), the layer, the
    neurons and weights it highlights, and the check it shows (checks only)."""

    phase: str
    sample: int | None
    layer: int | None
    neurons: tuple[tuple[int, int], ...]
    weights: tuple[tuple[int, int, int], ...]
    check: Check | None = None
    hidden: int = 0  # samples left out (the one step that says so)
    blocks: tuple[tuple[str, int], ...] = ()


def network_steps(walk: NetworkWalkthrough) -> tuple[NetworkStep, ...]:
    """Every step of the walkthrough's stepper, in order."""
    layers = walk.spec.network.layers
    last = len(layers)

    def neurons(layer: int) -> tuple[tuple[int, int], ...]:
        return tuple((layer, j) for j in range(1, layers[layer - 1] + 1))

    def weights(layer: int) -> tuple[tuple[int, int, int], ...]:
        return tuple((layer, j, k) for j in range(1, layers[layer - 1] + 1)
                     for k in range(1, layers[layer - 2] + 1))

    steps: list[NetworkStep] = []
    shown, hidden = summarize(range(len(walk.samples)), walk.full)
    for s in shown:
        for layer in range(2, last + 1):
            steps.append(NetworkStep("forward", s, layer, neurons(layer), weights(layer),
                                     blocks=_blocks("forward", layer)))
        steps.append(NetworkStep("bp1", s, last, neurons(last), (), blocks=_blocks("bp1", last)))
        for layer in range(last - 1, 1, -1):
            steps.append(NetworkStep("bp2", s, layer, neurons(layer), weights(layer + 1),
                                     blocks=_blocks("bp2", layer)))
        for layer in range(last, 1, -1):
            steps.append(NetworkStep("bp34", s, layer, neurons(layer), weights(layer),
                                     blocks=_blocks("bp34", layer)))
    if hidden:
        steps.append(NetworkStep("bp34", None, None, (), (), hidden=hidden))
    for layer in range(last, 1, -1):
        steps.append(NetworkStep("average", None, layer, (), weights(layer),
                                 blocks=_blocks("average", layer)))
    for layer in range(last, 1, -1):
        steps.append(NetworkStep("update", None, layer, neurons(layer), weights(layer),
                                 blocks=_blocks("update", layer)))
    for check in walk.checks:
        steps.append(NetworkStep("checks", None, None, (), (), check=check))
    return tuple(steps)
