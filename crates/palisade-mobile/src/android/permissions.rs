//! The permission inventory behind `palisade permissions`: the dangerous (runtime) and
//! special (app-op / settings-screen) permissions each manifest requests, and the places in
//! the project's Java and Kotlin code that use an API needing them. A permission requested
//! and used nowhere in the project is the minimisation advice (low: a library may need it).
//!
//! Source of the table: the protection levels of Android's `Manifest.permission` reference
//! (developer.android.com/reference/android/Manifest.permission, "Protection level:
//! dangerous" and the special permissions of the "Request special permissions" guide), and
//! for each permission the API reference pages that say "Requires
//! android.Manifest.permission.X" (CameraManager.openCamera, LocationManager,
//! AudioRecord, SmsManager, …). The API names are matched as words in the source: a use is
//! a name that appears, not a proven call, which is the right strength for an inventory.

use crate::android::project::{Project, SetKind, place_of};
use palisade_core::Span;

/// Dangerous permissions need a runtime grant; special ones a settings screen or app-op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Dangerous,
    Special,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Dangerous => "dangerous",
            Level::Special => "special",
        }
    }
}

#[derive(Debug)]
/// One permission and the API names (classes, methods, constants) that need it.
pub struct Permission {
    pub name: &'static str,
    pub level: Level,
    pub apis: &'static [&'static str],
}

const LOCATION: &[&str] = &[
    "LocationManager",
    "FusedLocationProviderClient",
    "LocationServices",
    "requestLocationUpdates",
    "getLastKnownLocation",
    "getCurrentLocation",
    "getLastLocation",
    "GeofencingClient",
    "LocationRequest",
];
const STORAGE: &[&str] = &[
    "getExternalStorageDirectory",
    "getExternalStoragePublicDirectory",
    "EXTERNAL_CONTENT_URI",
    "MediaStore",
    "Environment.DIRECTORY_",
];
const PHONE_STATE: &[&str] = &[
    "TelephonyManager",
    "SubscriptionManager",
    "PhoneStateListener",
    "TelephonyCallback",
    "getDeviceId",
    "getSubscriberId",
    "getLine1Number",
    "getImei",
];
const SMS_IN: &[&str] = &[
    "SmsMessage",
    "getMessagesFromIntent",
    "SMS_RECEIVED",
    "Telephony.Sms",
];
const BLUETOOTH: &[&str] = &[
    "BluetoothAdapter",
    "BluetoothDevice",
    "BluetoothGatt",
    "BluetoothManager",
    "connectGatt",
    "BluetoothSocket",
];

