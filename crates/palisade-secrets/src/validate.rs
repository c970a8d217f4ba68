//! Structure checks that tell a real token from a string of the right shape: checksums
//! (GitHub and npm tokens end in a CRC32 of their body), decodable parts (a JWT's header is
//! base64url JSON naming an algorithm), and Shannon entropy.

/// Shannon entropy of `s` in bits per character (over bytes; secrets are ASCII).
pub fn entropy(s: &str) -> f32 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let len = s.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / len;
            -p * p.log2()
        })
        .sum()
}

/// CRC-32 (IEEE 802.3, the zlib one), bit by bit: tokens are short.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base 62 (digits, upper, lower), left-padded with `0` to `width`.
pub fn base62(mut n: u32, width: usize) -> String {
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// Whether the last 6 characters of `body` are the base62 CRC32 of the rest: the checksum
/// GitHub's `gh?_` tokens and npm's `npm_` tokens end with.
fn crc32_base62_tail(body: &str) -> bool {
    if body.len() < 7 || !body.is_ascii() {
        return false;
    }
    let (payload, check) = body.split_at(body.len() - 6);
    base62(crc32(payload.as_bytes()), 6) == check
}

/// A GitHub classic, OAuth, user-to-server, server-to-server or refresh token
/// (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 characters): its checksum must hold.
pub fn github_token(token: &str) -> bool {
    token.get(4..).is_some_and(crc32_base62_tail)
}

/// An npm access token (`npm_` + 36 characters): the same checksum as GitHub's.
pub fn npm_token(token: &str) -> bool {
    token.get(4..).is_some_and(crc32_base62_tail)
}

/// Decodes standard or URL-safe base64, with or without padding; `None` when it is not.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A JSON Web Token: three base64url parts whose header is JSON naming an algorithm other
/// than `none` (an unsigned token grants nothing by itself).
pub fn jwt(token: &str) -> bool {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(header) = base64_decode(header).and_then(|h| String::from_utf8(h).ok()) else {
        return false;
    };
    let payload_ok = base64_decode(payload)
        .and_then(|p| String::from_utf8(p).ok())
        .is_some_and(|p| p.trim_start().starts_with('{'));
    header.contains("\"alg\"")
        && !header.replace(' ', "").contains("\"alg\":\"none\"")
        && payload_ok
        && signature.len() >= 16
}

/// A base64 value (a Kubernetes Secret's `data`) that decodes to something other than a
/// placeholder: at least 6 bytes, not a reference or a stand-in once decoded.
pub fn base64_secret(value: &str) -> bool {
    let Some(bytes) = base64_decode(value) else {
        return false;
    };
    if bytes.len() < 6 {
        return false;
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            !palisade_knowledge::secrets::is_placeholder(&text)
                && !palisade_knowledge::secrets::cannot_be_secret(&text)
                && !crate::context::is_documentation_value(&text)
        }
        // Binary key material.
        Err(_) => true,
    }
}

/// A Docker registry `auth` value: base64 of `user:password`, the password not a
/// placeholder.
pub fn basic_auth(value: &str) -> bool {
    let Some(text) = base64_decode(value).and_then(|b| String::from_utf8(b).ok()) else {
        return false;
    };
    text.split_once(':').is_some_and(|(user, password)| {
        !user.is_empty() && password.len() >= 3 && !crate::context::is_documentation_value(password)
    })
}

/// The body of a PEM or OpenSSH key block: once line breaks (real, or escaped `\n` in
/// JSON and YAML strings), indentation, quotes and header lines (`Proc-Type:`, `Comment:`)
/// are removed, at least 48 bytes of base64. A block of dots or `<your key here>` is no key.
pub fn key_body(body: &str) -> bool {
    let unescaped = body.replace("\\r", "\n").replace("\\n", "\n");
    let cleaned: String = unescaped
        .lines()
        .map(|line| {
            line.trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == ',')
        })
        .filter(|line| !line.contains(':'))
        .collect();
    let cleaned = cleaned.trim_end_matches('=');
    cleaned.len() >= 64 && base64_decode(cleaned).is_some_and(|b| b.len() >= 48)
}

/// An Azure storage account key: 64 bytes in base64 (88 characters with `==`).
pub fn azure_storage_key(key: &str) -> bool {
    base64_decode(key).is_some_and(|b| b.len() == 64)
}

/// A Twilio or generic 32-hex secret: not one hex digit class only (all digits, or a
/// repeated pattern), which entropy alone lets through at this length.
pub fn mixed_hex(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Mixed-case base62 with digits: what random tokens are and identifiers (`getUserName`,
/// `MAX_VALUE`) rarely are.
pub fn random_base62(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_lowercase())
        && s.bytes().any(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_vectors() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn base62_pads() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 1), "10");
    }

    #[test]
    fn github_checksum() {
        let body = "Zq3mW8pLx2Rt7VbN4cKj9HsQe1YfGa";
        let token = format!("ghp_{body}{}", base62(crc32(body.as_bytes()), 6));
        assert!(github_token(&token), "{token}");
        let mut broken = token.clone();
        broken.replace_range(5..6, "r");
        assert!(!github_token(&broken));
        assert!(!github_token("ghp_"));
    }

    #[test]
    fn entropy_orders_randomness() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(entropy("password") < 3.0);
        assert!(entropy("Zq3mW8pLx2Rt7VbN4cKj9HsQe1YfGa") > 4.0);
    }

    #[test]
    fn jwt_needs_a_real_header() {
        // {"alg":"HS256","typ":"JWT"} . {"sub":"42"} . signature
        let token =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        assert!(jwt(token));
        assert!(!jwt(
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
        ));
        assert!(!jwt("eyJub3QiOiJqc29uIn0.x.y"));
    }
}
