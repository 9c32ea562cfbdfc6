#!/usr/bin/env bash
# Issue 22's targets in one run on this machine (release build; the load generator shares the
# server's two cores):
#   1. a load of the 29.0 release into SQLite, which also keeps the store image and relatedness: wall time;
#   2. one-shot CLI answers (`gap A B`, `transitions A`, `path A B`) with hyperfine, on SQLite,
#      PostgreSQL and MariaDB, each store loaded with the release and BLS labour data;
#   3. `serve`: start to the first /skill-gap answer, and to the first transitions answer;
#   4. the server's resident memory after the load (VmRSS) and its peak (VmHWM);
#   5. the cached /skill-gap answer against a bare axum handler serving the same body in the
#      same run, with the request log at info written to a file; and uncached random pairs
#      against the same bare handler;
#   5b. user-space instructions per request, cached /skill-gap and bare, counted by callgrind
#      (bench/edge_instructions.sh; repeatable where requests per second are not); SKIP_CALLGRIND=1
#      leaves it out;
#   6. relatedness built from scratch (criterion); SKIP_CRITERION=1 leaves it out.
# Installs hyperfine and wrk from Debian's packages when missing. SKIP_SERVERS=1 leaves out the
# PostgreSQL and MariaDB runs (they use databases named skillgap_bench, made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
BLS_DIR=${SKILLGAP_BLS_DIR:-$(cd .. && pwd)/shared/bls}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
FROM=${FROM:-15-1254.00}
TO=${TO:-11-3021.00}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

