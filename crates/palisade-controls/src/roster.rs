//! The training roster (`[controls.training] roster`): a CSV of `name,email,role,last-completed`,
//! read with the `csv` crate by [`csv_table`], which the vendor inventory shares.

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
/// 1-based row number: the line the row starts on, the header being row 1).
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
    header: csv::StringRecord,
    /// Each data row with the line it starts on.
    rows: Vec<(u64, csv::StringRecord)>,
}

/// One data row of a [`Table`].
pub(crate) struct Row<'t> {
    /// The 1-based line the row starts on (the header is row 1): the row number a person
    /// counts in an editor or a spreadsheet.
    pub number: u64,
    header: &'t csv::StringRecord,
    cells: &'t csv::StringRecord,
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
    /// The cell of `column` (case-insensitive); empty when there is no such column.
    pub fn get(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .and_then(|at| self.cells.get(at))
            .unwrap_or("")
    }
}

/// Reads a CSV control record with the `csv` crate (RFC 4180 quoting: fields may hold
/// commas, `""` quotes and line breaks; CRLF or LF lines; a leading BOM is dropped; cells
/// and header names are trimmed). The header must name every `required` column
/// (case-insensitive, in any order; `columns` is the documented header, for messages).
/// Gives the rows that have as many fields as the header, skipping blank ones, and a message
/// for each row that does not; or the one message when the header is missing or incomplete.
pub(crate) fn csv_table(
    text: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<(Table, Vec<String>), String> {
    let documented = columns.join(",");
    let mut reader = csv::ReaderBuilder::new()
        // Ragged rows are not an error that ends the read: each is reported below by row.
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) if !header.is_empty() => header.clone(),
        _ => return Err(format!("row 1: no header ({documented})")),
    };
    let has = |name: &&str| header.iter().any(|h| h.eq_ignore_ascii_case(name));
    if !required.iter().all(has) {
        return Err(format!(
            "row 1: the header must name the columns {documented}"
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let cells = match record {
            Ok(cells) => cells,
            // Not expected from a `&str` (no I/O, valid UTF-8), but never a panic.
            Err(error) => {
                let number = first_line(text, error.position());
                problems.push(format!("row {number}: {error}"));
                continue;
            }
        };
        if cells.iter().all(str::is_empty) {
            continue;
        }
        let number = first_line(text, cells.position());
        if cells.len() != header.len() {
            problems.push(format!(
                "row {number}: {} fields, the header has {}",
                cells.len(),
                header.len()
            ));
            continue;
        }
        rows.push((number, cells));
    }
    Ok((Table { header, rows }, problems))
}

/// The 1-based line of `text` a record starts on (0 when the reader gave no position).
/// The reader's position is where it began looking for the record: before the blank lines
/// it skips and, after a CRLF, before the `\n` (BurntSushi/rust-csv#208, #395), so those
/// line breaks are counted on.
fn first_line(text: &str, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let rest = text.as_bytes().get(from..).unwrap_or_default();
    let blank_lines = rest
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|b| **b == b'\n')
        .count();
    position.line() + blank_lines as u64
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

    #[test]
    fn reads_a_bom_any_header_case_and_fields_that_span_lines() {
        let text = "\u{feff}Role, NAME ,Last-Completed,email\ndev,\"Ada\nLovelace\",2026-06-01,a@example.com\n\n ops , Bob ,,b@example.com\n";
        let (people, problems) = read(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(people[0].name, "Ada\nLovelace");
        assert_eq!(people[0].last_completed, Date::parse("2026-06-01"));
        assert_eq!(people[1].name, "Bob");
        assert_eq!(people[1].last_completed, None);
    }

    #[test]
    fn names_a_missing_or_incomplete_header() {
        for text in ["", "\n\n", "\u{feff}"] {
            assert_eq!(
                read(text),
                (
                    Vec::new(),
                    vec!["row 1: no header (name,email,role,last-completed)".to_string()]
                )
            );
        }
        let (people, problems) = read("name,email\nAda,a@example.com\n");
        assert!(people.is_empty());
        assert_eq!(
            problems,
            ["row 1: the header must name the columns name,email,role,last-completed"]
        );
    }

    #[test]
    fn reports_ragged_and_bad_rows_by_the_line_they_start_on_in_order() {
        // Row 3 is too long, row 5 (after a blank line) has a bad date, row 6 is short and
        // row 8 comes after a quoted field spanning two lines.
        let text = "name,email,role,last-completed\nAda,a@x,dev,2026-01-01\nBob,b@x,dev,2026-01-01,extra\n\nEve,e@x,ops,June\nMallory\n\"Trent\nSmith\",t@x,ops,\nOscar,o@x\n";
        // The csv crate's own line count lags after blank lines and CRLF terminators
        // (BurntSushi/rust-csv#208, #395), hence both line endings.
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let (people, problems) = read(&text);
            assert_eq!(people.len(), 2);
            assert_eq!(people[0].name, "Ada");
            assert!(people[1].name.starts_with("Trent") && people[1].name.ends_with("Smith"));
            assert_eq!(
                problems,
                [
                    "row 3: 5 fields, the header has 4",
                    "row 5: last-completed must be a date written YYYY-MM-DD, found `June`",
                    "row 6: 1 fields, the header has 4",
                    "row 9: 2 fields, the header has 4",
                ],
                "{text:?}"
            );
        }
    }
}
