//! Android's binary XML (the compiled `AndroidManifest.xml` and `res/xml/*` files inside an
//! APK) decoded back into XML text, so the same manifest and resource parsers read it.
//!
//! The format is a sequence of chunks, each starting with `type: u16, header_size: u16,
//! size: u32` (little-endian): an XML chunk holding a string pool, a resource map (the
//! attribute names' resource ids), namespace start/end chunks, element start/end chunks
//! whose attributes name strings of the pool and carry typed values, and CDATA chunks.
//! Every read is bounds-checked: bad bytes give an error, never a panic, and the budgets
//! (strings, elements, depth, output size) keep hostile files small.
//!
//! The rendering puts each attribute on a line of its own, so a finding's line names the
//! attribute, and writes values the way the manifest parser expects them: booleans as
//! `true`/`false`, numbers in decimal, `protectionLevel` and `launchMode` by name, and
//! resource references as `@0x7f…` (resources.arsc is not read).

use std::collections::HashMap;
use std::fmt::Write;

const RES_STRING_POOL: u16 = 0x0001;
const RES_XML: u16 = 0x0003;
const RES_XML_START_NAMESPACE: u16 = 0x0100;
const RES_XML_END_NAMESPACE: u16 = 0x0101;
const RES_XML_START_ELEMENT: u16 = 0x0102;
const RES_XML_END_ELEMENT: u16 = 0x0103;
const RES_XML_CDATA: u16 = 0x0104;
const RES_XML_RESOURCE_MAP: u16 = 0x0180;

const UTF8_FLAG: u32 = 1 << 8;
const NO_INDEX: u32 = 0xFFFF_FFFF;

const TYPE_REFERENCE: u8 = 0x01;
const TYPE_ATTRIBUTE: u8 = 0x02;
const TYPE_STRING: u8 = 0x03;
const TYPE_FLOAT: u8 = 0x04;
const TYPE_INT_DEC: u8 = 0x10;
const TYPE_INT_HEX: u8 = 0x11;
const TYPE_INT_BOOLEAN: u8 = 0x12;

const MAX_STRINGS: usize = 200_000;
const MAX_ELEMENTS: usize = 200_000;
const MAX_DEPTH: usize = 128;
const MAX_OUTPUT: usize = 8 * 1024 * 1024;

pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// Whether bytes look like binary XML (an XML chunk header).
pub fn is_binary_xml(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && u16::from_le_bytes([bytes[0], bytes[1]]) == RES_XML
}

/// The Android attributes palisade reads, by resource id: aapt can strip or obfuscate the
/// names in the string pool, but the ids in the resource map are the platform's.
fn android_attribute_name(id: u32) -> Option<&'static str> {
    Some(match id {
        0x0101_0003 => "name",
        0x0101_0006 => "permission",
        0x0101_0007 => "readPermission",
        0x0101_0008 => "writePermission",
        0x0101_0009 => "protectionLevel",
        0x0101_000e => "enabled",
        0x0101_000f => "debuggable",
        0x0101_0010 => "exported",
        0x0101_0012 => "taskAffinity",
        0x0101_0018 => "authorities",
        0x0101_001b => "grantUriPermissions",
        0x0101_001d => "launchMode",
        0x0101_0024 => "value",
        0x0101_0025 => "resource",
        0x0101_0027 => "scheme",
        0x0101_0028 => "host",
        0x0101_020c => "minSdkVersion",
        0x0101_0202 => "targetActivity",
        0x0101_0270 => "targetSdkVersion",
        0x0101_0280 => "allowBackup",
        0x0101_04ec => "usesCleartextTraffic",
        0x0101_0527 => "networkSecurityConfig",
        _ => return None,
    })
}

