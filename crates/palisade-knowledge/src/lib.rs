//! What every palisade analyzer needs to know about names, paths, hosts and SQL, written
//! once so that two analyzers never disagree about it.
//!
//! - [`words`]: the words of an identifier (`APIKeyHeader` → `api`, `key`, `header`).
//! - [`roles`]: what a file is for, from its path (source, test, fixture, example,
//!   generated, vendored) and which flavour of settings module it is (deployed, base,
//!   development, test) — decided on whole path segments and name words, never on
//!   substrings, so `latest/` is not test code.
//! - [`secrets`]: whether a name says it holds a secret (`DB_PASSWORD`, `apiKey`) and
//!   whether a value is only a placeholder (`changeme`, `${TOKEN}`, `<your-key>`).
//! - [`hosts`]: splitting a URL and telling loopback, private, link-local,
//!   cluster-internal, reserved-example and public hosts apart.
//! - [`images`]: how firmly a container image reference is pinned (digest, tag, floating).
//! - [`sql`]: a small SQL lexer and the "does this text read as SQL" checks.
//!
//! This crate depends on nothing: it is plain functions over strings, cheap enough to run on
//! every node of a syntax tree.

pub mod hosts;
pub mod images;
pub mod roles;
pub mod secrets;
pub mod sql;
pub mod words;
