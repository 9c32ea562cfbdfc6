#!/usr/bin/env bash
# Issue 22: where the cached /skill-gap answer's time goes. Serves a SQLite store loaded with the
# 29.0 release, puts it under wrk (64 connections, the request log at info into a file), records
# the server with perf (DWARF call graphs; the release profile keeps line tables), and draws a
# flame graph with inferno: target/bench/flame-skill-gap.svg, and the top frames as text.
# Installs wrk and perf from Debian's packages and inferno from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
DURATION=${DURATION:-10}
FROM=${FROM:-15-1254.00}
TO=${TO:-11-3021.00}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v perf >/dev/null || missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
command -v inferno-flamegraph >/dev/null || cargo install --locked inferno

if [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release --locked --bin skillgap
fi
BIN=${BENCH_BIN:-$PWD/target/release/skillgap}
TMP=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

DB=sqlite://$TMP/flame.db
"$BIN" load --onet-dir "$ONET_DIR" --database-url "$DB" >/dev/null
"$BIN" serve --database-url "$DB" --bind 127.0.0.1:8092 2> "$TMP/requests.log" &
SERVER=$!
URL="http://127.0.0.1:8092/skill-gap?from=$FROM&to=$TO"
for _ in $(seq 1 500); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" = 200 ] && break
    sleep 0.02
done
wrk -t2 -c64 -d3s "$URL" >/dev/null
wrk -t2 -c64 -d"$((DURATION + 2))s" "$URL" > "$OUT/flame-wrk.txt" &
WRK=$!
sleep 1
perf record -F 499 --call-graph dwarf,32768 -p "$SERVER" -o "$TMP/perf.data" -- sleep "$DURATION" 2>/dev/null
wait $WRK
perf script -i "$TMP/perf.data" 2>/dev/null | inferno-collapse-perf > "$OUT/flame-skill-gap.folded"
inferno-flamegraph --title "cached /skill-gap, 64 connections" < "$OUT/flame-skill-gap.folded" > "$OUT/flame-skill-gap.svg"
grep Requests/sec "$OUT/flame-wrk.txt"
# The share of samples under each frame, the frames that matter first.
python3 - "$OUT/flame-skill-gap.folded" <<'PY'
import collections, sys
total = 0
under = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rsplit(" ", 1)
    n = int(n)
    total += n
    for f in set(stack.split(";")):
        under[f] += n
for f, n in under.most_common(60):
    print(f"{100 * n / total:5.1f}%  {f[:150]}")
PY
echo "flame graph: $OUT/flame-skill-gap.svg"
