"""The options of the ``symbp`` commands: their types, choices and help texts.

A command's options are a table, name → :class:`Parameter` (what typer reads of one
parameter: its annotation and default), written once: :func:`taking` gives the command the
signature typer reads, and the command passes them on to the library by name.

The ``--format`` choices and their help come from the one table of formats
(:data:`symbp.render.formats.FORMATS`), so a new format appears here by itself.
"""

# No `from __future__ import annotations`: typer reads these annotations at run time.
import inspect
from collections.abc import Callable
from enum import Enum
from typing import Annotated, NamedTuple

import typer

from ..files import STDIO, read_text
from ..render.formats import formats_of

__all__ = ["FLAGS", "PROGRAM_OPTIONS", "AsciiOpt", "AtOpt", "FileOpt", "GradientForm", "Parameter",
           "ProgramArg", "format_help", "option", "output_options", "program_text", "taking"]

FLAGS = {
    "at": "--at", "wrt": "--wrt", "output": "--output",
    "sections": "--show", "max_paths": "--max-paths", "form": "--form",
    "layers": "--layers", "activation": "--activation", "cost": "--cost",
    "output_activation": "--output-activation", "architecture": "--architecture",
    "learning_rate": "--learning-rate", "epochs": "--epochs", "batch_size": "--batch-size",
    "max_parameters": "--max-parameters", "max_layers": "--max-layers",
    "max_work": "--max-work", "full": "--full", "format": "--format",
    "view": "--view", "convention": "--convention",
}
"""The flag of each parameter of the library that is an option here: a library error names
the parameter (``at names c, …``), the command line prints the flag (``--at names c, …``)."""


def _format_choices(command: str) -> type[Enum]:
    """The ``--format`` choices of ``command``, from the one table of formats."""
    names = [f.name for f in formats_of(command)]
    return Enum(f"{command.capitalize()}Format", [(n, n) for n in names], type=str)


def format_help(command: str) -> str:
    """The ``--format`` help of ``command``: each format with its note, then the suffixes.

    Formats in a row with the same note share it ("svg or png (drawn by Graphviz)"); the
    last two are joined by "or" unless such a pair already is (one "or" a sentence).
    """
    groups: list[tuple[list[str], str]] = []
    for f in formats_of(command):
        if groups and f.note and groups[-1][1] == f.note:
            groups[-1][0].append(f.name)
        else:
            groups.append(([f.name], f.note))
    items = [" or ".join(names) + (f" ({note})" if note else "") for names, note in groups]
    if all(len(names) == 1 for names, _ in groups):
        items[-2:] = [" or ".join(items[-2:])]
    formats = formats_of(command)
    suffixes = ", ".join(f.suffixes[0] for f in formats)
    return (f"Output format: {', '.join(items)}.  Default: from the -o suffix ({suffixes}), "
            f"else {formats[0].name}.")


FORMAT_CHOICES = {command: _format_choices(command) for command in ("explain", "network")}
GradientForm = Enum("GradientForm", [(f, f) for f in ("auto", "inputs", "nodes")], type=str)


class Parameter(NamedTuple):
    """A parameter of a command as typer reads it from the signature: its annotation (the
    type, and the ``typer.Option`` or ``typer.Argument`` that says how it is written) and
    its default."""

    annotation: object
    default: object = None


def option(kind: object, *names: str, default: object = None, **settings) -> Parameter:
    """The option ``names`` (``"--full"``) of type ``kind``: ``typer.Option``'s settings."""
    return Parameter(Annotated[kind, typer.Option(*names, **settings)], default)


def taking(parameters: dict[str, Parameter]) -> Callable[[Callable], Callable]:
    """A command whose parameters are ``parameters`` (name → :class:`Parameter`, in the
    order --help lists them), written once: typer reads them from the signature this gives
    the command, which receives them by name."""

    def decorate(function: Callable) -> Callable:
        function.__signature__ = inspect.Signature([
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                              annotation=p.annotation, default=p.default)
            for name, p in parameters.items()])
        function.__annotations__ = {name: p.annotation for name, p in parameters.items()}
        return function

    return decorate


# -- shared by the commands ---------------------------------------------------------------------

ProgramArg = Parameter(Annotated[
    str | None,
    typer.Argument(
        help="The program, e.g. \"e=(a+b)*(b+1)\" or \"c=a+b; d=b+1; e=c*d\"; '-' reads stdin.",
        show_default=False,
    ),
])
FileOpt = option(str | None, "--file", "-f", metavar="FILE",
                 help="Read the program from a file ('-': standard input).",
                 show_default=False)
AtOpt = option(list[str] | None, "--at", metavar="POINT",
               help="The point, NAME=VALUE,…: a=2,b=1 (or repeat: --at a=2 --at b=1). Exact for "
               "integers and fractions (1/2), floats for decimals.", show_default=False)
PROGRAM_OPTIONS = {"program": ProgramArg, "file": FileOpt, "at": AtOpt}
"""The program and the point: the first parameters of ``explain`` and ``gradient``."""

OutFileOpt = option(str | None, "--out-file", "-o", metavar="FILE",
                    help="Write to this file instead of the terminal, all at once or not at "
                    "all ('-': standard output). Its suffix picks the format.",
                    show_default=False)
QuietOpt = option(bool, "--quiet", "-q", default=False,
                  help="Do not say on stderr what -o wrote.")
AsciiOpt = option(bool, "--ascii", default=False,
                  help="ASCII only: arrows, partials, superscripts and Greek letters spelled "
                  "out (->, D, ^2, alpha).  Chosen by itself when the terminal cannot show the "
                  "symbols.")



def _columns(value: str) -> int:
    """``--width``: 40 to 1000 columns.  Checked here, not by ``min=40, max=1000``: typer
    prints a range as ``COLUMNS [40<=x<=1000]`` in the --help table, and that one wide cell
    squeezed every option's help into a 20-column strip at 80 columns."""
    shown = repr(value if len(value) <= 24 else value[:20] + "…")
    try:
        columns = int(value)
    except ValueError:
        raise typer.BadParameter(f"{shown} is not a whole number of columns.") from None
    if not 40 <= columns <= 1000:
        raise typer.BadParameter(f"{shown} is not in the range 40 to 1000.")
    return columns


WidthOpt = option(int | None, "--width", parser=_columns, metavar="COLUMNS",
                  help="Lay out for this many columns, 40 to 1000 (default: the terminal's; "
                  "100 for -o FILE.txt).", show_default=False)
StandaloneOpt = option(bool | None, "--standalone/--fragment",
                       help="LaTeX: a complete document (the default with -o) or a fragment "
                       "of align* blocks (the default on stdout).", show_default=False)


def output_options(command: str) -> dict[str, Parameter]:
    """The options of ``command`` that say where its record goes, in the order --help
    lists them (after the command's own)."""
    format = option(FORMAT_CHOICES[command] | None, "--format", "-F", metavar="FORMAT",
                    help=format_help(command), show_default=False)
    return {"format": format, "out_file": OutFileOpt, "standalone": StandaloneOpt,
            "quiet": QuietOpt, "ascii": AsciiOpt, "width": WidthOpt}


def program_text(program: str | None, file: str | None) -> str:
    """The program the command line gives: the argument, ``--file`` or standard input."""
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
