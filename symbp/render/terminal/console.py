"""The console boundary: rich renderables become the text a terminal (or a ``.txt`` file) gets.

Three decisions live here and nowhere else:

- **no trailing blanks**: rich pads every line to the console width (6,765 blanks for one
  network at 80 columns); they are cut from each line, colour codes kept, so the output
  pastes cleanly.
- **width**: the console's width (``--width``), or what rich finds (the terminal, ``COLUMNS``).
- **ASCII**: :data:`ASCII` is the one transliteration table (→ ``->``, ∂ ``D``, · ``*``,
  superscripts ``^2``, Greek ``alpha``, ✓ ``ok`` …).  It is applied to the text *before*
  rich lays it out, so columns stay aligned; rich draws its tables with ASCII boxes then.
  The CLI uses it on ``--ascii`` and whenever the output stream cannot encode the text
  (``PYTHONIOENCODING=cp1252``, ``LANG=C``).
"""

from __future__ import annotations

import copy
import re
import sys
import unicodedata
from dataclasses import replace

from rich.console import Console, Group, RenderableType
from rich.text import Span, Text

from .rows import Indented, Rows

__all__ = ["ASCII", "TrimmedStream", "ascii_text", "can_encode", "protect_stream", "terminal_text",
           "to_ascii", "unmapped"]

_NAMED = {
    # arrows, operators and relations
    "→": "->", "←": "<-", "⇒": "=>", "↦": "|->", "·": "*", "×": "x", "÷": "/", "−": "-",
    "–": "-", "—": "--", "≈": "~=", "≠": "!=", "≤": "<=", "≥": ">=", "±": "+/-", "∓": "-/+",
    "∂": "D", "∇": "grad", "Σ": "sum", "∑": "sum", "∏": "prod", "√": "sqrt", "∞": "oo",
    "⊙": "(*)", "⊘": "(/)", "∘": "o", "‖": "||", "∣": "|", "⋅": "*", "∈": " in ",
    "½": "1/2", "¼": "1/4", "¾": "3/4", "…": "...", "⋯": "...", "′": "'", "″": "''",
    "‘": "'", "’": "'", "“": '"', "”": '"', "•": "*", "°": " deg", "µ": "mu",
    # marks and the sparkline of the training cost
    "✓": "ok", "✔": "ok", "✗": "FAIL", "✘": "FAIL", "⚠": "!", "▁": "_", "▂": ".", "▃": "-",
    "▄": "~", "▅": "=", "▆": "+", "▇": "*", "█": "#", "\u00a0": " ",
    "ϵ": "epsilon", "ϑ": "theta", "ϕ": "phi", "ς": "sigma", "ℯ": "e", "ⅈ": "i", "ℓ": "l",
    "∅": "{}", "θ": "theta", "∫": "integral", "∉": " not in ", "ℝ": "R",
    "≡": "==", "∝": "~", "⟨": "<", "⟩": ">", "∧": "and", "∨": "or", "¬": "not ", "⁄": "/",
    "∙": "*", "≅": "~=", "⇔": "<=>", "↔": "<->", "∀": "for all ", "∃": "exists ",
    "⊂": "subset", "⎡": "[", "⎢": "|", "⎣": "[", "⎤": "]", "⎥": "|", "⎦": "]", "⋱": "...",
    "∩": "intersect", "∪": "union", "∛": "cbrt", "⌊": "floor(", "⌋": ")", "⌈": "ceil(",
    "⌉": ")", "‐": "-", "‑": "-", " ": " ", " ": " ", "​": "", "«": "<<",
    "»": ">>", "§": "S", "¶": "P", "©": "(c)", "®": "(R)", "™": "TM", "€": "EUR",
}


