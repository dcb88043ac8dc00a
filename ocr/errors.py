"""Errors raised by the OCR stage; ingest turns them into per-file outcomes."""


class OcrError(Exception):
    """Base for everything the OCR stage refuses or fails at."""


class TesseractMissing(OcrError):
    """The tesseract program is not installed or not runnable."""


class PdfUnreadable(OcrError):
    """The bytes are not a PDF that pdfium can open."""


class PdfEncrypted(OcrError):
    """The PDF needs a password; casescan never guesses one."""


class PageUnreadable(OcrError):
    """One page cannot be read (blank, tiny, all black); the others still are."""


# How a blank page's reason ends: ingest tells a file of blank pages (done, no text) from
# one whose pages could not be read (failed) by it.
BLANK_PAGE = "blank page, nothing to read"
