#!/usr/bin/env bash
# The Python benchmark: times palisade's full Python analysis of a tree against a parse-only
# pass over the same files (the floor: walk, read, one tree-sitter parse per file), and — when
# installed (pip install bandit) — bandit on the same tree, and semgrep when SEMGREP_RULES names a
# local rules file or folder (its registry is out of reach here).
#
#   bench/python.sh [PATH] [RUNS]      default PATH: Django's source (bench/corpus.sh fetches it)
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-}
if [ -z "$target" ]; then
  bash bench/corpus.sh >/dev/null
  target=$(ls -d /tmp/palisade-corpus/django-*/ | head -1)
fi
runs=${2:-3}
cargo build --release --locked --quiet -p palisade
bin=target/release/palisade

best() { # best wall time of RUNS runs of the command, in seconds
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(f"{min(times):.3f}")
PY
}

floor=$(best "$bin" parse-only "$target")
full=$(best "$bin" scan "$target" --domain python --format json --fail-on none --no-progress)
"$bin" parse-only "$target"
python3 - "$floor" "$full" <<'PY'
import sys
floor, full = map(float, sys.argv[1:])
print(f"parse-only floor: {floor:.3f} s; full Python analysis: {full:.3f} s ({full / floor:.2f}x the floor)")
PY
for tool in bandit semgrep; do
  if command -v "$tool" >/dev/null 2>&1; then
    start=$(date +%s.%N)
    case $tool in
      bandit) bandit -r -q -f json -o /tmp/bandit-bench.json "$target" >/dev/null 2>&1 || true ;;
      semgrep)
        if [ -z "${SEMGREP_RULES:-}" ]; then echo "semgrep: set SEMGREP_RULES to a local rules path to compare"; continue; fi
        semgrep scan --config "$SEMGREP_RULES" --metrics=off --quiet --json -o /tmp/semgrep-bench.json "$target" >/dev/null 2>&1 || true ;;
    esac
    end=$(date +%s.%N)
    python3 -c "print(f'$tool: {$end - $start:.1f} s ({($end - $start) / $full:.0f}x palisade)')"
  else
    echo "$tool not installed (pip install $tool) — no comparison"
  fi
done
