"""The index: documents, their pages, fields and entities, batches, search and reports.

SQLite (the embedded default, full text by FTS5) and PostgreSQL (tsvector with GIN) run
the same models and the same Alembic migrations. Beside each document it keeps a case
row, a name lexicon and report counts, written in the document's own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final, Self

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import StoreUnavailable
from storage.index import batch_files, reports
from storage.index import models as orm  # the ORM classes, named orm.X where used
from storage.index import persons as linking
from storage.index import search as searching
from storage.index.accounts import Accounts
from storage.index.audit import AuditLog
from storage.index.bulk import insert_many
from storage.index.case_rows import CaseColumn, case_row_from_fields, check_columns
from storage.index.case_tables import add_cases, replace_case
from storage.index.fields_queries import add_correction, count_review, find_entities, review_queue
from storage.index.fulltext import add_pages, check_query
from storage.index.mapping import (
    as_utc,
    batch_row,
    correction_row,
    document_model,
    document_row,
    document_values,
    entity_values,
    event_values,
    field_row,
    field_values,
    page_values,
    pair_values,
)
from storage.index.pairs_queries import find_pairs
from storage.index.person_records import (
    JudgementRow,
    LinkPairRow,
    LinkRunRow,
    LinkWrite,
    MemberRow,
    PersonCounts,
    PersonDetail,
    TwoPeopleRow,
)
from storage.index.reconciliations import Reconciliations
from storage.index.records import (
    BatchCounts,
    BatchFileRow,
    BatchRow,
    CorrectionRow,
    CountRow,
    DocumentRow,
    EntityHit,
    FailedOriginal,
    PairHit,
    QualityRow,
    ReviewItem,
    SearchFilters,
    SearchHit,
)
from storage.index.schema import upgrade
from storage.index.units import WorkUnits
from storage.index.window import MAX_BATCHES, MAX_SEARCH_HITS, check_window

MIN_ID_PREFIX: Final = 8
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
# Page cache a connection (KiB): the case and field indexes are keyed by random document
# ids, so a bulk load touches pages all over them; SQLite's default 2 MB re-reads them.
SQLITE_CACHE_KIB: Final = 65_536


class Index:
    """The searchable record of every stored document and every batch run."""

    def __init__(self, url: str, *, case_columns: Sequence[CaseColumn]) -> None:
        """Open (creating or migrating) the index at `url`. `case_columns` says which
        field fills which case-row column: the fields are the caller's, not storage's."""
        self._columns = check_columns(case_columns)
        self.url = masked_url(url)
        self._engine = _open_engine(url, self.url)
        self._fts = self._engine.dialect.name == "sqlite"
        self._pg = self._engine.dialect.name == "postgresql"
        try:
            upgrade(self._engine, self._columns)
        except (SQLAlchemyError, OSError) as exc:
            self._engine.dispose()
            raise StoreUnavailable(f"cannot open index {self.url}: {_reason(exc)}") from exc
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Index({self.url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every database connection."""
        self._engine.dispose()

    @property
    def units(self) -> WorkUnits:
        """The work units: what ingest work is done (issue 12's workers)."""
        return WorkUnits(self._engine, self.url)

    @property
    def accounts(self) -> Accounts:
        """Users, sessions and bearer tokens (issue 14)."""
        return Accounts(self._engine)

    @property
    def audit(self) -> AuditLog:
        """The append-only audit log (issue 14)."""
        return AuditLog(self._engine, self.url)

    @property
    def reconciliation(self) -> Reconciliations:
        """Exports of the case database and the findings against the paper (issue 15)."""
        return Reconciliations(self._engine, self.url)

    def has_document(self, sha256: str) -> bool:
        """Return True if a document with these original bytes is indexed."""
        with self._session() as session:
            return _sha256_taken(session, sha256)

    def add_document(self, doc: DocumentRow) -> bool:
        """Index `doc` with its pages, fields, entities and search rows, all or nothing.

        Returns False, changing nothing, if a document with the same sha256 is already
        indexed. Call it only once the document's objects are stored and verified;
        `storage.verified.index_verified` does that check and then calls this.
        """
        _check_document(doc)
        created_at = doc.created_at or datetime.now(UTC)
        try:
            with self._session() as session:
                taken = _taken_sha256s(session, doc)
                if doc.sha256 in taken:
                    return False
                if taken:
                    raise ValueError(
                        f"document id {doc.document_id!r} is already indexed with another sha256"
                    )
                session.add(document_model(doc, created_at))
                session.flush()
                conn = session.connection()
                self._index_text(conn, [doc])
                case = case_row_from_fields(doc.fields, doc.corrections, self._columns)
                add_cases(conn, [(doc.document_id, case)])
        except IntegrityError:
            if self.has_document(doc.sha256):  # another writer indexed it meanwhile
                return False
            raise
        return True

    def add_documents(self, docs: Sequence[DocumentRow]) -> int:
        """Index many documents in one transaction (bulk loads); return how many were new.

        Documents whose sha256 is already indexed (or repeated) are skipped; the same promise as
        `add_document`: call it only for documents whose objects are stored and verified.
        """
        for doc in docs:
            _check_document(doc)
        now = as_utc(datetime.now(UTC))
        with self._session() as session:
            conn = session.connection()
            taken = set(conn.execute(select(orm.DocumentModel.sha256).where(
                orm.DocumentModel.sha256.in_([d.sha256 for d in docs]))).scalars())
            fresh = list({d.sha256: d for d in docs if d.sha256 not in taken}.values())
            if not fresh:
                return 0
            _bulk_rows(conn, fresh, now, self._pg)
            self._index_text(conn, fresh, bulk=True)
            add_cases(conn, [(d.document_id, case_row_from_fields(d.fields, (), self._columns))
                             for d in fresh])
            return len(fresh)

    def _index_text(self, conn: Connection, docs: Sequence[DocumentRow], bulk: bool = False
                    ) -> None:
        """Make the documents' pages findable: FTS5 rows, or PostgreSQL's tsvectors."""
        if self._fts:
            rows = [{"text": p.text, "doc": d.document_id, "page": p.number}
                    for d in docs for p in d.pages]
            add_pages(conn, rows)
        elif self._pg and not bulk:  # bulk rows get their vector as they are inserted
            vector = func.to_tsvector(searching.pg_config(), orm.PageModel.text)
            ids = [d.document_id for d in docs]
            conn.execute(update(orm.PageModel).where(orm.PageModel.document_id.in_(ids))
                         .values(tsv=vector))

    def get_document(self, document_id: str) -> DocumentRow | None:
        """Return the document with this id or unique id prefix (at least 8 characters)."""
        ident = document_id.strip()
        if not ident:
            raise ValueError("document id is empty")
        with self._session() as session:
            model = session.get(orm.DocumentModel, ident)
            if model is None:
                model = _by_prefix(session, ident)
            return None if model is None else document_row(model)

    def start_batch(self, name: str) -> int:
        """Open a new batch called `name` (names may repeat) and return its id."""
        with self._session() as session:
            batch = orm.BatchModel(name=name, created_at=datetime.now(UTC))
            session.add(batch)
            session.flush()
            return batch.id

    def record_file(self, batch_id: int, row: BatchFileRow) -> None:
        """Append the outcome of one file to a batch, failures included."""
        with self._session() as session:
            batch = select(orm.BatchModel.id).where(orm.BatchModel.id == batch_id)
            if session.scalar(batch) is None:
                raise ValueError(f"no batch with id {batch_id} in index {self.url}")
            session.execute(insert(orm.BatchFileModel).values(_batch_file_values(batch_id, row)))

    def start_batch_with(self, name: str, files: Sequence[BatchFileRow], *,
                         separator: str | None = None, separator_code: str | None = None,
                         runner: str | None = None,
                         owner: str | None = None) -> tuple[int, list[int]]:
        """Open a batch and register every file it was given, in one transaction, so a
        batch never exists without its files; return its id and the files' positions.
        `owner` is the user who uploaded it."""
        with self._session() as session:
            batch = orm.BatchModel(name=name, created_at=datetime.now(UTC),
                                   separator=separator, separator_code=separator_code,
                                   runner=runner, owner=owner)
            session.add(batch)
            session.flush()
            return batch.id, batch_files.register(session, batch.id, files)

    def register_files(self, batch_id: int, files: Sequence[BatchFileRow]) -> list[int]:
        """Append files to a batch (queued, or already failed with their reason)."""
        with self._session() as session:
            return batch_files.register(session, batch_id, files)

    def set_file_state(self, batch_id: int, position: int, state: str, *,
                       sha256: str | None = None, document_id: str | None = None,
                       error: str | None = None, duplicate: bool | None = None,
                       pages_total: int | None = None, pages_done: int | None = None,
                       original_key: str | None = None,
                       origin_pages: str | None = None) -> None:
        """Move one file of a batch to `state` (one of FILE_STATES); given values are set."""
        given = {"sha256": sha256, "document_id": document_id, "error": error,
                 "duplicate": duplicate, "pages_total": pages_total,
                 "pages_done": pages_done, "original_key": original_key,
                 "origin_pages": origin_pages}
        changes = {k: v for k, v in given.items() if v is not None}
        with self._session() as session:
            batch_files.set_state(session, batch_id, position, state, changes)

    def add_pages_done(self, batch_id: int, position: int, pages: int = 1) -> None:
        """Count pages of one file of a batch as read."""
        with self._session() as session:
            batch_files.add_pages_done(session, batch_id, position, pages)

    def pages_from_units(self, sha256: str, version: str) -> None:
        """Count the open files with these bytes as read up to their page units done."""
        with self._session() as session:
            batch_files.pages_from_units(session, sha256, version)

    def open_files(self, sha256: str) -> list[tuple[int, BatchFileRow]]:
        """Files with these bytes still processing, in any batch: (batch id, file row)."""
        with self._session() as session:
            return batch_files.open_files(session, sha256)

    def finish_batch_if_settled(self, batch_id: int) -> None:
        """Note the batch's end if none of its files is queued or processing any more."""
        with self._session() as session:
            batch_files.finish_if_settled(session, batch_id)

    def set_batch_runner(self, batch_id: int, runner: str) -> None:
        """Note which process now runs the batch (host:pid:start)."""
        with self._session() as session:
            session.execute(update(orm.BatchModel).where(orm.BatchModel.id == batch_id)
                            .values(runner=runner))

    def finish_batch(self, batch_id: int) -> None:
        """Note that the run of a batch came to its end (every file was dealt with)."""
        with self._session() as session:
            session.execute(update(orm.BatchModel).where(orm.BatchModel.id == batch_id)
                            .values(finished_at=datetime.now(UTC)))

    def batch_counts(self, batch_id: int) -> BatchCounts | None:
        """A batch's progress, by counting its file rows."""
        with self._session() as session:
            return batch_files.counts(session, batch_id)

    def find_batch(self, name: str, *, owner: str | None = None) -> int | None:
        """The id of the newest batch called `name` (or whose id `name` is), or None;
        with `owner`, only that user's batches are looked at."""
        with self._session() as session:
            return batch_files.find(session, name, owner)

    def set_batch_owner(self, batch_id: int, owner: str) -> None:
        """Note who uploaded a batch (a scanner sees only their own)."""
        with self._session() as session:
            session.execute(update(orm.BatchModel).where(orm.BatchModel.id == batch_id)
                            .values(owner=owner))

    def failed_originals(self, limit: int = 100) -> list[FailedOriginal]:
        """Failed files whose content is not indexed (their originals may be stored)."""
        with self._session() as session:
            return batch_files.failed_originals(session, limit)

    def get_batch(self, batch_id: int) -> BatchRow | None:
        """Return the batch with its files in recording order, or None."""
        with self._session() as session:
            model = session.get(orm.BatchModel, batch_id)
            return None if model is None else batch_row(model)

    def list_batches(self, limit: int = 50, *, owner: str | None = None) -> list[BatchRow]:
        """Return up to `limit` batches, newest first, each with its files; with `owner`,
        only that user's."""
        check_window("batch list", limit, most=MAX_BATCHES)
        with self._session() as session:
            query = select(orm.BatchModel).order_by(orm.BatchModel.id.desc()).limit(limit)
            if owner is not None:
                query = query.where(orm.BatchModel.owner == owner)
            return [batch_row(model) for model in session.scalars(query)]

    def search(self, query: str = "", *, filters: SearchFilters | None = None,
               limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Pages matching every word of `query` and cases matching `filters`, best first.

        Any user text is safe: it is searched for as words, never parsed as query
        syntax. Raises ValueError for an over-long query or a bad window.
        """
        check_window("search", limit, offset, most=MAX_SEARCH_HITS)
        check_query(query)
        for name in ("surname", "given_names", "reference"):
            check_query(getattr(filters, name, None) or "")
        with self._session() as session:
            return searching.search(session.connection(), query, filters or SearchFilters(),
                                    limit, offset)

    def counts(self, group_by: Sequence[str], *, application_type: str | None = None,
               decision: str | None = None, year: int | None = None,
               permission_to_work: bool | None = None) -> list[CountRow]:
        """Case counts by any of application_type, decision, year, permission_to_work."""
        with self._session() as session:
            return reports.counts(session.connection(), group_by,
                                  application_type=application_type, decision=decision,
                                  year=year, permission_to_work=permission_to_work)

    def permission_granted(self, year: int, *,
                           application_type: str | None = None) -> tuple[int, int]:
        """Files granted permission to work in `year` by the grant's date, and files
        granted it with no date anywhere (issue 11)."""
        with self._session() as session:
            return reports.permission_granted(session.connection(), year, application_type)

    def data_quality(self, field_names: Sequence[str], *,
                     batch_id: int | None = None) -> list[QualityRow]:
        """Per batch and field: documents, values present, missing and to review."""
        with self._session() as session:
            return reports.data_quality(session.connection(), field_names, batch_id)

    def review_queue(self, *, limit: int = 50, offset: int = 0,
                     document_id: str | None = None) -> list[ReviewItem]:
        """Fields awaiting a person's review and not yet corrected, oldest document first."""
        with self._session() as session:
            return review_queue(session, limit, offset, document_id)

    def count_review(self) -> int:
        """How many fields await review."""
        with self._session() as session:
            return count_review(session)

    def add_correction(self, row: CorrectionRow) -> CorrectionRow:
        """Append a person's correction; the extracted value and earlier corrections stay.

        The document's case row, name lexicon and report counts follow in the same
        transaction, so search and reports see the corrected value at once.
        """
        with self._session() as session:
            made = add_correction(session, row)
            conn = session.connection()
            fields = session.scalars(select(orm.FieldModel).where(
                orm.FieldModel.document_id == row.document_id)).all()
            corrections = session.scalars(select(orm.CorrectionModel).where(
                orm.CorrectionModel.document_id == row.document_id
            ).order_by(orm.CorrectionModel.id)).all()
            replace_case(conn, row.document_id, case_row_from_fields(
                [field_row(f) for f in fields], [correction_row(c) for c in corrections],
                self._columns))
            return made

    def find_entities(self, *, label: str | None = None, text: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[EntityHit]:
        """Stored entities by label and/or text, with the documents they are in."""
        with self._session() as session:
            return find_entities(session, label, text, limit, offset)

    def identity_documents(self, names: Sequence[str], *, after: str | None = None,
                           limit: int = 500) -> list[DocumentRow]:
        """Documents in id order after `after`, with only the fields `names` (and their
        corrections) and the pages: how a linking run reads the whole index."""
        with self._session() as session:
            return linking.identity_documents(session, after, limit, names)

    def write_links(self, result: LinkWrite) -> LinkRunRow:
        """Replace the model's previous persons, links and flags with `result`, all or
        nothing. Judgements are never touched (ValueError for a result naming unknown
        documents or holding a document twice)."""
        with self._session() as session:
            return linking.write_links(session, result)

    def add_judgement(self, row: JudgementRow) -> JudgementRow:
        """Append a person's link decision (who, when, why); earlier ones stay."""
        with self._session() as session:
            return linking.add_judgement(session, row)

    def judgements(self, document_ids: Sequence[str] | None = None) -> list[JudgementRow]:
        """Every link decision people made, in order (or those touching `document_ids`)."""
        with self._session() as session:
            return linking.judgements(session, document_ids)

    def person_export(self, *, after: str | None = None, limit: int = 500) -> list[MemberRow]:
        """Documents in id order after `after`, each with its person and link status."""
        with self._session() as session:
            return linking.export(session, after, limit)

    def members_of(self, document_ids: Sequence[str]) -> list[MemberRow]:
        """These documents with their persons, in the order given."""
        with self._session() as session:
            return linking.members_of(session, document_ids)

    def person(self, person_id: str) -> PersonDetail | None:
        """One person with the evidence of every link and every decision touching it."""
        with self._session() as session:
            return linking.person(session, person_id)

    def link_review(self, *, limit: int = 50, offset: int = 0) -> list[LinkPairRow]:
        """Pairs in the review band that no person has judged yet, strongest first."""
        with self._session() as session:
            return linking.review_pairs(session, limit, offset)

    def pairs_between(self, left: Sequence[str], right: Sequence[str]) -> list[LinkPairRow]:
        """The model's evidence on pairs with one document in `left`, the other in `right`."""
        with self._session() as session:
            return linking.pairs_between(session, left, right)

    def add_page_hashes(self, rows: Sequence[tuple[str, int, str]]) -> None:
        """Keep perceptual hashes of pages (document id, page, hash) for rescan checks."""
        with self._session() as session:
            linking.add_page_hashes(session, rows)

    def page_hashes(self, document_ids: Sequence[str]) -> dict[str, tuple[tuple[int, str], ...]]:
        """The kept page hashes of these documents: (page, hash) in page order."""
        with self._session() as session:
            return linking.page_hashes(session, document_ids)

    def count_link_review(self) -> int:
        with self._session() as session:
            return linking.count_review_pairs(session)

    def two_people(self, *, limit: int = 50, offset: int = 0) -> list[TwoPeopleRow]:
        """Documents flagged as holding two people."""
        with self._session() as session:
            return linking.two_people_queue(session, limit, offset)

    def count_two_people(self) -> int:
        with self._session() as session:
            return linking.count_two_people(session)

    def person_counts(self) -> PersonCounts:
        """Documents, persons, and documents by link status."""
        with self._session() as session:
            return linking.counts(session)

    def link_state(self) -> LinkWrite:
        """The model's decisions as the last run kept them (what an incremental run
        starts from)."""
        with self._session() as session:
            return linking.state(session)

    def last_link_run(self) -> LinkRunRow | None:
        with self._session() as session:
            return linking.last_run(session)
    def find_pairs(self, query: str, *, limit: int = 50, offset: int = 0) -> list[PairHit]:
        """Stored key-value pairs matching "key: value" (either part may be left out),
        with the documents they are in."""
        with self._session() as session:
            return find_pairs(session, query, limit, offset)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """Yield a session in one transaction; database failures become StoreUnavailable."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise StoreUnavailable(f"index {self.url} failed: {_reason(exc)}") from exc


def masked_url(url: str) -> str:
    """Return `url` with any password replaced by ***, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", url)


def _open_engine(url: str, shown: str) -> Engine:
    """Create the engine; on SQLite every connection gets WAL, foreign keys and a busy wait."""
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreUnavailable(f"cannot open index {shown}: {_reason(exc)}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Turn on foreign keys and WAL (readers never block the writer) for a new connection,
    with a page cache fit for bulk loads."""
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _reason(exc: BaseException) -> str:
    """The driver's own message when there is one, without SQLAlchemy's SQL dump."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc)


def _sha256_taken(session: Session, sha256: str) -> bool:
    query = select(orm.DocumentModel.document_id).where(orm.DocumentModel.sha256 == sha256).limit(1)
    return session.scalar(query) is not None


def _taken_sha256s(session: Session, doc: DocumentRow) -> set[str]:
    """The sha256s of indexed documents sharing `doc`'s sha256 or id, read in one snapshot."""
    query = select(orm.DocumentModel.sha256).where(
        or_(orm.DocumentModel.sha256 == doc.sha256,
            orm.DocumentModel.document_id == doc.document_id)
    )
    return set(session.scalars(query))


def _by_prefix(session: Session, prefix: str) -> orm.DocumentModel | None:
    """Find the one document whose id starts with `prefix` (case-sensitive on every dialect)."""
    if len(prefix) < MIN_ID_PREFIX:
        raise ValueError(
            f"document id prefix {prefix!r} is too short; give at least {MIN_ID_PREFIX} characters"
        )
    starts = func.substr(orm.DocumentModel.document_id, 1, len(prefix)) == prefix
    ids = list(session.scalars(select(orm.DocumentModel.document_id).where(starts).limit(3)))
    if len(ids) > 1:
        shown = ", ".join(ids[:2]) + (", ..." if len(ids) > 2 else "")
        raise ValueError(f"document id prefix {prefix!r} is ambiguous: matches {shown}")
    return session.get(orm.DocumentModel, ids[0]) if ids else None


def _check_document(doc: DocumentRow) -> None:
    """Refuse a document the tables could not hold, before anything is written."""
    if not doc.document_id or not doc.sha256:
        raise ValueError(f"document from {doc.source!r} needs a document_id and a sha256")
    numbers = [page.number for page in doc.pages]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"document {doc.document_id} has repeated page numbers {numbers}")
    names = [(field.name, field.candidate) for field in doc.fields]
    if len(set(names)) != len(names):
        raise ValueError(f"document {doc.document_id} has repeated field values {names}")


def _bulk_rows(conn: Connection, docs: Sequence[DocumentRow], now: datetime, pg: bool) -> None:
    """Insert documents, pages, fields and entities with one statement per table."""
    insert_many(conn, orm.DocumentModel.__table__, [
        document_values(d, d.created_at or now) for d in docs])
    vector = {"tsv": f"to_tsvector({searching.PG_REGCONFIG}, u.\"text\")"} if pg else None
    insert_many(conn, orm.PageModel.__table__, [
        {"document_id": d.document_id, **page_values(p)} for d in docs for p in d.pages],
        computed=vector)
    insert_many(conn, orm.FieldModel.__table__, [
        {"document_id": d.document_id, "name": f.name, "position": n, **field_values(f)}
        for d in docs for n, f in enumerate(d.fields)])
    insert_many(conn, orm.EntityModel.__table__, [
        {"document_id": d.document_id, **entity_values(e)} for d in docs for e in d.entities])
    insert_many(conn, orm.PairModel.__table__, [
        {"document_id": d.document_id, **pair_values(p)} for d in docs for p in d.pairs])
    insert_many(conn, orm.EventModel.__table__, [
        {"document_id": d.document_id, **event_values(e)} for d in docs for e in d.events])


def _batch_file_values(batch_id: int, row: BatchFileRow) -> dict[str, object]:
    """Column values for one file outcome; its position is computed in the same statement."""
    next_position = (
        select(func.coalesce(func.max(orm.BatchFileModel.position) + 1, 0))
        .where(orm.BatchFileModel.batch_id == batch_id)
        .scalar_subquery()
    )
    return {
        "batch_id": batch_id,
        "position": next_position,
        "source": row.source,
        "sha256": row.sha256,
        "document_id": row.document_id,
        "status": row.status,
        "error": row.error,
        "duplicate": row.duplicate,
        "created_at": as_utc(datetime.now(UTC)),
        "updated_at": as_utc(datetime.now(UTC)),
        "finished_at": as_utc(datetime.now(UTC)),
    }
