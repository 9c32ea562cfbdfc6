#!/usr/bin/env bash
# Hostile release folders and zips (issue #14, findings 2 and 3): for each, `skillgap load` must
# end at once with a clear error and a peak RSS of at most 300 MB. Prints, per case, the exit
# status, peak RSS (/usr/bin/time -v), wall time and the first line of the error.
#
#   bench/hostile.sh              # builds the release binary first
#   BIN=target/debug/skillgap bench/hostile.sh
#
# The hostile content is zeros (compressing about 1,000:1) or the real files damaged; the zips are
# built here with Python's zipfile, none is committed. Needs ~3 GB of free temporary disk for
# nothing: every large file is sparse or zipped.
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
    cargo build --release --locked -p skillgap
    BIN=$PWD/target/release/skillgap
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
REPORT=$OUT/hostile.txt
: >"$REPORT"

MIB=$((1 << 20))
# Each file's limit in MiB, as crates/skillgap-onet/src/release/files.rs computes it.
declare -A LIMIT_MIB=(
    ["Scales Reference.txt"]=1 ["Content Model Reference.txt"]=1 ["Occupation Data.txt"]=2
    ["Skills.txt"]=22 ["Knowledge.txt"]=22 ["Abilities.txt"]=32 ["Work Activities.txt"]=25
    ["Level Scale Anchors.txt"]=1 ["Alternate Titles.txt"]=10 ["Task Statements.txt"]=11
    ["Job Zones.txt"]=1
)

fresh_copy() {
    rm -rf "$TMP/db_29_0_text"
    cp -r "$ONET_DIR" "$TMP/db_29_0_text"
    chmod -R u+w "$TMP/db_29_0_text"
}

# run NAME ARGS…: one `skillgap load` under /usr/bin/time -v, on a fresh SQLite store.
run() {
    local name=$1
    shift
    rm -f "$TMP"/store.db*
    local status=0
    timeout 60 /usr/bin/time -v -o "$TMP/time" "$BIN" load "$@" \
        --database-url "sqlite://$TMP/store.db" >"$TMP/out" 2>"$TMP/err" || status=$?
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$TMP/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/time")
    local message
    message=$(grep -m 1 '^error' "$TMP/err" | cut -c 1-220 || true)
    printf '%-28s exit %-3s peak RSS %7s MB  wall %8s  %s\n' "$name" "$status" "$rss" "$wall" "$message" | tee -a "$REPORT"
}

echo "== hostile folders (skillgap load --onet-dir)" | tee -a "$REPORT"
fresh_copy
run real-release --onet-dir "$TMP/db_29_0_text"

fresh_copy
rm "$TMP/db_29_0_text/Skills.txt"
ln -s /dev/zero "$TMP/db_29_0_text/Skills.txt"
run symlink-to-dev-zero --onet-dir "$TMP/db_29_0_text"

fresh_copy
rm "$TMP/db_29_0_text/Skills.txt"
ln -s /dev/urandom "$TMP/db_29_0_text/Skills.txt"
run symlink-to-dev-urandom --onet-dir "$TMP/db_29_0_text"

fresh_copy
rm "$TMP/db_29_0_text/Knowledge.txt"
mkfifo "$TMP/db_29_0_text/Knowledge.txt"
run fifo --onet-dir "$TMP/db_29_0_text"

fresh_copy
rm "$TMP/db_29_0_text/Occupation Data.txt"
mkdir "$TMP/db_29_0_text/Occupation Data.txt"
run directory --onet-dir "$TMP/db_29_0_text"

fresh_copy
truncate -s 2G "$TMP/db_29_0_text/Skills.txt"
run sparse-2GiB-file --onet-dir "$TMP/db_29_0_text"

# Every known file at its limit, all NUL: the most a folder can make the loader read.
fresh_copy
for f in "${!LIMIT_MIB[@]}"; do
    rm -f "$TMP/db_29_0_text/$f"
    truncate -s $((LIMIT_MIB[$f] * MIB)) "$TMP/db_29_0_text/$f"
done
run every-file-at-limit-nul --onet-dir "$TMP/db_29_0_text"

# Every known file at its limit, made of its own real rows repeated: all of it is read and
# parsed, and most rows are rejected as duplicates (the rejections are kept in memory).
fresh_copy
for f in "${!LIMIT_MIB[@]}"; do
    src="$ONET_DIR/$f"
    [ -f "$src" ] || src="$ONET_DIR/Skills.txt"
    python3 - "$src" "$TMP/db_29_0_text/$f" $((LIMIT_MIB[$f] * MIB)) <<'EOF'
import sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read()
head, body = data.split(b'\n', 1)
out = bytearray(head + b'\n')
lines = body.splitlines(keepends=True)
i = 0
while len(out) + len(lines[i % len(lines)]) <= limit:
    out += lines[i % len(lines)]
    i += 1
open(dst, 'wb').write(out)
EOF
done
run every-file-at-limit-real-rows --onet-dir "$TMP/db_29_0_text"

echo "== hostile zips (skillgap load --onet-zip)" | tee -a "$REPORT"
# make_zip OUT SPEC…: SPEC is NAME=zeros:BYTES, NAME=real:FILE, or NAME=zeros:BYTES:declare:N
# (an entry whose headers then claim N bytes uncompressed: a forged zip).
make_zip() {
    python3 - "$ONET_DIR" "$@" <<'EOF'
import struct, sys, zipfile
onet, out, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
forged = {}
with zipfile.ZipFile(out, 'w', compression=zipfile.ZIP_DEFLATED) as z:
    for spec in specs:
        name, what = spec.split('=', 1)
        kind, arg, *rest = what.split(':')
        entry = 'db_29_0_text/' + name
        if kind == 'real':
            z.write(f'{onet}/{arg}', entry)
            continue
        size, block = int(arg), bytes(1 << 20)
        with z.open(entry, 'w', force_zip64=size >= 0x7fffffff) as w:
            left = size
            while left:
                k = min(left, len(block))
                w.write(block[:k])
                left -= k
        if rest:
            forged[entry.encode()] = int(rest[1])
data = bytearray(open(out, 'rb').read())
for entry, claim in forged.items():
    for sig, size_at, name_at in ((b'PK\x03\x04', 22, 30), (b'PK\x01\x02', 24, 46)):
        i = data.find(sig + b'')
        while i >= 0:
            if data[i + name_at:i + name_at + len(entry)] == entry:
                data[i + size_at:i + size_at + 4] = struct.pack('<I', claim)
            i = data.find(sig, i + 1)
open(out, 'wb').write(data)
EOF
    printf '%-28s built %s bytes\n' "$(basename "$1")" "$(stat -c %s "$1")" | tee -a "$REPORT"
}

REAL_REQUIRED=("Scales Reference.txt=real:Scales Reference.txt"
    "Content Model Reference.txt=real:Content Model Reference.txt"
    "Occupation Data.txt=real:Occupation Data.txt")

make_zip "$TMP/db_29_0_text.zip" "${REAL_REQUIRED[@]}" "Skills.txt=real:Skills.txt" "Knowledge.txt=real:Knowledge.txt"
run real-release-zip --onet-zip "$TMP/db_29_0_text.zip"

make_zip "$TMP/six-500MiB.zip" \
    "Scales Reference.txt=zeros:$((500 * MIB))" "Content Model Reference.txt=zeros:$((500 * MIB))" \
    "Occupation Data.txt=zeros:$((500 * MIB))" "Skills.txt=zeros:$((500 * MIB))" \
    "Knowledge.txt=zeros:$((500 * MIB))" "Abilities.txt=zeros:$((500 * MIB))"
run six-500MiB-entries --onet-zip "$TMP/six-500MiB.zip"

make_zip "$TMP/one-2GB.zip" "${REAL_REQUIRED[@]}" "Skills.txt=zeros:2000000000" "Knowledge.txt=real:Knowledge.txt"
run one-2GB-entry --onet-zip "$TMP/one-2GB.zip"

make_zip "$TMP/one-2GB-declared-1MiB.zip" "${REAL_REQUIRED[@]}" "Skills.txt=zeros:2000000000:declare:$MIB" "Knowledge.txt=real:Knowledge.txt"
run one-2GB-entry-declared-1MiB --onet-zip "$TMP/one-2GB-declared-1MiB.zip"

make_zip "$TMP/bomb-20MiB.zip" "${REAL_REQUIRED[@]}" "Skills.txt=zeros:$((20 * MIB))" "Knowledge.txt=real:Knowledge.txt"
run 20MiB-bomb-under-limit --onet-zip "$TMP/bomb-20MiB.zip"

echo "report: $REPORT"
