//! Reading YAML the way Kubernetes does: palisade-syntax loads the documents with positions
//! and quoting styles; this module reads scalars as Kubernetes' decoder (go-yaml v2 behind
//! sigs.k8s.io/yaml) does, where plain `yes`/`on` are booleans while a quoted `"true"` stays a
//! string.

pub use palisade_syntax::yaml::{
    Document, YamlError, entry, get, get_path, get_str, items, load, load_at, scalar,
};
use saphyr::{MarkedYaml, ScalarStyle, YamlData};

/// Whether a scalar is boolean true as Kubernetes' YAML decoder reads it: an unquoted
/// `true`/`yes`/`on`/`y` in any of YAML 1.1's spellings. Quoted strings are never booleans.
pub fn is_true(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => matches!(
            text.as_ref(),
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y"
        ),
        YamlData::Tagged(_, inner) => is_true(inner),
        _ => false,
    }
}

/// Whether a scalar is boolean false as Kubernetes' YAML decoder reads it: an unquoted
/// `false`/`no`/`off`/`n` in any of YAML 1.1's spellings. Quoted strings are never booleans.
pub fn is_false(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => matches!(
            text.as_ref(),
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N"
        ),
        YamlData::Tagged(_, inner) => is_false(inner),
        _ => false,
    }
}

/// Whether a node is null: an empty value, `~` or `null` unquoted. Kubernetes treats an
/// explicit null like an absent field.
pub fn is_null(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => {
            matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
        }
        YamlData::Value(saphyr::Scalar::Null) => true,
        YamlData::Tagged(_, inner) => is_null(inner),
        _ => false,
    }
}

/// The integer value of an unquoted scalar as YAML 1.1 reads it (`0`, `1000`, `+7`, `0x3e8`,
/// `0o17`, `017`, `1_000`); `None` for anything else, quoted numbers included (the API server
/// rejects a string where it wants an integer).
pub fn as_int(node: &MarkedYaml<'_>) -> Option<i64> {
    match &node.data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => parse_int(text),
        YamlData::Tagged(_, inner) => as_int(inner),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        (2, bin)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_style_and_positions() {
        let (docs, errors) = load("a:\n  b: yes\n  c: \"true\"\n---\n---\nd: 1\n");
        assert!(errors.is_empty());
        let a = get(&docs[0].root, "a").unwrap();
        let (key, value) = entry(a, "b").unwrap();
        assert!(is_true(value));
        assert_eq!(key.span.start.line(), 2);
        assert!(!is_true(get(a, "c").unwrap()));
        assert_eq!(get_str(&docs.last().unwrap().root, "d"), Some("1"));
    }

    #[test]
    fn reads_false_null_and_integers_like_kubernetes() {
        let (docs, errors) = load(
            "a: off\nb: \"false\"\nc:\nd: ~\ne: 0\nf: \"0\"\ng: 0x3e8\nh: 1_000\ni: 00\nj: 1.0\nk: -1\n",
        );
        assert!(errors.is_empty());
        let root = &docs[0].root;
        assert!(is_false(get(root, "a").unwrap()));
        assert!(!is_false(get(root, "b").unwrap()));
        assert!(is_null(get(root, "c").unwrap()));
        assert!(is_null(get(root, "d").unwrap()));
        assert!(!is_null(get(root, "e").unwrap()));
        assert_eq!(as_int(get(root, "e").unwrap()), Some(0));
        assert_eq!(as_int(get(root, "f").unwrap()), None);
        assert_eq!(as_int(get(root, "g").unwrap()), Some(1000));
        assert_eq!(as_int(get(root, "h").unwrap()), Some(1000));
        assert_eq!(as_int(get(root, "i").unwrap()), Some(0));
        assert_eq!(as_int(get(root, "j").unwrap()), None);
        assert_eq!(as_int(get(root, "k").unwrap()), Some(-1));
    }
}
