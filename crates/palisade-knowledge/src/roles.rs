//! What a file is for, judged from its path relative to the scan root.
//!
//! Every decision is made on whole path segments and on the words of a file name (see
//! [`crate::words`]), never on substrings: `latest/`, `contest.py`, `testimonials.py` and
//! `protest/` are not test code, `develop_api.py` is not a development settings module
//! unless its words say `develop`.
//!
//! Two questions are answered here:
//! - [`file_role`]: is the file product source, test code, test data, an example,
//!   generated or vendored code? Rules skip or soften findings in anything but source.
//! - [`settings_flavor`] and [`name_role`]: for a settings module or a configuration class,
//!   is it what a deployment runs with, a shared base, a developer's machine or the test run?

/// What a file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileRole {
    /// The product's own code: anything not recognised below.
    Source,
    /// Test code: under a `tests/`, `test/`, `testing/`, `__tests__/`, `unittests/`,
    /// `unit_tests/`, `integration_tests/` or `e2e/` folder, or named
    /// `test_*.py`, `*_test.py`, `*_tests.py`, `tests.py`, `test.py`, `conftest.py`,
    /// `*.test.js`, `*.spec.ts`, `*_spec.rb`.
    Test,
    /// Data that tests read: under `fixtures/`, `testdata/`, `test_data/`,
    /// `__fixtures__/`.
    Fixture,
    /// Examples and samples shipped beside the product: under `examples/`, `example/`,
    /// `samples/`, `sample/`.
    Example,
    /// Written by a tool, not by hand: under `migrations/` (Django, Alembic), `generated/`,
    /// `__generated__/`, or named `*_pb2.py`, `*_pb2_grpc.py`, `*.generated.*`.
    Generated,
    /// Someone else's code copied in: under `vendor/`, `vendored/`, `third_party/`,
    /// `third-party/`, `thirdparty/`, `node_modules/`, `site-packages/`, `.venv/`, `venv/`.
    Vendored,
}

impl FileRole {
    /// Whether findings in this file describe test scaffolding rather than what production
    /// runs: test code and the data it reads.
    pub fn is_test(self) -> bool {
        matches!(self, FileRole::Test | FileRole::Fixture)
    }
}

const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "thirdparty",
    "node_modules",
    "site-packages",
    ".venv",
    "venv",
];
const GENERATED_DIRS: &[&str] = &["migrations", "generated", "__generated__"];
const TEST_DIRS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "__tests__",
    "unittests",
    "unit_tests",
    "unit-tests",
    "integration_tests",
    "integration-tests",
    "e2e",
];
const FIXTURE_DIRS: &[&str] = &[
    "fixtures",
    "fixture",
    "testdata",
    "test_data",
    "__fixtures__",
];
const EXAMPLE_DIRS: &[&str] = &["examples", "example", "samples", "sample"];

/// The folders of a path and its file name, split at `/` or `\`, empty segments dropped.
fn segments(path: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or("");
    (parts, file)
}

fn any_dir(dirs: &[&str], names: &[&str]) -> bool {
    dirs.iter()
        .any(|d| names.iter().any(|n| d.eq_ignore_ascii_case(n)))
}

/// The file name without its last extension (`views_test.py` → `views_test`), lowercased.
fn stem_of(file: &str) -> String {
    let stem = match file.rfind('.') {
        Some(dot) if dot > 0 => &file[..dot],
        _ => file,
    };
    stem.to_ascii_lowercase()
}

/// Whether a file name follows a test-runner naming convention.
fn is_test_file_name(file: &str) -> bool {
    let stem = stem_of(file);
    matches!(stem.as_str(), "test" | "tests" | "conftest")
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || stem.ends_with(".test")
        || stem.ends_with(".spec")
}

fn is_generated_file_name(file: &str) -> bool {
    let stem = stem_of(file);
    stem.ends_with("_pb2") || stem.ends_with("_pb2_grpc") || stem.ends_with(".generated")
}

/// The role of a file, from its path relative to the scan root. The first that applies
/// wins: vendored, generated, test, fixture, example, source.
pub fn file_role(path: &str) -> FileRole {
    let (dirs, file) = segments(path);
    if any_dir(&dirs, VENDORED_DIRS) {
        FileRole::Vendored
    } else if any_dir(&dirs, GENERATED_DIRS) || is_generated_file_name(file) {
        FileRole::Generated
    } else if any_dir(&dirs, TEST_DIRS) || is_test_file_name(file) {
        FileRole::Test
    } else if any_dir(&dirs, FIXTURE_DIRS) {
        FileRole::Fixture
    } else if any_dir(&dirs, EXAMPLE_DIRS) {
        FileRole::Example
    } else {
        FileRole::Source
    }
}

