"""`guidegen preview` in a real headless browser (Debian's chromium): it shows the guide
and reloads the page when the profile changes."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ALEX_PATH, ROOT, require_tool

BROWSER_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def preview(tmp_path):
    profile = tmp_path / "client.yaml"
    shutil.copy(ALEX_PATH, profile)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guidegen",
            "preview",
            str(profile),
            "--port",
            str(port),
            "--brand",
            str(ROOT / "brands" / "northstar-coaching"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    wait_for(lambda: get(url + "__version"), 30, "the preview server")
    yield profile, url
    server.terminate()
    server.wait(timeout=10)


def page_loads(url: str) -> int:
    return json.loads(get(url + "__stats"))["page_loads"]


def test_the_page_shows_the_guide(preview):
    _, url = preview
    page = get(url).decode()
    assert "From Backend Developer to AI Solutions Architect" in page
    assert "/__asset/roadmap-" in page and "guidegen-asset:" not in page


def test_the_browser_reloads_when_the_profile_changes(preview, tmp_path):
    chromium = require_tool("chromium")
    profile, url = preview
    screenshot = tmp_path / "preview.png"
    shot = subprocess.run(
        [
            chromium,
            *BROWSER_FLAGS,
            f"--user-data-dir={tmp_path / 'shot'}",
            f"--screenshot={screenshot}",
            "--window-size=1100,1400",
            url,
        ],
        capture_output=True,
        timeout=90,
        check=False,
    )
    assert shot.returncode == 0 and screenshot.stat().st_size > 20_000
    before = page_loads(url)
    browser = subprocess.Popen(
        [
            chromium,
            *BROWSER_FLAGS,
            f"--user-data-dir={tmp_path / 'live'}",
            "--remote-debugging-port=0",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: page_loads(url) > before, 60, "the browser to load the page")
        loaded = page_loads(url)
        time.sleep(1.5)  # the page is polling; nothing changed, so no reload
        assert page_loads(url) == loaded
        profile.write_text(profile.read_text().replace("hours_per_week: 10", "hours_per_week: 20"))
        wait_for(lambda: page_loads(url) > loaded, 30, "the page to reload")
        assert "Your 4-Month Transition Guide" in get(url).decode()
    finally:
        browser.terminate()
        browser.wait(timeout=10)


def test_a_broken_profile_shows_the_problem_and_keeps_watching(preview):
    profile, url = preview
    profile.write_text("name: [broken\n")
    page = get(url).decode()
    assert "Fix this and save" in page and "not valid YAML" in page
    assert "__version" in page  # still polling, to recover once fixed
