"""The image runs casescan as an unprivileged user bound to loopback unless told."""

from __future__ import annotations

from pathlib import Path

DOCKERFILE = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()


def test_the_image_runs_as_a_user_of_its_own_on_loopback() -> None:
    users = [line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    command = next(line for line in DOCKERFILE.splitlines() if line.startswith("CMD "))
    assert "0.0.0.0" not in command and "--host" not in command
