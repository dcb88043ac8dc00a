"""The locks pin every dependency pyproject.toml names, within its range and with hashes, so
that scripts/install.sh and the Dockerfile install what the tests passed with. A
dependency added to pyproject.toml without `bash scripts/lock.sh` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(\[[^\]]*\])?==(?P<version>\S+)"
                 r"(\s*;\s*(?P<marker>[^\\]+?))?\s*\\$")
PYTHON_311 = {"python_version": "3.11", "python_full_version": "3.11.0"}


def pins(lock: str) -> dict[str, list[tuple[Version, Marker | None]]]:
    """Each package of a lock with its pinned versions (one per marker, where it forks)."""
    found: dict[str, list[tuple[Version, Marker | None]]] = {}
    for line in (REPO / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            marker = Marker(match["marker"]) if match["marker"] else None
            found.setdefault(canonicalize_name(match["name"]), []).append(
                (Version(match["version"]), marker))
    return found


def pinned_on_311(lock: str, name: str) -> Version:
    """The version a Python 3.11 install (the Docker image's, CI's) gets from `lock`."""
    chosen = [version for version, marker in pins(lock).get(canonicalize_name(name), [])
              if marker is None or marker.evaluate(PYTHON_311)]
    assert len(chosen) == 1, f"{lock} pins {name} {len(chosen)} times for Python 3.11"
    return chosen[0]


RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]


@pytest.mark.parametrize("requirement", RUNTIME + DEV, ids=str)
def test_the_full_lock_pins_every_dependency_within_its_range(
        requirement: Requirement) -> None:
    assert requirement.specifier.contains(pinned_on_311("requirements.lock", requirement.name))


@pytest.mark.parametrize("requirement", RUNTIME, ids=str)
def test_the_runtime_lock_pins_every_runtime_dependency(requirement: Requirement) -> None:
    assert requirement.specifier.contains(
        pinned_on_311("requirements-runtime.lock", requirement.name))


def test_the_runtime_lock_agrees_with_the_full_one() -> None:
    full = pins("requirements.lock")
    for name, versions in pins("requirements-runtime.lock").items():
        assert {str(pin) for pin in versions} <= {str(pin) for pin in full.get(name, [])}, name


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-runtime.lock"])
def test_every_pin_carries_its_hashes(lock: str) -> None:
    blocks = re.split(r"\n(?=\S)", (REPO / lock).read_text())
    packages = [block for block in blocks if PIN.match(block.splitlines()[0])]
    assert packages
    for block in packages:
        assert "--hash=sha256:" in block, block.splitlines()[0]
