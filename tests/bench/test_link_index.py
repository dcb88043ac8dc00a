"""The linking benchmark indexes a generated population as field rows; read back through
casework's mapping, every document gives the model exactly the values it was made with
(value, confidence, page, box), both values of a field with two included."""

from __future__ import annotations

from identity_population import generate
from link_index import document_row

from casework.identities import document_identity


def test_a_population_survives_the_index_mapping() -> None:
    population = generate(200, seed=3)
    two = 0
    for doc in population.documents:
        back = document_identity(document_row(doc), doc.page_hashes)
        for attr in ("surname", "given_names", "date_of_birth", "nationality", "reference"):
            made = {(o.value, o.confidence) for o in getattr(doc, attr)}
            assert {(o.value, o.confidence) for o in getattr(back, attr)} == made, attr
            assert all(o.page is not None and o.bbox is not None for o in getattr(back, attr))
        two += len(back.date_of_birth) > 1
        assert back.text == doc.text and back.page_hashes == doc.page_hashes
    assert two >= 1  # the population's two-people documents keep both dates of birth
