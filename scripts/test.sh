#!/usr/bin/env bash
# Run every check from a clean clone: install what is missing, then ruff, mypy, the
# import contracts (lint-imports) and pytest.
# pytest's exit code 5 (no tests collected) counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export OMP_THREAD_LIMIT=1

# PostgreSQL for the index tests (each run makes and drops its own database): use the
# server on 127.0.0.1:5432, or install (apt) and start one where there is none.
pg_listening() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! pg_listening; then
  if ! ls -d /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "casescan: installing PostgreSQL for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends postgresql postgresql-contrib
  fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 60); do pg_listening && break; sleep 1; done
fi
pg_login() {
  .venv/bin/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=5).close()' \
    "$1" 2>/dev/null
}
if [ -z "${CASESCAN_TEST_PG:-}" ] && ! pg_login "postgresql://postgres@127.0.0.1:5432/postgres"; then
  # A fresh Debian cluster asks for a password over TCP: give postgres one for the tests.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'casescan-test'\""
  export CASESCAN_TEST_PG="postgresql://postgres:casescan-test@127.0.0.1:5432/postgres"
fi
# Redis and RabbitMQ for the tests of workers over a broker: use the servers on their
# usual loopback ports, or install (apt) and start them where none listens.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_broker() {  # port, Debian package, command that starts it
  listening "$1" && return 0
  if ! dpkg -s "$2" >/dev/null 2>&1; then
    echo "casescan: installing $2 for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$2"
  fi
  eval "$3"
  for _ in $(seq 60); do listening "$1" && return 0; sleep 1; done
  echo "casescan: $2 did not start on 127.0.0.1:$1" >&2
  return 1
}
start_broker 6379 redis-server \
  "redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes"
start_broker 5672 rabbitmq-server "(rabbitmq-server -detached || service rabbitmq-server start)"
# Debian's Chromium for the web app's browser tests (Playwright drives it; it never
# downloads a browser of its own).
if [ ! -x /usr/bin/chromium ]; then
  echo "casescan: installing chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends chromium fonts-liberation fonts-dejavu-core
fi

# The static checks first: style, types, and the import contracts in pyproject.toml.
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache

set +e
.venv/bin/python -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "casescan: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$rc"
