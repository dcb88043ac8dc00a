"""Events in running text: every tuning phrasing states its event, no decoy gives one, each
refused candidate says why; and a generated letter read by OCR gives its events."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from wordpages import page

from extraction.events import Event, find_events
from extraction.timeline import contradictions, timeline
from ocr.pipeline import OcrOptions, read_page
from ocr.records import Word
from synth.casefiles import render_event_page
from synth.letters import Story, fill
from synth.phrasings import DECOYS, EVENTS, date_forms, format_date
from synth.truth import draw_applicant

WHEN = date(2019, 4, 3)


def _story() -> Story:
    return Story(draw_applicant(random.Random(1)), "Ms", WHEN, WHEN)


def _read(sentence: str) -> list[Event]:
    return find_events([(1, page(1, [sentence]).words)])


@pytest.mark.parametrize("phrasing", [p for p in EVENTS if p.split == "train"],
                         ids=lambda p: p.text)
@pytest.mark.parametrize("form", date_forms("train"))
def test_each_tuning_phrasing_states_its_event(phrasing, form: str) -> None:  # type: ignore[no-untyped-def]
    text = phrasing.text.format(date=format_date(WHEN, form), Title="Ms", surname="Haddad")
    events = [e for e in _read(text) if e.status == "confirmed"]
    assert [(e.kind, e.outcome, e.date) for e in events] == [
        (phrasing.kind, phrasing.outcome, WHEN.isoformat())], (text, _read(text))


@pytest.mark.parametrize("phrasing", [p for p in DECOYS if p.split == "train"],
                         ids=lambda p: p.text)
def test_no_tuning_decoy_gives_an_event(phrasing) -> None:  # type: ignore[no-untyped-def]
    text, _ = fill(phrasing, random.Random(3), _story(), "train")
    found = _read(text)
    assert all(e.status == "refused" and e.reason for e in found), (text, found)


def test_refused_candidates_say_why() -> None:
    reasons = {text: [e.reason for e in _read(text)] for text in (
        "PTW granted 31/02/19.", "PTW granted.", "Permission to work was refused on 4 May 2036.",
        "If you are granted permission to work on 3 April 2019 tell us.",
        "Your wife was granted permission to work on 3 April 2019.")}
    assert reasons == {
        "PTW granted 31/02/19.": ["'31/02/19' is not a real date"],
        "PTW granted.": ["no date in the sentence"],
        "Permission to work was refused on 4 May 2036.": ["'4 May 2036' is in the future"],
        "If you are granted permission to work on 3 April 2019 tell us.":
            ["conditional: not a decision"],
        "Your wife was granted permission to work on 3 April 2019.":
            ["about another person: not a decision"]}


def test_sentence_box_is_the_union_of_its_words() -> None:
    p = page(1, ["Thank you for your letter.", "", "Permission to work was granted",
                 "on 3 April 2019."])
    [event] = find_events([(1, p.words)])
    inside = [w for w in p.words if w.bbox[1] >= 220]
    assert event.bbox == (100, 220, max(w.bbox[2] for w in inside), 320)
    assert event.text == "Permission to work was granted on 3 April 2019."


def test_contradicting_events_on_one_date_both_go_to_review() -> None:
    words = page(1, ["PTW granted 03/04/2019.", "", "PTW refused 03/04/2019.", "",
                     "Appeal dismissed 05/06/2020."]).words
    events = contradictions(find_events([(1, words)]))
    assert [(e.outcome, e.status) for e in events] == [
        ("granted", "needs_review"), ("refused", "needs_review"), ("refused", "confirmed")]
    assert [t.date for t in timeline({}, events)] == ["2019-04-03", "2019-04-03", "2020-06-05"]


@pytest.mark.parametrize("seed", [2, 5])
def test_a_generated_letter_read_by_ocr_gives_its_events(seed: int) -> None:
    image, truth = render_event_page(seed, "train")
    reading = read_page(np.asarray(image), 1, OcrOptions()).reading
    found = {(e.kind, e.outcome, e.date) for e in find_events([(1, reading.words)])
             if e.status == "confirmed"}
    assert found == {(e.kind, e.outcome, e.date) for e in truth.events}
    assert truth.decoys  # the page had decoys, and none gave an event


def test_a_page_in_another_script_gives_no_event() -> None:
    words = page(1, ["Разрешение на работу предоставлено 03.04.2019.", "",
                     "تم منح الإذن بالعمل في 03/04/2019"]).words
    assert find_events([(1, words)]) == []


def test_a_page_whose_boxes_lie_turned_is_read_in_the_ocrs_order() -> None:
    """A page fed sideways may come back with boxes in the turned frame: lines rebuilt
    from them would cross the entries, and a dateless "PTW granted." would take another
    entry's date. The OCR's own order keeps each entry whole."""
    lines = ["Interview booked for 19/05/2003.", "PTW granted.", "Appeal dismissed 02/02/2004."]
    words, y = [], 100
    for n, line in enumerate(lines):  # each entry a column: tall, narrow boxes
        for token in line.split():
            words.append(Word(token, 0.95, (100 + 60 * n, y, 140 + 60 * n, y + 22 * len(token)), n))
            y += 22 * len(token) + 20
    found = [(e.kind, e.outcome, e.date, e.status) for e in find_events([(1, words)])]
    assert found == [("permission_to_work", "granted", None, "refused"),
                     ("appeal", "refused", "2004-02-02", "confirmed")]


def test_a_speck_read_as_a_stop_after_the_date_does_not_cut_the_sentence() -> None:
    """The tuning letter issue 11's closing note lists as no longer read: OCR put a stop
    after the year ("2014."), leaving a verbless fragment the next sentence continues."""
    text = "On the 4th of October 2014. Ms Kowalski was granted permission to take employment."
    events = [e for e in _read(text) if e.status == "confirmed"]
    assert [(e.kind, e.outcome, e.date) for e in events] == [
        ("permission_to_work", "granted", "2014-10-04")]


def test_a_verbless_heading_lends_no_date_to_a_hedged_sentence() -> None:
    text = "Minute of 4 October 2014. Should permission to work be granted, tell the applicant."
    assert not [e for e in _read(text) if e.status == "confirmed"]
