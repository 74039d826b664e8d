"""The stepper's page, for any record: its style, picture, step panel, static list, data
and script, put together once (the explanation's page and the network's both use it).

The steps arrive as the data's ``"steps"`` (``{"phase", "text", "nodes", "edges", …}``);
the picture's elements carry ``data-node``/``data-edge`` (or the attributes ``targets``
names: a network's ``data-neuron``/``data-weight``), which :file:`stepper.js` highlights.

A page may show more ``views`` beside the picture, as accessible tabs (the network's layer
tab): their elements named by the third of ``targets`` (``data-block``) are highlighted
when a step's ``"blocks"`` names them, and an element with ``data-symbp-say`` and one of
the picture's attributes (a cell of BP4's grid: ``data-weight``) can be picked: the page
switches to the picture, highlights that element alone and says the sentence.  Without
JavaScript, and in print, every view is shown one after the other.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import NamedTuple

__all__ = ["CSP", "View", "document", "script_json", "stepper"]

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")
"""The page's Content-Security-Policy: it may fetch nothing."""


def document(title: str, fragment: str) -> str:
    """A whole HTML document around one stepper."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n{fragment}</body>\n</html>\n")


class View(NamedTuple):
    """A tab beside the picture: its ``key`` (``data-symbp-view``), ``title`` and HTML."""

    key: str
    title: str
    html: str


def stepper(*, heading: str, notes: list[str], graph: str, zoom: bool,
            phases: dict[str, str], data: dict, suffix: str = "", page: bool = False,
            targets: tuple[str, ...] = ("data-node", "data-edge"),
            views: tuple[View, ...] = (), picture_title: str = "Picture",
            selected: str = "picture") -> str:
    """The stepper as an HTML fragment.  ``graph`` is the picture (or a table) as HTML,
    ``data`` the embedded document with its ``"steps"``; ``page``: the stepper owns the
    page's address (``#step=K``); ``suffix`` makes its ids its own (a notebook shows
    several); ``targets`` are the attributes that name what a step highlights (its
    ``"nodes"``, ``"edges"`` and ``"blocks"``); ``views`` are tabs beside the picture
    (``picture_title``), ``selected`` the key of the one shown first."""
    steps = data["steps"]
    picture = f'{_ZOOM if zoom else ""}{graph}'
    shown = (f'<div class="symbp-graph symbp-fit">{picture}</div>' if not views else
             _tabs((View("picture", picture_title, picture), *views), suffix, selected))
    opening = ('<div class="symbp-stepper symbp-nojs" data-symbp="stepper" '
               f'data-symbp-targets="{escape(" ".join(targets))}"'
               + (' data-symbp-hash="step">' if page else ">"))
    parts = [
        opening,
        f"<style>{_asset('stepper.css')}</style>",
        f"<header><h1>{escape(heading)}</h1>"
        + "".join(f'<p class="symbp-note">{escape(line)}</p>' for line in notes)
        + "</header>",
        '<div class="symbp-main">',
        shown,
        _panel(len(steps), phases),
        "</div>",
        _static_list(steps, phases),
        f'<script type="application/json" id="symbp-data{escape(suffix)}" '
        f'data-symbp="data">{script_json(data)}</script>',
        f"<script>{_asset('stepper.js')}</script>",
        "</div>\n",
    ]
    return "\n".join(parts)


def _tabs(views: tuple[View, ...], suffix: str, selected: str) -> str:
    """The views as tabs (WAI-ARIA's tabs pattern); without JavaScript every panel shows."""
    ids = {v.key: (f"symbp-tab-{escape(v.key)}{escape(suffix)}",
                   f"symbp-view-{escape(v.key)}{escape(suffix)}") for v in views}
    buttons = "".join(
        f'<button type="button" role="tab" id="{ids[v.key][0]}" '
        f'aria-controls="{ids[v.key][1]}" data-symbp-tab="{escape(v.key)}" '
        f'aria-selected="{str(v.key == selected).lower()}" '
        f'tabindex="{0 if v.key == selected else -1}">{escape(v.title)}</button>'
        for v in views)
    panels = "".join(
        f'<div class="{"symbp-graph symbp-fit " if v.key == "picture" else ""}symbp-view" '
        f'role="tabpanel" id="{ids[v.key][1]}" aria-labelledby="{ids[v.key][0]}" '
        f'data-symbp-view="{escape(v.key)}" tabindex="0">'
        f'<h2 class="symbp-view-title">{escape(v.title)}</h2>{v.html}</div>'
        for v in views)
    # what a picked element is (a grid cell's weight), said above whichever view shows
    pick = '<p class="symbp-pick" data-symbp="pick" aria-live="polite"></p>'
    return (f'<div class="symbp-views"><div class="symbp-tabs" role="tablist" '
            f'aria-label="views">{buttons}</div>{pick}{panels}</div>')


def script_json(document) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and the two JavaScript
    line breaks are ``\\u`` escapes, so no text of the user can close the element."""
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _asset(file: str) -> str:
    return resources.files(__package__).joinpath(file).read_text(encoding="utf-8")


_ZOOM = ('<button type="button" class="symbp-zoom" data-symbp="zoom" aria-pressed="false">'
         "Actual size</button>")
"""Switches the picture between the width of its box and the size Graphviz drew it."""

_BUTTONS = (("first", "First step", "M3 2h2v12H3zM14 2v12L6 8z"),
            ("previous", "Previous step", "M12 2v12L4 8z"),
            ("next", "Next step", "M4 2v12l8-6z"),
            ("last", "Last step", "M11 2h2v12h-2zM2 2v12l8-6z"))
"""Each button's key, label and icon (an SVG path: no font has to hold the glyph)."""


def _panel(count: int, phases: dict[str, str]) -> str:
    buttons = "".join(f'<button type="button" data-symbp="{key}" aria-label="{label}" '
                      f'title="{label}"><svg viewBox="0 0 16 16" width="16" height="16" '
                      f'aria-hidden="true"><path d="{icon}"/></svg></button>'
                      for key, label, icon in _BUTTONS)
    chips = "".join(f'<button type="button" data-symbp-phase="{escape(p)}">{escape(t)}</button>'
                    for p, t in phases.items())
    return ('<section class="symbp-panel" aria-label="steps">'
            f'<nav class="symbp-phases" aria-label="phases">{chips}</nav>'
            '<p class="symbp-phase" data-symbp="phase"></p>'
            '<p class="symbp-text" data-symbp="step-text" aria-live="polite"></p>'
            f'<div class="symbp-controls">{buttons}'
            f'<span class="symbp-status" data-symbp="status">1 / {count}</span></div>'
            f'<input type="range" min="1" max="{max(count, 1)}" value="1" step="1" '
            'data-symbp="slider" aria-label="step">'
            '<p class="symbp-keys">keys: ← → Home End</p></section>')


def _static_list(steps: list[dict], phases: dict[str, str]) -> str:
    parts = ['<section class="symbp-list" data-symbp="list"><h2>All steps</h2>']
    phase = None
    for number, step in enumerate(steps, start=1):
        if step["phase"] != phase:
            if phase is not None:
                parts.append("</ol>")
            phase = step["phase"]
            parts.append(f'<h3>{escape(phases.get(phase, phase))}</h3><ol start="{number}">')
        parts.append(f"<li>{escape(step['text'])}</li>")
    if phase is not None:
        parts.append("</ol>")
    parts.append("</section>")
    return "".join(parts)
