#!/usr/bin/env bash
# The Kubernetes benchmark: generates 10,000 manifests (bench/gen_k8s.py), times a full
# palisade scan of them with only the k8s rules (RBAC graph included), and — if checkov is
# installed (pip install checkov) — times checkov's Kubernetes framework on the same files
# and prints the ratio.
#
#   bench/k8s.sh [N] [RUNS]
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -euo pipefail
n=${1:-10000}
runs=${2:-3}
cd "$(dirname "$0")/.."
corpus=/tmp/palisade-corpus/k8s-$n
[ -d "$corpus" ] || python3 bench/gen_k8s.py "$n" "$corpus"
cargo build --release --locked --quiet -p palisade
bin=target/release/palisade
best=999999
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" scan "$corpus" --domain k8s --format json --fail-on none --no-progress > /tmp/palisade-k8s-bench.json
  end=$(date +%s.%N)
  best=$(python3 -c "print(min($best, $end - $start))")
done
python3 - "$best" <<'PY'
import json, sys
r = json.load(open("/tmp/palisade-k8s-bench.json"))
s = r["stats"]
print(f"palisade: {s['files_analyzed']} manifests, {s['bytes_analyzed']/1e6:.1f} MB, {len(r['findings'])} findings, best of runs {float(sys.argv[1]):.3f} s")
PY
if command -v checkov >/dev/null 2>&1; then
  start=$(date +%s.%N)
  checkov -d "$corpus" --framework kubernetes --quiet --compact --skip-download -o json > /tmp/checkov-k8s-bench.json 2>/dev/null || true
  end=$(date +%s.%N)
  python3 - "$best" "$start" "$end" <<'PY'
import json, sys
best, start, end = map(float, sys.argv[1:])
try:
    data = json.load(open("/tmp/checkov-k8s-bench.json"))
    runs = data if isinstance(data, list) else [data]
    failed = sum(len(r.get("results", {}).get("failed_checks", [])) for r in runs)
except Exception:
    failed = "?"
print(f"checkov:  {end - start:.1f} s, {failed} failed checks; palisade is {(end - start) / best:.0f}x faster")
PY
else
  echo "checkov not installed (pip install checkov) — no comparison"
fi
