"""Cleanup steps do what they claim on real generated pages."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr import steps
from synth import render_case


@pytest.fixture(scope="module")
def clean_page() -> np.ndarray:
    images, _truth = render_case(21, layout="inline")
    return np.array(Image.fromarray(images[0]).convert("L")) if images[0].ndim == 3 else images[0]


@pytest.mark.parametrize("angle", [-9.0, -2.5, 4.0, 12.0])
def test_estimate_skew_finds_the_rotation(clean_page: np.ndarray, angle: float) -> None:
    tilted = steps.rotate_small(clean_page, angle)
    assert steps.estimate_skew(tilted) == pytest.approx(-angle, abs=0.3)


def test_deskew_levels_text_lines(clean_page: np.ndarray) -> None:
    level = steps.deskew(steps.rotate_small(clean_page, 6.0))
    assert abs(steps.estimate_skew(level)) <= 0.3


def test_normalise_illumination_flattens_a_shadow(clean_page: np.ndarray) -> None:
    h, w = clean_page.shape
    shadow = np.tile(np.linspace(0.35, 1.0, w, dtype=np.float32), (h, 1))
    dark = (clean_page.astype(np.float32) * shadow).astype(np.uint8)
    flat = steps.normalise_illumination(dark)
    paper = clean_page > 200
    left, right = flat[:, : w // 5][paper[:, : w // 5]], flat[:, -w // 5:][paper[:, -w // 5:]]
    assert abs(float(left.mean()) - float(right.mean())) < 15
    assert float(dark[:, : w // 5][paper[:, : w // 5]].mean()) < 120  # the input really was dark


def test_remove_rules_erases_table_lines_but_keeps_text(clean_page: np.ndarray) -> None:
    ruled = clean_page.copy()
    cv2.line(ruled, (100, 3000), (2300, 3000), 0, 4)
    cv2.line(ruled, (1200, 2800), (1200, 3400), 0, 4)
    cleaned = steps.remove_rules(ruled)
    assert cleaned[3000, 300:2200].min() > 200
    assert cleaned[2900:3300, 1200].min() > 200
    ink_before = int((clean_page < 128).sum())
    ink_after = int((cleaned < 128).sum())
    assert ink_after > 0.9 * ink_before


def test_rotate_quarter_round_trips(clean_page: np.ndarray) -> None:
    turned = steps.rotate_quarter(steps.rotate_quarter(clean_page, 90), 270)
    assert np.array_equal(turned, clean_page)


def test_remove_borders_paints_out_a_copier_edge_and_keeps_text(clean_page: np.ndarray) -> None:
    bordered = clean_page.copy()
    bordered[:, :120] = 20  # the copier saw past the paper's left edge
    cleaned = steps.remove_borders(bordered)
    assert cleaned[:, :120].min() > 200
    assert int((cleaned < 128).sum()) > 0.95 * int((clean_page < 128).sum())


def test_remove_punch_holes_erases_holes_in_the_margin_only(clean_page: np.ndarray) -> None:
    h, w = clean_page.shape
    holed = clean_page.copy()
    radius = int(w * 3 / 210)  # a 6 mm filing hole
    for y in (h // 2 - 400, h // 2 + 400):
        cv2.circle(holed, (int(w * 0.05), y), radius, 30, -1)
    cleaned = steps.remove_punch_holes(holed)
    assert cleaned[h // 2 - 400, int(w * 0.05)] > 200 and cleaned[h // 2 + 400, int(w * 0.05)] > 200
    assert np.array_equal(cleaned[:, int(w * 0.2):], clean_page[:, int(w * 0.2):])


def test_despeckle_drops_lone_specks_but_keeps_full_stops(clean_page: np.ndarray) -> None:
    binary = steps.binarise_otsu(clean_page)
    rng = np.random.default_rng(3)
    specked = binary.copy()
    blank = np.argwhere(cv2.dilate(255 - binary, np.ones((41, 41), np.uint8)) == 0)
    for y, x in blank[rng.choice(len(blank), 300, replace=False)]:
        specked[y:y + 3, x:x + 3] = 0
    cleaned = steps.despeckle(specked)
    assert int((cleaned < 128).sum()) == pytest.approx(int((binary < 128).sum()), rel=0.01)
    assert np.array_equal(cleaned, binary)  # every speck gone, every dot of the text kept


@pytest.mark.parametrize("binarise", [steps.binarise_otsu, steps.binarise_sauvola])
def test_binarisation_keeps_text_under_a_shadow(clean_page: np.ndarray, binarise) -> None:  # type: ignore[no-untyped-def]
    h, w = clean_page.shape
    shadow = np.tile(np.linspace(0.45, 1.0, w, dtype=np.float32), (h, 1))
    dark = (clean_page.astype(np.float32) * shadow).astype(np.uint8)
    binary = binarise(steps.normalise_illumination(dark))
    assert set(np.unique(binary)) <= {0, 255}
    ink, truth = binary < 128, clean_page < 128
    assert (ink & truth).sum() > 0.8 * truth.sum()  # the text is there
    assert ink[:, : w // 5].mean() < 0.05  # the shadowed side is not black


def test_upsample_2x_is_declared_as_scaling(clean_page: np.ndarray) -> None:
    small = clean_page[:400, :300]
    assert steps.upsample_2x(small).shape == (800, 600)
    assert steps.SCALING_STEPS["upsample_2x"] == 2.0