def _fallback(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return decomposed or "?"


def _box(char: str) -> str:
    name = unicodedata.name(char, "")
    if "VERTICAL" in name and "HORIZONTAL" not in name:
        return "|"
    if "HORIZONTAL" in name and not any(w in name for w in ("VERTICAL", "DOWN", "UP")):
        return "="if "DOUBLE" in name or "HEAVY" in name else "-"
    return "+"


def _greek(char: str) -> str | None:
    name = unicodedata.name(char, "")
    if not name.startswith("GREEK ") or " WITH " in name:
        return None
    letter = name.split()[-1].lower().replace("lamda", "lambda")
    return letter.capitalize() if "CAPITAL" in name else letter


def _table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The named characters, then every Greek letter, box-drawing character, superscript
    and subscript (from Unicode's own decompositions, so none is forgotten)."""
    plain, sup, sub = dict(_NAMED), {}, {}
    for code in range(0x80, 0x3000):
        char = chr(code)
        if char in plain:
            continue
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith(("<super>", "<sub>")):
            base = chr(int(decomposition.split()[1], 16))
            (sup if decomposition.startswith("<super>") else sub)[char] = plain.get(base, base)
        elif 0x2500 <= code < 0x2580:
            plain[char] = _box(char)
        elif (letter := _greek(char)) is not None:
            plain[char] = letter
    for script in (sup, sub):  # a modifier letter of a non-ASCII base (ᵊ, ᵝ): its base's ASCII
        for char, base in script.items():
            if not base.isascii():
                script[char] = plain.get(base) or _fallback(base)
    return plain, sup, sub


_PLAIN, _SUP, _SUB = _table()
ASCII: dict[str, str] = {**_PLAIN, **{c: "^" + b for c, b in _SUP.items()},
                         **{c: "_" + b for c, b in _SUB.items()}}
"""The one transliteration table: each non-ASCII character symbp prints → its ASCII text.
(A run of superscripts or subscripts shares one ``^``/``_``: x¹⁰ → ``x^10``, w³₁₁ → ``w^3_11``.)"""

_RUN = re.compile(f"([{re.escape(''.join(_SUP))}]+)|([{re.escape(''.join(_SUB))}]+)|[^\\x00-\\x7f]")


def _pieces(text: str):
    """(start, end, replacement) for every non-ASCII stretch of ``text``."""
    for match in _RUN.finditer(text):
        start, end = match.span()
        if match.group(1):
            yield start, end, "^" + _group("".join(_SUP[c] for c in match.group(1)))
        elif match.group(2):
            yield start, end, "_" + _group("".join(_SUB[c] for c in match.group(2)))
        else:
            word = _PLAIN.get(match.group()) or _fallback(match.group())
            if word.isalpha() and len(word) > 1:  # alpha: keep it apart from its neighbours
                before = text[start - 1] if start else " "
                after = text[end] if end < len(text) else " "
                if before.isalnum() or before in _SUP or before in _SUB:
                    word = " " + word
                if after.isascii() and after.isalnum():
                    word += " "
            yield start, end, word


def _group(script: str) -> str:
    """A superscript or subscript of more than one symbol in parentheses: a^(l-1)."""
    return script if script.isalnum() else f"({script})"


def unmapped(text: str) -> set[str]:
    """The characters of ``text`` that :data:`ASCII` does not know (tests keep this empty)."""
    return {c for c in text if ord(c) > 0x7F and c not in ASCII}


def to_ascii(text: str) -> str:
    """``text`` with every non-ASCII character replaced through :data:`ASCII`."""
    return _remap(text)[0]


def _remap(text: str) -> tuple[str, list[int]]:
    """The ASCII text and, for each offset of ``text`` (and its end), the new offset."""
    out: list[str] = []
    offsets: list[int] = []
    position = 0
    size = 0
    for start, end, replacement in _pieces(text):
        out.append(text[position:start])
        offsets.extend(range(size, size + start - position))
        size += start - position
        offsets.extend([size] * (end - start))
        out.append(replacement)
        size += len(replacement)
        position = end
    out.append(text[position:])
    offsets.extend(range(size, size + len(text) - position + 1))
    return "".join(out), offsets


def ascii_text(text: Text) -> Text:
    """Rich text made ASCII (:func:`to_ascii`), its styles moved to the new offsets."""
    plain, offsets = _remap(text.plain)
    if plain == text.plain:
        return text
    result = text.copy()
    result.plain = plain
    result.spans = [Span(offsets[s.start], offsets[s.end], s.style) for s in text.spans]
    return result


def _ascii(renderable, console: Console) -> RenderableType:
    """The same renderable with all its text transliterated, before any layout."""
    if isinstance(renderable, str):
        return to_ascii(renderable)
    if isinstance(renderable, Text):
        return ascii_text(renderable)
    if isinstance(renderable, Group):
        return Group(*(_ascii(r, console) for r in renderable.renderables), fit=renderable.fit)
    if isinstance(renderable, Rows):
        rows = copy.copy(renderable)
        rows.headers = tuple(map(to_ascii, renderable.headers))
        rows.rows = [tuple(map(ascii_text, row)) for row in renderable.rows]
        return rows
    if isinstance(renderable, Indented):
        return Indented(ascii_text(renderable.text), renderable.spaces)
    # rich's Padding and Table are imported only by renderers that use them (start-up time):
    # a renderable can only be one of them when its module is loaded
    padding, table_module = sys.modules.get("rich.padding"), sys.modules.get("rich.table")
    if padding is not None and isinstance(renderable, padding.Padding):
        padded = copy.copy(renderable)
        padded.renderable = _ascii(renderable.renderable, console)
        return padded
    if table_module is not None and isinstance(renderable, table_module.Table):
        from rich.box import Box

        table = copy.copy(renderable)
        if table.box is not None and not table.box.ascii:
            table.box = Box(to_ascii(str(table.box)), ascii=True)
        table.columns = [replace(column, header=_ascii(column.header, console),
                                 _cells=[_ascii(c, console) for c in column._cells])
                         for column in renderable.columns]
        return table
    if hasattr(renderable, "as_ascii"):  # lays out its own text: transliterated before that
        return renderable.as_ascii()
    if hasattr(renderable, "__rich_console__"):  # a record: expand it into its renderables
        return Group(*(_ascii(r, console)
                       for r in renderable.__rich_console__(console, console.options)))
    return renderable


class _Sink:
    """Where the console 'writes': nowhere (the text is captured); its encoding tells rich
    whether box drawing characters may be used."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


# the blanks rich pads a line with, possibly inside or around colour codes
_TRAILING = re.compile(r"(?: |\x1b\[[0-9;]*m)+$", re.MULTILINE)


_BEFORE_NEWLINE = re.compile(r"(?: |\x1b\[[0-9;]*m)+(?=\n)")


def _keep_colour(match: re.Match) -> str:
    return "".join(re.findall(r"\x1b\[[0-9;]*m", match.group()))


def _strip_line_ends(text: str) -> str:
    return _TRAILING.sub(_keep_colour, text)


class TrimmedStream:
    """A text stream for your own ``rich.console.Console`` that cuts the blanks rich pads
    each line with, as symbp's own output does::

        console = Console(file=TrimmedStream(sys.stdout))
        console.print(symbp.explain("e=(a+b)*(b+1)", at={"a": 2, "b": 1}))

    Only blanks before a newline go (a chunk without one keeps its last blanks, which the
    next chunk may continue); everything else, ``isatty`` and ``encoding`` included, is the
    wrapped stream's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_BEFORE_NEWLINE.sub(_keep_colour, text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def terminal_text(renderable: RenderableType, *, width: int | None = None,
                  color: bool = False, ascii: bool = False) -> str:
    """What a console of ``width`` columns prints for ``renderable``: colour codes when
    ``color``, ASCII only when ``ascii``, never trailing blanks."""
    console = Console(file=_Sink("ascii" if ascii else "utf-8"), width=width,
                      force_terminal=color, color_system="auto" if color else None,
                      highlight=False, force_jupyter=False, legacy_windows=False,
                      emoji=False)
    if ascii:
        renderable = _ascii(renderable, console)
    with console.capture() as captured:
        console.print(renderable)
    return _strip_line_ends(captured.get())


def can_encode(text: str, encoding: str | None) -> bool:
    """Whether a stream of ``encoding`` can take ``text``."""
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _transliterate_error(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return to_ascii(error.object[error.start:error.end]), error.end


def protect_stream(stream) -> None:
    """Let ``stream`` write any text: a character its encoding lacks goes out through
    :data:`ASCII` instead of raising ``UnicodeEncodeError``.  A backstop for text symbp
    does not lay out itself (typer's --help and usage errors); symbp's own output is
    transliterated before layout, which keeps its columns aligned."""
    import codecs

    try:
        codecs.lookup_error("symbp-ascii")
    except LookupError:
        codecs.register_error("symbp-ascii", _transliterate_error)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and not can_encode("\u2202\u2192\u00b7", stream.encoding):
        reconfigure(errors="symbp-ascii")
