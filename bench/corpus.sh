#!/usr/bin/env bash
# Downloads real corpora for bench/run.sh into /tmp/palisade-corpus (from PyPI, sources only).
set -euo pipefail
dest=${1:-/tmp/palisade-corpus}
mkdir -p "$dest"
cd "$dest"
if ! ls -d django-*/ >/dev/null 2>&1; then
  python3 -m pip download django --no-binary :all: --no-deps -d . --quiet
  tar xzf Django-*.tar.gz 2>/dev/null || tar xzf django-*.tar.gz
fi
ls -d "$dest"/*/