/// The table: the dangerous permissions of the platform and the special permissions apps
/// commonly request.
pub static PERMISSIONS: &[Permission] = &[
    Permission {
        name: "android.permission.CAMERA",
        level: Level::Dangerous,
        apis: &[
            "CameraManager",
            "CameraDevice",
            "openCamera",
            "Camera.open",
            "ProcessCameraProvider",
            "CameraSelector",
            "CameraX",
            "ImageCapture",
            "CameraSource",
            "BarcodeScanner",
            "PreviewView",
            "DecoratedBarcodeView",
            "CameraView",
        ],
    },
    Permission {
        name: "android.permission.ACCESS_FINE_LOCATION",
        level: Level::Dangerous,
        apis: LOCATION,
    },
    Permission {
        name: "android.permission.ACCESS_COARSE_LOCATION",
        level: Level::Dangerous,
        apis: LOCATION,
    },
    Permission {
        name: "android.permission.ACCESS_BACKGROUND_LOCATION",
        level: Level::Dangerous,
        apis: LOCATION,
    },
    Permission {
        name: "android.permission.ACCESS_MEDIA_LOCATION",
        level: Level::Dangerous,
        apis: &["setRequireOriginal", "ExifInterface"],
    },
    Permission {
        name: "android.permission.READ_CONTACTS",
        level: Level::Dangerous,
        apis: &["ContactsContract"],
    },
    Permission {
        name: "android.permission.WRITE_CONTACTS",
        level: Level::Dangerous,
        apis: &["ContactsContract"],
    },
    Permission {
        name: "android.permission.GET_ACCOUNTS",
        level: Level::Dangerous,
        apis: &["AccountManager", "getAccounts", "getAccountsByType"],
    },
    Permission {
        name: "android.permission.READ_CALENDAR",
        level: Level::Dangerous,
        apis: &["CalendarContract"],
    },
    Permission {
        name: "android.permission.WRITE_CALENDAR",
        level: Level::Dangerous,
        apis: &["CalendarContract"],
    },
    Permission {
        name: "android.permission.RECORD_AUDIO",
        level: Level::Dangerous,
        apis: &[
            "AudioRecord",
            "MediaRecorder",
            "SpeechRecognizer",
            "AudioSource.MIC",
        ],
    },
    Permission {
        name: "android.permission.READ_PHONE_STATE",
        level: Level::Dangerous,
        apis: PHONE_STATE,
    },
    Permission {
        name: "android.permission.READ_PHONE_NUMBERS",
        level: Level::Dangerous,
        apis: &["getLine1Number", "SubscriptionManager", "TelephonyManager"],
    },
    Permission {
        name: "android.permission.CALL_PHONE",
        level: Level::Dangerous,
        apis: &["ACTION_CALL", "placeCall", "TelecomManager"],
    },
    Permission {
        name: "android.permission.ANSWER_PHONE_CALLS",
        level: Level::Dangerous,
        apis: &["acceptRingingCall", "endCall", "TelecomManager"],
    },
    Permission {
        name: "android.permission.READ_CALL_LOG",
        level: Level::Dangerous,
        apis: &["CallLog"],
    },
    Permission {
        name: "android.permission.WRITE_CALL_LOG",
        level: Level::Dangerous,
        apis: &["CallLog"],
    },
    Permission {
        name: "android.permission.ADD_VOICEMAIL",
        level: Level::Dangerous,
        apis: &["VoicemailContract"],
    },
    Permission {
        name: "android.permission.USE_SIP",
        level: Level::Dangerous,
        apis: &["SipManager"],
    },
    Permission {
        name: "android.permission.BODY_SENSORS",
        level: Level::Dangerous,
        apis: &["TYPE_HEART_RATE", "HealthServices", "HealthServicesClient"],
    },
    Permission {
        name: "android.permission.ACTIVITY_RECOGNITION",
        level: Level::Dangerous,
        apis: &[
            "ActivityRecognition",
            "ActivityRecognitionClient",
            "TYPE_STEP_COUNTER",
            "TYPE_STEP_DETECTOR",
        ],
    },
    Permission {
        name: "android.permission.SEND_SMS",
        level: Level::Dangerous,
        apis: &["SmsManager", "sendTextMessage"],
    },
    Permission {
        name: "android.permission.RECEIVE_SMS",
        level: Level::Dangerous,
        apis: SMS_IN,
    },
    Permission {
        name: "android.permission.READ_SMS",
        level: Level::Dangerous,
        apis: SMS_IN,
    },
    Permission {
        name: "android.permission.RECEIVE_MMS",
        level: Level::Dangerous,
        apis: &["Telephony.Mms", "WAP_PUSH"],
    },
    Permission {
        name: "android.permission.RECEIVE_WAP_PUSH",
        level: Level::Dangerous,
        apis: &["WAP_PUSH"],
    },
    Permission {
        name: "android.permission.READ_EXTERNAL_STORAGE",
        level: Level::Dangerous,
        apis: STORAGE,
    },
    Permission {
        name: "android.permission.WRITE_EXTERNAL_STORAGE",
        level: Level::Dangerous,
        apis: STORAGE,
    },
    Permission {
        name: "android.permission.READ_MEDIA_IMAGES",
        level: Level::Dangerous,
        apis: &["MediaStore", "EXTERNAL_CONTENT_URI"],
    },
    Permission {
        name: "android.permission.READ_MEDIA_VIDEO",
        level: Level::Dangerous,
        apis: &["MediaStore", "EXTERNAL_CONTENT_URI"],
    },
    Permission {
        name: "android.permission.READ_MEDIA_AUDIO",
        level: Level::Dangerous,
        apis: &["MediaStore", "EXTERNAL_CONTENT_URI"],
    },
    Permission {
        name: "android.permission.POST_NOTIFICATIONS",
        level: Level::Dangerous,
        apis: &[
            "NotificationManager",
            "NotificationManagerCompat",
            "NotificationCompat",
        ],
    },
    Permission {
        name: "android.permission.BLUETOOTH_SCAN",
        level: Level::Dangerous,
        apis: &["BluetoothLeScanner", "startDiscovery", "BluetoothAdapter"],
    },
    Permission {
        name: "android.permission.BLUETOOTH_CONNECT",
        level: Level::Dangerous,
        apis: BLUETOOTH,
    },
    Permission {
        name: "android.permission.BLUETOOTH_ADVERTISE",
        level: Level::Dangerous,
        apis: &["BluetoothLeAdvertiser"],
    },
    Permission {
        name: "android.permission.NEARBY_WIFI_DEVICES",
        level: Level::Dangerous,
        apis: &["WifiP2pManager", "WifiAwareManager"],
    },
    Permission {
        name: "android.permission.UWB_RANGING",
        level: Level::Dangerous,
        apis: &["UwbManager"],
    },
    Permission {
        name: "android.permission.SYSTEM_ALERT_WINDOW",
        level: Level::Special,
        apis: &[
            "TYPE_APPLICATION_OVERLAY",
            "canDrawOverlays",
            "ACTION_MANAGE_OVERLAY_PERMISSION",
            "TYPE_SYSTEM_ALERT",
        ],
    },
    Permission {
        name: "android.permission.WRITE_SETTINGS",
        level: Level::Special,
        apis: &[
            "Settings.System.put",
            "ACTION_MANAGE_WRITE_SETTINGS",
            "Settings.System.canWrite",
        ],
    },
    Permission {
        name: "android.permission.MANAGE_EXTERNAL_STORAGE",
        level: Level::Special,
        apis: &[
            "isExternalStorageManager",
            "ACTION_MANAGE_ALL_FILES_ACCESS_PERMISSION",
            "ACTION_MANAGE_APP_ALL_FILES_ACCESS_PERMISSION",
        ],
    },
    Permission {
        name: "android.permission.REQUEST_INSTALL_PACKAGES",
        level: Level::Special,
        apis: &[
            "PackageInstaller",
            "canRequestPackageInstalls",
            "ACTION_INSTALL_PACKAGE",
            "application/vnd.android.package-archive",
        ],
    },
    Permission {
        name: "android.permission.PACKAGE_USAGE_STATS",
        level: Level::Special,
        apis: &["UsageStatsManager"],
    },
    Permission {
        name: "android.permission.SCHEDULE_EXACT_ALARM",
        level: Level::Special,
        apis: &[
            "setExact",
            "setExactAndAllowWhileIdle",
            "setAlarmClock",
            "canScheduleExactAlarms",
        ],
    },
    Permission {
        name: "android.permission.USE_EXACT_ALARM",
        level: Level::Special,
        apis: &["setExact", "setExactAndAllowWhileIdle", "setAlarmClock"],
    },
    Permission {
        name: "android.permission.USE_FULL_SCREEN_INTENT",
        level: Level::Special,
        apis: &["setFullScreenIntent"],
    },
    Permission {
        name: "android.permission.REQUEST_IGNORE_BATTERY_OPTIMIZATIONS",
        level: Level::Special,
        apis: &["ACTION_REQUEST_IGNORE_BATTERY_OPTIMIZATIONS"],
    },
    Permission {
        name: "android.permission.ACCESS_NOTIFICATION_POLICY",
        level: Level::Special,
        apis: &[
            "setInterruptionFilter",
            "isNotificationPolicyAccessGranted",
            "setNotificationPolicy",
        ],
    },
    Permission {
        name: "android.permission.QUERY_ALL_PACKAGES",
        level: Level::Special,
        apis: &[
            "getInstalledPackages",
            "getInstalledApplications",
            "queryIntentActivities",
        ],
    },
    Permission {
        name: "android.permission.MANAGE_MEDIA",
        level: Level::Special,
        apis: &[
            "createWriteRequest",
            "createTrashRequest",
            "createDeleteRequest",
            "canManageMedia",
        ],
    },
];

