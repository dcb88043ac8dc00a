"""Helpers for the browser tests of the web app: the running app, signing in and out in
the page, screenshots kept as artefacts, axe-core checks and a stored document with a real
page image whose values await review."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from conftest import REPO
from fastapi import FastAPI
from PIL import Image, ImageDraw, ImageFont
from signin import PASSWORD

from storage.index.records import DocumentRow, FieldRow, PageRow

AXE: Final = Path(__file__).parent / "web" / "vendor" / "axe.min.js"
ARTEFACTS: Final = REPO / "test-artefacts" / "web"
BLOCKING: Final = ("serious", "critical")


@dataclass(frozen=True)
class Live:
    """The running app: its base URL and the app object (for its index)."""

    url: str
    app: FastAPI

    @property
    def index(self) -> Any:
        return self.app.state.services.context().index


def sign_in(page: Any, name: str, password: str = PASSWORD, path: str = "/") -> None:
    page.goto(path)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")


def shot(page: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Any, name: str) -> None:
    """axe-core's WCAG 2 A/AA rules on the page as it stands: no serious or critical
    violation (the whole report is kept as an artefact)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # through the debugger: the CSP allows no inline script
    report = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"axe-{name}.json").write_text(json.dumps(report["violations"], indent=1))
    blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in report["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: {blocking}"


def page_png(lines: list[tuple[str, tuple[int, int]]], size: tuple[int, int] = (1240, 900)
             ) -> tuple[bytes, list[tuple[int, int, int, int]]]:
    """A white page with each line of text drawn at its place, and each line's box."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    boxes = []
    for text, at in lines:
        draw.text(at, text, fill=0, font=font)
        left, top, right, bottom = draw.textbbox(at, text, font=font)
        boxes.append((int(left), int(top), int(right), int(bottom)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), boxes


def seed_review_document(live: Live, seed: str = "review") -> str:
    """A stored document with a real page image whose surname (two readings), nationality
    and date of birth await review, each with its box on the page; returns its id."""
    png, (surname, nationality, born) = page_png([
        ("Surname: OKAFOR", (80, 120)), ("Nationality: Nigerian", (80, 260)),
        ("Date of birth: 02/03/1985", (80, 400))])
    sha = hashlib.sha256(seed.encode()).hexdigest()
    context = live.app.state.services.context()
    key = f"test-pages/{sha}/1.png"
    context.store.put(key, png, "image/png")
    review = "needs_review"
    fields = (
        FieldRow("surname", "OKAFOR", "OKAFOR", 0.55, 1, surname, review, "two readings"),
        FieldRow("surname", "OKAFUR", "OKAFUR", 0.5, 1, surname, review, "two readings", 1),
        FieldRow("nationality", "NGA", "Nigerian", 0.58, 1, nationality, review, "low confidence"),
        FieldRow("date_of_birth", "1985-03-02", "02/03/1985", 0.4, 1, born, review,
                 "low confidence"))
    text = "Surname: OKAFOR Nationality: Nigerian Date of birth: 02/03/1985"
    live.index.add_document(DocumentRow(
        sha, sha, f"{seed}.png", "image/png", key, "done", None,
        (PageRow(1, 1240, 900, "ocr", 0.9, text, key, None),), fields, ()))
    return sha
