"""Search: free text over pages plus fielded filters over the case rows.

Free text runs on the dialect's own machinery (FTS5 bm25 on SQLite, tsvector with GIN
and ts_rank_cd on PostgreSQL); names match through the deletion-neighbourhood lexicon
(`names`, `name_variants`) ranked by edit distance, then how common the name is.
Without free text a hit is the case itself, on the page and box of its best field.
On PostgreSQL a search by one name and exact filters runs as one statement
(`pg_names`), the same rule in SQL: each round trip to a busy server costs more than
the work, so the lexicon, the turns and the boxes are not fetched one after another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz.distance import Levenshtein
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)

from storage.index.case_rows import MAX_NAME_EDITS, deletion_variants, name_key, normal_reference
from storage.index.fulltext import (
    SNIPPET_CLOSE,
    SNIPPET_ELLIPSIS,
    SNIPPET_OPEN,
    SNIPPET_TOKENS,
    match_query,
    query_words,
)
from storage.index.mapping import field_bbox
from storage.index.models import (
    BatchFileModel,
    CaseModel,
    CorrectionModel,
    DocumentModel,
    FieldModel,
    NameModel,
    NameVariantModel,
    PageModel,
)
from storage.index.pg_names import name_case_rows
from storage.index.records import BBox, SearchFilters, SearchHit

MAX_NAME_CANDIDATES: Final = 200
TRIGRAM_CANDIDATES: Final = 10
SMALL_NAME_CASES: Final = 50  # names this rare are read whole when other filters apply
# Free text ranks at most this many matching pages (on SQLite the newest): a word on
# every page would otherwise cost a sort of the whole index for each query.
RANK_WINDOW: Final = 2000
PG_CONFIG: Final = "casescan"  # simple + unaccent (migration 0001): names are not stemmed
PG_HEADLINE: Final = (f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=18, "
                      f"MinWords=8, MaxFragments=2, FragmentDelimiter=\" {SNIPPET_ELLIPSIS} \"")

PG_REGCONFIG: Final = f"'{PG_CONFIG}'::regconfig"


def pg_config() -> Any:
    """The text search configuration as a regconfig literal (a bound string is not one)."""
    return literal_column(PG_REGCONFIG)


_page_fts = table("page_fts", column("document_id"), column("page"))


@dataclass(frozen=True)
class NameMatch:
    """A name in the lexicon close to the one asked for."""

    key: str
    distance: int
    cases: int

    @property
    def score(self) -> float:
        return 1.0 / (1 + self.distance)


def name_matches(conn: Connection, kind: str, asked: str) -> list[NameMatch]:
    """Lexicon names within two edits of `asked`, nearest first, then most common."""
    key = name_key(asked)
    if key is None:
        return []
    variants = sorted(deletion_variants(key))
    keys = select(NameVariantModel.name_key).where(
        NameVariantModel.kind == kind, NameVariantModel.variant.in_(variants)).distinct()
    query = select(NameModel.name_key, NameModel.cases).where(
        NameModel.kind == kind, NameModel.name_key.in_(keys), NameModel.cases > 0)
    found = []
    for name, cases in conn.execute(query):
        distance = Levenshtein.distance(key, name, score_cutoff=MAX_NAME_EDITS)
        if distance <= MAX_NAME_EDITS:
            found.append(NameMatch(name, distance, cases))
    if not found and conn.dialect.name == "postgresql":
        found = _trigram_matches(conn, kind, key)
    found.sort(key=lambda m: (m.distance, -m.cases, m.key))
    return found[:MAX_NAME_CANDIDATES]


def _trigram_matches(conn: Connection, kind: str, key: str) -> list[NameMatch]:
    """PostgreSQL's pg_trgm over the distinct names, for spellings more than two letters
    off (e.g. a long name with two swaps); ranked by edit distance like the rest."""
    similar = NameModel.name_key.op("%")(key)
    query = (select(NameModel.name_key, NameModel.cases)
             .where(NameModel.kind == kind, NameModel.cases > 0, similar)
             .order_by(func.similarity(NameModel.name_key, key).desc())
             .limit(TRIGRAM_CANDIDATES))
    return [NameMatch(name, Levenshtein.distance(key, name), cases)
            for name, cases in conn.execute(query)]


def search(conn: Connection, text: str, filters: SearchFilters, limit: int,
           offset: int) -> list[SearchHit]:
    """The hits for free `text` (may be empty) and `filters`, best first."""
    single = _single_name(filters)
    if conn.dialect.name == "postgresql" and not text.strip() and single is not None:
        return _pg_name_search(conn, filters, *single, limit, offset)
    surnames = _names(conn, "surname", filters.surname)
    givens = _names(conn, "given", filters.given_names)
    if surnames == [] or givens == []:
        return []  # a name was asked for and nothing is near it
    conditions = _conditions(filters, surnames, givens)
    if text.strip():
        return _text_search(conn, text, conditions, limit, offset)
    if filters.is_empty():
        return []
    return _case_search(conn, filters, surnames, givens, conditions, limit, offset)


def _single_name(f: SearchFilters) -> tuple[str, str] | None:
    """(kind, name) when exactly one of surname and given names is asked for."""
    asked = [(kind, name) for kind, name in (("surname", f.surname), ("given", f.given_names))
             if name is not None and name.strip()]
    return asked[0] if len(asked) == 1 else None


def _pg_name_search(conn: Connection, f: SearchFilters, kind: str, asked: str, limit: int,
                    offset: int) -> list[SearchHit]:
    """`_case_search` for one name on PostgreSQL, as one statement (`pg_names`)."""
    rows = name_case_rows(conn, kind, asked, _conditions(f, None, None), limit, offset,
                          candidates=MAX_NAME_CANDIDATES,
                          trigram_candidates=TRIGRAM_CANDIDATES)
    hits = []
    for row in rows:
        located = row.bbox_json is not None and row.field_page is not None
        hits.append(SearchHit(row.document_id, int(row.field_page) if located else 1,
                              1.0 / (1 + row.distance), case_snippet(row, kind), row.source,
                              field_bbox(row.bbox_json) if located else None))
    return hits


def _names(conn: Connection, kind: str, asked: str | None) -> list[NameMatch] | None:
    return None if asked is None or not asked.strip() else name_matches(conn, kind, asked)


def _conditions(f: SearchFilters, surnames: list[NameMatch] | None,
                givens: list[NameMatch] | None) -> list[ColumnElement[bool]]:
    """SQL conditions on `cases` for every filter given (names by their candidates)."""
    c = CaseModel
    found: list[ColumnElement[bool]] = []
    if surnames is not None:
        found.append(c.surname_key.in_([m.key for m in surnames]))
    if givens is not None:
        found.append(c.given_key.in_([m.key for m in givens]))
    if f.date_of_birth is not None:
        found.append(c.date_of_birth == f.date_of_birth)
    if f.born_from is not None:
        found.append(c.date_of_birth >= f.born_from)
    if f.born_to is not None:
        found.append(c.date_of_birth <= f.born_to)
    if f.nationality is not None:
        found.append(c.nationality == f.nationality.strip().upper())
    if f.reference is not None:
        found.append(c.reference == (normal_reference(f.reference) or ""))
    if f.application_type is not None:
        found.append(c.application_type == f.application_type.strip().lower())
    if f.decision is not None:
        found.append(c.decision == f.decision.strip().lower())
    if f.decided_from is not None:
        found.append(c.decision_date >= f.decided_from)
    if f.decided_to is not None:
        found.append(c.decision_date <= f.decided_to)
    if f.permission_to_work is not None:
        found.append(c.permission_to_work == f.permission_to_work)
    found.extend(_effective_value_is(field.name, field.value) for field in f.fields)
    if f.batch_id is not None:
        in_batch = select(BatchFileModel.document_id).where(
            BatchFileModel.batch_id == f.batch_id)
        found.append(c.document_id.in_(in_batch))
    return found


def _effective_value_is(name: str, value: str | bool) -> ColumnElement[bool]:
    """The case's document has `value` for field `name` as its latest correction, or
    (uncorrected) as a confirmed value: the case row's rule, read from the field rows."""
    encoded = json.dumps(value)
    latest = (select(CorrectionModel.value_json)
              .where(CorrectionModel.document_id == CaseModel.document_id,
                     CorrectionModel.name == name)
              .order_by(CorrectionModel.id.desc()).limit(1).scalar_subquery())
    confirmed = exists().where(FieldModel.document_id == CaseModel.document_id,
                               FieldModel.name == name, FieldModel.status == "confirmed",
                               FieldModel.value_json == encoded)
    return or_(latest == encoded, and_(latest.is_(None), confirmed))


