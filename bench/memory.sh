#!/usr/bin/env bash
# Peak memory of a full scan on a generated tree of N small files (default 400,000): Python
# modules, Kubernetes manifests and other files in nested folders, a few with findings.
# Usage: bench/memory.sh [N] [PALISADE_BINARY]
# Prints the CPU time (user, system), the wall time and the peak resident set size (GNU
# time's "Maximum resident set size").
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -euo pipefail
n=${1:-400000}
bin=${2:-target/release/palisade}
dir=/tmp/palisade-memory-$n
if [ ! -f "$dir/.done" ]; then
  rm -rf "$dir"
  python3 - "$dir" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
py = '''import requests\n\n\ndef fetch(url, token):\n    headers = {"Authorization": "Bearer " + token}\n    return requests.get(url, headers=headers, timeout=10)\n'''
bad = '''import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n'''
yaml = '''apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: app\ndata:\n  key: value\n'''
for i in range(n):
    d = os.path.join(root, f"pkg{i // 10000}", f"mod{(i // 100) % 100}")
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    kind = i % 4
    if kind == 0:
        name, text = f"m{i}.py", bad if i % 1000 == 0 else py
    elif kind == 1:
        name, text = f"c{i}.yaml", yaml.format(i=i)
    elif kind == 2:
        name, text = f"n{i}.txt", "notes\n"
    else:
        name, text = f"h{i}.py", py
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
open(os.path.join(root, ".done"), "w").close()
PY
fi
echo "tree: $dir ($n files, $(du -sh "$dir" | cut -f1))"
/usr/bin/time -v "$bin" scan "$dir" --format json --output /dev/null --fail-on none --no-progress 2> /tmp/palisade-memory.time || true
grep -E "User time|System time|Elapsed|Maximum resident" /tmp/palisade-memory.time
