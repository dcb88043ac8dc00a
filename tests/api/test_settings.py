"""Every CASESCAN_ setting read in api/settings.py changes what the real `casescan` command
does: each test sets one variable and shows the behaviour it governs move."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CaseFile, run_cli
from pdfs import RECORD_LINES, write_pdf
from signin import signed_in

from api.app import create_app
from api.settings import Settings

THRESHOLD = "0.95"  # between the confidences of the "table" file's values (0.87 to 0.97)


def ingest_one(path: Path, data_dir: Path, **env: str) -> dict:  # type: ignore[type-arg]
    result = run_cli(["ingest", str(path), "--json"], data_dir, **env)
    return json.loads(result.stdout)


def test_min_confidence_sends_less_certain_values_to_review(
        ingested: tuple[Path, dict[str, dict]], case_files: dict[str, CaseFile],
        tmp_path: Path) -> None:
    """The same scan read with CASESCAN_MIN_CONFIDENCE=0.95 instead of the default 0.6:
    exactly the values less certain than 0.95 leave `fields` and await review."""
    before = ingested[1]["table"]
    doc = ingest_one(case_files["table"].path, tmp_path, CASESCAN_MIN_CONFIDENCE=THRESHOLD)
    read = {f: v for f, v in before["fields"].items() if v is not None}
    doubtful = {f for f, v in read.items() if v["confidence"] < float(THRESHOLD)}
    assert doubtful and len(doubtful) < len(read)  # the threshold splits this file's values
    for name, value in read.items():
        status = doc["field_status"][name]
        if name in doubtful:
            assert doc["fields"][name] is None and status["status"] == "needs_review", name
            assert [v["value"] for v in status["values"]] == [value["value"]]
        else:
            assert doc["fields"][name] == value, name
    review = run_cli(["review", "--json"], tmp_path)
    assert {json.loads(line)["field"] for line in review.stdout.splitlines()} == doubtful


def test_limits_refuse_what_is_over_them(case_files: dict[str, CaseFile],
                                         tmp_path: Path) -> None:
    table, scan = case_files["table"].path, case_files["scan"].path
    small = ingest_one(table, tmp_path / "a", CASESCAN_MAX_FILE_BYTES="1000")
    assert small["status"] == "failed" and "over the limit of 1000" in small["error"]
    short = ingest_one(scan, tmp_path / "b", CASESCAN_MAX_PAGES="1")
    assert short["status"] == "failed" and "2 pages, over the limit of 1" in short["error"]
    tiny = ingest_one(table, tmp_path / "c", CASESCAN_MAX_PAGE_PIXELS="1000000")
    assert tiny["status"] == "failed" and "over the limit of 1000000 pixels" in tiny["error"]


def test_dpi_sets_the_page_image_size_and_its_boxes(tmp_path: Path) -> None:
    """A born-digital A4 page rasterised at CASESCAN_DPI: the stored image and every box
    scale with it."""
    pdf = write_pdf(tmp_path / "record.pdf", [RECORD_LINES])
    sizes, boxes = {}, {}
    for dpi in ("300", "100"):
        doc = ingest_one(pdf, tmp_path / dpi, CASESCAN_DPI=dpi)
        assert doc["status"] == "done", doc["error"]
        client = signed_in(create_app(Settings(data_dir=tmp_path / dpi, workers=1)),
                           "caseworker")
        page = client.get(f"/api/documents/{doc['document_id']}").json()["pages"][0]
        sizes[dpi], boxes[dpi] = page["width"], doc["fields"]["surname"]["bbox"]
    assert abs(sizes["300"] - 3 * sizes["100"]) <= 3 and sizes["300"] > 2000
    assert all(abs(a - 3 * b) <= 6 for a, b in zip(boxes["300"], boxes["100"], strict=True))


def test_ocr_language_reaches_tesseract(case_files: dict[str, CaseFile],
                                        tmp_path: Path) -> None:
    doc = ingest_one(case_files["table"].path, tmp_path, CASESCAN_OCR_LANG="xxx")
    assert doc["status"] == "failed" and "xxx.traineddata" in doc["error"]


def test_max_query_chars_and_report_min_count(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, _ = ingested
    over = run_cli(["search", "x" * 11], data_dir, CASESCAN_MAX_QUERY_CHARS="10")
    assert over.returncode == 2 and "the limit is 10" in over.stderr
    assert run_cli(["search", "x" * 10], data_dir, CASESCAN_MAX_QUERY_CHARS="10").returncode == 0
    counts = {n: json.loads(run_cli(["report", "counts", "--by", "decision", "--json"],
                                    data_dir, CASESCAN_REPORT_MIN_COUNT=n).stdout.splitlines()[0])
              for n in ("1", "50")}
    assert isinstance(counts["1"]["cases"], int) and counts["50"]["cases"] == "<50"
