"""Word boxes shared along a line, and words the second engine found slotted into lines."""

from __future__ import annotations

from ocr.boxes import enclosing, scaled, share_width
from ocr.pipeline import real_word, slot_in
from ocr.records import Word


def test_a_line_box_is_shared_among_its_words_by_length() -> None:
    # "HO 1234" is 7 characters: "HO" takes 2/7 of the width, "1234" starts after the space.
    assert share_width(["HO", "1234"], (100, 10, 170, 30)) == [(100, 10, 120, 30),
                                                             (130, 10, 170, 30)]
    assert share_width(["alone"], (5, 6, 7, 8)) == [(5, 6, 7, 8)]


def test_boxes_from_points_and_back_to_page_pixels() -> None:
    assert enclosing([(10.7, 5), (40, 4.2), (41, 20), (9, 21.9)]) == (9, 4, 41, 21)
    assert scaled((100, 51, 300, 149), 2.0) == (50, 26, 150, 74)


def test_fragments_and_punctuation_are_not_real_words() -> None:
    assert real_word("HO") and real_word("6th") and real_word("a1")
    assert not real_word("I") and not real_word("--") and not real_word("a.")


def test_words_found_later_join_their_line_or_a_new_one_between() -> None:
    words = [Word("Surname:", 0.9, (10, 10, 100, 30), 0),
             Word("Nationality:", 0.9, (10, 110, 130, 130), 1)]
    regions = [((200, 12, 300, 28), "ADEYEMI", 0.91234),     # on line 0, to the right
               ((10, 60, 120, 80), "Given names", 0.9),      # between lines 0 and 1
               ((10, 0, 50, 6), "Re", 0.88)]                 # above everything
    merged = slot_in(words, regions)
    assert [(w.text, w.line) for w in merged] == [
        ("Re", 0), ("Surname:", 1), ("ADEYEMI", 1), ("Given", 2), ("names", 2),
        ("Nationality:", 3)]
    assert next(w for w in merged if w.text == "ADEYEMI").conf == 0.9123
    assert all(isinstance(w.line, int) for w in merged)
