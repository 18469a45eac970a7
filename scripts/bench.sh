#!/usr/bin/env bash
# Throughput against the seed's design (docs/benchmarks.md): our server as it
# ships, the reference server (FastAPI + SQLAlchemy async) and the plain DRF
# peer (the same list as DRF's defaults serve it), both run from
# ../shared/bench, never copied, on one PostgreSQL, each with one user owning
# 1,000 todos, loaded in turn with the same wrk runs. Prints a table of req/s,
# latency, ms of server CPU per request and the ratios ours/theirs.
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
#      PEER_DB_NAME (peer_fastapi_bench), DRF_PORT (8290), DRF_STATE_DIR
#      (/tmp/peer_drf_bench), DRF_DB_NAME (peer_drf_bench), BENCH_OURS_ONLY (1: skip both peers),
#      BENCH_ENDPOINTS ("list create detail patch": the ones to run).
set -euo pipefail
cd "$(dirname "$0")/.."

PEER_BENCH_DIR="$(cd "${PEER_BENCH_DIR:-../shared/bench}" && pwd)"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}"
PEER_PORT="${PEER_PORT:-8190}"
PEER_STATE_DIR="${PEER_STATE_DIR:-/tmp/peer_fastapi_bench}"
PEER_DB_NAME="${PEER_DB_NAME:-peer_fastapi_bench}"
DRF_PORT="${DRF_PORT:-8290}"
DRF_STATE_DIR="${DRF_STATE_DIR:-/tmp/peer_drf_bench}"
DRF_DB_NAME="${DRF_DB_NAME:-peer_drf_bench}"
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
  if [[ -n "$peer_started" ]]; then
    STATE_DIR="$PEER_STATE_DIR" "$PEER_BENCH_DIR/peer_fastapi/stop.sh" >/dev/null || true
    STATE_DIR="$DRF_STATE_DIR" "$PEER_BENCH_DIR/peer_drf/stop.sh" >/dev/null || true
  fi
  stop_live_server
}
trap stop_all EXIT

# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh

# run SERVER NAME MASTER_PID URL TOKEN METHOD [BODY]: one wrk run, appended to $RESULTS.
run() {
  local server="$1" name="$2" result
  result="$(wrk_run "${@:3}")" || exit 1
  echo -e "$round\t$server\t$name\t$result" | tee -a "$RESULTS"
}

echo "bench: $(nproc) cores, load average $(load_average) at the start; $ROUNDS rounds of" \
  "$DURATION at $CONNECTIONS connections, $THREADS wrk threads"

# --- ours ---------------------------------------------------------------------
start_live_server todo_bench "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
OURS_PID="$SERVER_PID"
sign_up_with_todos bench@example.com "$SEED_TODOS"
OURS_TOKEN="$TOKEN" OURS_TODO="$TODO_ID"
echo "ours: $BASE (gunicorn pid $OURS_PID, $(pgrep -c -P "$OURS_PID") workers)"

# --- the references: the seed's design, and DRF as a team would write it ------------
if [[ -z "$BENCH_OURS_ONLY" ]]; then
  peer_started=1
  # Three servers on one PostgreSQL (max_connections 100): ours and the DRF peer
  # hold up to 20 connections each, the reference 16 a worker (its default, 32 a
  # worker, ran the server out of connections beside the other two).
  (cd "$PEER_BENCH_DIR/peer_fastapi" && PORT="$PEER_PORT" WORKERS=2 SEED_TODOS="$SEED_TODOS" \
    STATE_DIR="$PEER_STATE_DIR" DB_NAME="$PEER_DB_NAME" DB_POOL_SIZE=16 ./serve.sh) >/dev/null
  PEER_BASE="http://127.0.0.1:$PEER_PORT"
  PEER_PID="$(cat "$PEER_STATE_DIR/gunicorn.pid")"
  PEER_TOKEN="$(tr -d '[:space:]' <"$PEER_STATE_DIR/token")"
  echo "reference: $PEER_BASE (gunicorn pid $PEER_PID, $(pgrep -c -P "$PEER_PID") workers)"
  PORT="$DRF_PORT" WORKERS=5 THREADS=4 SEED_TODOS="$SEED_TODOS" STATE_DIR="$DRF_STATE_DIR" \
    DB_NAME="$DRF_DB_NAME" "$PEER_BENCH_DIR/peer_drf/serve.sh" >/dev/null
  DRF_BASE="http://127.0.0.1:$DRF_PORT"
  DRF_PID="$(cat "$DRF_STATE_DIR/gunicorn.pid")"
  DRF_TOKEN="$(tr -d '[:space:]' <"$DRF_STATE_DIR/token")"
  echo "plain DRF: $DRF_BASE (gunicorn pid $DRF_PID, $(pgrep -c -P "$DRF_PID") workers)"
fi

# This machine's PostgreSQL runs with autovacuum off (production's has it on):
# without statistics the planner reads and sorts a user's every todo for each
# page (docs/benchmarks.md, "Lists' cost"). So every server's database is
# analyzed after seeding and after each round, whose creates add thousands of
# rows, as autovacuum would, and between runs, never during one.
analyze_databases() {
  local db
  for db in "$LIVE_DB" $([[ -n "$BENCH_OURS_ONLY" ]] || echo "$PEER_DB_NAME" "$DRF_DB_NAME"); do
    psql -h 127.0.0.1 -U root -d "$db" -qc ANALYZE
  done
}
analyze_databases

