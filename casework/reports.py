"""Reports for analysts: counts by group, permission to work, data quality; small counts
suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from casework.context import unavailable_as_setup_error
from extraction.fields import CASE_FIELDS
from ingest.chain import IngestContext

SUPPRESSED = "<{n}"


@dataclass(frozen=True)
class Report:
    """A report table: column names and rows; small counts already suppressed."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def as_dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def suppress(count: int, min_count: int) -> int | str:
    """Counts from 1 to min_count-1 are shown as "<min_count", as official statistics do:
    a small cell can identify a person. Zero is shown as zero."""
    return SUPPRESSED.format(n=min_count) if 0 < count < min_count else count


def counts(ctx: IngestContext, group_by: Sequence[str], *, min_count: int,
           application_type: str | None = None, decision: str | None = None,
           year: int | None = None, permission_to_work: bool | None = None) -> Report:
    """Cases by any of application_type, decision, year and permission_to_work."""
    with unavailable_as_setup_error():
        rows = ctx.index.counts(group_by, application_type=application_type,
                                decision=decision, year=year,
                                permission_to_work=permission_to_work)
    return Report("cases", (*group_by, "cases"),
                  tuple((*row.group, suppress(row.cases, min_count)) for row in rows))


def permission_to_work(ctx: IngestContext, year: int, *, min_count: int,
                       application_type: str = "asylum") -> Report:
    """How many `application_type` applicants decided in `year` were granted permission
    to work, beside how many were decided in all (and how many the papers do not say);
    then, by the date of the grant itself, how many files were granted permission to work
    in `year` (`granted_in_year`: a letter, minute or note states the grant and its date)
    and how many say it was granted but nowhere say when (`granted_date_unknown`, all
    years: a form's "Yes" has no date)."""
    with unavailable_as_setup_error():
        rows = ctx.index.counts(["permission_to_work"], application_type=application_type,
                                year=year)
        in_year, undated = ctx.index.permission_granted(year, application_type=application_type)
    by = {row.group[0]: row.cases for row in rows}
    decided = sum(by.values())
    return Report(
        f"{application_type} applicants decided in {year}: permission to work",
        ("application_type", "year", "granted_permission_to_work", "refused_permission",
         "not_recorded", "decided", "granted_in_year", "granted_date_unknown"),
        ((application_type, year, suppress(by.get("yes", 0), min_count),
          suppress(by.get("no", 0), min_count), suppress(by.get(None, 0), min_count),
          suppress(decided, min_count), suppress(in_year, min_count),
          suppress(undated, min_count)),))


def data_quality(ctx: IngestContext, *, min_count: int,
                 batch_id: int | None = None) -> Report:
    """Per batch and case field: documents, values present, missing, to review."""
    with unavailable_as_setup_error():
        rows = ctx.index.data_quality(CASE_FIELDS, batch_id=batch_id)
    return Report("data quality", ("batch_id", "batch", "field", "documents", "present",
                                   "missing", "needs_review"),
                  tuple((r.batch_id, r.batch, r.field, *(suppress(n, min_count) for n in (
                      r.documents, r.present, r.missing, r.needs_review))) for r in rows))


def persons(ctx: IngestContext, *, min_count: int) -> Report:
    """How many people the files hold: documents, persons (a document no run has linked
    counts as a person of its own), and documents by link status."""
    with unavailable_as_setup_error():
        found = ctx.index.person_counts()
    statuses = tuple(s for s, _n in found.by_status)
    return Report("persons", ("documents", "persons", *statuses),
                  ((suppress(found.documents, min_count), suppress(found.persons, min_count),
                    *(suppress(n, min_count) for _s, n in found.by_status)),))
