#!/usr/bin/env python3
"""Synthetic data for bench/deps.sh: a project with N pinned dependencies (half in a
requirements.txt, half in a package-lock.json v3) and OSV per-ecosystem all.zip exports with
R records each, a few of which affect the project's packages. Deterministic (seeded)."""
import json, random, sys, zipfile
from pathlib import Path

out = Path(sys.argv[1]); deps = int(sys.argv[2]); records = int(sys.argv[3])
rng = random.Random(11)
(out / "project").mkdir(parents=True, exist_ok=True)
(out / "osv").mkdir(parents=True, exist_ok=True)
half = deps // 2
py = [(f"pkg-{i}", f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}") for i in range(half)]
npm = [(f"mod-{i}", f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}") for i in range(deps - half)]
(out / "project/requirements.txt").write_text("".join(f"{n}=={v}\n" for n, v in py))
packages = {"": {"name": "bench", "version": "1.0.0"}}
for n, v in npm:
    packages[f"node_modules/{n}"] = {"version": v, "resolved": f"https://registry.npmjs.org/{n}/-/{n}-{v}.tgz"}
(out / "project/package-lock.json").write_text(json.dumps({"name": "bench", "lockfileVersion": 3, "packages": packages}, indent=2))

def record(eco, i, names):
    # One record in fifty names a package of the project; the rest name other packages.
    name = rng.choice(names)[0] if i % 50 == 0 else f"other-{eco}-{i}"
    fixed = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    rtype = "ECOSYSTEM" if eco == "PyPI" else "SEMVER"
    return {
        "schema_version": "1.6.0", "id": f"BENCH-{eco}-{i}", "modified": "2026-12-02T00:00:00Z",
        "aliases": [f"CVE-9999-{i}"], "summary": "synthetic advisory for the benchmark",
        "details": "x" * 600,
        "affected": [{"package": {"ecosystem": eco, "name": name},
                      "ranges": [{"type": rtype, "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                      "versions": [f"0.{k}.0" for k in range(20)]}],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "references": [{"type": "WEB", "url": f"https://example.invalid/{i}"}] * 3,
    }

for eco, names in (("PyPI", py), ("npm", npm)):
    with zipfile.ZipFile(out / f"osv/{eco}-all.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(records):
            z.writestr(f"BENCH-{eco}-{i}.json", json.dumps(record(eco, i, names)))
print(f"{deps} dependencies, 2 x {records} OSV records in {out}")