/// Whether a file is test code or test data (see [`FileRole::is_test`]). Views, tokens and
/// keys there are scaffolding, not what production serves.
pub fn is_test_code(path: &str) -> bool {
    let (dirs, file) = segments(path);
    // Vendored or generated test code is still test code.
    any_dir(&dirs, TEST_DIRS) || is_test_file_name(file) || file_role(path).is_test()
}

/// The flavour of a settings module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsFlavor {
    /// `settings.py`, `settings/production.py`, … — what a deployment runs with.
    Main,
    /// `settings/base.py`, `settings/common.py`: shared values that deployed modules may
    /// override.
    Base,
    /// `settings/local.py`, `settings/dev.py`, `settings_dev.py`: a developer's machine.
    Development,
    /// `settings/test.py`, `test_settings.py`, `settings_ci.py`: the test run only.
    Test,
}

/// Words that name the test run (`settings/test.py`, `settings_ci.py`, `TestingConfig`,
/// `settings/unittests.py`, `smoketest_configuration.py`).
pub const TEST_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "conftest",
    "ci",
    "pytest",
    "unittest",
    "unittests",
    "smoketest",
    "smoketests",
];
/// Words that name a developer's machine (`settings/local.py`, `DevelopmentConfig`).
pub const DEVELOPMENT_WORDS: &[&str] = &[
    "dev",
    "devel",
    "develop",
    "development",
    "local",
    "localhost",
];
/// Words that name settings shared by every flavour (`settings/base.py`).
pub const BASE_WORDS: &[&str] = &["base", "common", "default", "defaults", "shared"];

/// The flavour a settings module or configuration class has by the words of its name
/// (`settings_test` → test, `dev_settings` → development, `base` → base, else main).
pub fn flavor_of_name(name: &str) -> SettingsFlavor {
    use crate::words::has_word;
    if has_word(name, TEST_WORDS) {
        SettingsFlavor::Test
    } else if has_word(name, DEVELOPMENT_WORDS) {
        SettingsFlavor::Development
    } else if has_word(name, BASE_WORDS) {
        SettingsFlavor::Base
    } else {
        SettingsFlavor::Main
    }
}

/// The settings flavour of a file, when its path marks it as a settings module: named
/// `settings.py`, `*_settings.py`, `settings_*.py`, or inside a `settings/` package. A
/// `configuration_*.py` / `*_configuration.py` (NetBox's name for its settings) counts only
/// when its words name tests or development (`configuration_testing.py`,
/// `smoketest_configuration.py`): "configuration" alone is too common a name to make a
/// module settings.
pub fn settings_flavor(path: &str) -> Option<SettingsFlavor> {
    let (dirs, file) = segments(path);
    let stem = stem_of(file);
    let in_package = dirs
        .last()
        .is_some_and(|d| d.eq_ignore_ascii_case("settings"));
    let named = crate::words::has_word(&stem, &["settings"]) || stem.ends_with("settings");
    if !in_package && !named {
        let flavor = flavor_of_name(&stem);
        let configuration = crate::words::has_word(&stem, &["configuration", "config"]);
        return (configuration
            && matches!(flavor, SettingsFlavor::Test | SettingsFlavor::Development))
        .then_some(flavor);
    }
    Some(flavor_of_name(&stem))
}

/// Whether a file only configures the test run or is test code (`settings/test.py`,
/// `test_settings.py`, `tests/settings.py`): what it allows is not what production serves.
/// Judged by segments and words, so a project under `latest/` is not mistaken for tests.
pub fn is_test_settings(path: &str) -> bool {
    is_test_code(path) || settings_flavor(path) == Some(SettingsFlavor::Test)
}

/// What a file or a configuration class is meant for, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRole {
    /// Anything not named for tests or local development.
    Deployed,
    /// `local.py`, `dev.py`, `settings_dev.py`, `DevelopmentConfig`, …
    Development,
    /// `test_*.py`, `settings/test.py`, `conftest.py`, `TestingConfig`, …
    Test,
}

/// The role a name (a file stem, a class name) has by its words.
pub fn name_role(name: &str) -> NameRole {
    match flavor_of_name(name) {
        SettingsFlavor::Test => NameRole::Test,
        SettingsFlavor::Development => NameRole::Development,
        SettingsFlavor::Main | SettingsFlavor::Base => NameRole::Deployed,
    }
}

