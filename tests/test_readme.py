"""The README shows real output and working code: both are checked here."""

from __future__ import annotations

import re
from pathlib import Path

import symbp

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_quickstart_commands_are_the_two_documented_ones():
    commands = [b.strip() for b in blocks("bash")][:2]
    assert commands == [
        "pip install -e '.[dev]' && symbp explain \"e=(a+b)*(b+1)\" --at a=2,b=1",
        "python -m pytest",
    ]


def test_output_excerpt_is_what_symbp_prints():
    excerpt = blocks("text")[0]
    actual = str(symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1"))
    for line in excerpt.splitlines():
        assert line.rstrip() in actual, line


def test_python_example_runs_and_its_comments_are_true():
    code = blocks("python")[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own documentation, not user input
    ex = namespace["ex"]
    assert ex.gradient["b"].value == 5
    assert str(ex.gradient["b"].expr) == "c + d"
    assert ex.paths["b"].count == 2
    assert (ex.cost.reverse.mul, ex.cost.reverse.add) == (3, 1)
    assert ex.ok
    assert str(symbp.gradient("e=(a+b)*(b+1)")) == "{'a': b + 1, 'b': a + 2*b + 1}"
    assert symbp.gradient("e=(a+b)*(b+1)", at={"a": 2, "b": 1}) == {"a": 2, "b": 5}
    assert namespace["graph"].output == "e"
