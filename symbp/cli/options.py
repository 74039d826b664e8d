"""The options of the ``symbp`` commands: their types, choices and help texts.

The ``--format`` choices and their help come from the one table of formats
(:data:`symbp.render.formats.FORMATS`), so a new format appears here by itself.
"""

# No `from __future__ import annotations`: typer reads these annotations at run time.
from enum import Enum
from typing import Annotated

import typer

from ..files import STDIO, read_text
from ..render.formats import formats_of

__all__ = ["FLAGS", "AsciiOpt", "AtOpt", "FileOpt", "GradientForm", "ProgramArg", "format_help",
           "output_options", "program_text"]

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

# -- shared by the commands ---------------------------------------------------------------------

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


WidthOpt = Annotated[
    int | None,
    typer.Option("--width", parser=_columns, metavar="COLUMNS",
                 help="Lay out for this many columns, 40 to 1000 (default: the terminal's; "
                 "100 for -o FILE.txt).", show_default=False),
]
StandaloneOpt = Annotated[
    bool | None,
    typer.Option("--standalone/--fragment", help="LaTeX: a complete document (the default "
                 "with -o) or a fragment of align* blocks (the default on stdout).",
                 show_default=False),
]
AtOpt = Annotated[
    list[str] | None,
    typer.Option("--at", metavar="POINT",
                 help="The point, NAME=VALUE,…: a=2,b=1 (or repeat: --at a=2 --at b=1). Exact for "
                 "integers and fractions (1/2), floats for decimals.", show_default=False),
]


def output_options(command: str) -> dict[str, tuple[object, object]]:
    """The options of ``command`` that say where its record goes, in the order --help
    lists them (after the command's own): name → (annotation, default)."""
    format = Annotated[
        FORMAT_CHOICES[command] | None,
        typer.Option("--format", "-F", metavar="FORMAT", help=format_help(command),
                     show_default=False),
    ]
    return {"format": (format, None), "out_file": (OutFileOpt, None),
            "standalone": (StandaloneOpt, None), "quiet": (QuietOpt, False),
            "ascii": (AsciiOpt, False), "width": (WidthOpt, None)}


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
