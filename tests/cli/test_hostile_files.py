"""Hostile files and streams (issue 11: output files, reading, stdout; issue 12: formats, ASCII).

One section per class of problem; each goes through the one mechanism that handles the
class (symbp.files.read_text, symbp.files.OutputFile, symbp.render.formats.format_for,
symbp.render.terminal.console.terminal_text, the CLI's _emit/_guard/main).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import symbp
from symbp import files
from symbp.cli import app, utf8_arguments
from symbp.errors import SymbpError

runner = CliRunner(env={"COLUMNS": "100"})
PROGRAM = "e=(a+b)*(b+1)"
NET = Path(__file__).resolve().parents[2] / "examples" / "net.json"


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def one_error_line(result, *needles: str) -> str:
    """The result failed with exit 1 and exactly one 'error: …' line holding every needle."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def symbp_process(*args: str | bytes, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "symbp", *args], stderr=subprocess.PIPE,
                          timeout=120, **kwargs)


# -- -o: only regular files or new paths -------------------------------------------------------

@pytest.mark.parametrize("kind", ["device", "folder", "fifo"])
def test_output_refuses_what_is_not_a_regular_file(kind, tmp_path):
    target = {"device": Path("/dev/null"), "folder": tmp_path / "dir",
              "fifo": tmp_path / "pipe"}[kind]
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    before = os.stat(target)
    line = one_error_line(run("explain", PROGRAM, "-o", str(target)), f"cannot write {target}")
    assert {"device": "character device", "folder": "folder", "fifo": "named pipe"}[kind] in line
    after = os.stat(target)  # still the very same thing (as root /dev/null used to be replaced)
    assert after.st_ino == before.st_ino
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)


def test_output_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-o", str(link))
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text().startswith("symbp  ∂e/∂(a, b)")


