//! Cloud providers: AWS, Google Cloud, Azure, Alibaba, DigitalOcean, Heroku, HashiCorp,
//! Databricks.

use crate::table::Detector;
use crate::validate;
use palisade_core::Confidence;

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "aws-access-key",
        title: "AWS access key",
        what: "An AWS access key id (`AKIA…`, `ASIA…`); reported with high confidence when its secret access key is within a few lines.",
        keywords: &["akia", "asia", "abia", "acca"],
        pattern: r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        entropy: 3.0,
        confidence: Confidence::Medium,
        example: r##"aws_access_key_id = AKIAUJZDEGXDNCF32EPF"##,
        revoke: "Deactivate and delete the key in IAM (`aws iam delete-access-key`), then check CloudTrail for its use.",
        ..Detector::BASE
    },
    Detector {
        slug: "aws-secret-key",
        title: "AWS secret access key",
        what: "A 40-character AWS secret access key assigned to a name that says so (`aws_secret_access_key`, `AWS_SECRET_KEY`).",
        keywords: &["aws"],
        pattern: r#"(?i)aws[a-z0-9_.-]{0,20}(?:secret|sk)[a-z0-9_.-]{0,20}["']?\s*(?:[:=]|=>)\s*["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|\z)"#,
        entropy: 4.0,
        example: r##"aws_secret_access_key = DOlC87Q/sexwkcVNVAc/hva9FrLhJ+r59ehi/w8B"##,
        revoke: "Deactivate and delete the key in IAM, then check CloudTrail for its use.",
        ..Detector::BASE
    },
    Detector {
        slug: "gcp-service-account-key",
        title: "Google Cloud service account key",
        what: "The private key of a Google Cloud service-account JSON key file (`\"type\": \"service_account\"`).",
        keywords: &["service_account"],
        pattern: r#""private_key"\s*:\s*"(?P<secret>-----BEGIN PRIVATE KEY-----[^"]{64,})""#,
        entropy: 4.0,
        owasp: palisade_core::Owasp::A02,
        example: r##"{"type": "service_account", "project_id": "shop-prod", "private_key_id": "5c9cfc4b1d85a6c844be645a80d5282639fa798b", "private_key": "-----BEGIN PRIVATE KEY-----\n7aVdkRnj2YKIgy79hDcjBBdUO1A6HwxrLggX63p73uCosuC6NsJoTcC6ojQkjq6Y\ndsZ4KgpYjtM1zVX65x67NXAbHrm/vlWlhcfxhJSPJeuvpQynRJYBfpPBa5INIVRt\noGsRbj2PhFyEZCVtQl9M+JsXcARSuB1lfnIslx5dCT2QAybfDfC1Sd53rFLoDujk\nPNarPXJB07Lfy+d4cWMdOy/Mzt3K210dWZfR/LS3yXXqJfcPbLs3EbnPcaqUecnk\n7+7DnSEZspYCa2g/gO23uv8fljpwVzeS5FMXcJzQ2C66uIRU9/G68xBT35sEHEBp\n758so4BX1whyH1KPNCvdTomeJub6g0RB6ZWvRnLIuSdLQ7NwNuibKpYxcSHgNrlV\n-----END PRIVATE KEY-----\n", "client_email": "deploy@shop-prod.iam.gserviceaccount.com"}"##,
        revoke: "Delete the key in IAM & Admin → Service Accounts → Keys (`gcloud iam service-accounts keys delete`).",
        ..Detector::BASE
    },
    Detector {
        slug: "gcp-api-key",
        title: "Google API key",
        what: "A Google Cloud / Firebase API key (`AIza…`). Browser keys are public by design, so the finding has medium confidence: restrict the key if it is one.",
        keywords: &["aiza"],
        pattern: r"\b(?P<secret>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|\z)",
        entropy: 3.8,
        confidence: Confidence::Medium,
        example: r##"const mapsKey = "AIzaT1-NXa0IrleG6woopoDzp7O8QuKEh6D0JCk";"##,
        revoke: "Delete or regenerate the key in APIs & Services → Credentials, and restrict its replacement by API and referrer.",
        ..Detector::BASE
    },
    Detector {
        slug: "google-oauth-client-secret",
        title: "Google OAuth client secret",
        what: "A Google OAuth 2.0 client secret (`GOCSPX-…`).",
        keywords: &["gocspx-"],
        pattern: r"\b(?P<secret>GOCSPX-[0-9A-Za-z_-]{28})(?:[^0-9A-Za-z_-]|\z)",
        entropy: 3.8,
        example: r##"client_secret = "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""##,
        revoke: "Reset the client secret in APIs & Services → Credentials.",
        ..Detector::BASE
    },
    Detector {
        slug: "azure-storage-connection-string",
        title: "Azure Storage connection string",
        what: "An Azure Storage connection string with its account key (`DefaultEndpointsProtocol=…;AccountKey=…`).",
        keywords: &["accountkey"],
        pattern: r"(?i)DefaultEndpointsProtocol=[^;\s]+;\s*AccountName=[^;\s]+;\s*AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)",
        entropy: 4.5,
        validate: Some(validate::azure_storage_key),
        example: r##""DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=4yz0y6EYhJ8m3GAgTTeVw1V4FO56VsllNfXFWAX3feR9MzKLgPD4HrDZdcb3vzmZwxlW9SYaMMiPuaRRXK8UaQ==;EndpointSuffix=core.windows.net""##,
        revoke: "Rotate the account key in the storage account's Access keys blade; prefer Entra ID or SAS with an expiry.",
        ..Detector::BASE
    },
    Detector {
        slug: "azure-storage-key",
        title: "Azure Storage account key",
        what: "An Azure Storage account key (88 base64 characters) assigned to a name that says so.",
        keywords: &[
            "accountkey",
            "account_key",
            "storage_key",
            "storagekey",
            "azure",
        ],
        pattern: r#"(?i)(?:account|storage)[_.-]?key["']?\s*(?:[:=]|=>)\s*["']?(?P<secret>[A-Za-z0-9+/]{86}==)"#,
        entropy: 4.5,
        validate: Some(validate::azure_storage_key),
        example: r##"storage_key = "iCaGggTfcMYumwHGzCYsJHmeuR6OD1OuhIeOe8jGG+KPDj8wRgrFGYFzjwfC5OkQcVOc+YGbgzOxRnOCiM56gQ==""##,
        revoke: "Rotate the account key in the storage account's Access keys blade.",
        ..Detector::BASE
    },
    Detector {
        slug: "azure-sas-token",
        title: "Azure shared access signature",
        what: "An Azure shared access signature in a URL (`?sv=…&sig=…`).",
        keywords: &["sig="],
        pattern: r#"(?i)[?&]sv=\d{4}-\d\d-\d\d&[^\s"'<>]{0,300}?sig=(?P<secret>[A-Za-z0-9%+/]{40,}(?:%3D|=)*)"#,
        entropy: 4.0,
        confidence: Confidence::Medium,
        example: r##"https://shopdata.blob.core.windows.net/exports/orders.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&sig=RSJ2%2FjW93DU%2BJQfloqqslUUhfGlc8uUAb2uyDoH%2F%2FBo%3D"##,
        revoke: "Revoke the stored access policy it uses, or rotate the account key that signed it.",
        ..Detector::BASE
    },
    Detector {
        slug: "azure-ad-client-secret",
        title: "Microsoft Entra ID client secret",
        what: "A Microsoft Entra ID (Azure AD) application client secret (`…Q~…`).",
        keywords: &["q~"],
        pattern: r"(?:^|[^A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|\z)",
        entropy: 4.0,
        example: r##"AZURE_CLIENT_SECRET = "LQC5Q~eBk2hwu2ngb-8ETDAXY5NYGsXpJ-~fBZ7N""##,
        revoke: "Delete the secret in the app registration's Certificates & secrets blade.",
        ..Detector::BASE
    },
    Detector {
        slug: "alibaba-access-key",
        title: "Alibaba Cloud access key id",
        what: "An Alibaba Cloud AccessKey id (`LTAI…`).",
        keywords: &["ltai"],
        pattern: r"\b(?P<secret>LTAI[A-Za-z0-9]{20})\b",
        entropy: 3.5,
        validate: Some(validate::random_base62),
        confidence: Confidence::Medium,
        example: r##"access_key_id: LTAI01kWZCWUFxS6gqfRgVYr"##,
        revoke: "Disable and delete the AccessKey pair in the RAM console.",
        ..Detector::BASE
    },
    Detector {
        slug: "digitalocean-token",
        title: "DigitalOcean token",
        what: "A DigitalOcean personal access, OAuth or refresh token (`dop_v1_…`, `doo_v1_…`, `dor_v1_…`).",
        keywords: &["_v1_"],
        pattern: r"\b(?P<secret>do[opr]_v1_[a-f0-9]{64})\b",
        entropy: 3.5,
        example: r##"DO_TOKEN = 'dop_v1_028d512c9791e558e08baa7196b50ac2f86702824c1c099724caf4941d407201'"##,
        revoke: "Delete the token under API → Tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "heroku-api-key",
        title: "Heroku API key",
        what: "A Heroku API key: `HRKU-…`, or a UUID assigned to a Heroku name.",
        keywords: &["heroku", "hrku-"],
        pattern: r#"(?i)(?:\b(?P<secret>HRKU-[A-Za-z0-9_-]{60})\b|heroku[a-z0-9_.-]{0,20}(?:key|token|secret)["']?\s*(?:[:=]|=>)\s*["']?(?P<secret2>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)"#,
        entropy: 3.0,
        example: r##"HEROKU_API_KEY=HRKU-SgTfPtXh3da1YHRkElhFNsWBv_dk5hrXNy_gHVXCUVV4PUG_i_l7OTsyO5h5"##,
        revoke: "Regenerate the API key in Account settings (`heroku authorizations:revoke`).",
        ..Detector::BASE
    },
    Detector {
        slug: "vault-token",
        title: "HashiCorp Vault token",
        what: "A HashiCorp Vault service or batch token (`hvs.…`, `hvb.…`).",
        keywords: &["hvs.", "hvb."],
        pattern: r"\b(?P<secret>hv[sb]\.[A-Za-z0-9_-]{90,})",
        entropy: 4.0,
        example: r##"VAULT_TOKEN="hvs.BIXkGZEkT_-o3K0-vpcIrimeFg0fhoFP1bWl8on9ksZ6ZD6aJVYteOls3pQA6qvHa-6GLyrhacWXpUczoFLK9Q_Svgv""##,
        revoke: "Revoke it (`vault token revoke`).",
        ..Detector::BASE
    },
    Detector {
        slug: "terraform-cloud-token",
        title: "Terraform Cloud / Enterprise token",
        what: "A Terraform Cloud or Enterprise API token (`….atlasv1.…`).",
        keywords: &["atlasv1"],
        pattern: r"\b(?P<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})",
        entropy: 4.0,
        example: r##"token = "EgRxNEV2iLjQNh.atlasv1.PC0pIlsW4DVCJnqCETEGmuI6ydVdBvEVQwg3yc9xP3D1c9Q3j3BPSvjuKk75xALCBfx""##,
        revoke: "Delete the token under User or Organization settings → Tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "databricks-token",
        title: "Databricks personal access token",
        what: "A Databricks personal access token (`dapi…`).",
        keywords: &["dapi"],
        pattern: r"\b(?P<secret>dapi[a-f0-9]{32}(?:-\d)?)\b",
        entropy: 3.2,
        validate: Some(validate::mixed_hex),
        example: r##"DATABRICKS_TOKEN: dapia8902073fec8df4f50947aaeb26c57d2"##,
        revoke: "Revoke it under User Settings → Developer → Access tokens.",
        ..Detector::BASE
    },
];
