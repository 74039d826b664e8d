"""Renderers: records in, text out — and the one door between them.

Records (:class:`~symbp.explanation.records.Explanation`,
:class:`~symbp.network.records.NetworkDerivation`,
:class:`~symbp.network.records.NetworkWalkthrough`) hold the math; the modules here print
it, one module per format.  A record never imports a printer.  Its conveniences —
``ex.to_latex()``, ``print(ex)``, Jupyter's ``_repr_*_`` and rich's ``__rich_console__`` —
all call :func:`to`, which looks the printer up in :data:`PRINTERS` by the record's
``kind`` and the format, and imports it on first use.  This is SymPy's ``Printable``
model: ``str(expr)`` reaches the printer through one function, so records and printers
never import each other in a circle, and ``import symbp`` loads no printer.

A new output format is one module here, one row of :data:`PRINTERS` per kind of record it
prints, and (for the command line) one :class:`~symbp.render.formats.Format` row.
"""

from __future__ import annotations

import importlib

__all__ = ["PRINTERS", "to"]

PRINTERS: dict[tuple[str, str], str] = {
    # an explanation (symbp explain)
    ("explanation", "text"): "terminal.explain:to_text",
    ("explanation", "rich"): "terminal.explain:render",
    ("explanation", "json"): "json:to_json",
    ("explanation", "dict"): "json:to_dict",
    ("explanation", "latex"): "latex:to_latex",
    ("explanation", "markdown"): "markdown:to_markdown",
    ("explanation", "dot"): "dot:to_dot",
    ("explanation", "picture"): "dot:render",
    ("explanation", "python"): "python:to_python",
    ("explanation", "html"): "html:to_html",
    ("explanation", "jupyter-html"): "html:notebook",
    ("explanation", "jupyter-latex"): "jupyter:latex",
    ("explanation", "jupyter-markdown"): "jupyter:markdown",
    ("explanation", "jupyter-svg"): "jupyter:svg",
    ("explanation", "jupyter"): "jupyter:mimebundle",
    # a gradient (symbp gradient)
    ("gradient", "text"): "terminal.gradient:to_text",
    # the derivation of BP1–BP4 (symbp network --layers)
    ("derivation", "text"): "terminal.network:to_text",
    ("derivation", "rich"): "terminal.network:render_derivation",
    ("derivation", "json"): "network_json:to_json",
    ("derivation", "dict"): "network_json:derivation_to_dict",
    ("derivation", "latex"): "network_latex:to_latex",
    ("derivation", "markdown"): "network_markdown:to_markdown",
    # the numeric walkthrough (symbp network --spec)
    ("walkthrough", "text"): "terminal.network:to_text",
    ("walkthrough", "rich"): "terminal.walkthrough:render_walkthrough",
    ("walkthrough", "json"): "network_json:to_json",
    ("walkthrough", "dict"): "network_json:walkthrough_to_dict",
    ("walkthrough", "latex"): "network_latex:to_latex",
    ("walkthrough", "markdown"): "network_markdown:to_markdown",
    ("walkthrough", "html"): "html.network:to_html",
    ("walkthrough", "dot"): "network_dot:to_dot",
    ("walkthrough", "picture"): "network_dot:render",
    ("derivation", "html"): "html.network:to_html",  # refused: the page needs numbers
    ("derivation", "dot"): "network_dot:to_dot",
    ("derivation", "picture"): "network_dot:render",
}
"""(kind of record, format) → ``"module:function"`` of this package that prints it."""


def to(record, fmt: str, *args, **settings):
    """``record`` printed in ``fmt`` (a key of :data:`PRINTERS`): the printer's result —
    text, or for ``rich`` the renderables, for ``dict`` the JSON document as data.

    ``settings`` go to the printer (``standalone=True`` for LaTeX, ``indent=`` for JSON).
    A format the record's kind has no printer for is a ``ValueError`` naming the ones it
    has.
    """
    kind = getattr(record, "kind", None)
    target = PRINTERS.get((kind, fmt))
    if target is None:
        known = sorted(f for k, f in PRINTERS if k == kind)
        raise ValueError(f"no {fmt!r} printer for {type(record).__name__}"
                         + (f"; there are {', '.join(known)}" if known else ""))
    module, function = target.split(":")
    printer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return printer(record, *args, **settings)
