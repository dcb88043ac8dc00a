"""The web app in a real browser: the app served by uvicorn on a loopback port (a real
index and object store in a temporary folder, one user per role, named after the role)
and Debian's headless Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from browser import Live
from services import free_port
from signin import add_user

from api.app import create_app
from api.settings import Settings
from storage.index.accounts import Role

CHROMIUM: Final = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app under uvicorn in a thread of this process, one user per role (named after
    the role), on a free loopback port."""
    import uvicorn

    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("web-data"), workers=1))
    for role in Role:
        add_user(app, role, str(role))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        app.state.services.digitiser().shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture
def page(chromium: Any, live: Live) -> Iterator[Any]:
    context = chromium.new_context(base_url=live.url, viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    refused: list[str] = []  # the pages' Content-Security-Policy must block nothing of ours
    opened.on("console", lambda m: refused.append(m.text)
              if "Content Security Policy" in m.text else None)
    yield opened
    context.close()
    assert not refused, refused


