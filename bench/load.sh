#!/usr/bin/env bash
# Load benchmarks for issue #2, on this machine:
#   - `skillgap load` wall time and peak memory (hyperfine, /usr/bin/time) for the full 29.0 release
#     into SQLite, MariaDB and PostgreSQL, each run into a fresh database, and a re-load;
#   - criterion benches of the parser and of the store writes (including the three files the
#     original Python pipeline loaded, into MariaDB).
# Installs hyperfine from Debian's packages (or crates.io) when missing. SKIP_CRITERION=1 leaves
# the criterion benches out.
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
MYSQL_ADMIN=${SKILLGAP_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
PG_ADMIN=${SKILLGAP_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq hyperfine >/dev/null
    else
        cargo install --locked hyperfine
    fi
fi

cargo build --release --locked -p skillgap
BIN=$PWD/target/release/skillgap
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS skillgap_bench" >/dev/null 2>&1 || true; psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS skillgap_bench" >/dev/null 2>&1 || true' EXIT

SQLITE=sqlite://$TMP/bench.db
MYSQL=${MYSQL_ADMIN%/*}/skillgap_bench
PG=${PG_ADMIN%/*}/skillgap_bench
RESET_MYSQL="mysql -h127.0.0.1 -uroot -e 'DROP DATABASE IF EXISTS skillgap_bench; CREATE DATABASE skillgap_bench'"
RESET_PG="psql -q '$PG_ADMIN' -c 'DROP DATABASE IF EXISTS skillgap_bench' -c 'CREATE DATABASE skillgap_bench'"

echo "== skillgap load, full 29.0 release, fresh database each run"
hyperfine --warmup 1 --runs 10 --export-json "$OUT/load-cli.json" \
    --command-name sqlite --prepare "rm -f $TMP/bench.db*" "$BIN load --onet-dir '$ONET_DIR' --database-url $SQLITE" \
    --command-name mariadb --prepare "$RESET_MYSQL" "$BIN load --onet-dir '$ONET_DIR' --database-url $MYSQL" \
    --command-name postgres --prepare "$RESET_PG" "$BIN load --onet-dir '$ONET_DIR' --database-url $PG"

echo "== re-load of the release already loaded (SQLite)"
hyperfine --warmup 2 --runs 20 --export-json "$OUT/reload-cli.json" --command-name reload \
    "$BIN load --onet-dir '$ONET_DIR' --database-url $SQLITE"

echo "== peak resident memory of a full load"
rm -f "$TMP"/bench.db*
/usr/bin/time -f "sqlite   peak RSS %M KB, %e s" "$BIN" load --onet-dir "$ONET_DIR" --database-url "$SQLITE" >/dev/null
eval "$RESET_MYSQL"
/usr/bin/time -f "mariadb  peak RSS %M KB, %e s" "$BIN" load --onet-dir "$ONET_DIR" --database-url "$MYSQL" >/dev/null
eval "$RESET_PG"
/usr/bin/time -f "postgres peak RSS %M KB, %e s" "$BIN" load --onet-dir "$ONET_DIR" --database-url "$PG" >/dev/null

[ "${SKIP_CRITERION:-}" = 1 ] && exit 0
echo "== criterion: parser, and store writes (incl. the three original files into MariaDB)"
export SKILLGAP_TEST_MYSQL_URL=$MYSQL_ADMIN SKILLGAP_TEST_POSTGRES_URL=$PG_ADMIN
cargo bench --locked -p skillgap-onet --bench parse -- --noplot
cargo bench --locked -p skillgap-store --bench load -- --noplot
