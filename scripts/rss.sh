#!/usr/bin/env bash
# Memory under load (docs/benchmarks.md): drives REQUESTS requests (default
# 100,000) at our server as it ships, but with worker recycling off so the same
# workers serve them all, and samples each worker's resident set size every
# INTERVAL seconds. Prints each worker's RSS at the start, the end and its
# maximum; a leak shows as an end well above the start.
#
#   bash scripts/rss.sh                       # 100,000 requests, a sample every 10 s
#   REQUESTS=20000 INTERVAL=5 bash scripts/rss.sh
#
# The requests cycle through list, create, detail and PATCH, 20 s of each with
# wrk at 32 connections (the bench's load), until REQUESTS are done.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS="${REQUESTS:-100000}" INTERVAL="${INTERVAL:-10}"
PEER_BENCH_DIR="$(cd "${PEER_BENCH_DIR:-../shared/bench}" && pwd)"  # for its report.lua
command -v wrk >/dev/null || { echo "rss: wrk is needed (apt-get install wrk)" >&2; exit 2; }

# shellcheck source=live-server.sh
source scripts/live-server.sh
export PROMETHEUS_MULTIPROC_DIR="$LIVE_WORK_DIR/prometheus" JWT_ACCESS_MINUTES=120
export DJANGO_SECURE_SSL_REDIRECT=true GUNICORN_MAX_REQUESTS=0
start_live_server todo_rss "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
sign_up_with_todos rss@example.com 1000
workers="$(pgrep -P "$SERVER_PID" | tr '\n' ' ')"
echo "rss: gunicorn $SERVER_PID, workers $workers; $REQUESTS requests, a sample every $INTERVAL s"

samples="$LIVE_WORK_DIR/rss.tsv"
sample() {  # elapsed-seconds requests-so-far: one line per worker, RSS in KiB
  for pid in $workers; do
    echo -e "$1\t$2\t$pid\t$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
  done >>"$samples"
}

started=$SECONDS done_requests=0
sample 0 0
(
  while sleep "$INTERVAL"; do sample $((SECONDS - started)) "?"; done
) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true; stop_live_server' EXIT

run() {  # METHOD PATH [BODY]: 20 s of wrk; adds its request count to done_requests
  local out
  out="$(WRK_METHOD="$1" WRK_BODY="${3:-}" wrk -t 2 -c 32 -d 20s --timeout 5s \
    -s "$PEER_BENCH_DIR/report.lua" -H "Authorization: Bearer $TOKEN" \
    -H "X-Forwarded-Proto: https" "$BASE$2" | grep '^RESULT ')"
  grep -q 'non2xx=0 errors=0' <<<"$out" || { echo "rss: a run failed: $out" >&2; exit 1; }
  done_requests=$((done_requests + $(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out" | awk '{ printf "%d", $1 * 20 }')))
}
while ((done_requests < REQUESTS)); do
  run GET "/api/v1/todos/?page_size=20"
  run POST /api/v1/todos/ '{"title":"rss todo"}'
  run GET "/api/v1/todos/$TODO_ID/"
  run PATCH "/api/v1/todos/$TODO_ID/" '{"title":"rss patch"}'
  sample $((SECONDS - started)) "$done_requests"
  echo "rss: $done_requests requests after $((SECONDS - started)) s"
done
kill "$sampler"
[[ "$(pgrep -P "$SERVER_PID" | tr '\n' ' ')" == "$workers" ]] \
  || echo "rss: a worker was replaced during the run: its numbers are not one process's" >&2

# "warm": after the first cycle of the four requests, once every code path has run.
echo "| worker | RSS forked MiB | warm MiB | at the end MiB | max MiB | samples |"
echo "|---|---|---|---|---|---|"
awk -F'\t' '
  { rss[$3] = $4 / 1024; if (!($3 in first)) { first[$3] = rss[$3]; order[++n] = $3 }
    if ($2 != "?" && $2 > 0 && !($3 in warm)) warm[$3] = rss[$3]
    if (rss[$3] > max[$3]) max[$3] = rss[$3]; count[$3]++ }
  END { for (i = 1; i <= n; i++) { p = order[i]
          printf "| %s | %.1f | %.1f | %.1f | %.1f | %d |\n", p, first[p], warm[p], rss[p], max[p], count[p] } }
' "$samples"
echo "rss: $done_requests requests in $((SECONDS - started)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
