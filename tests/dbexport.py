"""An export of the case database for the documents of `tests/linkresults.py`, with its
mapping: known faults beside correct rows, for the reconciliation tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storage.index.reconcile_records import FindingWrite

MAPPING = """key = "case_id"
date_formats = ["%d/%m/%Y", "%Y-%m-%d"]
notes = ["notes"]
[columns]
reference = "ho_ref"
surname = "family_name"
given_names = "forenames"
date_of_birth = "dob"
nationality = "nat"
decision = "decision"
decision_date = "decided"
permission_to_work = "ptw"
[values.decision]
GRT = "granted"
REF = "refused"
"""
HEADER = "case_id,ho_ref,family_name,forenames,dob,nat,decision,decided,ptw,notes\n"
# Chinedu's decision is "refused" in the database and "granted" on paper; Ada is right;
# Müller has two records; Z-9 is no one on paper; Emeka (c) has no record; M-1 holds
# Chinedu's names and date of birth with Ada's reference; Ada's permission to work is
# only in the notes, and agrees with the paper.
ROWS = (
    "C-1,HO-1234567,Okafor,Chinedu,02/03/1985,NGA,REF,01/05/2019,Yes,\n"
    "C-2,HO-2222222,OKAFOR,Ada,01/01/1990,NGA,REF,01/07/2019,,"
    "\"Called. Permission to work refused on 2 July 2019.\"\n"
    "C-4,HO-4444444,Müller,Jürgen,24/12/1970,DEU,GRT,30/11/2019,Yes,\n"
    "C-4B,HO-4444444,MULLER,Jurgen,1970-12-24,DEU,GRT,,,\n"
    "Z-9,Z9999999,Nobody,Known,05/05/1975,GBR,GRT,,,\n"
    "M-1,HO-2222222,Okafor,Chinedu,02/03/1985,NGA,,,,\n"
)



def write(tmp_path: Path, rows: str, name: str = "export.csv") -> tuple[Path, Path]:
    export, mapping = tmp_path / name, tmp_path / "mapping.toml"
    export.write_text(HEADER + rows, encoding="utf-8")
    mapping.write_text(MAPPING)
    return export, mapping


def seed_finding(index: Any, document_id: str, page: int, bbox: tuple[int, int, int, int],
                 key: str = "C-77") -> int:
    """One open value-disagreement finding (as a run keeps it) whose paper evidence is a
    date of birth read at `bbox` on `page` of a stored document; returns its id. For the
    web tests, which need a finding over a real page image without a whole run."""
    evidence = [{"field": "date_of_birth", "db_value": "1985-02-03", "note": "day and month",
                 "paper": [{"document_id": document_id, "value": "1985-03-02",
                            "confidence": 0.97, "page": page, "bbox": list(bbox)}]},
                {"field": "surname", "db_value": "OKAFOR", "note": "", "paper": []}]
    rec = index.reconciliation
    export_id = rec.start_export(f"seeded-{key}", "test")
    rec.write_run(export_id, 1, 1, [FindingWrite(
        f"seed-{key}-{document_id}", "value_disagreement", 5, (key,), (document_id,),
        "date_of_birth", f"{key}: date of birth 1985-02-03 in the database, 1985-03-02 on paper",
        json.dumps(evidence), 9.5, f"digest-{key}", None, "NGA")])
    found = rec.findings(state="open", limit=1000)
    return int(next(f.finding_id for f in found if f.keys == (key,)))
