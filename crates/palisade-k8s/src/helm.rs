//! Helm charts: a chart's templates (`templates/**` under a folder holding `Chart.yaml`) are
//! Go templates, not YAML, until Helm renders them. They are not parsed (which would only
//! produce one error per file); the project pass gives one notice per chart instead.
//! `Chart.yaml` and `values.yaml` are not Kubernetes objects and are left alone like any
//! other YAML without `apiVersion` and `kind`.

use palisade_core::SourceFile;
use std::collections::BTreeMap;

/// The folder (as the report shows it, `.` for the scanned root) of the Helm chart whose
/// template `file` is, if it is one.
pub fn chart_of(file: &SourceFile) -> Option<String> {
    if !file.path.contains("templates/") {
        return None;
    }
    let parts: Vec<&str> = file.path.split('/').collect();
    // The nearest chart: a subchart's templates belong to the subchart.
    for i in (0..parts.len().saturating_sub(1)).rev() {
        if parts[i] != "templates" {
            continue;
        }
        let mut dir = file.abs_path.as_path();
        for _ in 0..parts.len() - i {
            dir = dir.parent()?;
        }
        if dir.join("Chart.yaml").is_file() {
            return Some(if i == 0 {
                ".".to_string()
            } else {
                parts[..i].join("/")
            });
        }
    }
    None
}

/// One notice per chart: its path (its `Chart.yaml`) and message.
pub fn notices<'a>(charts: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for chart in charts {
        *counts.entry(chart).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(chart, n)| {
            let path = if chart == "." {
                "Chart.yaml".to_string()
            } else {
                format!("{chart}/Chart.yaml")
            };
            let templates = if n == 1 { "template" } else { "templates" };
            (
                path,
                format!(
                    "Helm chart {chart}: {n} {templates} not analysed; render them with `helm template` and scan the output"
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_notice_per_chart() {
        let n = notices(["deploy/shop", "deploy/shop", ".", "deploy/shop"].into_iter());
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].0, "Chart.yaml");
        assert!(n[0].1.contains("1 template not analysed"), "{}", n[0].1);
        assert_eq!(n[1].0, "deploy/shop/Chart.yaml");
        assert!(
            n[1].1.contains("Helm chart deploy/shop: 3 templates"),
            "{}",
            n[1].1
        );
    }

    #[test]
    fn templates_outside_charts_are_plain_files() {
        let file = SourceFile::in_memory("ci/templates/job.yaml", "a: 1\n");
        assert_eq!(chart_of(&file), None);
    }
}