def _text_search(conn: Connection, text: str, conditions: list[ColumnElement[bool]],
                 limit: int, offset: int) -> list[SearchHit]:
    if conn.dialect.name == "postgresql":
        return _pg_text(conn, text, conditions, limit, offset)
    expression = match_query(text)
    if expression is None:
        return []
    fts: Any = literal_column("page_fts")
    rowid: Any = literal_column("page_fts.rowid")
    window = _filtered(select(rowid.label("r")).select_from(_page_fts)
                       .where(fts.op("MATCH")(expression)), _page_fts.c.document_id,
                       conditions).order_by(rowid.desc()).limit(RANK_WINDOW).subquery()
    rank = func.bm25(fts)
    snippet = func.snippet(fts, 0, SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS,
                           SNIPPET_TOKENS)
    query = (
        select(_page_fts.c.document_id, _page_fts.c.page, (-rank).label("score"),
               snippet.label("snippet"))
        .select_from(_page_fts)
        .where(fts.op("MATCH")(expression),
               rowid >= select(func.min(window.c.r)).scalar_subquery())
        .order_by(rank, _page_fts.c.document_id, _page_fts.c.page)
        .limit(limit).offset(offset)
    )
    rows = list(conn.execute(_filtered(query, _page_fts.c.document_id, conditions)))
    # Sources are read for the returned hits only: joining documents into the ranking
    # query doubles its cost on FTS5.
    sources = _sources(conn, [r.document_id for r in rows])
    return [SearchHit(r.document_id, int(r.page), float(r.score), r.snippet,
                      sources.get(r.document_id, "")) for r in rows]


