//! Paths whose changes need a second pair of eyes: CI pipelines, deployment manifests,
//! database migrations, authentication code, dependency lockfiles and palisade's own
//! configuration. `palisade init` suggests CODEOWNERS entries for the ones a repository has.

/// Why a path is sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sensitive {
    /// CI pipelines: `.github/workflows/`, `.gitlab-ci.yml`, `.gitlab/ci/`.
    Pipeline,
    /// Deployment manifests: Kubernetes, Helm, Kustomize folders.
    Manifest,
    /// Database migrations.
    Migration,
    /// Authentication and authorisation code.
    AuthCode,
    /// Dependency lockfiles.
    Lockfile,
    /// palisade.toml, CODEOWNERS and SECURITY.md: who reviews what and which checks run.
    Policy,
}

impl Sensitive {
    pub fn describe(self) -> &'static str {
        match self {
            Sensitive::Pipeline => "CI pipelines",
            Sensitive::Manifest => "deployment manifests",
            Sensitive::Migration => "database migrations",
            Sensitive::AuthCode => "authentication code",
            Sensitive::Lockfile => "dependency lockfiles",
            Sensitive::Policy => "security policy and palisade configuration",
        }
    }
}

const LOCKFILES: &[&str] = &[
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "Cargo.lock",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "gradle.lockfile",
    "Podfile.lock",
];

const MANIFEST_DIRS: &[&str] = &[
    "k8s",
    "kubernetes",
    "manifests",
    "helm",
    "charts",
    "kustomize",
    "deploy",
    "deployment",
    "deployments",
];

const AUTH_WORDS: &[&str] = &[
    "auth",
    "authentication",
    "authorization",
    "authz",
    "authn",
    "login",
    "oauth",
    "permissions",
    "sessions",
    "sso",
];

/// Whether `path` (relative, `/`-separated) is sensitive, and the CODEOWNERS pattern that
/// covers it (a folder pattern where the whole folder is sensitive).
pub fn classify(path: &str) -> Option<(Sensitive, String)> {
    let parts: Vec<&str> = path.split('/').collect();
    let name = *parts.last()?;
    let folder_of = |upto: usize| format!("/{}/", parts[..=upto].join("/"));
    if path.starts_with(".github/workflows/") {
        return Some((Sensitive::Pipeline, "/.github/workflows/".to_string()));
    }
    if name == ".gitlab-ci.yml" || path.starts_with(".gitlab/ci/") {
        return Some((Sensitive::Pipeline, format!("/{path}")));
    }
    if matches!(
        name,
        "palisade.toml" | "CODEOWNERS" | "SECURITY.md" | "security.md"
    ) {
        return Some((Sensitive::Policy, format!("/{path}")));
    }
    if LOCKFILES.contains(&name) {
        return Some((Sensitive::Lockfile, format!("/{path}")));
    }
    let folders = &parts[..parts.len() - 1];
    if let Some(at) = folders
        .iter()
        .position(|p| p.eq_ignore_ascii_case("migrations") || *p == "alembic")
    {
        return Some((Sensitive::Migration, folder_of(at)));
    }
    let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    if is_yaml
        && let Some(at) = folders
            .iter()
            .position(|p| MANIFEST_DIRS.contains(&p.to_ascii_lowercase().as_str()))
    {
        return Some((Sensitive::Manifest, folder_of(at)));
    }
    let code = [
        ".py", ".js", ".ts", ".java", ".kt", ".go", ".rb", ".rs", ".php",
    ]
    .iter()
    .any(|ext| name.ends_with(ext));
    if code {
        if let Some(at) = folders
            .iter()
            .position(|p| AUTH_WORDS.contains(&p.to_ascii_lowercase().as_str()))
        {
            return Some((Sensitive::AuthCode, folder_of(at)));
        }
        let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
        if AUTH_WORDS.contains(&stem.as_str()) {
            return Some((Sensitive::AuthCode, format!("/{path}")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_paths_and_their_patterns() {
        let c = classify;
        assert_eq!(
            c(".github/workflows/ci.yml"),
            Some((Sensitive::Pipeline, "/.github/workflows/".into()))
        );
        assert_eq!(
            c("backend/app/migrations/0001_init.py"),
            Some((Sensitive::Migration, "/backend/app/migrations/".into()))
        );
        assert_eq!(
            c("infra/k8s/base/deploy.yaml"),
            Some((Sensitive::Manifest, "/infra/k8s/".into()))
        );
        assert_eq!(
            c("backend/auth.py"),
            Some((Sensitive::AuthCode, "/backend/auth.py".into()))
        );
        assert_eq!(
            c("src/auth/tokens.ts"),
            Some((Sensitive::AuthCode, "/src/auth/".into()))
        );
        assert_eq!(
            c("frontend/package-lock.json"),
            Some((Sensitive::Lockfile, "/frontend/package-lock.json".into()))
        );
        assert_eq!(c("palisade.toml").unwrap().0, Sensitive::Policy);
        assert_eq!(c("docs/k8s/notes.md"), None);
        assert_eq!(c("backend/author.py"), None);
        assert_eq!(c("README.md"), None);
    }
}
