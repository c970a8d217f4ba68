//! palisade's live audits — the only crate that opens sockets, and only toward the targets
//! the user names (`palisade probe URL…`, `palisade mysql mysql://user@host:port`, or
//! `palisade scan --online` with targets). Each connection needs the engine's
//! [`Online`] capability, which only an online run hands out.
//!
//! - [`probe`]: HTTP(S) security headers, the plain-HTTP redirect, CORS, cookies, the CSP
//!   (through palisade-web's engine) and the certificate (chain, expiry, host name).
//! - [`mysql`]: a read-only audit of a MySQL/MariaDB server's transport, accounts and
//!   settings, over a minimal client protocol of its own.

pub mod mysql;
pub mod probe;
pub mod rules;
pub mod settings;
pub mod tls;

pub use settings::LiveConfig;

use palisade_core::engine::{Online, SourcesContext};
use palisade_core::{
    Analyzer, DiagnosticKind, FileContext, FileSelector, OptionsType, RuleMeta, SourceFile,
};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// How long any one connect, read or write may wait.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The settings of a live run (the command line's; the defaults for `scan --online`).
#[derive(Debug, Default)]
pub struct LiveSettings {
    /// The database password (from `MYSQL_PWD` or `--password-file`, never argv).
    pub mysql_password: Option<String>,
    /// Refuse to authenticate to a database server that offers no TLS.
    pub require_tls: bool,
    /// Roots to verify certificates against instead of the webpki roots (PEM).
    pub ca_file: Option<PathBuf>,
    /// Per-operation timeout; [`DEFAULT_TIMEOUT`] when `None`.
    pub timeout: Option<Duration>,
}

/// The live analyzer. Its sources phase audits every target of the run; a target it could
/// not reach is a notice and is recorded in [`LiveAnalyzer::failures`] (the live commands
/// exit with 2 then).
#[derive(Debug, Default)]
pub struct LiveAnalyzer {
    pub settings: LiveSettings,
    failures: Mutex<Vec<String>>,
    /// What each audited database server showed (for `palisade mysql --matrix`).
    servers: Mutex<Vec<(String, mysql::audit::ServerFacts)>>,
}

impl LiveAnalyzer {
    pub const fn new(settings: LiveSettings) -> LiveAnalyzer {
        LiveAnalyzer {
            settings,
            failures: Mutex::new(Vec::new()),
            servers: Mutex::new(Vec::new()),
        }
    }

