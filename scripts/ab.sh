#!/usr/bin/env bash
# A/B of ours against ours (docs/benchmarks.md): two servers, A and B, each as
# scripts/bench.sh starts ours (debug off, gunicorn.conf.py, Redis throttles,
# Prometheus multiprocess, HTTPS redirect), each on its own database in the
# same PostgreSQL (analyzed after seeding), loaded with the same wrk runs
# taking turns: A, B in odd rounds, B, A in even ones, so a neighbour's load
# that grows or fades over the run falls on both. Prints every run, then per
# endpoint the medians and ranges of req/s, p50/p99 and the server's CPU ms
# per request (user + system of the master and its workers, recycled ones
# included), the per-round B/A ratios, and whether B's CPU range clears A's.
#
#   A_ENV="GUNICORN_MAX_REQUESTS=1000" B_ENV="GUNICORN_MAX_REQUESTS=0" bash scripts/ab.sh
#   A_REF=main bash scripts/ab.sh                  # main's code (a temporary worktree) against this
#   B_VENV=/tmp/venv313 bash scripts/ab.sh         # the same code under another interpreter
#   AB_INPROCESS=2000 A_REF=main bash scripts/ab.sh  # + each side's WSGI application in process
#
# Env: A_REF / B_REF (a git ref: its code from a temporary worktree; default
#      this checkout), A_DIR / B_DIR (a checkout instead), A_VENV / B_VENV (the
#      virtualenv; default this checkout's .venv), A_ENV / B_ENV (VAR=value
#      words for that side's server), ROUNDS (4), DURATION (10s), CONNECTIONS
#      (32), THREADS (2), AB_ENDPOINTS ("list create"; also detail, patch),
#      BENCH_REDIS_URL (redis://127.0.0.1:6379/4), PEER_BENCH_DIR (../shared/bench,
#      for report.lua), AB_RESULTS (a file to keep the raw runs in), AB_INPROCESS
#      (a count: each round also calls each side's WSGI application that many
#      times in one process, scripts/inprocess.py, for its CPU ms per request:
#      no gunicorn, no sockets, far less noise).
set -euo pipefail
cd "$(dirname "$0")/.."
HERE="$PWD"

PEER_BENCH_DIR="$(cd "${PEER_BENCH_DIR:-../shared/bench}" && pwd)"
ROUNDS="${ROUNDS:-4}" DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}"
AB_ENDPOINTS=" ${AB_ENDPOINTS:-list create} "
REDIS="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
SEED_TODOS=1000

command -v wrk >/dev/null || { echo "ab: wrk is needed (apt-get install wrk)" >&2; exit 2; }
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh

