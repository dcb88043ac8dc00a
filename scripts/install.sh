#!/usr/bin/env bash
# Install everything casescan needs on a Debian machine (run as root from anywhere):
# system packages with apt, a virtualenv at .venv in the repository root, the locked
# Python packages (requirements.lock) and the project into it. Safe to run again: it
# only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd   # OCR engine, English, orientation
  fonts-dejavu-core fonts-liberation                   # fonts for the sample generator
  fonts-dejavu-extra fonts-urw-base35                  # its held-out faces (synth/pen.py)
  unpaper ghostscript                                  # OCRmyPDF baseline in bench/ocr_quality.py
  libgl1 libglib2.0-0                                  # opencv-python (RapidOCR's dependency) loads them
  python3 python3-venv python3-pip                     # runtime
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "casescan: installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "casescan: needs Python 3.11 or newer, $PYTHON is $("$PYTHON" --version)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  echo "casescan: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The pinned, hashed versions from requirements.lock (scripts/lock.sh writes it), then
# casescan itself on top without letting pip pick any dependency of its own.
.venv/bin/python -m pip install -q --require-hashes -r requirements.lock
.venv/bin/python -m pip install -q --no-deps -e .
echo "casescan: installed ($(.venv/bin/casescan --help >/dev/null && echo ok))" >&2
