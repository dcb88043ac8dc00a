"""One reconciliation of an export against the paper, batch by batch.

    reconcile_export(batches, persons, judgements, settings) -> Reconciliation

`batches` yields lists of export rows (the importer's or the index's chunks); each
batch is scored against the paper in one Splink call and judged at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from identity.records import Judgement
from identity.settings import LinkSettings
from reconcile.findings import Paper, Run
from reconcile.match import Scorer
from reconcile.records import ExportRow, PaperPerson, Reconciliation


def reconcile_export(batches: Iterable[Sequence[ExportRow]], persons: Sequence[PaperPerson],
                     judgements: Sequence[Judgement], settings: LinkSettings
                     ) -> Reconciliation:
    """Every finding of the export against the paper persons (never forcing a match)."""
    scorer = Scorer(settings, persons)
    run = Run(Paper.of(persons, scorer.paper, judgements), settings)
    for rows in batches:
        run.add(rows, scorer.score(rows))
    return run.finish()
