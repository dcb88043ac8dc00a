"""The `casescan` command: ingest, search, show, review, correct, entities, batches, serve,
generate, demo, person, link, reconcile; one module per group of commands.

Commands are thin: they read Settings, open the context and call the same library
functions as the HTTP routes, and print the same response models with --json.
"""

from __future__ import annotations

import typer

from api.cli import (
    audit,
    batch,
    documents,
    ingest,
    persons,
    reconcile,
    reports,
    review,
    samples,
    search,
    serve,
    users,
    worker,
)

app = typer.Typer(help="Digitise scanned case files into searchable, structured records.",
                  no_args_is_help=True, add_completion=False)
for command in (ingest.ingest, search.search, documents.show, review.correct,
                documents.entities, documents.pdf, ingest.batches, serve.serve,
                samples.generate, samples.demo, worker.worker, worker.retry, batch.orphans,
                documents.pairs):
    app.command()(command)
app.add_typer(reports.app, name="report")
app.add_typer(batch.app, name="batch")
review_app = typer.Typer(invoke_without_command=True)
review_app.callback()(review.review)
review_app.command("links")(persons.review_links)
app.add_typer(review_app, name="review")
app.add_typer(persons.person_app, name="person")
app.add_typer(persons.link_app, name="link")
app.add_typer(users.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(reconcile.app, name="reconcile")

__all__ = ["app"]
