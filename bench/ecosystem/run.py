#!/usr/bin/env python3
"""Ecosystem check: scan pinned real projects with palisade and measure precision per rule.

For every project of projects.toml this script finds the project's git mirror, checks the
pinned commit out into a cache folder outside the repository, runs a palisade binary that
was built beforehand, and writes the findings per project and per rule. It then reads
triage.toml (a human verdict per finding) and prints, per rule, how many findings were
triaged and the precision true / (true + false) at medium confidence or above, followed by
the difference with the previous run (last-run.json, checked in).

Python 3.11 standard library only. See README.md in this folder.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import shutil
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

# Timings and results are of full analyses: the result cache stays off.
os.environ.setdefault("PALISADE_NO_CACHE", "1")

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
VERDICTS = ("true", "false", "debatable")
# A project slower than this is reported as a failure rather than blocking the run.
SCAN_TIMEOUT_SECONDS = 900


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--palisade", default=str(REPO_ROOT / "target/release/palisade"),
                        help="palisade binary to run (built beforehand; default: %(default)s)")
    parser.add_argument("--projects", default=str(HERE / "projects.toml"))
    parser.add_argument("--triage", default=str(HERE / "triage.toml"))
    parser.add_argument("--mirrors", default=os.environ.get("PALISADE_ECOSYSTEM_MIRRORS", "/work/.mirror"),
                        help="folder holding <owner>+<name> git mirrors "
                             "(env PALISADE_ECOSYSTEM_MIRRORS; default: %(default)s)")
    parser.add_argument("--mirror", action="append", default=[], metavar="NAME=GIT_DIR",
                        help="git directory (bare or .git) of one project, overriding --mirrors")
    parser.add_argument("--cache", default=os.environ.get("PALISADE_ECOSYSTEM_CACHE", "/tmp/palisade-ecosystem"),
                        help="where pinned commits are checked out "
                             "(env PALISADE_ECOSYSTEM_CACHE; default: %(default)s)")
    parser.add_argument("--out", default=str(HERE / "results"),
                        help="folder for the reports and listings (default: %(default)s)")
    parser.add_argument("--last-run", default=str(HERE / "last-run.json"))
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="scan only this project (repeatable)")
    parser.add_argument("--no-scan", action="store_true",
                        help="do not run palisade; reuse the reports already in --out (e.g. after triaging)")
    parser.add_argument("--no-save", action="store_true",
                        help="do not update last-run.json")
    parser.add_argument("--list", action="store_true",
                        help="list every new and vanished finding in the diff, not only counts")
    return parser.parse_args()


# --- projects and their sources ------------------------------------------------------------

def load_projects(path: Path, only: list[str]) -> list[dict]:
    with path.open("rb") as f:
        projects = tomllib.load(f)["project"]
    names = [p["name"] for p in projects]
    unknown = [n for n in only if n not in names]
    if unknown:
        sys.exit(f"unknown project(s) for --only: {', '.join(unknown)} (known: {', '.join(names)})")
    return [p for p in projects if not only or p["name"] in only]


def find_git_dir(project: dict, args: argparse.Namespace) -> Path | None:
    """The project's git directory: --mirror NAME=…, else <mirrors>/<owner>+<name>[/repo]."""
    for item in args.mirror:
        name, _, git_dir = item.partition("=")
        if name == project["name"]:
            return Path(git_dir)
    base = Path(args.mirrors) / project["repo"].replace("/", "+")
    for candidate in (base / "repo", base, base / ".git"):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def how_to_bring(project: dict, args: argparse.Namespace) -> str:
    repo, commit = project["repo"], project["commit"]
    target = Path(args.mirrors) / repo.replace("/", "+")
    return (f"bring it with the agent fetch tool (github:{repo}), or: "
            f"git clone --bare https://github.com/{repo} {target} && "
            f"git --git-dir={target} fetch origin {commit}; "
            f"or pass --mirror {project['name']}=<git dir>")


def git(git_dir: Path, *argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "--git-dir", str(git_dir), *argv], capture_output=True, **kwargs)


