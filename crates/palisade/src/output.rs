//! Writing reports: to standard output, or atomically to a file (a temporary file in the
//! same folder, renamed into place), so a failed write never leaves half a report behind.

use crate::Failure;
use std::io::Write;
use std::path::Path;

pub fn write(destination: Option<&Path>, text: &str) -> Result<(), Failure> {
    match destination {
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`palisade scan | head`) is not an error worth reporting.
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::usage(
                    format!("cannot write to standard output: {e}"),
                )),
                _ => Ok(()),
            }
        }
        Some(path) => write_file(path, text),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let fail =
        |e: &dyn std::fmt::Display| Failure::usage(format!("cannot write {}: {e}", path.display()));
    if path.is_dir() {
        return Err(fail(&"it is a folder"));
    }
    // A device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written
    // to, never replaced: renaming a file over it would swap `/dev/null` for a regular file
    // when palisade runs as root.
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
    if special {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.flush()))
            .map_err(|e| fail(&e));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".palisade-")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.flush())
        .map_err(|e| fail(&e))?;
    temp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// A plain-text table: a header row, then one row per entry, columns padded to their widest
/// cell and separated by two spaces; the last column is never padded, so no line ends in
/// blanks. Used by the inventory commands (`endpoints`, `permissions`).
pub fn aligned_table<Row: AsRef<[String]>>(headers: &[&str], rows: &[Row]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row.as_ref()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.as_ref().iter().map(String::as_str).collect()));
    }
    out
}
