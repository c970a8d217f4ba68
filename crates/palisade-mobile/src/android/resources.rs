//! Android XML resources the rules read: network security configs and FileProvider paths
//! (`res/xml/*.xml`), and string and bool values (`res/values/*.xml`).

use crate::xml;
use palisade_core::Span;
use roxmltree::Node;

/// One `<base-config>`, `<domain-config>` or `<debug-overrides>` block.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NetworkBlock {
    pub kind: BlockKind,
    pub span: Span,
    /// `cleartextTrafficPermitted` as written, with its span.
    pub cleartext: Option<(bool, Span)>,
    /// Domains of a domain-config.
    pub domains: Vec<String>,
    /// `<certificates src="user">` trust anchors (span of each).
    pub user_certificates: Vec<Span>,
    /// `<certificates overridePins="true">` (span of each).
    pub override_pins: Vec<Span>,
    /// `<pin-set>` elements of a domain-config.
    pub pin_sets: Vec<PinSet>,
}

/// One `<pin-set>`: its `expiration` (as written, with the attribute's span) and how many
/// `<pin>`s it holds.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PinSet {
    pub span: Span,
    pub expiration: Option<(String, Span)>,
    pub pins: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BlockKind {
    Base,
    Domain,
    DebugOverrides,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct NetworkConfig {
    pub blocks: Vec<NetworkBlock>,
}

/// One entry of a FileProvider paths file (`<root-path name="root" path="/"/>`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SharedPath {
    pub element: String,
    pub path: String,
    pub span: Span,
}

/// What a `res/xml` or `res/values` file holds, for the rules.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Resource {
    NetworkConfig(NetworkConfig),
    Paths(Vec<SharedPath>),
    Values(Vec<(String, String)>),
    Other,
}

pub fn parse(text: &str) -> Result<Resource, String> {
    let doc = xml::parse(text)?;
    let root = doc.root_element();
    Ok(match root.tag_name().name() {
        "network-security-config" => Resource::NetworkConfig(network_config(root)),
        "paths" => Resource::Paths(paths(root)),
        "resources" => Resource::Values(values(root)),
        _ => Resource::Other,
    })
}

fn network_config(root: Node<'_, '_>) -> NetworkConfig {
    let mut config = NetworkConfig::default();
    for block in root.descendants().filter(Node::is_element) {
        let kind = match block.tag_name().name() {
            "base-config" => BlockKind::Base,
            "domain-config" => BlockKind::Domain,
            "debug-overrides" => BlockKind::DebugOverrides,
            _ => continue,
        };
        let cleartext =
            xml::attr(block, None, "cleartextTrafficPermitted").map(|a| (a.is_true(), a.span));
        let mut b = NetworkBlock {
            kind,
            span: xml::element_span(block),
            cleartext,
            domains: Vec::new(),
            user_certificates: Vec::new(),
            override_pins: Vec::new(),
            pin_sets: Vec::new(),
        };
        for child in block.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "domain" => b.domains.extend(child.text().map(|t| t.trim().to_string())),
                "pin-set" => b.pin_sets.push(PinSet {
                    span: xml::element_span(child),
                    expiration: xml::attr(child, None, "expiration").map(|a| (a.value, a.span)),
                    pins: child.children().filter(|n| n.has_tag_name("pin")).count(),
                }),
                "trust-anchors" => {
                    for cert in child.children().filter(|n| n.has_tag_name("certificates")) {
                        if cert.attribute("src").is_some_and(|s| s.trim() == "user") {
                            b.user_certificates.push(
                                xml::attr(cert, None, "src")
                                    .map_or_else(|| xml::element_span(cert), |a| a.span),
                            );
                        }
                        if let Some(a) = xml::attr(cert, None, "overridePins")
                            && a.is_true()
                        {
                            b.override_pins.push(a.span);
                        }
                    }
                }
                _ => {}
            }
        }
        config.blocks.push(b);
    }
    config
}

fn paths(root: Node<'_, '_>) -> Vec<SharedPath> {
    root.children()
        .filter(Node::is_element)
        .map(|n| SharedPath {
            element: n.tag_name().name().to_string(),
            path: n.attribute("path").unwrap_or("").to_string(),
            span: xml::element_span(n),
        })
        .collect()
}

fn values(root: Node<'_, '_>) -> Vec<(String, String)> {
    root.children()
        .filter(|n| n.has_tag_name("string") || n.has_tag_name("bool"))
        .filter_map(|n| {
            let name = n.attribute("name")?;
            let kind = n.tag_name().name();
            Some((
                format!("@{kind}/{name}"),
                n.text().unwrap_or("").trim().to_string(),
            ))
        })
        .collect()
}
