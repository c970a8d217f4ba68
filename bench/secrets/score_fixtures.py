#!/usr/bin/env python3
"""Precision and recall of the whole secrets detector set on its labelled corpus (the
fixtures of crates/palisade-secrets/fixtures), with EVERY detector running on every file
(the fixture harness runs only the detector a file is named after).

    python3 bench/secrets/score_fixtures.py [path/to/palisade]

A `ruleid: X` line is a positive: found by X = true positive, missed = false negative.
An `ok: X` line is a negative: any secrets finding on it = false positive. A finding on a
positive line by another detector than X counts as a false positive too (a wrong label).
"""
import json, os, re, subprocess, sys, collections

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "crates/palisade-secrets/fixtures")
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/debug/palisade")
ANN = re.compile(r"^\s*#\s*(ruleid|ok)(?:\[[^\]]*\])?:\s*([a-z0-9-]+)")

labels = {}  # (file, line) -> (kind, rule)
for name in sorted(os.listdir(FIX)):
    pending = []
    for i, line in enumerate(open(os.path.join(FIX, name)).read().split("\n"), 1):
        m = ANN.match(line)
        if m:
            pending.append((m.group(1), "secrets/" + m.group(2)))
        elif pending:
            for p in pending:
                labels[(name, i)] = p
            pending = []

out = subprocess.run([BIN, "scan", FIX, "--select", "secrets/", "--format", "json", "--fail-on", "none",
                      "--no-progress"], capture_output=True, text=True).stdout
found = collections.defaultdict(set)
for f in json.loads(out)["findings"]:
    loc = f["location"]
    found[(loc["path"], loc["start_line"])].add(f["rule_id"])

tp = fn = fp = 0
misses, false = [], []
for key, (kind, rule) in labels.items():
    got = found.get(key, set())
    if kind == "ruleid":
        if rule in got:
            tp += 1
        else:
            fn += 1
            misses.append((key, rule))
        fp += len(got - {rule})
        false += [(key, r) for r in got - {rule}]
    else:
        fp += len(got)
        false += [(key, r) for r in got]
unlabelled = [(k, r) for k, rs in found.items() if k not in labels for r in rs]
fp += len(unlabelled)
print(f"positives {tp + fn}, negatives {sum(1 for k in labels.values() if k[0] == 'ok')}, detectors {len({r for _, r in labels.values()})}")
print(f"true positives {tp}, false negatives {fn}, false positives {fp} (of which unlabelled lines {len(unlabelled)})")
print(f"precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}")
for x in misses + false + unlabelled:
    print("  ", x)
