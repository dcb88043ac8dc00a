"""How fast a caseworker sees a document: the web app's document view (the page, its
style sheet and scripts, the page image with every box drawn over it) loaded cold in
headless Chromium, against its parts alone (the document's JSON and its page image
fetched by the same browser without rendering), in the same run on the same server.

The server is `casescan serve` on a loopback port over a data folder into which one
generated 300 dpi scan was ingested; each sample is a fresh browser context (no cache),
signed in beforehand, timed from navigation start to the load event (images included).

    .venv/bin/python bench/web_document_view.py              # 15 samples
    .venv/bin/python bench/web_document_view.py --samples 3  # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_record import REPO, default_out, write_figures  # noqa: E402

TARGET_MS = 1000
CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "bench-caseworker", "a long bench password"
PARTS_JS = """async (id) => {
    const start = performance.now();
    const doc = await (await fetch('/api/documents/' + id)).json();
    await Promise.all(doc.pages.map(p => fetch(p.image).then(r => r.blob())));
    return performance.now() - start;}"""
PAGE_JS = """() => { const n = performance.getEntriesByType('navigation')[0];
    return n.loadEventEnd - n.startTime; }"""


def casescan(data: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "CASESCAN_DATA_DIR": str(data), "CASESCAN_WORKERS": "1",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=REPO, env=env,
                          input=stdin, capture_output=True, text=True, timeout=900, check=True)
    return done.stdout


def prepare(data: Path) -> str:
    """One generated scan ingested, and a caseworker; the document's id."""
    sys.path.insert(0, str(REPO))
    from synth import generate_case_file

    truth = generate_case_file(data / "scans", 21, fmt="png", degradation="clean",
                               layout="inline", split="train", stem="bench-scan")
    line = casescan(data, "ingest", str(data / "scans" / truth.file), "--json")
    document_id = str(json.loads(line.splitlines()[-1])["document_id"])
    casescan(data, "user", "add", USER, "--role", "caseworker", stdin=PASSWORD + "\n")
    return document_id


def serve(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CASESCAN_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            return server
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.3)


def signed_in_state(browser: Browser, url: str) -> Any:
    context = browser.new_context(base_url=url)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Name").fill(USER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/search")
    state = context.storage_state()
    context.close()
    return state


def sample(browser: Browser, url: str, state: Any, document_id: str) -> tuple[float, float]:
    """One cold load of the document view, and one cold fetch of its parts (ms)."""
    timings = []
    for shown in (True, False):
        context = browser.new_context(base_url=url, storage_state=state)
        page = context.new_page()
        if shown:
            page.goto(f"/documents/{document_id}", wait_until="load")
            timings.append(float(page.evaluate(PAGE_JS)))
        else:
            page.goto("/static/app.css")  # same origin, nothing of the document
            timings.append(float(page.evaluate(PARTS_JS, document_id)))
        context.close()
    return timings[0], timings[1]


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 1),
            "p90_ms": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
            "min_ms": round(ordered[0], 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=default_out("web_document_view"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casescan-bench-web-") as tmp:
        data = Path(tmp)
        document_id = prepare(data)
        server = serve(data, args.port)
        url = f"http://127.0.0.1:{args.port}"
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox", "--disable-dev-shm-usage"])
                state = signed_in_state(browser, url)
                sample(browser, url, state, document_id)  # warm the server once
                runs = [sample(browser, url, state, document_id) for _ in range(args.samples)]
                browser.close()
        finally:
            server.kill()
            server.wait(timeout=10)
    page, parts = summary([r[0] for r in runs]), summary([r[1] for r in runs])
    figures = {"samples": args.samples, "target_ms": TARGET_MS,
               "document_view": page, "baseline_json_and_image_alone": parts,
               "ratio_median": round(page["median_ms"] / parts["median_ms"], 2),
               "met": page["p90_ms"] < TARGET_MS,
               "load_average": os.getloadavg()}
    print(json.dumps(figures, indent=1))
    print(f"wrote {write_figures(args.out, figures)}")


if __name__ == "__main__":
    main()