/// A little-endian reader over a byte slice; every read is checked.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8_at(&self, at: usize) -> Result<u8, String> {
        self.0.get(at).copied().ok_or_else(|| truncated(at))
    }
    fn u16_at(&self, at: usize) -> Result<u16, String> {
        let b = self
            .0
            .get(at..at.checked_add(2).ok_or_else(|| truncated(at))?);
        b.map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| truncated(at))
    }
    fn u32_at(&self, at: usize) -> Result<u32, String> {
        let b = self
            .0
            .get(at..at.checked_add(4).ok_or_else(|| truncated(at))?);
        b.map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| truncated(at))
    }
}

fn truncated(at: usize) -> String {
    format!("binary XML truncated or corrupt (read past the end at byte {at})")
}

/// The string pool: strings decoded lazily, by index.
struct StringPool<'a> {
    chunk: Bytes<'a>,
    offsets: Vec<u32>,
    strings_start: usize,
    utf8: bool,
}

impl StringPool<'_> {
    fn parse(chunk: &[u8]) -> Result<StringPool<'_>, String> {
        let b = Bytes(chunk);
        let header_size = b.u16_at(2)? as usize;
        let count = b.u32_at(8)? as usize;
        let flags = b.u32_at(16)?;
        let strings_start = b.u32_at(20)? as usize;
        if count > MAX_STRINGS {
            return Err(format!(
                "binary XML string pool of {count} strings; not analysed"
            ));
        }
        let mut offsets = Vec::with_capacity(count);
        for i in 0..count {
            offsets.push(b.u32_at(header_size + i * 4)?);
        }
        Ok(StringPool {
            chunk: b,
            offsets,
            strings_start,
            utf8: flags & UTF8_FLAG != 0,
        })
    }

    /// String `index`, or `None` for "no string" (0xFFFFFFFF) or a bad index or encoding.
    fn get(&self, index: u32) -> Option<String> {
        let offset = *self.offsets.get(usize::try_from(index).ok()?)? as usize;
        let at = self.strings_start.checked_add(offset)?;
        if self.utf8 {
            // UTF-16 length, then UTF-8 length (each 1 or 2 bytes), then the bytes.
            let (_, skip) = self.utf8_len(at)?;
            let (len, skip2) = self.utf8_len(at + skip)?;
            let start = at + skip + skip2;
            let bytes = self.chunk.0.get(start..start.checked_add(len)?)?;
            Some(String::from_utf8_lossy(bytes).into_owned())
        } else {
            let first = self.chunk.u16_at(at).ok()? as usize;
            let (len, skip) = if first & 0x8000 != 0 {
                let second = self.chunk.u16_at(at + 2).ok()? as usize;
                (((first & 0x7FFF) << 16) | second, 4)
            } else {
                (first, 2)
            };
            let start = at + skip;
            let bytes = self
                .chunk
                .0
                .get(start..start.checked_add(len.checked_mul(2)?)?)?;
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
    }

    fn utf8_len(&self, at: usize) -> Option<(usize, usize)> {
        let first = self.chunk.u8_at(at).ok()? as usize;
        if first & 0x80 != 0 {
            let second = self.chunk.u8_at(at + 1).ok()? as usize;
            Some((((first & 0x7F) << 8) | second, 2))
        } else {
            Some((first, 1))
        }
    }
}

