"""The ``symbp`` command line: a thin typer layer over :mod:`symbp`.

The commands live in :mod:`~symbp.cli.explain` (``explain``, ``gradient``) and
:mod:`~symbp.cli.network`, their options in :mod:`~symbp.cli.options`, and the one way
out in :mod:`~symbp.cli.output`.  This module holds the app and the guard every command
runs under: each user mistake is a :class:`~symbp.errors.SymbpError`, printed as one line
(plus a caret display for parse errors) on stderr with exit code 1; usage errors exit 2
(typer/click); a failed self-check prints the explanation and exits 3.  Nothing is
written to ``-o FILE`` unless the whole output was produced.
"""

# No `from __future__ import annotations` here: typer would then compile and evaluate
# every annotation string on each run (a few ms of start-up).
import functools
import gc
import os
import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.text import Text

from .. import __version__
from ..errors import CheckFailure, SymbpError, options_named
from ..files import display_path
from ..limits import long_int_text
from ..render.terminal.console import protect_stream, to_ascii
from . import explain, network
from .options import FLAGS
from .output import STDERR, for_stream

__all__ = ["app", "main", "utf8_arguments"]

app = typer.Typer(
    name="symbp",
    help="Explain derivatives step by step: computational graph, sum over paths, forward "
    "mode and backpropagation — every number computed and checked.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def _guard(run, ascii: bool = False) -> None:
    """Run a command; turn symbp's errors into one message on stderr and an exit code."""
    try:
        with long_int_text(), options_named(FLAGS):  # notes name --flags, not parameters
            run()
    except CheckFailure as failure:
        message = for_stream(failure.render(FLAGS), sys.stderr)
        # Text, not a markup string: user text such as [bold] or :x: prints as written
        STDERR.print(Text.assemble(("error:", "bold red"), " ",
                                   to_ascii(message) if ascii else message), soft_wrap=True)
        raise typer.Exit(3) from None
    except SymbpError as error:
        message = for_stream("error: " + error.render(FLAGS), sys.stderr)
        STDERR.print(Text(to_ascii(message) if ascii else message), soft_wrap=True)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, as a program killed by SIGPIPE does
        _silence_stdout()
        raise typer.Exit(128 + 13) from None


def _guarded(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` run under :func:`_guard` (typer reads the options from ``command``)."""

    @functools.wraps(command)
    def run(**options) -> None:
        _guard(lambda: command(**options), options.get("ascii", False))

    return run


app.command()(_guarded(explain.explain))
app.command()(_guarded(explain.gradient))
app.command()(_guarded(network.network))


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


def utf8_arguments(argv: list[str]) -> tuple[list[str], str | None]:
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
    sys.argv[1:], problem = utf8_arguments(sys.argv[1:])
    if problem is not None:
        print(for_stream(problem, sys.stderr), file=sys.stderr)
        sys.exit(1)
    # The command's records live until the process ends: a cyclic collection would only
    # walk them again.  A 15,000-edge explanation is ~300,000 objects, walked twice while
    # it printed (a tenth of the run); reference counting still frees what dies.
    gc.disable()
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
