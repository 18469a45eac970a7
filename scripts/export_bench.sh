#!/usr/bin/env bash
# The export at scale (docs/benchmarks.md): one account with TODOS todos
# (default 1,000,000, made by seed_demo) on a throwaway PostgreSQL database,
# gunicorn as it ships but with one worker, and each format downloaded with
# curl while the worker's resident set size is sampled every 0.2 s. Prints,
# per format, the time and size of the download and the worker's RSS before,
# at its highest during, and after.
#
#   bash scripts/export_bench.sh
#   TODOS=100000 bash scripts/export_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

TODOS="${TODOS:-1000000}"
# shellcheck source=live-server.sh
source scripts/live-server.sh
export WEB_CONCURRENCY=1 GUNICORN_MAX_REQUESTS=0
start_live_server todo_export "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
worker="$(pgrep -P "$SERVER_PID")"

email=export@example.com password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(16))')"
.venv/bin/python manage.py shell --no-imports -c "
from accounts.models import User
User.objects.create_user('$email', '$password')
" >/dev/null
seeding_started=$SECONDS
.venv/bin/python manage.py seed_demo --email "$email" --todos "$TODOS" --yes 2>/dev/null
echo "export: $TODOS todos made in $((SECONDS - seeding_started)) s"
.venv/bin/python manage.py shell --no-imports -c "
from django.db import connection
connection.cursor().execute('VACUUM ANALYZE todos_todo')
" >/dev/null
TOKEN="$(curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
  -d "{\"email\": \"$email\", \"password\": \"$password\"}" \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access"])')"

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$worker/status"; }
# The worker's CPU seconds so far (user + system): its share, whatever else the machine runs.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$worker/stat"; }
for format in json json csv; do  # the first run warms the worker and the database's cache
  before="$(rss)" cpu_before="$(cpu)" samples="$LIVE_WORK_DIR/rss-$format"
  (while sleep 0.2; do rss; done) >"$samples" &
  sampler=$!
  result="$(curl -fsS -o "$LIVE_WORK_DIR/export.$format" -w '%{http_code} %{time_total} %{time_starttransfer} %{size_download}' \
    -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth/export/?format=$format")"
  kill "$sampler"
  read -r status total first_byte size <<<"$result"
  [[ "$status" == 200 ]] || { echo "export: $format answered $status" >&2; exit 1; }
  rows="$(case "$format" in
    json) .venv/bin/python -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["todos"]))' "$LIVE_WORK_DIR/export.json" ;;
    csv) .venv/bin/python -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$LIVE_WORK_DIR/export.csv" ;;
  esac)"
  peak="$(sort -n "$samples" | tail -1)"
  cpu_used="$(awk -v a="$cpu_before" -v b="$(cpu)" 'BEGIN { printf "%.1f", b - a }')"
  printf 'export: %s  %s todos  %.1f s (first byte %.3f s, worker CPU %s s, load %s)  %d MB  worker RSS %d MiB before, %d MiB at most, %d MiB after\n' \
    "$format" "$rows" "$total" "$first_byte" "$cpu_used" "$(cut -d' ' -f1 /proc/loadavg)" "$((size / 1000000))" "$((before / 1024))" "$((${peak:-$before} / 1024))" "$(($(rss) / 1024))"
done
