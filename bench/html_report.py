#!/usr/bin/env python3
"""How long headless Chromium takes to open an HTML report with many findings.

Generates a synthetic Python project with N flagged lines (TLS verification disabled, one
finding each) in a temporary folder, scans it with `palisade scan --format html`, then opens
the report in headless Chromium several times and prints:

- `ready`: when the page's script finished (parsing the whole page included), from the
  page's own `<html data-ready>` (performance.now(), from navigation start);
- `painted`: after the first frame following that (`<html data-painted>`);
- `wall`: a whole `chromium --screenshot` run (load, script, layout, paint, a 1280×900
  screenshot), less the same run on an empty page (browser start-up and shutdown).

Usage: python3 bench/html_report.py --palisade target/debug/palisade [--findings 25000]
Nothing is sent anywhere: the browser runs with networking features off, on a file:// URL.
"""

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_run(chromium, url, screenshot=False):
    with tempfile.TemporaryDirectory() as profile:
        mode = [f"--screenshot={profile}/shot.png", "--window-size=1280,900"] if screenshot else ["--dump-dom"]
        start = time.monotonic()
        out = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *mode, url],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, check=True,
        )
        return time.monotonic() - start, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--palisade", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--findings", type=int, default=25000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "project")
        per_file = 100
        files = (args.findings + per_file - 1) // per_file
        left = args.findings
        for i in range(files):
            os.makedirs(os.path.join(src, f"pkg{i // 50}"), exist_ok=True)
            n = min(per_file, left)
            left -= n
            lines = ["import requests", "", ""]
            for j in range(n):
                lines.append(f"def call_{j}(url, body):")
                lines.append(f"    return requests.post(url + '/{j}', json=body, verify=False, timeout=5)")
                lines.append("")
            with open(os.path.join(src, f"pkg{i // 50}", f"client_{i}.py"), "w") as f:
                f.write("\n".join(lines) + "\n")
        report = os.path.join(work, "report.html")
        start = time.monotonic()
        subprocess.run(
            [args.palisade, "scan", src, "--format", "html", "--no-progress", "--fail-on", "none",
             "-o", report],
            check=True, stdin=subprocess.DEVNULL,
        )
        render_s = time.monotonic() - start
        with open(report, encoding="utf-8") as f:
            html = f.read()
        import json
        start = html.index('id="palisade-data">') + len('id="palisade-data">')
        count = len(json.loads(html[start:html.index("</script>", start)])["findings"])
        rows = html.count('<details class="f ')
        size = os.path.getsize(report)
        print(f"report: {count} findings ({rows} as HTML rows), {size / 1e6:.1f} MB, scan + render {render_s:.2f} s")

        empty = os.path.join(work, "empty.html")
        with open(empty, "w") as f:
            f.write("<!DOCTYPE html><html><head><title>empty</title></head><body></body></html>")
        base = statistics.median(
            chromium_run(args.chromium, "file://" + empty, screenshot=True)[0] for _ in range(3)
        )

        walls, readies, painteds = [], [], []
        for _ in range(args.runs):
            _, dom = chromium_run(args.chromium, "file://" + report)
            wall, _ = chromium_run(args.chromium, "file://" + report, screenshot=True)
            walls.append(wall - base)
            m = re.search(r'data-ready="(\d+)"', dom)
            p = re.search(r'data-painted="(\d+)"', dom)
            if m:
                readies.append(int(m.group(1)))
            if p:
                painteds.append(int(p.group(1)))
        print(f"chromium empty page (start-up + shutdown): {base:.2f} s")
        print(f"ready   (script done, ms): median {statistics.median(readies) if readies else 'n/a'}  all {readies}")
        print(f"painted (first frame, ms): median {statistics.median(painteds) if painteds else 'n/a'}  all {painteds}")
        print(f"wall less empty page (s):  median {statistics.median(walls):.2f}  all {[round(w, 2) for w in walls]}")


if __name__ == "__main__":
    main()
