#!/usr/bin/env bash
# Throughput against the seed's design (docs/benchmarks.md): our server as it
# ships and the reference server (FastAPI + SQLAlchemy async, run from
# ../shared/bench, never copied) on one PostgreSQL, each with one user owning
# 1,000 todos, loaded alternately with the same wrk runs. Prints a table of
# req/s, latency, ms of server CPU per request and the ratio ours/its.
#
#   make bench                        # 3 rounds of 10 s runs at 32 connections
#   ROUNDS=5 DURATION=15s bash scripts/bench.sh
#
# Ours: debug off, gunicorn.conf.py deciding workers and threads, Redis for the
# cache and throttles (throttles on, rates too high to trip), Prometheus
# multiprocess metrics, the HTTPS redirect on and X-Forwarded-Proto: https on
# every request, as behind the platform's proxy. A benchmark, not a test: it
# fails only when a run answers anything but 2xx.
#
# Env: PEER_BENCH_DIR (../shared/bench), ROUNDS (3), DURATION (10s),
#      CONNECTIONS (32), THREADS (2), BENCH_REDIS_URL (redis://127.0.0.1:6379/4),
#      PEER_PORT (8190), PEER_STATE_DIR (/tmp/peer_fastapi_bench: its venv and pid file),
#      PEER_DB_NAME (peer_fastapi_bench), BENCH_OURS_ONLY (1: skip the reference),
#      BENCH_ENDPOINTS ("list create detail patch": the ones to run).
set -euo pipefail
cd "$(dirname "$0")/.."

PEER_BENCH_DIR="$(cd "${PEER_BENCH_DIR:-../shared/bench}" && pwd)"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}"
PEER_PORT="${PEER_PORT:-8190}"
PEER_STATE_DIR="${PEER_STATE_DIR:-/tmp/peer_fastapi_bench}"
PEER_DB_NAME="${PEER_DB_NAME:-peer_fastapi_bench}"
BENCH_OURS_ONLY="${BENCH_OURS_ONLY:-}"
BENCH_ENDPOINTS=" ${BENCH_ENDPOINTS:-list create detail patch} "
SEED_TODOS=1000

command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 2; }
[[ -x .venv/bin/python ]] || { echo "bench: run make .venv/.installed first" >&2; exit 2; }

# shellcheck source=live-server.sh
source scripts/live-server.sh
export PROMETHEUS_MULTIPROC_DIR="$LIVE_WORK_DIR/prometheus" JWT_ACCESS_MINUTES=120
export DJANGO_SECURE_SSL_REDIRECT=true
RESULTS="$LIVE_WORK_DIR/results.tsv"

peer_started=""
stop_all() {
  [[ -z "$peer_started" ]] || STATE_DIR="$PEER_STATE_DIR" "$PEER_BENCH_DIR/peer_fastapi/stop.sh" >/dev/null
  stop_live_server
}
trap stop_all EXIT

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# CPU seconds used so far by a gunicorn master and its workers, reaped or alive:
# a recycled worker's time moves into the master's cutime/cstime when reaped.
cpu_seconds() {
  local master="$1" ticks
  ticks="$(getconf CLK_TCK)"
  {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$master/stat"
    for child in $(pgrep -P "$master"); do
      awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$child/stat" 2>/dev/null || true
    done
  } | awk -v ticks="$ticks" '{ total += $1 } END { printf "%.3f", total / ticks }'
}

# run SERVER NAME MASTER_PID URL TOKEN METHOD [BODY]: one wrk run, appended to $RESULTS.
run() {
  local server="$1" name="$2" master="$3" url="$4" token="$5" method="$6" body="${7:-}"
  local before after out line
  before="$(cpu_seconds "$master")"
  out="$(WRK_METHOD="$method" WRK_BODY="$body" wrk -t "$THREADS" -c "$CONNECTIONS" \
    -d "$DURATION" --timeout 5s -s "$PEER_BENCH_DIR/report.lua" \
    -H "Authorization: Bearer $token" -H "X-Forwarded-Proto: https" "$url" 2>&1)" \
    || { echo "$out" >&2; exit 1; }
  after="$(cpu_seconds "$master")"
  line="$(grep '^RESULT ' <<<"$out")" || { echo "$out" >&2; exit 1; }
  echo -e "$round\t$server\t$name\t${line#RESULT }\tcpu_s=$(awk -v a="$after" -v b="$before" \
    'BEGIN { printf "%.3f", a - b }')\tload=$(load_average | tr ' ' ,)" | tee -a "$RESULTS"
}

echo "bench: $(nproc) cores, load average $(load_average) at the start; $ROUNDS rounds of" \
  "$DURATION at $CONNECTIONS connections, $THREADS wrk threads"

# --- ours ---------------------------------------------------------------------
start_live_server todo_bench "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
OURS_PID="$SERVER_PID"
sign_up_with_todos bench@example.com "$SEED_TODOS"
OURS_TOKEN="$TOKEN" OURS_TODO="$TODO_ID"
echo "ours: $BASE (gunicorn pid $OURS_PID, $(pgrep -c -P "$OURS_PID") workers)"

