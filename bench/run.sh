#!/usr/bin/env bash
# Times `palisade scan` over a folder and prints files/s and MB/s.
#
#   bench/run.sh PATH [RUNS]        e.g. bench/run.sh /tmp/corpus/django-5.2 5
#   bench/corpus.sh                 downloads real corpora (Django's source) into /tmp/palisade-corpus
#
# Builds a release binary first. Reports the best and median wall time of RUNS runs (default 5)
# of a full scan (JSON written to /dev/null), plus a walk-only figure: a scan with only the
# `palisade` domain selected, so no analyzer runs and the scan walks and classifies the tree
# without reading any file.
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -euo pipefail
target=${1:?usage: bench/run.sh PATH [RUNS]}
runs=${2:-5}
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet -p palisade
bin=target/release/palisade

count_files=$(find "$target" -type f | wc -l)
bytes=$("$bin" scan "$target" --format json --fail-on none --no-progress | python3 -c 'import json,sys; s=json.load(sys.stdin)["stats"]; print(s["bytes_analyzed"], s["files_analyzed"], s["files_discovered"])')
read -r analysed_bytes analysed_files discovered <<<"$bytes"

time_runs() {
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(f"{min(times):.4f} {statistics.median(times):.4f}")
PY
}

read -r best median < <(time_runs "$bin" scan "$target" --format json --fail-on none --no-progress)
read -r wbest wmedian < <(time_runs "$bin" scan "$target" --format json --fail-on none --no-progress --domain palisade)

python3 - "$target" "$count_files" "$discovered" "$analysed_files" "$analysed_bytes" "$best" "$median" "$wbest" "$wmedian" "$runs" <<'PY'
import sys
target, files, discovered, analysed, nbytes, best, median, wbest, wmedian, runs = sys.argv[1:]
files, discovered, analysed, nbytes = int(files), int(discovered), int(analysed), int(nbytes)
best, median, wbest, wmedian = map(float, (best, median, wbest, wmedian))
print(f"corpus      {target}: {files} files on disk, {discovered} after ignore rules")
print(f"full scan   {analysed} files analysed, {nbytes/1e6:.2f} MB; best {best*1000:.0f} ms, median {median*1000:.0f} ms of {runs}")
print(f"            {discovered/best:,.0f} files/s discovered, {analysed/best:,.0f} files/s analysed, {nbytes/1e6/best:.1f} MB/s")
print(f"walk+classify only (--domain palisade): best {wbest*1000:.0f} ms, median {wmedian*1000:.0f} ms; {discovered/wbest:,.0f} files/s")
PY
