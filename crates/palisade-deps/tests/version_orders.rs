//! Property tests of the three version orders: each is a total order (antisymmetric,
//! transitive), agrees with numeric order on plain releases, and places pre-releases, post
//! releases, build metadata and spelling variants where its specification says.

use palisade_deps::inventory::Ecosystem;
use palisade_deps::version::maven::MavenVersion;
use palisade_deps::version::pep440::Pep440;
use palisade_deps::version::{Version, compare};
use proptest::prelude::*;
use std::cmp::Ordering;

fn release() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..20, 1..4)
}

fn dotted(r: &[u64]) -> String {
    r.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// A PEP 440 version from its parts.
fn pep440() -> impl Strategy<Value = String> {
    (
        release(),
        prop::option::of((prop::sample::select(vec!["a", "b", "rc"]), 0u64..5)),
        prop::option::of(0u64..5),
        prop::option::of(0u64..5),
        prop::option::of(prop::sample::select(vec!["local", "1", "abc.2"])),
    )
        .prop_map(|(r, pre, post, dev, local)| {
            let mut s = dotted(&r);
            if let Some((k, n)) = pre {
                s.push_str(&format!("{k}{n}"));
            }
            if let Some(n) = post {
                s.push_str(&format!(".post{n}"));
            }
            if let Some(n) = dev {
                s.push_str(&format!(".dev{n}"));
            }
            if let Some(l) = local {
                s.push_str(&format!("+{l}"));
            }
            s
        })
}

fn semver() -> impl Strategy<Value = String> {
    (
        0u64..5,
        0u64..5,
        0u64..5,
        prop::option::of(prop::sample::select(vec![
            "alpha", "alpha.1", "beta.2", "rc.1", "1",
        ])),
    )
        .prop_map(|(a, b, c, pre)| match pre {
            Some(p) => format!("{a}.{b}.{c}-{p}"),
            None => format!("{a}.{b}.{c}"),
        })
}

fn maven() -> impl Strategy<Value = String> {
    (
        release(),
        prop::option::of(prop::sample::select(vec![
            "-SNAPSHOT",
            "-alpha-1",
            "-beta2",
            "-rc1",
            "-RELEASE",
            "-sp1",
            ".Final",
            "-1",
        ])),
    )
        .prop_map(|(r, q)| format!("{}{}", dotted(&r), q.unwrap_or("")))
}

fn total_order(eco: Ecosystem, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    let ab = compare(eco, a, b).unwrap();
    let ba = compare(eco, b, a).unwrap();
    prop_assert_eq!(ab, ba.reverse(), "antisymmetry {} {}", a, b);
    let bc = compare(eco, b, c).unwrap();
    let ac = compare(eco, a, c).unwrap();
    if ab != Ordering::Greater && bc != Ordering::Greater {
        prop_assert_ne!(ac, Ordering::Greater, "transitivity {} {} {}", a, b, c);
    }
    prop_assert_eq!(compare(eco, a, a), Some(Ordering::Equal));
    Ok(())
}

proptest! {
    #[test]
    fn pep440_is_a_total_order(a in pep440(), b in pep440(), c in pep440()) {
        total_order(Ecosystem::PyPI, &a, &b, &c)?;
    }

    #[test]
    fn pep440_places_parts_where_the_specification_says(r in release(), n in 0u64..9) {
        let base = dotted(&r);
        let v = |s: &str| Pep440::parse(s).unwrap();
        prop_assert_eq!(v(&base), v(&format!("{base}.0")));
        prop_assert!(v(&format!("{base}.dev{n}")) < v(&format!("{base}a0")), "where the specification says");
        prop_assert!(v(&format!("{base}rc{n}")) < v(&base), "where the specification says");
        prop_assert!(v(&base) < v(&format!("{base}+local")), "where the specification says");
        prop_assert!(v(&format!("{base}+local")) < v(&format!("{base}.post{n}")), "where the specification says");
        prop_assert!(v(&format!("{base}.post{n}.dev0")) < v(&format!("{base}.post{n}")), "where the specification says");
        prop_assert_eq!(v(&format!("{base}-{n}")), v(&format!("{base}.post{n}")));
    }

    #[test]
    fn pep440_plain_releases_order_numerically(a in release(), b in release()) {
        let pad = |r: &[u64]| { let mut r = r.to_vec(); r.resize(4, 0); r };
        prop_assert_eq!(
            compare(Ecosystem::PyPI, &dotted(&a), &dotted(&b)),
            Some(pad(&a).cmp(&pad(&b)))
        );
    }

    #[test]
    fn semver_is_a_total_order(a in semver(), b in semver(), c in semver()) {
        total_order(Ecosystem::Npm, &a, &b, &c)?;
        total_order(Ecosystem::CratesIo, &a, &b, &c)?;
    }

    #[test]
    fn semver_prereleases_and_build_metadata(x in 0u64..50, y in 0u64..50, z in 0u64..50, p in "[a-z]{1,5}") {
        let base = format!("{x}.{y}.{z}");
        prop_assert_eq!(compare(Ecosystem::Npm, &format!("{base}-{p}"), &base), Some(Ordering::Less));
        prop_assert_eq!(compare(Ecosystem::Npm, &format!("{base}+build.7"), &base), Some(Ordering::Equal));
        prop_assert_eq!(compare(Ecosystem::Npm, &format!("v{base}"), &base), Some(Ordering::Equal));
        prop_assert_eq!(
            compare(Ecosystem::CratesIo, &base, &format!("{x}.{y}.{}", z + 1)),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn maven_is_a_total_order(a in maven(), b in maven(), c in maven()) {
        total_order(Ecosystem::Maven, &a, &b, &c)?;
    }

    #[test]
    fn maven_qualifiers_and_numbers(r in release(), s in release()) {
        let base = dotted(&r);
        let m = |t: &str| MavenVersion::parse(t);
        prop_assert!(m(&format!("{base}-SNAPSHOT")) < m(&base), "where the specification says");
        prop_assert!(m(&format!("{base}-rc1")) < m(&format!("{base}-SNAPSHOT")), "where the specification says");
        prop_assert!(m(&base) < m(&format!("{base}-sp1")), "where the specification says");
        prop_assert_eq!(m(&base).cmp(&m(&format!("{base}.0"))), Ordering::Equal);
        prop_assert_eq!(m(&base).cmp(&m(&format!("{base}.Final"))), Ordering::Equal);
        prop_assert_eq!(m(&format!("{base}-RC1")).cmp(&m(&format!("{base}-rc1"))), Ordering::Equal);
        let pad = |r: &[u64]| { let mut r = r.to_vec(); r.resize(4, 0); r };
        prop_assert_eq!(m(&base).cmp(&m(&dotted(&s))), pad(&r).cmp(&pad(&s)));
    }

    #[test]
    fn nothing_panics_on_any_text(t in "\\PC{0,20}") {
        for eco in [Ecosystem::PyPI, Ecosystem::Npm, Ecosystem::Maven, Ecosystem::CratesIo] {
            let _ = Version::parse(eco, &t);
        }
    }
}