WORK="$(mktemp -d)"
RESULTS="${AB_RESULTS:-$WORK/results.tsv}"
declare -A PID BASE TOKEN TODO DB WORKTREE DIR VENV
cleanup() {
  for side in A B; do
    if [[ -n "${PID[$side]:-}" ]] && kill -0 "${PID[$side]}" 2>/dev/null; then
      kill "${PID[$side]}"
      wait "${PID[$side]}" 2>/dev/null || true
    fi
    [[ -z "${DB[$side]:-}" ]] || dropdb -h 127.0.0.1 -U root --if-exists "${DB[$side]}" >/dev/null 2>&1 || true
    [[ -z "${WORKTREE[$side]:-}" ]] || git worktree remove --force "${WORKTREE[$side]}" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_side SIDE: that side's server on a free port, one user owning
# SEED_TODOS todos, and its token. Sets PID, BASE, TOKEN, TODO for SIDE.
start_side() {
  local side="$1" ref_var="${1}_REF" dir_var="${1}_DIR" venv_var="${1}_VENV" env_var="${1}_ENV"
  local dir="${!dir_var:-$HERE}" venv="${!venv_var:-$HERE/.venv}" port password
  if [[ -n "${!ref_var:-}" ]]; then
    dir="$WORK/tree-$side"
    git worktree add --detach --quiet "$dir" "${!ref_var}"
    WORKTREE[$side]="$dir"
  fi
  venv="$(cd "$venv" && pwd)"
  port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  DB[$side]="todo_ab_${side,,}_$$"
  createdb -h 127.0.0.1 -U root "${DB[$side]}"
  mkdir -p "$WORK/prometheus-$side"
  # shellcheck disable=SC2206 # word-split on purpose: VAR=value words
  local env=(
    DJANGO_DEBUG=false DJANGO_SECRET_KEY="$SECRET" DJANGO_ALLOWED_HOSTS=127.0.0.1
    DJANGO_SECURE_SSL_REDIRECT=true JWT_ACCESS_MINUTES=120
    DATABASE_URL="postgres://root@127.0.0.1:5432/${DB[$side]}" REDIS_URL="$REDIS"
    THROTTLE_RATE_AUTH=1000000/min THROTTLE_RATE_USER=1000000/min THROTTLE_RATE_ANON=1000000/min
    PROMETHEUS_MULTIPROC_DIR="$WORK/prometheus-$side" ${!env_var:-}
  )
  printf '%s\n' "${env[@]}" >"$WORK/env-$side"
  DIR[$side]="$dir" VENV[$side]="$venv"
  password="$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(16))')"
  (cd "$dir" && env "${env[@]}" "$venv/bin/python" manage.py migrate --noinput >/dev/null \
    && env "${env[@]}" "$venv/bin/python" manage.py shell --no-imports -c "
from accounts.models import User
from todos.models import Todo
user = User.objects.create_user('ab@example.com', '$password')
# Into the inbox, where there are lists (a version from before them has none).
where = {'list': user.owned_lists.get(is_inbox=True)} if hasattr(user, 'owned_lists') else {}
Todo.objects.bulk_create(Todo(owner=user, **where, title=f'Todo {n}', description='seeded') for n in range($SEED_TODOS))
# Statistics, as autovacuum would gather them (it may be off on a dev machine):
# without them the planner guesses a handful of rows for the user's todos and
# sorts all of them for every page, a cost that grows with each create run.
from django.db import connection
connection.cursor().execute('ANALYZE')
")
  (cd "$dir" && exec env "${env[@]}" "$venv/bin/gunicorn" config.wsgi:application \
    --config gunicorn.conf.py --bind "127.0.0.1:$port") >"$WORK/gunicorn-$side.log" 2>&1 &
  PID[$side]=$!
  BASE[$side]="http://127.0.0.1:$port"
  for _ in $(seq 60); do
    curl -sf "${BASE[$side]}/health" >/dev/null 2>&1 && break
    kill -0 "${PID[$side]}" 2>/dev/null || { cat "$WORK/gunicorn-$side.log"; return 1; }
    sleep 0.5
  done
  TOKEN[$side]="$(curl -fsS -X POST "${BASE[$side]}/api/v1/auth/token/" -H 'X-Forwarded-Proto: https' \
    -H 'Content-Type: application/json' -d "{\"email\": \"ab@example.com\", \"password\": \"$password\"}" \
    | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access"])')"
  TODO[$side]="$(curl -fsS "${BASE[$side]}/api/v1/todos/?page_size=1" -H 'X-Forwarded-Proto: https' \
    -H "Authorization: Bearer ${TOKEN[$side]}" \
    | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["results"][0]["id"])')"
  echo "$side: $dir, $("$venv/bin/python" -V), ${!env_var:-(no extra env)}; gunicorn pid ${PID[$side]}," \
    "$(pgrep -c -P "${PID[$side]}") workers, $(git -C "$dir" rev-parse --short HEAD)"
}

# run SIDE ENDPOINT: one wrk run against that side, appended to $RESULTS.
run() {
  local side="$1" endpoint="$2" base="${BASE[$1]}" todo="${TODO[$1]}" result env
  case "$endpoint" in
    inprocess-*)
      mapfile -t env <"$WORK/env-$side"
      result="$(cd "${DIR[$side]}" && env "${env[@]}" "${VENV[$side]}/bin/python" "$HERE/scripts/inprocess.py" \
        "${TOKEN[$side]}" "${endpoint#inprocess-}" "$AB_INPROCESS" 2>>"$WORK/inprocess-$side.log")" \
        || { tail -n 30 "$WORK/inprocess-$side.log" >&2; return 1; }
      ;;
    list) result="$(wrk_run "${PID[$side]}" "$base/api/v1/todos/?page_size=20" "${TOKEN[$side]}" GET)" ;;
    create) result="$(wrk_run "${PID[$side]}" "$base/api/v1/todos/" "${TOKEN[$side]}" POST '{"title":"bench todo"}')" ;;
    detail) result="$(wrk_run "${PID[$side]}" "$base/api/v1/todos/$todo/" "${TOKEN[$side]}" GET)" ;;
    patch) result="$(wrk_run "${PID[$side]}" "$base/api/v1/todos/$todo/" "${TOKEN[$side]}" PATCH '{"title":"bench patch"}')" ;;
  esac
  echo -e "$round\t$side\t$endpoint\t$result" | tee -a "$RESULTS"
}

SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
echo "ab: $(nproc) cores, load average $(load_average) at the start; $ROUNDS rounds of" \
  "$DURATION at $CONNECTIONS connections, $THREADS wrk threads"
start_side A
start_side B

round=warmup
DURATION_SAVED="$DURATION" DURATION=3s
for side in A B; do run "$side" list >/dev/null; done
DURATION="$DURATION_SAVED"

: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  order="A B"
  (( round % 2 )) || order="B A"
  for endpoint in list create detail patch; do
    [[ "$AB_ENDPOINTS" == *" $endpoint "* ]] || continue
    for side in $order; do run "$side" "$endpoint"; done
    [[ -z "${AB_INPROCESS:-}" || "$endpoint" == detail || "$endpoint" == patch ]] \
      || for side in $order; do run "$side" "inprocess-$endpoint"; done
  done
done
echo "ab: load average $(load_average) at the end"
.venv/bin/python scripts/ab_report.py "$RESULTS" "${DURATION%s}"
