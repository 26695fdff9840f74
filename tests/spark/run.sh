#!/usr/bin/env bash
# The Spark test (issue 8): run spark/classify_crawl.py on local[2] over
# generated WARC/WET fixtures and check that its rows equal, row for row,
# what the single-machine `ghirbal classify` gives on the same files, and
# that a damaged record is an error row, not a lost page or a failed job.
#
# Sets up what it needs: Java (Debian's openjdk-17-jre-headless, when `java`
# is missing), a virtual environment with a pinned PySpark in
# target/spark-venv (reused; GHIRBAL_SPARK_VENV to put it elsewhere), the
# release binary. No network besides those package installs.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
now() { date +%s%N; }
# Seconds since $1 (a `now`), with two decimals.
elapsed() {
    local cs=$((($(now) - $1) / 10000000))
    printf '%d.%02d' $((cs / 100)) $((cs % 100))
}
started=$(now)

PYSPARK_VERSION=4.0.5
venv=${GHIRBAL_SPARK_VENV:-$root/target/spark-venv}
work=$root/target/spark-test


# PySpark 4 needs Java 17 or newer.
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
    echo "spark test: installing openjdk-17-jre-headless"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    export JAVA_HOME=$(dirname "$(dirname "$(readlink -f /usr/lib/jvm/java-17-openjdk-*/bin/java)")")
    export PATH=$JAVA_HOME/bin:$PATH
fi
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    echo "spark test: creating $venv with pyspark==$PYSPARK_VERSION"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
cargo build --release --quiet --bin ghirbal
ghirbal=$root/target/release/ghirbal

rm -rf "$work"
mkdir -p "$work"
python3 tests/spark/make_fixtures.py "$work/fixtures"
mapfile -t paths < "$work/fixtures/paths.txt"
echo "spark test: setup $(elapsed "$started") s"

export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON=$venv/bin/python
export PYSPARK_DRIVER_PYTHON=$venv/bin/python

# Single machine: the plain CLI over the same files.
t=$(now)
"$ghirbal" classify --partial-ok "${paths[@]}" > "$work/cli.jsonl" 2> "$work/cli.stderr"
cli_time=$(elapsed "$t")
t=$(now)
"$ghirbal" classify --partial-ok --threads 1 "${paths[@]}" > "$work/cli1.jsonl" 2>/dev/null
cli1_time=$(elapsed "$t")
cmp -s "$work/cli.jsonl" "$work/cli1.jsonl" || { echo "CLI output depends on --threads"; exit 1; }

# The Spark job, as a user runs it.
t=$(now)
"$venv/bin/spark-submit" --master 'local[2]' \
    --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
    --conf spark.log.level=WARN \
    spark/classify_crawl.py --ghirbal "$ghirbal" \
    --paths-from "$work/fixtures/paths.txt" --output "$work/out"
spark_time=$(elapsed "$t")

pages=$(grep -c '' "$work/cli.jsonl")
echo "spark test: ${#paths[@]} paths, $pages records"
echo "spark test: wall time, spark local[2] job (JVM start included): $spark_time s"
echo "spark test: wall time, single-process CLI: $cli_time s (2 threads), $cli1_time s (--threads 1)"

# Last: its closing line ("N passed, M failed") is the test's verdict.
"$venv/bin/python" tests/spark/check.py --ghirbal "$ghirbal" --fixtures "$work/fixtures" \
    --cli "$work/cli.jsonl" --spark "$work/out"
