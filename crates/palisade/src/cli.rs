//! The command line, as clap sees it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "palisade",
    version,
    about = "Audits a product — its Python backend, its Kubernetes manifests, its CI pipelines and any secrets in it, today — against an OWASP Top 10 2021 security policy",
    after_help = "Exit codes: 0 no finding at or above --fail-on (and no recommendation in a --fail-on-coverage status); 1 findings at or above it, or a recommendation in a --fail-on-coverage status; 2 usage or configuration error; 3 internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders and report findings.
    Scan(ScanArgs),
    /// Write the files a team needs to keep its control records (palisade.toml, an incident
    /// response plan, a DR runbook, a training roster, SECURITY.md, a CODEOWNERS suggestion, a
    /// GitHub workflow); never overwrites an existing file.
    Init(InitArgs),
    /// Record the current findings so later scans report only new ones.
    Baseline(BaselineArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Who may do VERB on RESOURCE, according to the RBAC manifests (no cluster access needed).
    WhoCan(WhoCanArgs),
    /// The RBAC matrix: every subject × the dangerous permissions it holds, and where.
    Rbac(RbacArgs),
    /// The endpoint inventory of a Python backend: endpoint × authentication × scopes.
    Endpoints(EndpointsArgs),
    /// The dangerous and special permissions each Android module requests, with the code
    /// that uses an API needing them; a permission used nowhere is a finding (low).
    Permissions(PermissionsArgs),
    /// Work with saved reports: `report merge` rolls several repositories' JSON reports
    /// into one organisation report.
    Report {
        #[command(subcommand)]
        command: crate::report_command::ReportCommand,
    },
    /// A software bill of materials of the packages the lockfiles and manifests pin.
    Sbom(SbomArgs),
    /// Evaluate one Content Security Policy string (offline): the same findings as a scan
    /// reports where a policy is set.
    Csp(CspArgs),
    /// Probe live web sites (network): the plain-HTTP redirect, the certificate and the
    /// security headers (HSTS, CSP, framing, cookies, CORS, …) of each URL.
    Probe(ProbeArgs),
    /// Audit a live MySQL/MariaDB server (network, read-only): transport, accounts, global
    /// privileges, settings. The password comes from MYSQL_PWD or --password-file.
    Mysql(MysqlArgs),
    /// The advisory data cache: `db update` downloads OSV's advisory exports (network).
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule id, e.g. python/tls-verification-disabled.
        rule_id: String,
    },
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Write one Markdown page per rule into a folder (how docs/rules is generated) and,
    /// with `--readme`, the rule table between the README's `rules:start`/`rules:end` markers.
    #[command(hide = true)]
    GenerateDocs {
        dir: PathBuf,
        /// A README whose rule table is rewritten in place.
        #[arg(long)]
        readme: Option<PathBuf>,
    },
    /// Walk, read and parse every Python, JavaScript/TypeScript, Java/Kotlin and Android XML
    /// file a scan would parse (same selection and skip rules) on all cores, without running
    /// any rule, and print per language the files, bytes and time: the floor the analyses are
    /// measured against (bench/python.sh, bench/js.sh, bench/android.sh).
    #[command(hide = true)]
    ParseOnly {
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Also walk every tree once, node by node, as a scan's traversal does with no rule
        /// to call: the floor plus what visiting the tree costs.
        #[arg(long)]
        walk: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download OSV's per-ecosystem advisory exports (all.zip) into the cache folder that
    /// scans read when no --advisory-db is given (network). A failed download keeps the
    /// export already cached.
    Update(DbUpdateArgs),
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// Ecosystems to download, comma-separated or repeated: PyPI, npm, Maven, crates.io
    /// [default: all four].
    #[arg(long = "ecosystem", value_name = "NAME[,NAME…]")]
    pub ecosystems: Vec<String>,
    /// Download from this address (URL/ECOSYSTEM/all.zip) [default: download-url in
    /// [analyzers.deps], else https://osv-vulnerabilities.storage.googleapis.com].
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The cache folder to fill [default: cache-dir in [analyzers.deps], else
    /// $XDG_CACHE_HOME/palisade or ~/.cache/palisade].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Configuration file (default: palisade.toml in the current folder or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON schema of palisade.toml.
    Schema,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// For pull-request comments and `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// One self-contained page (charts, filter, search; no request leaves it).
    Html,
    /// DefectDojo's Generic Findings Import JSON.
    Defectdojo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// The formats of the `rbac` and `endpoints` matrices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Text,
    Json,
    /// A self-contained page with the table (same safety as `scan --format html`).
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Critical,
    High,
    Medium,
    Low,
    None,
}

/// A coverage status that fails the run (`--fail-on-coverage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CoverageGate {
    /// Its rules found something.
    Failing,
    /// A control record a person must keep is missing.
    NeedsAttestation,
    /// No rule of it ran, or its inputs could not be read.
    NotChecked,
    /// Its rules found nothing to read.
    NotApplicable,
}

