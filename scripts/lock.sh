#!/usr/bin/env bash
# Write the locks that scripts/install.sh and the Dockerfile install from, so that an
# install months from now gets the versions the tests passed with, not whatever is newest:
#   requirements.lock          everything, the dev extra included (tests, benchmarks, CI)
#   requirements-runtime.lock  what `casescan` needs to run (the Docker image)
# Every version is pinned with the hashes of all its files on the package index, for any
# platform and Python >= 3.11. The runtime lock is resolved within the full one, so the two
# never disagree.
#
# Without arguments a pin moves only where pyproject.toml's ranges force it (the current
# locks are uv's preferences). To upgrade, pass uv's flags through:
#   bash scripts/lock.sh --upgrade                   every package to its newest allowed
#   bash scripts/lock.sh --upgrade-package numpy     one package
# A package that only a pip-configured extra index has: set UV_EXTRA_INDEX_URL as well.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-.venv/bin/uv}

compile() {
  "$UV" pip compile pyproject.toml --quiet --generate-hashes --universal \
    --python-version 3.11 --custom-compile-command "bash scripts/lock.sh" "$@"
}
compile --extra dev -o requirements.lock "$@"
compile -c requirements.lock -o requirements-runtime.lock "$@"
echo "casescan: wrote requirements.lock and requirements-runtime.lock" >&2