/// The table entry of a permission name.
pub fn lookup(name: &str) -> Option<&'static Permission> {
    PERMISSIONS.iter().find(|p| p.name == name)
}

/// Where one file of code names one API of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiUse {
    pub api: &'static str,
    pub line: u32,
}

/// Every API of the table a Java or Kotlin file names (as a word), with its line; comments
/// and imports are skipped, and each API is kept once per file (its first use).
pub fn api_uses(text: &str) -> Vec<ApiUse> {
    let mut all: Vec<&'static str> = PERMISSIONS
        .iter()
        .flat_map(|p| p.apis.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut out: Vec<ApiUse> = Vec::new();
    let mut in_block = false;
    for (i, raw) in text.lines().enumerate() {
        let line = strip_comments(raw, &mut in_block);
        let trimmed = line.trim_start();
        if trimmed.starts_with("import ") || trimmed.starts_with("package ") {
            continue;
        }
        for api in &all {
            if out.iter().any(|u| u.api == *api) {
                continue;
            }
            if contains_word(&line, api) {
                out.push(ApiUse {
                    api,
                    line: i as u32 + 1,
                });
            }
        }
    }
    out
}

fn strip_comments(line: &str, in_block: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_block {
            match rest.find("*/") {
                Some(end) => {
                    *in_block = false;
                    rest = &rest[end + 2..];
                }
                None => return out,
            }
        }
        let line_comment = rest.find("//");
        let block = rest.find("/*");
        match (line_comment, block) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                return out;
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                *in_block = true;
                rest = &rest[b + 2..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn contains_word(line: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = line[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        let open_end = word.ends_with(['_', '.']);
        if !before.is_some_and(is_ident) && (open_end || !after.is_some_and(is_ident)) {
            return true;
        }
        from = end;
    }
    false
}

/// One requested permission of one manifest, with the project's uses of its APIs.
#[derive(Debug)]
pub struct Entry<'a> {
    pub manifest: &'a str,
    pub module: &'a str,
    pub set: &'a str,
    pub span: Span,
    pub permission: &'static Permission,
    /// `(path, line, api)` of every file naming one of its APIs, in path order.
    pub uses: Vec<(&'a str, u32, &'static str)>,
}

/// The inventory: every dangerous or special permission of every shipped manifest (test
/// source sets are left out), in manifest order, with the uses found anywhere in the project
/// (a library module's code counts for the app that merges it).
pub fn inventory(project: &Project) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for file in &project.manifests {
        if file.place.kind == SetKind::Test {
            continue;
        }
        for (name, span) in &file.manifest.uses_permissions {
            let Some(permission) = lookup(project.resolve(name).trim()) else {
                continue;
            };
            let mut uses: Vec<(&str, u32, &'static str)> = Vec::new();
            for (path, found) in &project.api_uses {
                if place_of(path).kind == SetKind::Test {
                    continue;
                }
                for u in found {
                    if permission.apis.contains(&u.api) {
                        uses.push((path.as_str(), u.line, u.api));
                    }
                }
            }
            uses.sort();
            out.push(Entry {
                manifest: &file.path,
                module: &file.place.module,
                set: &file.place.set,
                span: *span,
                permission,
                uses,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{api_uses, lookup};

    #[test]
    fn words_outside_comments_and_imports() {
        let uses = api_uses(
            "import android.location.LocationManager\n// CameraManager here\nval lm = getSystemService(LocationManager::class.java)\nval x = MyCameraManagerX()\n/* AudioRecord\n */ val r = AudioRecord(1)\n",
        );
        let found: Vec<(&str, u32)> = uses.iter().map(|u| (u.api, u.line)).collect();
        assert_eq!(found, vec![("LocationManager", 3), ("AudioRecord", 6)]);
    }

    #[test]
    fn table_is_sound() {
        assert!(lookup("android.permission.CAMERA").is_some());
        assert!(lookup("android.permission.INTERNET").is_none());
        for p in super::PERMISSIONS {
            assert!(!p.apis.is_empty(), "{}", p.name);
            assert!(p.name.starts_with("android.permission."), "{}", p.name);
        }
    }
}
