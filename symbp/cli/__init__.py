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
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from .. import __version__
from ..errors import CheckFailure, SymbpError, visible
from ..files import STDIO, OutputFile, display_path, read_text, size_text
from ..limits import long_int_text
from ..render.console import can_encode, protect_stream, terminal_text, to_ascii
from ..render.formats import Format, format_for, formats_of, render

__all__ = ["app", "main"]

app = typer.Typer(
    name="symbp",
    help="Explain derivatives step by step: computational graph, sum over paths, forward "
    "mode and backpropagation — every number computed and checked.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _format_choices(command: str) -> type[Enum]:
    """The ``--format`` choices of ``command``, from the one table in :mod:`symbp.formats`."""
    names = [f.name for f in formats_of(command)]
    return Enum(f"{command.capitalize()}Format", [(n, n) for n in names], type=str)


ExplainFormat = _format_choices("explain")
GradientForm = Enum("GradientForm", [(f, f) for f in ("auto", "inputs", "nodes")], type=str)
NetworkFormat = _format_choices("network")


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
    str | None,
    typer.Option("--file", "-f", metavar="FILE",
                 help="Read the program from a file ('-': standard input).",
                 show_default=False),
]
OutFileOpt = Annotated[
    str | None,
    typer.Option("--out-file", "-o", metavar="FILE",
                 help="Write to this file instead of the terminal, all at once or not at all "
                 "('-': standard output). Its suffix picks the format.", show_default=False),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Do not say on stderr what -o wrote.")
]
AsciiOpt = Annotated[
    bool, typer.Option("--ascii", help="ASCII only: arrows, partials, superscripts and Greek "
                       "letters spelled out (->, D, ^2, alpha).  Chosen by itself when the "
                       "terminal cannot show the symbols.")
]
WidthOpt = Annotated[
    int | None,
    typer.Option("--width", min=40, max=1000, metavar="COLUMNS",
                 help="Lay out for this many columns (default: the terminal's; 100 for -o "
                 "FILE.txt).", show_default=False),
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
                     "markdown, pdf (LaTeX compiled by pdflatex), dot (Graphviz text), svg or "
                     "png (drawn by Graphviz), python (staged code).  Default: from the -o "
                     "suffix (.txt, .json, .tex, .md, .pdf, .dot, .svg, .png, .py), else rich.",
                     show_default=False),
    ] = None,
    out_file: OutFileOpt = None,
    standalone: StandaloneOpt = None,
    quiet: QuietOpt = False,
    ascii: AsciiOpt = False,
    width: WidthOpt = None,
) -> None:
    """Explain the derivatives of a program step by step."""
    from ..explanation.explain import explain as explain_

    def run():
        destination = _Destination.check("explain", format, out_file, inputs=(file,),
                                         standalone=standalone, quiet=quiet, ascii=ascii,
                                         width=width)
        text = _read_program(program, file)
        try:
            ex = explain_(text, at=at, wrt=wrt, output=output, share=not no_share,
                          max_paths=max_paths, sections=show, full=full)
        except CheckFailure as failure:
            destination.deliver(failure.explanation)
            raise
        destination.deliver(ex)

    _guard(run, ascii)


@app.command()
def gradient(
    program: ProgramArg = None,
    file: FileOpt = None,
    at: AtOpt = None,
    ascii: AsciiOpt = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip the self-checks (sympy.diff, finite "
                           "differences): faster for big programs.")
    ] = False,
    form: Annotated[
        GradientForm, typer.Option("--form", help="Without --at: write the gradient in the "
                                   "inputs, in node names (adjoints defined one per node), "
                                   "or auto (inputs when shallow and small enough).")
    ] = GradientForm.auto,
    exact: Annotated[
        bool, typer.Option("--exact", help="Print long exact numbers in full (by default "
                           "one of more than 40 characters is shown as ≈ 1.07e301 (302 "
                           "digits)).")
    ] = False,
) -> None:
    """Print only the gradient (the reverse sweep alone, checked like explain)."""
    from ..explanation.explain import gradient as gradient_

    def run():
        text = _read_program(program, file)
        try:
            result = gradient_(text, at=at, check=not no_check, form=form.value)
        except CheckFailure as failure:
            _print_gradient(failure.gradient, ascii, exact)
            raise
        _print_gradient(result, ascii, exact)
        for check in result.checks:
            if check.passed is None:
                _say(f"note: {check.name}: {check.detail}")

    _guard(run, ascii)