impl CoverageGate {
    pub fn status(self) -> palisade_core::CoverageStatus {
        use palisade_core::CoverageStatus as S;
        match self {
            CoverageGate::Failing => S::Failing,
            CoverageGate::NeedsAttestation => S::NeedsAttestation,
            CoverageGate::NotChecked => S::NotChecked,
            CoverageGate::NotApplicable => S::NotApplicable,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    High,
    Medium,
    Low,
}

/// Rule selection by domain, OWASP category and policy recommendation, shared by `scan`,
/// `baseline` and `rules`. In a scan, any of them replaces the config's `[select]`.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Only rules of these domains (python, k8s, …); repeatable.
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Only rules of these OWASP 2021 categories (A01 … A10); repeatable.
    #[arg(long = "owasp", value_name = "CATEGORY")]
    pub owasp: Vec<String>,
    /// Only rules of these policy recommendations (mysql, kubernetes, …); repeatable.
    #[arg(long = "recommendation", value_name = "ID")]
    pub recommendations: Vec<String>,
}

/// What selects and configures the rules of a scan.
#[derive(Debug, Args)]
pub struct CommonScanArgs {
    /// Files or folders to scan; `-` reads standard input (see --stdin-kind).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: palisade.toml in the scan root or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Run only these rules: a full id (python/sql-injection) or a prefix of ids (python/,
    /// k8s/rbac-, k8s). Applied after the configuration and the selection flags.
    #[arg(long = "select", value_name = "RULE|PREFIX")]
    pub select: Vec<String>,
    /// Do not run these rules: a full id or a prefix of ids, as for --select.
    #[arg(long = "ignore", value_name = "RULE|PREFIX")]
    pub ignore: Vec<String>,
    /// Leave out files and folders matching this glob (relative to the scan root), beside
    /// the configuration's scan.exclude.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Report only findings of at least this confidence [default: low, or the config's].
    #[arg(long, value_enum)]
    pub min_confidence: Option<ConfidenceArg>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Neither read nor write the result cache: analyse every file afresh (also
    /// `PALISADE_NO_CACHE=1`, or `cache = false` under [scan] in palisade.toml).
    #[arg(long)]
    pub no_cache: bool,
    /// The result cache's folder [default: the config's scan.cache-dir, else
    /// $XDG_CACHE_HOME/palisade or ~/.cache/palisade].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Allow rules that need network access (the live checks of --target). Without it
    /// palisade opens no socket.
    #[arg(long)]
    pub online: bool,
    /// A live target to audit beside the files (an http(s):// URL, or mysql://user@host:port
    /// with MYSQL_PWD set); repeatable; needs --online.
    #[arg(long = "target", value_name = "URL", requires = "online")]
    pub targets: Vec<String>,
    /// Also audit the live targets listed in palisade.toml under `[live]` (`urls`,
    /// `mysql`); implies --online. Without it those targets are never contacted.
    #[arg(long)]
    pub live: bool,
    /// What standard input holds when `-` is given as a path.
    #[arg(long, value_enum, value_name = "KIND", default_value = "k8s")]
    pub stdin_kind: StdinKind,
    /// Show found secrets in full in snippets. By default every output shows a secret's
    /// first characters then `…`; fingerprints never hold a secret either way.
    #[arg(long)]
    pub show_secrets: bool,
    /// Also read the git history of the scanned repository: every line added by a commit
    /// reachable from HEAD, for secrets that are no longer in the tree (needs `git`).
    #[arg(long)]
    pub history: bool,
    /// With --history, read only the commits after this revision (REF..HEAD) or since this
    /// date (YYYY-MM-DD).
    #[arg(long, value_name = "REF|DATE", requires = "history")]
    pub since: Option<String>,
    /// The scan's date (YYYY-MM-DD), for reproducible runs: control records' ages and
    /// suppressions' expiry are counted from it [default: today in UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<palisade_core::date::Date>,
    /// OSV advisory data for deps/vulnerable-dependency: a folder of OSV JSON files
    /// (searched recursively) or an OSV all.zip export. Repeatable; replaces the config's
    /// [analyzers.deps] advisory-db.
    #[arg(long = "advisory-db", value_name = "PATH")]
    pub advisory_db: Vec<std::path::PathBuf>,
}

fn parse_date(s: &str) -> Result<palisade_core::date::Date, String> {
    palisade_core::date::Date::parse(s)
        .ok_or_else(|| format!("`{s}` is not a date written YYYY-MM-DD"))
}

/// What `-` (standard input) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StdinKind {
    /// Kubernetes YAML or JSON, e.g. `kubectl get roles,rolebindings -A -o yaml`.
    K8s,
    /// A Python source file.
    Python,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: CommonScanArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: high, or the config's].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Only findings of at least this confidence fail the run; the others are still
    /// reported [default: medium, or the config's].
    #[arg(long, value_enum)]
    pub fail_confidence: Option<ConfidenceArg>,
    /// Also exit with 1 while any policy recommendation of the coverage ledger has this
    /// status (e.g. `needs-attestation`: a control record nobody keeps); repeatable.
    #[arg(long, value_enum, value_name = "STATUS")]
    pub fail_on_coverage: Vec<CoverageGate>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Diff-aware scan: report only findings on lines changed since the merge base of this
    /// revision and HEAD (committed, staged, unstaged or untracked). The whole tree is still
    /// analysed, so project-level rules see every file.
    #[arg(long, value_name = "BASE_REF")]
    pub diff: Option<String>,
    /// Colours in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository's root folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The date written into the templates (YYYY-MM-DD) [default: today in UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<palisade_core::date::Date>,
}

#[derive(Debug, Args)]
pub struct CspArgs {
    /// The policy, as a Content-Security-Policy header value (several policies may be
    /// separated by commas).
    pub policy: String,
    /// Evaluate it as Content-Security-Policy-Report-Only.
    #[arg(long)]
    pub report_only: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: FailOnArg,
}

/// Report options shared by the live commands.
#[derive(Debug, Args)]
pub struct LiveReportArgs {
    /// Configuration file (default: palisade.toml in the current folder or a parent): rule
    /// settings and `[[ignore]]` entries apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Certificates (PEM) to verify the server's chain against instead of the webpki roots.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Seconds any connect, read or write may wait.
    #[arg(long, value_name = "SECONDS", default_value = "10")]
    pub timeout: u64,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: high, or the config's].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// http:// or https:// URLs; only these hosts are contacted.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
    #[command(flatten)]
    pub report: LiveReportArgs,
}

#[derive(Debug, Args)]
pub struct MysqlArgs {
    /// mysql://user@host:port (no password in the URL).
    #[arg(value_name = "URL")]
    pub url: String,
    /// A file whose first line is the password (else MYSQL_PWD).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Refuse to authenticate when the server offers no TLS (a Unix socket counts as
    /// secure, as for the servers themselves).
    #[arg(long)]
    pub require_tls: bool,
    /// Connect through this Unix socket (as `mysql --socket`), e.g.
    /// /run/mysqld/mysqld.sock; the same as `mysql://user@localhost?socket=PATH`.
    #[arg(long, short = 'S', value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Print the grants matrix (account × dangerous global privilege) instead of the
    /// findings, as text or (with --format json) JSON.
    #[arg(long)]
    pub matrix: bool,
    #[command(flatten)]
    pub report: LiveReportArgs,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub common: CommonScanArgs,
    /// Where to write the baseline.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        default_value = "palisade-baseline.json"
    )]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ListFormat,
}

