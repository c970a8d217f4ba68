//! The vendor inventory (`[controls.vendors] inventory`): a CSV of
//! `vendor,service,data,last-assessment`, read with the roster's CSV table reader.

use palisade_core::date::Date;

/// One vendor of the inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vendor {
    pub vendor: String,
    pub service: String,
    /// What data the vendor receives, as written.
    pub data: String,
    /// `None`: never assessed (the cell is empty).
    pub last_assessment: Option<Date>,
}

impl Vendor {
    /// Whether the `data` cell says the vendor receives personal data: names, contact
    /// details, accounts, payment or health data, or says so outright (`PII`, `personal`).
    pub fn handles_personal_data(&self) -> bool {
        const WORDS: &[&str] = &[
            "personal",
            "pii",
            "customer",
            "user",
            "email",
            "e-mail",
            "name",
            "address",
            "phone",
            "card",
            "payment",
            "health",
            "medical",
            "biometric",
            "location",
            "employee",
            "account",
            "identity",
            "gdpr",
            "contact",
            "ip address",
        ];
        let data = self.data.to_lowercase();
        let words: Vec<&str> = data
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        WORDS.iter().any(|w| {
            if w.contains(' ') {
                data.contains(w)
            } else {
                words
                    .iter()
                    .any(|word| word == w || word.strip_suffix('s') == Some(w))
            }
        })
    }
}

/// The inventory's documented columns.
const COLUMNS: &[&str] = &["vendor", "service", "data", "last-assessment"];

/// The vendors of an inventory, and a message for each row that could not be read (with its
/// 1-based row number: the line the row starts on, the header being row 1).
pub fn read(text: &str) -> (Vec<Vendor>, Vec<String>) {
    let required = ["vendor", "last-assessment"];
    let (table, mut problems) = match crate::roster::csv_table(text, COLUMNS, &required) {
        Ok(table) => table,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let mut vendors = Vec::new();
    for row in table.rows() {
        let number = row.number;
        let date = row.get("last-assessment");
        let last_assessment = if date.is_empty() {
            None
        } else if let Some(d) = Date::parse(date) {
            Some(d)
        } else {
            problems.push(format!(
                "row {number}: last-assessment must be a date written YYYY-MM-DD, found `{date}`"
            ));
            continue;
        };
        let vendor = row.get("vendor").to_string();
        if vendor.is_empty() {
            problems.push(format!("row {number}: no vendor name"));
            continue;
        }
        vendors.push(Vendor {
            vendor,
            service: row.get("service").to_string(),
            data: row.get("data").to_string(),
            last_assessment,
        });
    }
    crate::roster::in_row_order(&mut problems);
    (vendors, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vendors_and_names_bad_rows() {
        let text = "vendor,service,data,last-assessment\nStripe,payments,\"card data, customer emails\",2026-04-01\nPlausible,analytics,none,\nMailer,newsletter,email addresses,\nBroken,x,y\nOdd,x,y,soon\n";
        let (vendors, problems) = read(text);
        assert_eq!(vendors.len(), 3);
        assert!(vendors[0].handles_personal_data());
        assert!(!vendors[1].handles_personal_data());
        assert!(vendors[2].handles_personal_data());
        assert_eq!(vendors[1].last_assessment, None);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("row 5: "), "{problems:?}");
        assert!(problems[1].starts_with("row 6: "), "{problems:?}");
        let usernames = Vendor {
            vendor: "x".into(),
            service: "x".into(),
            data: "usernames".into(),
            last_assessment: None,
        };
        assert!(
            !usernames.handles_personal_data(),
            "a word must match whole"
        );
    }
}
