"""spaCy entities from free text, with the page they were found on."""

from __future__ import annotations

from extraction.entities import find_entities, nlp


def test_people_places_dates_and_organisations_are_found() -> None:
    text = ("Ms Abena Mensah travelled from Accra to Manchester on 14 July 2008 and was "
            "referred to the Refugee Council.")
    found = {(e.label, e.text) for e in find_entities([(2, text)])}
    assert any(label == "DATE" and "14 July 2008" in t for label, t in found)
    assert any(label == "PERSON" and "Mensah" in t for label, t in found)
    assert any(label == "ORG" and "Refugee Council" in t for label, t in found)
    # the small model's labels for places vary; what matters is they are found and kept
    assert {"Accra", "Manchester"} <= {t for _, t in found}
    entities = find_entities([(2, text)])
    assert all(e.page == 2 and text[e.start:e.end] == e.text for e in entities)


def test_pipeline_is_loaded_once() -> None:
    assert nlp() is nlp()


def test_rules_find_references_postcodes_and_british_dates() -> None:
    text = ("Linked to the dependant's file Z7882451/1 and to B1234567. Letters to "
            "14 High Street, Croydon CR9 2BY were returned. Interviewed on 12/03/1987, "
            "seen again 12-MAR-1988 and on 12.03.89.")
    found = {(e.label, e.text) for e in find_entities([(1, text)])}
    assert {("HO_REF", "Z7882451/1"), ("HO_REF", "B1234567"), ("POSTCODE", "CR9 2BY"),
            ("DATE", "12/03/1987"), ("DATE", "12-MAR-1988"), ("DATE", "12.03.89")} <= found


def test_other_scripts_give_no_invented_reference_or_postcode() -> None:
    text = "ملاحظات المقابلة مع مقدم الطلب. 申请人的面谈记录。 Заметки о собеседовании."
    found = find_entities([(1, text)])
    assert not [e for e in found if e.label in ("HO_REF", "POSTCODE")]
    assert all(text[e.start:e.end] == e.text for e in found)
