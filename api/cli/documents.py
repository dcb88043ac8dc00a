"""`casescan show`, `pdf` and `entities`: one stored document, its searchable PDF, and the
entities found in free text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.errors import context, exits, found
from api.models import DocumentOut, EntityHitOut, PairHitOut
from storage.index.window import MAX_LIST_ROWS

DocumentId = Annotated[str, typer.Argument(help="Document id (or a unique prefix of 8+)")]


def show(document_id: DocumentId,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A document's fields, with page, box and confidence for each, and its text."""
    ctx = context()
    outcome = found(lambda: casework.show(ctx, document_id), f"no document {document_id!r}")
    if as_json:
        render.emit(DocumentOut.of(outcome))
    else:
        render.document(outcome)


def pdf(
    document_id: DocumentId,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF")],
) -> None:
    """Save a document's searchable PDF (page images with an invisible text layer)."""
    ctx = context()
    data = found(lambda: casework.searchable_pdf(ctx, document_id),
                 f"no searchable PDF of document {document_id!r}")
    output.write_bytes(data)
    render.say(f"wrote {output} ({len(data)} bytes)")


def entities(
    text: Annotated[str | None, typer.Argument(help="Text the entity contains")] = None,
    label: Annotated[str | None, typer.Option(
        help="PERSON, DATE, GPE, NORP, ORG, HO_REF or POSTCODE")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIST_ROWS)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Entities found in free text (letters, notes, minutes), by label and/or text."""
    ctx = context()
    with exits():
        hits = casework.entities(ctx, label=label, text=text, limit=limit, offset=offset)
    if as_json:
        render.emit_all(EntityHitOut.of(h) for h in hits)
    else:
        render.entities(hits)


def pairs(
    query: Annotated[str, typer.Argument(
        help="'key: value' as printed, e.g. 'place of birth: Kabul' (either part may be left "
             "out; case and spacing ignored)")],
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIST_ROWS)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Key-value pairs printed on form pages, case fields or not."""
    ctx = context()
    with exits():
        hits = casework.pairs(ctx, query, limit=limit, offset=offset)
    if as_json:
        render.emit_all(PairHitOut.of(h) for h in hits)
    else:
        render.pairs(hits)
