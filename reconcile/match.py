"""Score database rows against the documents on paper with identity linking's own model.

A row becomes a `DocumentIdentity` whose values were typed, not read (confidence 1.0,
as a person's correction is); it is prepared by identity's `prepare` and scored by the
same trained Splink model, comparisons and blocking rules, between the export and the
paper only (rows are never compared with rows here, documents never with documents).

Kept: pairs at or above the review weight, and pairs where a strong identifier agrees
on its own (the reference, or names and date of birth together) whatever the total: a
row holding one person's names and another's reference scores low against both, and
those partial agreements are the evidence of a merged identity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from identity.link import load_model
from identity.model import chance
from identity.normalise import Prepared, prepare
from identity.records import DocumentIdentity, Observed
from identity.scoring import Explainer
from identity.settings import LinkSettings
from identity.splinkdb import duckdb_api, frequencies, linker, register
from reconcile.records import ExportRow, PaperPerson

TYPED: Final = 1.0  # a database value was typed: as sure as a person's correction
ROW_PREFIX: Final = "row:"
# Candidate pairs of a row and a paper document: the model's comparisons and weights are
# identity's, but its blocking rules are made for documents against documents of one
# population; a row against the whole paper needs keys rarer than a surname and a birth
# year (pairs grow with rows x documents / the number of distinct keys). Each rule still
# reaches the cases reconciliation must: the date of birth (a name changed or misspelt),
# the reference (another person's values), names with the year (a date mistyped).
BLOCKING: Final = ('l."dob" = r."dob"', 'l."reference" = r."reference"',
                   '(l."surname_key" = r."surname_key") AND (l."given_key" = r."given_key") '
                   'AND (l."dob_year" = r."dob_year")')
IDENTIFYING: Final = {"reference": "reference", "surname": "surname",
                      "given_names": "given_names", "date_of_birth": "date_of_birth",
                      "nationality": "nationality"}


@dataclass(frozen=True)
class Scored:
    """One row against one paper document: the weight and each comparison's level."""

    key: str
    document_id: str
    match_weight: float
    levels: tuple[tuple[str, str, float], ...]  # (comparison, level label, weight)

    def agrees(self, comparison: str) -> bool:
        return any(c == comparison and w > 0 for c, _, w in self.levels)

    def conflicts(self, comparison: str) -> bool:
        return any(c == comparison and w < 0 for c, _, w in self.levels)


def row_identity(row: ExportRow) -> DocumentIdentity:
    """A database row as identity linking reads a document (values typed, no page)."""
    values = {attr: ((Observed(v, TYPED),) if (v := row.get(field)) else ())
              for field, attr in IDENTIFYING.items()}
    return DocumentIdentity(
        document_id=ROW_PREFIX + row.key,
        sha256=hashlib.sha256(row.key.encode()).hexdigest(),
        surname=values["surname"], given_names=values["given_names"],
        date_of_birth=values["date_of_birth"], nationality=values["nationality"],
        reference=values["reference"])


class Scorer:
    """The trained model loaded once; scores batches of rows against the paper."""

    def __init__(self, settings: LinkSettings, persons: Sequence[PaperPerson]) -> None:
        self.settings = settings
        self.model = load_model(settings)
        self.model["blocking_rules_to_generate_predictions"] = [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in BLOCKING]
        self.explainer = Explainer(self.model)
        today = date.today()
        self.paper: dict[str, Prepared] = {}
        for p in persons:
            for d in p.documents:
                prepared = prepare(d, today)
                if prepared.identifying:
                    self.paper[d.document_id] = prepared
        self._db: Any = None
        self._linker: Any = None
        self._batches = 0

    def _paper_linker(self) -> Any:
        if self._linker is None:
            self._db = duckdb_api()
            rows = [p.row for p in self.paper.values()]
            self._linker = linker(self._db, rows, self.model, "paper")
            # Common names are weaker evidence here as in linking: weighed by how often
            # each value occurs on paper, with identity's own shrinkage.
            frequencies(self._db, self._linker, rows, chance(self.model),
                        self.settings.frequency_prior_documents)
        return self._linker

    def prepared_rows(self, rows: Iterable[ExportRow]) -> list[Prepared]:
        today = date.today()
        return [p for r in rows if (p := prepare(row_identity(r), today)).identifying]

    def score(self, rows: Sequence[ExportRow]) -> list[Scored]:
        """Every kept pair of these rows against the paper."""
        prepared = self.prepared_rows(rows)
        if not prepared or not self.paper:
            return []
        lk = self._paper_linker()
        self._batches += 1
        rows_sdf = register(self._db, [p.row for p in prepared], f"export_{self._batches}")
        table = lk.inference.predict_between(rows_sdf, lk._input_tables_dict["paper"])
        out = list(self._kept(table))
        table.drop_table_from_database_and_remove_from_cache()
        return out

    def _kept(self, table: Any) -> Iterator[Scored]:
        names = self.explainer.names
        agree = {n: min((g for g, lv in self.explainer.levels[n].items()
                         if g >= 0 and lv.match_weight > 0), default=99) for n in names}
        strong = (f"p.gamma_reference >= {agree['reference']} OR (p.gamma_dob >= "
                  f"{agree['dob']} AND p.gamma_surname >= {agree['surname']} AND "
                  f"p.gamma_given >= {agree['given']})")
        gammas = ", ".join(f"p.gamma_{n}" for n in names)
        sql = (f"SELECT p.unique_id_l, p.unique_id_r, p.match_weight, {gammas} "
               f"FROM {{this}} p WHERE p.match_weight >= {self.settings.review_weight} "
               f"OR {strong}")
        for r in table.query_sql(sql).as_record_list():
            left, right = str(r["unique_id_l"]), str(r["unique_id_r"])
            row_id, doc = (left, right) if left.startswith(ROW_PREFIX) else (right, left)
            levels = tuple((n, self.explainer.levels[n][int(r[f"gamma_{n}"])].label,
                            round(self.explainer.levels[n][int(r[f"gamma_{n}"])].match_weight,
                                  3)) for n in names)
            yield Scored(row_id[len(ROW_PREFIX):], doc, round(float(r["match_weight"]), 3),
                         levels)
