"""What every record can do to show itself, through the one door to the printers.

A record (an :class:`~symbp.explanation.records.Explanation`, a network derivation or
walkthrough) subclasses :class:`Printable` and names its ``kind``; ``to_json()``,
``to_dict()``, ``print(record)`` and rich's ``__rich_console__`` then reach the printer for
that kind through :func:`symbp.render.to`, imported on first use.  This is SymPy's
``Printable``: the record holds math and never imports a printer.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["Printable", "printer_method"]


def printer_method(fmt: str):
    """A method that returns its record printed in ``fmt`` (a format of
    :data:`symbp.render.PRINTERS`): the conveniences that only print, one line each, as
    ``_repr_latex_ = printer_method("jupyter-latex")``."""

    def method(self):
        return self.printed(fmt)

    method.__doc__ = f"This record printed in {fmt!r} (see :func:`symbp.render.to`)."
    return method


class Printable:
    """The conveniences every record shares; ``kind`` picks its row of
    :data:`symbp.render.PRINTERS`."""

    __slots__ = ()
    kind: ClassVar[str]

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON document (``--format json``)."""
        return self.printed("json", indent=indent)

    def to_dict(self) -> dict:
        """The JSON document as Python data."""
        return self.printed("dict")

    def to_latex(self, *, standalone: bool = False) -> str:
        """LaTeX: ``align*`` blocks, or a whole document with ``standalone``."""
        return self.printed("latex", standalone=standalone)

    def to_markdown(self) -> str:
        """Markdown with ``$…$`` math (GitHub, Jupyter)."""
        return self.printed("markdown")

    def __rich_console__(self, console, options):
        yield from self.printed("rich")

    def printed(self, fmt: str, **settings):
        """This record in ``fmt`` (see :func:`symbp.render.to`)."""
        from .render import to

        return to(self, fmt, **settings)

    # Jupyter shows a record as its Markdown document (an Explanation offers more)
    _repr_markdown_ = printer_method("markdown")
    __str__ = printer_method("text")
