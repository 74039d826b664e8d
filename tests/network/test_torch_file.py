"""``symbp network --torch model.pt --samples samples.json``: a saved state dict, read with
``weights_only=True``, its architecture beside it; every hostile file a one-line error.

The oracle for the numbers is PyTorch's ``backward()`` on the model the file was saved
from.  CI installs torch==2.13.0 (``.ci/run``); without it these tests skip, saying so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbp.cli import app

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed here: pip install torch==2.13.0 (CI does)")

runner = CliRunner()
SAMPLES = {"samples": [{"x": [0.5, -1.0], "y": [0, 1, 0]}, {"x": [1.0, 0.25], "y": [1, 0, 0]}],
           "learning_rate": 0.1}


class Evil:
    """What ``torch.load`` without ``weights_only`` would call on loading: print()."""

    def __reduce__(self):
        return (print, ("this ran while loading",))


@pytest.fixture
def saved(tmp_path: Path):
    """A 2-3-3 ReLU/softmax model saved as model.pt, model.json and samples.json."""
    torch.manual_seed(4)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 3),
                                torch.nn.Softmax(dim=-1))
    torch.save(model.state_dict(), tmp_path / "model.pt")
    (tmp_path / "model.json").write_text(json.dumps(
        {"modules": ["Linear", "ReLU", "Linear", "Softmax"], "cost": "log-likelihood"}))
    (tmp_path / "samples.json").write_text(json.dumps(SAMPLES))
    old = Path.cwd()
    os.chdir(tmp_path)
    yield model
    os.chdir(old)


def test_the_numbers_are_pytorchs(saved):
    r = runner.invoke(app, ["network", "--torch", "model.pt", "--samples", "samples.json",
                            "-F", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["activations"] == ["relu", "softmax"] and all(doc["checks"].values())
    model = saved.double()
    x = torch.tensor([s["x"] for s in SAMPLES["samples"]], dtype=torch.float64)
    labels = torch.tensor([s["y"].index(1) for s in SAMPLES["samples"]])
    loss = torch.nn.functional.nll_loss(torch.log(model(x)), labels)
    loss.backward()
    assert doc["cost"] == pytest.approx(loss.item(), rel=1e-6)  # the model is float32
    for i, linear in enumerate((model[0], model[2])):
        assert doc["weights"][i] == linear.weight.tolist()  # float32 → float64, exactly
        for ours, theirs in ((doc["grad_w"][i], linear.weight.grad.tolist()),
                             ([doc["grad_b"][i]], [linear.bias.grad.tolist()])):
            for row, other in zip(ours, theirs, strict=True):
                assert row == pytest.approx(other, abs=1e-10)
    r = runner.invoke(app, ["network", "--torch", "model.pt", "--samples", "samples.json"])
    assert r.exit_code == 0 and "relu (layer 2), softmax (layer 3)" in r.stdout
    assert "NumPy" not in r.stderr


def _state(path: str, state) -> None:
    torch.save(state, path)


@pytest.mark.parametrize(("prepare", "args", "message"), [
    (lambda: Path("bad.pt").write_text("hello"), ["--torch", "bad.pt"],
     "bad.pt: not a PyTorch file (torch.save writes a zip archive)"),
    (lambda: Path("bad.pt").write_bytes(os.urandom(64) + b"PK"), ["--torch", "bad.pt"],
     "bad.pt: not a PyTorch file"),
    (lambda: _state("bad.pt", {"0.weight": Evil()}), ["--torch", "bad.pt"],
     "bad.pt: holds objects other than tensors, which symbp never unpickles"),
    (lambda: _state("bad.pt", [1, 2]), ["--torch", "bad.pt"],
     "bad.pt: holds a list, not a state dict"),
    (lambda: _state("bad.pt", {"0.weight": torch.zeros(3, 2)}), ["--torch", "bad.pt"],
     "bad.pt: no tensor 0.bias for module 0 (Linear)"),
    (lambda: _state("bad.pt", {"0.weight": torch.zeros(3, 2), "0.bias": torch.zeros(3),
                               "2.weight": torch.zeros(3, 4), "2.bias": torch.zeros(3)}),
     ["--torch", "bad.pt"], "bad.pt: module 2 (Linear): takes 4 inputs but the layer before "
                            "has 3 outputs"),
    (lambda: _state("bad.pt", {"0.weight": torch.zeros(3, 2), "0.bias": torch.zeros(3),
                               "2.weight": torch.zeros(3, 3), "2.bias": torch.zeros(3),
                               "9.weight": torch.zeros(1)}),
     ["--torch", "bad.pt"], "bad.pt: unexpected tensor '9.weight'"),
    (lambda: _state("bad.pt", {"0.weight": torch.zeros(3, 2, dtype=torch.int64),
                               "0.bias": torch.zeros(3), "2.weight": torch.zeros(3, 3),
                               "2.bias": torch.zeros(3)}),
     ["--torch", "bad.pt"], "bad.pt: module 0 (Linear): expected floating-point tensors"),
    (lambda: os.symlink("loop", "loop"), ["--torch", "loop"],
     "cannot read loop: too many levels of symbolic links"),
    (lambda: None, ["--torch", "/dev/zero"],
     "cannot read /dev/zero: more than 16,000,000 bytes, the limit for a PyTorch state dict"),
    (lambda: None, ["--torch", "."], "cannot read .: it is a folder"),
    (lambda: Path("arch.json").write_text('{"modules": ["Linear", "Dropout"]}'),
     ["--torch", "model.pt", "--architecture", "arch.json"],
     "arch.json: modules: 'Dropout' (module 1) is not supported"),
    (lambda: Path("arch.json").write_text('{"layers": [2, 3]}'),
     ["--torch", "model.pt", "--architecture", "arch.json"],
     "arch.json: expected {\"modules\""),
    (lambda: Path("arch.json").write_bytes(b"\xff\xfe"),
     ["--torch", "model.pt", "--architecture", "arch.json"], "arch.json: it is not UTF-8"),
    (lambda: None, ["--torch", "model.pt", "--architecture", "none.json"],
     "cannot read none.json: no such file"),
    (lambda: Path("s.json").write_text('{"samples": [{"x": [1, 2], "y": [0.5, 0.5, 0]}]}'),
     ["--torch", "model.pt", "--samples", "s.json"],
     "s.json: samples[0].y: the log-likelihood cost needs a one-hot target"),
    (lambda: Path("s.json").write_text('{"x": 1}'), ["--torch", "model.pt", "--samples",
                                                      "s.json"], "s.json: expected a list"),
    (lambda: None, ["--torch", "model.pt", "-o", "model.json"],
     "cannot write model.json: it is an input of this run"),
    (lambda: None, ["--torch", "model.pt", "-o", "samples.json"],
     "cannot write samples.json: it is an input of this run"),
    (lambda: None, ["--torch", "model.pt", "--activation", "tanh"],
     "with --torch, σ comes from the model's modules"),
    (lambda: None, ["--torch", "model.pt", "--spec", "x.json"],
     "give one of --layers (the derivation), --spec or --torch"),
    (lambda: None, ["--spec", "x.json", "--samples", "samples.json"],
     "--architecture and --samples go with --torch FILE"),
])
def test_hostile_files_are_one_line_errors(saved, prepare, args, message):
    prepare()
    if "--samples" not in args and "--spec" not in args:
        args = [*args, "--samples", "samples.json"]
    if args[:2] == ["--torch", "bad.pt"] or args[1] in ("loop", "/dev/zero", "."):
        args = [*args, "--architecture", "model.json"]
    r = runner.invoke(app, ["network", *args])
    assert r.exit_code == 1, r.output
    assert message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    assert "this ran while loading" not in r.output
    assert json.loads(Path("model.json").read_text())["cost"] == "log-likelihood"


def test_torch_needs_samples(saved):
    r = runner.invoke(app, ["network", "--torch", "model.pt"])
    assert r.exit_code == 1 and "--torch needs --samples FILE" in r.stderr
