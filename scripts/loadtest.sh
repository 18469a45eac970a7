#!/usr/bin/env bash
# Load test on a production-like stack: gunicorn (gunicorn.conf.py) with
# debug off, PostgreSQL and Redis, driven by scripts/loadtest.py. Creates and
# drops its own database; exits non-zero on any 5xx, socket error or
# unexpected status.
#
#   bash scripts/loadtest.sh                  # 60 s, 64 connections, 50 users
#   DURATION=15 bash scripts/loadtest.sh      # the short CI run
#   bash scripts/loadtest.sh --connections 32 # extra flags go to loadtest.py
set -euo pipefail
cd "$(dirname "$0")/.."

LOCUST_VERSION="2.47.0"
TOOLS_VENV="${TOOLS_VENV:-.fuzz-venv}"
DURATION="${DURATION:-60}"
PYTHON="${PYTHON:-python3}"

if ! "$TOOLS_VENV/bin/python" -c "import locust, sys; sys.exit(locust.__version__ != '$LOCUST_VERSION')" 2>/dev/null; then
  [[ -x "$TOOLS_VENV/bin/python" ]] || "$PYTHON" -m venv "$TOOLS_VENV"
  "$TOOLS_VENV/bin/python" -m pip install --quiet --upgrade pip
  "$TOOLS_VENV/bin/python" -m pip install --quiet "locust==$LOCUST_VERSION"
fi

# shellcheck source=live-server.sh
source scripts/live-server.sh
start_live_server todo_load "${LOAD_REDIS_URL:-redis://127.0.0.1:6379/12}"

echo "Server: gunicorn --config gunicorn.conf.py on $BASE; $(nproc) cores; ${DURATION} s of load"
status=0
"$TOOLS_VENV/bin/python" scripts/loadtest.py --host "$BASE" --duration "$DURATION" \
  --server-pid "$SERVER_PID" "$@" || status=$?
if ((status != 0)); then
  echo "--- server errors logged during the run"
  print_server_errors
fi
exit "$status"
