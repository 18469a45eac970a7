# Sourced by scripts/bench.sh and scripts/ab.sh: the measurements both make.
# Needs PEER_BENCH_DIR (for wrk's report.lua), DURATION, CONNECTIONS, THREADS.

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# CPU seconds used so far by a gunicorn master and its workers, reaped or alive:
# a recycled worker's time moves into the master's cutime/cstime when reaped.
# A worker reaped between reading the master and reading its children would be
# missed (or counted twice), so the reading is retried until the master's
# reaped time is the same before and after it.
cpu_seconds() {
  local master="$1" ticks reaped_before reaped_after children
  ticks="$(getconf CLK_TCK)"
  while :; do
    reaped_before="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 "," $14 + $15 }' "/proc/$master/stat")"
    children=0
    for child in $(pgrep -P "$master"); do
      children=$((children + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
    done
    reaped_after="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 "," $14 + $15 }' "/proc/$master/stat")"
    [[ "${reaped_before#*,}" != "${reaped_after#*,}" ]] || break
  done
  awk -v own="${reaped_after%,*}" -v reaped="${reaped_after#*,}" -v children="$children" -v ticks="$ticks" \
    'BEGIN { printf "%.3f", (own + reaped + children) / ticks }'
}

# wrk_run MASTER_PID URL TOKEN METHOD [BODY]: one wrk run with the bench's
# headers; prints "rps=… p50_ms=… p99_ms=… non2xx=… errors=… cpu_s=…
# load=…", the server's CPU seconds spent during the run included.
wrk_run() {
  local master="$1" url="$2" token="$3" method="$4" body="${5:-}" before after out line
  before="$(cpu_seconds "$master")"
  out="$(WRK_METHOD="$method" WRK_BODY="$body" wrk -t "$THREADS" -c "$CONNECTIONS" \
    -d "$DURATION" --timeout 5s -s "$PEER_BENCH_DIR/report.lua" \
    -H "Authorization: Bearer $token" -H "X-Forwarded-Proto: https" "$url" 2>&1)" \
    || { echo "$out" >&2; return 1; }
  after="$(cpu_seconds "$master")"
  line="$(grep '^RESULT ' <<<"$out")" || { echo "$out" >&2; return 1; }
  echo "${line#RESULT } cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.3f", a - b }')" \
    "load=$(load_average | tr ' ' ,)"
}
