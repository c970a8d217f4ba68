//! Reading a discovered file once, as text: size limit, binary content and encodings are
//! decided here, each refusal a diagnostic that says why.

use crate::discover::WalkedFile;
use crate::report::{Diagnostic, DiagnosticKind};

/// Reads a discovered file as text, or says why it cannot be analysed.
pub(crate) fn read_text(file: &WalkedFile<'_>, max_size: u64) -> Result<String, Diagnostic> {
    use std::io::Read;
    let skip = |kind, message: String| Diagnostic::file(&file.path, kind, message);
    let unreadable =
        |e: std::io::Error| skip(DiagnosticKind::Unreadable, format!("cannot read: {e}"));
    let opened = std::fs::File::open(file.abs_path()).map_err(unreadable)?;
    let size = opened.metadata().map_err(unreadable)?.len();
    if size > max_size {
        return Err(skip(
            DiagnosticKind::TooLarge,
            format!(
                "{size} bytes is over the {max_size} byte limit; not analysed (raise `scan.max-file-size` in palisade.toml to analyse it)"
            ),
        ));
    }
    // One byte past the limit tells a file that grew since it was measured.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    opened
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_size {
        return Err(skip(
            DiagnosticKind::TooLarge,
            format!("grew past the {max_size} byte limit while scanning; not analysed"),
        ));
    }
    decode(&bytes).map_err(|(kind, message)| skip(kind, message))
}

/// UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is not analysed.
pub fn decode(bytes: &[u8]) -> Result<String, (DiagnosticKind, String)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    let utf16 = |rest: &[u8], little: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            (
                DiagnosticKind::Encoding,
                "invalid UTF-16; not analysed".to_string(),
            )
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err((
            DiagnosticKind::Binary,
            "binary content (NUL bytes); not analysed".to_string(),
        ));
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<String, (DiagnosticKind, String)> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        (
            DiagnosticKind::Encoding,
            format!("not valid UTF-8 (first bad byte on line {line}); not analysed"),
        )
    })
}
