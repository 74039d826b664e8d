"""Where a command's output goes: the one way symbp prints results.

A :class:`Destination` is checked before any work is done (the format, the ``-o`` file,
the console settings); :meth:`Destination.deliver` renders a whole record first, then
prints it or writes the file.  Reports for the reader (what ``-o`` wrote, notes) go to
standard error through :func:`say`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.text import Text

from ..errors import CheckFailure, SymbpError, visible
from ..explanation.records import Gradient
from ..files import STDIO, OutputFile, display_path, size_text
from ..render import to
from ..render.formats import FORMATS, Format, format_for, render
from ..render.terminal.console import can_encode, terminal_text, to_ascii
from .options import Parameter, output_options, taking

__all__ = ["STDERR", "Destination", "delivering", "for_stream", "say"]

STDERR = Console(stderr=True, highlight=False)
"""The console of errors, reports and the progress bar."""

Record = TypeVar("Record")


class Destination:
    """Where and how a command's output goes: the format, the checked ``-o`` file (or
    standard output) and the console settings.  Checked before any work is done."""

    def __init__(self, format: Format, output: OutputFile | None, *, standalone: bool | None,
                 quiet: bool, ascii: bool, width: int | None, exact: bool = False,
                 full: bool = False) -> None:
        self.format = format
        self.output = output
        self.standalone = output is not None if standalone is None else standalone
        self.quiet = quiet
        self.ascii = ascii
        self.width = width
        self.exact = exact
        self.full = full

    @classmethod
    def check(cls, command: str, format: Enum | None, out_file: str | None, *,
              inputs: tuple[str | None, ...], standalone: bool | None, quiet: bool,
              ascii: bool, width: int | None) -> Destination:
        """The destination the options give, or a :class:`SymbpError` saying what is wrong
        with them (a format that needs a file, a suffix ``command`` cannot write, ``-o``
        naming an input or a device)."""
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

    @classmethod
    def terminal(cls, *, ascii: bool, exact: bool, full: bool = False) -> Destination:
        """Standard output as text: for ``gradient``, which has no ``--format`` or ``-o``."""
        return cls(FORMATS[0], None, standalone=False, quiet=False, ascii=ascii, width=None,
                   exact=exact, full=full)

    def derive_and_deliver(self, derive: Callable[[], Record]) -> Record:
        """Deliver the record ``derive`` makes, and return it.  When a self-check fails,
        the record it failed on is delivered too (the reader sees what went wrong) before
        the :class:`CheckFailure` goes on."""
        try:
            record = derive()
        except CheckFailure as failure:
            self.deliver(failure.gradient if hasattr(failure, "gradient") else
                         failure.explanation)
            raise
        self.deliver(record)
        return record

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
            say(f"wrote {display_path(self.output.path)} ({self.format.description}, "
                f"{size_text(size)})")

    def _terminal(self, record) -> str:
        """The terminal text, in colour on a terminal, in ASCII when asked or needed."""
        if isinstance(record, Gradient):
            text = to(record, "text", exact=self.exact, full=self.full)
            return (to_ascii(text) if self.ascii or not can_encode(text, sys.stdout.encoding)
                    else text)
        color = sys.stdout.isatty()
        text = terminal_text(record, width=self.width, color=color, ascii=self.ascii)
        if not self.ascii and not can_encode(text, sys.stdout.encoding):
            text = terminal_text(record, width=self.width, color=color, ascii=True)
        return text


def delivering(command: str, parameters: dict[str, Parameter], *,
               inputs: str | tuple[str, ...]) -> Callable[[Callable], Callable]:
    """A command that writes a record: it takes its ``parameters`` and then the output
    options (--format, -o, --standalone, --quiet, --ascii, --width), and receives the
    output options as ``destination``, a :class:`Destination` checked before any work is
    done.  ``inputs`` names its options of input files, which ``-o`` may not overwrite."""
    added = output_options(command)

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        @taking({**parameters, **added})
        @functools.wraps(function)
        def run(**options) -> None:
            settings = {name: options.pop(name) for name in added}
            names = (inputs,) if isinstance(inputs, str) else inputs
            function(**options, destination=Destination.check(
                command, inputs=tuple(options[name] for name in names), **settings))

        return run

    return decorate


def _emit(data: str | bytes) -> None:
    """Write text (or bytes) to standard output and flush.

    A full device is a one-line error; a closed pipe ends symbp quietly (the guard in
    :mod:`symbp.cli`).
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


def say(message: str) -> None:
    """A one-line report on stderr (what -o wrote, a note)."""
    STDERR.print(Text(for_stream(visible(message), sys.stderr)), soft_wrap=True)


def for_stream(text: str, stream) -> str:
    """``text`` as ``stream`` can take it: in ASCII when its encoding lacks a character."""
    return text if can_encode(text, getattr(stream, "encoding", None)) else to_ascii(text)
