#!/usr/bin/env bash
# API benchmarks for issue #3, on this machine (server and load generator share its cores):
#   - start to first answered /skill-gap request, SQLite store with 29.0 loaded;
#   - /skill-gap throughput and latency at 64 connections (wrk), against a bare axum handler
#     measured the same way in the same run, and the ratio;
#   - server resident memory after the load;
#   - the same /skill-gap figures with BLS labour data loaded (issue #12: wages, outlook and
#     education on both sides), and the ratio to the figures without;
#   - criterion benches of the engine (gap, transitions over all 879 rated occupations, search);
#     SKIP_CRITERION=1 leaves them out.
# Installs wrk from Debian's packages when missing.
#
# To compare two builds in one session (issue #10's before and after), point BENCH_BIN at another
# build's `skillgap` (and BENCH_BARE at its `bare` example, or this build's); SKIP_LABOR=1 leaves
# out the labour-data run for a build without `load-labor`.
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
BLS_DIR=${SKILLGAP_BLS_DIR:-$(cd .. && pwd)/shared/bls}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
PAIR=${PAIR:-from=15-1254.00&to=11-3021.00}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
    apt-get install -y -qq wrk >/dev/null
fi

if [ -z "${BENCH_BIN:-}" ] || [ -z "${BENCH_BARE:-}" ]; then
    cargo build --release --locked -p skillgap
    cargo build --release --locked -p skillgap-server --example bare
fi
BIN=${BENCH_BIN:-$PWD/target/release/skillgap}
BARE=${BENCH_BARE:-$PWD/target/release/examples/bare}
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

DB=sqlite://$TMP/api.db
"$BIN" load --onet-dir "$ONET_DIR" --database-url "$DB" >/dev/null

now_ms() { date +%s%3N; }
wait_for() {  # wait_for URL: poll until it answers 200
    for _ in $(seq 1 2000); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.005
    done
    echo "error: $1 never answered" >&2; return 1
}

echo "== start to first answered request (5 runs)"
for i in 1 2 3 4 5; do
    start=$(now_ms)
    "$BIN" serve --database-url "$DB" --bind 127.0.0.1:8090 2>/dev/null & pid=$!
    wait_for "http://127.0.0.1:8090/skill-gap?$PAIR"
    echo "run $i: $(( $(now_ms) - start )) ms"
    kill -TERM $pid; wait $pid || true
done | tee "$OUT/startup.txt"

run_wrk() {  # run_wrk NAME URL
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$2" > "$OUT/wrk-$1.txt"
    local rps p99
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-$1.txt")
    echo "$1: $rps requests/s, p99 $p99" | tee -a "$OUT/api.txt"
    echo "$rps"
}
: > "$OUT/api.txt"

echo "== /skill-gap under load ($CONNECTIONS connections, $DURATION, request log on at info)"
"$BIN" serve --database-url "$DB" --bind 127.0.0.1:8090 2>/dev/null & PIDS+=($!)
SERVER=$!
wait_for "http://127.0.0.1:8090/health"
curl -s "http://127.0.0.1:8090/skill-gap?$PAIR" -o "$OUT/body.json"
echo "response body: $(wc -c < "$OUT/body.json") bytes"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8090/skill-gap?$PAIR" >/dev/null  # warm-up
gap_rps=$(run_wrk skill-gap "http://127.0.0.1:8090/skill-gap?$PAIR" | tail -1)

# Random pairs of the 879 rated occupations: almost every request misses the answer cache,
# so this measures the full path (parse, compare, build, serialize).
{
    echo "codes = {"
    awk -F'\t' 'NR > 1 { print "\"" $1 "\"," }' "$ONET_DIR/Skills.txt" | sort -u
    echo "}"
    cat <<'LUA'
math.randomseed(os.time())
request = function()
  local a = codes[math.random(#codes)]
  local b = codes[math.random(#codes)]
  return wrk.format("GET", "/skill-gap?from=" .. a .. "&to=" .. b)
end
LUA
} > "$TMP/pairs.lua"
random_pairs() {  # random_pairs NAME: prints requests/s
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/pairs.lua" "http://127.0.0.1:8090" > "$OUT/wrk-$1.txt"
    local rps
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt")
    echo "skill-gap $1: $rps requests/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk-$1.txt")" | tee -a "$OUT/api.txt"
    echo "$rps"
}
random_rps=$(random_pairs random-pairs | tail -1)
trans_rps=$(run_wrk transitions "http://127.0.0.1:8090/occupations/15-1254.00/transitions" | tail -1)
grep -E 'VmRSS|VmHWM' /proc/$SERVER/status | tr -s ' ' | tee -a "$OUT/api.txt"
kill -TERM $SERVER; wait $SERVER || true

if [ "${SKIP_LABOR:-}" != 1 ]; then
echo "== /skill-gap with BLS labour data loaded (load-labor into the same store), same load"
"$BIN" load-labor --oews "$BLS_DIR/national_M2024_dl.xlsx" --projections "$BLS_DIR/occupation.xlsx" \
    --crosswalk "$ONET_DIR/../crosswalks/2019_to_SOC_Crosswalk.xlsx" --database-url "$DB" >/dev/null
"$BIN" serve --database-url "$DB" --bind 127.0.0.1:8090 2>/dev/null & PIDS+=($!)
SERVER=$!
wait_for "http://127.0.0.1:8090/health"
curl -s "http://127.0.0.1:8090/skill-gap?$PAIR" -o "$OUT/body-labor.json"
grep -q '"labor"' "$OUT/body-labor.json" || { echo "error: no labour facts in the answer" >&2; exit 1; }
echo "response body with labour facts: $(wc -c < "$OUT/body-labor.json") bytes"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8090/skill-gap?$PAIR" >/dev/null  # warm-up
labor_rps=$(run_wrk skill-gap-labor "http://127.0.0.1:8090/skill-gap?$PAIR" | tail -1)
labor_random_rps=$(random_pairs random-pairs-labor | tail -1)
kill -TERM $SERVER; wait $SERVER || true
awk -v l="$labor_rps" -v g="$gap_rps" -v lr="$labor_random_rps" -v r="$random_rps" \
    'BEGIN { printf "ratio with / without labour data: same pair %.1f%%, random pairs %.1f%%\n", 100 * l / g, 100 * lr / r }' \
    | tee -a "$OUT/api.txt"
fi

echo "== bare axum handler, same load"
"$BARE" 127.0.0.1:8091 2>/dev/null & PIDS+=($!)
BARE_PID=$!
wait_for "http://127.0.0.1:8091/"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8091/" >/dev/null
bare_rps=$(run_wrk bare "http://127.0.0.1:8091/" | tail -1)
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true

echo "== bare axum handler answering the same $(wc -c < "$OUT/body.json")-byte body (payload cost alone)"
"$BARE" 127.0.0.1:8091 "$OUT/body.json" 2>/dev/null & PIDS+=($!)
BARE_PID=$!
wait_for "http://127.0.0.1:8091/"
run_wrk bare-same-body "http://127.0.0.1:8091/" >/dev/null
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true

awk -v g="$gap_rps" -v b="$bare_rps" 'BEGIN { printf "ratio /skill-gap / bare: %.1f%%\n", 100 * g / b }' | tee -a "$OUT/api.txt"

[ "${SKIP_CRITERION:-}" = 1 ] && exit 0
echo "== criterion: engine and handler work"
cargo bench --locked -p skillgap-core --bench engine -- --noplot
cargo bench --locked -p skillgap-server --bench handlers -- --noplot
