"""The `casescan` command: ingest, search, show, review, correct, entities, batches, serve,
generate, demo; one module per group of commands.

Commands are thin: they read Settings, open the context and call the same library
functions as the HTTP routes, and print the same response models with --json.
"""

from __future__ import annotations

import typer

from api.cli import documents, ingest, reports, review, samples, search, serve

app = typer.Typer(help="Digitise scanned case files into searchable, structured records.",
                  no_args_is_help=True, add_completion=False)
for command in (ingest.ingest, search.search, documents.show, review.review,
                review.correct, documents.entities, documents.pdf, ingest.batches,
                serve.serve, samples.generate, samples.demo, documents.pairs):
    app.command()(command)
app.add_typer(reports.app, name="report")

__all__ = ["app"]
