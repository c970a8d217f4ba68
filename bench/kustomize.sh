#!/usr/bin/env bash
# The Kustomize benchmark: a generated GitOps repository with OVERLAYS overlays (default 48,
# bench/gen_kustomize.py) over shared bases, scanned with the k8s rules three ways, each the
# best of RUNS: without the cache (every entry point rendered, in parallel, once), with a
# warm cache (renderings and results answered from it), and after editing one overlay's
# generator file (that overlay alone rendered again). Extra repositories (say, the
# ecosystem's kube-prometheus and argo-cd checkouts) may be named after the counts.
#
#   bench/kustomize.sh [OVERLAYS] [RUNS] [REPO...]
# Needs kubectl or kustomize on the PATH.
set -euo pipefail
overlays=${1:-48}
runs=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
cd "$(dirname "$0")/.."
corpus=/tmp/palisade-corpus/kustomize-$overlays
rm -rf "$corpus"
python3 bench/gen_kustomize.py "$overlays" "$corpus"
cargo build --release --locked --quiet -p palisade
bin=$PWD/target/release/palisade
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT

# Best wall time of RUNS scans of $1 with the remaining arguments.
best() {
  local root=$1
  shift
  python3 - "$runs" "$bin" "$root" "$@" <<'PY'
import subprocess, sys, time
runs, binary, root, *args = sys.argv[1:]
best = None
for _ in range(int(runs)):
    start = time.perf_counter()
    subprocess.run([binary, "scan", root, "--domain", "k8s", "--format", "json",
                    "--fail-on", "none", "--no-progress", *args],
                   check=True, stdout=open("/tmp/palisade-kustomize-bench.json", "w"))
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print(f"{best:.2f}")
PY
}

report() {
  python3 - "$@" <<'PY'
import json, sys
name, cold, warm, edited = sys.argv[1:]
r = json.load(open("/tmp/palisade-kustomize-bench.json"))
s = r["stats"]
print(f"{name}: {s['files_analyzed']} files, {len(r['findings'])} findings; "
      f"no cache {cold} s, warm cache {warm} s, one input edited {edited} s")
PY
}

for root in "$corpus" "$@"; do
  cold=$(best "$root" --no-cache)
  rm -rf "$cache"/*
  best "$root" --cache-dir "$cache" > /dev/null
  warm=$(best "$root" --cache-dir "$cache")
  edited=-
  if [ "$root" = "$corpus" ]; then
    # Each run edits the generator file of one overlay afresh.
    file="$corpus/clusters/eu-1/prod/config/api.properties"
    edited=$(runs=1; for i in $(seq "$runs"); do echo "edit=$i" >> "$file"; best "$root" --cache-dir "$cache"; done | sort -n | head -1)
  fi
  report "$(basename "$root")" "$cold" "$warm" "$edited"
done
