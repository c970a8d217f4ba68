#!/usr/bin/env python3
"""Writes one commit of a bare git mirror out as a plain folder, for the benchmarks.

    python3 bench/mirror_tree.py GIT_DIR COMMIT DEST

Like `git archive COMMIT | tar -x -C DEST`, except that blobs missing from the mirror (the
`fetch` tool leaves out the largest files: fonts, images) are skipped instead of ending the
archive half-way; how many is printed. Symlinks and submodules are skipped too. Python 3.11
standard library only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    git_dir, commit, dest = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    listing = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", commit],
                             check=True, capture_output=True).stdout
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((oid.decode(), path.decode("utf-8", "surrogateescape")))
    batch = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert batch.stdin and batch.stdout
    written = missing = 0
    for oid, path in entries:
        batch.stdin.write(f"{oid}\n".encode())
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            missing += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.readline()
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    batch.stdin.close()
    batch.wait()
    print(f"{dest}: {written} files written, {missing} missing from the mirror and skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
