"""A field is declared in one place: one `FieldSpec` (its label wordings, normaliser and
search) and it is read from a page, stored, searched, corrected and shown in the
document's JSON. The field here, a National Insurance number, is added by this test
alone; the case fields themselves are untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from api.models import DocumentOut
from casework import correct, open_context, search, search_filters, search_options, show
from extraction.extract import ExtractOptions
from extraction.fields import CASE_FIELDS, FIELDS, FieldSpec, Search
from extraction.normalise import Normalised
from ingest.batch import run_batch
from ingest.chain import IngestContext

NI_SHAPE = re.compile(r"[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]")


def ni_number(text: str) -> Normalised | None:
    """Two letters, six digits and a letter A to D; spaces and case do not matter."""
    raw = re.sub(r"\s+", "", text).upper()
    return Normalised(raw) if NI_SHAPE.fullmatch(raw) else None


NI_NUMBER = FieldSpec(
    "ni_number", "National Insurance number",
    ("national insurance number", "ni number", "nino"),
    ni_number, Search("exact", "National Insurance number, exact", option="ni_number"))
WITH_NI = (*FIELDS, NI_NUMBER)


@pytest.fixture
def ctx(tmp_path: Path) -> IngestContext:
    return open_context(str(tmp_path / "objects"), f"sqlite:///{tmp_path / 'index.sqlite3'}",
                        extract=ExtractOptions(fields=WITH_NI))


def scanned_page(path: Path, ni: str) -> Path:
    image = Image.new("L", (1240, 1754), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["CASE RECORD", "Surname: ADEYEMI", "Given names: Tunde",
                              f"NI number: {ni}", "HO Ref: C7654321"]):
        draw.text((120, 150 + 60 * i), line, font=font, fill=0)
    image.save(path)
    return path


def test_a_field_declared_once_is_read_stored_searched_and_shown(
        ctx: IngestContext, tmp_path: Path) -> None:
    assert "ni_number" not in CASE_FIELDS  # the registry itself is not extended
    [outcome] = run_batch([scanned_page(tmp_path / "ni.png", "AB123456C")], "ni", ctx).outcomes
    assert outcome.status == "done" and outcome.document_id is not None
    found = outcome.fields["ni_number"]
    assert found is not None and found.value == "AB123456C" and found.text == "AB123456C"
    assert outcome.fields["surname"].value == "Adeyemi"  # type: ignore[union-attr]

    doc = DocumentOut.of(outcome).as_json()
    assert doc["fields"]["ni_number"]["value"] == "AB123456C"  # type: ignore[index]
    assert doc["field_status"]["ni_number"]["status"] == "confirmed"  # type: ignore[index]
    stored = show(ctx, outcome.document_id)
    assert stored is not None
    assert DocumentOut.of(stored).as_json()["fields"]["ni_number"]["value"] == "AB123456C"  # type: ignore[index]

    assert "ni_number" in {o.name for o in search_options(WITH_NI)}
    by_ni = search_filters({"ni_number": "ab 123456 c"}, fields=WITH_NI)
    assert [h.document_id for h in search(ctx, filters=by_ni)] == [outcome.document_id]
    other = search_filters({"ni_number": "AB654321A"}, fields=WITH_NI)
    assert search(ctx, filters=other) == []

    correct(ctx, outcome.document_id, "ni_number", "ab 654321 a", by="caseworker")
    assert [h.document_id for h in search(ctx, filters=other)] == [outcome.document_id]
    assert search(ctx, filters=by_ni) == []  # the correction, not the extraction, counts
    with pytest.raises(ValueError, match="ni_number"):
        search_filters({"ni_number": "not a number"}, fields=WITH_NI)
