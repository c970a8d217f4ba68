//! The few fields of an X.509 certificate the probe reports — notAfter, the public key's
//! type and size, the signature algorithm, and whether it is self-signed — read with a
//! small bounded DER walker (a malformed certificate gives `None`, never a panic).

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

/// Reads one TLV that must carry `tag`: (content, rest).
fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (t, content, rest) = tlv(input)?;
    (t == tag).then_some((content, rest))
}

const SEQUENCE: u8 = 0x30;
const OID: u8 = 0x06;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;

// Object identifiers, as their DER content bytes.
const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const RSASSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const DSA: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01];
const ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const ED448: &[u8] = &[0x2B, 0x65, 0x71];

/// Named curves and their size in bits.
const CURVES: &[(&[u8], &str, u32)] = &[
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x01],
        "P-192",
        192,
    ),
    (&[0x2B, 0x81, 0x04, 0x00, 0x21], "P-224", 224),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07],
        "P-256",
        256,
    ),
    (&[0x2B, 0x81, 0x04, 0x00, 0x0A], "secp256k1", 256),
    (&[0x2B, 0x81, 0x04, 0x00, 0x22], "P-384", 384),
    (&[0x2B, 0x81, 0x04, 0x00, 0x23], "P-521", 521),
];

/// Signature algorithms by OID: (oid, name, digest is broken).
const SIGNATURES: &[(&[u8], &str, bool)] = &[
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x02],
        "md2WithRSAEncryption",
        true,
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04],
        "md5WithRSAEncryption",
        true,
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05],
        "sha1WithRSAEncryption",
        true,
    ),
    (
        &[0x2B, 0x0E, 0x03, 0x02, 0x1D],
        "sha1WithRSASignature",
        true,
    ),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01],
        "ecdsa-with-SHA1",
        true,
    ),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x03],
        "dsa-with-SHA1",
        true,
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B],
        "sha256WithRSAEncryption",
        false,
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C],
        "sha384WithRSAEncryption",
        false,
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D],
        "sha512WithRSAEncryption",
        false,
    ),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02],
        "ecdsa-with-SHA256",
        false,
    ),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03],
        "ecdsa-with-SHA384",
        false,
    ),
    (
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04],
        "ecdsa-with-SHA512",
        false,
    ),
    (ED25519, "Ed25519", false),
    (ED448, "Ed448", false),
];

/// Digests inside RSASSA-PSS parameters that are broken.
const SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
const MD5: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05];

/// A certificate's public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    Rsa { bits: u32 },
    Ec { curve: String, bits: u32 },
    Dsa { bits: u32 },
    EdDsa { name: &'static str },
    Other { oid: String },
}

impl PublicKey {
    /// Why the key is too weak, if it is: RSA or DSA under 2048 bits, EC under 256 bits.
    pub fn weakness(&self) -> Option<String> {
        match self {
            PublicKey::Rsa { bits } if *bits < 2048 => Some(format!("a {bits}-bit RSA key")),
            PublicKey::Dsa { bits } if *bits < 2048 => Some(format!("a {bits}-bit DSA key")),
            PublicKey::Ec { curve, bits } if *bits < 256 => {
                Some(format!("a {bits}-bit EC key ({curve})"))
            }
            _ => None,
        }
    }
}

/// The signature algorithm of a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    /// The digest is MD2, MD5 or SHA-1: collisions are practical, a forged certificate is possible.
    pub broken: bool,
}

/// What the probe reads from one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub not_after: Option<Date>,
    pub key: PublicKey,
    pub signature: Signature,
    /// Issuer and subject names are the same bytes (a root, or a self-signed leaf): its own
    /// signature proves nothing and is not judged.
    pub self_signed: bool,
    /// The subject's common name, when it has one (to name the certificate in messages).
    pub common_name: Option<String>,
}

