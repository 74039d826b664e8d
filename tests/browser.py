"""The browser tests' Chromium (Debian's, driven by Playwright: `playwright install` would
download a browser; the ``chrome`` fixture is in tests/render/conftest.py) and a page
opened from a file that records what it requested and every error it reported."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

__all__ = ["CHROMIUM", "Opened"]

CHROMIUM = os.environ.get("SYMBP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


class Opened:
    """A page opened from a file, with what it requested and every error it reported."""

    def __init__(self, chrome, path: Path, *, hash_: str = "", javascript: bool = True,
                 width: int = 1200, height: int = 900):
        self.context = chrome.new_context(java_script_enabled=javascript,
                                           viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url + hash_)

    def close(self):
        assert self.errors == []
        assert self.requests and all(r.split("#")[0] == self.url for r in self.requests)
        self.context.close()

    def state(self, root: str = '[data-symbp="stepper"]') -> dict:
        return self.page.eval_on_selector(root, """root => ({
            status: root.querySelector('[data-symbp="status"]').textContent,
            text: root.querySelector('[data-symbp="step-text"]').textContent,
            nodes: [...root.querySelectorAll('[data-node].active')]
                     .map(e => e.getAttribute('data-node')).sort(),
            edges: [...root.querySelectorAll('[data-edge].active')]
                     .map(e => e.getAttribute('data-edge')).sort(),
            active: root.querySelectorAll('.active').length,
            adjoints: Object.fromEntries([...root.querySelectorAll('[data-adjoint]')]
                     .map(e => [e.getAttribute('data-adjoint'), e.textContent])),
        })""")

    def data(self) -> dict:
        return json.loads(self.page.text_content("#symbp-data"))
