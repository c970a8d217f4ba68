//! The live rules, one per file: `mysql-server/…` (the database audit) and `probe/…` (the
//! HTTP/TLS probe). Each registers by one line in its folder's `mod.rs`. Every one of them
//! needs the network: they run only in a live command or an online scan with targets.

#[path = "mysql-server/mod.rs"]
pub mod mysql_server;
pub mod probe;

use palisade_core::RuleMeta;

/// Every live rule's metadata.
pub fn metas() -> &'static [&'static RuleMeta] {
    static ALL: std::sync::OnceLock<Vec<&'static RuleMeta>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        mysql_server::METAS
            .iter()
            .chain(probe::METAS.iter())
            .copied()
            .collect()
    })
}
