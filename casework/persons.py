"""Persons: export, search, show, the link review queue, reviewers' decisions, and the
linking run over the whole index. The CLI and the HTTP routes call these same functions.

A person is a cluster of documents with the evidence of every link; no value is merged.
Reviewers' decisions are appended with who, when and why, and every run reads them all,
so no model run undoes a person's decision.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from casework.identities import (
    IDENTITY_FIELDS,
    document_identity,
    judgement,
    link_result,
    link_write,
)
from casework.page_hashes import page_hashes
from identity.link import link as identity_link
from identity.link import link_new as identity_link_new
from identity.records import DocumentIdentity, LinkResult
from identity.settings import LinkSettings
from ingest.chain import IngestContext
from storage.index.person_records import (
    JUDGEMENT_ACTIONS,
    JudgementRow,
    LinkPairRow,
    LinkRunRow,
    MemberRow,
    PersonDetail,
    TwoPeopleRow,
)
from storage.index.records import FieldRow, SearchFilters
from storage.index.window import MAX_LIST_ROWS, MAX_SEARCH_HITS

READ_CHUNK: Final = MAX_LIST_ROWS  # documents read from the index at a time


@dataclass(frozen=True)
class PersonHit:
    """A person found by a search, with the documents of it that matched (a document
    that no run has linked yet is shown as a person of its own, `person_id` None)."""

    person_id: str | None
    status: str
    documents: tuple[MemberRow, ...]


@dataclass(frozen=True)
class PersonView:
    """A person as a caseworker reads it: the stored evidence and, per document, the
    identifying values read from its pages."""

    detail: PersonDetail
    values: tuple[tuple[str, tuple[FieldRow, ...]], ...]  # (document id, its values)


@dataclass(frozen=True)
class LinkReview:
    """What waits for a reviewer: pairs in the review band and two-people flags."""

    pairs: tuple[LinkPairRow, ...]
    two_people: tuple[TwoPeopleRow, ...]
    total_pairs: int
    total_two_people: int


def export(ctx: IngestContext) -> Iterator[MemberRow]:
    """Every document with its person and link status, in document id order."""
    after: str | None = None
    while True:
        rows = ctx.index.person_export(after=after, limit=READ_CHUNK)
        yield from rows
        if len(rows) < READ_CHUNK:
            return
        after = rows[-1].document_id


def search(ctx: IngestContext, filters: SearchFilters, *, limit: int = 50) -> list[PersonHit]:
    """Persons with a document matching `filters` (names fuzzily, the rest exactly)."""
    if filters.is_empty():
        raise ValueError("give a name, date of birth or reference to search persons by")
    hits = ctx.index.search("", filters=filters, limit=MAX_SEARCH_HITS)
    members = ctx.index.members_of(list(dict.fromkeys(h.document_id for h in hits)))
    found: dict[str, list[MemberRow]] = {}
    for m in members:
        found.setdefault(m.person_id or m.document_id, []).append(m)
    return [PersonHit(docs[0].person_id, _person_status(docs), tuple(docs))
            for docs in list(found.values())[:limit]]


def _person_status(docs: Sequence[MemberRow]) -> str:
    """The most urgent status among a person's documents."""
    order = ("flagged_two_people", "needs_review", "linked", "unlinked")
    return min((d.status for d in docs), key=order.index)


def show(ctx: IngestContext, ident: str) -> PersonView | None:
    """A person by its id, or the person a document (id or 8+ prefix) belongs to."""
    detail = ctx.index.person(ident.strip())
    if detail is None:
        person_id = _person_of_document(ctx, ident)
        detail = ctx.index.person(person_id) if person_id else None
    if detail is None:
        return None
    values = []
    for m in detail.members:
        row = ctx.index.get_document(m.document_id)
        fields = tuple(f for f in row.fields if f.name in IDENTITY_FIELDS) if row else ()
        values.append((m.document_id, fields))
    return PersonView(detail, tuple(values))


def _person_of_document(ctx: IngestContext, ident: str) -> str | None:
    try:
        row = ctx.index.get_document(ident)
    except ValueError:
        return None  # neither a person nor a usable document id
    if row is None:
        return None
    members = ctx.index.members_of([row.document_id])
    return members[0].person_id if members else None


