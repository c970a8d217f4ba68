//! Each ecosystem's own version order: PEP 440 for PyPI, SemVer 2.0 precedence for npm and
//! crates.io (build metadata ignored, a pre-release below its release), Maven's
//! ComparableVersion for Maven. A version an order cannot read is compared as text only for
//! equality, never guessed into a range.

pub mod maven;
pub mod pep440;
pub mod range;

use crate::inventory::Ecosystem;
use std::cmp::Ordering;

/// A version parsed in its ecosystem's order.
#[derive(Clone, Debug)]
pub enum Version {
    Pep440(pep440::Pep440),
    Semver(semver::Version),
    Maven(maven::MavenVersion),
}

impl Version {
    /// Parses `text` in the order of `ecosystem`; `None` when that order cannot read it.
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Version> {
        match ecosystem {
            Ecosystem::PyPI => pep440::Pep440::parse(text).map(Version::Pep440),
            Ecosystem::Npm | Ecosystem::CratesIo => parse_semver(text).map(Version::Semver),
            Ecosystem::Maven => Some(Version::Maven(maven::MavenVersion::parse(text))),
        }
    }

    /// Compares two versions of the same order; `None` across orders.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp_precedence(b)),
            (Version::Maven(a), Version::Maven(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// A SemVer version as npm reads one: an optional `v` or `=` and surrounding blanks allowed.
pub fn parse_semver(text: &str) -> Option<semver::Version> {
    let t = text.trim();
    let t = t.strip_prefix('=').unwrap_or(t).trim_start();
    let t = t.strip_prefix('v').unwrap_or(t);
    semver::Version::parse(t).ok()
}

/// Compares two version texts of one ecosystem (`None` when either cannot be read).
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Option<Ordering> {
    Version::parse(ecosystem, a)?.compare(&Version::parse(ecosystem, b)?)
}

/// Sorts `items` ascending by `cmp` without assuming that `cmp` is a total order (Maven's
/// is not; see [`maven`]): each item is ranked by how many others it is greater than, and
/// the ranks are sorted, stably. Where `cmp` is a total order that is the order itself;
/// where it is not, the items still all come out in some order, and nothing panics
/// (`slice::sort_by` may panic on an order that is not total). Quadratic: for the few
/// versions of a range or a fix list.
pub fn sort_by_rank<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let ranks: Vec<usize> = items
        .iter()
        .map(|a| items.iter().filter(|b| cmp(a, b).is_gt()).count())
        .collect();
    let mut ranked: Vec<(usize, T)> = ranks.into_iter().zip(items.drain(..)).collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    items.extend(ranked.into_iter().map(|(_, item)| item));
}
