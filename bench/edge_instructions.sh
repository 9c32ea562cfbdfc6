#!/usr/bin/env bash
# User-space instructions per request, counted by callgrind: the cached /skill-gap answer against
# the bare axum handler serving the same body (issue 22's edge). Unlike requests per second on a
# shared 2-core machine, the count repeats from run to run for the same binary, so it shows what a
# change to the edge saves. Kernel time (the socket write) is not counted.
# Usage: bench/edge_instructions.sh DATABASE_URL BODY_FILE  (a loaded store; the body the bare
# handler serves). BENCH_BIN and BENCH_BARE as in bench/instant.sh. Installs valgrind and wrk from
# Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1
BODY=$2
FROM=${FROM:-15-1254.00}
TO=${TO:-11-3021.00}
BIN=${BENCH_BIN:-$PWD/target/release/skillgap}
BARE=${BENCH_BARE:-$PWD/target/release/examples/bare}
missing=()
for tool in valgrind wrk; do command -v $tool >/dev/null || missing+=($tool); done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

count() {  # count NAME URL COMMAND...: instructions per request over a 10 s wrk run
    local name=$1 url=$2
    shift 2
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/$name.out" "$@" \
        >/dev/null 2>"$TMP/$name.log" &
    local vg=$!
    for _ in $(seq 1 1200); do
        curl -sf -o /dev/null "$url" && break
        sleep 0.5
    done
    wrk -t1 -c8 -d3s "$url" >/dev/null
    callgrind_control -i on "$vg" >/dev/null 2>&1
    local out
    out=$(wrk -t1 -c8 -d10s "$url")
    callgrind_control -i off "$vg" >/dev/null 2>&1
    callgrind_control -d "$vg" >/dev/null 2>&1
    sleep 1
    kill "$vg"; wait "$vg" 2>/dev/null || true
    local requests ir
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    ir=$(callgrind_annotate "$(ls -S "$TMP/$name".out* | head -1)" 2>/dev/null \
        | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$name: $(( ir / requests )) instructions per request ($requests requests)"
}
count cached-skill-gap "http://127.0.0.1:8096/skill-gap?from=$FROM&to=$TO" \
    "$BIN" serve --database-url "$DB" --bind 127.0.0.1:8096
count bare-same-body "http://127.0.0.1:8097/" "$BARE" 127.0.0.1:8097 "$BODY"
