//! AI platforms and developer services: OpenAI, Anthropic, Hugging Face, Replicate, Groq,
//! New Relic, Linear, Postman, Doppler, Pulumi, Grafana, Supabase, PlanetScale, Sentry,
//! Figma, Mapbox, Notion, Airtable, Dropbox.

use crate::table::Detector;

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "openai-api-key",
        title: "OpenAI API key",
        what: "An OpenAI API key (`sk-…T3BlbkFJ…`, including project, service-account and admin keys).",
        keywords: &["t3blbkfj"],
        pattern: r"\b(?P<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})",
        entropy: 4.0,
        example: r##"client = OpenAI(api_key="sk-proj-S78b1YGjkMHlWlkLEVLam3SOSnkUyX06CmlUa3yuT3BlbkFJzXxwG9veCQZk8FyzWN13y4T_HkInf5lNT2wAvR4a")"##,
        revoke: "Delete the key in the OpenAI platform's API keys page and check its usage.",
        ..Detector::BASE
    },
    Detector {
        slug: "anthropic-api-key",
        title: "Anthropic API key",
        what: "An Anthropic API or admin key (`sk-ant-api03-…`, `sk-ant-admin01-…`).",
        keywords: &["sk-ant-"],
        pattern: r"\b(?P<secret>sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,100}AA)(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"ANTHROPIC_API_KEY = "sk-ant-api03-vV_lOt9WmNWUqkW97yRf1uyhNxfTtBQqpHTlkm_kGSRYE4Hpr9ywgjiteMz2KolEbQVPlcWK8w5P1qY380MAV0MTMXU23AA""##,
        revoke: "Delete the key in the Anthropic Console's API keys page.",
        ..Detector::BASE
    },
    Detector {
        slug: "huggingface-token",
        title: "Hugging Face access token",
        what: "A Hugging Face user access token (`hf_…`).",
        keywords: &["hf_"],
        pattern: r"\b(?P<secret>hf_[A-Za-z]{34})\b",
        entropy: 4.0,
        example: r##"HF_TOKEN = "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""##,
        revoke: "Invalidate the token in Settings → Access Tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "replicate-api-token",
        title: "Replicate API token",
        what: "A Replicate API token (`r8_…`).",
        keywords: &["r8_"],
        pattern: r"\b(?P<secret>r8_[A-Za-z0-9]{37})\b",
        entropy: 4.0,
        example: r##"REPLICATE_API_TOKEN=r8_X59Pi6jzl32Iwng8X6i4KAqYcrQAFBOmpRjLN"##,
        revoke: "Delete the token in the Replicate account's API tokens page.",
        ..Detector::BASE
    },
    Detector {
        slug: "groq-api-key",
        title: "Groq API key",
        what: "A Groq API key (`gsk_…`).",
        keywords: &["gsk_"],
        pattern: r"\b(?P<secret>gsk_[A-Za-z0-9]{52})\b",
        entropy: 4.0,
        example: r##"GROQ_API_KEY = "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""##,
        revoke: "Delete the key in the Groq console.",
        ..Detector::BASE
    },
    Detector {
        slug: "newrelic-api-key",
        title: "New Relic user API key",
        what: "A New Relic user API key (`NRAK-…`).",
        keywords: &["nrak-"],
        pattern: r"\b(?P<secret>NRAK-[A-Z0-9]{27})\b",
        entropy: 4.0,
        example: r##"NEW_RELIC_API_KEY=NRAK-UI8D93V43NVXPEGHUBBOXEE5DM3"##,
        revoke: "Delete the key in the New Relic API keys UI.",
        ..Detector::BASE
    },
    Detector {
        slug: "linear-api-key",
        title: "Linear API key",
        what: "A Linear personal API key (`lin_api_…`).",
        keywords: &["lin_api_"],
        pattern: r"\b(?P<secret>lin_api_[A-Za-z0-9]{40})\b",
        entropy: 4.0,
        example: r##"LINEAR_API_KEY=lin_api_1j8R5BXIqWolM6Eolcp3ENuylRAOej4xQCKJLWkB"##,
        revoke: "Revoke the key in Linear's Settings → API.",
        ..Detector::BASE
    },
    Detector {
        slug: "postman-api-key",
        title: "Postman API key",
        what: "A Postman API key (`PMAK-…`).",
        keywords: &["pmak-"],
        pattern: r"\b(?P<secret>PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
        entropy: 3.5,
        example: r##"POSTMAN_API_KEY=PMAK-6e4644e0d4887d6e120a5787-57563e68d1f0e22d4ae56ad7675dbd9956"##,
        revoke: "Delete the key in Postman's Settings → API keys.",
        ..Detector::BASE
    },
    Detector {
        slug: "doppler-token",
        title: "Doppler token",
        what: "A Doppler personal, service or CLI token (`dp.pt.…`, `dp.st.…`, `dp.ct.…`).",
        keywords: &["dp.pt.", "dp.st.", "dp.ct.", "dp.sa."],
        pattern: r"\b(?P<secret>dp\.(?:pt|st|ct|sa)\.[A-Za-z0-9]{40,44})\b",
        entropy: 4.0,
        example: r##"DOPPLER_TOKEN=dp.pt.VHNXv1MZYoxKeyU7LGOdcaosG1NpO4NpweY0HvLIqVA"##,
        revoke: "Revoke the token in the Doppler dashboard.",
        ..Detector::BASE
    },
    Detector {
        slug: "pulumi-token",
        title: "Pulumi access token",
        what: "A Pulumi Cloud access token (`pul-…`).",
        keywords: &["pul-"],
        pattern: r"\b(?P<secret>pul-[a-f0-9]{40})\b",
        entropy: 3.2,
        example: r##"PULUMI_ACCESS_TOKEN=pul-25491215310a53e5356b6b3dacd8e7f05554b1e1"##,
        revoke: "Delete the token in Pulumi Cloud's Access tokens page.",
        ..Detector::BASE
    },
    Detector {
        slug: "grafana-token",
        title: "Grafana service account or Cloud token",
        what: "A Grafana service account token (`glsa_…`) or Grafana Cloud access policy token (`glc_…`).",
        keywords: &["glsa_", "glc_"],
        pattern: r"\b(?P<secret>glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})",
        entropy: 4.0,
        example: r##"GRAFANA_TOKEN = "glc_fGHoNDwWyWXRnaipfmHTftKPhyiUz72lr9phI3ctYlly8MesOsFGqW2SU155sovu2DTcUuj5kILrxcBz8fqm7fBrWGLAAwxEUsoEGGw3EAwdJn4eOYdszSD6""##,
        revoke: "Delete the token in Grafana's service accounts, or in the Cloud portal's access policies.",
        ..Detector::BASE
    },
    Detector {
        slug: "supabase-token",
        title: "Supabase access token",
        what: "A Supabase personal access token (`sbp_…`).",
        keywords: &["sbp_"],
        pattern: r"\b(?P<secret>sbp_[a-f0-9]{40})\b",
        entropy: 3.2,
        example: r##"SUPABASE_ACCESS_TOKEN=sbp_c02d384db001dc5bb4bb84554433593fde017d47"##,
        revoke: "Revoke the token in the Supabase dashboard's Access Tokens page.",
        ..Detector::BASE
    },
    Detector {
        slug: "planetscale-password",
        title: "PlanetScale password or token",
        what: "A PlanetScale database password or service token (`pscale_pw_…`, `pscale_tkn_…`).",
        keywords: &["pscale_"],
        pattern: r"\b(?P<secret>pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.-]{32,64})",
        entropy: 4.0,
        example: r##"DATABASE_PASSWORD=pscale_pw_FK7a5g6DOpLTQtXwBUx0SoCPqBakgVYgS4prt8JA97O"##,
        revoke: "Delete the password or service token in the PlanetScale dashboard.",
        ..Detector::BASE
    },
    Detector {
        slug: "sentry-auth-token",
        title: "Sentry auth token",
        what: "A Sentry organization or user auth token (`sntrys_…`, `sntryu_…`).",
        keywords: &["sntrys_", "sntryu_"],
        pattern: r"\b(?P<secret>sntrys_eyJ[A-Za-z0-9+/=_-]{60,}|sntryu_[a-f0-9]{64})",
        entropy: 4.0,
        example: r##"SENTRY_AUTH_TOKEN=sntrys_eyJ2RzcXugtzJpoELLU6kollBV6NCHvV2j8vLsQtzSIQ9K9fBjAMH3xhsFL2sBv3RRC9noNW77vHSWPcG1POBOo0lN7mK"##,
        revoke: "Revoke the token in Sentry's Settings → Auth Tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "figma-token",
        title: "Figma personal access token",
        what: "A Figma personal access token (`figd_…`).",
        keywords: &["figd_"],
        pattern: r"\b(?P<secret>figd_[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.0,
        example: r##"FIGMA_TOKEN=figd_5_yPM8MNXHLebHzEHZdcPSueGk_vL7DA4IY8M22T"##,
        revoke: "Revoke the token in Figma's Settings → Security.",
        ..Detector::BASE
    },
    Detector {
        slug: "mapbox-secret-token",
        title: "Mapbox secret token",
        what: "A Mapbox secret access token (`sk.eyJ…`; public `pk.` tokens are not reported).",
        keywords: &["sk.eyj"],
        pattern: r"\b(?P<secret>sk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{22})\b",
        entropy: 4.0,
        example: r##"MAPBOX_SECRET=sk.eyJYVHdo5SCRulxi-3jpQKi_pKJsNyQPVjCXZiFzamRet0cWHGLbCtxttOCJqMJ.eStnZJCNOKyOu-C2Pu4DtR"##,
        revoke: "Delete the token in the Mapbox account's Access tokens page.",
        ..Detector::BASE
    },
    Detector {
        slug: "notion-token",
        title: "Notion integration token",
        what: "A Notion integration token (`ntn_…`).",
        keywords: &["ntn_"],
        pattern: r"\b(?P<secret>ntn_[0-9]{11}[A-Za-z0-9]{35})\b",
        entropy: 4.0,
        example: r##"NOTION_TOKEN=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"##,
        revoke: "Refresh the integration's secret in Notion's My integrations page.",
        ..Detector::BASE
    },
    Detector {
        slug: "airtable-token",
        title: "Airtable personal access token",
        what: "An Airtable personal access token (`pat….…`).",
        keywords: &["pat"],
        pattern: r"\b(?P<secret>pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b",
        entropy: 3.5,
        example: r##"AIRTABLE_TOKEN=pat9yHvrF7Z1Q52dS.9e233c90cb4f20047226249de87a13d9133d268f95d09ea9823fa7b3a99b7d87"##,
        revoke: "Delete the token in Airtable's developer hub.",
        ..Detector::BASE
    },
    Detector {
        slug: "dropbox-token",
        title: "Dropbox access token",
        what: "A Dropbox short-lived access token (`sl.…`).",
        keywords: &["sl."],
        pattern: r"\b(?P<secret>sl\.[A-Za-z0-9_-]{130,152})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 4.5,
        example: r##"DROPBOX_TOKEN=sl.tSmx1um0CTpWU3CxrBVvaR7l4F2-IpJxYipKOBgtObf6lD4gWXZtvvxxeEMEVGQHQ_gOgvz5M7Mv98v32zqBqTH6qUhd-ro71f4tPSg13C7s-_lCme1nXq8_mD-CpD_t3Eyc5rZ0yVix"##,
        revoke: "Revoke the token (`/2/auth/token/revoke`) or the app's access in the Dropbox account.",
        ..Detector::BASE
    },
];
