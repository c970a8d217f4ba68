#!/usr/bin/env bash
# The dependency benchmark: a synthetic project with DEPS pinned dependencies (requirements.txt
# and package-lock.json) against synthetic OSV all.zip exports of RECORDS records per ecosystem
# (PyPI and npm), read in memory. Prints the wall time of the deps rules alone (loading the
# exports included) and, when installed, of pip-audit on the requirements file with the same
# records unavailable (pip-audit has no offline OSV mode, so it is not comparable here).
#
#   bench/deps.sh [DEPS] [RECORDS] [PROFILE]     defaults: 5000 100000 release
set -euo pipefail
cd "$(dirname "$0")/.."
deps=${1:-5000}
records=${2:-100000}
profile=${3:-release}
data=${PALISADE_BENCH_DATA:-/tmp/palisade-bench-deps}
if [ ! -f "$data/osv/npm-all.zip" ] || [ ! -f "$data/.made-$deps-$records" ]; then
  rm -rf "$data"
  python3 bench/gen_deps.py "$data" "$deps" "$records"
  touch "$data/.made-$deps-$records"
fi
target=${CARGO_TARGET_DIR:-target}
if [ "$profile" = release ]; then
  cargo build --release --locked --quiet -p palisade
  bin=$target/release/palisade
else
  cargo build --locked --quiet -p palisade
  bin=$target/debug/palisade
fi
ls -l "$data"/osv/*.zip | awk '{print $5, $9}'
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %M KiB max RSS, %P CPU" "$bin" scan "$data/project" \
    --select deps/vulnerable-dependency --advisory-db "$data/osv/PyPI-all.zip" \
    --advisory-db "$data/osv/npm-all.zip" --format json --fail-on none --no-progress \
    --output /tmp/palisade-bench-deps.json
done
python3 - <<'PY'
import json
r = json.load(open("/tmp/palisade-bench-deps.json"))
print(f"{r['summary']['findings']} findings, {len(r['diagnostics'])} notices, stats {r['stats']}")
PY
