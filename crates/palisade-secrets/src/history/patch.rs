//! A streaming reader of `git log -p --unified=0` output: for each file of each commit, the
//! lines the commit added, with their line numbers in the new version of the file.
//!
//! It reads one line at a time and keeps only the current file's added lines, so a history
//! of any length costs the memory of its largest file change (bounded by
//! [`MAX_ADDED_BYTES`]). Nothing in the stream can make it panic: unknown lines are ignored,
//! non-UTF-8 lines skipped, numbers that do not parse end the hunk.

/// The byte that starts each commit's header line (`%x01%H%x00%an%x00%ad`): no line of a
/// patch starts with it.
pub const HEADER_MARK: u8 = 0x01;

/// At most this many added bytes are read per file and commit: a generated or vendored
/// file added in one commit is read up to here, then counted as truncated.
pub const MAX_ADDED_BYTES: usize = 4 * 1024 * 1024;

/// A commit as its header line gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commit {
    pub sha: String,
    pub author: String,
    pub date: String,
}

/// Consecutive lines one commit added to a file, from `start_line` (1-based, in the new
/// version of the file) on, joined with `\n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub start_line: u32,
    pub lines: u32,
    pub text: String,
}

/// What the reader skipped, for the scan's notices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Added lines that are not UTF-8.
    pub non_utf8_lines: usize,
    /// File changes cut at [`MAX_ADDED_BYTES`].
    pub truncated_files: usize,
}

/// The reader's state between lines.
pub struct PatchReader<'s> {
    /// Whether a file's added lines are wanted (the secrets analyzer's file selector).
    selects: &'s dyn Fn(&str) -> bool,
    commit: Option<Commit>,
    path: Option<String>,
    blocks: Vec<Block>,
    added_bytes: usize,
    truncated: bool,
    /// The new-file line number of the next added or context line of the current hunk.
    next_line: u32,
    /// Lines of the current hunk still to come, on the old and the new side.
    old_left: u32,
    new_left: u32,
    pub commits: usize,
    pub skipped: Skipped,
}

impl<'s> PatchReader<'s> {
    pub fn new(selects: &'s dyn Fn(&str) -> bool) -> PatchReader<'s> {
        PatchReader {
            selects,
            commit: None,
            path: None,
            blocks: Vec::new(),
            added_bytes: 0,
            truncated: false,
            next_line: 1,
            old_left: 0,
            new_left: 0,
            commits: 0,
            skipped: Skipped::default(),
        }
    }

    /// Reads one line of the stream (its `\n` removed or not); calls `emit` with each file
    /// change that is complete.
    pub fn line(&mut self, line: &[u8], emit: &mut dyn FnMut(&Commit, &str, &[Block])) {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        if self.old_left > 0 || self.new_left > 0 {
            match line.first() {
                Some(b'+') if self.new_left > 0 => {
                    self.new_left -= 1;
                    self.added(&line[1..]);
                    self.next_line = self.next_line.saturating_add(1);
                    return;
                }
                Some(b'-') if self.old_left > 0 => {
                    self.old_left -= 1;
                    return;
                }
                Some(b' ') if self.old_left > 0 && self.new_left > 0 => {
                    self.old_left -= 1;
                    self.new_left -= 1;
                    self.next_line = self.next_line.saturating_add(1);
                    return;
                }
                Some(b'\\') => return,
                // A hunk shorter than its header said: the line is a header.
                _ => {
                    self.old_left = 0;
                    self.new_left = 0;
                }
            }
        }
        if line.first() == Some(&HEADER_MARK) {
            self.flush(emit);
            let mut fields = line[1..]
                .split(|&b| b == 0)
                .map(|f| String::from_utf8_lossy(f).into_owned());
            self.commit = Some(Commit {
                sha: fields.next().unwrap_or_default(),
                author: fields.next().unwrap_or_default(),
                date: fields.next().unwrap_or_default(),
            });
            self.commits += 1;
            self.path = None;
        } else if line.starts_with(b"diff --git ") {
            self.flush(emit);
            self.path = None;
        } else if let Some(rest) = line.strip_prefix(b"+++ ") {
            self.flush(emit);
            self.path = new_path(rest).filter(|p| (self.selects)(p));
        } else if let Some(rest) = line.strip_prefix(b"@@ ") {
            match hunk_header(rest) {
                Some((old, new_start, new)) => {
                    self.old_left = old;
                    self.new_left = new;
                    self.next_line = new_start;
                }
                None => {
                    self.old_left = 0;
                    self.new_left = 0;
                }
            }
        }
    }

    /// Ends the stream: emits the last file change.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&Commit, &str, &[Block])) {
        self.flush(emit);
    }