def test_a_dangling_or_looping_symlink_is_refused(tmp_path):
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    one_error_line(run("explain", PROGRAM, "-o", str(tmp_path / "dangling.txt")),
                   "symbolic link", "does not exist")
    assert not (tmp_path / "nowhere.txt").exists()
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    one_error_line(run("explain", PROGRAM, "-o", str(tmp_path / "loop1")), "symbolic links")


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_an_existing_file_keeps_its_mode(mode, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("{}")
    target.chmod(mode)
    assert run("explain", PROGRAM, "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert json.loads(target.read_text())["output"] == "e"


def test_a_new_file_gets_the_usual_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        target = tmp_path / "new.md"
        assert run("explain", PROGRAM, "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(mask)


def test_hard_links_stay_linked(tmp_path):
    first = tmp_path / "first.tex"
    first.write_text("old")
    second = tmp_path / "second.tex"
    os.link(first, second)
    assert run("explain", PROGRAM, "-o", str(first)).exit_code == 0
    assert os.path.samefile(first, second) and first.stat().st_nlink == 2
    assert second.read_text().startswith(r"\documentclass")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("how", ["same name", "symlink", "hard link", "spec"])
def test_an_input_file_is_never_overwritten(how, tmp_path):
    if how == "spec":
        spec = tmp_path / "net.json"
        spec.write_bytes(NET.read_bytes())
        one_error_line(run("network", "--spec", str(spec), "-o", str(spec)), "input")
        assert spec.read_bytes() == NET.read_bytes()
        return
    program = tmp_path / "prog.txt"
    program.write_text("e = a*b\n")
    target = {"same name": program, "symlink": tmp_path / "link.txt",
              "hard link": tmp_path / "hard.txt"}[how]
    if how == "symlink":
        target.symlink_to(program.name)
    elif how == "hard link":
        os.link(program, target)
    one_error_line(run("explain", "-f", str(program), "-o", str(target)), "input of this run")
    assert program.read_text() == "e = a*b\n"
    # and the other way round: the link read, the file written
    one_error_line(run("explain", "-f", str(target), "-o", str(program)), "input of this run")


def test_dash_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-o", "-", "-F", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["gradient"]["b"]["value"] == 5
    assert r.stderr == "" and _files(tmp_path) == []


def test_a_missing_folder_is_one_line(tmp_path):
    one_error_line(run("explain", PROGRAM, "-o", str(tmp_path / "no" / "x.txt")),
                   "does not exist")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old\n")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    one_error_line(run("explain", PROGRAM, "-o", str(target)), "No space left on device")
    assert target.read_text() == "old\n" and _files(tmp_path) == ["out.txt"]


def test_a_failed_in_place_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    os.link(target, tmp_path / "other.txt")  # two links: written in place, space reserved first

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "posix_fallocate", full_disk)
    one_error_line(run("explain", PROGRAM, "-o", str(target)), "No space left on device")
    assert target.read_text() == "old\n"


def test_errors_come_before_the_work(tmp_path, monkeypatch):
    """A bad -o is refused before anything is computed (no 10-second wait for a typo)."""
    import importlib

    def never(*args, **kwargs):
        raise AssertionError("explain ran although -o was refused")

    monkeypatch.setattr(importlib.import_module("symbp.explanation.derive"), "explain", never)
    one_error_line(run("explain", PROGRAM, "-o", str(tmp_path / "x.xyz")), ".xyz")
    one_error_line(run("explain", PROGRAM, "-o", "/dev/null"), "character device")


# -- reading: at most limit + 1 bytes, UTF-8, no hang ------------------------------------------

class _CountingStdin:
    """A standard input that never ends (like /dev/zero) and counts what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0
        self.buffer = self

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read"
        self.read_bytes += size
        return b"a" * size


def test_standard_input_is_read_up_to_the_limit_only(monkeypatch):
    fake = _CountingStdin()
    monkeypatch.setattr(sys, "stdin", fake)
    with pytest.raises(SymbpError, match=r"standard input: more than 1,000 bytes, the limit"):
        files.read_text("-", limit=1000)
    assert fake.read_bytes == 1001


@pytest.mark.parametrize("args", [["explain", "-f", "/dev/zero"],
                                  ["network", "--spec", "/dev/urandom"]])
def test_endless_devices_stop_at_the_limit(args, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("symbp.network.spec"), "MAX_SPEC_BYTES", 100_000)
    monkeypatch.setattr(importlib.import_module("symbp.read.parse"), "MAX_TEXT", 25_000)
    one_error_line(run(*args), "more than 100,000 bytes, the limit for a")


def test_a_program_at_the_limit_is_read(tmp_path):
    text = "e = a*b\n" + "#" * 100 + "\n"
    path = tmp_path / "p.txt"
    path.write_text(text)
    assert files.read_text(path, limit=len(text.encode())) == text
    with pytest.raises(SymbpError, match="more than"):
        files.read_text(path, limit=len(text.encode()) - 1)


def test_a_folder_is_one_line(tmp_path):
    one_error_line(run("explain", "-f", str(tmp_path)), "is a folder")


def test_a_fifo_without_writer_does_not_hang(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "FIFO_WAIT", 0.3)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    one_error_line(run("explain", "-f", str(fifo)), "named pipe", "nothing wrote")
    assert time.monotonic() - started < 10


def test_a_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def writer():
        time.sleep(0.3)
        with open(fifo, "w") as stream:
            stream.write("e = a*b\n")

    thread = threading.Thread(target=writer)
    thread.start()
    r = run("explain", "-f", str(fifo), "--at", "a=2,b=3", "-F", "json")
    thread.join()
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["gradient"]["a"]["value"] == 3


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40))
def test_bytes_are_utf8_or_refused_with_their_offset(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("utf8") / "p.txt"
    path.write_bytes(data)
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        with pytest.raises(SymbpError) as caught:
            files.read_text(path, limit=100)
        message = str(caught.value)
        assert f"byte 0x{data[exc.start]:02x} at offset {exc.start}," in message
        assert "\n" not in message
    else:
        assert files.read_text(path, limit=100) == expected


def test_non_utf8_in_a_file_and_on_stdin(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"e = a*b\n# caf\xe9\n")
    one_error_line(run("explain", "-f", str(bad)), "bad.txt", "byte 0xe9 at offset 13", "line 2")
    one_error_line(run("explain", "-", input=b"e=a*\xff"), "standard input", "offset 4")
    spec = tmp_path / "net.json"
    spec.write_bytes(b'{"layers": [1, 1], "x": "\xff"}')
    one_error_line(run("network", "--spec", str(spec)), "not UTF-8", "offset 25")


def test_invalid_utf8_on_the_command_line():
    r = symbp_process(b"explain", b"e=a*\xff")
    assert r.returncode == 1
    assert r.stderr.decode().strip() == ("error: argument 2 is not UTF-8 text (byte 0xff at "
                                         "offset 4): e=a*\\xff")
    r = symbp_process(b"explain", b"e=a*b", b"--at", b"a=\xfe")
    assert r.returncode == 1 and b"argument 4" in r.stderr and b"Traceback" not in r.stderr


def test_file_names_may_hold_any_bytes(tmp_path):
    """POSIX file names are bytes: -o/-f/--spec take them; messages show them escaped."""
    args = ["-f", "\udcffp.txt", "-o", "x", "--spec=\udcfe", "-o\udcfe"]
    assert utf8_arguments(args) == (args, None)
    assert "argument 1" in utf8_arguments(["\udcff", "-o", "\udcff"])[1]
    target = os.fsencode(tmp_path) + b"/\xfe.txt"
    r = symbp_process(b"explain", b"e=a*b", b"-o", target)
    assert r.returncode == 0, r.stderr
    assert r.stderr.decode().startswith("wrote ") and "\\xfe.txt" in r.stderr.decode()
    r = symbp_process(b"explain", b"-f", target, b"-o", target)
    assert r.returncode == 1 and b"input of this run" in r.stderr


# -- standard output: a full device, a closed pipe ---------------------------------------------

def test_a_full_device_is_one_line():
    with open("/dev/full", "w") as full:
        r = symbp_process("explain", PROGRAM, "--at", "a=2,b=1", stdout=full)
    assert r.returncode == 1
    assert r.stderr.decode().strip() == ("error: cannot write to standard output: No space "
                                         "left on device")


def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen([sys.executable, "-m", "symbp", "network", "--layers", "2,3,2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before symbp writes, as after `| head -1`
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


# -- the suffix picks a known format or is refused ---------------------------------------------

@pytest.mark.parametrize("command", [["explain", PROGRAM], ["network", "--layers", "2,2"]])
@pytest.mark.parametrize("name", ["x.rtf", "x.xyz", "notes.docx", "x.PNG.bak"])
def test_an_unknown_suffix_is_refused_with_the_list(command, name, tmp_path):
    target = tmp_path / name
    line = one_error_line(run(*command, "-o", str(target)), "-o takes .txt, .json, .tex, .md")
    assert ".pdf" in line and ".svg" in line and ".html" in line
    assert not target.exists()


def test_network_refuses_a_page_without_numbers(tmp_path):
    target = tmp_path / "net.html"
    one_error_line(run("network", "--layers", "2,2", "-o", str(target)),
                   "the network's page needs its numbers: give --spec")
    assert not target.exists()


@pytest.mark.parametrize("name", ["code.py", "graph.PY"])
def test_network_refuses_what_only_explain_writes(name, tmp_path):
    one_error_line(run("network", "--layers", "2,2", "-o", str(tmp_path / name)),
                   "symbp network cannot write", "-o takes .txt, .json, .tex, .md")


@pytest.mark.parametrize("name", ["notes.txt", "notes", "NOTES.TXT"])
def test_txt_and_no_suffix_are_plain_text(name, tmp_path):
    target = tmp_path / name
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-o", str(target))
    assert r.exit_code == 0, r.output
    text = target.read_text()
    assert text == str(symbp.explain(PROGRAM, at="a=2,b=1"))
    assert "\x1b[" not in text


@pytest.mark.parametrize("command", [["explain", PROGRAM], ["network", "--layers", "2,2"]])
@pytest.mark.parametrize(("fmt", "name", "better", "named"), [
    ("latex", "notes.pdf", "notes.tex", "PDF"), ("markdown", "notes.TEX", "notes.md", "LaTeX"),
    ("pdf", "graph.png", "graph.pdf", "PNG"), ("png", "graph.txt", "graph.png", "text"),
    ("json", "x.html", "x.json", "HTML")])
def test_a_format_is_not_written_under_another_formats_suffix(command, fmt, name, better,
                                                             named, tmp_path):
    target = tmp_path / name
    target.write_text("kept")
    one_error_line(run(*command, "-F", fmt, "-o", str(target)),
                   f"-o {name} ends in {Path(name).suffix} ({named})", f"use -o {better}",
                   f"drop --format to write {named}")
    assert target.read_text() == "kept"
    assert _files(tmp_path) == [name]


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "notes.txt"), ("dot", "graph.txt"),
                                           ("json", "data.log"), ("latex", "notes"),
                                           ("pdf", "NOTES.PDF")])
def test_txt_an_unknown_suffix_or_the_formats_own_take_the_format(fmt, name, tmp_path):
    target = tmp_path / name
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-F", fmt, "-o", str(target))
    assert r.exit_code == 0, r.output
    data = target.read_bytes()
    expected = {"markdown": b"## Derivatives", "dot": b"digraph", "json": b"{",
                "latex": b"\\documentclass", "pdf": b"%PDF-"}[fmt]
    assert data.startswith(expected), data[:40]


def test_every_suffix_of_the_table_round_trips():
    from symbp.render.formats import FORMATS, format_for

    for fmt in FORMATS:
        for command in fmt.commands:
            for suffix in fmt.suffixes:
                assert format_for(command, None, Path("out" + suffix.upper())) == fmt


# -- PDF ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["explain", PROGRAM, "--at", "a=2,b=1"],
                                     ["network", "--spec", str(NET)]])
def test_pdf_is_a_real_pdf(command, tmp_path):
    target = tmp_path / "notes.pdf"
    r = run(*command, "-o", str(target))
    assert r.exit_code == 0, r.output
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert r.stderr.startswith("wrote ") and "(PDF, " in r.stderr
    assert _files(tmp_path) == ["notes.pdf"]  # no .aux, .log left behind


def test_pdf_without_pdflatex_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdflatex there
    target = tmp_path / "notes.pdf"
    target.write_bytes(b"%PDF-1.5 an older, real PDF")
    one_error_line(run("explain", PROGRAM, "-o", str(target)),
                   "apt-get install texlive-latex-base", "-o notes.tex")
    assert target.read_bytes() == b"%PDF-1.5 an older, real PDF"


def test_pdf_needs_a_file():
    one_error_line(run("explain", PROGRAM, "-F", "pdf"), "give the file with -o")


# -- what was written, on stderr ---------------------------------------------------------------

def test_wrote_names_the_file_the_format_and_the_size(tmp_path):
    target = tmp_path / "notes.tex"
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-o", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    size = target.stat().st_size
    assert r.stderr == f"wrote {target} (LaTeX, {files.size_text(size)})\n"
    for quiet in ("-q", "--quiet"):
        r = run("explain", PROGRAM, "-o", str(target), quiet)
        assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""
    r = run("network", "--layers", "2,2", "-o", str(tmp_path / "n.json"), "-q")
    assert r.exit_code == 0 and r.stderr == ""


def test_size_text():
    assert [files.size_text(n) for n in (0, 1, 1023, 1024, 14_500, 5 * 2**20)] == [
        "0 bytes", "1 byte", "1023 bytes", "1.0 KB", "14 KB", "5.0 MB"]


# -- terminal text: no trailing blanks, --width, ASCII ----------------------------------------

def _trailing(text: str) -> int:
    return sum(len(line) - len(line.rstrip(" ")) for line in text.splitlines())


@pytest.mark.parametrize("command", [["explain", PROGRAM, "--at", "a=2,b=1"],
                                     ["network", "--layers", "2,3,2"],
                                     ["network", "--spec", str(NET), "--epochs", "3"]])
def test_no_trailing_blanks(command):
    r = CliRunner(env={"COLUMNS": "80"}).invoke(app, command)
    assert r.exit_code == 0, r.output
    assert _trailing(r.stdout) == 0


def test_no_trailing_blanks_in_colour_either():
    from symbp.render.terminal.console import terminal_text

    walk = symbp.network_walkthrough(symbp.load_spec(NET))
    text = terminal_text(walk, width=80, color=True)
    assert "\x1b[1m" in text  # the colours (bold) are kept
    assert all(not line.endswith(" ") for line in
               (line.replace("\x1b[0m", "") for line in text.splitlines()))


@pytest.mark.parametrize("width", ["39", "1001", "-5", "abc", ""])
def test_width_is_validated(width):
    r = run("explain", PROGRAM, "--width", width)
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_width_lays_out_the_text():
    r = run("network", "--spec", str(NET), "--width", "60")
    assert r.exit_code == 0, r.output
    assert max(map(len, r.stdout.splitlines())) <= 60
    wide = run("network", "--spec", str(NET), "--width", "200").stdout
    assert max(map(len, wide.splitlines())) > 100


PROGRAMS = ["e=(a+b)*(b+1)", "y = (x - 3)**2", "alpha = 2*beta; gamma = alpha**3 - delta",
            "f = tanh(exp(x))*sigmoid(x) - relu(x)/abs(x) + sqrt(x) + log(x) + sin(x)*cos(x)"
            " + tan(x) + atan(x) + sinh(x) + cosh(x)", "c=a+b; c+=1; c*=2; d=c**c",
            "y = x**12 + 1/x**2 + x**(-3)", "y = x*2.5"]


def _records():
    for program in PROGRAMS:
        yield symbp.explain(program)
        inputs = symbp.parse(program).inputs
        yield symbp.explain(program, at={name: 1 for name in inputs})
        yield symbp.explain(program, at={name: 0.5 for name in inputs}, full=True)
    for activation in ("sigmoid", "tanh", "relu", "identity"):
        yield symbp.derive_network([2, 3, 2], activation)
        yield symbp.network_walkthrough(symbp.load_spec(NET, activation=activation), epochs=3)
    yield symbp.derive_network([2, 3, 2], "sigmoid", "cross-entropy")
    yield symbp.network_walkthrough(symbp.load_spec(NET, cost="cross-entropy"), epochs=3)


def test_every_character_has_an_ascii_form():
    from symbp.render.terminal.console import terminal_text, unmapped

    for record in _records():
        text = terminal_text(record, width=100)
        assert unmapped(text) == set(), record
        ascii = terminal_text(record, width=100, ascii=True)
        ascii.encode("ascii")  # never raises
        assert _trailing(ascii) == 0


def test_ascii_keeps_the_columns_aligned():
    from symbp.render.terminal.console import terminal_text

    text = terminal_text(symbp.explain(PROGRAM, at="a=2,b=1"), width=100, ascii=True)
    rows = [line for line in text.splitlines() if " rule " in line and "->" in line]
    assert len(rows) == 5
    assert len({row.index(" D") for row in rows}) == 1  # yet the partials line up
    assert "  a -> c   sum rule       Dc/Da = 1       1" in rows


def test_ascii_transliteration():
    from symbp.render.terminal.console import to_ascii

    assert to_ascii("∂e/∂c = d·1 → x²") == "De/Dc = d*1 -> x^2"
    assert to_ascii("w³ₖ₁δ³ₖ") == "w^3_k1 delta^3_k"
    assert to_ascii("aˡ⁻¹ₖ x¹⁰ ≈ 1.2·10⁹⁰³") == "a^(l-1)_k x^10 ~= 1.2*10^903"
    assert to_ascii("✓ ok ✗ Σⱼ α ½‖y − aᴸ‖²") == "ok ok FAIL sum_j alpha 1/2||y - a^L||^2"


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_a_stream_that_cannot_encode_gets_ascii(encoding):
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    r = symbp_process("explain", PROGRAM, "--at", "a=2,b=1", env=env)
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode("ascii")
    assert "a -> c -> e   Dc/Da*De/Dc = 1*d = d = 1*2 = 2" in text
    r = symbp_process("network", "--spec", str(NET), env=env)
    assert r.returncode == 0, r.stderr
    r.stdout.decode("ascii")
    r = symbp_process("gradient", "y = x**2*b", env=env)
    dot = "·" if encoding != "ascii" else "*"  # cp1252 and latin-1 have the middle dot
    assert r.returncode == 0 and r.stdout.decode(encoding).splitlines() == [
        f"x: 2{dot}b{dot}x", "b: x^2"]
    r = symbp_process("explain", "e=a*", env=env)
    assert r.returncode == 1 and b"Traceback" not in r.stderr


def test_ascii_flag():
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "--ascii", "-s", "reverse")
    assert r.exit_code == 0, r.output
    r.stdout.encode("ascii")
    assert "1   c -> e   de/dc += de/de*De/Dc = 1*d = 1*2 = 2" in r.stdout


def test_a_file_name_with_a_newline_or_escape_stays_one_line(tmp_path):
    target = tmp_path / "a\nb\x1b[31m.txt"
    r = run("explain", PROGRAM, "-o", str(target))
    assert r.exit_code == 0, r.output
    assert r.stderr.count("\n") == 1 and "a\\x0ab\\x1b[31m.txt" in r.stderr
    assert target.exists()
    one_error_line(run("explain", "-f", str(tmp_path / "no\nsuch")), "no\\x0asuch")


@pytest.mark.parametrize("path", ["/dev/stdout", "/proc/self/fd/1"])
def test_standard_output_by_another_name_is_refused_or_followed(path, tmp_path):
    """Through /dev/stdout the target is whatever stdout is: a pipe or terminal is refused
    (use -o -); it is never replaced by a regular file."""
    r = symbp_process("explain", PROGRAM, "-o", path)
    assert r.returncode == 1 and r.stderr.decode().count("\n") == 1
    assert b"-o -" in r.stderr or b"does not exist" in r.stderr


def test_ascii_at_a_narrow_width_keeps_the_blank_columns():
    """Rows too wide for the console are laid out by rich; in ASCII they keep their look
    (blank separators and a rule of -) rather than rich's substitute grid of | and +."""
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "--width", "40", "--ascii", "-s", "reverse")
    assert r.exit_code == 0, r.output
    r.stdout.encode("ascii")
    assert "|" not in r.stdout and "+-" not in r.stdout
    assert max(map(len, r.stdout.splitlines())) <= 40


def test_utf8_arguments_work_in_an_ascii_locale():
    """Under LANG=C Python decodes arguments as ASCII; symbp reads them as the UTF-8 bytes
    they are (the · of its own output pastes back), and answers in ASCII."""
    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    env.pop("PYTHONIOENCODING", None)
    r = symbp_process("gradient", "y = 2·x**2", "--at", "x=3", env=env)
    assert r.returncode in (0, 1), r.stderr
    assert b"Traceback" not in r.stderr and b"not UTF-8" not in r.stderr
    r = symbp_process("gradient", "e = a*b", "--at", "a=2,b=3", env=env)
    assert r.returncode == 0 and r.stdout.decode("ascii").splitlines() == ["a: 3", "b: 2"]


def test_a_failed_check_is_written_whole_and_said_in_ascii(tmp_path, monkeypatch):
    """A failed self-check still delivers the whole explanation (exit 3), and its message
    follows --ascii like every other line."""
    import dataclasses

    from symbp.core import rules

    wrong = dataclasses.replace(rules.RULES["mul"], partials=(lambda x, y: y + 1, lambda x, y: x))
    monkeypatch.setitem(rules.RULES, "mul", wrong)
    target = tmp_path / "notes.txt"
    r = run("explain", PROGRAM, "--at", "a=2,b=1", "-o", str(target), "--ascii", "-q")
    assert r.exit_code == 3
    assert "FAIL" in target.read_text() and target.read_text().isascii()
    assert r.stderr.isascii() and r.stderr.startswith("error: self-check failed")
    assert r.stderr.count("\n") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(__import__("symbp.render.terminal.console",
                                                           fromlist=["ASCII"]).ASCII)
                                        + list("ab1 (=)")), max_size=30),
       st.data())
