"""Stochastic gradient descent over a network's samples, within a budget of work."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ..core.printing import plural
from ..errors import PARAMETER, DomainError, LimitError, SymbpError
from .backprop import batch_backprop, batch_cost, sgd_step
from .model import Network, Sample, Training

__all__ = ["MAX_WORK", "STEP_OVERHEAD", "check_batch_size", "check_training", "train"]

MAX_WORK = 2_000_000
"""Most (epochs × samples × parameters) a training run takes unless told otherwise
(``max_work``, ``--max-work``): about a few seconds of pure-Python SGD."""
STEP_OVERHEAD = 30
"""The cost of one sample's step beyond its parameters, in parameters: 500,000 epochs of a
2-parameter network took 18 s."""


def check_training(network: Network, samples: int, epochs: int, max_work: int | None) -> None:
    """Refuse up front a training run of more than ``max_work`` (default :data:`MAX_WORK`)
    units of work: epochs × samples × (parameters + :data:`STEP_OVERHEAD`)."""
    work = epochs * samples * (network.parameter_count + STEP_OVERHEAD)
    limit = MAX_WORK if max_work is None else max_work
    if work > limit:
        raise LimitError(
            f"{plural(epochs, 'epoch')} × {plural(samples, 'sample')} × "
            f"({plural(network.parameter_count, 'parameter')} + {STEP_OVERHEAD}) is more "
            f"training than symbp does in a few seconds (limit {limit:,}); use fewer epochs, "
            f"or {PARAMETER} to go past it (slow)",
            parameter="max_work", setting=work)


def check_batch_size(samples: int, batch_size: int | None) -> int:
    """The mini-batch size of SGD over ``samples`` samples: ``batch_size``, all of them when
    ``None``; refused unless between 1 and the number of samples."""
    size = samples if batch_size is None else batch_size
    if not 1 <= size <= samples:
        raise SymbpError(f"{PARAMETER} must be between 1 and the number of samples ({samples})",
                         parameter="batch_size")
    return size


def train(
    network: Network,
    samples: Sequence[Sample],
    *,
    epochs: int,
    learning_rate: float,
    batch_size: int | None = None,
    seed: int = 0,
    on_epoch: Callable[[int, float], None] | None = None,
    max_work: int | None = None,
) -> Training:
    """Stochastic gradient descent: each epoch shuffles the samples (``random.Random(seed)``)
    and takes one step per mini-batch of ``batch_size`` (all samples when ``None``: then
    epoch 1 is exactly the step of the walkthrough).  ``on_epoch(epoch, cost)`` reports
    progress.  More than ``max_work`` (default :data:`MAX_WORK`) epochs × samples ×
    parameters is refused up front.
    """
    n = len(samples)
    size = check_batch_size(n, batch_size)
    if epochs < 0:
        raise SymbpError(f"{PARAMETER} must be 0 or more", parameter="epochs")
    check_training(network, n, epochs, max_work)
    if size == n:
        return _train_full_batch(network, samples, epochs, learning_rate, on_epoch)
    rng = random.Random(seed)
    order = list(range(n))
    costs = [batch_cost(network, samples)]
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        with _stopping_at(epoch):
            for start in range(0, n, size):
                batch = [samples[i] for i in order[start:start + size]]
                _, grad_w, grad_b = batch_backprop(network, batch)
                network = sgd_step(network, grad_w, grad_b, learning_rate)
            cost = batch_cost(network, samples)
        _end_epoch(epoch, cost, costs, on_epoch)
    return Training(epochs, size, learning_rate, tuple(costs), network)


def _train_full_batch(network: Network, samples: Sequence[Sample], epochs: int,
                      learning_rate: float, on_epoch) -> Training:
    """Gradient descent on the whole batch: the cost after a step is the mean cost that
    the next step's gradient computes anyway, so each epoch runs one batch_backprop (not
    one for the step and another pass for the cost)."""
    cost, grad_w, grad_b = batch_backprop(network, samples)
    costs = [cost]
    for epoch in range(1, epochs + 1):
        network = sgd_step(network, grad_w, grad_b, learning_rate)
        with _stopping_at(epoch):
            cost, grad_w, grad_b = batch_backprop(network, samples)
        _end_epoch(epoch, cost, costs, on_epoch)
    return Training(epochs, len(samples), learning_rate, tuple(costs), network)


@contextmanager
def _stopping_at(epoch: int) -> Iterator[None]:
    """A DomainError (overflow, a saturated cross-entropy) ends training, naming the epoch."""
    try:
        yield
    except DomainError as exc:
        raise SymbpError(f"training stopped at epoch {epoch}: {exc}") from None


def _end_epoch(epoch: int, cost: float, costs: list[float], on_epoch) -> None:
    if not math.isfinite(cost):
        raise SymbpError(f"training diverged at epoch {epoch} (the cost is {cost}); "
                         "use a smaller learning rate")
    costs.append(cost)
    if on_epoch is not None:
        on_epoch(epoch, cost)

