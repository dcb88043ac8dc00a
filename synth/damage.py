"""Photocopy and scanner damage as small image -> image steps.

Each step takes a uint8 grayscale page and explicit parameters and returns a
new page; random steps take a numpy Generator, so a seed fixes the damage.
Which steps run, and how hard, is decided by the named levels in degrade.py.
"""

from __future__ import annotations

import cv2
import numpy as np

Image = np.ndarray
# Standard UK two-hole punch at 300 dpi: 80 mm apart, 12 mm in, 6 mm holes.
HOLE_PITCH_PX, HOLE_INSET_PX, HOLE_DIAMETER_PX = 945, 142, 71


def skew(image: Image, degrees: float) -> Image:
    """Rotate counter-clockwise by `degrees` on a canvas grown to keep every corner."""
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = round(h * sin + w * cos), round(h * cos + w * sin)
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)


def blur(image: Image, sigma: float) -> Image:
    """Out-of-focus optics or toner spread."""
    return cv2.GaussianBlur(image, (0, 0), sigma)


def noise(image: Image, sigma: float, rng: np.random.Generator) -> Image:
    """Sensor and paper-grain noise, Gaussian with standard deviation `sigma` grey levels."""
    grain = rng.standard_normal(image.shape, dtype=np.float32) * sigma
    noisy: Image = np.clip(image + grain, 0, 255).astype(np.uint8)
    return noisy


def contrast(image: Image, low: float, high: float) -> Image:
    """Faded toner on grey paper: map [0, 255] linearly onto [low, high]."""
    lut = np.linspace(low, high, 256).round().astype(np.uint8)
    return cv2.LUT(image, lut)


def lighting(image: Image, shadow: float, width: float, edge: int, tilt: float) -> Image:
    """Copier-lid shadow along one edge (0 left, 1 top, 2 right, 3 bottom) plus a soft tilt.

    `shadow` darkens the edge by that fraction, fading over `width` pixels;
    `tilt` darkens the far side of the page by that fraction, linearly.
    """
    turned = np.rot90(image, edge)  # bring the shadowed edge to the left
    x = np.arange(turned.shape[1], dtype=np.float32)
    gain = (1 - shadow * np.exp(-x / width)) * (1 - tilt * x / x[-1])
    return np.ascontiguousarray(np.rot90((turned * gain).astype(np.uint8), -edge))


def speckles(image: Image, dots: int, pepper: float, rng: np.random.Generator) -> Image:
    """Photocopy dust: `dots` dark specks of 1-4 px radius plus salt-and-pepper pixels."""
    out = image.copy()
    h, w = out.shape
    xs, ys = rng.integers(0, w, dots), rng.integers(0, h, dots)
    radii, inks = rng.choice([1, 1, 2, 2, 3, 4], dots), rng.integers(0, 90, dots)
    for x, y, r, ink in zip(xs, ys, radii, inks, strict=True):
        cv2.circle(out, (int(x), int(y)), int(r), int(ink), -1, cv2.LINE_AA)
    flips = rng.random(out.shape, dtype=np.float32) < pepper
    out[flips] = rng.choice(np.array([0, 255], dtype=np.uint8), int(flips.sum()))
    return out


def jpeg(image: Image, quality: int) -> Image:
    """Re-encode as JPEG: block and ringing artefacts of cheap scanners and email."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if decoded is None:
        raise RuntimeError("JPEG decoding failed")
    return decoded


def rotate_page(image: Image, quarter_turns: int) -> Image:
    """Page fed the wrong way: rotate counter-clockwise by 90 degrees per turn."""
    return np.ascontiguousarray(np.rot90(image, quarter_turns))


def downscale(image: Image, dpi: float, source_dpi: float = 300) -> Image:
    """Low-resolution scan: returned at the smaller size, as the scanner would."""
    f = dpi / source_dpi
    return cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def punch_holes(image: Image, ink: int) -> Image:
    """Two filing holes near the left edge, dark where the copier lid shows through."""
    out = image.copy()
    mid = out.shape[0] // 2
    for y in (mid - HOLE_PITCH_PX // 2, mid + HOLE_PITCH_PX // 2):
        cv2.circle(out, (HOLE_INSET_PX, y), HOLE_DIAMETER_PX // 2, int(ink), -1, cv2.LINE_AA)
    return out


def black_border(image: Image, width: float, edge: int, rng: np.random.Generator) -> Image:
    """Dark band where the copier saw past the paper; wavy inner edge, uneven ink."""
    turned = np.rot90(image, edge).copy()  # bring the border edge to the left
    h = turned.shape[0]
    wander = np.cumsum(rng.normal(0.0, 0.35, size=h))
    ragged = np.clip(width + wander - wander.mean(), width / 2, width * 1.5).astype(int)
    band = np.arange(turned.shape[1])[None, :] < ragged[:, None]
    turned[band] = rng.integers(10, 45, int(band.sum()), dtype=np.uint8)
    return np.ascontiguousarray(np.rot90(turned, -edge))


# ---- Damage only held-out files get (degrade.HELDOUT_LEVELS): never seen while tuning ----


def fold(image: Image, at: float, depth: float) -> Image:
    """A crease across the page at fraction `at` of its height: a dark hairline with a
    grey band fading either side, where the paper did not lie flat on the glass."""
    h = image.shape[0]
    y = np.arange(h, dtype=np.float32)[:, None]
    gain = 1 - depth * np.exp(-np.abs(y - at * h) / 18.0)
    creased: Image = np.clip(image * gain, 0, 255).astype(np.uint8)
    return creased


def streaks(image: Image, count: int, rng: np.random.Generator) -> Image:
    """Vertical copier streaks: a dirty drum leaves thin grey lines down the page."""
    out = image.astype(np.float32)
    for x in rng.integers(0, image.shape[1], count):
        width = int(rng.integers(1, 5))
        out[:, x:x + width] *= float(rng.uniform(0.55, 0.85))
    return out.astype(np.uint8)


def stain(image: Image, radius: float, rng: np.random.Generator) -> Image:
    """A coffee-cup ring: a translucent brown-grey annulus somewhere on the page."""
    h, w = image.shape
    mask = np.zeros_like(image)
    centre = (int(rng.integers(w // 5, 4 * w // 5)), int(rng.integers(h // 5, 4 * h // 5)))
    cv2.circle(mask, centre, round(radius), 255, thickness=max(6, round(radius / 12)))
    soft: Image = cv2.GaussianBlur(mask, (0, 0), 6).astype(np.float32) / 255
    stained: Image = np.clip(image * (1 - 0.35 * soft), 0, 255).astype(np.uint8)
    return stained


def fax(image: Image, threshold: float, rng: np.random.Generator) -> Image:
    """A fax: every pixel black or white (a threshold over a little noise), so thin
    strokes break up and grey fills turn to dots."""
    noisy = image + rng.normal(0.0, 18.0, image.shape)
    return np.where(noisy < threshold, 0, 255).astype(np.uint8)