/// Where RBAC manifests are read from.
#[derive(Debug, Args)]
pub struct RbacInput {
    /// Files or folders holding manifests; `-` reads them from standard input (for example
    /// `kubectl get roles,rolebindings,clusterroles,clusterrolebindings,serviceaccounts -A -o yaml`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: palisade.toml in the first path or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// A verb: get, list, watch, create, update, patch, delete, escalate, bind, impersonate, …
    pub verb: String,
    /// A resource, with its subresource or API group if needed: secrets, pods/exec,
    /// deployments.apps, clusterroles.rbac.authorization.k8s.io
    pub resource: String,
    /// Only grants that apply in this namespace (cluster-wide grants included).
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub input: RbacInput,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RbacArgs {
    /// Also list Kubernetes' own components (system: users and groups, kube-system accounts).
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub input: RbacInput,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct EndpointsArgs {
    /// Files or folders holding the Python backend (Flask, FastAPI, Django, aiohttp).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: palisade.toml in the first path or a parent); its scan
    /// settings (exclude, prune-dirs, max-file-size) apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// Files or folders holding the Android project (manifests, Gradle files, Java/Kotlin).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: palisade.toml in the first path or a parent); its scan
    /// settings (exclude, prune-dirs, max-file-size, fail-on) apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ListFormat,
    /// Exit with 1 when a finding is at or above this severity [default: the config's
    /// scan.fail-on, else high]; an unused permission is low.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
}

/// `palisade sbom`: the packages of every lockfile and manifest under the paths.
#[derive(Args, Debug)]
pub struct SbomArgs {
    /// Files or folders to read (default: the current folder).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: palisade.toml in the first path or a parent); its scan
    /// settings (exclude, prune-dirs, max-file-size) apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "cyclonedx-json")]
    pub format: SbomFormat,
    /// Write the document to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The document's date (YYYY-MM-DD) [default: today in UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<palisade_core::date::Date>,
}

/// The SBOM formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    /// CycloneDX 1.6, JSON.
    CyclonedxJson,
    /// SPDX 2.3, JSON.
    SpdxJson,
}
