//! CVSS base scores computed from a vector string: v3.0/v3.1 (`CVSS:3.1/AV:N/AC:L/…`) with
//! the specification's weights and its "round up to one decimal" rule, and v4.0
//! (`CVSS:4.0/…`) with the specification's MacroVector scores and interpolation.

/// The base score of a CVSS v3.x vector, or `None` when it is not one (a v2 or v4 vector,
/// or a metric missing or unknown).
pub fn base_score_v3(vector: &str) -> Option<f64> {
    let mut parts = vector.trim().split('/');
    let version = parts.next()?;
    if version != "CVSS:3.0" && version != "CVSS:3.1" {
        return None;
    }
    let mut metric = std::collections::HashMap::new();
    for part in parts {
        let (k, v) = part.split_once(':')?;
        metric.insert(k, v);
    }
    let get = |k: &str| metric.get(k).copied();
    let changed = match get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (get("PR")?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    let raw = if changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(round_up(raw))
}

/// CVSS v3.1's Roundup: the smallest number with one decimal that is at least `x`, computed
/// on integers so that floating-point noise (`4.000000001`) does not add a tenth.
fn round_up(x: f64) -> f64 {
    let int = (x * 100_000.0).round() as i64;
    if int % 10_000 == 0 {
        int as f64 / 100_000.0
    } else {
        ((int / 10_000) + 1) as f64 / 10.0
    }
}

/// The base score of a CVSS v4.0 vector (`CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/…`), by
/// the specification's method: the vector falls in one of 270 MacroVectors (equivalence
/// classes EQ1–EQ6), each scored by FIRST's experts; within its MacroVector a vector scores
/// lower by how far it lies from the class's most severe vectors, in proportion to the gap
/// to the next lower MacroVector of each EQ. Threat and environmental metrics, when the
/// vector gives them, count as the specification says (`X` = not defined: E as Attacked,
/// CR/IR/AR as High, modified metrics as the base ones). `None` when it is not a v4.0 vector
/// or a base metric is missing or unknown.
pub fn base_score_v4(vector: &str) -> Option<f64> {
    let mut parts = vector.trim().split('/');
    if parts.next()? != "CVSS:4.0" {
        return None;
    }
    let mut given = std::collections::HashMap::new();
    for part in parts {
        let (k, v) = part.split_once(':')?;
        if given.insert(k, v).is_some() {
            return None;
        }
    }
    let metrics = V4Metrics::read(&given)?;
    Some(metrics.score())
}

/// The values a v4.0 score depends on, after defaults and modified metrics are applied.
struct V4Metrics {
    /// AV AC AT PR UI VC VI VA SC SI SA CR IR AR E, each one letter.
    values: [u8; 15],
}

/// The metrics in [`V4Metrics::values`] order, with the letters each may take, from the
/// most severe; the position of a letter is its severity level (0 = most severe) except
/// where [`level`] says otherwise.
const V4_METRICS: [(&str, &str); 15] = [
    ("AV", "NALP"),
    ("AC", "LH"),
    ("AT", "NP"),
    ("PR", "NLH"),
    ("UI", "NPA"),
    ("VC", "HLN"),
    ("VI", "HLN"),
    ("VA", "HLN"),
    ("SC", "HLN"),
    ("SI", "SHLN"),
    ("SA", "SHLN"),
    ("CR", "HML"),
    ("IR", "HML"),
    ("AR", "HML"),
    ("E", "APU"),
];

const AV: usize = 0;
const AC: usize = 1;
const AT: usize = 2;
const PR: usize = 3;
const UI: usize = 4;
const VC: usize = 5;
const VI: usize = 6;
const VA: usize = 7;
const SC: usize = 8;
const SI: usize = 9;
const SA: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;
const E: usize = 14;

impl V4Metrics {
    fn read(given: &std::collections::HashMap<&str, &str>) -> Option<V4Metrics> {
        let mut values = [0u8; 15];
        for (i, (name, allowed)) in V4_METRICS.iter().enumerate() {
            let base = given.get(name).copied();
            let modified = given.get(format!("M{name}").as_str()).copied();
            let value = match (i, modified, base) {
                // A modified metric replaces the base one unless it is `X`.
                (_, Some(m), _) if m != "X" => m,
                (CR | IR | AR, _, None | Some("X")) => "H",
                (E, _, None | Some("X")) => "A",
                (_, _, Some(b)) => b,
                _ => return None,
            };
            // Only the modified subsequent integrity/availability may be Safety (`S`).
            let from_base = modified.is_none_or(|m| m == "X");
            if value.len() != 1 || !allowed.contains(value) || (value == "S" && from_base) {
                return None;
            }
            values[i] = value.as_bytes()[0];
        }
        Some(V4Metrics { values })
    }

    fn is(&self, metric: usize, letter: u8) -> bool {
        self.values[metric] == letter
    }

    /// The MacroVector: EQ1 to EQ6.
    fn macrovector(&self) -> [u8; 6] {
        let none_network = !(self.is(AV, b'N') || self.is(PR, b'N') || self.is(UI, b'N'));
        let eq1 = if self.is(AV, b'N') && self.is(PR, b'N') && self.is(UI, b'N') {
            0
        } else if self.is(AV, b'P') || none_network {
            2
        } else {
            1
        };
        let eq2 = if self.is(AC, b'L') && self.is(AT, b'N') {
            0
        } else {
            1
        };
        let eq3 = if self.is(VC, b'H') && self.is(VI, b'H') {
            0
        } else if self.is(VC, b'H') || self.is(VI, b'H') || self.is(VA, b'H') {
            1
        } else {
            2
        };
        let eq4 = if self.is(SI, b'S') || self.is(SA, b'S') {
            0
        } else if self.is(SC, b'H') || self.is(SI, b'H') || self.is(SA, b'H') {
            1
        } else {
            2
        };
        let eq5 = match self.values[E] {
            b'A' => 0,
            b'P' => 1,
            _ => 2,
        };
        let eq6 = if (self.is(CR, b'H') && self.is(VC, b'H'))
            || (self.is(IR, b'H') && self.is(VI, b'H'))
            || (self.is(AR, b'H') && self.is(VA, b'H'))
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    fn score(&self) -> f64 {
        // No impact on any system: nothing to score.
        if [VC, VI, VA, SC, SI, SA].iter().all(|&m| self.is(m, b'N')) {
            return 0.0;
        }
        let mv = self.macrovector();
        let [eq1, eq2, eq3, eq4, _, eq6] = mv;
        let Some(value) = macrovector_score(mv) else {
            return 0.0;
        };
        let lower = |change: [u8; 6]| {
            let mut next = mv;
            for (n, c) in next.iter_mut().zip(change) {
                *n += c;
            }
            macrovector_score(next)
        };
        // The next lower MacroVector of each EQ (EQ3 and EQ6 move together); `None` where
        // there is none.
        let lower_eq1 = lower([1, 0, 0, 0, 0, 0]);
        let lower_eq2 = lower([0, 1, 0, 0, 0, 0]);
        let lower_eq3eq6 = match (eq3, eq6) {
            (0, 0) => {
                // Two ways down; the higher-scored one is the next lower.
                let a = lower([0, 0, 0, 0, 0, 1]);
                let b = lower([0, 0, 1, 0, 0, 0]);
                match (a, b) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                }
            }
            (0 | 1, 1) => lower([0, 0, 1, 0, 0, 0]),
            (1, 0) => lower([0, 0, 0, 0, 0, 1]),
            _ => None,
        };
        let lower_eq4 = lower([0, 0, 0, 1, 0, 0]);
        let lower_eq5 = lower([0, 0, 0, 0, 1, 0]);

        // The distance from the first of the MacroVector's most severe vectors that is at
        // least as severe as this one in every metric (the last one if none is). Levels are
        // tenths, subtracted and summed in floating point in the specification's order, so
        // that scores on a rounding edge come out as FIRST's calculator gives them.
        let mut distance = [0.0f64; E];
        for top in highest_vectors(mv) {
            for (i, slot) in distance.iter_mut().enumerate() {
                *slot = level(i, self.values[i]) - level(i, top[i]);
            }
            if distance.iter().all(|&d| d >= 0.0) {
                break;
            }
        }
        let sum = |ms: &[usize]| ms.iter().fold(0.0, |acc, &m| acc + distance[m]);
        let current = [
            sum(&[AV, PR, UI]),
            sum(&[AC, AT]),
            sum(&[VC, VI, VA, CR, IR, AR]),
            sum(&[SC, SI, SA]),
        ];
        let depth = [
            [1.0, 4.0, 5.0][eq1 as usize],
            [1.0, 2.0][eq2 as usize],
            match (eq3, eq6) {
                (0, 0) => 7.0,
                (0, _) => 6.0,
                (1, _) => 8.0,
                _ => 10.0,
            },
            [6.0, 5.0, 4.0][eq4 as usize],
        ]
        .map(|d| d * STEP);
        let mut parts = 0;
        let mut total = 0.0;
        for (i, next) in [lower_eq1, lower_eq2, lower_eq3eq6, lower_eq4]
            .into_iter()
            .enumerate()
        {
            if let Some(next) = next {
                parts += 1;
                total += (value - next) * (current[i] / depth[i]);
            }
        }
        // EQ5 has no depth within a MacroVector: it counts, but adds no distance.
        if lower_eq5.is_some() {
            parts += 1;
        }
        let mean = if parts == 0 {
            0.0
        } else {
            total / parts as f64
        };
        let score = (value - mean).clamp(0.0, 10.0);
        // Half up, on the exact value: the scores are sums of tenths and small fractions,
        // so binary noise (5.6499999… for 5.65) is far below a millionth, and adding one
        // before rounding gives the exact value's rounding (FIRST's browser calculator,
        // rounding the binary value, shows 5.6 for some vectors whose score is 5.65).
        ((score + 1e-6) * 10.0).round() / 10.0
    }
}

/// One tenth: the unit of severity distance between adjacent metric levels.
const STEP: f64 = 0.1;

/// A metric value's severity level in tenths, 0 the most severe. Subsequent-system impacts start at
/// 1 (only a modified SI/SA may be Safety, level 0); Exploit Maturity has no level in the
/// distance (it is its own EQ).
fn level(metric: usize, letter: u8) -> f64 {
    let position = V4_METRICS[metric]
        .1
        .bytes()
        .position(|b| b == letter)
        .unwrap_or(0);
    let position = if metric == SC { position + 1 } else { position };
    position as f64 / 10.0
}

/// The most severe vectors of a MacroVector, as values in [`V4Metrics::values`] order: the
/// combinations of each EQ's highest vectors, in the specification's order.
fn highest_vectors(mv: [u8; 6]) -> Vec<[u8; 15]> {
    let [eq1, eq2, eq3, eq4, _, eq6] = mv;
    // AV PR UI
    let eq1_tops: &[&[u8; 3]] = match eq1 {
        0 => &[b"NNN"],
        1 => &[b"ANN", b"NLN", b"NNP"],
        _ => &[b"PNN", b"ALP"],
    };
    // AC AT
    let eq2_tops: &[&[u8; 2]] = match eq2 {
        0 => &[b"LN"],
        _ => &[b"HN", b"LP"],
    };
    // VC VI VA CR IR AR
    let eq3eq6_tops: &[&[u8; 6]] = match (eq3, eq6) {
        (0, 0) => &[b"HHHHHH"],
        (0, _) => &[b"HHLMMH", b"HHHMMM"],
        (1, 0) => &[b"LHHHHH", b"HLHHHH"],
        (1, _) => &[b"LHLHMH", b"LHHHMM", b"HLHMHM", b"HLLMHH", b"LLHHHM"],
        _ => &[b"LLLHHH"],
    };
    // SC SI SA
    let eq4_tops: &[&[u8; 3]] = match eq4 {
        0 => &[b"HSS"],
        1 => &[b"HHH"],
        _ => &[b"LLL"],
    };
    let mut out = Vec::new();
    for a in eq1_tops {
        for b in eq2_tops {
            for c in eq3eq6_tops {
                for d in eq4_tops {
                    out.push([
                        a[0], b[0], b[1], a[1], a[2], c[0], c[1], c[2], d[0], d[1], d[2], c[3],
                        c[4], c[5], b'A',
                    ]);
                }
            }
        }
    }
    out
}

/// The expert score of a MacroVector, `None` for combinations that do not exist.
fn macrovector_score(mv: [u8; 6]) -> Option<f64> {
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;
    if eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1 {
        return None;
    }
    let prefix = [eq1, eq2, eq3, eq4].map(|d| (b'0' + d) as char);
    let prefix: String = prefix.iter().collect();
    let (_, tenths) = MACROVECTOR_SCORES.iter().find(|(p, _)| *p == prefix)?;
    let index = if eq3 == 2 {
        // Only EQ6 = 1 exists with EQ3 = 2.
        if eq6 != 1 {
            return None;
        }
        eq5 as usize
    } else {
        eq5 as usize * 2 + eq6 as usize
    };
    tenths.get(index).map(|&t| f64::from(t) / 10.0)
}

/// FIRST's MacroVector scores, in tenths, by EQ1 EQ2 EQ3 EQ4; each row lists EQ5 × EQ6 as
/// (0,0) (0,1) (1,0) (1,1) (2,0) (2,1), or for EQ3 = 2 (where EQ6 is always 1) EQ5 = 0, 1, 2.
/// Source: the CVSS v4.0 specification's scoring data (FIRST, cvss-v4-calculator).
const MACROVECTOR_SCORES: [(&str, &[u8]); 54] = [
    ("0000", &[100, 99, 98, 95, 95, 92]),
    ("0001", &[100, 96, 93, 87, 91, 81]),
    ("0002", &[93, 90, 89, 80, 81, 68]),
    ("0010", &[98, 95, 95, 92, 90, 84]),
    ("0011", &[93, 92, 89, 81, 81, 65]),
    ("0012", &[88, 80, 78, 70, 69, 48]),
    ("0020", &[92, 82, 72]),
    ("0021", &[79, 69, 50]),
    ("0022", &[69, 55, 27]),
    ("0100", &[99, 97, 95, 92, 92, 85]),
    ("0101", &[95, 91, 90, 83, 84, 71]),
    ("0102", &[92, 81, 82, 71, 72, 53]),
    ("0110", &[95, 93, 92, 85, 85, 73]),
    ("0111", &[92, 82, 80, 72, 70, 59]),
    ("0112", &[84, 70, 71, 52, 50, 30]),
    ("0120", &[86, 75, 52]),
    ("0121", &[71, 52, 29]),
    ("0122", &[63, 29, 17]),
    ("1000", &[98, 95, 94, 87, 91, 81]),
    ("1001", &[94, 89, 86, 74, 77, 64]),
    ("1002", &[87, 75, 74, 63, 63, 49]),
    ("1010", &[94, 89, 88, 77, 76, 67]),
    ("1011", &[86, 76, 74, 58, 59, 50]),
    ("1012", &[72, 57, 57, 52, 52, 25]),
    ("1020", &[83, 70, 54]),
    ("1021", &[65, 58, 26]),
    ("1022", &[53, 21, 13]),
    ("1100", &[95, 90, 88, 76, 76, 70]),
    ("1101", &[90, 77, 75, 62, 61, 53]),
    ("1102", &[77, 66, 68, 59, 52, 30]),
    ("1110", &[89, 78, 76, 67, 62, 58]),
    ("1111", &[74, 59, 57, 57, 47, 23]),
    ("1112", &[61, 52, 57, 29, 24, 16]),
    ("1120", &[71, 59, 30]),
    ("1121", &[58, 26, 15]),
    ("1122", &[23, 13, 6]),
    ("2000", &[93, 87, 86, 72, 75, 58]),
    ("2001", &[86, 74, 74, 61, 56, 34]),
    ("2002", &[70, 54, 52, 40, 40, 22]),
    ("2010", &[85, 75, 74, 55, 62, 51]),
    ("2011", &[72, 57, 55, 41, 46, 19]),
    ("2012", &[53, 36, 34, 19, 19, 8]),
    ("2020", &[64, 51, 20]),
    ("2021", &[47, 21, 11]),
    ("2022", &[24, 9, 4]),
    ("2100", &[88, 75, 73, 53, 60, 50]),
    ("2101", &[73, 55, 59, 40, 41, 20]),
    ("2102", &[54, 43, 45, 22, 20, 11]),
    ("2110", &[75, 55, 58, 45, 40, 21]),
    ("2111", &[61, 51, 48, 18, 20, 9]),
    ("2112", &[46, 18, 17, 7, 8, 2]),
    ("2120", &[53, 24, 14]),
    ("2121", &[24, 12, 5]),
    ("2122", &[10, 3, 1]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_scores() {
        for (vector, score) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0),
        ] {
            assert_eq!(base_score_v3(vector), Some(score), "{vector}");
        }
        assert_eq!(base_score_v3("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
        assert_eq!(base_score_v3("CVSS:3.1/AV:N/AC:L"), None);
    }

    #[test]
    fn v4_reference_scores() {
        for (vector, score) in [
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                10.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N",
                6.9,
            ),
            (
                "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                8.5,
            ),
            (
                "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
                8.2,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N",
                5.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                0.0,
            ),
            // Threat metrics: an unreported exploit lowers the score.
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
                8.1,
            ),
        ] {
            assert_eq!(base_score_v4(vector), Some(score), "{vector}");
        }
        // Not v4, a metric missing, a value unknown, Safety outside the modified metrics.
        assert_eq!(
            base_score_v4("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            None
        );
        assert_eq!(
            base_score_v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H"),
            None
        );
        assert_eq!(
            base_score_v4("CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            None
        );
        assert_eq!(
            base_score_v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N"),
            None
        );
        assert_eq!(
            base_score_v4("CVSS:4.0/AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            None
        );
    }

    /// 1,200 vectors (600 with base metrics only, 600 with threat and environmental metrics
    /// as well), each with the score FIRST's published method gives, as computed by an
    /// independent implementation (the `cvss` Python package, 3.6).
    #[test]
    fn v4_scores_agree_with_an_independent_implementation() {
        let data = include_str!("../tests/data/cvss4-vectors.txt");
        let mut checked = 0;
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let (vector, score) = line.rsplit_once(' ').unwrap();
            let expected: f64 = score.parse().unwrap();
            assert_eq!(base_score_v4(vector), Some(expected), "{vector}");
            checked += 1;
        }
        assert_eq!(checked, 1200);
    }
}
