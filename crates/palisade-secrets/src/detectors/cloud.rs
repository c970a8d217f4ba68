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
        example: r##"aws_access_key_id = AKIAKTAIPPAT6CVJJEEV"##,
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
        example: r##"aws_secret_access_key = ZyyPsgSACZYsjmwZXwJZx0oPxdNmFE8fK9vVTpgB"##,
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
        example: r##"{"type": "service_account", "project_id": "shop-prod", "private_key_id": "25ff7f75744274ccda212d0696320e526979689d", "private_key": "-----BEGIN PRIVATE KEY-----\nR+QpqDhPIyETw8P1Bpzts/+ouxwdfebrvQZ6+GSptw26RaPcneq0ZOMiunsYOsy/\n30DVkKsKsE27/Kwfh1nyekf47YVHF2j3kxiilFBACDzB1zwffnOpt29ZQBfJGU3Y\nbFwJzIUB79yQ976ddjWv1XJDDZR99NMduHDR7lb8O/OQWvJHGSpzr60jKPQYCw56\nGa6oWga5XzmFaf0zkID1ncAAOHT5hPPuN911cmghnHQ9S1bH+hxgvC6CiH7Xps9+\n25i1XpII9u/8OkGvBLO4zR9dbhP8xWuPg+uW/ZRckyilKU0vtrQ0GoxRZTzi52X8\n2z95ADzp0LZOaSpDc1XQJB+aB0RhiwAHI+r8g+SGuTwA5JvSHM1ilPOeWPBw2VVn\n-----END PRIVATE KEY-----\n", "client_email": "deploy@shop-prod.iam.gserviceaccount.com"}"##,
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
        example: r##"const mapsKey = "AIza3bopr9pihsTv0L4hDPMr3DKvoQcWBB7PFhz";"##,
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
        example: r##""DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=gIrH79OZ96jliUgitASopcyaCQzRVOhsZB/kF3mS03ZniBlcX0nHv8N+pY+cQD9zkLzmkQazn0XNf/dbYOyKGw==;EndpointSuffix=core.windows.net""##,
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
        example: r##"storage_key = "Aw9ab+Xbr9gKYUdCZanxhO2d0eQ7FUfG+sVlUljVeH9KZYGGCm00ijdJid0hHbQGFq2TXw8oH07sSFTas2E/BA==""##,
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
        example: r##"https://shopdata.blob.core.windows.net/exports/orders.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&sig=AobLCY28xjVei5SC1pFj6FSeMug%2FTQy%2BXff%2FlPjseyE%3D"##,
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
        example: r##"AZURE_CLIENT_SECRET = "xOb3Q~RXlixry3OonS1eeSToJ~EK4N8SQ1plmw6T""##,
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
        example: r##"access_key_id: LTAIK09W7AJDM5HFltJdw3aq"##,
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
        example: r##"DO_TOKEN = 'dop_v1_5812b6721896921fc1b092d68a8b78e36a895bde84085ca3b2e7a5200af5e848'"##,
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
        example: r##"HEROKU_API_KEY=HRKU-ChnpuP1lL5Q7iWZBRcrnh-vZ1A-wKdjPN24pDrxIa4rSlx55VdImoFWYKVJP"##,
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
        example: r##"VAULT_TOKEN="hvs.tj0OxpsdMIQauKjUmTMTB44lp0jRreViRNB20-ZV-mto11LGuHCR6cEvahzSIOAJNEKNcwgljlFHcslCBKk5UaCrHf7""##,
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
        example: r##"token = "6uFxRa5Iikd27t.atlasv1.KHK1ZUOGCJlehr8x5S0ABAPcig7BZkupIWvdek08E2Im4MxuTrwu7YYwGjmTjZwFSzN""##,
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
        example: r##"DATABRICKS_TOKEN: dapi6a88aa8c8c36bd3fe17033e44ef24c34"##,
        revoke: "Revoke it under User Settings → Developer → Access tokens.",
        ..Detector::BASE
    },
];
