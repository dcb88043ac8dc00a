"""`POST /api/batches` on a real server: each file accepted or refused on its own, the reply
before any digitising, progress over `GET /api/batches/{name}` and server-sent events."""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import CASESCAN, REPO
from pdfs import RECORD_LINES, write_pdf
from PIL import Image
from services import free_port
from sheets import case_lines, separator_sheet
from signin import add_user_at, bearer

MAX_FILE_BYTES = 300_000


def multipart(files: list[tuple[str, bytes]], **fields: str) -> tuple[bytes, str]:
    """A multipart body written byte by byte, so names reach the server exactly as given
    (httpx would percent-escape a tab or a NUL, as browsers do)."""
    boundary = b"casescan-test-boundary"
    parts = [b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + k.encode()
             + b'"\r\n\r\n' + v.encode() + b"\r\n" for k, v in fields.items()]
    parts += [b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; '
              b'filename="' + name.encode() + b'"\r\nContent-Type: application/octet-stream'
              b"\r\n\r\n" + data + b"\r\n" for name, data in files]
    body = b"".join(parts) + b"--" + boundary + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels."""
    buf = io.BytesIO()
    Image.new("L", (1, 1), 255).save(buf, format="PNG")
    data = bytearray(buf.getvalue())
    ihdr = data[12:29]  # b"IHDR" + 13 bytes of fields
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upload-data")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    data = data_dir
    port = free_port()
    env = {**os.environ, "CASESCAN_DATA_DIR": str(data), "CASESCAN_WORKERS": "1",
           "CASESCAN_MAX_FILE_BYTES": str(MAX_FILE_BYTES)}
    add_user_at(data, "scanner", "scan.one")
    add_user_at(data, "caseworker", "case.one")
    proc = subprocess.Popen([*CASESCAN, "serve", "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not start in 60 s"
                time.sleep(0.3)
        yield url
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def scanner(server: str) -> dict[str, str]:
    return bearer(server, "scan.one")


@pytest.fixture(scope="module")
def caseworker(server: str) -> dict[str, str]:
    return bearer(server, "case.one")


def wait_finished(url: str, batch: str, headers: dict[str, str],
                  timeout: float = 300) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while True:
        shown = httpx.get(f"{url}/api/batches/{batch}", headers=headers, timeout=10).json()
        if shown["state"] == "finished":
            return shown  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, shown
        time.sleep(0.5)


def test_each_file_is_accepted_or_refused_alone(server: str, tmp_path: Path,
                                                scanner: dict[str, str],
                                                caseworker: dict[str, str]) -> None:
    good = write_pdf(tmp_path / "good.pdf", [RECORD_LINES, ["second page"]]).read_bytes()
    other = write_pdf(tmp_path / "other.pdf", [["Surname: OKAFOR"]]).read_bytes()
    non_latin = "Заявление-гражданина-" * 6 + ".pdf"  # 130 characters, 250+ bytes in UTF-8
    files = [
        ("good.pdf", good), (non_latin, other), ("copy of good.pdf", good),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES),
        ("notes.txt", b"just some text"),
        ("bomb.png", png_declaring(12_000, 9_000)),
        ("x" * 300 + ".pdf", good),
        ("../../etc/passwd.pdf", good),
        ("tab\there.pdf", good),
        ("nul\x00.pdf", good),
        ("empty.pdf", b""),
    ]
    body_bytes, content_type = multipart(files, batch="door")
    reply = httpx.post(f"{server}/api/batches", content=body_bytes,
                       headers={"content-type": content_type, **scanner}, timeout=60)
    assert reply.status_code == 202, reply.text
    body = reply.json()
    by_name = {f["source"]: f for f in body["files"]}
    assert body["accepted"] == 3 and body["refused"] == 8
    assert by_name["good.pdf"]["accepted"] and by_name[non_latin]["accepted"]
    reasons = {name: (f["reason"] or "") for name, f in by_name.items()}
    assert "over the limit of 300000" in reasons["big.pdf"]
    assert "unsupported file type" in reasons["notes.txt"]
    assert "12000x9000 px, over the limit" in reasons["bomb.png"]
    assert "over the limit of 255" in reasons["x" * 300 + ".pdf"]
    assert "is a path" in reasons["../../etc/passwd.pdf"]
    assert "control characters" in reasons["tab\\there.pdf"]
    assert "control characters" in reasons["nul\\x00.pdf"]
    assert "empty" in reasons["empty.pdf"]

    shown = wait_finished(server, str(body["batch_id"]), scanner)
    assert (shown["done"], shown["failed"], shown["queued"]) == (3, 8, 0)
    assert (shown["pages_done"], shown["pages_total"]) == (5, 5)
    record = {f["source"]: f for f in shown["files"]}
    assert record[non_latin]["status"] == "done" and record[non_latin]["document_id"]
    assert record["copy of good.pdf"]["duplicate"]
    assert record["copy of good.pdf"]["document_id"] == record["good.pdf"]["document_id"]
    assert record["bomb.png"]["status"] == "failed" and "12000x9000" in record["bomb.png"]["error"]
    hits = httpx.get(f"{server}/api/search", params={"surname": "okafor"}, headers=caseworker,
                     timeout=10).json()
    assert [h["source"] for h in hits] == [non_latin]


def test_stored_objects_are_private(server: str, tmp_path: Path, data_dir: Path,
                                    scanner: dict[str, str]) -> None:
    """Every object the server stored, and every folder, is its user's alone."""
    pdf = write_pdf(tmp_path / "private.pdf", [RECORD_LINES]).read_bytes()
    reply = httpx.post(f"{server}/api/batches", files=[("files", ("private.pdf", pdf))],
                       headers=scanner, timeout=60)
    assert reply.status_code == 202, reply.text
    wait_finished(server, str(reply.json()["batch_id"]), scanner)
    stored = list((data_dir / "objects").rglob("*"))
    assert any(p.is_file() for p in stored)
    for path in stored:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_progress_streams_as_server_sent_events(server: str, tmp_path: Path,
                                                scanner: dict[str, str]) -> None:
    pdf = write_pdf(tmp_path / "three.pdf", [[*RECORD_LINES, f"page {n}"] for n in range(3)])
    reply = httpx.post(f"{server}/api/batches", files=[("files", ("three.pdf", pdf.read_bytes(),
                                                                 "application/pdf"))],
                       data={"batch": "streamed"}, headers=scanner, timeout=60)
    assert reply.status_code == 202
    events: list[tuple[str, dict]] = []  # type: ignore[type-arg]
    with httpx.stream("GET", reply.json()["events_url"], headers=scanner,
                      timeout=300) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    assert events[-1] == ("end", {"state": "finished"})
    progress = [data for kind, data in events if kind == "progress"]
    assert progress[-1]["done"] == 1 and progress[-1]["pages_done"] == 3
    assert all(p["batch_id"] == reply.json()["batch_id"] for p in progress)


