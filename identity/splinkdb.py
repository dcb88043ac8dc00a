"""The one place that talks to Splink's backends: build a linker over prepared rows.

DuckDB in-process is the default; a Spark session may be passed instead (Splink's Spark
backend), with the same model. Splink logs at INFO by default; casescan keeps it quiet.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from splink import Linker, SettingsCreator
from splink.internals.database_api import DatabaseAPI

from identity.model import COLUMNS, trained

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
