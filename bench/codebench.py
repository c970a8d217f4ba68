#!/usr/bin/env python3
"""The JS/TS and Android benchmarks (issues #9, #10, #16): palisade beside a parse-only pass
over the same files and the tool a user would pick instead, on real code.

    python3 bench/codebench.py js      [--palisade BIN] [--runs N] [--no-competitor]
    python3 bench/codebench.py android [--palisade BIN] [--runs N] [--no-competitor]

Corpora (built once under /tmp/palisade-codebench, outside the repository, from bare git
mirrors of pinned commits; MIRRORS names the folder that holds OWNER+NAME/repo, default
/work/.mirror — `git clone --bare https://github.com/OWNER/NAME OWNER+NAME/repo` makes one):
- js: four TypeScript/JavaScript products side by side (outline, typeorm, OWASP juice-shop,
  excalidraw), 7,372 .js/.mjs/.cjs/.jsx/.ts/.tsx files.
- android: the Nextcloud Android app, 1,815 .java/.kt/.xml files.

Tools, each timed by GNU time (wall, CPU = user + system, peak RSS), palisade's best of
--runs runs, competitors once:
- palisade `scan` (everything, as a user runs it: `--format json --fail-on none
  --no-progress`, result cache off) and `scan --domain web|android`, and `parse-only`: the floor,
  walk + read + parse of every file the scan parses, on all cores, no rule run;
- js: semgrep with the javascript/ and typescript/ folders of the public semgrep-rules
  repository (SEMGREP_RULES_REPO names a checkout; else it is extracted from
  $MIRRORS/semgrep+semgrep-rules at the pinned commit). Its registry is never contacted;
- android: mobsfscan (ships its own rules; needs semgrep).
Competitors are looked up as SEMGREP / MOBSFSCAN, else on PATH, else in
/tmp/palisade-compare/venv/bin (compare.py's) or /tmp/bench5/venv/bin
(`python3 -m venv V && V/bin/pip install semgrep mobsfscan`).

Prints one row per tool: wall s, CPU s, peak RSS MB, findings, its wall time over palisade
scan's, and the load average before and after the run (the machine is shared: read ratios
with the load). Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = Path(os.environ.get("CODEBENCH_WORK", "/tmp/palisade-codebench"))
MIRRORS = Path(os.environ.get("MIRRORS", "/work/.mirror"))

# (mirror OWNER+NAME, pinned commit, folder name in the corpus)
JS_SOURCES = [
    ("outline+outline", "d77dcdf853868c5d5fe125c895c9b71f0eff5c68", "outline"),
    ("typeorm+typeorm", "281bfba42a5813b106bcf5ba79bc7f7251bd1e73", "typeorm"),
    ("juice-shop+juice-shop", "33518f5a0911e25d9df747b1e70fb7af279a755c", "juice-shop"),
    ("excalidraw+excalidraw", "4872083c044491b6d5c96ae134a75464f96d6831", "excalidraw"),
]
ANDROID_SOURCES = [
    ("nextcloud+android", "36277a102205708553c5f274d265f7e83da43596", "nextcloud-android"),
]
SEMGREP_RULES_SOURCE = ("semgrep+semgrep-rules", "157ae4706d7f54aa33647332f234dd68f30da195")

# Competitors must not wait on the network (semgrep's version check stalls for minutes offline).
os.environ["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
os.environ["SEMGREP_SEND_METRICS"] = "off"
# Timings and results are of full analyses: the result cache stays off.
os.environ["PALISADE_NO_CACHE"] = "1"


def build_corpus(name: str, sources: list[tuple[str, str, str]]) -> Path:
    """The corpus folder, written from the mirrors at the pinned commits (once)."""
    root = WORK / name
    done = root / ".palisade-corpus-done"
    if done.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    for mirror, commit, folder in sources:
        git_dir = MIRRORS / mirror / "repo"
        if not git_dir.exists():
            owner_name = mirror.replace("+", "/")
            sys.exit(f"{git_dir} is missing: git clone --bare https://github.com/{owner_name} "
                     f"{git_dir} (commit {commit})")
        subprocess.run([sys.executable, str(HERE / "mirror_tree.py"), str(git_dir), commit,
                        str(root / folder)], check=True)
    done.touch()
    return root


def semgrep_rules() -> list[Path]:
    rules = os.environ.get("SEMGREP_RULES_REPO")
    if rules:
        base = Path(rules)
    else:
        mirror, commit = SEMGREP_RULES_SOURCE
        base = WORK / "semgrep-rules"
        if not (base / ".palisade-corpus-done").exists():
            git_dir = MIRRORS / mirror / "repo"
            if not git_dir.exists():
                return []
            subprocess.run([sys.executable, str(HERE / "mirror_tree.py"), str(git_dir), commit,
                            str(base)], check=True)
            (base / ".palisade-corpus-done").touch()
    return [base / "javascript", base / "typescript"]


def tool(env: str, name: str) -> str | None:
    for candidate in (os.environ.get(env), shutil.which(name),
                      f"/tmp/palisade-compare/venv/bin/{name}", f"/tmp/bench5/venv/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


@dataclass
class Run:
    wall: float
    cpu: float
    rss_kb: int
    load_before: str
    load_after: str


def measure(cmd: list[str], stdout: Path | None = None) -> Run:
    stats = WORK / "time.out"
    before = load()
    with open(stdout or os.devnull, "w") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(stats)] + cmd,
                       stdout=out, stderr=subprocess.DEVNULL)
    wall, user, system, rss = stats.read_text().split()[-4:]
    return Run(float(wall), float(user) + float(system), int(rss), before, load())


def best(cmd: list[str], runs: int, stdout: Path | None = None) -> Run:
    results = [measure(cmd, stdout) for _ in range(runs)]
    return min(results, key=lambda r: r.wall)


def palisade_findings(report: Path) -> str:
    try:
        return str(len(json.loads(report.read_text())["findings"]))
    except (OSError, ValueError, KeyError):
        return "?"


def semgrep_findings(report: Path) -> str:
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return "?"
    scanned = len(data.get("paths", {}).get("scanned", []))
    return f"{len(data.get('results', []))} ({scanned} files)" if scanned else str(
        len(data.get("results", [])))


def mobsfscan_findings(report: Path) -> str:
    """mobsfscan groups matches by rule: rules that matched, and their locations."""
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return "?"
    results = data.get("results", {})
    places = sum(len(r.get("files", [])) for r in results.values())
    located = sum(1 for r in results.values() if r.get("files"))
    # Rules of the kind "the app never does X" (pinning, root detection) match no file.
    app_wide = len(results) - located
    return f"{places} in {located} rules, +{app_wide} app-wide"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", choices=["js", "android"])
    parser.add_argument("--palisade", default=str(REPO / "target/release/palisade"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-competitor", action="store_true")
    parser.add_argument("--path", help="a folder to measure instead of the pinned corpus")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    sources = JS_SOURCES if args.corpus == "js" else ANDROID_SOURCES
    target = Path(args.path) if args.path else build_corpus(args.corpus, sources)
    domain = "web" if args.corpus == "js" else "android"
    bin_ = args.palisade
    scan = [bin_, "scan", str(target), "--format", "json", "--fail-on", "none", "--no-progress"]

    floor_out = WORK / f"{args.corpus}-parse-only.txt"
    rows: list[tuple[str, Run, str]] = []
    report = WORK / f"{args.corpus}-palisade.json"
    rows.append(("palisade scan", best(scan, args.runs, report), palisade_findings(report)))
    report_domain = WORK / f"{args.corpus}-palisade-{domain}.json"
    rows.append((f"palisade scan --domain {domain}",
                 best(scan + ["--domain", domain], args.runs, report_domain),
                 palisade_findings(report_domain)))
    rows.append(("palisade parse-only (floor)",
                 best([bin_, "parse-only", str(target)], args.runs, floor_out), "-"))

    if not args.no_competitor:
        if args.corpus == "js":
            semgrep = tool("SEMGREP", "semgrep")
            rules = semgrep_rules()
            if semgrep and rules:
                out = WORK / "js-semgrep.json"
                cmd = [semgrep, "scan", "--metrics=off", "--json", "-o", str(out)]
                for r in rules:
                    cmd += ["--config", str(r)]
                rows.append(("semgrep (js+ts rules)", measure(cmd + [str(target)]),
                             semgrep_findings(out)))
            else:
                print("semgrep or its rules are missing: no comparison")
        else:
            mobsfscan = tool("MOBSFSCAN", "mobsfscan")
            if mobsfscan:
                # mobsfscan runs the semgrep installed beside it.
                os.environ["PATH"] = f"{Path(mobsfscan).parent}{os.pathsep}{os.environ['PATH']}"
                out = WORK / "android-mobsfscan.json"
                rows.append(("mobsfscan", measure([mobsfscan, str(target), "--json", "-o",
                                                   str(out)]), mobsfscan_findings(out)))
            else:
                print("mobsfscan is missing (pip install mobsfscan): no comparison")

    print(f"corpus: {target}")
    print(floor_out.read_text().rstrip())
    print(f"{'tool':34} {'wall s':>8} {'cpu s':>8} {'rss MB':>7} {'x scan':>7} "
          f"{'load':>9}  findings")
    base = rows[0][1].wall
    for label, run, findings in rows:
        print(f"{label:34} {run.wall:8.2f} {run.cpu:8.2f} {run.rss_kb / 1024:7.0f} "
              f"{run.wall / base:7.2f} {run.load_before:>4}>{run.load_after:<4}  {findings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
