//! What palisade knows of the Android platform: the protection level of the platform's own
//! permissions that guard components, and which intent actions are the platform's entry
//! points (a component listening only to them is a standard system entry point).

use super::project::Protection;

/// Platform permissions below `signature` that apps put on components believing they
/// protect them: any app can request them.
const WEAK_PLATFORM: &[(&str, &str)] = &[
    ("android.permission.INTERNET", "normal"),
    ("android.permission.RECEIVE_BOOT_COMPLETED", "normal"),
    ("android.permission.WAKE_LOCK", "normal"),
    ("android.permission.VIBRATE", "normal"),
    ("android.permission.ACCESS_NETWORK_STATE", "normal"),
    ("android.permission.FOREGROUND_SERVICE", "normal"),
    ("android.permission.POST_NOTIFICATIONS", "dangerous"),
    ("android.permission.READ_EXTERNAL_STORAGE", "dangerous"),
    ("android.permission.WRITE_EXTERNAL_STORAGE", "dangerous"),
    ("android.permission.READ_CONTACTS", "dangerous"),
    ("android.permission.WRITE_CONTACTS", "dangerous"),
    ("android.permission.CAMERA", "dangerous"),
    ("android.permission.RECORD_AUDIO", "dangerous"),
    ("android.permission.ACCESS_FINE_LOCATION", "dangerous"),
    ("android.permission.ACCESS_COARSE_LOCATION", "dangerous"),
    ("android.permission.READ_PHONE_STATE", "dangerous"),
    ("android.permission.CALL_PHONE", "dangerous"),
    ("android.permission.READ_SMS", "dangerous"),
    ("android.permission.RECEIVE_SMS", "dangerous"),
    ("android.permission.SEND_SMS", "dangerous"),
    ("com.android.launcher.permission.INSTALL_SHORTCUT", "normal"),
];

/// Platform and Play services permissions only the system (or apps signed with the
/// platform's or Google's key) can hold.
const SIGNATURE_PLATFORM: &[&str] = &[
    "android.permission.MANAGE_DOCUMENTS",
    "android.permission.BROADCAST_SMS",
    "android.permission.BROADCAST_WAP_PUSH",
    "android.permission.BROADCAST_PACKAGE_REMOVED",
    "android.permission.DUMP",
    "android.permission.INSTALL_PACKAGES",
    "android.permission.DELETE_PACKAGES",
    "android.permission.MANAGE_ACCOUNTS",
    "android.permission.ACCOUNT_MANAGER",
    "android.permission.SEND_RESPOND_VIA_MESSAGE",
    "android.permission.STATUS_BAR_SERVICE",
    "android.permission.WRITE_SECURE_SETTINGS",
    "android.permission.START_VIEW_PERMISSION_USAGE",
    "android.permission.START_VIEW_APP_FEATURES",
    "android.permission.MANAGE_OWN_CALLS",
    "com.google.android.c2dm.permission.SEND",
    "com.google.android.gms.permission.BIND_NETWORK_TASK_SERVICE",
    "com.google.android.gms.auth.api.phone.permission.SEND",
    "android.permission.DELIVER_COMPANION_MESSAGES",
];

/// The platform's protection of a permission palisade knows, else unknown.
pub fn protection(name: &str) -> Protection {
    // Every `android.permission.BIND_*` is held only by the system service that binds.
    if name.starts_with("android.permission.BIND_") || SIGNATURE_PLATFORM.contains(&name) {
        return Protection::Signature;
    }
    if let Some((_, level)) = WEAK_PLATFORM.iter().find(|(n, _)| *n == name) {
        return Protection::Weak {
            level: (*level).to_string(),
            defined_in: None,
        };
    }
    Protection::Unknown
}

/// Whether an intent action is the platform's (sent by the system, or a public action apps
/// answer by design: `MAIN`, `VIEW`, `SEND`, sync adapters, widgets, media buttons).
pub fn is_platform_action(action: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "android.",
        "com.android.",
        "androidx.",
        "com.google.android.c2dm.",
        "com.google.android.gms.",
        "com.google.firebase.",
        // Vendors' boot broadcasts (HTC's, older Samsung/Xiaomi fast boot).
        "com.htc.intent.action.QUICKBOOT_POWERON",
        "com.htc.intent.action.QUICKBOOT_POWEROFF",
    ];
    PREFIXES.iter().any(|p| action.starts_with(p))
}

/// The launcher's entry: `MAIN` with `LAUNCHER` (or a TV/car launcher category).
pub fn is_launcher(actions: &[String], categories: &[String]) -> bool {
    actions.iter().any(|a| a == "android.intent.action.MAIN")
        && categories.iter().any(|c| {
            matches!(
                c.as_str(),
                "android.intent.category.LAUNCHER"
                    | "android.intent.category.LEANBACK_LAUNCHER"
                    | "android.intent.category.HOME"
                    | "android.intent.category.INFO"
                    | "android.intent.category.CAR_LAUNCHER"
            )
        })
}