    /// The targets that could not be audited, with why.
    pub fn failures(&self) -> Vec<String> {
        self.failures.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// The audited database servers' accounts and settings, by target.
    pub fn servers(&self) -> Vec<(String, mysql::audit::ServerFacts)> {
        self.servers.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn fail(&self, cx: &mut SourcesContext<'_>, target: &str, why: String) {
        let message = format!("{target}: {why}");
        cx.notice(DiagnosticKind::Unreadable, message.clone());
        if let Ok(mut f) = self.failures.lock() {
            f.push(message);
        }
    }

    fn timeout(&self) -> Duration {
        self.settings.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    fn audit_mysql(&self, online: Online, cx: &mut SourcesContext<'_>, url: &str) {
        let target = match mysql::MysqlTarget::parse(url) {
            Ok(t) => t,
            Err(e) => return self.fail(cx, url, e),
        };
        let shown = target.display();
        let Some(password) = self
            .settings
            .mysql_password
            .clone()
            .or_else(|| std::env::var("MYSQL_PWD").ok())
        else {
            return self.fail(
                cx,
                &shown,
                "no password: set MYSQL_PWD or pass --password-file".to_string(),
            );
        };
        let roots = match tls::roots(self.settings.ca_file.as_deref()) {
            Ok(r) => std::sync::Arc::new(r),
            Err(e) => return self.fail(cx, &shown, e),
        };
        let options = mysql::proto::ConnectOptions {
            host: &target.host,
            port: target.port,
            socket: target.socket.as_deref(),
            user: &target.user,
            password: &password,
            timeout: self.timeout(),
            require_tls: self.settings.require_tls,
            roots,
        };
        let _ = online;
        let mut conn = match mysql::proto::Conn::connect(&options) {
            Ok(c) => c,
            Err(e) => return self.fail(cx, &shown, e.0),
        };
        let facts = mysql::audit::collect(&mut conn);
        conn.quit();
        for why in &facts.unreadable {
            cx.notice(DiagnosticKind::Unreadable, format!("{shown}: {why}"));
        }
        for finding in mysql::audit::check(&facts, &shown, cx.today()) {
            cx.report(finding);
        }
        if let Ok(mut servers) = self.servers.lock() {
            servers.push((shown, facts));
        }
    }

    fn probe_url(&self, online: Online, cx: &mut SourcesContext<'_>, url: &str) {
        let settings = probe::ProbeSettings {
            ca_file: self.settings.ca_file.clone(),
            timeout: self.timeout(),
        };
        match probe::probe(online, url, &settings, cx.today()) {
            Ok(outcome) => {
                for note in outcome.notes {
                    cx.notice(
                        DiagnosticKind::Skipped,
                        format!("{}: {note}", outcome.target),
                    );
                }
                for finding in outcome.findings {
                    cx.report(finding);
                }
                if let Some(e) = outcome.error {
                    self.fail(cx, url, e);
                }
            }
            Err(e) => self.fail(cx, url, e),
        }
    }
}

impl Analyzer for LiveAnalyzer {
    type Facts = ();
    type ScanState = ();

    fn name(&self) -> &'static str {
        "live"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::metas()
    }

    fn files(&self) -> FileSelector {
        FileSelector::default()
    }

    fn settings(&self) -> Option<OptionsType> {
        // `[analyzers.live]`: the older spelling of `[live]`, kept as an alias.
        Some(OptionsType::of::<LiveConfig>())
    }

    fn config_table(&self) -> Option<palisade_core::config::ConfigTable> {
        Some(settings::TABLE)
    }

    fn check_file(&self, _: &SourceFile, _: &mut FileContext<'_>, _: &()) -> Option<()> {
        None
    }

    fn check_sources(&self, cx: &mut SourcesContext<'_>) {
        if cx.targets().is_empty() {
            return;
        }
        let Some(online) = cx.online() else {
            cx.notice(
                DiagnosticKind::Skipped,
                "live targets were named but the run is offline (pass --online): none was contacted",
            );
            return;
        };
        let targets: Vec<String> = cx.targets().to_vec();
        for target in &targets {
            if target.starts_with("mysql://") || target.starts_with("mariadb://") {
                self.audit_mysql(online, cx, target);
            } else if target.starts_with("http://") || target.starts_with("https://") {
                self.probe_url(online, cx, target);
            } else {
                self.fail(
                    cx,
                    target,
                    "not a live target (http://, https:// or mysql://user@host:port)".to_string(),
                );
            }
        }
    }
}

/// The live targets `palisade.toml` lists: under `[live]`, or its alias `[analyzers.live]`
/// (the configuration reader refuses a file that gives both).
pub fn configured_targets(config: &palisade_core::config::Config) -> Vec<String> {
    config
        .table::<LiveConfig>(settings::TABLE.key)
        .or_else(|| {
            config
                .analyzer_settings
                .get("live")
                .and_then(|v| v.downcast_ref::<LiveConfig>())
        })
        .map(LiveConfig::targets)
        .unwrap_or_default()
}

/// The live analyzer with default settings, as `analyzers()` lists it: `scan --online
/// --target …` uses it (MYSQL_PWD for databases, the webpki roots for certificates).
pub static LIVE: LiveAnalyzer = LiveAnalyzer::new(LiveSettings {
    mysql_password: None,
    require_tls: false,
    ca_file: None,
    timeout: None,
});
