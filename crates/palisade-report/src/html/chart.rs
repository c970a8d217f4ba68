//! Horizontal bar charts as inline SVG, laid out here so the template only places them:
//! a label on the left, a bar (one segment per severity where the chart splits by it) and
//! the count at the bar's end. Every bar carries `data-label` and `data-count`, and every
//! segment `data-count`, so tests (and scripts) can read the numbers back.

/// Width of the whole chart, in SVG user units.
pub const WIDTH: u32 = 560;
const LABEL_WIDTH: u32 = 240;
const BAR_X: u32 = LABEL_WIDTH + 10;
pub const BAR_MAX: u32 = 260;
const ROW: u32 = 24;
const BAR_HEIGHT: u32 = 16;
/// Longest label drawn, in characters (the full one is the bar's tooltip).
const MAX_LABEL: usize = 34;

#[derive(Clone, Debug)]
pub struct Chart {
    /// `id` of the figure (for links and tests).
    pub id: String,
    pub title: String,
    pub bars: Vec<Bar>,
    /// The SVG's height.
    pub height: u32,
    pub width: u32,
    /// Said under the chart (what is counted, what is left out).
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Bar {
    /// The full label (tooltip and `data-label`).
    pub label: String,
    /// The label as drawn, shortened from the left for paths, from the right otherwise.
    pub shown: String,
    pub count: usize,
    pub y: u32,
    pub text_y: u32,
    pub bar_height: u32,
    pub label_x: u32,
    pub count_x: u32,
    pub segments: Vec<Segment>,
    /// Where the filter should go when the bar is clicked: `#key=value`, or empty.
    pub link: String,
}

#[derive(Clone, Debug)]
pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub count: usize,
    /// A CSS class (the severity's name for split bars, `bar` otherwise).
    pub class: &'static str,
}

/// One row of a chart before layout: its label, link and counts per segment class.
pub struct Row {
    pub label: String,
    pub link: String,
    pub parts: Vec<(&'static str, usize)>,
    /// Shorten the label from the left (paths: the file name matters most).
    pub keep_end: bool,
}

impl Chart {
    pub fn new(id: &str, title: &str, rows: Vec<Row>, note: String) -> Chart {
        let max = rows
            .iter()
            .map(|r| r.parts.iter().map(|p| p.1).sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        let bars = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let y = i as u32 * ROW + 4;
                let count: usize = row.parts.iter().map(|p| p.1).sum();
                let mut x = BAR_X;
                let mut cumulative = 0usize;
                let mut segments = Vec::new();
                for (class, n) in row.parts {
                    if n == 0 {
                        continue;
                    }
                    // Ends placed from the running total, so the segments add up to the
                    // bar's length; at least one unit wide, so that 1 beside 20,000 is seen.
                    cumulative += n;
                    let end = BAR_X + (cumulative as u64 * u64::from(BAR_MAX) / max as u64) as u32;
                    let width = end.saturating_sub(x).max(1);
                    segments.push(Segment {
                        x,
                        width,
                        count: n,
                        class,
                    });
                    x += width;
                }
                Bar {
                    shown: shorten(&row.label, row.keep_end),
                    label: row.label,
                    count,
                    y,
                    text_y: y + BAR_HEIGHT - 3,
                    bar_height: BAR_HEIGHT,
                    label_x: LABEL_WIDTH,
                    count_x: x + 6,
                    segments,
                    link: row.link,
                }
            })
            .collect::<Vec<_>>();
        Chart {
            id: id.to_string(),
            title: title.to_string(),
            height: (bars.len() as u32).max(1) * ROW + 8,
            width: WIDTH,
            bars,
            note,
        }
    }
}

fn shorten(label: &str, keep_end: bool) -> String {
    let n = label.chars().count();
    if n <= MAX_LABEL {
        return label.to_string();
    }
    if keep_end {
        let tail: String = label.chars().skip(n - (MAX_LABEL - 1)).collect();
        format!("…{tail}")
    } else {
        let head: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{head}…")
    }
}
