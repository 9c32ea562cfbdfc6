#!/usr/bin/env bash
# Benchmarks of "where can I go from here" (issue 11), on this machine (server and load generator
# share its cores):
#   - the catalog build with relatedness and the step graph for every occupation, from the
#     server's own "catalog and facts built" log line, and start to first answer;
#   - /occupations/{code}/transitions requests/s at 64 connections (wrk);
#   - /paths with max_steps=3 over random pairs of the 879 rated occupations (almost every
#     request computed, not cached): p50 and p99 latency;
#   - the server's resident memory after the load;
#   - the default ranking's agreement with the tuning half of O*NET's Related Occupations list.
# Installs wrk from Debian's packages when missing. Criterion benches of the same work without
# HTTP: cargo bench -p skillgap-server --bench handlers -- moves
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
RELATED=${RELATED:-$(cd .. && pwd)/shared/onet/related_30_0_train/Related Occupations.txt}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
    apt-get install -y -qq wrk >/dev/null
fi
BIN=${BIN:-}
if [ -z "$BIN" ]; then
    cargo build --release --locked -p skillgap
    BIN=$PWD/target/release/skillgap
fi
TMP=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

DB=sqlite://$TMP/moves.db
"$BIN" load --onet-dir "$ONET_DIR" --database-url "$DB" >/dev/null
# Pay orders need BLS wages (issue 21).
BLS_DIR=${SKILLGAP_BLS_DIR:-$(cd .. && pwd)/shared/bls}
"$BIN" load-labor --oews "$BLS_DIR/national_M2024_dl.xlsx" --projections "$BLS_DIR/occupation.xlsx" \
    --crosswalk "$ONET_DIR/../crosswalks/2019_to_SOC_Crosswalk.xlsx" --database-url "$DB" >/dev/null

echo "== default ranking against the tuning half of O*NET's Related Occupations"
"$BIN" --database-url "$DB" evaluate-transitions --related "$RELATED" 2>/dev/null | tee "$OUT/moves.txt"

now_ms() { date +%s%3N; }
start=$(now_ms)
RUST_LOG=info "$BIN" serve --database-url "$DB" --bind 127.0.0.1:8092 2> "$TMP/serve.log" &
SERVER=$!
for _ in $(seq 1 2000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:8092/occupations/15-1254.00/transitions")" = 200 ] && break
    sleep 0.005
done
echo "start to first transitions answer: $(( $(now_ms) - start )) ms" | tee -a "$OUT/moves.txt"
{ grep -o 'catalog and facts built.*' "$TMP/serve.log" || true; } | head -1 | tee -a "$OUT/moves.txt"

echo "== /occupations/{code}/transitions ($CONNECTIONS connections, $DURATION)"
wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:8092/occupations/15-1254.00/transitions" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:8092/occupations/15-1254.00/transitions" > "$OUT/wrk-transitions.txt"
echo "transitions: $(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-transitions.txt") requests/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk-transitions.txt")" | tee -a "$OUT/moves.txt"

echo "== pay orders (issue 21: >= 30,000 requests/s), one source (cached) and random sources (computed)"
for sort in wage_gain effort_per_dollar; do
    url="http://127.0.0.1:8092/occupations/15-1254.00/transitions?sort=$sort"
    wrk -t2 -c"$CONNECTIONS" -d3s "$url" >/dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url" > "$OUT/wrk-$sort.txt"
    echo "transitions?sort=$sort: $(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$sort.txt") requests/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk-$sort.txt")" | tee -a "$OUT/moves.txt"
    {
        echo "codes = {"
        awk -F'\t' 'NR > 1 { print "\"" $1 "\"," }' "$ONET_DIR/Skills.txt" | sort -u
        echo "}"
        echo 'request = function() return wrk.format("GET", "/occupations/" .. codes[math.random(#codes)] .. "/transitions?sort='"$sort"'") end'
    } > "$TMP/pay.lua"
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/pay.lua" "http://127.0.0.1:8092" > "$OUT/wrk-$sort-random.txt"
    echo "transitions?sort=$sort, random sources: $(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$sort-random.txt") requests/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk-$sort-random.txt")" | tee -a "$OUT/moves.txt"
done

echo "== /paths?max_steps=3 over random pairs (computed, not cached), 1 connection then $CONNECTIONS"
{
    echo "codes = {"
    awk -F'\t' 'NR > 1 { print "\"" $1 "\"," }' "$ONET_DIR/Skills.txt" | sort -u
    echo "}"
    cat <<'LUA'
math.randomseed(os.time())
request = function()
  local a = codes[math.random(#codes)]
  local b = codes[math.random(#codes)]
  while b == a do b = codes[math.random(#codes)] end
  return wrk.format("GET", "/paths?max_steps=3&from=" .. a .. "&to=" .. b)
end
LUA
} > "$TMP/paths.lua"
for c in 1 "$CONNECTIONS"; do
    wrk -t1 -c"$c" -d"$DURATION" --latency -s "$TMP/paths.lua" "http://127.0.0.1:8092" > "$OUT/wrk-paths-$c.txt"
    echo "paths at $c connection(s): $(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-paths-$c.txt") requests/s, p50 $(awk '$1 == "50%" {print $2}' "$OUT/wrk-paths-$c.txt"), p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk-paths-$c.txt")" | tee -a "$OUT/moves.txt"
done
grep -E 'VmRSS|VmHWM' /proc/$SERVER/status | tr -s ' ' | tee -a "$OUT/moves.txt"