# --- warm-up, then alternating runs -------------------------------------------------
CREATE_BODY='{"title":"bench todo"}'
PATCH_BODY='{"title":"bench patch"}'
# peers SERVER...: the servers to load this run, ours first.
peers() { echo ours; [[ -n "$BENCH_OURS_ONLY" ]] || echo ref drf; }
list() {
  case "$1" in
    ours) run ours list "$OURS_PID" "$BASE/api/v1/todos/?page_size=20" "$OURS_TOKEN" GET ;;
    ref) run ref list "$PEER_PID" "$PEER_BASE/todos/?limit=20" "$PEER_TOKEN" GET ;;
    drf) run drf list "$DRF_PID" "$DRF_BASE/api/todos/?limit=20" "$DRF_TOKEN" GET ;;
  esac
}
create() {
  case "$1" in
    ours) run ours create "$OURS_PID" "$BASE/api/v1/todos/" "$OURS_TOKEN" POST "$CREATE_BODY" ;;
    ref) run ref create "$PEER_PID" "$PEER_BASE/todos/" "$PEER_TOKEN" POST "$CREATE_BODY" ;;
    drf) run drf create "$DRF_PID" "$DRF_BASE/api/todos/" "$DRF_TOKEN" POST "$CREATE_BODY" ;;
  esac
}
round=warmup
DURATION_SAVED="$DURATION" DURATION=3s
for server in $(peers); do list "$server" >/dev/null; done
DURATION="$DURATION_SAVED"

: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  if [[ "$BENCH_ENDPOINTS" == *" list "* ]]; then
    for server in $(peers); do list "$server"; done
  fi
  if [[ "$BENCH_ENDPOINTS" == *" create "* ]]; then
    for server in $(peers); do create "$server"; done
  fi
  [[ "$BENCH_ENDPOINTS" != *" detail "* ]] \
    || run ours detail "$OURS_PID" "$BASE/api/v1/todos/$OURS_TODO/" "$OURS_TOKEN" GET
  [[ "$BENCH_ENDPOINTS" != *" patch "* ]] \
    || run ours patch "$OURS_PID" "$BASE/api/v1/todos/$OURS_TODO/" "$OURS_TOKEN" PATCH "$PATCH_BODY"
  analyze_databases
done

echo "bench: load average $(load_average) at the end"
.venv/bin/python - "$RESULTS" "${DURATION%s}" <<'PY'
import statistics
import sys
from collections import defaultdict

path, seconds = sys.argv[1], float(sys.argv[2])
runs = defaultdict(dict)  # (server, endpoint) -> round -> fields
for line in open(path):
    round_, server, endpoint, result = line.rstrip("\n").split("\t")
    fields = dict(item.split("=") for item in result.split())
    fields = {key: float(value) for key, value in fields.items() if key != "load"}
    fields["cpu_ms"] = fields["cpu_s"] * 1000 / max(fields["rps"] * seconds, 1)
    runs[server, endpoint][round_] = fields

def median(server, endpoint, key):
    values = [fields[key] for fields in runs[server, endpoint].values()]
    return statistics.median(values) if values else None

def cell(value, spec):
    return "-" if value is None else format(value, spec)

def ratio(endpoint, peer):
    """The median of the per-round ours/peer req/s, with the rounds'."""
    rounds = [
        fields["rps"] / runs[peer, endpoint][round_]["rps"]
        for round_, fields in runs["ours", endpoint].items()
        if round_ in runs.get((peer, endpoint), {})
    ]
    if not rounds:
        return "-"
    return f"**{statistics.median(rounds):.2f}x** ({', '.join(f'{r:.2f}' for r in rounds)})"

servers = {"ours": "ours", "ref": "seed's design", "drf": "plain DRF"}
header = ["endpoint"]
for name in servers.values():
    header += [f"{name} req/s", "p50 ms", "p99 ms", "CPU ms/req"]
header += ["ours/seed's (rounds)", "ours/DRF (rounds)"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
bad = 0
peer_bad = {"ref": 0, "drf": 0}
for endpoint in ("list", "create", "detail", "patch"):
    if not runs.get(("ours", endpoint)):
        continue
    row = [endpoint]
    for server in servers:
        row += [cell(median(server, endpoint, "rps"), ".0f"),
                cell(median(server, endpoint, "p50_ms"), ".1f"),
                cell(median(server, endpoint, "p99_ms"), ".1f"),
                cell(median(server, endpoint, "cpu_ms"), ".2f")]
    row += [ratio(endpoint, "ref"), ratio(endpoint, "drf")]
    print("| " + " | ".join(row) + " |")
    for fields in runs["ours", endpoint].values():
        bad += int(fields["non2xx"] + fields["errors"])
    for peer in peer_bad:
        for fields in runs.get((peer, endpoint), {}).values():
            peer_bad[peer] += int(fields["non2xx"] + fields["errors"])
print("\nMedians over the rounds; a ratio is the median of the per-round ours/theirs req/s.")
print("CPU ms/req: user + system time of the gunicorn master and workers per request.")
for peer, count in peer_bad.items():
    if count:
        print(f"{servers[peer]} answered {count} requests with a non-2xx or a socket error.")
if bad:
    print(f"bench: {bad} non-2xx answers or socket errors from ours: the run is not valid")
    sys.exit(1)
PY
