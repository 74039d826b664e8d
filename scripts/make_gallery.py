"""Regenerate the README's gallery in docs/images/ (the images are checked in).

    python scripts/make_gallery.py            # all of them
    python scripts/make_gallery.py terminal   # some: terminal, graph, stepper, network,
                                              # latex, explosion

- terminal.svg   what `symbp explain "e=(a+b)*(b+1)" --at a=2,b=1` prints, recorded by rich
- graph.svg      `symbp explain ... -o docs/images/graph.svg` (needs Graphviz: apt-get install
                 graphviz)
- stepper.png    the page of `symbp explain ... -o steps.html` at a reverse-sweep step,
                 screenshot by Debian's Chromium through Playwright (apt-get install
                 chromium; pip install playwright — no `playwright install`)
- network.png    the page of `symbp network --spec examples/net.json -o net.html` on its
                 layer tab at a BP2 step (Chromium, as stepper.png)
- latex.png      the LaTeX document compiled with pdflatex and rasterized by pdftoppm -r 110
                 (apt-get install texlive-latex-base poppler-utils)
- explosion.png  the plot of examples/05_path_explosion.py (needs matplotlib)

Every image is made by symbp itself; the script only runs it and converts.  An image
whose tool is missing is left as it is and the script says so; it exits 1 when an
image could not be made for another reason or is too big to check in.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

import symbp

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CANONICAL = "e=(a+b)*(b+1)"
POINT = "a=2,b=1"
MAX_BYTES = 300_000
"""Images are checked in: each stays small."""


class Missing(Exception):
    """A tool an image needs is not installed: the image is skipped."""


def terminal() -> Path:
    """The terminal output of the canonical example, as an SVG screenshot (80 columns)."""
    console = Console(record=True, width=80, force_terminal=True, color_system="truecolor",
                      file=io.StringIO(), highlight=False)
    console.print(symbp.explain(CANONICAL, at=POINT))
    path = IMAGES / "terminal.svg"
    console.save_svg(str(path), title=f'symbp explain "{CANONICAL}" --at {POINT}')
    return path


def graph() -> Path:
    """The picture of the graph, drawn through the command line as a user would."""
    if shutil.which("dot") is None:
        raise Missing("Graphviz is not installed (apt-get install graphviz)")
    path = IMAGES / "graph.svg"
    _run([sys.executable, "-m", "symbp", "explain", CANONICAL, "--at", POINT, "-o", str(path)])
    return path


STEPPER_STEP = 20
"""The step the screenshot shows: the reverse sweep's fourth ``+=`` (a's adjoint complete)."""


def stepper() -> Path:
    """The HTML stepper, written through the command line and screenshot at 1280×372."""
    path = IMAGES / "stepper.png"
    _screenshot(["explain", CANONICAL, "--at", POINT], path, (1280, 372), STEPPER_STEP)
    return path


NETWORK_STEP = 4
"""The step of the network page's screenshot: BP2 for layer 2 of sample 1 (W³, Δ³, Z², Δ²)."""


def network() -> Path:
    """The network's stepper page (`symbp network --spec examples/net.json -o net.html`)
    on its layer tab, screenshot at 1280×960."""
    path = IMAGES / "network.png"
    _screenshot(["network", "--spec", str(ROOT / "examples" / "net.json")], path, (1280, 960),
                NETWORK_STEP, click='[data-symbp-tab="layers"]')
    return path


def _screenshot(arguments: list[str], path: Path, size: tuple[int, int], step: int, *,
                click: str | None = None) -> None:
    """A page written by the command line, opened at step ``step`` in Debian's Chromium
    (``click``: an element clicked first) and screenshot."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise Missing("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise Missing("Playwright is not installed (pip install playwright)") from None
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "page.html"
        _run([sys.executable, "-m", "symbp", *arguments, "-o", str(page_file)])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                page.goto(page_file.as_uri() + f"#step={step}")
                if click:
                    page.click(click)
                page.screenshot(path=str(path))
            finally:
                browser.close()


def latex() -> Path:
    """A snippet of the LaTeX rendering: the sum over paths and the reverse sweep, compiled."""
    for tool in ("pdflatex", "pdftoppm"):
        if shutil.which(tool) is None:
            raise Missing(f"{tool} is not installed (apt-get install texlive-latex-base "
                          "poppler-utils)")
    ex = symbp.explain(CANONICAL, at=POINT, sections=("paths", "reverse"))
    document = ex.to_latex(standalone=True)
    # a page the size of the snippet instead of A4 (the document itself is symbp's)
    page = r"\usepackage[paperwidth=16.5cm,paperheight=25.5cm,margin=0.6cm]{geometry}"
    document = document.replace(r"\usepackage[a4paper,margin=2cm]{geometry}", page)
    document = document.replace(r"\begin{document}", "\\pagestyle{empty}\n\\begin{document}")
    path = IMAGES / "latex.png"
    with tempfile.TemporaryDirectory() as folder:
        tex = Path(folder) / "snippet.tex"
        tex.write_text(document, encoding="utf-8")
        _run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=folder)
        _run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
              "snippet.pdf", "snippet"], cwd=folder)
        shutil.copyfile(Path(folder) / "snippet.png", path)
    return path


def explosion() -> Path:
    """The log-scale plot of example 5 (paths, forward mode, reverse sweep against depth)."""
    path = IMAGES / "explosion.png"
    out = _run([sys.executable, str(ROOT / "examples" / "05_path_explosion.py"), str(path)])
    if "plot saved" not in out:
        raise Missing("matplotlib is not installed (pip install matplotlib)")
    return path


def _run(command: list[str], cwd: str | Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … failed:\n{done.stdout[-2000:]}"
                           f"{done.stderr[-2000:]}")
    return done.stdout


MAKERS = {"terminal": terminal, "graph": graph, "stepper": stepper, "network": network,
          "latex": latex, "explosion": explosion}


def main(names: list[str]) -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    unknown = [n for n in names if n not in MAKERS]
    if unknown:
        print(f"unknown image {', '.join(unknown)}; choose from {', '.join(MAKERS)}",
              file=sys.stderr)
        return 2
    failed = False
    for name in names or MAKERS:
        try:
            path = MAKERS[name]()
        except Missing as missing:
            print(f"{name}: skipped, left as it is: {missing}")
            continue
        except (RuntimeError, symbp.SymbpError) as error:
            print(f"{name}: not made: {error}", file=sys.stderr)
            failed = True
            continue
        size = path.stat().st_size
        print(f"{path.relative_to(ROOT)}: {size:,} bytes")
        if size > MAX_BYTES:
            print(f"{name}: {size:,} bytes is more than {MAX_BYTES:,}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