def review_links(ctx: IngestContext, *, limit: int = 50, offset: int = 0) -> LinkReview:
    """Pairs in the review band no one has judged (strongest first), and two-people flags."""
    return LinkReview(tuple(ctx.index.link_review(limit=limit, offset=offset)),
                      tuple(ctx.index.two_people(limit=limit, offset=offset)),
                      ctx.index.count_link_review(), ctx.index.count_two_people())


def judge(ctx: IngestContext, action: str, left: str, right: str, *, by: str,
          why: str) -> JudgementRow:
    """Record a reviewer's decision on two documents or persons, with who and why.

    `confirm`: they are one person; `split`: take `left` out of the person it shares
    with `right`; `never`: they are different people, for every later run. A person id
    stands for the document of it that the model compared with the other side (the
    review pair first), else its first document; the model reads a `never` between two
    documents as between their persons. It is appended, never overwriting, and takes
    effect at the next linking run."""
    if action not in JUDGEMENT_ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(JUDGEMENT_ACTIONS)}")
    one, other = _documents_of(ctx, left), _documents_of(ctx, right)
    first, second = _compared(ctx, one, other)
    return ctx.index.add_judgement(JudgementRow(
        action, first, second, by.strip(), datetime.now(UTC), why.strip()))


def _documents_of(ctx: IngestContext, ident: str) -> tuple[str, ...]:
    """A document id (or unique prefix), or a person id standing for its documents."""
    detail = ctx.index.person(ident.strip())
    if detail is not None:
        return detail.person.documents
    row = ctx.index.get_document(ident)
    if row is None:
        raise LookupError(f"no document or person {ident!r}")
    return (row.document_id,)


def _compared(ctx: IngestContext, left: Sequence[str], right: Sequence[str]) -> tuple[str, str]:
    """The two documents a decision is recorded on: a compared pair across the two sides
    if there is one (review pairs first, then the strongest), else the first of each."""
    if len(left) > 1 or len(right) > 1:
        across = ctx.index.pairs_between(left, right)
        if across:
            best = max(across, key=lambda p: (p.review, p.match_weight))
            return (best.left, best.right) if best.left in left else (best.right, best.left)
    return left[0], right[0]


def identities(ctx: IngestContext) -> list[DocumentIdentity]:
    """Every indexed document's identifying values, in document id order."""
    out: list[DocumentIdentity] = []
    after: str | None = None
    while True:
        rows = ctx.index.identity_documents(list(IDENTITY_FIELDS), after=after,
                                            limit=READ_CHUNK)
        hashes = page_hashes(ctx, rows)
        out.extend(document_identity(r, hashes.get(r.document_id, ())) for r in rows)
        if len(rows) < READ_CHUNK:
            return out
        after = rows[-1].document_id


def write_result(ctx: IngestContext, result: LinkResult) -> LinkRunRow:
    """Keep a run's result: the model's previous decisions are replaced, judgements stay."""
    return ctx.index.write_links(link_write(result))


def link_new_documents(ctx: IngestContext, settings: LinkSettings | None = None
                       ) -> LinkRunRow:
    """Link the documents no run has seen yet against the persons already kept (after a
    batch): only pairs with a new document are scored, kept persons grow and are never
    undone (a person a reviewer split since is linked again). With nothing kept yet, a
    whole run."""
    if ctx.index.last_link_run() is None:
        return link(ctx, settings)
    unseen = {m.document_id for m in export(ctx) if m.person_id is None}
    documents = identities(ctx)
    new = [d for d in documents if d.document_id in unseen]
    old = [d for d in documents if d.document_id not in unseen]
    decided = [judgement(j) for j in ctx.index.judgements()]
    previous = link_result(ctx.index.link_state())
    return write_result(ctx, identity_link_new(new, old, decided, settings or LinkSettings(),
                                               previous))


def link(ctx: IngestContext, settings: LinkSettings | None = None) -> LinkRunRow:
    """Link every indexed document into persons, reading every judgement people made."""
    documents = identities(ctx)
    decided = [judgement(j) for j in ctx.index.judgements()]
    return write_result(ctx, identity_link(documents, decided, settings or LinkSettings()))