    fn added(&mut self, content: &[u8]) {
        if self.path.is_none() || self.truncated {
            return;
        }
        let Ok(text) = std::str::from_utf8(content) else {
            self.skipped.non_utf8_lines += 1;
            return;
        };
        if self.added_bytes + text.len() > MAX_ADDED_BYTES {
            self.truncated = true;
            self.skipped.truncated_files += 1;
            return;
        }
        self.added_bytes += text.len() + 1;
        let line = self.next_line;
        match self.blocks.last_mut() {
            Some(block) if block.start_line.saturating_add(block.lines) == line => {
                block.text.push('\n');
                block.text.push_str(text);
                block.lines += 1;
            }
            _ => self.blocks.push(Block {
                start_line: line,
                lines: 1,
                text: text.to_string(),
            }),
        }
    }

    fn flush(&mut self, emit: &mut dyn FnMut(&Commit, &str, &[Block])) {
        if let (Some(commit), Some(path)) = (&self.commit, &self.path)
            && !self.blocks.is_empty()
        {
            emit(commit, path, &self.blocks);
        }
        self.blocks.clear();
        self.added_bytes = 0;
        self.truncated = false;
        self.old_left = 0;
        self.new_left = 0;
    }
}

/// The path of a `+++` line: `b/src/app.py`, or `"b/odd\tname"` quoted by git (its escapes
/// are left as they are); `None` for `/dev/null` (a deleted file).
fn new_path(rest: &[u8]) -> Option<String> {
    let rest = String::from_utf8_lossy(rest);
    let rest = rest.trim_end_matches('\r');
    let unquoted = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(rest);
    unquoted
        .strip_prefix("b/")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

/// `-a[,b] +c[,d] @@…` → (b, c, d); a count left out is 1.
fn hunk_header(rest: &[u8]) -> Option<(u32, u32, u32)> {
    let rest = std::str::from_utf8(rest).ok()?;
    let mut parts = rest.split(' ');
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    let count = |range: &str| -> Option<(u32, u32)> {
        match range.split_once(',') {
            Some((start, count)) => Some((start.parse().ok()?, count.parse().ok()?)),
            None => Some((range.parse().ok()?, 1)),
        }
    };
    let (_, old_count) = count(old)?;
    let (new_start, new_count) = count(new)?;
    Some((old_count, new_start, new_count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(stream: &[u8]) -> Vec<(String, String, Vec<Block>)> {
        let all = |_: &str| true;
        let mut reader = PatchReader::new(&all);
        let mut out = Vec::new();
        let mut emit = |c: &Commit, p: &str, b: &[Block]| {
            out.push((c.sha.clone(), p.to_string(), b.to_vec()));
        };
        for line in stream.split_inclusive(|&b| b == b'\n') {
            reader.line(line, &mut emit);
        }
        reader.finish(&mut emit);
        out
    }

    #[test]
    fn added_lines_with_their_numbers() {
        let stream = b"\x01abc\x00Ann\x002024-01-02\n\ndiff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,0 +2,2 @@\n+a = 1\n++++ b/not-a-header\n@@ -10 +12 @@\n-old\n+new\n\\ No newline at end of file\ndiff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        let files = read(stream);
        assert_eq!(files.len(), 1);
        let (sha, path, blocks) = &files[0];
        assert_eq!((sha.as_str(), path.as_str()), ("abc", "x.py"));
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            (blocks[0].start_line, blocks[0].text.as_str()),
            (2, "a = 1\n+++ b/not-a-header")
        );
        assert_eq!((blocks[1].start_line, blocks[1].text.as_str()), (12, "new"));
    }

    #[test]
    fn bad_input_is_skipped_without_panic() {
        let stream = b"\x01\n+++ b/\n@@ -x +y @@\n+a\n+++ b/y.txt\n@@ -0,0 +1,2 @@\n+\xff\xfe\n+ok\n@@ -0,0 +4294967295,3 @@\n+a\n+b\n+c\nBinary files a/i.png and b/i.png differ\n";
        let files = read(stream);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].2[0].text, "ok");
        assert_eq!(files[0].2[0].start_line, 2);
    }
}
