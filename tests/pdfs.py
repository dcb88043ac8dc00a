"""Small real PDFs for tests: born-digital text pages, mixed and encrypted files (pikepdf)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from PIL import Image


def _text_page(pdf: pikepdf.Pdf, lines: list[str],
               size: tuple[int, int] = (595, 842)) -> pikepdf.Dictionary:
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 770 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*"]
    ops.append("ET")
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, *size],
        Contents=pdf.make_stream("\n".join(ops).encode("latin-1")),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )


def write_pdf(path: Path, pages: list[list[str] | Image.Image | tuple[int, int]], *,
              password: str | None = None) -> Path:
    """Write a PDF whose pages are text (a list of lines), scanned images, or empty pages of
    a given size in points."""
    pdf = pikepdf.new()
    for page in pages:
        if isinstance(page, Image.Image):
            buf = io.BytesIO()
            page.save(buf, format="PDF", resolution=300)
            with pikepdf.open(io.BytesIO(buf.getvalue())) as scanned:
                pdf.pages.append(scanned.pages[0])
        elif isinstance(page, tuple):
            pdf.pages.append(pikepdf.Page(pdf.make_indirect(_text_page(pdf, ["x"], page))))
        else:
            pdf.pages.append(pikepdf.Page(pdf.make_indirect(_text_page(pdf, page))))
    if password:
        pdf.save(path, encryption=pikepdf.Encryption(owner=password, user=password))
    else:
        pdf.save(path)
    return path


RECORD_LINES = [
    "HOME OFFICE - CASE RECORD",
    "Home Office reference: B1234567",
    "Surname: MENSAH",
    "Given names: Abena",
    "Date of birth: 02/11/1984",
    "Nationality: Ghanaian",
    "Application type: Spouse visa",
    "Decision: Refused",
    "Decision date: 14 July 2009",
    "Permission to work: No",
    "",
    "Ms Mensah travelled from Accra to Manchester in June 2008.",
]
