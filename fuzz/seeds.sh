#!/bin/sh
# Seeds the fuzz corpora from every crate's fixtures: each fixture prefixed with the byte
# that makes `palisade::fuzz::scan_bytes` read it as its own kind of file (the index in
# `palisade::fuzz::KINDS`: 0 Python, 1 Kubernetes, 2 GitHub workflow, 3 GitLab pipeline,
# 5 JavaScript for the secrets detectors).
set -eu
cd "$(dirname "$0")"
crates=../crates
mkdir -p corpus/scan_file corpus/yaml_load
seed() { # kind-byte file
    name=$(printf '%s' "$2" | cksum | cut -d' ' -f1)
    { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "corpus/scan_file/$1-$name"
}
find "$crates/palisade-python/fixtures" -name '*.py' | while read -r f; do seed 0 "$f"; done
find "$crates/palisade-k8s/fixtures" -name '*.yaml' | while read -r f; do
    seed 1 "$f"
    cp "$f" "corpus/yaml_load/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
done
find "$crates/palisade-controls/fixtures" -path '*/.github/workflows/*.yml' | while read -r f; do seed 2 "$f"; done
find "$crates/palisade-controls/fixtures/gitlab" -name '*.yml' | while read -r f; do seed 3 "$f"; done
find "$crates/palisade-secrets/fixtures" -type f | while read -r f; do seed 5 "$f"; done
echo "scan_file: $(ls corpus/scan_file | wc -l) seeds, yaml_load: $(ls corpus/yaml_load | wc -l) seeds"