/// Reads a DER certificate.
pub fn summary(der: &[u8]) -> Option<Summary> {
    let (cert, _) = expect(der, SEQUENCE)?;
    let (tbs, rest) = expect(cert, SEQUENCE)?;
    let (outer_alg, _) = expect(rest, SEQUENCE)?;
    let mut fields = tbs;
    let (tag, _, r) = tlv(fields)?;
    if tag == 0xA0 {
        fields = r; // explicit version
    }
    let (_, _, r) = tlv(fields)?; // serial
    let (_, _, r) = tlv(r)?; // signature algorithm (repeated outside, which is what counts)
    let (_, issuer, r) = tlv(r)?;
    let (_, validity, r) = tlv(r)?;
    let (_, subject, r) = tlv(r)?;
    let (spki, _) = expect(r, SEQUENCE)?;
    Some(Summary {
        not_after: tlv(validity)
            .and_then(|(_, _, after)| time(after))
            .flatten(),
        key: public_key(spki)?,
        signature: signature(outer_alg)?,
        self_signed: issuer == subject,
        common_name: common_name(subject),
    })
}

/// The leaf's notAfter date.
pub fn not_after(der: &[u8]) -> Option<Date> {
    summary(der)?.not_after
}

fn time(input: &[u8]) -> Option<Option<Date>> {
    let (tag, time, _) = tlv(input)?;
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
    Some(Date::parse(&format!("{year:04}-{month:02}-{day:02}")))
}

/// Bit length of a big-endian unsigned INTEGER's content.
fn integer_bits(content: &[u8]) -> u32 {
    let first = content.iter().position(|&b| b != 0);
    match first {
        None => 0,
        Some(i) => ((content.len() - i - 1) * 8) as u32 + (8 - content[i].leading_zeros()),
    }
}

fn public_key(spki: &[u8]) -> Option<PublicKey> {
    let (alg, rest) = expect(spki, SEQUENCE)?;
    let (key_bits, _) = expect(rest, BIT_STRING)?;
    let (oid, params) = expect(alg, OID)?;
    let key = key_bits.get(1..)?; // after the unused-bits count
    Some(match oid {
        RSA_ENCRYPTION => {
            let (rsa, _) = expect(key, SEQUENCE)?;
            let (modulus, _) = expect(rsa, INTEGER)?;
            PublicKey::Rsa {
                bits: integer_bits(modulus),
            }
        }
        EC_PUBLIC_KEY => {
            let named = expect(params, OID).and_then(|(curve, _)| {
                CURVES
                    .iter()
                    .find(|(o, _, _)| *o == curve)
                    .map(|(_, name, bits)| (name.to_string(), *bits))
                    .or_else(|| Some((dotted(curve), 0)))
            });
            match named {
                Some((curve, bits)) if bits > 0 => PublicKey::Ec { curve, bits },
                // An unnamed or unknown curve: its size from the uncompressed point (04 || X || Y).
                other => PublicKey::Ec {
                    curve: other.map_or_else(|| "explicit parameters".to_string(), |(c, _)| c),
                    bits: (key.len().saturating_sub(1) / 2 * 8) as u32,
                },
            }
        }
        DSA => {
            let (dss, _) = expect(params, SEQUENCE)?;
            let (p, _) = expect(dss, INTEGER)?;
            PublicKey::Dsa {
                bits: integer_bits(p),
            }
        }
        ED25519 => PublicKey::EdDsa { name: "Ed25519" },
        ED448 => PublicKey::EdDsa { name: "Ed448" },
        other => PublicKey::Other { oid: dotted(other) },
    })
}

fn signature(alg: &[u8]) -> Option<Signature> {
    let (oid, params) = expect(alg, OID)?;
    if oid == RSASSA_PSS {
        // RSASSA-PSS-params: [0] hashAlgorithm, whose default is SHA-1.
        let hash = expect(params, SEQUENCE)
            .and_then(|(p, _)| expect(p, 0xA0))
            .and_then(|(h, _)| expect(h, SEQUENCE))
            .and_then(|(h, _)| expect(h, OID))
            .map(|(h, _)| h);
        let broken = match hash {
            None => true,
            Some(h) => h == SHA1 || h == MD5,
        };
        return Some(Signature {
            name: if broken {
                "RSASSA-PSS with SHA-1".to_string()
            } else {
                "RSASSA-PSS".to_string()
            },
            broken,
        });
    }
    Some(match SIGNATURES.iter().find(|(o, _, _)| *o == oid) {
        Some((_, name, broken)) => Signature {
            name: name.to_string(),
            broken: *broken,
        },
        None => Signature {
            name: dotted(oid),
            broken: false,
        },
    })
}

