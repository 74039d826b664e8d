"""What ``symbp network`` does between parsing its options and printing: kept out of
:mod:`symbp.cli` so that the CLI stays a thin layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..errors import SymbpError
from ..network.derive import derive_network, network_walkthrough
from ..network.functions import ACTIVATIONS, COSTS
from ..network.records import NetworkDerivation, NetworkWalkthrough
from ..network.spec import check_choice, load_spec
from ..render.formats import formats_of

__all__ = ["FORMATS", "build", "progress_bar"]

FORMATS = tuple(f.name for f in formats_of("network"))
"""Output formats ``symbp network`` supports (from the one table, :mod:`symbp.formats`)."""


def build(
    *,
    layers: str | None,
    spec: Path | None,
    activation: str | None,
    cost: str | None,
    seed: int | None,
    learning_rate: float | None,
    epochs: int,
    batch_size: int | None,
    full: bool,
    format: str,
    on_epoch: Callable[[int, float], None] | None = None,
    max_parameters: int | None = None,
    max_layers: int | None = None,
    max_work: int | None = None,
) -> NetworkDerivation | NetworkWalkthrough:
    """The derivation (``layers``) or the walkthrough (``spec``), options checked first."""
    if format not in FORMATS:
        raise SymbpError(f"symbp network writes {', '.join(FORMATS)}; --format {format} is "
                         "not available for networks")
    if layers is not None and spec is not None:
        raise SymbpError("give --layers (the derivation) or --spec (the numbers for its "
                         "samples), not both")
    if layers is None and spec is None:
        raise SymbpError("give --layers 2,3,2 for the derivation of BP1–BP4, or --spec "
                         "net.json for the numbers of a network and its samples")
    if activation is not None:
        check_choice(activation, "--activation", ACTIVATIONS)
    if cost is not None:
        check_choice(cost, "--cost", COSTS)
    if layers is not None:
        numeric = [option for option, value in (
            ("--epochs", epochs or None), ("--learning-rate", learning_rate),
            ("--batch-size", batch_size)) if value is not None]
        if numeric:
            raise SymbpError(f"{', '.join(numeric)} needs training samples: give --spec FILE "
                             "instead of --layers")
        return derive_network(layers, activation or "sigmoid", cost or "quadratic",
                              seed=0 if seed is None else seed, full=full,
                              max_parameters=max_parameters, max_layers=max_layers)
    loaded = load_spec(spec, seed=seed, learning_rate=learning_rate, activation=activation,
                       cost=cost)
    return network_walkthrough(loaded, epochs=epochs, batch_size=batch_size, full=full,
                               on_epoch=on_epoch, max_parameters=max_parameters,
                               max_layers=max_layers, max_work=max_work)


@contextmanager
def progress_bar(epochs: int, console: Console) -> Iterator[Callable[[int, float], None] | None]:
    """A rich progress bar for training on ``console`` (only on a terminal, and removed when
    done); yields the ``on_epoch`` callback, or ``None`` when there is nothing to show."""
    if epochs <= 0 or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(),
               TextColumn("C = {task.fields[cost]}"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("training", total=epochs, cost="…")

        def on_epoch(epoch: int, cost: float) -> None:
            progress.update(task, completed=epoch, cost=f"{cost:.6g}")

        yield on_epoch
