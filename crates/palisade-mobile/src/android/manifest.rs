//! One `AndroidManifest.xml` read into an owned model: the application's attributes, its
//! components with their intent filters and permissions, the permissions it defines and
//! requests, and `uses-sdk`.

use crate::xml::{self, Attr, TOOLS_NS};
use palisade_core::Span;
use roxmltree::Node;

/// The kind of an application component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Activity,
    Service,
    Receiver,
    Provider,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Activity => "activity",
            Kind::Service => "service",
            Kind::Receiver => "receiver",
            Kind::Provider => "provider",
        }
    }
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct IntentFilter {
    pub actions: Vec<String>,
    pub categories: Vec<String>,
    pub schemes: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Component {
    pub kind: Kind,
    /// `android:name` as written (`.ui.MainActivity`).
    pub name: String,
    /// The span of `android:name`.
    pub span: Span,
    pub exported: Option<Attr>,
    pub enabled: Option<Attr>,
    pub permission: Option<String>,
    pub read_permission: Option<String>,
    pub write_permission: Option<String>,
    /// The provider has `<path-permission>` children (part of it is guarded).
    pub path_permissions: bool,
    pub grant_uri_permissions: bool,
    pub authorities: Option<String>,
    pub filters: Vec<IntentFilter>,
    /// `tools:node` (`remove`, `replace`, `merge`, …).
    pub tools_node: Option<String>,
    /// `<meta-data android:name=… android:resource=…>` pairs.
    pub meta_data: Vec<(String, String)>,
    /// `<activity-alias>`: the activity it stands for.
    pub target_activity: Option<String>,
    /// `android:taskAffinity` (activities).
    pub task_affinity: Option<Attr>,
    /// `android:allowTaskReparenting`, as written.
    pub allow_task_reparenting: Option<Attr>,
    /// `android:launchMode` (`singleTask`, …).
    pub launch_mode: Option<Attr>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PermissionDef {
    pub name: String,
    /// `android:protectionLevel` as written (`signature|privileged`); `None` is `normal`.
    pub level: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Application {
    pub span: Option<Span>,
    pub debuggable: Option<Attr>,
    pub allow_backup: Option<Attr>,
    pub full_backup_content: Option<Attr>,
    pub data_extraction_rules: Option<Attr>,
    pub uses_cleartext_traffic: Option<Attr>,
    pub network_security_config: Option<Attr>,
    pub permission: Option<String>,
    /// `android:taskAffinity` of the application: the default of its activities.
    pub task_affinity: Option<Attr>,
    pub allow_task_reparenting: Option<Attr>,
}

/// One manifest file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub package: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    pub application: Application,
    pub components: Vec<Component>,
    pub permissions: Vec<PermissionDef>,
    pub uses_permissions: Vec<(String, Span)>,
}

impl Manifest {
    /// Reads the manifest's text; an error is a message for a notice.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let doc = xml::parse(text)?;
        let root = doc.root_element();
        if root.tag_name().name() != "manifest" {
            return Err(format!(
                "root element is <{}>, not <manifest>",
                root.tag_name().name()
            ));
        }
        let mut m = Manifest {
            package: root.attribute("package").map(str::to_string),
            ..Manifest::default()
        };
        for child in root.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "uses-sdk" => {
                    m.min_sdk =
                        xml::android_value(child, "minSdkVersion").and_then(|v| v.parse().ok());
                    m.target_sdk =
                        xml::android_value(child, "targetSdkVersion").and_then(|v| v.parse().ok());
                }
                "permission" => {
                    if let Some(name) = xml::android_value(child, "name") {
                        m.permissions.push(PermissionDef {
                            name,
                            level: xml::android_value(child, "protectionLevel"),
                            span: xml::element_span(child),
                        });
                    }
                }
                "uses-permission" | "uses-permission-sdk-23" => {
                    if let Some(name) = xml::android_value(child, "name") {
                        m.uses_permissions.push((name, xml::element_span(child)));
                    }
                }
                "application" => read_application(child, &mut m),
                _ => {}
            }
        }
        Ok(m)
    }
}

fn read_application(app: Node<'_, '_>, m: &mut Manifest) {
    m.application = Application {
        span: Some(xml::element_span(app)),
        debuggable: xml::android(app, "debuggable"),
        allow_backup: xml::android(app, "allowBackup"),
        full_backup_content: xml::android(app, "fullBackupContent"),
        data_extraction_rules: xml::android(app, "dataExtractionRules"),
        uses_cleartext_traffic: xml::android(app, "usesCleartextTraffic"),
        network_security_config: xml::android(app, "networkSecurityConfig"),
        permission: xml::android_value(app, "permission"),
        task_affinity: xml::android(app, "taskAffinity"),
        allow_task_reparenting: xml::android(app, "allowTaskReparenting"),
    };
    for child in app.children().filter(Node::is_element) {
        let kind = match child.tag_name().name() {
            "activity" | "activity-alias" => Kind::Activity,
            "service" => Kind::Service,
            "receiver" => Kind::Receiver,
            "provider" => Kind::Provider,
            _ => continue,
        };
        let Some(name) = xml::android_value(child, "name") else {
            continue;
        };
        let mut component = Component {
            kind,
            name,
            // The name's line identifies the component (its fingerprint is that line's
            // text; `<activity` alone would be the same for every activity).
            span: xml::android(child, "name").map_or_else(|| xml::element_span(child), |a| a.span),
            exported: xml::android(child, "exported"),
            enabled: xml::android(child, "enabled"),
            permission: xml::android_value(child, "permission"),
            read_permission: xml::android_value(child, "readPermission"),
            write_permission: xml::android_value(child, "writePermission"),
            path_permissions: false,
            grant_uri_permissions: xml::android(child, "grantUriPermissions")
                .is_some_and(|a| a.is_true()),
            authorities: xml::android_value(child, "authorities"),
            filters: Vec::new(),
            tools_node: xml::attr(child, Some(TOOLS_NS), "node").map(|a| a.value),
            meta_data: Vec::new(),
            target_activity: xml::android_value(child, "targetActivity"),
            task_affinity: xml::android(child, "taskAffinity"),
            allow_task_reparenting: xml::android(child, "allowTaskReparenting"),
            launch_mode: xml::android(child, "launchMode"),
        };
        for inner in child.children().filter(Node::is_element) {
            match inner.tag_name().name() {
                "intent-filter" => {
                    let mut filter = IntentFilter::default();
                    for item in inner.children().filter(Node::is_element) {
                        let value = |n: &str| xml::android_value(item, n);
                        match item.tag_name().name() {
                            "action" => filter.actions.extend(value("name")),
                            "category" => filter.categories.extend(value("name")),
                            "data" => filter.schemes.extend(value("scheme")),
                            _ => {}
                        }
                    }
                    component.filters.push(filter);
                }
                "meta-data" => {
                    if let (Some(n), Some(r)) = (
                        xml::android_value(inner, "name"),
                        xml::android_value(inner, "resource"),
                    ) {
                        component.meta_data.push((n, r));
                    }
                }
                "path-permission" => component.path_permissions = true,
                _ => {}
            }
        }
        m.components.push(component);
    }
}
