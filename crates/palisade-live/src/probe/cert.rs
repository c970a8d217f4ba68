//! The few fields of an X.509 certificate the probe reports, read with a small bounded DER
//! walker (a malformed certificate gives `None`, never a panic).

use palisade_core::date::Date;

/// Reads one TLV: (tag, content, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7F) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = rest.get(..n)?;
        rest = &rest[n..];
        bytes.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize)
    };
    let content = rest.get(..len)?;
    Some((tag, content, &rest[len..]))
}

/// The leaf's notAfter date.
pub fn not_after(der: &[u8]) -> Option<Date> {
    let (_, cert, _) = tlv(der)?;
    let (_, tbs, _) = tlv(cert)?;
    let mut rest = tbs;
    let (tag, _, r) = tlv(rest)?;
    if tag == 0xA0 {
        rest = r; // explicit version
    }
    for _ in 0..3 {
        // serial, signature algorithm, issuer
        rest = tlv(rest)?.2;
    }
    let (_, validity, _) = tlv(rest)?;
    let (_, _, after) = tlv(validity)?;
    let (tag, time, _) = tlv(after)?;
    let digits = std::str::from_utf8(time).ok()?;
    let (year, rest) = match tag {
        0x17 => {
            let yy: i32 = digits.get(..2)?.parse().ok()?;
            (
                if yy < 50 { 2000 + yy } else { 1900 + yy },
                digits.get(2..)?,
            )
        }
        0x18 => (digits.get(..4)?.parse().ok()?, digits.get(4..)?),
        _ => return None,
    };
    let month: u32 = rest.get(..2)?.parse().ok()?;
    let day: u32 = rest.get(2..4)?.parse().ok()?;
    Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn garbage_is_none() {
        for bytes in [
            &b""[..],
            &[0x30][..],
            &[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF][..],
            &[0x30, 2, 0x30, 0][..],
        ] {
            assert!(super::not_after(bytes).is_none());
        }
    }
}
