"""Files arriving over HTTP: each one accepted or refused on its own at the door, and the
accepted ones streamed into the object store in chunks.

A file's name is only ever text in the record (shown, searched), never a path, so a long,
non-Latin or odd name cannot break a temporary copy; names that no person could have
given a scan (control characters, NUL, path tricks, absurd lengths) refuse that file alone.
Image headers are read (Pillow reads them lazily) and checked against the pixel limit
before any pixel is decoded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Final

from PIL import Image, UnidentifiedImageError

from ingest.errors import CasescanError, TooLarge, UnsupportedFile
from ingest.limits import Limits
from ingest.sources import EXTENSIONS, detect_media_type
from storage.errors import StorageError
from storage.objects import ObjectStore, artefacts
from storage.objects.store import hash_stream

# Longest file name accepted, in characters (most file systems allow 255 bytes; a name
# is never used as a path here, so characters, not bytes, are what counts).
MAX_NAME_CHARS: Final = 255
HEAD_BYTES: Final = 1024


@dataclass(frozen=True)
class Arrival:
    """What became of one uploaded file at the door."""

    source: str  # the name as given (control characters shown escaped)
    accepted: bool
    reason: str | None = None
    size: int = 0
    sha256: str | None = None
    media_type: str | None = None
    original_key: str | None = None


def shown_name(name: str | None, index: int) -> str:
    """The name as text for the record: control characters escaped, never dropped."""
    if not name:
        return f"(unnamed file {index + 1})"
    return "".join(c if unicodedata.category(c)[0] != "C" else repr(c)[1:-1] for c in name)


def name_problem(name: str | None) -> str | None:
    """Why a file name is refused, or None if it is fine as text."""
    if not name or not name.strip():
        return "file has no name"
    if len(name) > MAX_NAME_CHARS:
        return f"file name is {len(name)} characters, over the limit of {MAX_NAME_CHARS}"
    if any(unicodedata.category(c)[0] == "C" for c in name):
        return "file name contains control characters (NUL, newline, ...)"
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        return "file name is a path (absolute, or with '..'); give the file's own name"
    return None


def take_in(name: str | None, index: int, stream: BinaryIO, size: int, store: ObjectStore,
            limits: Limits) -> Arrival:
    """Check one uploaded file and, if it passes, stream it into the store as an original."""
    source = shown_name(name, index)
    problem = name_problem(name)
    if problem is None and size == 0:
        problem = "file is empty (0 bytes)"
    if problem is None and size > limits.max_file_bytes:
        problem = f"{size} bytes, over the limit of {limits.max_file_bytes}"
    if problem is not None:
        return Arrival(source, False, f"{source}: {problem}", size)
    try:
        media_type = _checked_type(stream, source, limits)
        stream.seek(0)
        sha, counted = hash_stream(stream)
        stream.seek(0)
        key = artefacts.original_key(sha, EXTENSIONS[media_type])
        store.put_stream(key, stream, counted, sha, media_type)
    except CasescanError as exc:
        return Arrival(source, False, str(exc), size)
    except StorageError as exc:
        return Arrival(source, False, f"{source}: original not stored: {exc}", size)
    return Arrival(source, True, None, counted, sha, media_type, key)


def _checked_type(stream: BinaryIO, source: str, limits: Limits) -> str:
    """The file's type by its first bytes; an image's size by its header, before decoding."""
    stream.seek(0)
    media_type = detect_media_type(stream.read(HEAD_BYTES), source)
    if media_type == "application/pdf":
        return media_type  # page sizes are checked page by page before rendering
    stream.seek(0)
    try:
        with Image.open(stream) as image:  # lazy: reads the header only
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise TooLarge(source, f"image is too large to decode safely ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UnsupportedFile(source, f"image header cannot be read ({exc})") from exc
    if width * height > limits.max_page_pixels:
        raise TooLarge(source, f"image is {width}x{height} px, over the limit of "
                               f"{limits.max_page_pixels} pixels")
    return media_type