/// The subject's CN (2.5.4.3), if any.
fn common_name(name: &[u8]) -> Option<String> {
    let mut rdns = name;
    while let Some((_, set, rest)) = tlv(rdns) {
        let mut atvs = set;
        while let Some((_, atv, more)) = tlv(atvs) {
            if let Some((oid, value)) = expect(atv, OID)
                && oid == [0x55, 0x04, 0x03]
                && let Some((_, text, _)) = tlv(value)
            {
                return Some(String::from_utf8_lossy(text).into_owned());
            }
            atvs = more;
        }
        rdns = rest;
    }
    None
}

/// An OID in dotted form, for algorithms palisade does not name.
fn dotted(oid: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in oid.iter().enumerate() {
        value = (value << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        } else if i > 16 || value > u64::MAX >> 8 {
            break;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_none() {
        for bytes in [
            &b""[..],
            &[0x30][..],
            &[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF][..],
            &[0x30, 2, 0x30, 0][..],
        ] {
            assert!(super::not_after(bytes).is_none());
            assert!(super::summary(bytes).is_none());
        }
    }

    fn rcgen_cert(alg: &'static rcgen::SignatureAlgorithm) -> Vec<u8> {
        let key = rcgen::KeyPair::generate_for(alg).unwrap();
        let params = rcgen::CertificateParams::new(vec!["shop.example".to_string()]).unwrap();
        params.self_signed(&key).unwrap().der().to_vec()
    }

    #[test]
    fn keys_and_signatures_of_rcgen_certificates() {
        let p256 = summary(&rcgen_cert(&rcgen::PKCS_ECDSA_P256_SHA256)).unwrap();
        assert_eq!(
            p256.key,
            PublicKey::Ec {
                curve: "P-256".into(),
                bits: 256
            }
        );
        assert_eq!(p256.signature.name, "ecdsa-with-SHA256");
        assert!(!p256.signature.broken && p256.key.weakness().is_none() && p256.self_signed);

        let p384 = summary(&rcgen_cert(&rcgen::PKCS_ECDSA_P384_SHA384)).unwrap();
        assert_eq!(
            p384.key,
            PublicKey::Ec {
                curve: "P-384".into(),
                bits: 384
            }
        );
        assert_eq!(p384.signature.name, "ecdsa-with-SHA384");

        let ed = summary(&rcgen_cert(&rcgen::PKCS_ED25519)).unwrap();
        assert_eq!(ed.key, PublicKey::EdDsa { name: "Ed25519" });
        assert!(!ed.signature.broken && ed.key.weakness().is_none());
        assert!(ed.not_after.is_some());
    }

    #[test]
    fn weakness_thresholds() {
        assert!(PublicKey::Rsa { bits: 1024 }.weakness().is_some());
        assert!(PublicKey::Rsa { bits: 2048 }.weakness().is_none());
        assert!(
            PublicKey::Ec {
                curve: "P-224".into(),
                bits: 224
            }
            .weakness()
            .is_some()
        );
        assert!(PublicKey::Dsa { bits: 1024 }.weakness().is_some());
    }

    #[test]
    fn every_truncation_of_a_certificate_is_none_or_a_summary() {
        let der = rcgen_cert(&rcgen::PKCS_ECDSA_P256_SHA256);
        for end in 0..der.len() {
            let _ = summary(&der[..end]);
        }
        let mut flipped = der.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xFF;
            let _ = summary(&flipped);
            flipped[i] ^= 0xFF;
        }
    }

    #[test]
    fn oids_in_dotted_form() {
        assert_eq!(dotted(RSA_ENCRYPTION), "1.2.840.113549.1.1.1");
        assert_eq!(dotted(&[0x2B, 0x81, 0x04, 0x00, 0x22]), "1.3.132.0.34");
        let _ = dotted(&[0xFF; 40]);
    }
}
