#!/usr/bin/env bash
# Load benchmarks for issue #12 (and issue 21's programmes), on this machine (BIN=… uses a built
# binary): `skillgap load-labor` wall time (hyperfine) for
# the BLS OEWS and Employment Projections workbooks and O*NET's crosswalk, into SQLite, MariaDB and
# PostgreSQL, each run replacing every labour-market row (the provenance records are cleared before
# each run so the load is not skipped as already done), and the re-load of files already loaded.
# The O*NET release load, which now includes Technology Skills and Education, Training, and
# Experience, is measured by bench/load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

ONET_DIR=${SKILLGAP_ONET_DIR:-$(cd .. && pwd)/shared/onet/db_29_0_text}
BLS_DIR=${SKILLGAP_BLS_DIR:-$(cd .. && pwd)/shared/bls}
CROSSWALK=$ONET_DIR/../crosswalks/2019_to_SOC_Crosswalk.xlsx
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

BIN=${BIN:-}
if [ -z "$BIN" ]; then
    cargo build --release --locked -p skillgap
    BIN=$PWD/target/release/skillgap
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS skillgap_labor_bench" >/dev/null 2>&1 || true; psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS skillgap_labor_bench" >/dev/null 2>&1 || true' EXIT

SQLITE=sqlite://$TMP/bench.db
MYSQL=${MYSQL_ADMIN%/*}/skillgap_labor_bench
PG=${PG_ADMIN%/*}/skillgap_labor_bench
mysql -h127.0.0.1 -uroot -e 'DROP DATABASE IF EXISTS skillgap_labor_bench; CREATE DATABASE skillgap_labor_bench'
psql -q "$PG_ADMIN" -c 'DROP DATABASE IF EXISTS skillgap_labor_bench' -c 'CREATE DATABASE skillgap_labor_bench'

# The crosswalk is checked against the O*NET occupations, so each store holds the release first.
for db in "$SQLITE" "$MYSQL" "$PG"; do
    "$BIN" load --onet-dir "$ONET_DIR" --database-url "$db" >/dev/null
done
cp "$TMP/bench.db" "$TMP/template.db"

# replaced NAME ARGS FILES_TABLE: hyperfine of `skillgap ARGS` into each backend, each run replacing
# every row it loads (SQLite from the template copy, the servers with their provenance rows cleared
# so the load is not skipped as already done).
replaced() {
    hyperfine --warmup 1 --runs 10 --export-json "$OUT/$1.json" \
        --command-name sqlite --prepare "rm -f $TMP/bench.db*; cp $TMP/template.db $TMP/bench.db" \
        "$BIN $2 --database-url $SQLITE" \
        --command-name mariadb --prepare "mysql -h127.0.0.1 -uroot -e 'DELETE FROM skillgap_labor_bench.$3'" \
        "$BIN $2 --database-url $MYSQL" \
        --command-name postgres --prepare "psql -q '$PG' -c 'DELETE FROM $3'" \
        "$BIN $2 --database-url $PG"
}

LABOR="load-labor --oews '$BLS_DIR/national_M2024_dl.xlsx' --projections '$BLS_DIR/occupation.xlsx' --crosswalk '$CROSSWALK'"
echo "== skillgap load-labor (OEWS, projections, crosswalk), every labour-market row replaced each run"
replaced load-labor "$LABOR" labor_files

echo "== re-load of files already loaded (SQLite): checksums only"
hyperfine --warmup 2 --runs 10 --export-json "$OUT/reload-labor.json" --command-name reload \
    "$BIN $LABOR --database-url $SQLITE"

# Issue 21: `skillgap load-programmes` (NCES's CIP 2020 list and its crosswalk to SOC 2018), every
# programme row replaced each run (the provenance records cleared first); target ≤ 200 ms on SQLite.
NCES_DIR=${SKILLGAP_NCES_DIR:-$(cd .. && pwd)/shared/nces}
PROGRAMMES="load-programmes --crosswalk '$NCES_DIR/CIP2020_SOC2018_Crosswalk.xlsx' --cip '$NCES_DIR/CIPCode2020.csv'"
echo "== skillgap load-programmes (CIP 2020 list and CIP-SOC crosswalk), every programme row replaced each run"
replaced load-programmes "$PROGRAMMES" programme_files