def checkout(project: dict, git_dir: Path, cache: Path) -> tuple[Path | None, str]:
    """Extracts the pinned commit into <cache>/<name> (reused when already there)."""
    commit = project["commit"]
    if git(git_dir, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        return None, f"mirror {git_dir} lacks commit {commit}"
    tree = cache / project["name"]
    stamp = cache / f"{project['name']}.commit"  # beside the tree, so it is never scanned
    if not (tree.is_dir() and stamp.is_file() and stamp.read_text().strip() == commit):
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.Popen(["git", "--git-dir", str(git_dir), "archive", commit],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        untar = subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, capture_output=True)
        archive.stdout.close()
        archive_err = archive.stderr.read().decode(errors="replace")
        if archive.wait() != 0 or untar.returncode != 0:
            # A partial mirror (large blobs left out) makes `git archive` fail: write the
            # tree blob by blob instead, and say which files are absent.
            shutil.rmtree(tree, ignore_errors=True)
            tree.mkdir(parents=True)
            absent, problem = extract_blob_by_blob(git_dir, commit, tree)
            if problem:
                return None, f"could not extract {commit}: {archive_err.strip()}; {problem}"
            (cache / f"{project['name']}.absent").write_text("".join(f"{a}\n" for a in absent))
        stamp.write_text(commit + "\n")
    absent_list = cache / f"{project['name']}.absent"
    if absent_list.is_file() and absent_list.read_text().strip():
        absent = absent_list.read_text().split("\n")
        print(f"note {project['name']}: {len(absent) - 1} file(s) absent from the mirror, left out "
              f"(listed in {absent_list}), e.g. {absent[0]}", file=sys.stderr)
    scan_dir = tree / project.get("path", "")
    if not scan_dir.is_dir():
        return None, f"path {project.get('path')!r} is not a folder at {commit}"
    return scan_dir, ""


def extract_blob_by_blob(git_dir: Path, commit: str, tree: Path) -> tuple[list[str], str]:
    """Writes every file of `commit` under `tree`; returns the paths whose blobs are absent."""
    listing = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit)
    if listing.returncode != 0:
        return [], listing.stderr.decode(errors="replace").strip()
    entries = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((mode.decode(), sha.decode(), path.decode(errors="surrogateescape")))
    batch = subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    feeder = threading.Thread(target=lambda: (batch.stdin.write("".join(f"{e[1]}\n" for e in entries).encode()),
                                              batch.stdin.close()))
    feeder.start()
    absent = []
    for mode, sha, path in entries:
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            absent.append(path)
            continue
        content = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after each object
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(content), target)
        else:
            target.write_bytes(content)
            if mode == "100755":
                target.chmod(0o755)
    feeder.join()
    batch.wait()
    return absent, ""


