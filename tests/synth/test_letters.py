"""Letters, minutes, decision notices and multi-page case files: truth and splits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from synth.casefiles import (
    generate_case_files,
    read_file_truths,
    render_event_page,
    render_file,
)
from synth.phrasings import DATE_FORMS, DECOYS, EVENTS, format_date, heldout_texts

EXTRACTION = Path(__file__).resolve().parents[2] / "extraction"


def _fragments(template: str) -> list[str]:
    """The fixed runs of words between placeholders, three words or longer."""
    parts = re.split(r"\{[a-z_A-Z]+\}", template.casefold())
    runs = [" ".join(re.findall(r"[a-z.]+", p)) for p in parts]
    return [r for r in runs if len(r.split()) >= 3]


def test_splits_are_disjoint_and_both_have_events_and_decoys() -> None:
    for split in ("train", "heldout"):
        kinds = {p.kind for p in EVENTS if p.split == split}
        assert kinds == {"permission_to_work", "claim_decision", "appeal"}
        assert {p.decoy for p in DECOYS if p.split == split} >= {
            "conditional", "may", "undecided", "other person", "no date", "future date"}
    train = {p.text.casefold() for p in (*EVENTS, *DECOYS) if p.split == "train"}
    assert not train & {t.casefold() for t in heldout_texts()}
    assert {s for _, s in DATE_FORMS} == {"train", "heldout"}


def test_heldout_phrasings_are_not_in_the_extraction_rules() -> None:
    """The held-out wordings measure how the events reader copes with new phrasings;
    none of their word runs may appear in extraction's code or pattern data."""
    rules = " ".join(p.read_text("utf-8").casefold()
                     for p in EXTRACTION.rglob("*") if p.suffix in (".py", ".json"))
    rules = " ".join(re.findall(r"[a-z.]+", rules))
    for text in heldout_texts():
        for run in _fragments(text):
            assert run not in rules, run


def test_event_dates_are_printed_in_the_sentence() -> None:
    for seed in range(12):
        for split in ("train", "heldout"):
            _, truth = render_event_page(seed, split)
            assert truth.events or truth.decoys
            for e in truth.events:
                when = date.fromisoformat(e.date)
                assert any(format_date(when, f) in e.text for f, _ in DATE_FORMS), e


def test_case_file_truth_is_whole(tmp_path: Path) -> None:
    truths = generate_case_files(tmp_path, 2, split="heldout", dpi=200, seed=3)
    assert read_file_truths(tmp_path / "truth.json") == truths
    for t in truths:
        pdf = pdfium.PdfDocument(tmp_path / t.file)
        assert len(pdf) == 3 == len(t.page_kinds)
        sideways = t.sideways[0] - 1
        w, h = pdf[sideways].get_size()
        assert w > h  # the sideways page lies landscape
        assert t.fields["decision"] in ("granted", "refused")
        assert {e.kind for e in t.events} >= {"claim_decision", "permission_to_work"}
        claim = next(e for e in t.events if e.kind == "claim_decision")
        assert claim.date == t.fields["decision_date"]
        for name, pages in t.printed_on.items():
            assert t.fields[name] is not None and pages


def test_same_seed_same_file() -> None:
    a, ta = render_file(7, "train")
    b, tb = render_file(7, "train")
    assert ta == tb and [x.tobytes() for x in a] == [x.tobytes() for x in b]
