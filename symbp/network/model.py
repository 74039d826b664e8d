"""Fully connected networks in Nielsen's notation: the records (network, sample, spec, one
sample's backprop, a training run).

Layers are numbered l = 1..L (1 is the input).  ``weights[i][j][k]`` is
w^l_{jk}, the weight from neuron k of layer l−1 to neuron j of layer l, with
l = i + 2; ``biases[i][j]`` is b^l_j.  Every per-layer list in the network package uses
the same indexing: position i holds layer i + 2 (the input a¹ = x is the sample's).

σ and the cost are named here and defined in :mod:`symbp.network.functions`; BP1–BP4 with
floats are :mod:`symbp.network.backprop`, SGD is :mod:`symbp.network.train`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

__all__ = [
    "Matrix",
    "Network",
    "NetworkSpec",
    "Sample",
    "SampleBackprop",
    "Training",
    "Vector",
    "freeze_matrices",
    "freeze_vectors",
]

Vector = tuple[float, ...]
Matrix = tuple[Vector, ...]


@dataclass(frozen=True)
class Network:
    """Layer sizes, each layer's σ, the cost and the parameters (``weights[i]`` is w^{i+2}).

    ``activations[i]`` names σ of layer i + 2 (one per layer after the input); one name
    given for all of them (``Network(layers, "sigmoid", …)``) is repeated for each layer.
    """

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    cost: str
    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]

    def __post_init__(self) -> None:
        if isinstance(self.activations, str):  # one σ for every layer
            object.__setattr__(self, "activations",
                               (self.activations,) * (len(self.layers) - 1))
        else:
            object.__setattr__(self, "activations", tuple(self.activations))

    @property
    def activation(self) -> str | None:
        """The σ of every layer when they share one, else ``None`` (see :meth:`sigma`)."""
        first = self.activations[0] if self.activations else None
        return first if all(a == first for a in self.activations) else None

    @property
    def output_activation(self) -> str:
        """σ of the output layer L."""
        return self.activations[-1]

    def sigma(self, layer: int) -> str:
        """The name of σ in layer ``layer`` (l = 2..L)."""
        return self.activations[layer - 2]

    @property
    def activation_text(self) -> str:
        """σ in words: ``sigmoid``, or per layer ``relu (layers 2–3), softmax (layer 4)``."""
        if self.activation is not None:
            return self.activation
        runs: list[list] = []  # [name, first layer, last layer]
        for layer, act in enumerate(self.activations, start=2):
            if runs and runs[-1][0] == act:
                runs[-1][2] = layer
            else:
                runs.append([act, layer, layer])
        return ", ".join(f"{act} (layer {first})" if first == last else
                         f"{act} (layers {first}–{last})" for act, first, last in runs)

    @property
    def depth(self) -> int:
        """L, the number of layers (the input layer included)."""
        return len(self.layers)

    @property
    def parameter_count(self) -> int:
        """How many weights and biases."""
        return sum(n * m + n for m, n in pairwise(self.layers))

    def with_parameters(self, weights, biases) -> Network:
        """The same network with other parameters."""
        return Network(self.layers, self.activations, self.cost,
                       freeze_matrices(weights), freeze_vectors(biases))


@dataclass(frozen=True)
class Sample:
    """One training example: the input x (= a¹) and the desired output y."""

    x: Vector
    y: Vector


@dataclass(frozen=True)
class NetworkSpec:
    """A network with its training samples and learning rate η.

    ``seed`` seeds the random initial parameters (when ``random_parameters``), the
    shuffling of mini-batches and the random points of the checks.
    """

    network: Network
    samples: tuple[Sample, ...]
    learning_rate: float
    seed: int = 0
    random_parameters: bool = False
    source: str = ""


@dataclass(frozen=True)
class SampleBackprop:
    """One sample's forward pass, BP1–BP2 errors and BP3–BP4 gradient (per-layer lists)."""

    sample: Sample
    z: tuple[Vector, ...]
    a: tuple[Vector, ...]
    sigma_prime: tuple[Vector, ...]  # σ'(z^l_j)
    grad_a: tuple[Vector, ...]  # ∂C/∂a^l_j: ∇_a C at the output (BP1), (w^{l+1})ᵀ δ^{l+1} below
    delta: tuple[Vector, ...]
    grad_b: tuple[Vector, ...]
    grad_w: tuple[Matrix, ...]
    cost: float
    # a softmax output layer's ∂a^L_k/∂z^L_j (row k, column j); its σ' above is the diagonal
    jacobian: Matrix | None = None

    def activation(self, layer: int) -> Vector:
        """a^l for l = 1..L (a¹ is the input x)."""
        return self.sample.x if layer == 1 else self.a[layer - 2]


@dataclass(frozen=True)
class Training:
    """SGD over the samples: the batch cost before training and after every epoch."""

    epochs: int
    batch_size: int
    learning_rate: float
    costs: tuple[float, ...]  # costs[0] before training, costs[e] after epoch e
    network: Network


def freeze_matrices(matrices) -> tuple[Matrix, ...]:
    """Matrices (lists of lists of numbers) as tuples of floats."""
    return tuple(tuple(tuple(float(v) for v in row) for row in m) for m in matrices)


def freeze_vectors(vectors) -> tuple[Vector, ...]:
    """Vectors (lists of numbers) as tuples of floats."""
    return tuple(tuple(float(v) for v in vec) for vec in vectors)