def scan(palisade: Path, scan_dir: Path, report_path: Path) -> str:
    """Runs palisade; returns an error text, or '' when a report was written."""
    command = [str(palisade), "scan", str(scan_dir), "--format", "json", "--fail-on", "none",
               "--no-progress", "--output", str(report_path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=SCAN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"palisade took more than {SCAN_TIMEOUT_SECONDS} s"
    if done.returncode != 0:
        return f"palisade exited with {done.returncode}: {done.stderr.strip()[-2000:]}"
    return ""


# --- findings ----------------------------------------------------------------------------

def finding_row(project: str, finding: dict) -> dict:
    loc = finding["location"]
    return {
        "project": project,
        "fingerprint": finding["fingerprint"],
        "rule": finding["rule_id"],
        "confidence": finding["confidence"],
        "severity": finding["severity"],
        # Findings about a whole file, the repository or a target have no line.
        "at": f"{loc.get('path', '(' + loc.get('kind', 'repository') + ')')}:{loc.get('start_line', 0)}",
        "message": finding["message"],
    }


def medium_plus(row: dict) -> bool:
    return CONFIDENCE_RANK[row["confidence"]] >= CONFIDENCE_RANK["medium"]


def write_listings(out: Path, rows: list[dict], reports: dict[str, dict]) -> None:
    """Plain-text listings per project and per rule, and triage stubs for what is untriaged."""
    for sub in ("by-project", "by-rule"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    by_project, by_rule = collections.defaultdict(list), collections.defaultdict(list)
    for row in rows:
        by_project[row["project"]].append(row)
        by_rule[row["rule"]].append(row)
    for project, items in by_project.items():
        lines = [f"{r['at']}\t{r['rule']}\t{r['confidence']}\t{r['severity']}\t{r['message']}" for r in items]
        (out / "by-project" / f"{project}.tsv").write_text("\n".join(lines) + "\n")
    for rule, items in by_rule.items():
        lines = [f"{r['project']}\t{r['at']}\t{r['confidence']}\t{r['fingerprint']}\t{r['message']}" for r in items]
        (out / "by-rule" / (rule.replace("/", "__") + ".tsv")).write_text("\n".join(lines) + "\n")
    for project, report in reports.items():
        notices = [f"{d.get('path') or '-'}:{d.get('line') or '-'}\t{d['kind']}\t{d['message']}"
                   for d in report.get("diagnostics", [])]
        (out / "by-project" / f"{project}.diagnostics.tsv").write_text("\n".join(notices) + ("\n" if notices else ""))


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_triage_stubs(path: Path, untriaged: list[dict]) -> None:
    """Untriaged medium+ findings as triage.toml entries to copy, fill in and commit."""
    parts = ["# Untriaged findings at medium confidence or above. Copy entries into triage.toml,\n"
             "# set verdict to true, false or debatable and write one line of why.\n"]
    for r in untriaged:
        parts.append(
            f"\n[[finding]]\nproject = {toml_string(r['project'])}\nrule = {toml_string(r['rule'])}\n"
            f"at = {toml_string(r['at'])}\nfingerprint = {toml_string(r['fingerprint'])}\n"
            f"# {r['confidence']}: {r['message']}\nverdict = \"\"\nwhy = \"\"\n")
    path.write_text("".join(parts))


# --- triage ------------------------------------------------------------------------------

def load_triage(path: Path) -> dict[tuple[str, str], dict]:
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        entries = tomllib.load(f).get("finding", [])
    triage = {}
    for entry in entries:
        verdict = entry.get("verdict", "")
        if verdict not in VERDICTS:
            sys.exit(f"{path}: {entry.get('project')} {entry.get('at')}: verdict must be one of "
                     f"{', '.join(VERDICTS)}, not {verdict!r}")
        key = (entry["project"], entry["fingerprint"])
        if key in triage:
            sys.exit(f"{path}: finding {key} is triaged twice")
        triage[key] = entry
    return triage


def print_precision(rows: list[dict], triage: dict, scanned: set[str]) -> list[dict]:
    """Prints the per-rule table; returns the untriaged medium+ findings."""
    stats = collections.defaultdict(collections.Counter)
    untriaged = []
    for row in rows:
        s = stats[row["rule"]]
        s["findings"] += 1
        if not medium_plus(row):
            continue
        s["medium+"] += 1
        entry = triage.get((row["project"], row["fingerprint"]))
        if entry is None:
            s["untriaged"] += 1
            untriaged.append(row)
        else:
            s["triaged"] += 1
            s[entry["verdict"]] += 1
    header = f"{'rule':48} {'found':>6} {'med+':>5} {'triaged':>7} {'true':>5} {'false':>6} {'debat':>6} {'precision':>9} {'untriaged':>9}"
    print("\nPrecision per rule (medium confidence and above; precision = true / (true + false))")
    print(header)
    print("-" * len(header))
    total = collections.Counter()
    for rule in sorted(stats):
        s = stats[rule]
        total.update(s)
        print(f"{rule:48} {s['findings']:>6} {s['medium+']:>5} {s['triaged']:>7} {s['true']:>5} "
              f"{s['false']:>6} {s['debatable']:>6} {precision(s):>9} {s['untriaged']:>9}")
    print("-" * len(header))
    for domain in sorted({r.split('/')[0] for r in stats}):
        d = collections.Counter()
        for rule in stats:
            if rule.startswith(domain + "/"):
                d.update(stats[rule])
        print(f"{'all ' + domain + ' rules':48} {d['findings']:>6} {d['medium+']:>5} {d['triaged']:>7} {d['true']:>5} "
              f"{d['false']:>6} {d['debatable']:>6} {precision(d):>9} {d['untriaged']:>9}")
    present = {(r["project"], r["fingerprint"]) for r in rows}
    stale = [e for k, e in triage.items() if k[0] in scanned and k not in present]
    if stale:
        print(f"\n{len(stale)} triage entries match no current finding (fixed, moved or changed lines); "
              "remove or re-key them:")
        for e in stale[:20]:
            print(f"  {e['project']} {e.get('rule', '?')} {e.get('at', '?')} {e['fingerprint']}")
    return untriaged


def precision(s: collections.Counter) -> str:
    judged = s["true"] + s["false"]
    return f"{s['true'] / judged:.0%}" if judged else "-"


# --- last run ----------------------------------------------------------------------------

def load_last_run(path: Path) -> dict:
    if not path.is_file():
        return {"projects": {}}
    return json.loads(path.read_text())


def summarise_project(project: dict, status: str, rows: list[dict], report: dict | None) -> dict:
    diagnostics = collections.Counter(d["kind"] for d in (report or {}).get("diagnostics", []))
    return {
        "repo": project["repo"],
        "commit": project["commit"],
        "status": status,
        "diagnostics": dict(sorted(diagnostics.items())),
        # [rule, confidence, path:line, fingerprint], in report order.
        "findings": [[r["rule"], r["confidence"], r["at"], r["fingerprint"]] for r in rows],
    }


def dump_last_run(path: Path, run: dict) -> None:
    """Writes JSON with one finding per line, so that git diffs of this file stay readable."""
    lines = ["{"]
    lines.append(f'  "palisade": {json.dumps(run["palisade"])},')
    lines.append(f'  "date": {json.dumps(run["date"])},')
    lines.append('  "projects": {')
    names = sorted(run["projects"])
    for i, name in enumerate(names):
        p = run["projects"][name]
        lines.append(f"    {json.dumps(name)}: {{")
        for key in ("repo", "commit", "status", "diagnostics"):
            lines.append(f"      {json.dumps(key)}: {json.dumps(p[key])},")
        lines.append('      "findings": [')
        lines.extend(f"        {json.dumps(f)}{',' if j + 1 < len(p['findings']) else ''}"
                     for j, f in enumerate(p["findings"]))
        lines.append("      ]")
        lines.append("    }" + ("," if i + 1 < len(names) else ""))
    lines.append("  }")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def print_diff(last: dict, current: dict, list_all: bool) -> None:
    print(f"\nDifference with the last run ({last.get('date', 'never')}, {last.get('palisade', 'palisade ?')})")
    for name in sorted(last["projects"].keys() - current.keys()):
        print(f"  {name}: not scanned this time (its last-run entry is kept)")
    per_rule = collections.defaultdict(lambda: [0, 0])
    per_project = collections.defaultdict(lambda: [0, 0])
    listed = []
    for name, now in sorted(current.items()):
        before = last["projects"].get(name)
        if before is None:
            print(f"  {name}: not in the last run")
            continue
        if now["status"] != "ok" or before["status"] != "ok":
            print(f"  {name}: status {before['status']} -> {now['status']}")
        if before["commit"] != now["commit"]:
            print(f"  {name}: commit changed {before['commit'][:12]} -> {now['commit'][:12]}; "
                  "differences below include the project's own changes")
        old = {f[3]: f for f in before["findings"]}
        new = {f[3]: f for f in now["findings"]}
        for sign, side, keys in (("+", new, new.keys() - old.keys()), ("-", old, old.keys() - new.keys())):
            for key in sorted(keys, key=lambda k: (side[k][0], side[k][2])):
                rule = side[key][0]
                slot = 0 if sign == "+" else 1
                per_rule[rule][slot] += 1
                per_project[name][slot] += 1
                listed.append(f"  {sign} {name} {rule} {side[key][2]} ({side[key][1]})")
        if before["diagnostics"] != now["diagnostics"]:
            print(f"  {name}: diagnostics {before['diagnostics']} -> {now['diagnostics']}")
    if not per_rule:
        print("  no new or vanished findings")
        return
    print(f"  {'rule':48} {'new':>5} {'gone':>5}")
    for rule, (new, gone) in sorted(per_rule.items()):
        print(f"  {rule:48} {new:>5} {gone:>5}")
    print(f"  {'project':48} {'new':>5} {'gone':>5}")
    for name, (new, gone) in sorted(per_project.items()):
        print(f"  {name:48} {new:>5} {gone:>5}")
    if list_all:
        print("\n".join(listed))
    else:
        print("  (--list shows each one)")


# --- main --------------------------------------------------------------------------------

def main() -> int:
    args = parse_args()
    projects = load_projects(Path(args.projects), args.only)
    palisade = Path(args.palisade)
    out, cache = Path(args.out), Path(args.cache)
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports").mkdir(exist_ok=True)
    if not args.no_scan and not os.access(palisade, os.X_OK):
        sys.exit(f"no palisade binary at {palisade}: build it first "
                 "(cargo build --release --locked) or pass --palisade")
    version = "?"
    if os.access(palisade, os.X_OK):
        version = subprocess.run([str(palisade), "--version"], capture_output=True, text=True).stdout.strip()

    rows: list[dict] = []
    reports: dict[str, dict] = {}
    current: dict[str, dict] = {}
    missing = []
    for project in projects:
        name = project["name"]
        report_path = out / "reports" / f"{name}.json"
        if not args.no_scan:
            git_dir = find_git_dir(project, args)
            if git_dir is None:
                missing.append(name)
                print(f"MISSING {name}: no git mirror of {project['repo']} under {args.mirrors}; "
                      f"{how_to_bring(project, args)}", file=sys.stderr)
                continue
            scan_dir, problem = checkout(project, git_dir, cache)
            if scan_dir is None:
                missing.append(name)
                print(f"MISSING {name}: {problem}; {how_to_bring(project, args)}", file=sys.stderr)
                continue
            print(f"scanning {name} ({project['repo']}@{project['commit'][:12]}, {scan_dir}) …", flush=True)
            report_path.unlink(missing_ok=True)
            problem = scan(palisade, scan_dir, report_path)
            if problem:
                print(f"FAILED {name}: {problem}", file=sys.stderr)
                current[name] = summarise_project(project, "failed", [], None)
                continue
        elif not report_path.is_file():
            missing.append(name)
            print(f"MISSING {name}: no report at {report_path} (run without --no-scan)", file=sys.stderr)
            continue
        report = json.loads(report_path.read_text())
        reports[name] = report
        project_rows = [finding_row(name, f) for f in report["findings"]]
        rows.extend(project_rows)
        current[name] = summarise_project(project, "ok", project_rows, report)

    # med+ and high count by confidence; fails-ci is what fails CI under the defaults
    # (--fail-on high, --fail-confidence medium): severity high or critical at medium+ confidence.
    print(f"\n{'project':32} {'kind':7} {'files':>6} {'findings':>8} {'med+':>5} {'high':>5} {'fails-ci':>9} {'notices':>8}")
    for name, summary in sorted(current.items()):
        report = reports.get(name)
        kind = next(p["kind"] for p in projects if p["name"] == name)
        if report is None:
            print(f"{name:32} {kind:7} {'FAILED':>6}")
            continue
        project_rows = [r for r in rows if r["project"] == name]
        print(f"{name:32} {kind:7} {report['stats'].get('files_discovered', 0):>6} {len(project_rows):>8} "
              f"{sum(medium_plus(r) for r in project_rows):>5} "
              f"{sum(r['confidence'] == 'high' for r in project_rows):>5} "
              f"{sum(r['severity'] in ('high', 'critical') and r['confidence'] != 'low' for r in project_rows):>9} "
              f"{sum(summary['diagnostics'].values()):>8} {summary['diagnostics'] or ''}")

    write_listings(out, rows, reports)
    untriaged = print_precision(rows, load_triage(Path(args.triage)), set(reports))
    write_triage_stubs(out / "untriaged.toml", untriaged)
    print(f"\nlistings in {out}/by-project and {out}/by-rule; "
          f"{len(untriaged)} untriaged medium+ findings as stubs in {out}/untriaged.toml")

    last_path = Path(args.last_run)
    last = load_last_run(last_path)
    print_diff(last, current, args.list)
    if missing:
        print(f"\n{len(missing)} project(s) missing, skipped: {', '.join(missing)}")
    if not args.no_save and not args.no_scan:
        merged = dict(last["projects"])
        merged.update(current)  # projects not scanned this time keep their last results
        run = {"palisade": version, "date": datetime.date.today().isoformat(), "projects": merged}
        dump_last_run(last_path, run)
        print(f"updated {last_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
