"""The one place that talks to Splink's backends: build a linker over prepared rows.

DuckDB in-process is the default; a Spark session may be passed instead (Splink's Spark
backend), with the same model. Splink logs at INFO by default; casescan keeps it quiet.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from splink import Linker, SettingsCreator
from splink.internals.database_api import DatabaseAPI

from identity.model import COLUMNS, FREQUENCIES, trained

QUIET = logging.WARNING


def duckdb_api() -> DatabaseAPI[Any]:
    from splink import DuckDBAPI

    return DuckDBAPI()


def columns(rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows as columns in the model's order (what the backends register)."""
    return {c: [r[c] for r in rows] for c in COLUMNS}


def register(db: DatabaseAPI[Any], rows: Sequence[dict[str, Any]], name: str) -> Any:
    """Register rows as a table; on Spark through a DataFrame with an explicit schema,
    so that an all-null column still has a type."""
    if type(db).__name__ == "SparkAPI":
        return db.register(_spark_frame(db, rows), table_name=name)
    import pyarrow as pa

    return db.register(pa.table(columns(rows), schema=arrow_schema()), table_name=name)


def arrow_schema() -> Any:
    import pyarrow as pa

    return pa.schema([(c, pa.float64() if c.startswith("c_") else pa.string())
                      for c in COLUMNS])


def _spark_frame(db: Any, rows: Sequence[dict[str, Any]]) -> Any:
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    schema = StructType([StructField(c, DoubleType() if c.startswith("c_") else StringType())
                         for c in COLUMNS])
    return db.spark.createDataFrame([tuple(r[c] for c in COLUMNS) for r in rows], schema)


def linker(db: DatabaseAPI[Any], rows: Sequence[dict[str, Any]],
           model: dict[str, Any] | SettingsCreator, name: str = "documents") -> Linker:
    """A linker over `rows` with `model` (a trained model's JSON, or a declaration)."""
    settings: dict[str, Any] | SettingsCreator = model
    if isinstance(model, dict):
        # A saved model's SQL is DuckDB's; other backends get the declaration recompiled.
        duck = db.sql_dialect.sql_dialect_str == "duckdb"
        settings = dict(model) if duck else trained(model)
    return Linker(register(db, rows, name), settings, log_level=QUIET)


def frequencies(db: DatabaseAPI[Any], lk: Linker, rows: Iterable[dict[str, Any]],
                chance: Mapping[str, tuple[float, float]], prior_documents: int) -> None:
    """Register how often each value of the frequency columns occurs among `rows` (every
    document of the run, old and new), so that a batch scored against the documents
    already held is weighed by the same frequencies as a whole run.

    Splink moves a level's weight by log2(u / registered value); the value registered is
    the value's frequency scaled by u over the column's trained chance of agreement, so
    that the move is log2(chance / frequency): nothing for a value as common as the
    average, less for KHAN, more for a rare name. A frequency counted in few documents
    says little (in a run of three documents every name is "common"), so each is shrunk
    toward that chance as if `prior_documents` more documents had been seen: a small run
    is weighed as the model was trained, a large one by its own counts."""
    rows = list(rows)
    for f in FREQUENCIES:
        u, average = chance[f.column]
        counts = Counter(r[f.column] for r in rows if r[f.column])
        total = sum(counts.values()) + prior_documents
        pseudo = prior_documents * average
        table = {f.column: list(counts),
                 f"tf_{f.column}": [(n + pseudo) / total * u / average
                                    for n in counts.values()]}
        sdf = _register_table(db, table, f"tf_lookup_{f.column}")
        lk.table_management.register_term_frequency_lookup(sdf, f.column)


def _register_table(db: Any, table: dict[str, list[Any]], name: str) -> Any:
    column, tf = list(table)
    if type(db).__name__ == "SparkAPI":
        from pyspark.sql.types import DoubleType, StringType, StructField, StructType

        schema = StructType([StructField(column, StringType()), StructField(tf, DoubleType())])
        frame = db.spark.createDataFrame(list(zip(table[column], table[tf], strict=True)),
                                         schema)
        return db.register(frame, table_name=name)
    import pyarrow as pa

    schema = pa.schema([(column, pa.string()), (tf, pa.float64())])
    return db.register(pa.table(table, schema=schema), table_name=name)
