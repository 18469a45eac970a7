# Sourced by .ci/fuzz, .ci/client-check and scripts/{loadtest,bench,rss}.sh: a production-like server on a
# throwaway database. Debug off, plain http on a free loopback port, Redis,
# throttles raised (those runs test the contract and the speed, not 429s).
# DJANGO_SECURE_SSL_REDIRECT=true beforehand keeps the HTTPS redirect on (the
# client then sends X-Forwarded-Proto: https, as the platform's proxy does).
#
#   start_live_server NAME REDIS_URL [gunicorn options ...]
#
# creates and migrates database NAME_<pid>, starts gunicorn (gunicorn.conf.py
# plus the options) and waits for /health. Sets BASE, SERVER_PID, SERVER_LOG
# (override the log's path with SERVER_LOG beforehand) and LIVE_WORK_DIR, a
# temporary folder. On exit, failure included, gunicorn is stopped and the
# database and folder removed.

LIVE_WORK_DIR="$(mktemp -d)"
SERVER_PID=""
LIVE_DB=""

stop_live_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -z "$LIVE_DB" ]] || dropdb -h 127.0.0.1 -U root --if-exists "$LIVE_DB" >/dev/null 2>&1 || true
  rm -rf "$LIVE_WORK_DIR"
}
trap stop_live_server EXIT

start_live_server() {
  local name="$1" redis_url="$2" port
  shift 2
  port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  BASE="http://127.0.0.1:$port"
  SERVER_LOG="${SERVER_LOG:-$LIVE_WORK_DIR/gunicorn.log}"
  LIVE_DB="${name}_$$"

  export DJANGO_DEBUG=false
  export DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
  export DJANGO_ALLOWED_HOSTS=127.0.0.1
  export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-false}"
  export DATABASE_URL="postgres://root@127.0.0.1:5432/$LIVE_DB"
  export REDIS_URL="$redis_url"
  export THROTTLE_RATE_AUTH=1000000/min THROTTLE_RATE_USER=1000000/min THROTTLE_RATE_ANON=1000000/min

  createdb -h 127.0.0.1 -U root "$LIVE_DB"
  .venv/bin/python manage.py migrate --noinput >/dev/null

  .venv/bin/gunicorn config.wsgi:application --config gunicorn.conf.py \
    --bind "127.0.0.1:$port" "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 60); do
    curl -sf "$BASE/health" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG"; return 1; }
    sleep 0.5
  done
  echo "gunicorn did not answer /health within 30 s" >&2
  cat "$SERVER_LOG"
  return 1
}

# sign_up_with_todos EMAIL COUNT: an account owning COUNT todos, made in the
# database, and its access token through the real token endpoint. Sets TOKEN
# and TODO_ID (one of its todos). The database is analyzed afterwards, as
# autovacuum would (it is off on some machines, this one's included): without
# statistics each page of the list reads and sorts every todo.
sign_up_with_todos() {
  local email="$1" count="$2" password
  password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(16))')"
  .venv/bin/python manage.py shell --no-imports -c "
from django.db import connection
from accounts.models import User
from todos.models import Todo
user = User.objects.create_user('$email', '$password')
inbox = user.owned_lists.get(is_inbox=True)
Todo.objects.bulk_create(Todo(owner=user, list=inbox, title=f'Todo {n}', description='seeded') for n in range($count))
connection.cursor().execute('ANALYZE')
"
  TOKEN="$(curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'X-Forwarded-Proto: https' \
    -H 'Content-Type: application/json' -d "{\"email\": \"$email\", \"password\": \"$password\"}" \
    | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access"])')"
  TODO_ID="$(curl -fsS "$BASE/api/v1/todos/?page_size=1" -H 'X-Forwarded-Proto: https' \
    -H "Authorization: Bearer $TOKEN" \
    | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["results"][0]["id"])')"
}

# What the server logged as errors, for a run that failed.
print_server_errors() {
  grep -E 'ERROR|CRITICAL|Traceback' "$SERVER_LOG" | tail -n 50 || echo "(none)"
}