def test_upload_is_bounded_at_the_edge(server: str, scanner: dict[str, str]) -> None:
    assert httpx.post(f"{server}/api/batches", data={"batch": "none"}, headers=scanner,
                      timeout=10).status_code == 422
    assert httpx.get(f"{server}/api/batches/no-such-batch", headers=scanner,
                     timeout=10).status_code == 404
    assert httpx.post(f"{server}/api/batches", data={"batch": "none"},
                      timeout=10).status_code == 401


def test_box_scan_uploaded_is_cut_at_separator_sheets(server: str, tmp_path: Path,
                                                      scanner: dict[str, str]) -> None:
    box = write_pdf(tmp_path / "box9.pdf", [
        case_lines("MENSAH"), separator_sheet(), case_lines("OKAFOR"), ["Okafor: letter"]])
    reply = httpx.post(f"{server}/api/batches", files=[("files", ("box9.pdf", box.read_bytes(),
                                                                 "application/pdf"))],
                       data={"batch": "box 9", "separator": "barcode", "box": "9"},
                       headers=scanner, timeout=60)
    assert reply.status_code == 202, reply.text
    shown = wait_finished(server, str(reply.json()["batch_id"]), scanner)
    assert (shown["split"], shown["done"], shown["failed"]) == (1, 2, 0)
    assert shown["separator"] == "barcode"
    assert [(f["status"], f["box"], f["sequence"], f["part_of"], f["origin_pages"])
            for f in shown["files"]] == [
        ("split", "9", None, None, "4 pages: 2 case file(s), separator pages 2"),
        ("done", "9", 1, "box9.pdf", "1"), ("done", "9", 2, "box9.pdf", "3-4")]
    bad = httpx.post(f"{server}/api/batches", files=[("files", ("a.pdf", b"%PDF-1.4"))],
                     data={"separator": "sideways"}, headers=scanner, timeout=30)
    assert bad.status_code == 422 and "separator must be one of" in bad.text
