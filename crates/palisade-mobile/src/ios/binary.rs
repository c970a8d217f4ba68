//! Binary plists (`bplist00`, what Xcode puts in a built app and what some projects commit)
//! rendered as the XML plist `plutil -convert xml1` would print, so the same rules read them
//! and findings point at lines of that rendering.
//!
//! The plist crate decodes; the rendering is ours, written as the crate's deserializer walks
//! the values, never through a `plist::Value`: a binary plist's objects may be shared, and an
//! array that refers to the same child twice, nested forty deep, expands to 2^40 values. So
//! the walk has budgets (values, output size, nesting), and going over one stops it with an
//! error, never a hang or an exhausted memory.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::fmt::Write;
use std::io::Cursor;

/// The magic every binary plist starts with.
pub const MAGIC: &[u8] = b"bplist";

const MAX_VALUES: usize = 500_000;
const MAX_OUTPUT: usize = 16 * 1024 * 1024;
const MAX_DEPTH: usize = 64;

thread_local! {
    /// The walk's budgets, for the one rendering running on this thread.
    static VALUES: Cell<usize> = const { Cell::new(0) };
    static OUTPUT: Cell<usize> = const { Cell::new(0) };
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// The XML rendering of a binary plist, or why it cannot be read.
pub fn to_xml(bytes: &[u8]) -> Result<String, String> {
    VALUES.set(0);
    OUTPUT.set(0);
    DEPTH.set(0);
    let body: Rendered =
        plist::from_reader(Cursor::new(bytes)).map_err(|e| format!("binary plist: {e}"))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n{}</plist>\n",
        body.0
    ))
}

/// One value's XML lines (each ending in a newline), indented one tab per level.
struct Rendered(String);

impl<'de> Deserialize<'de> for Rendered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rendered, D::Error> {
        let values = VALUES.get() + 1;
        VALUES.set(values);
        if values > MAX_VALUES || OUTPUT.get() > MAX_OUTPUT {
            return Err(de::Error::custom(format!(
                "expands to more than {MAX_VALUES} values or {} MB of XML (shared objects?); not analysed",
                MAX_OUTPUT / (1024 * 1024)
            )));
        }
        let text = deserializer.deserialize_any(RenderVisitor)?;
        OUTPUT.set(OUTPUT.get() + text.len());
        Ok(Rendered(text))
    }
}

struct RenderVisitor;

/// Enters a collection: an error past the nesting limit.
fn enter<E: de::Error>() -> Result<(), E> {
    let depth = DEPTH.get() + 1;
    if depth > MAX_DEPTH {
        return Err(E::custom(format!(
            "nested deeper than {MAX_DEPTH} levels; not analysed"
        )));
    }
    DEPTH.set(depth);
    Ok(())
}

fn leave() {
    DEPTH.set(DEPTH.get().saturating_sub(1));
}

fn indented(out: &mut String, child: &str) {
    for line in child.lines() {
        out.push('\t');
        out.push_str(line);
        out.push('\n');
    }
}

impl<'de> Visitor<'de> for RenderVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a plist value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(if v { "<true/>\n" } else { "<false/>\n" }.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(format!("<integer>{v}</integer>\n"))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(format!("<integer>{v}</integer>\n"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(format!("<real>{v}</real>\n"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(format!("<string>{}</string>\n", escape(v)))
    }
    // Data is never what a rule reads; its size is what a reader of the rendering needs.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<String, E> {
        Ok(format!("<data><!-- {} bytes --></data>\n", v.len()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        enter()?;
        let mut out = String::from("<array>\n");
        let result = (|| {
            while let Some(item) = seq.next_element::<Rendered>()? {
                indented(&mut out, &item.0);
            }
            Ok(())
        })();
        leave();
        result?;
        out.push_str("</array>\n");
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        enter()?;
        let mut out = String::from("<dict>\n");
        let result = (|| {
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value::<Rendered>()?;
                let _ = writeln!(out, "\t<key>{}</key>", escape(&key));
                indented(&mut out, &value.0);
            }
            Ok(())
        })();
        leave();
        result?;
        out.push_str("</dict>\n");
        Ok(out)
    }
}

/// The binary form of an XML plist, or `None` when the plist crate cannot read it: the fuzz
/// seeds' way to make binary plists from the fixtures.
pub fn from_xml(text: &str) -> Option<Vec<u8>> {
    let value = plist::Value::from_reader_xml(text.as_bytes()).ok()?;
    let mut out = Vec::new();
    value.to_writer_binary(&mut out).ok()?;
    Some(out)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A line break inside a value would split the rendering's lines.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            // XML 1.0 cannot carry most control characters; a plist string may.
            c if (c as u32) < 0x20 && c != '\t' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
