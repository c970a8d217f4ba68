//! The training roster (`[controls.training] roster`): a CSV of `name,email,role,last-completed`
//! read by a small parser (quoted fields with `""` escapes, CRLF or LF lines) — the file is
//! a handful of columns, not worth a CSV crate.

use palisade_core::date::Date;

/// One person of the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// `None`: never trained (the cell is empty).
    pub last_completed: Option<Date>,
}

/// The people of a roster, and a message for each row that could not be read (with its
/// 1-based row number, the header being row 1).
pub fn read(text: &str) -> (Vec<Person>, Vec<String>) {
    let mut rows = split_rows(text).into_iter().enumerate();
    let mut problems = Vec::new();
    let Some((_, header)) = rows.next() else {
        return (
            Vec::new(),
            vec!["row 1: no header (name,email,role,last-completed)".into()],
        );
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(name_at), Some(date_at)) = (column("name"), column("last-completed")) else {
        return (
            Vec::new(),
            vec!["row 1: the header must name the columns name,email,role,last-completed".into()],
        );
    };
    let mut people = Vec::new();
    for (index, row) in rows {
        let number = index + 1;
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if row.len() != header.len() {
            problems.push(format!(
                "row {number}: {} fields, the header has {}",
                row.len(),
                header.len()
            ));
            continue;
        }
        let name = row[name_at].trim().to_string();
        let cell = row[date_at].trim();
        let last_completed = if cell.is_empty() {
            None
        } else if let Some(date) = Date::parse(cell) {
            Some(date)
        } else {
            problems.push(format!(
                "row {number}: last-completed must be a date written YYYY-MM-DD, found `{cell}`"
            ));
            continue;
        };
        people.push(Person {
            name,
            last_completed,
        });
    }
    (people, problems)
}

/// Rows of fields; a quoted field may hold commas, quotes (`""`) and line breaks.
pub(crate) fn split_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            ',' if !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_people_quoted_fields_and_bad_rows() {
        let text = "name,email,role,last-completed\r\n\"Lovelace, Ada\",ada@example.com,\"lead \"\"sec\"\"\",2026-06-01\r\nBob,bob@example.com,dev,\nEve,eve@example.com,ops,June\nMallory,m@example.com\n\n";
        let (people, problems) = read(text);
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].name, "Lovelace, Ada");
        assert_eq!(people[0].last_completed, Date::parse("2026-06-01"));
        assert_eq!(people[1].last_completed, None);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("row 4: "), "{problems:?}");
        assert!(problems[1].starts_with("row 5: "), "{problems:?}");
        assert!(!read("").1.is_empty());
        assert!(!read("a,b\n1,2\n").1.is_empty());
    }
}
