//! What a Python file is for, judged from its path (relative to the scan root) and, for
//! Django settings, from what it defines: test code, or a settings module and which flavour
//! (the one deployed, a shared base, development, tests).

use crate::model::{MODULE, Model};

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
    /// `settings/test.py`, `test_settings.py`, `settings_test.py`: the test run only.
    Test,
}

fn lower_parts(path: &str) -> Vec<String> {
    path.split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn stem(file_name: &str) -> &str {
    file_name.strip_suffix(".py").unwrap_or(file_name)
}

/// The words of a file stem: `settings_test` → `settings`, `test`.
fn words(stem: &str) -> Vec<&str> {
    stem.split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the file is test code: under a `tests/` or `test/` folder, or named `test_*.py`,
/// `*_test.py`, `tests.py` or `conftest.py`.
pub fn is_test_file(path: &str) -> bool {
    let parts = lower_parts(path);
    let Some((file, dirs)) = parts.split_last() else {
        return false;
    };
    if dirs
        .iter()
        .any(|d| matches!(d.as_str(), "tests" | "test" | "testing"))
    {
        return true;
    }
    let stem = stem(file);
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem == "tests"
        || stem == "conftest"
        || stem == "test"
}

/// The settings flavour of a file, when its path marks it as a settings module: named
/// `settings.py` / `*settings*.py`, or inside a `settings/` package.
pub fn settings_flavor_of_path(path: &str) -> Option<SettingsFlavor> {
    let parts = lower_parts(path);
    let (file, dirs) = parts.split_last()?;
    let stem = stem(file);
    let in_package = dirs.last().is_some_and(|d| d == "settings");
    let named = words(stem).contains(&"settings") || stem.ends_with("settings");
    if !in_package && !named {
        return None;
    }
    Some(flavor_from_words(stem))
}

fn flavor_from_words(stem: &str) -> SettingsFlavor {
    let words = words(stem);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["test", "tests", "testing", "ci", "pytest"]) || stem.starts_with("test") {
        SettingsFlavor::Test
    } else if has(&["dev", "development", "local", "localhost", "develop"]) {
        SettingsFlavor::Development
    } else if has(&["base", "common", "default", "defaults", "shared"]) {
        SettingsFlavor::Base
    } else {
        SettingsFlavor::Main
    }
}

/// The settings flavour of a Django settings module: by path, or — for a module whose path
/// does not say so — by defining `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF` at module
/// level (then the flavour is read from the file name's words, `Main` by default).
pub fn django_settings_flavor(path: &str, model: &Model<'_>) -> Option<SettingsFlavor> {
    if let Some(flavor) = settings_flavor_of_path(path) {
        return Some(flavor);
    }
    let defines = [
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "MIDDLEWARE_CLASSES",
        "ROOT_URLCONF",
    ]
    .iter()
    .any(|name| !model.values(MODULE, name).is_empty());
    if !defines {
        return None;
    }
    let file = lower_parts(path).pop().unwrap_or_default();
    Some(flavor_from_words(stem(&file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files() {
        assert!(is_test_file("shop/tests/test_orders.py"));
        assert!(is_test_file("conftest.py"));
        assert!(is_test_file("orders/views_test.py"));
        assert!(!is_test_file("shop/contest.py"));
        assert!(!is_test_file("shop/testimonials.py"));
    }

    #[test]
    fn settings_flavors() {
        use SettingsFlavor::*;
        assert_eq!(settings_flavor_of_path("mysite/settings.py"), Some(Main));
        assert_eq!(
            settings_flavor_of_path("config/settings/production.py"),
            Some(Main)
        );
        assert_eq!(
            settings_flavor_of_path("config/settings/base.py"),
            Some(Base)
        );
        assert_eq!(
            settings_flavor_of_path("config/settings/local.py"),
            Some(Development)
        );
        assert_eq!(
            settings_flavor_of_path("config/settings/test.py"),
            Some(Test)
        );
        assert_eq!(settings_flavor_of_path("test_settings.py"), Some(Test));
        assert_eq!(
            settings_flavor_of_path("mysite/settings_test.py"),
            Some(Test)
        );
        assert_eq!(
            settings_flavor_of_path("mysite/dev_settings.py"),
            Some(Development)
        );
        assert_eq!(settings_flavor_of_path("mysite/views.py"), None);
        assert_eq!(
            settings_flavor_of_path("mysite/settings_api.py"),
            Some(Main)
        );
    }
}
