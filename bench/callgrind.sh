#!/usr/bin/env bash
# Instructions the server spends answering the same 1,500 random /skill-gap pairs, counted by
# valgrind's callgrind: repeatable for one binary and store, whatever else the machine is doing,
# so a refactor's cost shows as a number rather than as noise. Instrumentation is on only while
# the requests run (not during start-up or the catalog build).
#
#   bench/callgrind.sh                                  # target/release/skillgap, fresh SQLite store
#   BENCH_BIN=/path/to/other/skillgap bench/callgrind.sh
#   BENCH_PAIRS=3000 BENCH_SEED=7 bench/callgrind.sh
#
# Prints `instructions: N` (the server's total while instrumented) and N per request.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${BENCH_BIN:-target/release/skillgap}
PAIRS=${BENCH_PAIRS:-1500}
SEED=${BENCH_SEED:-1}
ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}

command -v valgrind >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq valgrind >/dev/null
}
if [ ! -x "$BIN" ]; then
    cargo build --release --locked -p skillgap
fi

TMP=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
export DATABASE_URL="sqlite://$TMP/bench.db"
"$BIN" load --onet-dir "$ONET_DIR" >/dev/null

# The pairs: rated occupations (Skills.txt), drawn with a fixed seed.
python3 - "$ONET_DIR/Skills.txt" "$PAIRS" "$SEED" > "$TMP/pairs" <<'EOF'
import random, sys
codes = sorted({line.split("\t")[0] for line in open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]})
rng = random.Random(int(sys.argv[3]))
for _ in range(int(sys.argv[2])):
    a, b = rng.sample(codes, 2)
    print(f"/skill-gap?from={a}&to={b}")
EOF

RUST_LOG=warn valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/cg.out" \
    "$BIN" serve --bind 127.0.0.1:0 2> "$TMP/serve.log" &
SERVER=$!
ADDR=
for _ in $(seq 1 1200); do
    ADDR=$(sed -n 's/^skillgap listening on http:\/\/\([^ ]*\).*/\1/p' "$TMP/serve.log")
    [ -n "$ADDR" ] && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }
    sleep 0.5
done
[ -n "$ADDR" ] || { echo "error: the server did not start" >&2; exit 1; }

callgrind_control -i on "$SERVER" >/dev/null
python3 - "$ADDR" "$TMP/pairs" <<'EOF'
import http.client, sys
host, port = sys.argv[1].rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port), timeout=120)
bad = 0
for path in open(sys.argv[2]).read().split():
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    bad += r.status not in (200, 409)
if bad:
    sys.exit(f"{bad} answers were neither 200 nor 409")
EOF
callgrind_control -i off "$SERVER" >/dev/null
callgrind_control -d "$SERVER" >/dev/null
sleep 1
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
TOTAL=$(cat "$TMP"/cg.out* | sed -n 's/^summary: \([0-9]*\).*/\1/p' | awk '{s += $1} END {print s}')
echo "binary: $BIN"
echo "requests: $PAIRS random /skill-gap pairs (seed $SEED)"
echo "instructions: $TOTAL"
echo "per request: $((TOTAL / PAIRS))"
