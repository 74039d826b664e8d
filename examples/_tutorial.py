"""What the tutorial scripts share: one console, headings, prose, and symbp sections.

Each script imports these so that it reads as the story it tells.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from rich.console import Console, Group

from symbp.render.terminal.console import TrimmedStream
from symbp.render.terminal.explain import render

# TrimmedStream: no blanks at line ends, so the printed story pastes cleanly.
console = Console(highlight=False, file=TrimmedStream(sys.stdout))

# The 2-2-1 sigmoid network of examples 06 (one sample) and 07 (a batch and SGD): one
# network, so the second story continues the first.
NETWORK = {
    "layers": [2, 2, 1],
    "activation": "sigmoid",
    "cost": "quadratic",
    "weights": [[[0.5, -0.4], [0.3, 0.8]], [[0.6, -0.7]]],
    "biases": [[0.1, -0.2], [0.05]],
    "learning_rate": 2.0,
}


def heading(text: str) -> None:
    """A rule with a title, before each part of the story."""
    console.print()
    console.rule(f"[bold]{text}", align="left")


def say(text: str) -> None:
    """A paragraph of prose."""
    console.print(text)
    console.print()


def show(ex, *sections: str, header: bool = False) -> None:
    """symbp's terminal rendering of some sections of ``ex`` (its title block only if asked)."""
    console.print(Group(*render(replace(ex, sections=sections), header=header)))