def test_ascii_of_any_text_keeps_its_styles_in_place(text, data):
    """Any mix of mapped characters becomes ASCII, and the styles stay inside the text."""
    from rich.text import Text

    from symbp.render.terminal.console import ascii_text, to_ascii

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    styled = Text(text)
    styled.stylize("bold", start, end)
    result = ascii_text(styled)
    assert result.plain == to_ascii(text) and result.plain.isascii()
    for span in result.spans:
        assert 0 <= span.start <= span.end <= len(result.plain)
    from symbp.render.terminal.console import ASCII

    scripts = {c for c in ASCII if ASCII[c][:1] in ("^", "_")}
    inside_a_script = 0 < start < len(text) and {text[start - 1], text[start]} <= scripts
    if start < end and result.spans and not inside_a_script:
        # the style starts where the text before it ends (after the one space that keeps
        # a transliterated word such as Heta apart from a following letter or digit); a
        # run of superscripts becomes one group, ^(h1), which no style can split
        before = result.plain[:result.spans[0].start]
        assert before.rstrip(" ") == to_ascii(text[:start]).rstrip(" ")


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_help_and_usage_errors_on_a_stream_that_cannot_encode(encoding):
    env = dict(os.environ, PYTHONIOENCODING=encoding, COLUMNS="100")
    for command in (["explain", "--help"], ["network", "--help"], ["--help"]):
        r = symbp_process(*command, env=env)
        assert r.returncode == 0, r.stderr
        r.stdout.decode(encoding)
    r = symbp_process("explain", "e=a*b", "--width", "3", env=env)
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_trimmed_stream_cuts_blanks_before_newlines_only():
    """Users' own rich consoles (the examples) get symbp's clean line ends through
    TrimmedStream: blanks before a newline go, colour codes stay, and a chunk that does not
    end a line keeps its blanks (the next write may continue that line)."""
    import io

    from rich.console import Console

    from symbp.render.terminal.console import TrimmedStream

    sink = io.StringIO()
    stream = TrimmedStream(sink)
    stream.write("a  \x1b[1m  \x1b[0m  \nb ")
    stream.write("c  \n")
    assert sink.getvalue() == "a\x1b[1m\x1b[0m\nb c\n"
    assert stream.isatty() is False  # the wrapped stream's answers

    sink = io.StringIO()
    Console(file=TrimmedStream(sink), width=60).print(symbp.explain(PROGRAM, at="a=2,b=1"))
    lines = sink.getvalue().splitlines()
    assert "  e      c·d       6       output" in lines
    assert all(line == line.rstrip() for line in lines)
