#!/bin/sh
# Secrets benchmark: palisade's secrets analyzer over SIZE_MB of mixed source text (copies of
# the ecosystem projects' text files, with invented secrets sprinkled in), compared with
# detect-secrets (PyPI) when it is installed.
#
#   flock /tmp/cargo.lock cargo build --release --locked
#   SIZE_MB=1024 SKIP_DS=1 sh bench/secrets/bench.sh   # the 1 GB target
#   SIZE_MB=100 sh bench/secrets/bench.sh              # with detect-secrets beside it
#
# The target (1 GB on 2 cores) is under 10 s for palisade.
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -eu
SIZE_MB=${SIZE_MB:-1024}
WORK=${WORK:-/tmp/palisade-secrets-bench}
BIN=${BIN:-target/release/palisade}
SRC=${SRC:-/tmp/palisade-ecosystem}
rm -rf "$WORK" && mkdir -p "$WORK/tree"
python3 - "$SRC" "$WORK/tree" "$SIZE_MB" <<'PY'
import os, sys, random
src, dst, size = sys.argv[1], sys.argv[2], int(sys.argv[3]) << 20
exts = (".py", ".js", ".ts", ".yaml", ".yml", ".json", ".md", ".html", ".go", ".sh", ".toml", ".txt")
files = []
for root, _, names in os.walk(src):
    for n in names:
        p = os.path.join(root, n)
        if n.endswith(exts) and os.path.isfile(p) and os.path.getsize(p) < 1_000_000:
            files.append(p)
rng = random.Random(1)
rng.shuffle(files)
written, i, copy = 0, 0, 0
while written < size:
    p = files[i % len(files)]
    i += 1
    data = open(p, "rb").read()
    if b"\0" in data:
        continue
    if i % 50 == 0:  # an invented token now and then
        data += b'\nSTRIPE_KEY = "sk_live_' + bytes(rng.choice(b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(24)) + b'"\n'
    d = os.path.join(dst, f"d{copy // 1000}")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, f"{copy}{os.path.splitext(p)[1]}")
    open(out, "wb").write(data)
    written += len(data)
    copy += 1
print(f"{copy} files, {written >> 20} MB")
PY
echo "palisade (secrets rules only):"
/usr/bin/time -f "%e s wall, %M KB max RSS" "$BIN" scan "$WORK/tree" --select secrets/ --format json \
    --fail-on none --no-progress -o "$WORK/palisade.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r['findings']), 'findings')" "$WORK/palisade.json"
if [ -z "${SKIP_DS:-}" ] && command -v detect-secrets >/dev/null 2>&1; then
    echo "detect-secrets scan --all-files:"
    /usr/bin/time -f "%e s wall, %M KB max RSS" detect-secrets scan --all-files "$WORK/tree" > "$WORK/ds.json"
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(len(v) for v in r['results'].values()), 'findings')" "$WORK/ds.json"
fi
