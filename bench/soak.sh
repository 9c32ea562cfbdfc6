#!/usr/bin/env bash
# Soak (issue #14): five minutes of mixed traffic at 64 connections against the release server —
# valid pairs, occupations without ratings (409), unknown codes (404), bad parameters (400) and
# searches — with, every 15 s, requests per second and server errors (from the server's own
# /metrics counters) and its RSS. Passes when no request failed or got a 5xx and RSS stayed within
# 10% of its value at the end of the first minute. Installs wrk from Debian's packages if missing.
#
#   bench/soak.sh                          # builds the release binary first
#   DURATION=60 bench/soak.sh              # shorter (seconds)
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
DURATION=${DURATION:-300}
CONNECTIONS=${CONNECTIONS:-64}
EVERY=15
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"
if ! command -v wrk >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
if [ -z "${BIN:-}" ]; then
    cargo build --release --locked -p skillgap
    BIN=$PWD/target/release/skillgap
fi
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

DB=sqlite://$TMP/soak.db
RUST_LOG=warn "$BIN" load --onet-dir "$ONET_DIR" --database-url "$DB" >/dev/null
RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind 127.0.0.1:0 2> "$TMP/serve.log" &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 600); do
    ADDR=$(sed -n 's/^skillgap listening on http:\/\/\([^ ]*\).*/\1/p' "$TMP/serve.log")
    [ -n "$ADDR" ] && break
    sleep 0.1
done
[ -n "${ADDR:-}" ] || { cat "$TMP/serve.log" >&2; exit 1; }

# The mix, one path per request in turn; 15-1252.00 and 11-2032.00 have no O*NET skill ratings.
cat > "$TMP/mix.lua" <<'EOF'
local paths = {
  "/skill-gap?from=15-1254.00&to=11-3021.00",
  "/skill-gap?from=29-1141.00&to=11-9111.00&domain=all&include=surplus",
  "/skill-gap?from=49-9071.00&to=47-2111.00&domain=knowledge&min_importance=2.5",
  "/occupations/15-1254.00/transitions?limit=10",
  "/occupations/11-1011.00/profile?domain=all",
  "/skill-gap?from=15-1252.00&to=11-3021.00",
  "/occupations/11-2032.00/profile",
  "/skill-gap?from=99-9999.00&to=11-3021.00",
  "/occupations/99-9999.99",
  "/skill-gap?from=15-1254.00&to=11-3021.00&min_importance=9",
  "/skill-gap?from=15-1254&to=11-3021.00",
  "/occupations?q=",
  "/occupations?q=nurse&limit=1000",
  "/occupations?q=software%20developer",
  "/occupations?q=chief%20executives&limit=5",
  "/occupations?q=15-12",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF

requests_total() {  # all requests the server has counted, and those answered 5xx
    curl -s "http://$ADDR/metrics" | awk '
        /^skillgap_http_requests_total\{/ { n += $NF; if ($0 ~ /status="5/) e += $NF }
        END { printf "%d %d\n", n, e }'
}
rss_mb() { echo $(( $(ps -o rss= -p "$SERVER") / 1024 )); }

REPORT=$OUT/soak.txt
echo "soak: $DURATION s, $CONNECTIONS connections, mixed traffic, against $BIN" | tee "$REPORT"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$TMP/mix.lua" "http://$ADDR" > "$TMP/wrk.txt" &
WRK=$!
PIDS+=("$WRK")
read -r last_n _ < <(requests_total)
REF=
MIN=
MAX=0
for t in $(seq "$EVERY" "$EVERY" "$DURATION"); do
    sleep "$EVERY"
    read -r n errors < <(requests_total)
    rss=$(rss_mb)
    echo "t=${t}s: $(( (n - last_n) / EVERY )) req/s, 5xx so far $errors, rss $rss MB" | tee -a "$REPORT"
    last_n=$n
    if [ "$t" -ge 60 ]; then
        [ -z "$REF" ] && REF=$rss
        [ -z "$MIN" ] || [ "$rss" -lt "$MIN" ] && MIN=$rss
        [ "$rss" -gt "$MAX" ] && MAX=$rss
    fi
done
wait "$WRK" || true
PIDS=("$SERVER")
read -r n errors < <(requests_total)
socket_errors=$(awk '/Socket errors/ {print}' "$TMP/wrk.txt")
# Decided here, not inside the piped block below, which runs in a subshell.
lo=$(( REF * 90 / 100 )); hi=$(( REF * 110 / 100 ))
if [ "$MIN" -ge "$lo" ] && [ "$MAX" -le "$hi" ]; then verdict=yes; else verdict=no; fi
{
    grep -E "Requests/sec|requests in" "$TMP/wrk.txt"
    echo "socket errors: ${socket_errors:-none}"
    echo "5xx answers: $errors of $n"
    echo "rss after the first minute: $REF MB; range $MIN-$MAX MB; within 10%: $verdict"
} | tee -a "$REPORT"
[ "$verdict" = yes ] && [ "$errors" -eq 0 ] && [ -z "$socket_errors" ]
