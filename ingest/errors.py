"""Why a file could not be digitised. Every message names the file and the reason."""

from __future__ import annotations


class CasescanError(Exception):
    """A file-level failure; the rest of the batch goes on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.sha256: str | None = None  # set once the file's bytes were hashed


class UnsupportedFile(CasescanError):
    """Not a PDF, TIFF, PNG or JPEG."""


class UnreadableFile(CasescanError):
    """Missing, a folder, or not readable by this process."""


class EmptyFile(CasescanError):
    """Zero bytes: nothing to read and nothing to keep."""


class CorruptFile(CasescanError):
    """Claims a known format but cannot be decoded."""


class EncryptedFile(CasescanError):
    """A password-protected PDF."""


class TooLarge(CasescanError):
    """Over a configured limit (bytes, pages or pixels)."""


class StoreFailed(CasescanError):
    """The object store or index refused; the document is not indexed."""


class SetupError(Exception):
    """The index or object store named by the configuration cannot be opened."""
