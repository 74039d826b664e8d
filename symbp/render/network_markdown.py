r"""Markdown for ``symbp network``: the parts of :mod:`~symbp.render.tex.network_document` with
headings, Markdown tables and TeX math in ``$…$`` / ``$$…$$`` (``aligned`` blocks) that
GitHub and Jupyter render — the same rows and the same numbers as the LaTeX output.
"""

from __future__ import annotations

import re

from ..network.prose import Prose
from ..network.records import NetworkDerivation, NetworkWalkthrough
from . import network_prose
from .markdown import display, escape, math, table
from .tex.document import Part
from .tex.network_document import parts

__all__ = ["md_prose", "to_markdown"]


def to_markdown(record: NetworkDerivation | NetworkWalkthrough, *, level: int = 2) -> str:
    """The record as Markdown; its title is a heading of ``level`` (sections one deeper)."""
    lines: list[str] = []
    for part in parts(record):
        if lines:
            lines.append("")
        lines.extend(_part(part, level))
    return "\n".join(lines) + "\n"


def _part(part: Part, level: int) -> list[str]:
    depth = {"title": level, "heading": level + 1, "subheading": level + 2}
    if part.kind in depth:
        return [f"{'#' * depth[part.kind]} {md_prose(part.text)}"]
    if part.kind == "prose":
        return [md_prose(part.text)]
    if part.kind == "math":
        return display(list(part.rows))
    if part.kind == "list":
        return [(f"{i}. " if part.align == "enumerate" else "- ") + md_prose(item)
                for i, item in enumerate(part.rows, start=1)]
    align = part.align if set(part.align) <= {"l", "r"} else ""
    return table(tuple(md_prose(h) for h in part.header),
                  [tuple(md_prose(c) for c in row) for row in part.rows], align)


_COMMANDS = re.compile(r"\\(texttt|emph|textbf)\{([^}]*)\}|---|--|\\ldots(\\ )?"
                       r"|\\checkmark|\\times")
_WORDS = {"---": "—", "--": "–"}


def md_prose(words: str | Prose) -> str:
    """Prose of the parts (text with ``$…$`` math and a few TeX text commands) as Markdown;
    runs (:data:`~symbp.network.prose.Prose`) by :func:`network_prose.markdown`."""
    if isinstance(words, tuple):
        return network_prose.markdown(words)
    out = []
    for k, chunk in enumerate(words.split("$")):
        if k % 2:
            out.append(math(_SYMBOLS.get(chunk, chunk)) if chunk not in _SYMBOLS
                       else _SYMBOLS[chunk])
            continue
        chunk = chunk.replace(r"\allowbreak{}", "")
        position = 0
        for match in _COMMANDS.finditer(chunk):
            out.append(escape(chunk[position:match.start()]))
            position = match.end()
            command, inner = match.group(1), match.group(2)
            if command == "texttt":
                out.append("`" + inner + "`")
            elif command == "emph":
                out.append(f"*{md_prose(inner)}*")
            elif command == "textbf":
                out.append(f"**{md_prose(inner)}**")
            elif match.group().startswith(r"\ldots"):
                out.append("… " if match.group(3) else "…")
            else:
                out.append(_WORDS.get(match.group(), match.group()))
        out.append(escape(chunk[position:]))
    return "".join(out)


_SYMBOLS = {r"\checkmark": "✓", r"\times": "✗"}
"""Math that reads better as a character (the check marks)."""