if [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release --locked --bin skillgap
    cargo build --release --locked -p skillgap-server --example bare
fi
BIN=${BENCH_BIN:-$PWD/target/release/skillgap}
BARE=${BENCH_BARE:-$PWD/target/release/examples/bare}
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
wait_for() {  # wait_for URL: poll until it answers 200
    for _ in $(seq 1 4000); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.002
    done
    echo "error: $1 never answered" >&2; return 1
}
load_all() {  # load_all DATABASE_URL: the release (deriving relatedness) and the BLS files
    "$BIN" load --onet-dir "$ONET_DIR" --database-url "$1" >/dev/null
    "$BIN" load-labor --oews "$BLS_DIR/national_M2024_dl.xlsx" --projections "$BLS_DIR/occupation.xlsx" \
        --crosswalk "$ONET_DIR/../crosswalks/2019_to_SOC_Crosswalk.xlsx" --database-url "$1" >/dev/null
}
: > "$OUT/instant.txt"
say() { echo "$*" | tee -a "$OUT/instant.txt"; }

DB=sqlite://$TMP/instant.db
echo "== 1. load into SQLite, relatedness derived and kept (3 runs, each into a new store)"
for i in 1 2 3; do
    rm -f "$TMP"/load.db*
    start=$(now_ms)
    "$BIN" load --onet-dir "$ONET_DIR" --database-url "sqlite://$TMP/load.db" >/dev/null
    say "load run $i: $(( $(now_ms) - start )) ms"
done
load_all "$DB"

echo "== 2. one-shot CLI answers (hyperfine)"
cli() {  # cli NAME DATABASE_URL
    hyperfine --warmup 2 --runs "${RUNS:-15}" --export-json "$OUT/cli-$1.json" -N \
        "$BIN gap $FROM $TO --database-url $2" \
        "$BIN transitions $FROM --database-url $2" \
        "$BIN path $FROM $TO --database-url $2" > "$OUT/cli-$1.txt"
    python3 - "$OUT/cli-$1.json" "$1" <<'PY' | tee -a "$OUT/instant.txt"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    words = r["command"].split()
    print(f"{sys.argv[2]}: {words[1]:<12} mean {r['mean']*1000:7.1f} ms  median {r['median']*1000:7.1f} ms  max {r['max']*1000:7.1f} ms")
PY
}
cli sqlite "$DB"
if [ "${SKIP_SERVERS:-}" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d test -qtc "SELECT 1 FROM pg_database WHERE datname = 'skillgap_bench'" | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE skillgap_bench"
    mysql -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS skillgap_bench"
    PG=postgres://postgres@127.0.0.1:5432/skillgap_bench
    MY=mysql://root@127.0.0.1:3306/skillgap_bench
    load_all "$PG"
    cli postgres "$PG"
    load_all "$MY"
    cli mariadb "$MY"
fi

echo "== 3. serve: start to first answers (5 runs each)"
for route in "skill-gap?from=$FROM&to=$TO" "occupations/$FROM/transitions"; do
    for i in 1 2 3 4 5; do
        start=$(now_ms)
        "$BIN" serve --database-url "$DB" --bind 127.0.0.1:8090 2>/dev/null & pid=$!
        wait_for "http://127.0.0.1:8090/$route"
        say "serve to first /${route%%\?*}: run $i $(( $(now_ms) - start )) ms"
        kill -TERM $pid; wait $pid || true
    done
done

run_wrk() {  # run_wrk NAME URL [SCRIPT]: prints requests/s last
    local script=()
    [ -n "${3:-}" ] && script=(-s "$3")
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$2" > "$OUT/wrk-$1.txt"
    local rps p99
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-$1.txt")
    say "$1: $rps requests/s, p99 $p99"
    echo "$rps"
}
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

echo "== 4, 5. serve under load ($CONNECTIONS connections, $DURATION), request log at info into a file"
"$BIN" serve --database-url "$DB" --bind 127.0.0.1:8090 2> "$TMP/requests.log" & PIDS+=($!)
SERVER=$!
wait_for "http://127.0.0.1:8090/health"
sleep 1
grep -E 'VmRSS|VmHWM' /proc/$SERVER/status | tr -s ' ' | sed 's/^/after the load: /' | tee -a "$OUT/instant.txt"
curl -s "http://127.0.0.1:8090/skill-gap?from=$FROM&to=$TO" -o "$OUT/body.json"
say "cached body: $(wc -c < "$OUT/body.json") bytes"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8090/skill-gap?from=$FROM&to=$TO" >/dev/null
gap_rps=$(run_wrk cached-skill-gap "http://127.0.0.1:8090/skill-gap?from=$FROM&to=$TO" | tail -1)
random_rps=$(run_wrk random-pairs "http://127.0.0.1:8090" "$TMP/pairs.lua" | tail -1)
grep -E 'VmRSS|VmHWM' /proc/$SERVER/status | tr -s ' ' | sed 's/^/after the load runs: /' | tee -a "$OUT/instant.txt"
kill -TERM $SERVER; wait $SERVER || true
logged=$(grep -c 'skillgap::request' "$TMP/requests.log" || true)
say "request log lines written: $logged"

"$BARE" 127.0.0.1:8091 "$OUT/body.json" 2>/dev/null & PIDS+=($!)
BARE_PID=$!
wait_for "http://127.0.0.1:8091/"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8091/" >/dev/null
bare_rps=$(run_wrk bare-same-body "http://127.0.0.1:8091/" | tail -1)
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true
awk -v g="$gap_rps" -v r="$random_rps" -v b="$bare_rps" \
    'BEGIN { printf "cached /skill-gap / bare same body: %.2f; random pairs / bare: %.2f\n", g / b, r / b }' \
    | tee -a "$OUT/instant.txt"

if [ "${SKIP_CALLGRIND:-}" != 1 ]; then
    echo "== 5b. user-space instructions per request (callgrind), cached /skill-gap and bare"
    BENCH_BIN=$BIN BENCH_BARE=$BARE bench/edge_instructions.sh "$DB" "$OUT/body.json" | tee -a "$OUT/instant.txt"
fi

[ "${SKIP_CRITERION:-}" = 1 ] && exit 0
echo "== 6. relatedness built from scratch (criterion)"
cargo bench --locked -p skillgap-core --bench relatedness -- --noplot 2>&1 | tee "$OUT/relatedness.txt" | grep -E '^[a-z].*|time:'
