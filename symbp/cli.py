"""The ``symbp`` command line: a thin typer layer over :mod:`symbp`.

Every user mistake is a :class:`~symbp.errors.SymbpError`, caught here and printed
as one line (plus a caret display for parse errors) on stderr with exit code 1;
usage errors exit 2 (typer/click); a failed self-check prints the explanation and
exits 3.  Nothing is written to ``-o FILE`` unless the whole output was produced.
"""

# No `from __future__ import annotations` here: typer would then compile and evaluate
# every annotation string on each run (a few ms of start-up).
import gc
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__
from .errors import CheckFailure, SymbpError

__all__ = ["app", "main"]

app = typer.Typer(
    name="symbp",
    help="Explain derivatives step by step: computational graph, sum over paths, forward "
    "mode and backpropagation — every number computed and checked.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class NetworkFormat(str, Enum):
    """Output formats of ``symbp network``."""

    rich = "rich"
    json = "json"
    latex = "latex"
    markdown = "markdown"


class ExplainFormat(str, Enum):
    """Output formats of ``symbp explain``: rich, json and the publishing ones."""

    rich = "rich"
    json = "json"
    latex = "latex"
    markdown = "markdown"
    dot = "dot"
    svg = "svg"
    png = "png"
    python = "python"


_SUFFIXES = {".json": "json", ".tex": "latex", ".md": "markdown", ".markdown": "markdown",
             ".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".py": "python"}
"""The format ``-o FILE`` implies when ``--format`` is not given."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"symbp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", callback=_version,
                     is_eager=True),
    ] = False,
) -> None:
    """symbp: see the chain rule at work."""


ProgramArg = Annotated[
    str | None,
    typer.Argument(
        help="The program, e.g. \"e=(a+b)*(b+1)\" or \"c=a+b; d=b+1; e=c*d\"; '-' reads stdin.",
        show_default=False,
    ),
]
FileOpt = Annotated[
    Path | None,
    typer.Option("--file", "-f", metavar="FILE",
                 help="Read the program from a file.", show_default=False),
]
OutFileOpt = Annotated[
    Path | None,
    typer.Option("--out-file", "-o", metavar="FILE",
                 help="Write to this file instead of the terminal.", show_default=False),
]
StandaloneOpt = Annotated[
    bool | None,
    typer.Option("--standalone/--fragment", help="LaTeX: a complete document (the default "
                 "with -o) or a fragment of align* blocks (the default on stdout).",
                 show_default=False),
]
AtOpt = Annotated[
    list[str] | None,
    typer.Option("--at", metavar="NAME=VALUE,…",
                 help="The point: a=2,b=1 (or repeat: --at a=2 --at b=1). Exact for "
                 "integers and fractions (1/2), floats for decimals.", show_default=False),
]


@app.command()
def explain(
    program: ProgramArg = None,
    file: FileOpt = None,
    at: AtOpt = None,
    wrt: Annotated[
        list[str] | None,
        typer.Option("--wrt", metavar="INPUT,…",
                     help="Only these inputs in the paths and forward mode "
                     "(comma-separated or repeated).", show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", metavar="NAME",
                     help="Differentiate this name instead of the last assigned.",
                     show_default=False),
    ] = None,
    max_paths: Annotated[
        int, typer.Option("--max-paths", min=0, help="Paths listed per input.")
    ] = 8,
    no_share: Annotated[
        bool, typer.Option("--no-share", help="Keep identical subexpressions as separate nodes.")
    ] = False,
    show: Annotated[
        list[str] | None,
        typer.Option("--show", "-s", metavar="SECTION,…",
                     help="Sections to show: graph, partials, paths, forward, "
                     "reverse, cost, checks (comma-separated or repeated).",
                     show_default=False),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Show everything, even for big graphs.")
    ] = False,
    format: Annotated[
        ExplainFormat | None,
        typer.Option("--format", "-F", help="Output format: rich (the terminal), json, latex, "
                     "markdown, dot (Graphviz text), svg or png (drawn by Graphviz), python "
                     "(staged code).  Default: from the -o suffix (.tex, .md, .dot, .svg, "
                     ".png, .py, .json), else rich.", show_default=False),
    ] = None,
    out_file: OutFileOpt = None,
    standalone: StandaloneOpt = None,
) -> None:
    """Explain the derivatives of a program step by step."""
    from .explain import explain as explain_

    def run():
        text = _read_program(program, file)
        try:
            ex = explain_(text, at=at, wrt=wrt, output=output, share=not no_share,
                          max_paths=max_paths, sections=show, full=full)
        except CheckFailure as failure:
            _deliver(failure.explanation, format, out_file, standalone)
            raise
        _deliver(ex, format, out_file, standalone)

    _guard(run)


@app.command()
def gradient(
    program: ProgramArg = None,
    file: FileOpt = None,
    at: AtOpt = None,
) -> None:
    """Print only the gradient (the reverse sweep alone: fast, no paths, no checks)."""
    from .explain import gradient as gradient_
    from .printing import inline, name

    def run():
        text = _read_program(program, file)
        result = gradient_(text, at=at)
        typer.echo("\n".join(f"{name(x)}: {inline(value)}" for x, value in result.items()))

    _guard(run)


@app.command()
def network(
    layers: Annotated[
        str | None,
        typer.Option("--layers", "-l", help="Layer sizes, input first, e.g. 2,3,2: the symbolic "
                     "derivation of BP1–BP4 for this network.", show_default=False),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option("--spec", help="A network spec (JSON: layers, samples, learning_rate, "
                     "optional weights/biases): the numbers for every sample, the batch and "
                     "one SGD step.", show_default=False),
    ] = None,
    activation: Annotated[
        str | None,
        typer.Option("--activation", "-a", help="sigmoid, tanh, relu or identity (default: "
                     "sigmoid, or the spec's).", show_default=False),
    ] = None,
    cost: Annotated[
        str | None,
        typer.Option("--cost", "-c", help="quadratic or cross-entropy (default: quadratic, or "
                     "the spec's).", show_default=False),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the random parameters (when the spec has none), "
                     "of the shuffling and of the checks' random points (default: 0).",
                     show_default=False),
    ] = None,
    learning_rate: Annotated[
        float | None,
        typer.Option("--learning-rate", "--eta", help="η, replacing the spec's.",
                     show_default=False),
    ] = None,
    epochs: Annotated[
        int, typer.Option("--epochs", min=0, help="Then train this many epochs of SGD.")
    ] = 0,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", min=1, help="Mini-batch size for --epochs (default: all "
                     "samples).", show_default=False),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Show everything, even for big networks.")
    ] = False,
    format: Annotated[
        NetworkFormat | None,
        typer.Option("--format", "-F", help="Output format: rich (the terminal), json, latex "
                     "or markdown.  Default: from the -o suffix (.json, .tex, .md), else rich.",
                     show_default=False),
    ] = None,
    out_file: OutFileOpt = None,
    standalone: StandaloneOpt = None,
) -> None:
    """Backpropagation in a fully connected network (Nielsen's BP1–BP4), checked."""
    from .network_cli import build, progress_bar

    implied = _SUFFIXES.get(out_file.suffix.lower()) if out_file is not None else None
    if format is None and implied is not None and implied not in NetworkFormat.__members__:
        raise typer.BadParameter(
            f"symbp network cannot write {implied} ({out_file.name}); use .txt, .json, .tex or "
            ".md, or give --format", param_hint="-o")
    chosen = format.value if format is not None else (implied or "rich")

    def deliver(record) -> None:
        if chosen == "json":
            text = record.to_json() + "\n"
        elif chosen == "latex":
            from .render.network_latex import to_latex

            text = to_latex(record, standalone=out_file is not None if standalone is None
                            else standalone)
        elif chosen == "markdown":
            from .render.network_markdown import to_markdown

            text = to_markdown(record)
        elif out_file is None:
            Console(highlight=False).print(record)
            return
        else:
            text = str(record)
        if out_file is None:
            sys.stdout.write(text)
        else:
            _write_atomically(out_file, text)

    def run():
        with progress_bar(epochs, _STDERR) as on_epoch:
            try:
                record = build(layers=layers, spec=spec, activation=activation, cost=cost,
                               seed=seed, learning_rate=learning_rate, epochs=epochs,
                               batch_size=batch_size, full=full, format=chosen,
                               on_epoch=on_epoch)
            except CheckFailure as failure:
                deliver(failure.explanation)
                raise
        deliver(record)

    _guard(run)


def _deliver(ex, format: ExplainFormat | None, out_file: Path | None,
             standalone: bool | None = None) -> None:
    """Render the whole output first, then print it or write it to ``out_file``."""
    if format is None:
        implied = _SUFFIXES.get(out_file.suffix.lower()) if out_file is not None else None
        format = ExplainFormat(implied or "rich")
    text: str | bytes
    if format.value in ("latex", "markdown", "dot", "python", "svg", "png"):
        text = _publish(ex, format.value, out_file,
                        out_file is not None if standalone is None else standalone)
    elif format.value == "json":
        text = ex.to_json() + "\n"
    elif out_file is not None:
        from .render.terminal import to_text

        text = to_text(ex)
    else:
        Console(highlight=False).print(ex)
        return
    if out_file is None:
        sys.stdout.write(text)
    else:
        _write_atomically(out_file, text)


def _publish(ex, format: str, out_file: Path | None, standalone: bool) -> str | bytes:
    """The LaTeX, Markdown, DOT, Python or drawn (SVG/PNG) output of ``explain``."""
    from .render import dot, latex, markdown, python

    if format == "latex":
        return latex.to_latex(ex, standalone=standalone)
    if format == "markdown":
        return markdown.to_markdown(ex)
    if format == "dot":
        return dot.to_dot(ex)
    if format == "python":
        return python.to_python(ex)
    if format == "png" and out_file is None:
        raise SymbpError("--format png draws a picture: give the file with -o, e.g. "
                         "-o graph.png")
    picture = dot.render(ex, format)
    return picture if format == "png" else picture.decode("utf-8")


def _write_atomically(path: Path, text: str | bytes) -> None:
    """Write the whole text (or bytes) or nothing: a temporary file renamed into place."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise SymbpError(f"cannot write {path}: the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets 0644
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise SymbpError(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _read_program(program: str | None, file: Path | None) -> str:
    if program is not None and file is not None:
        raise typer.BadParameter("give the program as an argument or with --file, not both")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise SymbpError(f"cannot read {file}: {reason}") from None
    if program == "-":
        return sys.stdin.read()
    if program is None:
        raise typer.BadParameter("give a program, e.g. symbp explain \"e=(a+b)*(b+1)\"")
    return program


_STDERR = Console(stderr=True, highlight=False)


def _guard(run) -> None:
    """Run a command; turn symbp's errors into one message on stderr and an exit code."""
    try:
        run()
    except CheckFailure as failure:
        _STDERR.print(f"[bold red]error:[/] {failure}", markup=True, soft_wrap=True)
        raise typer.Exit(3) from None
    except SymbpError as error:
        _STDERR.print("error: " + error.render(), markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


def main() -> None:
    """Entry point of the ``symbp`` console script (it ends the process)."""
    try:
        app()
    finally:
        # The process ends here.  gc.freeze() hides every object still alive from the
        # cyclic collector, so the interpreter's collections at exit do not walk the
        # ~60,000 containers SymPy and the rest made at import: 60 ms of a 0.33 s run
        # (benchmarks/RESULTS.md, start-up).  Objects are still released and files
        # flushed as usual; only the search for cycles among them (garbage nobody would
        # see) is skipped.
        gc.freeze()

