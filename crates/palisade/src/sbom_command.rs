//! `palisade sbom`: a software bill of materials (CycloneDX 1.6 or SPDX 2.3, JSON) of the
//! packages every lockfile and manifest under the paths pins, read exactly as a scan reads
//! them (the deps analyzer's inventory); no rule runs.

use crate::cli::{SbomArgs, SbomFormat};
use crate::commands::is_stdin;
use crate::{Failure, exit, output, sources};
use palisade_deps::DepsAnalyzer;

pub fn sbom(args: SbomArgs) -> Result<u8, Failure> {
    if args.paths.iter().any(|p| is_stdin(p)) {
        return Err(Failure::usage(
            "sbom reads files and folders, not standard input",
        ));
    }
    let config = sources::load_config(args.config.as_deref(), &args.paths)?;
    let mut files = sources::collect_facts(&DepsAnalyzer, &args.paths, &config, None)?;
    // Versions a pom.xml leaves to its parent POMs and imported BOMs in the tree (what stays
    // unresolved is left out of the SBOM, as a scan says it is not checked).
    palisade_deps::inventory::jvm::resolve_poms(&mut files);
    let today = args.today.unwrap_or_else(palisade_core::date::Date::today);
    let timestamp = format!("{today}T00:00:00Z");
    // The project's name: the first path's folder name.
    let first = args.paths.first().cloned().unwrap_or_default();
    let name = std::path::absolute(&first)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_string());
    let document = match args.format {
        SbomFormat::CyclonedxJson => palisade_deps::sbom::cyclonedx(&files, &name, &timestamp),
        SbomFormat::SpdxJson => {
            let namespace = format!(
                "https://palisade.invalid/spdx/{}-{}",
                name.replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
                today
            );
            palisade_deps::sbom::spdx(&files, &name, &timestamp, &namespace)
        }
    };
    let text = serde_json::to_string_pretty(&document).unwrap_or_default() + "\n";
    output::write(args.output.as_deref(), &text)?;
    Ok(exit::CLEAN)
}
