"""The one error family of symbp.

Every problem caused by what a user gave us (text, a point, an option) is a
:class:`SymbpError`; the CLI catches exactly this type at its boundary and prints
its one-line message.  Anything else escaping is a bug in symbp.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["PARAMETER", "ArgumentError", "CheckFailure", "DomainError", "LimitError",
           "ParseError", "SymbpError", "option", "options_named"]

_FLAGS: ContextVar[Mapping[str, str] | None] = ContextVar("symbp_flags", default=None)


def option(parameter: str, python: str, value: str = "") -> str:
    """How a note or hint names an option (``use full=True to show all``): ``python``, the
    parameter as a Python caller writes it (``full=True``, ``form='inputs'``,
    ``to_json()``) — or, inside :func:`options_named` (the command line), the flag of
    ``parameter`` followed by ``value`` (``--full``, ``--form inputs``).  As
    :data:`PARAMETER` does for errors: the library speaks its own language, the CLI maps
    it to its flags at its edge."""
    flags = _FLAGS.get()
    if flags is None or parameter not in flags:
        return python
    return flags[parameter] + (f" {value}" if value else "")


@contextmanager
def options_named(flags: Mapping[str, str]) -> Iterator[None]:
    """Within this block, notes and hints name options by ``flags`` (parameter → flag)."""
    token = _FLAGS.set(flags)
    try:
        yield
    finally:
        _FLAGS.reset(token)

PARAMETER = "{parameter}"
"""Where a message names its parameter: the library writes the Python name there (``at``,
``form='nodes'``), the CLI the flag (``--at``, ``--form nodes``).  Only its first
occurrence is filled, so it comes before any text the user wrote (names excepted: they
cannot hold braces)."""


class SymbpError(Exception):
    """Base class: a user-facing problem with a one-line message saying how to fix it.

    When an argument of a public function (an option of the CLI) is at fault,
    ``parameter`` is its Python name (``"at"``, ``"max_paths"``) and the message holds
    :data:`PARAMETER` where it is named; ``setting``, when given, is the value that goes
    past a limit, shown with it (``form='nodes'``).  Python users read the parameter; the
    CLI passes its parameter → flag table to :meth:`text` and :meth:`render`.
    """

    def __init__(self, message: str = "", *, parameter: str | None = None,
                 setting: object = None) -> None:
        self.template, self.parameter, self.setting = message, parameter, setting
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message as the library says it (the parameter by its Python name)."""
        return self.worded(None)

    def __str__(self) -> str:
        return self.text()

    def worded(self, flags: Mapping[str, str] | None) -> str:
        """The message with its parameter named: as Python spells it (``at``,
        ``form='nodes'``) or, given ``flags`` (parameter → flag), as the flag (``--at``,
        ``--form nodes``)."""
        if self.parameter is None:
            return self.template
        if flags is None:
            name = self.parameter + ("" if self.setting is None else f"={self.setting!r}")
        else:
            name = flags[self.parameter] + ("" if self.setting is None else f" {self.setting}")
        return self.template.replace(PARAMETER, name, 1)

    def text(self, flags: Mapping[str, str] | None = None) -> str:
        """The whole one-line text (:meth:`worded`, plus where it is for a parse error)."""
        return self.worded(flags)

    def within(self, prefix: str) -> SymbpError:
        """The same error (kind, parameter, place) with ``prefix`` before its message: the
        file or the node where it happened (``"spec.json: "``)."""
        error = copy.copy(self)
        error.template = prefix + self.template
        error.args = (error.message,)
        return error

    def __reduce__(self):
        # copied and pickled with all its fields (LimitError has required keywords)
        return _restore, (type(self), self.args, self.__dict__)

    def render(self, flags: Mapping[str, str] | None = None) -> str:
        """The text the CLI prints (one line, or a line plus a caret display); ``flags``
        as for :meth:`text`.

        Control and format characters of the user's text (a newline, an escape sequence,
        a right-to-left override) are shown as escapes such as ``\\x1b``: they cannot
        break the line or drive the terminal.
        """
        return visible(self.text(flags))


class ParseError(SymbpError):
    """The program text is not something symbp accepts.

    ``line`` and ``column`` (1-based) locate the offending spot when known, and
    ``source_line`` is that line of text, so the CLI can draw a caret under it.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        source_line: str | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(message, parameter=parameter)
        self.line = line
        self.column = column
        self.source_line = source_line

    def text(self, flags: Mapping[str, str] | None = None) -> str:
        message = self.worded(flags)
        if self.line is None or self.column is None:
            return message
        return f"{message} (line {self.line}, column {self.column})"

    def render(self, flags: Mapping[str, str] | None = None) -> str:
        if self.source_line is None or self.column is None:
            return self.text(flags)
        line, column = _window(self.source_line, self.column - 1)
        shown = [visible(c) for c in line]
        # the caret goes under the column as the terminal draws it: a wide character (中,
        # an emoji) takes two cells, a combining accent none, an escape shown as \x1b four
        offset = sum(map(cells, shown[:column]))
        return f"{visible(self.text(flags))}\n  {''.join(shown)}\n  {' ' * offset}^"


class ArgumentError(SymbpError, TypeError):
    """A public function was called with an argument of the wrong kind (``max_paths="3"``,
    ``epochs=2.5``); the message names the function, the parameter and what it takes.
    Also a ``TypeError``, as Python's own argument errors are."""


class LimitError(SymbpError):
    """An input past one of symbp's limits, refused up front.

    ``message`` holds :data:`PARAMETER` where the way past the limit goes: the parameter
    with its ``setting`` (``form='nodes'``; the CLI: ``--form nodes``).
    """

    def __init__(self, message: str, *, parameter: str, setting: object) -> None:
        super().__init__(message, parameter=parameter, setting=setting)


class DomainError(SymbpError):
    """A node (or a local partial) is undefined at the requested point: log(0), 1/0, sqrt(-1)."""


class CheckFailure(SymbpError):
    """A self-check of a derivation failed.  This is a bug in symbp; it is never hidden."""


def _restore(kind: type[SymbpError], args: tuple, fields: dict) -> SymbpError:
    """An error of ``kind`` with these ``args`` and fields (for copy and pickle)."""
    error = kind.__new__(kind, *args)
    error.args = args
    error.__dict__.update(fields)
    return error


def visible(text: str) -> str:
    """``text`` with every control or format character (``\\n``, ESC, U+202E) written as an
    escape (``\\x0a``, ``\\x1b``, ``\\u202e``); a tab becomes a space."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " if c == "\t" else
                   f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in text)


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide (East Asian) characters, 0 for combining."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _window(line: str, column: int, width: int = 72) -> tuple[str, int]:
    """At most ``width`` characters of ``line`` around ``column`` (long lines are cut with …)."""
    if len(line) <= width:
        return line, column
    start = min(max(column - width // 2, 0), len(line) - width)
    text = line[start : start + width]
    if start > 0:
        text, column = "…" + text[1:], column - start
    else:
        column -= start
    if start + width < len(line):
        text = text[:-1] + "…"
    return text, column
