"""spaCy (about a second to load) is loaded only when running text may state an event:
reading a form, and importing what the API and ingest need, does not load it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
import api.models, ingest.outcome
from extraction.extract import ExtractOptions, extract
from tests.extraction.test_form_wordings import Page, place

form = Page(1, tuple(place(0, 100, "Surname: OKAFOR") + place(1, 100, "Decision: Refused")
                     + place(2, 100, "Date of birth: 13/06/1981")))
x = extract([form], ExtractOptions(entities=False))
assert x.fields["surname"] is not None
print("after form", "spacy" in sys.modules)
letter = Page(1, tuple(place(0, 100, "Dear Ms Okafor,") + place(1, 100,
    "On 3 May 2019 you were granted permission to work.") + place(2, 100, "Yours sincerely")))
x = extract([letter], ExtractOptions(entities=False))
print("after letter", "spacy" in sys.modules, [e.kind for e in x.events])
"""


def test_a_form_is_read_without_loading_spacy_and_a_letter_loads_it() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "after form False"
    assert lines[1].startswith("after letter True") and "permission_to_work" in lines[1]
