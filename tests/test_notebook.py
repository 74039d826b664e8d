"""examples/tutorial.ipynb: committed without outputs, and runs top to bottom in a real
Jupyter kernel (nbclient + ipykernel) without a single cell error."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOK = ROOT / "examples" / "tutorial.ipynb"

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[dev]' installs nbformat")


def test_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 15
    for cell in code:
        assert cell.outputs == [], cell.source[:60]
        assert cell.execution_count is None, cell.source[:60]
    assert notebook.metadata.kernelspec.name == "python3"


def test_notebook_is_what_the_generator_writes():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_notebook.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_notebook_tells_the_story_in_order():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert [h.split(".")[0] for h in headings] == [f"## {i}" for i in range(1, 9)]


@pytest.fixture
def this_python_kernel(tmp_path, monkeypatch):
    """A kernel spec named ``python3`` that runs *this* interpreter.

    jupyter_client looks for kernel specs in JUPYTER_PATH before the user's and the
    system's folders, so a ``python3`` installed elsewhere (another Python, without
    symbp) cannot shadow the interpreter running the tests — in a fresh venv as well.
    """
    kernelspec = pytest.importorskip("ipykernel.kernelspec")
    pytest.importorskip("nbclient")
    kernels = tmp_path / "jupyter" / "kernels"
    kernelspec.write_kernel_spec(kernels / "python3")
    spec = json.loads((kernels / "python3" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    return "python3"


def test_notebook_runs_in_a_real_kernel(this_python_kernel, tmp_path):
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # executes every cell in order; any cell error raises CellExecutionError
    NotebookClient(notebook, timeout=120, kernel_name=this_python_kernel,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # the explanations display themselves: Markdown with math (and LaTeX), and the
    # picture of the graph where Graphviz is installed
    shown = [o for o in outputs if "text/markdown" in o.get("data", {})
             and o.data["text/markdown"].startswith("## Derivatives of")]
    assert len(shown) >= 6
    assert all("text/latex" in o.data for o in shown)
    if shutil.which("dot"):
        assert all("image/svg+xml" in o.data for o in shown)
    canonical = next(o.data["text/markdown"] for o in shown
                     if "Derivatives of $e$ with respect to $a, b$" in o.data["text/markdown"])
    assert r"= c + d = 5" in canonical
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "sum: x*cos(t) - y*sin(t) = 1/2" in text
    assert "def forward_backward(a: float, b: float)" in text
    results = [o.data["text/plain"] for o in outputs if o.output_type == "execute_result"]
    assert "(6.0, {'a': 2.0, 'b': 5.0})" in results
    assert "BP1" in text and "δ³₁" in text
    # section 8: the layer view's shapes, its check, and the PyTorch layout as transposes
    assert "BP2        (W³)ᵀ (2×1) · Δ³ (1×4) → (2×4) ⊙ σ'(Z²) (2×4) = Δ² (2×4)" in text
    assert "layer view == BP1-BP4 == reverse sweep True" in text
    assert "Z² (Nielsen): (2, 4)  Z² (PyTorch): (4, 2)  transposes: True" in text
    # the only HTML is the explanations' stepper, one per explanation shown, each with
    # ids of its own (rich must not echo str() as HTML in a notebook)
    pages = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(pages) == len(shown)
    assert all(p.startswith('<div class="symbp-stepper') for p in pages)
    ids = [re.search(r'id="(symbp-data-[^"]+)"', p)[1] for p in pages]
    assert len(set(ids)) == len(ids)