/// Decodes binary XML into XML text.
pub fn to_xml(bytes: &[u8]) -> Result<String, String> {
    let b = Bytes(bytes);
    if !is_binary_xml(bytes) {
        return Err("not Android binary XML".to_string());
    }
    let header_size = b.u16_at(2)? as usize;
    let total = (b.u32_at(4)? as usize).min(bytes.len());
    let mut at = header_size.max(8);
    let mut pool: Option<StringPool<'_>> = None;
    let mut resource_ids: Vec<u32> = Vec::new();
    // Namespaces declared since the last element start: written on the next element.
    let mut pending_ns: Vec<(String, String)> = Vec::new();
    let mut prefixes: HashMap<String, String> = HashMap::new();
    let mut open: Vec<String> = Vec::new();
    let mut elements = 0usize;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    while at + 8 <= total {
        let kind = b.u16_at(at)?;
        let chunk_header = b.u16_at(at + 2)? as usize;
        let size = b.u32_at(at + 4)? as usize;
        if size < 8 || at.checked_add(size).is_none_or(|end| end > total) {
            return Err(format!(
                "binary XML chunk at byte {at} has a bad size ({size})"
            ));
        }
        let chunk = &bytes[at..at + size];
        if kind == RES_STRING_POOL {
            pool = Some(StringPool::parse(chunk)?);
            at += size;
            continue;
        }
        let cb = Bytes(chunk);
        let string =
            |index: u32| -> String { pool.as_ref().and_then(|p| p.get(index)).unwrap_or_default() };
        match kind {
            RES_XML_RESOURCE_MAP => {
                let count = (size.saturating_sub(chunk_header)) / 4;
                resource_ids = (0..count.min(MAX_STRINGS))
                    .map(|i| cb.u32_at(chunk_header + i * 4))
                    .collect::<Result<_, _>>()?;
            }
            RES_XML_START_NAMESPACE => {
                let prefix = string(cb.u32_at(16)?);
                let uri = string(cb.u32_at(20)?);
                prefixes.insert(uri.clone(), prefix.clone());
                pending_ns.push((prefix, uri));
            }
            RES_XML_END_NAMESPACE => {}
            RES_XML_START_ELEMENT => {
                elements += 1;
                if elements > MAX_ELEMENTS || open.len() >= MAX_DEPTH {
                    return Err(
                        "binary XML has too many or too deeply nested elements; not analysed"
                            .to_string(),
                    );
                }
                let ext = chunk_header;
                let ns = cb.u32_at(ext)?;
                let name = string(cb.u32_at(ext + 4)?);
                let attr_start = cb.u16_at(ext + 8)? as usize;
                let attr_size = (cb.u16_at(ext + 10)? as usize).max(20);
                let attr_count = cb.u16_at(ext + 12)? as usize;
                let tag = qualified(&prefixes, ns, &name, &string);
                let indent = "    ".repeat(open.len());
                let _ = write!(out, "{indent}<{tag}");
                for (prefix, uri) in pending_ns.drain(..) {
                    let attr = if prefix.is_empty() {
                        "xmlns".to_string()
                    } else {
                        format!("xmlns:{prefix}")
                    };
                    let _ = write!(out, "\n{indent}    {attr}=\"{}\"", escape(&uri));
                }
                for i in 0..attr_count {
                    let a = ext + attr_start + i * attr_size;
                    let attr_ns = cb.u32_at(a)?;
                    let name_index = cb.u32_at(a + 4)?;
                    let raw = cb.u32_at(a + 8)?;
                    let data_type = cb.u8_at(a + 15)?;
                    let data = cb.u32_at(a + 16)?;
                    // The resource id names a platform attribute even when an obfuscator
                    // emptied or renamed its string.
                    let attr_name = match resource_ids
                        .get(name_index as usize)
                        .and_then(|id| android_attribute_name(*id))
                    {
                        Some(known) => known.to_string(),
                        None => string(name_index),
                    };
                    if attr_name.is_empty() || !is_xml_name(&attr_name) {
                        continue;
                    }
                    let attr_tag = qualified(&prefixes, attr_ns, &attr_name, &string);
                    let value = if raw != NO_INDEX {
                        string(raw)
                    } else {
                        typed_value(&attr_name, data_type, data, &string)
                    };
                    let _ = write!(out, "\n{indent}    {attr_tag}=\"{}\"", escape(&value));
                }
                out.push_str(">\n");
                open.push(tag);
            }
            RES_XML_END_ELEMENT => {
                let tag = open
                    .pop()
                    .ok_or("binary XML closes an element it never opened")?;
                let _ = writeln!(out, "{}</{tag}>", "    ".repeat(open.len()));
            }
            RES_XML_CDATA => {
                let text = string(cb.u32_at(chunk_header)?);
                if !text.trim().is_empty() {
                    let _ = writeln!(out, "{}{}", "    ".repeat(open.len()), escape(text.trim()));
                }
            }
            // Unknown chunks are skipped by their size, as Android's own parser does.
            _ => {}
        }
        if out.len() > MAX_OUTPUT {
            return Err("binary XML decodes to more than 8 MB of text; not analysed".to_string());
        }
        at += size;
    }
    if !open.is_empty() {
        return Err("binary XML truncated: elements left open".to_string());
    }
    if elements == 0 {
        return Err("binary XML without elements".to_string());
    }
    Ok(out)
}

