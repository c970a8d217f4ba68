#!/usr/bin/env bash
# The Python benchmark: times palisade's full Python analysis of a tree against a parse-only
# pass over the same files (the floor: walk, read, one tree-sitter parse per file), and — when
# installed (pip install bandit) — bandit on the same tree, and semgrep when SEMGREP_RULES names a
# local rules file or folder (its registry is out of reach here): the python/ folder of the
# public semgrep-rules repository, as bench/codebench.py pins it for JS, is the fair match.
#
#   bench/python.sh [PATH] [RUNS]      default PATH: Django's source (bench/corpus.sh fetches it)
# Timings are of full analyses: the result cache stays off. Each command runs RUNS times (the
# three palisade ones round by round); the best wall time and the best CPU time (user+sys of
# all threads) are kept.
export PALISADE_NO_CACHE=1
# semgrep never contacts its registry or version server here (SEMGREP_RULES is a local path).
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-}
if [ -z "$target" ]; then
  bash bench/corpus.sh >/dev/null
  target=$(ls -d /tmp/palisade-corpus/django-*/ | head -1)
fi
runs=${2:-3}
cargo build --release --locked --quiet -p palisade
bin=${CARGO_TARGET_DIR:-target}/release/palisade

best() { # best wall and best CPU (user+sys, all threads) of RUNS runs of the command, in seconds
  python3 - "$runs" "$@" <<'PY'
import os, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    walls.append(time.perf_counter() - t)
    cpus.append(usage.ru_utime + usage.ru_stime)
print(f"{min(walls):.3f} {min(cpus):.3f}")
PY
}

"$bin" parse-only "$target"
# The floor, the floor plus one bare traversal of every tree (the scan's walk with no rule to
# call: what any analysis that looks at every node pays first), and the full analysis, run
# round by round (floor, walk, scan, floor, …) so that a slow spell of a shared machine
# weighs on all three alike; the best of RUNS rounds is kept for each.
python3 - "$runs" "$bin" "$target" <<'PY'
import os, subprocess, sys, time
runs, binary, target = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = {
    "floor": [binary, "parse-only", target],
    "walk": [binary, "parse-only", "--walk", target],
    "scan": [binary, "scan", target, "--domain", "python", "--format", "json", "--fail-on", "none", "--no-progress"],
}
wall = {name: float("inf") for name in commands}
cpu = dict(wall)
for _ in range(runs):
    for name, cmd in commands.items():
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        wall[name] = min(wall[name], time.perf_counter() - t)
        cpu[name] = min(cpu[name], usage.ru_utime + usage.ru_stime)
print(f"parse-only floor: {wall['floor']:.3f} s wall, {cpu['floor']:.3f} s CPU; full Python analysis: {wall['scan']:.3f} s wall, {cpu['scan']:.3f} s CPU")
print(f"ratio to the floor: {wall['scan'] / wall['floor']:.2f}x by wall, {cpu['scan'] / cpu['floor']:.2f}x by CPU (CPU is steadier on a shared machine)")
print(f"parse and one bare walk of every tree: {wall['walk']:.3f} s wall, {cpu['walk']:.3f} s CPU ({cpu['walk'] / cpu['floor']:.2f}x the floor by CPU)")
with open(os.environ.get("PYBENCH_SCAN_TIMES", "/tmp/palisade-python-bench.times"), "w") as f:
    f.write(f"{wall['scan']} {cpu['scan']} {wall['floor']} {cpu['floor']}\n")
PY
read -r full full_cpu floor floor_cpu < "${PYBENCH_SCAN_TIMES:-/tmp/palisade-python-bench.times}"
for tool in bandit semgrep; do
  if command -v "$tool" >/dev/null 2>&1; then
    case $tool in
      bandit) cmd=(bandit -r -q -f json -o /tmp/bandit-bench.json "$target") ;;
      semgrep)
        if [ -z "${SEMGREP_RULES:-}" ]; then echo "semgrep: set SEMGREP_RULES to a local rules path to compare"; continue; fi
        cmd=(semgrep scan --config "$SEMGREP_RULES" --metrics=off --quiet --json -o /tmp/semgrep-bench.json "$target") ;;
    esac
    read -r wall cpu <<<"$(runs=1 best "${cmd[@]}")"
    # Against the floor too: the most any analysis that parses every file could reach.
    python3 -c "print(f'$tool: {$wall:.1f} s wall, {$cpu:.1f} s CPU ({$wall / $full:.0f}x palisade by wall, {$cpu / $full_cpu:.0f}x by CPU; {$wall / $floor:.0f}x and {$cpu / $floor_cpu:.0f}x the parse-only floor)')"
  else
    echo "$tool not installed (pip install $tool) — no comparison"
  fi
done
