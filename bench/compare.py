#!/usr/bin/env python3
"""palisade beside the tools users would pick instead, on the same corpora, in one run.

    python3 bench/compare.py [--palisade target/release/palisade] [--skip-install]

Brings the corpora (a Django sdist from PyPI; saleor at the ecosystem check's pinned commit
when its mirror is on the machine; a generated Kubernetes tree; 100 MB of mixed text for
the secrets detectors; the JS/TS and Android trees of bench/codebench.py when their git
mirrors are on the machine), installs the competitors from PyPI into a virtualenv under
/tmp/palisade-compare (bandit, checkov, detect-secrets, semgrep, mobsfscan), and prints,
per corpus and tool, wall time, CPU time (user + system) and peak RSS, with the ratio of
each competitor's wall time to palisade's. semgrep runs on Python only when SEMGREP_RULES
names a local rules file or folder (its registry is out of reach offline); on JS/TS with
the javascript/ and typescript/ folders of semgrep-rules (see codebench.py). Python 3.11
standard library only; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Timings and results are of full analyses: the result cache stays off.
os.environ.setdefault("PALISADE_NO_CACHE", "1")
# semgrep's version check waits minutes for a network that is not there.
os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = Path(os.environ.get("COMPARE_WORK", "/tmp/palisade-compare"))
VENV = WORK / "venv"
COMPETITORS = ["bandit", "checkov", "detect-secrets", "semgrep", "mobsfscan"]


def run_measured(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in KB, by GNU time."""
    stats = WORK / "time.out"
    subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(stats)] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, user, system, rss = stats.read_text().split()[-4:]
    return float(wall), float(user) + float(system), int(rss)


def install(skip: bool) -> Path:
    bin_dir = VENV / "bin"
    if skip or (bin_dir / "bandit").exists():
        return bin_dir
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    for tool in COMPETITORS:
        print(f"installing {tool} …", flush=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", tool], check=False)
    return bin_dir


def corpora() -> dict[str, Path]:
    out: dict[str, Path] = {}
    django = WORK / "django"
    if not django.exists():
        dl = WORK / "sdist"
        dl.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "django==5.2.8",
                        "--no-binary", ":all:", "--no-deps", "-d", str(dl)], check=False)
        archives = list(dl.glob("*.tar.gz"))
        if archives:
            django.mkdir(parents=True)
            subprocess.run(["tar", "-xzf", str(archives[0]), "-C", str(django)], check=True)
    if django.exists():
        out["python: Django sdist"] = django
    saleor = Path("/tmp/palisade-ecosystem/saleor")
    if saleor.exists():
        out["python: saleor"] = saleor
    k8s = WORK / "k8s"
    if not k8s.exists():
        subprocess.run([sys.executable, str(HERE / "gen_k8s.py"), "5000", str(k8s)], check=False)
    if k8s.exists():
        out["k8s: 5,000 generated manifests"] = k8s
    secrets = Path("/tmp/palisade-secrets-bench/tree")
    if secrets.exists():
        out["secrets: bench/secrets tree"] = secrets
    # Real JS/TS and Android trees at pinned commits, from the git mirrors codebench.py names.
    sys.path.insert(0, str(HERE))
    import codebench
    for kind, label, sources in (("js", "js: 4 TS products, 7,372 files", codebench.JS_SOURCES),
                                 ("android", "android: Nextcloud app", codebench.ANDROID_SOURCES)):
        if all((codebench.MIRRORS / mirror / "repo").exists() for mirror, _, _ in sources):
            out[label] = codebench.build_corpus(kind, sources)
    return out


def commands(kind: str, path: Path, palisade: str, bins: Path) -> list[tuple[str, list[str]]]:
    p = [palisade, "scan", str(path), "--format", "json", "--fail-on", "none", "--no-progress",
         "-o", "/dev/null"]
    rules = os.environ.get("SEMGREP_RULES")
    if kind == "python":
        cmds = [("palisade --domain python", p + ["--domain", "python"]),
                ("palisade parse-only (floor)", [palisade, "parse-only", str(path)]),
                ("bandit", [str(bins / "bandit"), "-r", "-q", "-f", "json", "-o", "/dev/null",
                            str(path)])]
        if rules:
            cmds.append(("semgrep", [str(bins / "semgrep"), "scan", "--config", rules,
                                     "--metrics=off", "--quiet", "--json", "-o", "/dev/null",
                                     str(path)]))
        return cmds
    if kind == "js":
        cmds = [("palisade --domain web", p + ["--domain", "web"]),
                ("palisade parse-only (floor)", [palisade, "parse-only", str(path)])]
        import codebench
        js_rules = [str(r) for r in codebench.semgrep_rules()]
        if js_rules:
            configs = [arg for r in js_rules for arg in ("--config", r)]
            cmds.append(("semgrep (js+ts rules)", [str(bins / "semgrep"), "scan", *configs,
                                                   "--metrics=off", "--quiet", "--json", "-o",
                                                   "/dev/null", str(path)]))
        return cmds
    if kind == "android":
        return [("palisade --domain android", p + ["--domain", "android"]),
                ("palisade parse-only (floor)", [palisade, "parse-only", str(path)]),
                ("mobsfscan", [str(bins / "mobsfscan"), str(path), "--json", "-o", "/dev/null"])]
    if kind == "k8s":
        return [("palisade --domain k8s", p + ["--domain", "k8s"]),
                ("checkov (kubernetes)", [str(bins / "checkov"), "-d", str(path), "--framework",
                                          "kubernetes", "--quiet", "-o", "json"])]
    return [("palisade --select secrets/", p + ["--select", "secrets/"]),
            ("detect-secrets", [str(bins / "detect-secrets"), "scan", "--all-files", str(path)])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--palisade", default=str(REPO / "target/release/palisade"))
    parser.add_argument("--skip-install", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    bins = install(args.skip_install)
    # mobsfscan runs the semgrep installed beside it.
    os.environ["PATH"] = f"{bins}{os.pathsep}{os.environ['PATH']}"
    print(f"{'corpus':34} {'tool':30} {'wall s':>8} {'cpu s':>8} {'rss MB':>8} {'x palisade':>10}")
    for name, path in corpora().items():
        kind = name.split(":")[0]
        base = None
        for label, cmd in commands(kind, path, args.palisade, bins):
            if not Path(cmd[0]).exists() and not shutil.which(cmd[0]):
                print(f"{name:34} {label:30} {'not installed':>8}")
                continue
            wall, cpu, rss = run_measured(cmd)
            base = base if base is not None else wall
            ratio = "" if label.startswith("palisade") else f"{wall / base:.1f}x"
            print(f"{name:34} {label:30} {wall:8.2f} {cpu:8.2f} {rss / 1024:8.0f} {ratio:>10}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
