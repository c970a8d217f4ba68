//! The vendor inventory (`[controls.vendors] inventory`): a CSV of
//! `vendor,service,data,last-assessment`, read by the roster's quoted-field parser.

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

/// The vendors of an inventory, and a message for each row that could not be read (with its
/// 1-based row number, the header being row 1).
pub fn read(text: &str) -> (Vec<Vendor>, Vec<String>) {
    let mut rows = crate::roster::split_rows(text).into_iter().enumerate();
    let Some((_, header)) = rows.next() else {
        return (
            Vec::new(),
            vec!["row 1: no header (vendor,service,data,last-assessment)".into()],
        );
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(vendor_at), Some(date_at)) = (column("vendor"), column("last-assessment")) else {
        return (
            Vec::new(),
            vec![
                "row 1: the header must name the columns vendor,service,data,last-assessment"
                    .into(),
            ],
        );
    };
    let service_at = column("service");
    let data_at = column("data");
    let mut vendors = Vec::new();
    let mut problems = Vec::new();
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
        let cell = |at: Option<usize>| at.map_or("", |i| row[i].trim()).to_string();
        let date = row[date_at].trim();
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
        let vendor = row[vendor_at].trim().to_string();
        if vendor.is_empty() {
            problems.push(format!("row {number}: no vendor name"));
            continue;
        }
        vendors.push(Vendor {
            vendor,
            service: cell(service_at),
            data: cell(data_at),
            last_assessment,
        });
    }
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
