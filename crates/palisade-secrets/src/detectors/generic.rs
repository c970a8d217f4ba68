//! Secrets recognised by where they are rather than by their shape: credentials in URLs
//! and connection strings, Kubernetes Secret manifests, `.env` files, and values assigned to
//! secret-looking names. These run in the generic pass: a value a provider-specific
//! detector already reported is not reported again.
//!
//! A pattern's `name` group must be a secret-looking name (`palisade-knowledge` decides, as
//! for every analyzer), and its `host` group must not be a documentation host
//! (`example.com`).

use crate::table::{Detector, Files, Tier};
use crate::validate;
use palisade_core::{Confidence, Severity};

/// What every generic entry shares.
const GENERIC: Detector = Detector {
    tier: Tier::Generic,
    confidence: Confidence::Medium,
    revoke: "Change the password or rotate the secret where it is issued.",
    ..Detector::BASE
};

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "url-credentials",
        example: r##"git clone https://deploy:NPTLFF4oLt!HPaRT@git.shopcorp.io/shop/api.git"##,
        title: "Password in a URL",
        what: "A user name and password embedded in an HTTP, FTP, SSH, SMTP, LDAP or git URL (`https://user:password@host/`).",
        keywords: &["://"],
        pattern: r#"\b(?:https?|ftps?|sftp|ssh|smtps?|ldaps?|git|svn)://(?P<user>[A-Za-z0-9._~%!$&*+;=-]+):(?P<secret>[^\s@/:"'<>`\\]{3,})@(?P<host>[A-Za-z0-9.-]+)"#,
        entropy: 2.0,
        ..GENERIC
    },
    Detector {
        slug: "database-connection-string",
        example: r##"DATABASE_URL = "postgresql://shop:SloocE8j7O!TXKmE@db.prod.shopcorp.io:5432/shop""##,
        title: "Password in a database connection string",
        what: "A password in a database or message-broker URL (`mysql://user:password@db/`, `postgresql://`, `mongodb+srv://`, `redis://`, `amqp://`) or an ADO.NET / JDBC connection string (`Password=…;`).",
        keywords: &["://", "password=", "pwd="],
        pattern: r#"(?i)\b(?:(?:mysql|mariadb|postgres(?:ql)?|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|clickhouse|couchdb|cockroachdb|neo4j|nats)(?:\+[a-z0-9]+)?://(?P<user>[A-Za-z0-9._~%!$&*+;=-]*):(?P<secret>[^\s@/:"'<>`\\]{3,})@(?P<host>[A-Za-z0-9.-]+)|(?:server|data source|host)=[^;"'\n]+;(?:[^;"'\n]+;)*\s*(?:password|pwd)=(?P<secret2>[^;"'\s]{3,}))"#,
        entropy: 2.0,
        ..GENERIC
    },
    Detector {
        slug: "kubernetes-secret-data",
        example: r##"apiVersion: v1
kind: Secret
metadata:
  name: shop-api
type: Opaque
data:
  db-password: NmNHSVVCa24wNyE4dERiOA=="##,
        title: "Kubernetes Secret manifest with real data",
        what: "A Kubernetes `Secret` manifest whose `data` holds a real value (base64 that decodes to something other than a placeholder): the manifest in the repository is the secret.",
        keywords: &["kind: secret"],
        pattern: r#"(?m)^[ \t]+(?P<name>[A-Za-z0-9_.-]+):[ \t]+["']?(?P<secret>[A-Za-z0-9+/]{8,}={0,2})["']?[ \t]*\r?$"#,
        entropy: 3.0,
        validate: Some(validate::base64_secret),
        confidence: Confidence::High,
        revoke: "Rotate the value, then keep the manifest out of the repository: Sealed Secrets, SOPS, External Secrets or the cluster's secret store.",
        ..GENERIC
    },
    Detector {
        slug: "dotenv-secret",
        example: r##"DB_PASSWORD=pL45w8tN19*LwfqJ"##,
        title: "Secret in a .env file",
        what: "A secret-named variable with a literal value in a `.env` file (`DB_PASSWORD=…`, `STRIPE_KEY=…`).",
        keywords: &[],
        pattern: r#"(?m)^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*["']?(?P<secret>[^\s"'#]{6,})"#,
        entropy: 2.5,
        files: Files::DotEnv,
        revoke: "Rotate the value and keep `.env` files out of the repository (`.gitignore`), committing a `.env.example` with placeholders instead.",
        ..GENERIC
    },
    Detector {
        slug: "generic-secret-assignment",
        example: r##"api_key = "ei9Yhypo3r4MLLwb0tp957VSg4eSoRE3""##,
        title: "Hard-coded secret assigned to a secret-looking name",
        what: "A quoted literal assigned to a name that says it holds a password, token, secret or API key (`api_key = \"…\"`, `\"password\": \"…\"`), long and random enough to be one.",
        keywords: &["pass", "pwd", "secret", "token", "key", "credential"],
        pattern: r#"(?i)(?P<name>(?:pass(?:word|wd)?|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?)[a-z0-9_.-]*)["']?[ \t]*(?::=|=>|[:=])[ \t]*["'`](?P<secret>[^"'`\s\\]{8,})["'`]"#,
        entropy: 3.3,
        ..GENERIC
    },
    Detector {
        slug: "config-file-password",
        example: r##"  password: aHtT4yO6EP-hweEg"##,
        title: "Password in a configuration file",
        what: "An unquoted literal assigned to a secret-looking key in YAML, INI, TOML, properties or `.conf` files (`password: …`, `db.password=…`).",
        keywords: &["pass", "pwd", "secret", "token", "key"],
        pattern: r#"(?im)^[ \t-]*(?P<name>[a-z0-9_.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_.-]?key|apikey)[a-z0-9_.-]*)[ \t]*[:=][ \t]*(?P<secret>[^\s"'#{}\[\]|>&*!%@`][^\s"'#]{5,})[ \t]*\r?$"#,
        entropy: 3.0,
        files: Files::Config,
        severity: Severity::High,
        ..GENERIC
    },
];
