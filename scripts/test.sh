#!/usr/bin/env bash
# Run the whole test suite from a clean clone: install what is missing, then pytest.
# pytest's exit code 5 (no tests collected) counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export OMP_THREAD_LIMIT=1
set +e
.venv/bin/python -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "casescan: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$rc"
