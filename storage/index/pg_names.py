"""A fuzzy-name case search on PostgreSQL in one statement.

`search._case_search` composes the same answer from three statements (the lexicon,
the cases in turns, their pages and boxes), each a round trip. On a busy server each
round trip waits for the backend to be scheduled, and that wait, not the work, was
most of the latency; so on PostgreSQL the whole rule runs in the server at once:

1. the lexicon names sharing a deletion variant with the asked key, within two edits
   (fuzzystrmatch's `levenshtein_less_equal`, migration 0007), or, when none is,
   the ten most trigram-similar names (pg_trgm), as `search._trigram_matches`;
2. the nearest MAX_NAME_CANDIDATES by (distance, most cases, key);
3. each name's first cases in document order, one index range read each (LATERAL),
   numbered as turns;
4. the window ordered by (distance, turn, most cases, key): names at the same
   distance take turns, exactly the order `search._take_turns` builds;
5. the returned rows joined to their document's source and the driving field's box.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, literal_column, select

from storage.index.case_rows import MAX_NAME_EDITS, deletion_variants, name_key
from storage.index.models import CaseModel

# fuzzystrmatch refuses longer strings; no lexicon name (at most 200 letters) can be
# within two edits of a key this long, and the trigram fallback gives no such name either.
LEVENSHTEIN_MAX_CHARS: Final = 255
DRIVER_FIELD: Final = {"surname": "surname", "given": "given_names"}

# The statement's fixed frame; {next} is one name's next case after the one before (with
# the other filters), which SQLAlchemy builds. The frame is text: building it costs nothing.
_FRAME: Final = """
WITH RECURSIVE near AS MATERIALIZED (
  SELECT n.name_key, n.cases, levenshtein_less_equal(n.name_key, %(q_key)s, %(q_edits)s) AS distance
  FROM names n
  WHERE n.kind = %(q_kind)s AND n.cases > 0 AND n.name_key IN (
    SELECT v.name_key FROM name_variants v
    WHERE v.kind = %(q_kind)s AND v.variant = ANY(%(q_variants)s))
), ranked AS (
  SELECT name_key, cases, distance FROM (
    SELECT name_key, cases, distance FROM near WHERE distance <= %(q_edits)s
    UNION ALL
    SELECT * FROM (
      SELECT n.name_key, n.cases, levenshtein(n.name_key, %(q_key)s) AS distance
      FROM names n
      WHERE n.kind = %(q_kind)s AND n.cases > 0 AND n.name_key %% %(q_key)s
        AND NOT EXISTS (SELECT 1 FROM near WHERE distance <= %(q_edits)s)
      ORDER BY similarity(n.name_key, %(q_key)s) DESC
      LIMIT %(q_trigram_candidates)s) AS far
  ) AS found
  ORDER BY distance, cases DESC, name_key
  LIMIT %(q_candidates)s
), tiers AS (
  SELECT distance, coalesce(sum(sum(cases)) OVER (
    ORDER BY distance ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM ranked GROUP BY distance
), reach AS (
  SELECT distance, max(turn) AS turns FROM (
    SELECT r.distance, t.turn, tiers.before + sum(least(t.turn - 1, r.cases)) AS ahead
    FROM ranked r JOIN tiers USING (distance)
    CROSS JOIN generate_series(1, %(q_want)s) AS t(turn)
    GROUP BY r.distance, t.turn, tiers.before) AS per_turn
  WHERE NOT %(q_counted)s OR ahead < %(q_want)s
  GROUP BY distance
), walk (name_key, distance, name_cases, turns, turn, document_id) AS (
  SELECT r.name_key, r.distance, r.cases, reach.turns, 0, ''::text
  FROM ranked r JOIN reach USING (distance)
  UNION ALL
  SELECT w.name_key, w.distance, w.name_cases, w.turns, w.turn + 1, ({next})::text
  FROM walk w WHERE w.document_id IS NOT NULL AND w.turn < w.turns
), hits AS (
  SELECT name_key, distance, name_cases, turn, document_id FROM walk
  WHERE turn > 0 AND document_id IS NOT NULL
  ORDER BY distance, turn, name_cases DESC, name_key
  LIMIT %(q_limit)s OFFSET %(q_offset)s
)
SELECT c.*, hits.distance, hits.turn, d.source, f.page AS field_page, f.bbox_json
FROM hits
JOIN cases c ON c.document_id = hits.document_id
JOIN documents d ON d.document_id = hits.document_id
LEFT JOIN fields f ON f.document_id = hits.document_id AND f.name = %(q_field)s
  AND f.candidate = 0 AND f.bbox_json IS NOT NULL
ORDER BY hits.distance, hits.turn, hits.name_cases DESC, hits.name_key
"""


def name_case_rows(conn: Connection, kind: str, asked: str,
                   others: list[ColumnElement[bool]], limit: int, offset: int, *,
                   candidates: int, trigram_candidates: int) -> list[Any]:
    """The case rows for name `asked` of `kind` (surname or given) that also meet
    `others`, in the search's order, each with its `distance`, `source`, `field_page`
    and `bbox_json` (the driving field's page and box, None when it has none)."""
    key = name_key(asked)
    if key is None or len(key) > LEVENSHTEIN_MAX_CHARS:
        return []
    column_ = CaseModel.surname_key if kind == "surname" else CaseModel.given_key
    # One step of a name's walk: its next case, by the (key, document_id) index; a LIMIT 1
    # probe is an index read on any statistics, where a LIMIT n read of an unknown name
    # may be planned as a read and sort of every case carrying a common name.
    step = (select(CaseModel.document_id)
            .where(column_ == literal_column("w.name_key"),
                   CaseModel.document_id > literal_column("w.document_id"), *others)
            .order_by(CaseModel.document_id).limit(1))
    compiled = step.compile(conn, compile_kwargs={"render_postcompile": True})
    params: dict[str, Any] = dict(compiled.params)
    params.update(q_key=key, q_kind=kind, q_edits=MAX_NAME_EDITS,  # q_: no column's name
                  q_variants=sorted(deletion_variants(key)), q_candidates=candidates,
                  q_trigram_candidates=trigram_candidates, q_limit=limit, q_offset=offset,
                  q_want=offset + limit, q_counted=not others, q_field=DRIVER_FIELD[kind])
    sql = _FRAME.replace("{next}", str(compiled))
    return list(conn.exec_driver_sql(sql, params))
