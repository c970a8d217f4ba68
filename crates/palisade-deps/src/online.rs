//! `scan --online`: the OSV API instead of local data. The scan's package versions go to
//! `POST /v1/querybatch` (at most 1,000 queries a request; a result with a
//! `next_page_token` is asked again with it as `page_token`), which answers advisory ids
//! only; each id's full record comes from `GET /v1/vulns/{id}`. The records then go through
//! the same matching as local data, so both sources give the same findings.

use crate::inventory::Ecosystem;
use crate::net::Client;
use crate::osv::{Database, Key, Record};
use palisade_core::engine::Online;
use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeSet, HashSet};

/// OSV's public API.
pub const DEFAULT_API_URL: &str = "https://api.osv.dev";

/// The API takes at most this many queries in one batch.
const BATCH: usize = 1000;
/// A result paged more often than this is cut short, with a problem saying so.
const MAX_PAGES: usize = 50;
/// An OSV record is a few kilobytes; a batch answer lists ids only.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Deserialize)]
struct BatchAnswer {
    #[serde(default)]
    results: Vec<BatchResult>,
}

#[derive(Deserialize, Default)]
struct BatchResult {
    #[serde(default)]
    vulns: Vec<IdOnly>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

/// One package version to ask about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Query {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
}

/// Asks the API about `queries` and returns the records of every advisory it names
/// (indexed for `wanted`). An error when the batch queries themselves fail: then nothing
/// was checked. Records that cannot be fetched are problems of the returned database.
pub fn query(
    online: Online,
    client: &Client,
    api: &str,
    queries: &[Query],
    wanted: &HashSet<Key>,
) -> Result<Database, String> {
    let api = api.trim_end_matches('/');
    let batch_url = format!("{api}/v1/querybatch");
    let mut ids = BTreeSet::new();
    let mut db = Database::default();
    db.sources.push(format!("{api} (OSV API)"));
    for chunk in queries.chunks(BATCH) {
        // Each query with the page token its last answer gave (none at first).
        let mut pending: Vec<(&Query, Option<String>)> = chunk.iter().map(|q| (q, None)).collect();
        let mut pages = 0;
        while !pending.is_empty() {
            pages += 1;
            if pages > MAX_PAGES {
                db.problems.push(format!(
                    "{batch_url}: {} queries still had more pages after {MAX_PAGES}; their remaining advisories were not fetched",
                    pending.len()
                ));
                break;
            }
            let body = json!({
                "queries": pending.iter().map(|(q, token)| {
                    let mut one = json!({
                        "package": {"ecosystem": q.ecosystem.osv_name(), "name": q.name},
                        "version": q.version,
                    });
                    if let Some(token) = token {
                        one["page_token"] = json!(token);
                    }
                    one
                }).collect::<Vec<_>>()
            });
            let answer = client.post_json(online, &batch_url, body.to_string().as_bytes())?;
            if answer.status != 200 {
                return Err(format!(
                    "{batch_url}: the server answered HTTP {}",
                    answer.status
                ));
            }
            let bytes = answer
                .body(MAX_ANSWER_BYTES)
                .map_err(|e| format!("{batch_url}: {e}"))?;
            let parsed: BatchAnswer = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{batch_url}: not an OSV batch answer: {e}"))?;
            if parsed.results.len() != pending.len() {
                return Err(format!(
                    "{batch_url}: {} results for {} queries",
                    parsed.results.len(),
                    pending.len()
                ));
            }
            let mut next = Vec::new();
            for ((q, _), result) in pending.iter().zip(parsed.results) {
                ids.extend(result.vulns.into_iter().map(|v| v.id));
                if let Some(token) = result.next_page_token.filter(|t| !t.is_empty()) {
                    next.push((*q, Some(token)));
                }
            }
            pending = next;
        }
    }
    let fetched: Vec<Result<Record, String>> = {
        use rayon::prelude::*;
        let ids: Vec<&String> = ids.iter().collect();
        ids.par_iter()
            .map(|id| fetch_record(online, client, api, id))
            .collect()
    };
    for record in fetched {
        match record {
            Ok(record) => db.add(record, wanted),
            Err(problem) => db.problems.push(problem),
        }
    }
    Ok(db)
}

fn fetch_record(online: Online, client: &Client, api: &str, id: &str) -> Result<Record, String> {
    let url = format!("{api}/v1/vulns/{}", path_segment(id));
    let answer = client.get(online, &url)?;
    if answer.status != 200 {
        return Err(format!("{url}: the server answered HTTP {}", answer.status));
    }
    let bytes = answer
        .body(MAX_ANSWER_BYTES)
        .map_err(|e| format!("{url}: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{url}: not an OSV record: {e}"))
}

/// An id as one path segment: anything but letters, digits and `-._:` percent-encoded.
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_one_path_segment() {
        assert_eq!(super::path_segment("GHSA-abcd-1234"), "GHSA-abcd-1234");
        assert_eq!(super::path_segment("a/../b c"), "a%2F..%2Fb%20c");
    }
}
