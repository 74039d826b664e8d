"""The output formats of the command line: one table for ``explain`` and ``network``.

Each format has a name (``--format NAME``), the suffixes that pick it for ``-o FILE``, a
description for messages ("wrote notes.tex (LaTeX, 14 KB)"), the commands that write it
and a note for the ``--format`` help ("pdf (LaTeX compiled by pdflatex)").  A suffix
that no format of the command claims is refused with the list, never written as
something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from ..errors import SymbpError

__all__ = ["FORMATS", "Format", "format_for", "formats_of", "suffix_list"]


@dataclass(frozen=True)
class Format:
    """One output format: ``--format name``, the ``-o`` suffixes that imply it, whether it
    needs a file (binary pictures and documents), which commands write it, and what it is
    in the ``--format`` help (``note``; none when the name says it)."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    commands: tuple[str, ...]
    needs_file: bool = False
    note: str = ""


FORMATS: tuple[Format, ...] = (
    Format("rich", "text", (".txt",), ("explain", "network"), note="the terminal"),
    Format("json", "JSON", (".json",), ("explain", "network")),
    Format("latex", "LaTeX", (".tex",), ("explain", "network")),
    Format("markdown", "Markdown", (".md", ".markdown"), ("explain", "network")),
    Format("pdf", "PDF", (".pdf",), ("explain", "network"), needs_file=True,
           note="LaTeX compiled by pdflatex"),
    Format("dot", "Graphviz DOT", (".dot", ".gv"), ("explain", "network"),
           note="Graphviz text"),
    Format("svg", "SVG", (".svg",), ("explain", "network"), note="drawn by Graphviz"),
    Format("png", "PNG", (".png",), ("explain", "network"), needs_file=True,
           note="drawn by Graphviz"),
    Format("python", "Python", (".py",), ("explain",), note="staged code"),
    Format("html", "HTML", (".html", ".htm"), ("explain", "network"),
           note="a page that steps through it, offline"),
)
"""Every format, in the order messages list them."""


def formats_of(command: str) -> tuple[Format, ...]:
    """The formats ``symbp COMMAND`` writes."""
    return tuple(f for f in FORMATS if command in f.commands)


def suffix_list(command: str) -> str:
    """``.txt, .json, .tex, …``: the suffixes ``-o`` accepts for ``command``."""
    return ", ".join(s for f in formats_of(command) for s in f.suffixes)


def format_for(command: str, name: str | None, path: PurePath | None) -> Format:
    """The format ``command`` writes: ``name`` (``--format``) when given, else the one the
    suffix of ``path`` (``-o``) implies, else the terminal text.

    A file without a suffix is text; a suffix no format of the command claims is a
    :class:`SymbpError` listing those it accepts.
    """
    known = formats_of(command)
    suffix = path.suffix.lower() if path is not None else ""
    if name is not None:
        for candidate in known:
            if candidate.name == name:
                _check_suffix(candidate, suffix, path)
                return candidate
        raise SymbpError(f"symbp {command} cannot write {name}; --format takes "
                         f"{', '.join(f.name for f in known)}")
    if not suffix:
        return known[0]
    for candidate in known:
        if suffix in candidate.suffixes:
            return candidate
    others = [f for f in FORMATS if suffix in f.suffixes]
    what = f" ({others[0].description})" if others else ""
    raise SymbpError(f"symbp {command} cannot write {suffix} files{what}; -o takes "
                     f"{suffix_list(command)} (or give --format)")


def _check_suffix(chosen: Format, suffix: str, path: PurePath | None) -> None:
    """Refuse ``--format latex -o notes.pdf``: a file whose suffix names another format
    would hold something its name denies (a viewer would fail on it).  A suffix no format
    claims is the user's own choice, and ``.txt`` may hold any text format."""
    claimed = next((f for f in FORMATS if suffix in f.suffixes), None)
    if claimed is None or claimed is chosen or (suffix == ".txt" and not chosen.needs_file):
        return
    assert path is not None
    better = path.with_suffix(chosen.suffixes[0]).name
    raise SymbpError(f"--format {chosen.name} writes {chosen.description}, but -o {path.name} "
                     f"ends in {path.suffix} ({claimed.description}); use -o {better}, or drop "
                     f"--format to write {claimed.description}")


PDFLATEX_MISSING = ("-o FILE.pdf needs pdflatex, which is not installed: apt-get install "
                    "texlive-latex-base (or write the LaTeX with -o notes.tex)")
PDFLATEX_TIMEOUT = 120.0
"""Seconds pdflatex may take for one document."""


def render(record, fmt: Format, *, standalone: bool) -> str | bytes:
    """``record`` (an explanation or a network record) in a file format: text or bytes,
    through the one door to the printers (:func:`symbp.render.to`).

    The terminal text (``rich``) is not made here but at the console
    (:func:`symbp.render.terminal.console.terminal_text`), which knows the width and the encoding.
    """
    from . import to

    name = fmt.name
    if name == "json":
        return to(record, "json") + "\n"
    if name in ("latex", "pdf"):
        text = to(record, "latex", standalone=standalone or name == "pdf")
        return compile_pdf(text) if name == "pdf" else text
    if name in ("svg", "png"):
        picture = to(record, "picture", name)
        return picture.decode("utf-8") if name == "svg" else picture
    if name in ("markdown", "dot", "python", "html"):
        return to(record, name)
    raise ValueError(f"{name} is not a file format")


def compile_pdf(latex: str, *, timeout: float = PDFLATEX_TIMEOUT) -> bytes:
    """The PDF of a standalone LaTeX document, compiled by pdflatex in a temporary folder.

    No shell, no ``\\write18`` (``-no-shell-escape``), no waiting for input
    (``-interaction=nonstopmode``, ``-halt-on-error``), a timeout; TeX may only write
    inside that folder.  A :class:`SymbpError` says how to install pdflatex when it is
    missing, and gives LaTeX's own first error line when it fails.
    """
    import os
    import shutil
    import subprocess
    import tempfile

    program = shutil.which("pdflatex")
    if program is None:
        raise SymbpError(PDFLATEX_MISSING)
    with tempfile.TemporaryDirectory(prefix="symbp-pdf-") as folder:
        source = os.path.join(folder, "symbp.tex")
        with open(source, "w", encoding="utf-8") as stream:
            stream.write(latex)
        env = dict(os.environ, openout_any="p", openin_any="p", TEXMFOUTPUT=folder)
        command = [program, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                   "-output-directory", folder, "symbp.tex"]
        try:
            done = subprocess.run(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise SymbpError(f"pdflatex took more than {timeout:g} s; write the LaTeX with "
                             "-o notes.tex and compile it yourself") from None
        except OSError as exc:
            raise SymbpError(f"cannot run pdflatex: {exc.strerror or exc}") from None
        pdf = os.path.join(folder, "symbp.pdf")
        if done.returncode != 0 or not os.path.exists(pdf):
            log = done.stdout.decode("utf-8", "replace").splitlines()
            first = next((line for line in log if line.startswith("!")), None)
            raise SymbpError(f"pdflatex failed ({first or f'exit code {done.returncode}'}); "
                             "write the LaTeX with -o notes.tex to see it")
        with open(pdf, "rb") as stream:
            return stream.read()
