//! End-of-life dates of runtimes, distributions and database servers, shipped with
//! palisade. Each entry names the day its maintainers stop fixing security issues (for
//! Debian: the end of LTS; for Ubuntu: the end of standard support, which container images
//! get) and where that date is published. Checked on 2026-11-30; dates after that are the
//! maintainers' announced plans.

use palisade_core::date::Date;

/// One release cycle and its end of security support.
pub struct Cycle {
    pub product: &'static str,
    /// As tags and requirement specifiers write it (`3.8`, `16`, `buster`, `10`, `5.7`).
    pub cycles: &'static [&'static str],
    /// The last day of security support, `YYYY-MM-DD`.
    pub end: &'static str,
    /// Where the date is published.
    pub source: &'static str,
}

const PY: &str = "https://devguide.python.org/versions/ (checked 2026-11-30)";
const NODE: &str = "https://github.com/nodejs/Release#release-schedule (checked 2026-11-30)";
const DEBIAN: &str = "https://wiki.debian.org/LTS (checked 2026-11-30)";
const UBUNTU: &str = "https://ubuntu.com/about/release-cycle (checked 2026-11-30)";
const ALPINE: &str = "https://alpinelinux.org/releases/ (checked 2026-11-30)";
const MYSQL: &str = "https://www.mysql.com/support/supportedplatforms/database.html and MySQL lifecycle policy (checked 2026-11-30)";
const MARIADB: &str = "https://mariadb.org/about/#maintenance-policy (checked 2026-11-30)";

/// The table. Only cycles that ended, or end within a few years, are listed: a version not
/// listed is not judged.
pub static CYCLES: &[Cycle] = &[
    Cycle {
        product: "python",
        cycles: &["2.6"],
        end: "2013-10-29",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["2.7"],
        end: "2020-01-01",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.4"],
        end: "2019-03-18",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.5"],
        end: "2020-09-30",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.6"],
        end: "2021-12-23",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.7"],
        end: "2023-06-27",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.8"],
        end: "2024-10-07",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.9"],
        end: "2025-10-31",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.10"],
        end: "2026-10-31",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.11"],
        end: "2027-10-31",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.12"],
        end: "2028-10-31",
        source: PY,
    },
    Cycle {
        product: "python",
        cycles: &["3.13"],
        end: "2029-10-31",
        source: PY,
    },
    Cycle {
        product: "node",
        cycles: &["8"],
        end: "2019-12-31",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["10"],
        end: "2021-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["11"],
        end: "2019-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["12"],
        end: "2022-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["13"],
        end: "2020-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["14"],
        end: "2023-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["15"],
        end: "2021-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["16"],
        end: "2023-09-11",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["17"],
        end: "2022-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["18"],
        end: "2025-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["19"],
        end: "2023-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["20"],
        end: "2026-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["21"],
        end: "2024-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["22"],
        end: "2027-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["23"],
        end: "2025-06-01",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["24"],
        end: "2028-04-30",
        source: NODE,
    },
    Cycle {
        product: "node",
        cycles: &["25"],
        end: "2026-06-01",
        source: NODE,
    },
    Cycle {
        product: "debian",
        cycles: &["8", "jessie"],
        end: "2020-06-30",
        source: DEBIAN,
    },
    Cycle {
        product: "debian",
        cycles: &["9", "stretch"],
        end: "2022-06-30",
        source: DEBIAN,
    },
    Cycle {
        product: "debian",
        cycles: &["10", "buster"],
        end: "2024-06-30",
        source: DEBIAN,
    },
    Cycle {
        product: "debian",
        cycles: &["11", "bullseye"],
        end: "2026-08-31",
        source: DEBIAN,
    },
    Cycle {
        product: "debian",
        cycles: &["12", "bookworm"],
        end: "2028-06-30",
        source: DEBIAN,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["14.04", "trusty"],
        end: "2019-04-30",
        source: UBUNTU,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["16.04", "xenial"],
        end: "2021-04-30",
        source: UBUNTU,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["18.04", "bionic"],
        end: "2023-05-31",
        source: UBUNTU,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["20.04", "focal"],
        end: "2025-05-31",
        source: UBUNTU,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["22.04", "jammy"],
        end: "2027-06-30",
        source: UBUNTU,
    },
    Cycle {
        product: "ubuntu",
        cycles: &["24.04", "noble"],
        end: "2029-05-31",
        source: UBUNTU,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.14"],
        end: "2023-05-01",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.15"],
        end: "2023-11-01",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.16"],
        end: "2024-05-23",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.17"],
        end: "2024-11-22",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.18"],
        end: "2025-05-09",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.19"],
        end: "2025-11-01",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.20"],
        end: "2026-04-01",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.21"],
        end: "2026-11-01",
        source: ALPINE,
    },
    Cycle {
        product: "alpine",
        cycles: &["3.22"],
        end: "2027-05-01",
        source: ALPINE,
    },
    Cycle {
        product: "mysql",
        cycles: &["5.5"],
        end: "2018-12-31",
        source: MYSQL,
    },
    Cycle {
        product: "mysql",
        cycles: &["5.6"],
        end: "2021-02-28",
        source: MYSQL,
    },
    Cycle {
        product: "mysql",
        cycles: &["5.7"],
        end: "2023-10-31",
        source: MYSQL,
    },
    Cycle {
        product: "mysql",
        cycles: &["8.0"],
        end: "2026-04-30",
        source: MYSQL,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.2"],
        end: "2022-05-23",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.3"],
        end: "2023-05-25",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.4"],
        end: "2024-06-18",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.5"],
        end: "2025-06-24",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.6"],
        end: "2026-07-06",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["10.11"],
        end: "2028-02-16",
        source: MARIADB,
    },
    Cycle {
        product: "mariadb",
        cycles: &["11.4"],
        end: "2029-05-29",
        source: MARIADB,
    },
];

/// The entry for a product's cycle, if the table has one.
pub fn lookup(product: &str, cycle: &str) -> Option<&'static Cycle> {
    CYCLES
        .iter()
        .find(|c| c.product == product && c.cycles.contains(&cycle))
}

/// The entry when `cycle` of `product` was past its end of security support on `today`.
pub fn ended(product: &str, cycle: &str, today: Date) -> Option<&'static Cycle> {
    let entry = lookup(product, cycle)?;
    let end = Date::parse(entry.end)?;
    (today > end).then_some(entry)
}

/// The display name of a product.
pub fn product_name(product: &str) -> &str {
    match product {
        "python" => "Python",
        "node" => "Node.js",
        "debian" => "Debian",
        "ubuntu" => "Ubuntu",
        "alpine" => "Alpine Linux",
        "mysql" => "MySQL",
        "mariadb" => "MariaDB",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_date_and_a_source() {
        for c in CYCLES {
            assert!(Date::parse(c.end).is_some(), "{} {:?}", c.product, c.cycles);
            assert!(c.source.starts_with("https://"));
        }
        let day = Date::parse("2026-12-01").unwrap();
        assert!(ended("python", "3.8", day).is_some());
        assert!(ended("python", "3.12", day).is_none());
        assert!(ended("debian", "buster", day).is_some());
        assert!(ended("debian", "bookworm", day).is_none());
        assert!(ended("python", "4.0", day).is_none());
    }
}
