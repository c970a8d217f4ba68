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
        example: r##"client = OpenAI(api_key="sk-pKFECoxsJ-u6073RicngLjQkvq7gLf5-_NK8oM56T3BlbkFJMRSLcEvB62XqYRwGoMhygXL2GAaVQovs1BAd2vXr")"##,
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
        example: r##"ANTHROPIC_API_KEY = "sk-ant-api03-TtxyQabqmUJVrhtykZrhtLA2dZpcVLxujI3MCquSfusEAc7ImbaiosJl583LVOKWtF6WZPuadmb9gQk3J2dxxslHDw3n9AA""##,
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
        example: r##"REPLICATE_API_TOKEN=r8_MHzqoVtbIgCzMnEFZN871LJXeh3NHwLa8iGK3"##,
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
        example: r##"NEW_RELIC_API_KEY=NRAK-8TTWLJWR2IBMLNF6TMNDYKDEKOS"##,
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
        example: r##"LINEAR_API_KEY=lin_api_p7NnQItQJD6EW3e8Zf2ErREP58O4NtPB2TDiBrvo"##,
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
        example: r##"POSTMAN_API_KEY=PMAK-42caf12cde105a20f5e1d567-b1d1dbf538f12d45553c80ca6a1b239eae"##,
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
        example: r##"DOPPLER_TOKEN=dp.pt.RFTrEj43dWTG6lUVvqTtEW23Nhgdru29vGcaQ2FOXaJ"##,
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
        example: r##"PULUMI_ACCESS_TOKEN=pul-a963392e50b76b8e0405d8fe389400f5e7a5ac79"##,
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
        example: r##"GRAFANA_TOKEN = "glsa_sheUAxbcqudpozG6ttYvDDW44MnFNFgu_81c5e78d""##,
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
        example: r##"SUPABASE_ACCESS_TOKEN=sbp_eef707c5d630856077b91dc04cfbf943e72dc40a"##,
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
        example: r##"DATABASE_PASSWORD=pscale_pw_mS8e03MSwct-_2aOu4RP-79RCiG3D9n1T7CthyhiDVa"##,
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
        example: r##"SENTRY_AUTH_TOKEN=sntrys_eyJEaTZVXHuBMFtLOPxInTbUgDqKP8xqSRYhA5gbA7PUxtjrWXNM1rYwUCpm2belc0iL5VWBrUAG4glnppU5MhthGCyob"##,
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
        example: r##"FIGMA_TOKEN=figd_g8-Mshgw5fXM6lqw4-6OEQn2Dl8a3GEVVFFDoAwi"##,
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
        example: r##"MAPBOX_SECRET=sk.eyJ5H7YBn0z2rYaElh34kHfAIX8khaz9yR5yGJK77gl6ZGKWiXUOpYQsxldkwWD.8mykK-2K0ZzjJ_upXWfF-p"##,
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
        example: r##"AIRTABLE_TOKEN=patfokCeDOHNUywr4.cc33c1ed4dff19c9dc0bb67681d901630c5973cf1e9cb63fecdcad0205852d86"##,
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
        example: r##"DROPBOX_TOKEN=sl.nRRCiGBsR3FqcEemfxPVNpjTwjMYq_9LUuX4DLEA7hzbdCiC27LlK7JlOBK5CGkhhs5d1VRMHNDdBFT3Aei0gCpc-7f9ibKQpall5VzH-j3-W3rjA6Wj9LwPC2xIqTvr_5umZEYnMm8P"##,
        revoke: "Revoke the token (`/2/auth/token/revoke`) or the app's access in the Dropbox account.",
        ..Detector::BASE
    },
];