/// `prefix:name` for a namespaced name (a namespace without a declared prefix gets
/// `android` for Android's and `ns` otherwise).
fn qualified(
    prefixes: &HashMap<String, String>,
    ns: u32,
    name: &str,
    string: &dyn Fn(u32) -> String,
) -> String {
    let safe_name = if is_xml_name(name) {
        name.to_string()
    } else {
        "unnamed".to_string()
    };
    if ns == NO_INDEX {
        return safe_name;
    }
    let uri = string(ns);
    let prefix = match prefixes.get(&uri) {
        Some(p) if !p.is_empty() && is_xml_name(p) => p.clone(),
        _ if uri == ANDROID_NS => "android".to_string(),
        _ => return safe_name,
    };
    format!("{prefix}:{safe_name}")
}

/// Whether a name can be written as an XML name as is (binary XML may hold anything).
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A typed attribute value as the source XML would have written it.
fn typed_value(name: &str, data_type: u8, data: u32, string: &dyn Fn(u32) -> String) -> String {
    let integer = matches!(data_type, TYPE_INT_DEC | TYPE_INT_HEX);
    if integer && name == "launchMode" {
        return launch_mode(data);
    }
    if integer && name == "protectionLevel" {
        return protection_level(data);
    }
    match data_type {
        TYPE_INT_BOOLEAN => (if data != 0 { "true" } else { "false" }).to_string(),
        TYPE_STRING => string(data),
        TYPE_REFERENCE => format!("@0x{data:08x}"),
        TYPE_ATTRIBUTE => format!("?0x{data:08x}"),
        TYPE_FLOAT => f32::from_bits(data).to_string(),
        TYPE_INT_DEC => (data as i32).to_string(),
        _ => format!("0x{data:x}"),
    }
}

/// `protectionLevel`'s flags by name (`signature|privileged`).
fn protection_level(data: u32) -> String {
    let base = match data & 0xF {
        0 => "normal",
        1 => "dangerous",
        2 => "signature",
        3 => "signatureOrSystem",
        _ => return format!("0x{data:x}"),
    };
    let mut parts = vec![base.to_string()];
    for (bit, name) in [(0x10, "privileged"), (0x20, "development"), (0x40, "appop")] {
        if data & bit != 0 {
            parts.push(name.to_string());
        }
    }
    let known = 0xF | 0x10 | 0x20 | 0x40;
    if data & !known != 0 {
        parts.push(format!("0x{:x}", data & !known));
    }
    parts.join("|")
}