def _print_gradient(result, ascii: bool, exact: bool = False) -> None:
    from ..core.printing import gradient_value, inline, name
    from ..limits import SYMBOLIC_DEPTH

    lines = "".join(f"{name(x)}: {gradient_value(value, exact=exact)}\n"
                    for x, value in result.items())
    if result.form == "nodes":
        # the written-out form would be too deep: the gradient in node names, then the
        # adjoints it uses (each in terms of the ones before) and the nodes themselves
        header = (f"# written in node names (in the inputs it would be nested "
                  f"{result.depth:,} levels deep; --form inputs writes out at most "
                  f"{SYMBOLIC_DEPTH})\n" if result.depth > SYMBOLIC_DEPTH else
                  "# written in node names\n")
        lines = header + lines + "# where, from the output back:\n" + "".join(
            f"{inline(symbol)} = {inline(total)}\n" for symbol, total in result.where)
        lines += "# and the nodes:\n" + result.graph.program() + "\n"
    _emit(_for_stdout(lines, ascii))


@app.command()
def network(
    layers: Annotated[
        str | None,
        typer.Option("--layers", "-l", help="Layer sizes, input first, e.g. 2,3,2: the symbolic "
                     "derivation of BP1–BP4 for this network.", show_default=False),
    ] = None,
    spec: Annotated[
        str | None,
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
    max_parameters: Annotated[
        int | None,
        typer.Option("--max-parameters", min=0, help="Take networks of up to this many weights "
                     "and biases (default 10,000: a few seconds).", show_default=False),
    ] = None,
    max_layers: Annotated[
        int | None,
        typer.Option("--max-layers", min=0, help="Take networks of up to this many layers "
                     "(default 100).", show_default=False),
    ] = None,
    max_work: Annotated[
        int | None,
        typer.Option("--max-work", min=0, help="Train up to this many epochs × samples × "
                     "(parameters + 30) (default 2,000,000: a few seconds).",
                     show_default=False),
    ] = None,
    format: Annotated[
        NetworkFormat | None,
        typer.Option("--format", "-F", help="Output format: rich (the terminal), json, latex, "
                     "markdown or pdf (LaTeX compiled by pdflatex).  Default: from the -o "
                     "suffix (.txt, .json, .tex, .md, .pdf), else rich.", show_default=False),
    ] = None,
    out_file: OutFileOpt = None,
    standalone: StandaloneOpt = None,
    quiet: QuietOpt = False,
    ascii: AsciiOpt = False,
    width: WidthOpt = None,
) -> None:
    """Backpropagation in a fully connected network (Nielsen's BP1–BP4), checked."""
    from .network import build, progress_bar

    def run():
        destination = _Destination.check("network", format, out_file, inputs=(spec,),
                                         standalone=standalone, quiet=quiet, ascii=ascii,
                                         width=width)
        with progress_bar(epochs, _STDERR) as on_epoch:
            try:
                record = build(layers=layers, spec=spec, activation=activation, cost=cost,
                               seed=seed, learning_rate=learning_rate, epochs=epochs,
                               batch_size=batch_size, full=full,
                               format=destination.format.name, on_epoch=on_epoch,
                               max_parameters=max_parameters, max_layers=max_layers,
                               max_work=max_work)
            except CheckFailure as failure:
                destination.deliver(failure.explanation)
                raise
        destination.deliver(record)

    _guard(run, ascii)


class _Destination:
    """Where and how a command's output goes: the format, the checked ``-o`` file (or
    standard output) and the console settings.  Checked before any work is done."""

    def __init__(self, format: Format, output: OutputFile | None, *, standalone: bool | None,
                 quiet: bool, ascii: bool, width: int | None) -> None:
        self.format = format
        self.output = output
        self.standalone = output is not None if standalone is None else standalone
        self.quiet = quiet
        self.ascii = ascii
        self.width = width

    @classmethod
    def check(cls, command: str, format: Enum | None, out_file: str | None, *,
              inputs: tuple[str | None, ...], standalone: bool | None, quiet: bool,
              ascii: bool, width: int | None) -> "_Destination":
        to_stdout = out_file is None or out_file == STDIO
        chosen = format_for(command, format.value if format is not None else None,
                            None if to_stdout else Path(out_file))
        if chosen.needs_file and to_stdout:
            example = "graph" if chosen.name == "png" else "notes"
            raise SymbpError(f"--format {chosen.name} makes a file: give the file with -o, "
                             f"e.g. -o {example}{chosen.suffixes[0]}")
        output = None if to_stdout else OutputFile.check(out_file, inputs)
        return cls(chosen, output, standalone=standalone, quiet=quiet, ascii=ascii,
                   width=width)

    def deliver(self, record) -> None:
        """Render the whole output first, then print it or write it to the file."""
        data: str | bytes
        if self.format.name != "rich":
            data = render(record, self.format, standalone=self.standalone)
            if self.output is None and isinstance(data, str):
                data = data.encode("utf-8")  # a file format is UTF-8, on stdout too
        elif self.output is None:
            data = self._terminal(record)
        else:
            data = terminal_text(record, width=self.width or 100, ascii=self.ascii)
        if self.output is None:
            _emit(data)
            return
        size = self.output.write(data)
        if not self.quiet:
            _say(f"wrote {display_path(self.output.path)} ({self.format.description}, "
                 f"{size_text(size)})")

    def _terminal(self, record) -> str:
        """The terminal text, in colour on a terminal, in ASCII when asked or needed."""
        color = sys.stdout.isatty()
        text = terminal_text(record, width=self.width, color=color, ascii=self.ascii)
        if not self.ascii and not can_encode(text, sys.stdout.encoding):
            text = terminal_text(record, width=self.width, color=color, ascii=True)
        return text


def _for_stdout(text: str, ascii: bool) -> str:
    """Text for standard output: in ASCII when asked or when the stream cannot take it."""
    return to_ascii(text) if ascii or not can_encode(text, sys.stdout.encoding) else text


def _emit(data: str | bytes) -> None:
    """Write text (or bytes) to standard output and flush: the one way symbp prints results.

    A full device is a one-line error; a closed pipe ends symbp quietly (:func:`_guard`).
    """
    try:
        if isinstance(data, str):
            sys.stdout.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise SymbpError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _say(message: str) -> None:
    """A one-line report on stderr (what -o wrote)."""
    _STDERR.print(Text(_for_stream(visible(message), sys.stderr)), soft_wrap=True)


def _for_stream(text: str, stream) -> str:
    return text if can_encode(text, getattr(stream, "encoding", None)) else to_ascii(text)


def _read_program(program: str | None, file: str | None) -> str:
    if program is not None and file is not None:
        raise typer.BadParameter("give the program as an argument or with --file, not both")
    from ..read.parse import MAX_TEXT

    # UTF-8 takes at most 4 bytes a character: no program within MAX_TEXT is refused here
    limit, note = 4 * MAX_TEXT, f"a program of {MAX_TEXT:,} characters"
    if file is not None:
        return read_text(file, limit=limit, note=note)
    if program == STDIO:
        return read_text(STDIO, limit=limit, note=note)
    if program is None:
        raise typer.BadParameter("give a program, e.g. symbp explain \"e=(a+b)*(b+1)\"")
    return program


_STDERR = Console(stderr=True, highlight=False)


def _guard(run, ascii: bool = False) -> None:
    """Run a command; turn symbp's errors into one message on stderr and an exit code."""
    try:
        with long_int_text():
            run()
    except CheckFailure as failure:
        message = _for_stream(failure.render(), sys.stderr)
        # Text, not a markup string: user text such as [bold] or :x: prints as written
        _STDERR.print(Text.assemble(("error:", "bold red"), " ",
                                    to_ascii(message) if ascii else message), soft_wrap=True)
        raise typer.Exit(3) from None
    except SymbpError as error:
        message = _for_stream("error: " + error.render(), sys.stderr)
        _STDERR.print(Text(to_ascii(message) if ascii else message), soft_wrap=True)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, as a program killed by SIGPIPE does
        _silence_stdout()
        raise typer.Exit(128 + 13) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the final flush at exit cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(devnull)


_PATH_OPTIONS = ("-f", "--file", "-o", "--out-file", "--spec")


def _is_path_value(argv: list[str], i: int) -> bool:
    """Whether ``argv[i]`` is the value of -f, -o or --spec (a file name)."""
    arg, previous = argv[i], argv[i - 1] if i else ""
    return (previous in _PATH_OPTIONS
            or arg.startswith(tuple(o + "=" for o in _PATH_OPTIONS if o.startswith("--")))
            or (arg[:2] in ("-f", "-o") and len(arg) > 2))


def _utf8_arguments(argv: list[str]) -> tuple[list[str], str | None]:
    """The command line as UTF-8 text, whatever the locale; or a message for the first
    argument that is not UTF-8.

    Python decodes arguments with the locale's encoding (ASCII under ``LANG=C``), keeping
    undecodable bytes as surrogates; symbp reads them back as the bytes they were and
    decodes those as UTF-8, so ``e = a·b`` works in any locale.  File names may hold any
    bytes (POSIX allows them; they are used as given), so -f, -o and --spec values are
    left as they are.
    """
    text = []
    for i, arg in enumerate(argv):
        raw = os.fsencode(arg)
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _is_path_value(argv, i):
                text.append(arg)
                continue
            return argv, (f"error: argument {i + 1} is not UTF-8 text (byte "
                          f"0x{raw[exc.start]:02x} at offset {exc.start}): {display_path(arg)}")
        text.append(arg if _is_path_value(argv, i) else decoded)
    return text, None


def main() -> None:
    """Entry point of the ``symbp`` console script (it ends the process)."""
    for stream in (sys.stdout, sys.stderr):
        protect_stream(stream)  # typer's --help and usage errors, on a cp1252/ASCII stream
    sys.argv[1:], problem = _utf8_arguments(sys.argv[1:])
    if problem is not None:
        print(_for_stream(problem, sys.stderr), file=sys.stderr)
        sys.exit(1)
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
