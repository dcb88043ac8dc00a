"""`casescan generate` and `demo`: synthetic scanned case files with their true values,
and a first run that digitises a sample batch and searches it."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer

import casework
from api.cli import render
from api.cli.documents import show
from api.cli.errors import context, exits
from api.cli.ingest import ingest
from api.cli.search import search
from api.settings import get_settings


def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write files and truth.json into")],
    count: Annotated[int, typer.Option(min=1)] = 6,
    degradation: Annotated[str, typer.Option(help="clean, moderate or heavy")] = "moderate",
    fmt: Annotated[str, typer.Option("--format", help="png, jpeg, tiff or pdf")] = "png",
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Write synthetic scanned case files with their true field values."""
    from synth import generate_batch  # the generator's fonts and noise load only here

    with exits():
        truths = generate_batch(out_dir, count, seed=seed, fmt=fmt, degradation=degradation)
    render.err.print(f"wrote {len(truths)} file(s) and truth.json to {out_dir}")


def demo(count: Annotated[int, typer.Option(min=1)] = 6) -> None:
    """Generate a sample batch of degraded scans, digitise it and search it."""
    from synth import generate_batch

    sample = get_settings().data_dir / "sample"
    truths = generate_batch(sample / "scans", count, seed=2026, fmt="png",
                            degradation=["clean", "moderate"])
    (sample / "truth.json").write_text(json.dumps([t.as_json() for t in truths], indent=1))
    (sample / "scans" / "truth.json").unlink(missing_ok=True)
    render.err.print(f"generated {len(truths)} sample scans in {sample / 'scans'}")
    with contextlib.suppress(typer.Exit):
        ingest([sample / "scans"], batch="demo", as_json=False, workers=None)
    surname = str(next((t.fields["surname"] for t in truths if t.fields.get("surname")),
                       "asylum"))
    render.err.print(f"\n$ casescan search {surname}")
    search(query=surname, limit=5, as_json=False)
    hits = casework.search(context(), surname, limit=1)
    if hits:
        render.err.print(f"\n$ casescan show {hits[0].document_id[:12]}")
        show(hits[0].document_id, as_json=False)

