#!/usr/bin/env bash
# Connection flood (issue #14, finding 1): 5,000 idle TCP connections held against the release
# server for a minute (each reopened as soon as the server closes it, as an attacker would),
# while valid requests keep coming. Prints the server's RSS before, every 5 s during, and after
# the flood, and the status and time of a valid /skill-gap request at each sample.
# Target: RSS <= 200 MB during the flood, every valid request answered 200, and RSS back near
# its baseline once the flood ends.
#
#   bench/flood.sh                               # builds the release binary first
#   CONNECTIONS=20000 HOLD=30 bench/flood.sh     # more, shorter
#   BIN=target/release/skillgap bench/flood.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
CONNECTIONS=${CONNECTIONS:-5000}
HOLD=${HOLD:-60}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
    cargo build --release --locked -p skillgap
    BIN=$PWD/target/release/skillgap
fi
# Client and server each need a descriptor per connection.
ulimit -n "$(ulimit -Hn)"
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

DB=sqlite://$TMP/flood.db
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
URL="http://$ADDR/skill-gap?from=15-1254.00&to=11-3021.00"

rss_mb() { echo $(( $(ps -o rss= -p "$SERVER") / 1024 )); }
probe() {  # status and seconds of one valid request, on a new connection
    curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}s' "$URL" || echo "failed"
}

# Warm up like a real server (catalog touched, answer cache filled), then take the baseline.
for _ in $(seq 1 200); do curl -s -o /dev/null "$URL"; done
REPORT=$OUT/flood.txt
RSS0=$(rss_mb)
{
    echo "flood: $CONNECTIONS idle connections for $HOLD s against $BIN"
    echo "baseline: rss $RSS0 MB, valid request $(probe)"
} | tee "$REPORT"

cat > "$TMP/flood.py" <<'EOF'
# Holds N idle connections to HOST:PORT for HOLD seconds, reopening each as soon as the server
# closes it. Prints how many were open at the end, how many times the server closed one, and how
# many were refused or answered 503.
import asyncio, sys, time

host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
stats = {"open": 0, "closed_by_server": 0, "refused": 0, "shed_503": 0}

async def hold_one(deadline):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["open"] += 1
        try:
            data = await asyncio.wait_for(reader.read(64), deadline - time.monotonic())
            if data.startswith(b"HTTP/1.1 503"):
                stats["shed_503"] += 1
            stats["closed_by_server"] += 1
        except (asyncio.TimeoutError, OSError):
            pass
        finally:
            stats["open"] -= 1
            writer.close()

async def main():
    deadline = time.monotonic() + hold
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(hold_one(deadline)))
        if i % 500 == 499:
            await asyncio.sleep(0.05)  # within the listen backlog
    await asyncio.gather(*tasks)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), flush=True)

asyncio.run(main())
EOF
python3 "$TMP/flood.py" "${ADDR%:*}" "${ADDR##*:}" "$CONNECTIONS" "$HOLD" > "$TMP/flood.out" &
FLOOD=$!
PIDS+=("$FLOOD")
PEAK=0
FAILED=0
for t in $(seq 5 5 "$HOLD"); do
    sleep 5
    rss=$(rss_mb)
    conns=$(ss -Htn state established "( sport = :${ADDR##*:} )" | wc -l)
    p=$(probe)
    [ "$rss" -gt "$PEAK" ] && PEAK=$rss
    case "$p" in 200*) ;; *) FAILED=$((FAILED + 1)) ;; esac
    echo "t=${t}s: rss $rss MB, $conns server-side connections, valid request $p" | tee -a "$REPORT"
done
wait "$FLOOD" || true
{
    echo "flood client: $(cat "$TMP/flood.out")"
    sleep 10
    echo "10 s after: rss $(rss_mb) MB, valid request $(probe)"
    sleep 20
    echo "30 s after: rss $(rss_mb) MB, valid request $(probe)"
    echo "summary: baseline $RSS0 MB, peak during flood $PEAK MB (target <= 200); valid requests not answered 200 during the flood: $FAILED"
} | tee -a "$REPORT"
[ "$PEAK" -le 200 ] && [ "$FAILED" -eq 0 ]
