"""Reconciliation: an export of the live case database checked against the paper.

A library with explicit arguments: export rows (`reconcile.export`, read through a
declared mapping) are matched to paper persons with identity linking's own model
(`reconcile.match`) and every disagreement becomes a typed finding with its evidence
(`reconcile.findings`). It imports identity and extraction, never api, ingest or
casework; storage keeps what it finds.
"""
