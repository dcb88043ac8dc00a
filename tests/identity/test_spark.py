"""The same model on Splink's Spark backend (pyspark in local mode) decides the same as on
DuckDB: same persons, same review items, same weights for every link."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from identity_population import generate

from identity.link import link
from identity.records import LinkResult
from identity.settings import LinkSettings


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pyspark = pytest.importorskip("pyspark", reason="pyspark is in the dev extra")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (java not on PATH)")
    from splink.backends.spark import similarity_jar_location

    session = (pyspark.sql.SparkSession.builder.master("local[1]")
               .appName("casescan-identity-test")
               .config("spark.jars", similarity_jar_location())
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.memory", "1g").getOrCreate())
    yield session
    session.stop()


def decisions(result: LinkResult) -> dict[str, Any]:
    return {"clusters": sorted((c.documents, c.status) for c in result.clusters),
            "links": sorted((p.left, p.right, round(p.match_weight, 2), p.decision,
                             tuple(c.level for c in p.contributions))
                            for c in result.clusters for p in c.links),
            "review": sorted((p.left, p.right, round(p.match_weight, 2))
                             for p in result.review)}


def test_spark_and_duckdb_make_the_same_decisions(spark: Any, tmp_path: Any) -> None:
    from splink.backends.spark import SparkAPI

    spark.sparkContext.setCheckpointDir(str(tmp_path))
    pop = generate(60, seed=5)
    settings = LinkSettings()

    on_duckdb = link(pop.documents, [], settings)
    on_spark = link(pop.documents, [], settings, db=SparkAPI(spark_session=spark))

    assert decisions(on_spark) == decisions(on_duckdb)
    assert any(c.status == "linked" for c in on_spark.clusters)