fn launch_mode(data: u32) -> String {
    match data {
        0 => "standard",
        1 => "singleTop",
        2 => "singleTask",
        3 => "singleInstance",
        4 => "singleInstancePerTask",
        _ => return data.to_string(),
    }
    .to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A small binary XML encoder: the tests' way to make compiled manifests without the
/// Android SDK (and the fuzz seeds'). It writes what aapt2 writes for the parts palisade
/// reads: a UTF-16 string pool, a resource map for `android:` attributes it knows, typed
/// booleans and decimal integers, strings otherwise.
pub mod encode {
    use super::*;

    /// One element: its name, attributes (`android:exported`, `package`) and children.
    pub struct Element {
        pub name: String,
        pub attributes: Vec<(String, String)>,
        pub children: Vec<Element>,
    }

    impl Element {
        pub fn new(name: &str, attributes: &[(&str, &str)], children: Vec<Element>) -> Element {
            Element {
                name: name.to_string(),
                attributes: attributes
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                children,
            }
        }
    }

    fn id_of(name: &str) -> Option<u32> {
        (0x0101_0000..0x0101_0700).find(|id| android_attribute_name(*id) == Some(name))
    }

    struct Pool {
        strings: Vec<String>,
    }

    impl Pool {
        fn index(&mut self, s: &str) -> u32 {
            if let Some(i) = self.strings.iter().position(|x| x == s) {
                return i as u32;
            }
            self.strings.push(s.to_string());
            (self.strings.len() - 1) as u32
        }
    }

    fn chunk(kind: u16, header: &[u8], body: &[u8]) -> Vec<u8> {
        let header_size = 8 + header.len();
        let size = header_size + body.len();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&(header_size as u16).to_le_bytes());
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(body);
        out
    }

    /// The compiled form of an XML text (its elements and attributes; text and comments
    /// dropped), or `None` when it is not XML: the fuzz seeds' way to compile the fixtures.
    pub fn from_xml(text: &str) -> Option<Vec<u8>> {
        fn element(node: roxmltree::Node<'_, '_>) -> Element {
            Element {
                name: node.tag_name().name().to_string(),
                attributes: node
                    .attributes()
                    .map(|a| {
                        let name = match a.namespace() {
                            Some(ANDROID_NS) => format!("android:{}", a.name()),
                            _ => a.name().to_string(),
                        };
                        (name, a.value().to_string())
                    })
                    .collect(),
                children: node
                    .children()
                    .filter(|c| c.is_element())
                    .map(element)
                    .collect(),
            }
        }
        let doc = crate::xml::parse(text).ok()?;
        Some(encode(&element(doc.root_element())))
    }

    /// The compiled form of `root`, with the `android` namespace declared on it.
    pub fn encode(root: &Element) -> Vec<u8> {
        let mut pool = Pool {
            strings: Vec::new(),
        };
        // Android attribute names first, so that their indices line up with the resource map.
        let mut android_names = Vec::new();
        collect_android(root, &mut android_names);
        for name in &android_names {
            pool.index(name);
        }
        let ids: Vec<u32> = android_names
            .iter()
            .map(|n| id_of(n).unwrap_or(0))
            .collect();
        let ns_prefix = pool.index("android");
        let ns_uri = pool.index(ANDROID_NS);
        let mut nodes: Vec<u8> = Vec::new();
        let node_header = |line: u32| {
            let mut h = Vec::new();
            h.extend_from_slice(&line.to_le_bytes());
            h.extend_from_slice(&NO_INDEX.to_le_bytes());
            h
        };
        let mut ns_body = Vec::new();
        ns_body.extend_from_slice(&ns_prefix.to_le_bytes());
        ns_body.extend_from_slice(&ns_uri.to_le_bytes());
        nodes.extend(chunk(RES_XML_START_NAMESPACE, &node_header(1), &ns_body));
        element(root, &mut pool, ns_uri, &mut nodes, &node_header);
        nodes.extend(chunk(RES_XML_END_NAMESPACE, &node_header(1), &ns_body));

        let mut pool_body = Vec::new();
        let mut offsets = Vec::new();
        for s in &pool.strings {
            offsets.push(pool_body.len() as u32);
            let units: Vec<u16> = s.encode_utf16().collect();
            pool_body.extend_from_slice(&(units.len() as u16).to_le_bytes());
            for u in units {
                pool_body.extend_from_slice(&u.to_le_bytes());
            }
            pool_body.extend_from_slice(&[0, 0]);
        }
        while pool_body.len() % 4 != 0 {
            pool_body.push(0);
        }
        let mut pool_header = Vec::new();
        let count = pool.strings.len() as u32;
        pool_header.extend_from_slice(&count.to_le_bytes());
        pool_header.extend_from_slice(&0u32.to_le_bytes());
        pool_header.extend_from_slice(&0u32.to_le_bytes());
        pool_header.extend_from_slice(&(28 + count * 4).to_le_bytes());
        pool_header.extend_from_slice(&0u32.to_le_bytes());
        let mut offsets_bytes = Vec::new();
        for o in offsets {
            offsets_bytes.extend_from_slice(&o.to_le_bytes());
        }
        offsets_bytes.extend(pool_body);
        let pool_chunk = chunk(RES_STRING_POOL, &pool_header, &offsets_bytes);
        let mut map_body = Vec::new();
        for id in ids {
            map_body.extend_from_slice(&id.to_le_bytes());
        }
        let map_chunk = chunk(RES_XML_RESOURCE_MAP, &[], &map_body);
        let mut body = pool_chunk;
        body.extend(map_chunk);
        body.extend(nodes);
        chunk(RES_XML, &[], &body)
    }

    fn collect_android(e: &Element, names: &mut Vec<String>) {
        for (k, _) in &e.attributes {
            if let Some(n) = k.strip_prefix("android:")
                && !names.iter().any(|x| x == n)
            {
                names.push(n.to_string());
            }
        }
        for c in &e.children {
            collect_android(c, names);
        }
    }

    fn element(
        e: &Element,
        pool: &mut Pool,
        ns_uri: u32,
        out: &mut Vec<u8>,
        node_header: &dyn Fn(u32) -> Vec<u8>,
    ) {
        let name = pool.index(&e.name);
        let mut attrs = Vec::new();
        for (k, v) in &e.attributes {
            let (ns, local) = match k.strip_prefix("android:") {
                Some(local) => (ns_uri, local),
                None => (NO_INDEX, k.as_str()),
            };
            let name_index = pool.index(local);
            let (raw, data_type, data) = if v == "true" || v == "false" {
                (
                    NO_INDEX,
                    TYPE_INT_BOOLEAN,
                    if v == "true" { 0xFFFF_FFFF } else { 0 },
                )
            } else if let Ok(n) = v.parse::<i32>() {
                (NO_INDEX, TYPE_INT_DEC, n as u32)
            } else if let Some(hex) = v
                .strip_prefix("0x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
            {
                (NO_INDEX, TYPE_INT_HEX, hex)
            } else {
                let s = pool.index(v);
                (s, TYPE_STRING, s)
            };
            attrs.extend_from_slice(&ns.to_le_bytes());
            attrs.extend_from_slice(&name_index.to_le_bytes());
            attrs.extend_from_slice(&raw.to_le_bytes());
            attrs.extend_from_slice(&8u16.to_le_bytes());
            attrs.push(0);
            attrs.push(data_type);
            attrs.extend_from_slice(&data.to_le_bytes());
        }
        let mut start = Vec::new();
        start.extend_from_slice(&NO_INDEX.to_le_bytes());
        start.extend_from_slice(&name.to_le_bytes());
        start.extend_from_slice(&20u16.to_le_bytes());
        start.extend_from_slice(&20u16.to_le_bytes());
        start.extend_from_slice(&(e.attributes.len() as u16).to_le_bytes());
        start.extend_from_slice(&[0; 6]);
        start.extend(attrs);
        out.extend(chunk(RES_XML_START_ELEMENT, &node_header(1), &start));
        for c in &e.children {
            element(c, pool, ns_uri, out, node_header);
        }
        let mut end = Vec::new();
        end.extend_from_slice(&NO_INDEX.to_le_bytes());
        end.extend_from_slice(&name.to_le_bytes());
        out.extend(chunk(RES_XML_END_ELEMENT, &node_header(1), &end));
    }
}
