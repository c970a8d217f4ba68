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

/// The roster's documented columns.
const COLUMNS: &[&str] = &["name", "email", "role", "last-completed"];

/// The people of a roster, and a message for each row that could not be read (with its
/// 1-based row number, the header being row 1).
pub fn read(text: &str) -> (Vec<Person>, Vec<String>) {
    let (table, mut problems) = match csv_table(text, COLUMNS, &["name", "last-completed"]) {
        Ok(table) => table,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let mut people = Vec::new();
    for row in table.rows() {
        let cell = row.get("last-completed");
        let last_completed = if cell.is_empty() {
            None
        } else if let Some(date) = Date::parse(cell) {
            Some(date)
        } else {
            problems.push(format!(
                "row {}: last-completed must be a date written YYYY-MM-DD, found `{cell}`",
                row.number
            ));
            continue;
        };
        people.push(Person {
            name: row.get("name").to_string(),
            last_completed,
        });
    }
    in_row_order(&mut problems);
    (people, problems)
}

/// Sorts `row N: …` messages by their row number (the table's own problems come first).
pub(crate) fn in_row_order(problems: &mut [String]) {
    let row = |p: &String| -> usize {
        p.strip_prefix("row ")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    problems.sort_by_key(row);
}

/// A CSV control record read as a table with named columns.
pub(crate) struct Table {
    header: Vec<String>,
    /// Each data row with its 1-based row number (the header is row 1).
    rows: Vec<(usize, Vec<String>)>,
}

/// One data row of a [`Table`].
pub(crate) struct Row<'t> {
    pub number: usize,
    header: &'t [String],
    cells: &'t [String],
}

impl Table {
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(number, cells)| Row {
            number: *number,
            header: &self.header,
            cells,
        })
    }
}

impl Row<'_> {
    /// The trimmed cell of `column` (case-insensitive); empty when there is no such column.
    pub fn get(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column))
            .and_then(|at| self.cells.get(at))
            .map_or("", |cell| cell.trim())
    }
}

/// Reads a CSV control record: the header must name every `required` column
/// (case-insensitive, in any order; `columns` is the documented header, for messages).
/// Gives the rows that have as many fields as the header, skipping blank ones, and a message
/// for each row that does not; or the one message when the header is missing or incomplete.
pub(crate) fn csv_table(
    text: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<(Table, Vec<String>), String> {
    let mut rows = split_rows(text).into_iter();
    let documented = columns.join(",");
    let Some(header) = rows.next() else {
        return Err(format!("row 1: no header ({documented})"));
    };
    let has = |name: &&str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if !required.iter().all(has) {
        return Err(format!(
            "row 1: the header must name the columns {documented}"
        ));
    }
    let mut table = Table {
        header,
        rows: Vec::new(),
    };
    let mut problems = Vec::new();
    for (index, cells) in rows.enumerate() {
        let number = index + 2;
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if cells.len() != table.header.len() {
            problems.push(format!(
                "row {number}: {} fields, the header has {}",
                cells.len(),
                table.header.len()
            ));
            continue;
        }
        table.rows.push((number, cells));
    }
    Ok((table, problems))
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
