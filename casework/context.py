"""The store and index a query (or an ingest) works on, opened once from plain settings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace

from extraction.extract import ExtractOptions
from extraction.fields import FIELDS, FieldSpec
from ingest.chain import IngestContext
from ingest.errors import SetupError
from ingest.limits import Limits
from ocr.pipeline import OcrOptions
from storage.errors import StorageError
from storage.index import CaseColumn, Index
from storage.objects import open_object_store


def open_context(store_spec: str, index_url: str, *, ocr: OcrOptions | None = None,
                 extract: ExtractOptions | None = None, limits: Limits | None = None,
                 lang: str | None = None,
                 min_confidence: float | None = None) -> IngestContext:
    """Open (creating if new) the object store and index an ingest or a query works on.

    `lang` and `min_confidence` are shorthands for the callers (the API layer) that
    hold plain settings rather than stage options.
    """
    ocr = ocr or OcrOptions()
    extract = extract or ExtractOptions()
    if lang is not None:
        ocr = replace(ocr, lang=lang)
    if min_confidence is not None:
        extract = replace(extract, min_confidence=min_confidence)
    try:
        store = open_object_store(store_spec)
        index = Index(index_url, case_columns=case_columns(extract.fields))
    except (StorageError, ValueError) as exc:
        raise SetupError(str(exc)) from exc
    return IngestContext(store=store, index=index, ocr=ocr, extract=extract,
                         limits=limits or Limits())


def case_columns(fields: tuple[FieldSpec, ...] = FIELDS) -> tuple[CaseColumn, ...]:
    """The index's case-row columns, as the fields declare them (a field without a
    column is still stored and searched, on its field rows)."""
    return tuple(CaseColumn(f.name, f.column, f.column_kind) for f in fields if f.column)


@contextlib.contextmanager
def unavailable_as_setup_error() -> Iterator[None]:
    """A database that went away mid-query is the same clear error as one that never came."""
    try:
        yield
    except StorageError as exc:
        raise SetupError(str(exc)) from exc
