"""The render tests' shared fixture: one system Chromium per module (tests/browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import CHROMIUM


@pytest.fixture(scope="module")
def chrome():
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed ({CHROMIUM}): apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message + " (.ci/run installs it: the browser tests must run in CI)")
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        # the system Chromium: `playwright install` would download a browser
        chrome = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox"])
        yield chrome
        chrome.close()