def _sources(conn: Connection, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    query = select(DocumentModel.document_id, DocumentModel.source).where(
        DocumentModel.document_id.in_(ids))
    return {r.document_id: r.source for r in conn.execute(query)}


def _pg_text(conn: Connection, text: str, conditions: list[ColumnElement[bool]],
             limit: int, offset: int) -> list[SearchHit]:
    """Rank on the GIN-matched pages, then build headlines for the returned page only."""
    words = query_words(text)
    if not words:
        return []
    tsquery = func.plainto_tsquery(pg_config(), " ".join(words))
    matched = _filtered(
        select(PageModel.document_id, PageModel.number, PageModel.text, PageModel.tsv)
        .where(PageModel.tsv.op("@@")(tsquery)), PageModel.document_id, conditions,
    ).limit(RANK_WINDOW).subquery()
    rank = func.ts_rank_cd(matched.c.tsv, tsquery)
    inner = (
        select(matched.c.document_id, matched.c.number, matched.c.text, rank.label("score"))
        .order_by(rank.desc(), matched.c.document_id, matched.c.number)
        .limit(limit).offset(offset)
    ).subquery()
    headline = func.ts_headline(pg_config(), inner.c.text, tsquery, PG_HEADLINE)
    query = (
        select(inner.c.document_id, inner.c.number, inner.c.score, headline.label("snippet"),
               DocumentModel.source)
        .join(DocumentModel, DocumentModel.document_id == inner.c.document_id)
        .order_by(inner.c.score.desc(), inner.c.document_id, inner.c.number)
    )
    return [SearchHit(r.document_id, int(r.number), float(r.score), r.snippet, r.source)
            for r in conn.execute(query)]


def _filtered(query: Any, document_id: Any, conditions: list[ColumnElement[bool]]) -> Any:
    if not conditions:
        return query
    return query.join(CaseModel, CaseModel.document_id == document_id).where(and_(*conditions))


def _case_search(conn: Connection, f: SearchFilters, surnames: list[NameMatch] | None,
                 givens: list[NameMatch] | None, conditions: list[ColumnElement[bool]],
                 limit: int, offset: int) -> list[SearchHit]:
    """Cases matching the filters; by name, nearest spellings first.

    Names at the same distance take turns (the first case of each, then the second...),
    most common first, so a typo shows every plausible spelling on the first page
    rather than twenty cases of the commonest one. Each name is one index range read,
    never a sort of every case that carries a common name.
    """
    driver, matches = ("surname", surnames) if surnames is not None else ("given", givens)
    if matches is None:  # no name: exact filters, in document order
        rows = _case_rows(conn, conditions, limit, offset)
        return _case_hits(conn, rows, f, {}, driver=None)
    column_ = CaseModel.surname_key if driver == "surname" else CaseModel.given_key
    others = [c for c in conditions if not _is_name_condition(c, column_)]
    found: list[Any] = []
    scores: dict[str, float] = {}
    skip = offset
    for tier in _tiers(matches):
        if not others and skip >= sum(m.cases for m in tier):
            skip -= sum(m.cases for m in tier)  # the lexicon knows each name's cases
            continue
        rows = _take_turns(conn, tier, column_, others, skip + limit - len(found))
        taken = rows[skip:]
        skip = max(0, skip - len(rows))
        for row, match in taken:
            scores[row.document_id] = match.score
        found.extend(row for row, _ in taken)
        if len(found) >= limit:
            break
    return _case_hits(conn, found[:limit], f, scores, driver=driver)


def _tiers(matches: list[NameMatch]) -> list[list[NameMatch]]:
    """Matches grouped by distance, keeping their order (most common first) in each."""
    tiers: dict[int, list[NameMatch]] = {}
    for match in matches:
        tiers.setdefault(match.distance, []).append(match)
    return [tiers[d] for d in sorted(tiers)]


def _take_turns(conn: Connection, tier: list[NameMatch], column_: Any,
                others: list[ColumnElement[bool]], want: int) -> list[tuple[Any, NameMatch]]:
    """The first `want` cases of a tier in turn order, in one statement.

    Names with few cases are read whole by one IN query; each common name is one
    index range cut at the turns needed. A tier of two hundred rare names thus stays
    one cheap query instead of two hundred.
    """
    depth = want if others else _turns_needed([m.cases for m in tier], want)
    small_below = max(depth, SMALL_NAME_CASES) if others else depth
    small = [m.key for m in tier if m.cases <= small_below]
    parts = [select(CaseModel).where(column_ == m.key, *others)
             .order_by(CaseModel.document_id).limit(depth).subquery()
             for m in tier if m.cases > small_below]
    if small:
        parts.append(select(CaseModel).where(column_.in_(small), *others).subquery())
    query = union_all(*[select(part) for part in parts]) if len(parts) > 1 else select(parts[0])
    by_name: dict[str, list[Any]] = {m.key: [] for m in tier}
    key_name = "surname_key" if column_ is CaseModel.surname_key else "given_key"
    for row in conn.execute(query):
        by_name[getattr(row, key_name)].append(row)
    for rows in by_name.values():
        rows.sort(key=lambda row: row.document_id)
    ordered = []
    for turn in range(depth):
        for match in tier:
            if turn < len(by_name[match.key]):
                ordered.append((by_name[match.key][turn], match))
    return ordered[:want]


def _turns_needed(cases: list[int], want: int) -> int:
    """The fewest turns after which the names' cases cover `want` hits."""
    turns = 0
    while turns < want and sum(min(turns, n) for n in cases) < want:
        turns += 1
    return max(turns, 1)


def _is_name_condition(condition: ColumnElement[bool], column_: Any) -> bool:
    left = getattr(condition, "left", None)
    return left is not None and left is column_


def _case_rows(conn: Connection, conditions: list[ColumnElement[bool]], limit: int,
               offset: int) -> list[Any]:
    query = (select(CaseModel).where(and_(*conditions)).order_by(CaseModel.document_id)
             .limit(limit).offset(offset))
    return list(conn.execute(query))


def _case_hits(conn: Connection, rows: list[Any], f: SearchFilters, scores: dict[str, float],
               driver: str | None) -> list[SearchHit]:
    """Turn case rows into hits on the page and box of the field that drove the match."""
    if not rows:
        return []
    field = {"surname": "surname", "given": "given_names"}.get(driver or "")
    if field is None:
        field = "home_office_reference" if f.reference is not None else "surname"
    ids = [row.document_id for row in rows]
    located = (
        select(DocumentModel.document_id, DocumentModel.source, FieldModel.page,
               FieldModel.bbox_json)
        .outerjoin(FieldModel, and_(FieldModel.document_id == DocumentModel.document_id,
                                    FieldModel.name == field, FieldModel.candidate == 0,
                                    FieldModel.bbox_json.is_not(None)))
        .where(DocumentModel.document_id.in_(ids))
    )
    boxes: dict[str, tuple[int, BBox | None]] = {}
    sources: dict[str, str] = {}
    for r in conn.execute(located):
        sources[r.document_id] = r.source
        if r.bbox_json is not None and r.page is not None:
            boxes[r.document_id] = (int(r.page), field_bbox(r.bbox_json))
    hits = []
    for row in rows:
        page, bbox = boxes.get(row.document_id, (1, None))
        hits.append(SearchHit(row.document_id, page, scores.get(row.document_id, 1.0),
                              case_snippet(row, driver), sources.get(row.document_id, ""),
                              bbox))
    return hits


def case_snippet(row: Any, driver: str | None) -> str:
    """A one-line summary of a case with the matched name marked like a text snippet."""
    surname = row.surname or "?"
    given = row.given_names or ""
    if driver == "surname":
        surname = f"{SNIPPET_OPEN}{surname}{SNIPPET_CLOSE}"
    elif driver == "given" and given:
        given = f"{SNIPPET_OPEN}{given}{SNIPPET_CLOSE}"
    parts = [f"{surname}, {given}".rstrip(", ")]
    if row.date_of_birth:
        parts.append(f"born {row.date_of_birth.isoformat()}")
    parts.extend(p for p in (row.nationality, row.reference, row.application_type,
                             row.decision) if p)
    if row.decision_date:
        parts.append(row.decision_date.isoformat())
    return " · ".join(parts)
