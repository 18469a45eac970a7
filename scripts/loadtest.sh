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

DB_NAME="todo_load_$$"
WORK_DIR="$(mktemp -d)"
GUNICORN_PID=""
cleanup() {
  if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID"
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  dropdb -h 127.0.0.1 -U root --if-exists "$DB_NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"

# Production settings over plain http. The throttles are raised so the run
# measures the service, not a stream of 429s.
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="postgres://root@127.0.0.1:5432/$DB_NAME"
export REDIS_URL="${LOAD_REDIS_URL:-redis://127.0.0.1:6379/12}"
export THROTTLE_RATE_AUTH=1000000/min THROTTLE_RATE_USER=1000000/min THROTTLE_RATE_ANON=1000000/min

createdb -h 127.0.0.1 -U root "$DB_NAME"
.venv/bin/python manage.py migrate --noinput >/dev/null

if [[ -f gunicorn.conf.py ]]; then
  SERVER_ARGS=(--config gunicorn.conf.py)
else
  SERVER_ARGS=(--workers 5 --worker-class gthread --threads 4)
fi
.venv/bin/gunicorn config.wsgi:application "${SERVER_ARGS[@]}" --bind "127.0.0.1:$PORT" \
  >"$WORK_DIR/server.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 60); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK_DIR/server.log"; exit 1; }
  sleep 0.5
done
curl -sf "$BASE/health" >/dev/null

echo "Server: gunicorn ${SERVER_ARGS[*]} on $BASE; $(nproc) cores; ${DURATION} s of load"
status=0
"$TOOLS_VENV/bin/python" scripts/loadtest.py --host "$BASE" --duration "$DURATION" \
  --server-pid "$GUNICORN_PID" "$@" || status=$?
if ((status != 0)); then
  echo "--- server errors logged during the run"
  grep -E 'ERROR|CRITICAL|Traceback' "$WORK_DIR/server.log" | tail -n 50 || echo "(none)"
fi
exit "$status"
