#!/usr/bin/env bash
# One large Python file: time and peak memory of a full scan against a parse-only pass, at
# growing sizes, so that anything quadratic in a file's size shows as a ratio that grows.
# The file is generated: test classes whose methods call helpers defined in the same file and
# run raw SQL through them (what a big test module or a squashed migration looks like), plus
# dense module-level assignments.
#
#   bench/large-file.sh [PALISADE_BINARY] [SIZES_KB...]   default: target/release/palisade 256 512 1024 2000
#
# Prints, per size: scan seconds (wall, and CPU = user + system), parse-only seconds, the
# scan/parse wall ratio, and the peak RSS of the scan and of the parse-only pass, each also
# per byte of source.
# Timings are of full analyses: the result cache stays off.
export PALISADE_NO_CACHE=1
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/palisade}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(256 512 1024 2000)
dir=/tmp/palisade-large-file
mkdir -p "$dir"
printf '[scan]\nmax-file-size = 100000000\n' >"$dir/palisade.toml"

for kb in "${sizes[@]}"; do
  file="$dir/module_${kb}k.py"
  python3 - "$file" "$kb" <<'PY'
import sys
path, limit = sys.argv[1], int(sys.argv[2]) * 1024
head = '''import json
from django.db import connection
from django.test import TestCase


def run_query(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


'''
block = '''class Filter{i}TestCase(TestCase):
    queryset = Device.objects.all()

    def setUp(self):
        self.site = Site.objects.create(name="site-{i}", slug="site-{i}")
        self.payload = json.dumps({{"name": "device-{i}", "site": self.site.pk}})

    def test_name(self):
        params = {{"name": ["device-{i}", "device-{j}"]}}
        self.assertEqual(self.filterset(params, self.queryset).qs.count(), 2)

    def test_raw(self):
        rows = run_query("SELECT id FROM dcim_device WHERE name = %s", ["device-{i}"])
        self.assertEqual(len(rows), 1)


LIMIT_{i} = {i}
NAME_{i} = "device-{i}"
'''
out, i = [head], 0
size = len(head)
while size < limit:
    text = block.format(i=i, j=i + 1)
    out.append(text)
    size += len(text)
    i += 1
open(path, "w").write("".join(out))
PY
  bytes=$(stat -c %s "$file")
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time" "$bin" scan "$file" --config "$dir/palisade.toml" \
    --format json --output /dev/null --fail-on none --no-progress
  read -r scan_s scan_kb scan_user scan_sys <"$dir/time"
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time" "$bin" parse-only "$file" >/dev/null 2>&1 || true
  read -r parse_s parse_kb parse_user parse_sys <"$dir/time"
  python3 - "$kb" "$bytes" "$scan_s" "$parse_s" "$scan_kb" "$parse_kb" \
    "$scan_user" "$scan_sys" "$parse_user" "$parse_sys" <<'PY'
import sys
kb, size, scan, parse = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rss, parse_rss = int(sys.argv[5]), int(sys.argv[6])
scan_cpu = float(sys.argv[7]) + float(sys.argv[8])
parse_cpu = float(sys.argv[9]) + float(sys.argv[10])
ratio = scan / parse if parse > 0 else float("nan")
print(f"{kb:>6} KB  scan {scan:6.2f} s ({scan_cpu:.2f} s CPU)  "
      f"parse-only {parse:6.2f} s ({parse_cpu:.2f} s CPU)  ratio {ratio:5.1f}  "
      f"peak RSS {rss / 1024:6.1f} MB = {rss * 1024 / size:5.1f} B/byte "
      f"(parse-only {parse_rss / 1024:6.1f} MB = {parse_rss * 1024 / size:5.1f} B/byte)")
PY
done
