"""Every put is read back and checked against its SHA-256: a real SeaweedFS behind a real
loopback proxy that flips one byte of whatever is read of one key, as a faulty disk,
cache or network path would."""

from __future__ import annotations

import hashlib
import http.client
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from services import Seaweed

from storage.errors import ChecksumMismatch
from storage.objects import content_key, open_object_store

DATA = b"%PDF-1.7 scanned case file, read back"
SHA = hashlib.sha256(DATA).hexdigest()
KEY = content_key("originals", SHA, "original.pdf")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def corrupting_handler(upstream: int, key: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
            conn.request(self.command, self.path, body, dict(self.headers.items()))
            reply = conn.getresponse()
            data = reply.read()
            conn.close()
            if self.command == "GET" and self.path.split("?")[0].endswith(quote(key)) and data:
                data = data[:-1] + bytes([data[-1] ^ 0x01])  # one bit, on the way back only
            self.send_response(reply.status, reply.reason)
            for name, value in reply.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = relay

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def corrupting_proxy(seaweed: Seaweed, key: str) -> Iterator[int]:
    """A loopback port that relays to SeaweedFS, flipping a bit of every read of `key`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), corrupting_handler(seaweed.s3_port, key))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_put_read_back_wrong_is_refused(seaweed: Seaweed) -> None:
    bucket = f"casescan-{uuid.uuid4().hex[:10]}"
    with corrupting_proxy(seaweed, KEY) as port:
        spec = seaweed.spec(bucket).replace(f":{seaweed.s3_port}/", f":{port}/")
        store = open_object_store(spec)
        other = b"another page"
        other_key = content_key("originals", hashlib.sha256(other).hexdigest(), "page.png")
        assert store.put(other_key, other).size == len(other)  # the path itself works
        with pytest.raises(ChecksumMismatch, match=f"{KEY}.*read back.*wrote {SHA}"):
            store.put(KEY, DATA)
    direct = open_object_store(seaweed.spec(bucket))
    assert direct.get(KEY, expect_sha256=SHA) == DATA  # the server holds the right bytes