/// The role of a file by its path: test code (see [`is_test_code`]) → `Test`; otherwise by
/// the words of its stem (of its package's name for an `__init__.py`), so `local.py` and
/// `settings_dev.py` are `Development`.
pub fn deployment_role(path: &str) -> NameRole {
    if is_test_code(path) {
        return NameRole::Test;
    }
    let (dirs, file) = segments(path);
    let stem = stem_of(file);
    if stem == "__init__"
        && let Some(package) = dirs.last()
    {
        return name_role(package);
    }
    name_role(&stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_code_by_segments() {
        for path in [
            "shop/tests/test_orders.py",
            "tests/helpers.py",
            "conftest.py",
            "orders/views_test.py",
            "orders/test_views.py",
            "orders/tests.py",
            "web/src/__tests__/app.js",
            "unittests/scans/conftest/many.yaml",
            "deploy/e2e/kind/cni.yaml",
            "web/src/app.test.ts",
            "web/src/app.spec.js",
            "Shop\\Tests\\helpers.py",
            "shop/fixtures/users.py",
            "pkg/testdata/config.yaml",
        ] {
            assert!(is_test_code(path), "{path}");
        }
        for path in [
            "latest/settings.py",
            "latest/api/views.py",
            "shop/contest.py",
            "shop/testimonials.py",
            "protest/views.py",
            "attestation/verify.py",
            "shop/latest_test_results.md/x.py",
            "contest_test_helpers/views.py",
            "",
        ] {
            assert!(!is_test_code(path), "{path}");
        }
    }

    #[test]
    fn file_roles() {
        assert_eq!(file_role("shop/views.py"), FileRole::Source);
        assert_eq!(file_role("latest/views.py"), FileRole::Source);
        assert_eq!(file_role("shop/tests/test_x.py"), FileRole::Test);
        assert_eq!(file_role("fixtures/x.py"), FileRole::Fixture);
        assert_eq!(file_role("examples/app.py"), FileRole::Example);
        assert_eq!(
            file_role("shop/migrations/0001_initial.py"),
            FileRole::Generated
        );
        assert_eq!(file_role("proto/orders_pb2.py"), FileRole::Generated);
        assert_eq!(file_role("vendor/lib/tests/x.py"), FileRole::Vendored);
        assert_eq!(file_role("third_party/x.py"), FileRole::Vendored);
        assert!(is_test_code("vendor/lib/tests/x.py"));
    }

    #[test]
    fn settings_flavors() {
        use SettingsFlavor::*;
        assert_eq!(settings_flavor("mysite/settings.py"), Some(Main));
        assert_eq!(settings_flavor("dojo/settings/unittests.py"), Some(Test));
        assert_eq!(
            settings_flavor("netbox/netbox/configuration_testing.py"),
            Some(Test)
        );
        assert_eq!(
            settings_flavor("scripts/smoketest_configuration.py"),
            Some(Test)
        );
        assert_eq!(settings_flavor("netbox/netbox/configuration.py"), None);
        assert_eq!(settings_flavor("app/config_dev.py"), Some(Development));
        assert_eq!(settings_flavor("config/settings/production.py"), Some(Main));
        assert_eq!(settings_flavor("config/settings/base.py"), Some(Base));
        assert_eq!(
            settings_flavor("config/settings/local.py"),
            Some(Development)
        );
        assert_eq!(settings_flavor("config/settings/test.py"), Some(Test));
        assert_eq!(settings_flavor("test_settings.py"), Some(Test));
        assert_eq!(settings_flavor("mysite/settings_test.py"), Some(Test));
        assert_eq!(settings_flavor("mysite/settings_ci.py"), Some(Test));
        assert_eq!(settings_flavor("mysite/dev_settings.py"), Some(Development));
        assert_eq!(settings_flavor("mysite/settings_dev.py"), Some(Development));
        assert_eq!(settings_flavor("mysite/views.py"), None);
        assert_eq!(settings_flavor("mysite/settings_api.py"), Some(Main));
        assert_eq!(settings_flavor("latest/settings.py"), Some(Main));
        assert_eq!(settings_flavor("latest/settings/latest.py"), Some(Main));
        assert!(is_test_settings("api/settings/test.py"));
        assert!(is_test_settings("portal/settings/test_settings.py"));
        assert!(is_test_settings("tests/settings.py"));
        assert!(!is_test_settings("latest/settings.py"));
    }

    #[test]
    fn name_roles() {
        assert_eq!(name_role("TestingConfig"), NameRole::Test);
        assert_eq!(name_role("DevelopmentConfig"), NameRole::Development);
        assert_eq!(name_role("ProductionConfig"), NameRole::Deployed);
        assert_eq!(name_role("testimonials"), NameRole::Deployed);
        assert_eq!(name_role("latest"), NameRole::Deployed);
        assert_eq!(
            deployment_role("config/settings/local.py"),
            NameRole::Development
        );
        assert_eq!(
            deployment_role("config/local/__init__.py"),
            NameRole::Development
        );
        assert_eq!(deployment_role("shop/tests/test_x.py"), NameRole::Test);
        assert_eq!(deployment_role("latest/settings.py"), NameRole::Deployed);
    }
}
