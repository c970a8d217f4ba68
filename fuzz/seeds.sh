#!/bin/sh
# Seeds the fuzz corpora from every crate's fixtures. scan_file: each fixture prefixed with
# the byte that makes `palisade::fuzz::scan_bytes` read it as its own kind of file (the
# index in `palisade::fuzz::KINDS`: 0 Python, 1 Kubernetes, 2 GitHub workflow, 3 GitLab
# pipeline, 5 JavaScript for the secrets detectors). The parser targets
# (`palisade::fuzz::parsers`): a target that reads several formats takes the format's index
# as the first byte, as its documentation says. The binary targets' seeds (axml, apk,
# binary_plist: the mobile fixtures compiled) are written by an ignored test, so this runs
# cargo (under the shared build lock).
set -eu
cd "$(dirname "$0")"
crates=../crates
for t in scan_file yaml_load csp web_config web_code mobile_xml axml apk binary_plist \
    lockfile osv version_order ci; do mkdir -p "corpus/$t"; done
key() { printf '%s' "$1" | cksum | cut -d' ' -f1; }
seed_to() { # target kind-byte file
    { printf "\\$(printf '%03o' "$2")"; cat "$3"; } > "corpus/$1/$2-$(key "$3")"
}
seed() { seed_to scan_file "$1" "$2"; }
find "$crates/palisade-python/fixtures" -name '*.py' | while read -r f; do seed 0 "$f"; done
find "$crates/palisade-k8s/fixtures" -name '*.yaml' | while read -r f; do
    seed 1 "$f"
    cp "$f" "corpus/yaml_load/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
done
find "$crates/palisade-controls/fixtures" -path '*/.github/workflows/*.yml' | while read -r f; do
    seed 2 "$f"
    cp "$f" "corpus/ci/$(key "$f")"
done
find "$crates/palisade-controls/fixtures/gitlab" -name '*.yml' | while read -r f; do
    seed 3 "$f"
    cp "$f" "corpus/ci/$(key "$f")"
done
find "$crates/palisade-secrets/fixtures" -type f | while read -r f; do seed 5 "$f"; done

# Web: policies (every `…-src …` run of a fixture, enforced), server and host
# configurations, pages and code.
find "$crates/palisade-web/fixtures" -type f | while read -r f; do
    n=0
    grep -ho "[a-z-]*-src[^\"'<>]*" "$f" 2>/dev/null | head -20 | while read -r policy; do
        n=$((n + 1))
        printf '\000%s' "$policy" > "corpus/csp/$(key "$f")-$n"
    done
    case "$f" in
        *.conf | *.htaccess | */sites-*/*) seed_to web_config 0 "$f" ;;
        */_headers) seed_to web_config 1 "$f" ;;
        */netlify.toml) seed_to web_config 2 "$f" ;;
        *.json) seed_to web_config 3 "$f" ;;
        *.html | *.htm) seed_to web_config 4 "$f"; seed_to web_code 5 "$f" ;;
        *.js | *.mjs | *.cjs) seed_to web_config 5 "$f"; seed_to web_code 0 "$f" ;;
        *.ts) seed_to web_config 5 "$f"; seed_to web_code 1 "$f" ;;
        *.tsx) seed_to web_config 5 "$f"; seed_to web_code 2 "$f" ;;
        *.jsx) seed_to web_config 5 "$f"; seed_to web_code 3 "$f" ;;
        *.vue) seed_to web_code 4 "$f" ;;
        *.py) seed_to web_config 6 "$f" ;;
    esac
done
# Mobile text formats.
find "$crates/palisade-mobile/fixtures" -type f | while read -r f; do
    case "$f" in
        */AndroidManifest.xml) seed_to mobile_xml 0 "$f" ;;
        *.xml) seed_to mobile_xml 1 "$f" ;;
        *.plist | *.entitlements) seed_to mobile_xml 2 "$f" ;;
        *.gradle | *.gradle.kts) seed_to mobile_xml 3 "$f" ;;
        *.versions.toml) seed_to mobile_xml 4 "$f" ;;
    esac
done
# Lockfiles: the index of the file's name in `palisade::fuzz::parsers::LOCKFILES`.
find "$crates/palisade-deps/fixtures" "$crates/palisade-mobile/fixtures" -type f | while read -r f; do
    case "$f" in
        */poetry.lock) i=0 ;; */pdm.lock) i=1 ;; */uv.lock) i=2 ;; */Pipfile.lock) i=3 ;;
        */pyproject.toml) i=4 ;; */.python-version) i=5 ;; */setup.cfg) i=6 ;; */setup.py) i=7 ;;
        */.nvmrc) i=8 ;; */package-lock.json) i=9 ;; */yarn.lock) i=11 ;;
        */pnpm-lock.yaml) i=12 ;; */bun.lock) i=13 ;; */package.json) i=14 ;; */Cargo.lock) i=15 ;;
        */pom.xml) i=16 ;; */gradle.lockfile) i=17 ;; */libs.versions.toml) i=18 ;;
        */build.gradle) i=19 ;; */build.gradle.kts) i=20 ;; */Dockerfile | *.dockerfile) i=21 ;;
        */requirements*.txt | */constraints*.txt) i=22 ;;
        *) continue ;;
    esac
    seed_to lockfile "$i" "$f"
done
# OSV records, and the versions they name as one list per ecosystem (plus hand-picked
# corners of each order).
find "$crates/palisade-deps/tests/data/osv" -name '*.json' | while read -r f; do
    cp "$f" "corpus/osv/$(key "$f")"
done
for eco in 0:PyPI 1:npm 2:crates.io 3:Maven; do
    i=${eco%%:*}
    dir="$crates/palisade-deps/tests/data/osv/${eco#*:}"
    [ -d "$dir" ] || continue
    { printf "\\$(printf '%03o' "$i")"
      cat "$dir"/*.json | grep -ho '"\(introduced\|fixed\|last_affected\)": *"[^"]*"' \
          | sed 's/.*: *"\(.*\)"/\1/'; } > "corpus/version_order/osv-$i"
done
{ printf '\000'; printf '1.0\n1.0.post1\n1.0a1\n1!0.1\n1.0.dev0\n1.0+local.7\n1.0rc1.post2.dev3\nv1.0\n'; } > corpus/version_order/pep440
{ printf '\001'; printf '1.0.0\n1.0.0-alpha\n1.0.0-alpha.1\n1.0.0-0.3.7\n1.0.0+build\nv1.2.3\n=1.2.3\n'; } > corpus/version_order/npm
{ printf '\002'; printf '0.1.0\n0.1.0-rc.1\n1.0.0-x.7.z.92\n18446744073709551615.0.0\n'; } > corpus/version_order/crates
{ printf '\003'; printf '1.0\n1.0-SNAPSHOT\n1.0-alpha-1\n1.0.0\n1-rc\n1.0-ga\n1.0-final\n1.0-sp\n1.0.RELEASE\n'; } > corpus/version_order/maven
# The binary targets: the mobile fixtures compiled (palisade::fuzz::parsers::binary_seeds).
FUZZ_SEEDS_DIR="$(pwd)/corpus" flock /tmp/cargo.lock cargo test -q --manifest-path ../Cargo.toml -p palisade --test fuzz_smoke \
    write_binary_seeds -- --ignored </dev/null >/dev/null
for t in $(ls corpus); do printf '%s: %s seeds\n' "$t" "$(ls "corpus/$t" | wc -l)"; done
