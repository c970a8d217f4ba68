//! Messaging, e-mail and payment services: Slack, Discord, Telegram, Microsoft Teams,
//! Twilio, SendGrid, Mailgun, Mailchimp, Stripe, Square, Braintree, Shopify.

use crate::table::Detector;
use crate::validate;
use palisade_core::{Confidence, Severity};

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "slack-bot-token",
        title: "Slack bot token",
        what: "A Slack bot token (`xoxb-…`).",
        keywords: &["xoxb-"],
        pattern: r"\b(?P<secret>xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24})\b",
        entropy: 3.5,
        example: r##"SLACK_BOT_TOKEN="xoxb-212877960095-3354204191537-dO13EuPbmz2S3dFFE2AxbsBK""##,
        revoke: "Regenerate the bot token in the Slack app's OAuth & Permissions page.",
        ..Detector::BASE
    },
    Detector {
        slug: "slack-user-token",
        title: "Slack user token",
        what: "A Slack user, workspace or refresh token (`xoxp-…`, `xoxa-…`, `xoxe-…`, `xoxr-…`).",
        keywords: &["xoxp-", "xoxa-", "xoxe-", "xoxr-"],
        pattern: r"\b(?P<secret>xox[paer](?:\.xox[bp])?-[0-9]{1,13}(?:-[0-9]{10,13}){1,2}-[A-Za-z0-9]{24,64})\b",
        entropy: 3.5,
        example: r##"SLACK_USER_TOKEN="xoxp-845360405232-234828773255-4669347833724-eb7c64328c0490c257a632b96292794c""##,
        revoke: "Revoke it (`auth.revoke`) or reinstall the app to rotate its tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "slack-app-token",
        title: "Slack app-level token",
        what: "A Slack app-level token (`xapp-…`).",
        keywords: &["xapp-"],
        pattern: r"\b(?P<secret>xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64})\b",
        entropy: 3.5,
        example: r##"SLACK_APP_TOKEN="xapp-1-AMC9QL8KP8Q-4025561342277-770e4b9447a3d54ec6390bf61189639e35aeeb95210ef2a83fdf6a0b29872400""##,
        revoke: "Revoke the token in the Slack app's Basic Information page.",
        ..Detector::BASE
    },
    Detector {
        slug: "slack-webhook",
        title: "Slack incoming webhook",
        what: "A Slack incoming webhook or workflow URL: whoever has it can post to the channel.",
        keywords: &["hooks.slack.com"],
        pattern: r"(?P<secret>https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/[A-Za-z0-9]{24,})",
        entropy: 4.0,
        severity: Severity::Medium,
        example: r##"webhook_url = "https://hooks.slack.com/services/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""##,
        revoke: "Remove the webhook in the Slack app's Incoming Webhooks page and create a new one.",
        ..Detector::BASE
    },
    Detector {
        slug: "discord-bot-token",
        title: "Discord bot token",
        what: "A Discord bot token (base64 user id, timestamp and HMAC, dot-separated) in a file that mentions Discord.",
        keywords: &["discord"],
        pattern: r"\b(?P<secret>[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})\b",
        entropy: 4.0,
        confidence: Confidence::Medium,
        example: r##"DISCORD_BOT_TOKEN = "MjLkh1WFUlj-5jCjfE4VWjOv.2uE2-E.9XNJbmIWYu13hJ-z449NoyKvoT9kgRdG5RLkxg""##,
        revoke: "Reset the token in the Discord developer portal's Bot page.",
        ..Detector::BASE
    },
    Detector {
        slug: "discord-webhook",
        title: "Discord webhook",
        what: "A Discord webhook URL: whoever has it can post to the channel.",
        keywords: &["/api/webhooks/"],
        pattern: r"(?P<secret>https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68})",
        entropy: 4.0,
        severity: Severity::Medium,
        example: r##"alerts_hook = "https://discord.com/api/webhooks/595756175244802430/R6pvPaCPU7G6A9hH0OY1f3Rff3-phM7r5Bg_pWx13ee7rgKB2JQIBjksiJgTXz4dwZkZ""##,
        revoke: "Delete the webhook in the channel's Integrations settings.",
        ..Detector::BASE
    },
    Detector {
        slug: "telegram-bot-token",
        title: "Telegram bot token",
        what: "A Telegram Bot API token (`<bot id>:AA…`).",
        keywords: &[":aa"],
        pattern: r"\b(?P<secret>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"bot = Bot("5012024285:AACLxoBrhog4UP14HTtD26e8EF-Hs0MSIEj")"##,
        revoke: "Revoke it with @BotFather (`/revoke`).",
        ..Detector::BASE
    },
    Detector {
        slug: "teams-webhook",
        title: "Microsoft Teams incoming webhook",
        what: "A Microsoft Teams incoming webhook URL.",
        keywords: &["webhook.office.com"],
        pattern: r"(?P<secret>https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36})",
        entropy: 3.5,
        severity: Severity::Medium,
        example: r##"TEAMS_WEBHOOK = "https://shopcorp.webhook.office.com/webhookb2/c8b215ac-9eee-e2fe-d7d2-9ac416396351@0cacb078-b766-b4d4-e894-d345089d77b3/IncomingWebhook/caeae0ffac7cb2c8a2788fbf742b65b7/d2670e4d-2707-6e4f-2c1f-4683ac767417""##,
        revoke: "Remove the Incoming Webhook connector from the channel and add a new one.",
        ..Detector::BASE
    },
    Detector {
        slug: "twilio-api-key",
        title: "Twilio API key",
        what: "A Twilio API key sid (`SK…`) in a file that mentions Twilio.",
        keywords: &["twilio"],
        pattern: r"\b(?P<secret>SK[0-9a-f]{32})\b",
        entropy: 3.2,
        validate: Some(validate::mixed_hex),
        example: r##"twilio_api_key_sid = "SK6081598a878e2f264d9b1ecb19dd8b7c""##,
        revoke: "Delete the API key in the Twilio console (Account → API keys).",
        ..Detector::BASE
    },
    Detector {
        slug: "twilio-auth-token",
        title: "Twilio auth token",
        what: "A Twilio auth token (32 hex characters) assigned to a Twilio name.",
        keywords: &["twilio"],
        pattern: r#"(?i)twilio[a-z0-9_.-]{0,20}(?:auth|token|secret)[a-z0-9_.-]{0,20}["']?\s*(?:[:=]|=>)\s*["']?(?P<secret>[0-9a-f]{32})\b"#,
        entropy: 3.2,
        validate: Some(validate::mixed_hex),
        example: r##"TWILIO_AUTH_TOKEN = "ace327203f26e16af1d4d14aa605882a""##,
        revoke: "Rotate the auth token in the Twilio console (promote the secondary token).",
        ..Detector::BASE
    },
    Detector {
        slug: "sendgrid-api-key",
        title: "SendGrid API key",
        what: "A SendGrid API key (`SG.<22>.<43>`).",
        keywords: &["sg."],
        pattern: r"\b(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"SENDGRID_API_KEY=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"##,
        revoke: "Delete the key in Settings → API Keys.",
        ..Detector::BASE
    },
    Detector {
        slug: "mailgun-api-key",
        title: "Mailgun API key",
        what: "A Mailgun private API key (`key-…`).",
        keywords: &["key-"],
        pattern: r"\b(?P<secret>key-[0-9a-f]{32})\b",
        entropy: 3.2,
        validate: Some(validate::mixed_hex),
        confidence: Confidence::Medium,
        example: r##"mailgun_key = "key-0dc3932677172a31659a2e50add12745""##,
        revoke: "Regenerate the key in the Mailgun dashboard's API security page.",
        ..Detector::BASE
    },
    Detector {
        slug: "mailchimp-api-key",
        title: "Mailchimp API key",
        what: "A Mailchimp Marketing API key (32 hex characters and a data centre, `…-us6`).",
        keywords: &["-us"],
        pattern: r"\b(?P<secret>[0-9a-f]{32}-us[0-9]{1,2})\b",
        entropy: 3.2,
        validate: Some(validate::mixed_hex),
        example: r##"MAILCHIMP_KEY = "9328776e7f1ccacc27ad909f03fdd9e4-us14""##,
        revoke: "Revoke the key in Account → Extras → API keys.",
        ..Detector::BASE
    },
    Detector {
        slug: "stripe-secret-key",
        title: "Stripe live secret key",
        what: "A Stripe live secret or restricted key (`sk_live_…`, `rk_live_…`).",
        keywords: &["sk_live_", "rk_live_"],
        pattern: r"\b(?P<secret>[sr]k_live_[A-Za-z0-9]{24,99})\b",
        entropy: 4.0,
        severity: Severity::Critical,
        example: r##"stripe.api_key = "sk_live_srzAPX00sB6yFTapgGlMh6Zl""##,
        revoke: "Roll the key in the Stripe dashboard (Developers → API keys).",
        ..Detector::BASE
    },
    Detector {
        slug: "stripe-test-key",
        title: "Stripe test secret key",
        what: "A Stripe test-mode secret or restricted key (`sk_test_…`): no money moves, but it reads and writes the account's test data.",
        keywords: &["sk_test_", "rk_test_"],
        pattern: r"\b(?P<secret>[sr]k_test_[A-Za-z0-9]{24,99})\b",
        entropy: 4.0,
        severity: Severity::Low,
        example: r##"stripe.api_key = "sk_test_ph3wfVVNi13uruh7ZOSJmWv9""##,
        revoke: "Roll the test key in the Stripe dashboard.",
        ..Detector::BASE
    },
    Detector {
        slug: "stripe-webhook-secret",
        title: "Stripe webhook signing secret",
        what: "A Stripe webhook endpoint signing secret (`whsec_…`).",
        keywords: &["whsec_"],
        pattern: r"\b(?P<secret>whsec_[A-Za-z0-9+/]{32,})",
        entropy: 4.0,
        example: r##"STRIPE_WEBHOOK_SECRET=whsec_bfHemFInY1QZQf5pyheOVzjNivHKAraV"##,
        revoke: "Roll the endpoint's signing secret in Developers → Webhooks.",
        ..Detector::BASE
    },
    Detector {
        slug: "square-access-token",
        title: "Square access token",
        what: "A Square access token (`EAAA…`, `sq0atp-…`).",
        keywords: &["eaaa", "sq0atp-"],
        pattern: r"\b(?P<secret>EAAA[A-Za-z0-9_-]{60}|sq0atp-[0-9A-Za-z_-]{22})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"SQUARE_ACCESS_TOKEN=sq0atp-HRh8q80UtpRZGJSUFa4maG"##,
        revoke: "Revoke the token in the Square developer dashboard.",
        ..Detector::BASE
    },
    Detector {
        slug: "square-oauth-secret",
        title: "Square OAuth application secret",
        what: "A Square OAuth application secret (`sq0csp-…`).",
        keywords: &["sq0csp-"],
        pattern: r"\b(?P<secret>sq0csp-[0-9A-Za-z_-]{43})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"SQUARE_APP_SECRET=sq0csp-XjKejdD5Mjr3wDhDJky-AheyGDWnQjW2OZtnKtHH1ER"##,
        revoke: "Replace the application secret in the Square developer dashboard's OAuth page.",
        ..Detector::BASE
    },
    Detector {
        slug: "braintree-access-token",
        title: "Braintree / PayPal access token",
        what: "A Braintree (PayPal) production access token (`access_token$production$…`).",
        keywords: &["access_token$production$"],
        pattern: r"(?P<secret>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})",
        entropy: 3.5,
        severity: Severity::Critical,
        example: r##"BRAINTREE_TOKEN='access_token$production$cpgmac3dzpoc90qc$4e0f33545a3c0202219ec0605e636d32'"##,
        revoke: "Revoke the token in the PayPal / Braintree developer dashboard.",
        ..Detector::BASE
    },
    Detector {
        slug: "shopify-token",
        title: "Shopify access token or shared secret",
        what: "A Shopify admin, custom-app, private-app access token or shared secret (`shpat_…`, `shpca_…`, `shppa_…`, `shpss_…`).",
        keywords: &["shpat_", "shpca_", "shppa_", "shpss_"],
        pattern: r"\b(?P<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b",
        entropy: 3.2,
        example: r##"SHOPIFY_ACCESS_TOKEN=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"##,
        revoke: "Uninstall or rotate the app's credentials in the Shopify admin (Apps → Develop apps).",
        ..Detector::BASE
    },
];
