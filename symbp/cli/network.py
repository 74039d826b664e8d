"""The ``network`` command: backpropagation in a fully connected network, as a symbolic
derivation (``--layers``) or with the numbers of a spec's samples (``--spec``), with a
progress bar while it trains.

The network modules are imported when the command runs: ``symbp explain`` never loads them.
"""

# No `from __future__ import annotations`: typer reads these annotations at run time.
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

from ..errors import SymbpError
from .options import Parameter, option
from .output import STDERR, Destination, delivering

__all__ = ["build", "network", "progress_bar"]


def _option(kind: object, *names: str, help: str, default: object = None,
            **settings) -> Parameter:
    """An option whose help says its default (none is shown after it)."""
    return option(kind, *names, help=help, default=default, show_default=False, **settings)


LayersOpt = _option(
    str | None, "--layers", "-l", metavar="SIZES",
    help="Layer sizes, input first, e.g. 2,3,2: the symbolic derivation "
    "of BP1–BP4 for this network.")
SpecOpt = _option(
    str | None, "--spec", metavar="FILE",
    help="A network spec (JSON: layers, samples, learning_rate, optional "
    "weights/biases): the numbers for every sample, the batch and one SGD step.")
TorchOpt = _option(
    str | None, "--torch", metavar="FILE",
    help="A PyTorch nn.Sequential's state dict (saved by torch.save), read with "
    "weights_only=True: no code runs; with --samples, and its modules in --architecture.")
ArchitectureOpt = _option(
    str | None, "--architecture", metavar="FILE",
    help="For --torch: JSON {\"modules\": [\"Linear\", \"ReLU\", "
    "\"Linear\", \"Softmax\"], \"cost\": …} (default: the --torch file with .json).")
SamplesOpt = _option(
    str | None, "--samples", metavar="FILE",
    help="For --torch: JSON, a list of {\"x\": [...], \"y\": [...]} or "
    "{\"samples\": [...], \"learning_rate\": …}.")
ActivationOpt = _option(
    str | None, "--activation", "-a", metavar="NAME",
    help="σ of every layer: sigmoid, tanh, relu or identity (default: "
    "sigmoid, or the spec's); softmax only for the output layer.")
OutputActivationOpt = _option(
    str | None, "--output-activation", metavar="NAME",
    help="σ of the output layer, when it differs from --activation's, "
    "e.g. softmax (default: the spec's, else --activation's).")
CostOpt = _option(
    str | None, "--cost", "-c", metavar="NAME",
    help="quadratic, cross-entropy (after a sigmoid) or log-likelihood (after "
    "a softmax, one-hot targets) (default: quadratic, or the spec's).")
SeedOpt = _option(
    int | None, "--seed", metavar="N",
    help="Seed of the random parameters (when the spec has none), of the "
    "shuffling and of the checks' random points (default: 0).")
LearningRateOpt = _option(
    float | None, "--learning-rate", "--eta", metavar="η",
    help="η, replacing the spec's.")
EpochsOpt = option(int, "--epochs", min=0, metavar="N", default=0,
                   help="Then train this many epochs of SGD.")
BatchSizeOpt = _option(
    int | None, "--batch-size", min=1, metavar="N",
    help="Mini-batch size for --epochs (default: all samples).")
ViewOpt = _option(
    str | None, "--view", metavar="VIEW",
    help="both, layers or neurons: BP1–BP4 neuron by neuron, layer by layer in "
    "matrix form (shapes, W·a + b, δ (a)ᵀ, the batch as matrices), or both (default: both; "
    "with --spec).")
ConventionOpt = _option(
    str | None, "--convention", metavar="NAME",
    help="nielsen or pytorch: the layer view's layout, Nielsen's column "
    "vectors (samples as columns) or PyTorch's rows (y = x·Wᵀ + b) (default: nielsen).")
FullOpt = option(bool, "--full", default=False, help="Show everything, even for big networks.")
MaxParametersOpt = _option(
    int | None, "--max-parameters", min=0, metavar="N",
    help="Take networks of up to this many weights and biases "
    "(default 10,000: a few seconds).")
MaxLayersOpt = _option(
    int | None, "--max-layers", min=0, metavar="N",
    help="Take networks of up to this many layers (default 100).")
MaxWorkOpt = _option(
    int | None, "--max-work", min=0, metavar="N",
    help="Train up to this many epochs × samples × (parameters + 30) "
    "(default 2,000,000: a few seconds).")

NETWORK_OPTIONS = {
    "layers": LayersOpt,
    "spec": SpecOpt,
    "torch": TorchOpt,
    "architecture": ArchitectureOpt,
    "samples": SamplesOpt,
    "activation": ActivationOpt,
    "output_activation": OutputActivationOpt,
    "cost": CostOpt,
    "seed": SeedOpt,
    "learning_rate": LearningRateOpt,
    "epochs": EpochsOpt,
    "batch_size": BatchSizeOpt,
    "view": ViewOpt,
    "convention": ConventionOpt,
    "full": FullOpt,
    "max_parameters": MaxParametersOpt,
    "max_layers": MaxLayersOpt,
    "max_work": MaxWorkOpt,
}
"""The options of ``network``, in --help's order: each is a parameter of :func:`build`."""


