#!/usr/bin/env bash
# In-process against served CPU per request (docs/benchmarks.md): the same
# server environment as scripts/bench.sh, one database with one user owning
# 1,000 todos; in each round the list and create are called REQUESTS times
# through the WSGI application in one process (scripts/inprocess.py), then
# served by gunicorn under wrk as bench.sh loads it. Prints the CPU ms per
# request of both per round, their medians and the ratio served/in-process.
#
#   bash scripts/inprocess.sh
#   ROUNDS=5 REQUESTS=3000 bash scripts/inprocess.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEER_BENCH_DIR="$(cd "${PEER_BENCH_DIR:-../shared/bench}" && pwd)"  # for report.lua
ROUNDS="${ROUNDS:-3}" REQUESTS="${REQUESTS:-2000}" DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}"

# shellcheck source=live-server.sh
source scripts/live-server.sh
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
export PROMETHEUS_MULTIPROC_DIR="$LIVE_WORK_DIR/prometheus" JWT_ACCESS_MINUTES=120
export DJANGO_SECURE_SSL_REDIRECT=true
start_live_server todo_inprocess "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
sign_up_with_todos inprocess@example.com 1000
echo "inprocess: $(.venv/bin/python -V), gunicorn $SERVER_PID, load average $(load_average)"

results="$LIVE_WORK_DIR/results.tsv"
for round in $(seq "$ROUNDS"); do
  for endpoint in list create; do
    inprocess="$(.venv/bin/python scripts/inprocess.py "$TOKEN" "$endpoint" "$REQUESTS" 2>>"$LIVE_WORK_DIR/inprocess.log")" \
      || { tail -n 30 "$LIVE_WORK_DIR/inprocess.log"; exit 1; }
    if [[ "$endpoint" == list ]]; then
      served="$(wrk_run "$SERVER_PID" "$BASE/api/v1/todos/?page_size=20" "$TOKEN" GET)"
    else
      served="$(wrk_run "$SERVER_PID" "$BASE/api/v1/todos/" "$TOKEN" POST '{"title":"bench todo"}')"
    fi
    echo -e "$round\t$endpoint\t$inprocess $served" | tee -a "$results"
  done
done
echo "inprocess: load average $(load_average) at the end"
.venv/bin/python - "$results" "${DURATION%s}" <<'PY'
import statistics
import sys

rows: dict[str, list[tuple[float, float]]] = {}
for line in open(sys.argv[1]):
    _round, endpoint, fields = line.rstrip("\n").split("\t")
    values = dict(item.split("=", 1) for item in fields.split())
    served = float(values["cpu_s"]) * 1000 / (float(values["rps"]) * float(sys.argv[2]))
    rows.setdefault(endpoint, []).append((float(values["cpu_ms"]), served))
print("| endpoint | in process CPU ms/req (rounds) | served | served / in process (rounds) |")
print("|---|---|---|---|")
for endpoint, pairs in rows.items():
    inproc, served = zip(*pairs, strict=True)
    ratios = [s / i for i, s in pairs]
    print(
        f"| {endpoint} | {statistics.median(inproc):.2f} ({', '.join(f'{v:.2f}' for v in inproc)}) "
        f"| {statistics.median(served):.2f} ({', '.join(f'{v:.2f}' for v in served)}) "
        f"| **{statistics.median(ratios):.2f}x** ({', '.join(f'{r:.2f}' for r in ratios)}) |"
    )
PY