# --- the reference --------------------------------------------------------------
if [[ -z "$BENCH_OURS_ONLY" ]]; then
  peer_started=1
  (cd "$PEER_BENCH_DIR/peer_fastapi" && PORT="$PEER_PORT" WORKERS=2 SEED_TODOS="$SEED_TODOS" \
    STATE_DIR="$PEER_STATE_DIR" DB_NAME="$PEER_DB_NAME" ./serve.sh) >/dev/null
  PEER_BASE="http://127.0.0.1:$PEER_PORT"
  PEER_PID="$(cat "$PEER_STATE_DIR/gunicorn.pid")"
  PEER_TOKEN="$(tr -d '[:space:]' <"$PEER_STATE_DIR/token")"
  echo "reference: $PEER_BASE (gunicorn pid $PEER_PID, $(pgrep -c -P "$PEER_PID") workers)"
fi

# --- warm-up, then alternating runs -------------------------------------------------
CREATE_BODY='{"title":"bench todo"}'
PATCH_BODY='{"title":"bench patch"}'
round=warmup
DURATION_SAVED="$DURATION" DURATION=3s
run ours list "$OURS_PID" "$BASE/api/v1/todos/?page_size=20" "$OURS_TOKEN" GET >/dev/null
[[ -n "$BENCH_OURS_ONLY" ]] || run ref list "$PEER_PID" "$PEER_BASE/todos/?limit=20" "$PEER_TOKEN" GET >/dev/null
DURATION="$DURATION_SAVED"

: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  if [[ "$BENCH_ENDPOINTS" == *" list "* ]]; then
    run ours list "$OURS_PID" "$BASE/api/v1/todos/?page_size=20" "$OURS_TOKEN" GET
    [[ -n "$BENCH_OURS_ONLY" ]] || run ref list "$PEER_PID" "$PEER_BASE/todos/?limit=20" "$PEER_TOKEN" GET
  fi
  if [[ "$BENCH_ENDPOINTS" == *" create "* ]]; then
    run ours create "$OURS_PID" "$BASE/api/v1/todos/" "$OURS_TOKEN" POST "$CREATE_BODY"
    [[ -n "$BENCH_OURS_ONLY" ]] || run ref create "$PEER_PID" "$PEER_BASE/todos/" "$PEER_TOKEN" POST "$CREATE_BODY"
  fi
  [[ "$BENCH_ENDPOINTS" != *" detail "* ]] \
    || run ours detail "$OURS_PID" "$BASE/api/v1/todos/$OURS_TODO/" "$OURS_TOKEN" GET
  [[ "$BENCH_ENDPOINTS" != *" patch "* ]] \
    || run ours patch "$OURS_PID" "$BASE/api/v1/todos/$OURS_TODO/" "$OURS_TOKEN" PATCH "$PATCH_BODY"
done

echo "bench: load average $(load_average) at the end"
.venv/bin/python - "$RESULTS" "${DURATION%s}" <<'PY'
import statistics
import sys
from collections import defaultdict

path, seconds = sys.argv[1], float(sys.argv[2])
runs = defaultdict(dict)  # (server, endpoint) -> round -> fields
for line in open(path):
    round_, server, endpoint, result, cpu, _load = line.rstrip("\n").split("\t")
    fields = dict(item.split("=") for item in f"{result} {cpu}".split())
    fields = {key: float(value) for key, value in fields.items()}
    fields["cpu_ms"] = fields["cpu_s"] * 1000 / max(fields["rps"] * seconds, 1)
    runs[server, endpoint][round_] = fields

def median(server, endpoint, key):
    values = [fields[key] for fields in runs[server, endpoint].values()]
    return statistics.median(values) if values else None

def cell(value, spec):
    return "-" if value is None else format(value, spec)

header = ["endpoint", "ours req/s", "p50 ms", "p99 ms", "CPU ms/req",
          "ref req/s", "p50 ms", "p99 ms", "CPU ms/req", "ratio"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
bad = ref_bad = 0
for endpoint in ("list", "create", "detail", "patch"):
    ratios = [
        fields["rps"] / runs["ref", endpoint][round_]["rps"]
        for round_, fields in runs["ours", endpoint].items()
        if round_ in runs.get(("ref", endpoint), {})
    ]
    row = [endpoint]
    for server in ("ours", "ref"):
        row += [cell(median(server, endpoint, "rps"), ".0f"),
                cell(median(server, endpoint, "p50_ms"), ".1f"),
                cell(median(server, endpoint, "p99_ms"), ".1f"),
                cell(median(server, endpoint, "cpu_ms"), ".2f")]
    row.append(f"{statistics.median(ratios):.2f}x" if ratios else "-")
    print("| " + " | ".join(row) + " |")
    for fields in runs["ours", endpoint].values():
        bad += int(fields["non2xx"] + fields["errors"])
    for fields in runs.get(("ref", endpoint), {}).values():
        ref_bad += int(fields["non2xx"] + fields["errors"])
print(f"\nMedians over the rounds; ratio = median of the per-round ours/ref req/s.")
print("CPU ms/req: user + system time of the gunicorn master and workers per request.")
if ref_bad:
    print(f"The reference answered {ref_bad} requests with a non-2xx or a socket error (timeouts).")
if bad:
    print(f"bench: {bad} non-2xx answers or socket errors from ours: the run is not valid")
    sys.exit(1)
PY