@delivering("network", NETWORK_OPTIONS, inputs=("spec", "torch", "architecture", "samples"))
def network(*, destination: Destination, **options) -> None:
    """Backpropagation in a fully connected network (Nielsen's BP1–BP4), checked."""
    torch = options["torch"]
    if torch is not None and options["architecture"] is None and destination.output is not None:
        from ..files import OutputFile
        from ..network.torch_file import default_architecture

        # the architecture beside the model is an input too: -o must not overwrite it
        OutputFile.check(destination.output.path, (default_architecture(torch),))

    def derive():
        with progress_bar(options["epochs"], STDERR) as on_epoch:
            return build(**options, on_epoch=on_epoch)

    destination.derive_and_deliver(derive)


def build(
    *,
    layers: str | None,
    spec: str | None,
    activation: str | None,
    cost: str | None,
    seed: int | None,
    learning_rate: float | None,
    epochs: int,
    batch_size: int | None,
    full: bool,
    on_epoch: Callable[[int, float], None] | None = None,
    max_parameters: int | None = None,
    max_layers: int | None = None,
    max_work: int | None = None,
    output_activation: str | None = None,
    torch: str | None = None,
    architecture: str | None = None,
    samples: str | None = None,
    view: str | None = None,
    convention: str | None = None,
):
    """The derivation (``layers``) or the walkthrough (``spec``, or ``torch`` with its
    ``architecture`` and ``samples``), options checked first: a
    :class:`~symbp.network.records.NetworkDerivation` or
    :class:`~symbp.network.records.NetworkWalkthrough`."""
    from ..network.derive import derive_network, network_walkthrough
    from ..network.functions import ACTIVATIONS, COSTS
    from ..network.layers import CONVENTIONS, VIEWS
    from ..network.spec import check_choice, load_spec

    given = [flag for flag, value in (("--layers", layers), ("--spec", spec),
                                      ("--torch", torch)) if value is not None]
    if len(given) > 1:
        raise SymbpError(f"give one of --layers (the derivation), --spec or --torch (the "
                         f"numbers for samples), not {' and '.join(given)}")
    if not given:
        raise SymbpError("give --layers 2,3,2 for the derivation of BP1–BP4, or --spec "
                         "net.json for the numbers of a network and its samples")
    if torch is None and (architecture is not None or samples is not None):
        raise SymbpError("--architecture and --samples go with --torch FILE")
    if torch is not None:
        if samples is None:
            raise SymbpError("--torch needs --samples FILE: the examples to backpropagate")
        if activation is not None or output_activation is not None:
            raise SymbpError("with --torch, σ comes from the model's modules "
                             "(--architecture), not --activation")
    for parameter, value in (("activation", activation),
                             ("output_activation", output_activation)):
        if value is not None:
            check_choice(value, parameter, ACTIVATIONS, parameter=True)
    if cost is not None:
        check_choice(cost, "cost", COSTS, parameter=True)
    if view is not None:
        check_choice(view, "view", dict.fromkeys(VIEWS), parameter=True)
    if convention is not None:
        check_choice(convention, "convention", dict.fromkeys(CONVENTIONS), parameter=True)
    if layers is not None:
        numeric = [option for option, value in (
            ("--epochs", epochs or None), ("--learning-rate", learning_rate),
            ("--batch-size", batch_size), ("--view", view),
            ("--convention", convention)) if value is not None]
        if numeric:
            raise SymbpError(f"{', '.join(numeric)} needs training samples: give --spec FILE "
                             "instead of --layers")
        return derive_network(layers, activation or "sigmoid", cost or "quadratic",
                              output_activation=output_activation,
                              seed=0 if seed is None else seed, full=full,
                              max_parameters=max_parameters, max_layers=max_layers)
    if torch is not None:
        from ..network.torch_file import load_torch

        loaded = load_torch(torch, samples=samples, architecture=architecture, seed=seed,
                            learning_rate=learning_rate, cost=cost)
    else:
        loaded = load_spec(spec, seed=seed, learning_rate=learning_rate,
                           activation=activation, output_activation=output_activation,
                           cost=cost)
    return network_walkthrough(loaded, epochs=epochs, batch_size=batch_size, full=full,
                               on_epoch=on_epoch, max_parameters=max_parameters,
                               max_layers=max_layers, max_work=max_work,
                               view=view or "both", convention=convention or "nielsen")


@contextmanager
def progress_bar(epochs: int, console: Console) -> Iterator[Callable[[int, float], None] | None]:
    """A rich progress bar for training on ``console`` (only on a terminal, and removed when
    done); yields the ``on_epoch`` callback, or ``None`` when there is nothing to show."""
    if epochs <= 0 or not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(),
               TextColumn("C = {task.fields[cost]}"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("training", total=epochs, cost="…")

        def on_epoch(epoch: int, cost: float) -> None:
            progress.update(task, completed=epoch, cost=f"{cost:.6g}")

        yield on_epoch
