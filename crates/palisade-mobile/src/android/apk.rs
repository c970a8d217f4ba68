//! APKs: the compiled `AndroidManifest.xml` and XML resources read out of the archive and
//! decoded (see [`super::axml`]), so the manifest and network-security rules run on a built
//! app as on its sources. Findings are located in the member, `app.apk!/AndroidManifest.xml`,
//! at lines of the decoded rendering.
//!
//! Each member is read through a size cap, so a zip bomb stops at the cap; a truncated or
//! corrupt archive, or a member that does not decode, is a notice.

use super::axml;
use std::io::{Cursor, Read};

/// The largest decompressed member read (a real manifest is well under 1 MB).
const MAX_MEMBER_BYTES: u64 = 4 * 1024 * 1024;
/// The most XML resources decoded from one archive.
const MAX_RESOURCES: usize = 2_000;
/// How members are separated in the rendering the engine hands the analyzer.
const MEMBER_HEADER: &str = "==> ";

/// One decoded member: its path inside the archive and its XML text.
#[derive(Debug, PartialEq, Eq)]
pub struct Member {
    pub path: String,
    pub text: String,
}

/// Whether a path names an archive palisade reads as an app.
pub fn is_archive(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".apk") || lower.ends_with(".aab")
}

/// Reads an APK's manifest and XML resources into one text (members under `==> path`
/// headers), or says why it cannot. Problems with single resources are listed as notices
/// in the second value.
pub fn render(bytes: &[u8]) -> Result<String, String> {
    let (members, problems) = read(bytes)?;
    let mut out = String::new();
    for problem in problems {
        out.push_str("==! ");
        out.push_str(&problem.replace('\n', " "));
        out.push('\n');
    }
    for m in members {
        out.push_str(MEMBER_HEADER);
        out.push_str(&m.path);
        out.push('\n');
        out.push_str(&m.text);
        if !m.text.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// The members and notices of a rendering made by [`render`].
pub fn split(rendering: &str) -> (Vec<Member>, Vec<String>) {
    let mut members: Vec<Member> = Vec::new();
    let mut problems = Vec::new();
    for line in rendering.split_inclusive('\n') {
        if let Some(problem) = line.strip_prefix("==! ") {
            problems.push(problem.trim_end().to_string());
        } else if let Some(path) = line.strip_prefix(MEMBER_HEADER) {
            members.push(Member {
                path: path.trim_end().to_string(),
                text: String::new(),
            });
        } else if let Some(m) = members.last_mut() {
            m.text.push_str(line);
        }
    }
    (members, problems)
}

/// The decoded manifest and XML resources of an APK.
pub fn read(bytes: &[u8]) -> Result<(Vec<Member>, Vec<String>), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    if !names.iter().any(|n| n == "AndroidManifest.xml") {
        return Err(
            if names
                .iter()
                .any(|n| n == "base/manifest/AndroidManifest.xml")
            {
                "an Android App Bundle keeps its manifest in protobuf form (base/manifest/AndroidManifest.xml), which palisade does not read; scan the APK built from it (bundletool build-apks --mode=universal)".to_string()
            } else {
                "no AndroidManifest.xml in the archive".to_string()
            },
        );
    }
    let mut members = Vec::new();
    let mut problems = Vec::new();
    let manifest = member_bytes(&mut archive, "AndroidManifest.xml")?;
    members.push(Member {
        path: "AndroidManifest.xml".to_string(),
        text: axml::to_xml(&manifest).map_err(|e| format!("AndroidManifest.xml: {e}"))?,
    });
    let mut resources: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| is_xml_resource(n))
        .collect();
    resources.sort();
    if resources.len() > MAX_RESOURCES {
        problems.push(format!(
            "{} XML resources; only the first {MAX_RESOURCES} were decoded",
            resources.len()
        ));
        resources.truncate(MAX_RESOURCES);
    }
    for name in resources {
        let result = member_bytes(&mut archive, name).and_then(|b| {
            if axml::is_binary_xml(&b) {
                axml::to_xml(&b).map(Some)
            } else {
                Ok(None)
            }
        });
        match result {
            Ok(Some(text)) => members.push(Member {
                path: name.to_string(),
                text,
            }),
            Ok(None) => {}
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    Ok((members, problems))
}

/// `res/xml*/…` (network security configs, FileProvider paths) and files right under `res/`
/// (where resource shrinking puts every file under a short name).
fn is_xml_resource(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("res/") else {
        return false;
    };
    if !name.ends_with(".xml") {
        return false;
    }
    match rest.split_once('/') {
        Some((folder, file)) => folder.starts_with("xml") && !file.contains('/'),
        None => true,
    }
}

fn member_bytes(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<u8>, String> {
    let file = archive
        .by_name(name)
        .map_err(|e| format!("{name}: cannot be read from the archive: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_MEMBER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: cannot be decompressed: {e}"))?;
    if bytes.len() as u64 > MAX_MEMBER_BYTES {
        return Err(format!(
            "{name}: decompresses to more than {MAX_MEMBER_BYTES} bytes (a zip bomb?); not read"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderings_split_back_into_members() {
        let text = "==! res/a.xml: bad\n==> AndroidManifest.xml\n<manifest>\n</manifest>\n==> res/xml/n.xml\n<x/>\n";
        let (members, problems) = split(text);
        assert_eq!(problems, vec!["res/a.xml: bad".to_string()]);
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].text, "<manifest>\n</manifest>\n");
        assert_eq!(members[1].path, "res/xml/n.xml");
    }

    #[test]
    fn resource_paths() {
        assert!(is_xml_resource("res/xml/network_security_config.xml"));
        assert!(is_xml_resource("res/xml-v25/shortcuts.xml"));
        assert!(is_xml_resource("res/Ab.xml"));
        assert!(!is_xml_resource("res/layout/main.xml"));
        assert!(!is_xml_resource("assets/x.xml"));
    }
}
