#!/usr/bin/env bash
# The dependency benchmark: a synthetic project with DEPS pinned dependencies (requirements.txt
# and package-lock.json) against synthetic OSV all.zip exports of RECORDS records per ecosystem
# (PyPI and npm), read in memory. Prints the wall time of the deps rules alone (loading the
# exports included). With COMPARE=1 it also serves the same records as an OSV API on loopback
# (bench/osv_api_stub.py) and times `palisade scan --online` and, when PIP_AUDIT names it,
# pip-audit (`-s osv --osv-url`, its only offline-capable route) on the requirements file.
#
#   bench/deps.sh [DEPS] [RECORDS] [PROFILE]     defaults: 5000 100000 release
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
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

if [ "${COMPARE:-0}" = 1 ]; then
  port=${STUB_PORT:-18731}
  python3 bench/osv_api_stub.py "$data" "$port" &
  stub=$!
  trap 'kill $stub' EXIT
  until curl -s -o /dev/null "http://127.0.0.1:$port/v1/vulns/none"; do sleep 1; done
  printf '[analyzers.deps]\napi-url = "http://127.0.0.1:%s"\n' "$port" > /tmp/palisade-bench-online.toml
  /usr/bin/time -f "palisade --online: %e s wall, %M KiB max RSS, %P CPU" "$bin" scan "$data/project" \
    --select deps/vulnerable-dependency --online --config /tmp/palisade-bench-online.toml \
    --format json --fail-on none --no-progress --output /tmp/palisade-bench-online.json
  if [ -n "${PIP_AUDIT:-}" ]; then
    /usr/bin/time -f "pip-audit (PyPI half only): %e s wall, %M KiB max RSS, %P CPU" "$PIP_AUDIT" \
      -r "$data/project/requirements.txt" --no-deps --disable-pip -s osv \
      --osv-url "http://127.0.0.1:$port/v1/query" --progress-spinner off -f json \
      -o /tmp/palisade-bench-pip-audit.json || true
  fi
fi
