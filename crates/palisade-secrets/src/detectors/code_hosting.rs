//! Source hosting and CI: GitHub, GitLab, Atlassian, package registries.

use crate::table::Detector;
use crate::validate;
use palisade_core::{Confidence, Recommendation};

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "github-token",
        title: "GitHub personal access token (classic)",
        what: "A GitHub classic personal access token (`ghp_…`) whose CRC32 checksum holds.",
        keywords: &["ghp_"],
        pattern: r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b",
        validate: Some(validate::github_token),
        example: r##"token = "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""##,
        revoke: "Delete the token under Settings → Developer settings → Personal access tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "github-fine-grained-token",
        title: "GitHub fine-grained personal access token",
        what: "A GitHub fine-grained personal access token (`github_pat_…`).",
        keywords: &["github_pat_"],
        pattern: r"\b(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        entropy: 4.0,
        example: r##"GH_TOKEN=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"##,
        revoke: "Delete the token under Settings → Developer settings → Fine-grained tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "github-oauth-token",
        title: "GitHub OAuth access token",
        what: "A GitHub OAuth app access token (`gho_…`) whose CRC32 checksum holds.",
        keywords: &["gho_"],
        pattern: r"\b(?P<secret>gho_[A-Za-z0-9]{36})\b",
        validate: Some(validate::github_token),
        example: r##"oauth = "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""##,
        revoke: "Revoke the authorization (Settings → Applications) or reset the OAuth app's tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "github-app-token",
        title: "GitHub App token",
        what: "A GitHub App user-to-server, server-to-server or refresh token (`ghu_…`, `ghs_…`, `ghr_…`) whose CRC32 checksum holds.",
        keywords: &["ghu_", "ghs_", "ghr_"],
        pattern: r"\b(?P<secret>gh[usr]_[A-Za-z0-9]{36})\b",
        validate: Some(validate::github_token),
        example: r##"installation_token = "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""##,
        revoke: "Revoke the installation token or the user's authorization of the app; rotate the app's private key if it leaked too.",
        ..Detector::BASE
    },
    Detector {
        slug: "gitlab-token",
        title: "GitLab personal, project or group access token",
        what: "A GitLab access token (`glpat-…`).",
        keywords: &["glpat-"],
        pattern: r"\b(?P<secret>glpat-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?)",
        entropy: 3.5,
        example: r##"GITLAB_TOKEN=glpat-e04SJbtrk6G-T5260jcD"##,
        revoke: "Revoke the token under Access tokens of the user, project or group.",
        ..Detector::BASE
    },
    Detector {
        slug: "gitlab-runner-token",
        title: "GitLab runner token",
        what: "A GitLab runner authentication or registration token (`glrt-…`, `GR1348941…`).",
        keywords: &["glrt-", "gr1348941"],
        pattern: r"\b(?P<secret>(?:glrt-|GR1348941)[A-Za-z0-9_-]{20,})",
        entropy: 3.5,
        example: r##"runner_token: glrt-7iu_VL0573pNUK7D1PIq"##,
        revoke: "Reset the runner's token (or delete the runner) in CI/CD → Runners.",
        ..Detector::BASE
    },
    Detector {
        slug: "gitlab-deploy-token",
        title: "GitLab deploy token",
        what: "A GitLab deploy token (`gldt-…`).",
        keywords: &["gldt-"],
        pattern: r"\b(?P<secret>gldt-[A-Za-z0-9_-]{20,})",
        entropy: 3.5,
        example: r##"deploy_token = "gldt-gX6YtXbRA1LXUPKfOngU""##,
        revoke: "Revoke it in Settings → Repository → Deploy tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "gitlab-pipeline-trigger-token",
        title: "GitLab pipeline trigger token",
        what: "A GitLab pipeline trigger token (`glptt-…`).",
        keywords: &["glptt-"],
        pattern: r"\b(?P<secret>glptt-[0-9a-f]{40})\b",
        entropy: 3.2,
        example: r##"TRIGGER=glptt-00141212b62c376631129f34369aad80b891baf9"##,
        revoke: "Revoke it in Settings → CI/CD → Pipeline trigger tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "atlassian-api-token",
        title: "Atlassian API token",
        what: "An Atlassian (Jira, Confluence, Bitbucket) API token (`ATATT3…`).",
        keywords: &["atatt3"],
        pattern: r"\b(?P<secret>ATATT3[A-Za-z0-9_=-]{180,})",
        entropy: 4.5,
        example: r##"JIRA_API_TOKEN=ATATT3oBs3lQcXsLmTwG4ifJvfLxuWTGgxUOYcJJVfiKUfOXDLDPnJIcctZPDDZQnx41ptSbx2IWp0VtrTTNFwteXCrVpKWszw2qNf1n-D4WRKPiCwQy2lhqwQNoFj7WZmp719rrjXDScpSoxRLG8OySIjqxbGyjTYmWsNz0ZjVcfz-sAkJcn7AfHi11Q9bW"##,
        revoke: "Revoke it at id.atlassian.com → Security → API tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "npm-token",
        title: "npm access token",
        what: "An npm access token (`npm_…`) whose CRC32 checksum holds.",
        keywords: &["npm_"],
        pattern: r"\b(?P<secret>npm_[A-Za-z0-9]{36})\b",
        validate: Some(validate::npm_token),
        recommendation: Recommendation::VendorSecurity,
        example: r##"//registry.npmjs.org/:_authToken=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"##,
        revoke: "Revoke it (`npm token revoke`) and check the packages it could publish.",
        ..Detector::BASE
    },
    Detector {
        slug: "pypi-token",
        title: "PyPI API token",
        what: "A PyPI (or TestPyPI) API token (`pypi-AgEIcHlwaS5vcmc…`).",
        keywords: &["pypi-ag"],
        pattern: r"\b(?P<secret>pypi-AgE[IN]cHlwaS5vcmc[A-Za-z0-9_-]{50,})",
        entropy: 4.0,
        recommendation: Recommendation::VendorSecurity,
        example: r##"password = pypi-AgEIcHlwaS5vcmcd7oxQW1nwBj8ToXfzPOROBNbkjpJV5_lDlxAJe3iZ2C4Q-RXZsCvGW4hPNmA364lw-8oFB"##,
        revoke: "Delete the token in the PyPI account settings and check the releases it could upload.",
        ..Detector::BASE
    },
    Detector {
        slug: "dockerhub-token",
        title: "Docker Hub access token",
        what: "A Docker Hub personal or organization access token (`dckr_pat_…`, `dckr_oat_…`).",
        keywords: &["dckr_"],
        pattern: r"\b(?P<secret>dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32})(?:[^A-Za-z0-9_-]|\z)",
        entropy: 3.8,
        recommendation: Recommendation::VendorSecurity,
        example: r##"DOCKERHUB_TOKEN=dckr_pat_uJYrqVJ3YbgLX-DewzEJ7RzaFWP"##,
        revoke: "Delete it under Account settings → Personal access tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "docker-config-auth",
        title: "Registry credentials in a Docker config",
        what: "A registry login in a Docker `config.json` (`\"auths\": {… \"auth\": \"<base64 user:password>\"}`).",
        keywords: &["\"auths\""],
        pattern: r#""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{12,}={0,2})""#,
        validate: Some(validate::basic_auth),
        recommendation: Recommendation::VendorSecurity,
        example: r##"{"auths": {"registry.shopcorp.io": {"auth": "ZGVwbG95OnpMR1kxNHlZR2lfNGFaeGo="}}}"##,
        revoke: "Change the registry password or revoke the access token it encodes.",
        ..Detector::BASE
    },
    Detector {
        slug: "rubygems-api-key",
        title: "RubyGems API key",
        what: "A RubyGems.org API key (`rubygems_…`).",
        keywords: &["rubygems_"],
        pattern: r"\b(?P<secret>rubygems_[a-f0-9]{48})\b",
        entropy: 3.5,
        recommendation: Recommendation::VendorSecurity,
        example: r##":rubygems_api_key: rubygems_54575622f856469602d1ba9f20df4875b15b0be23b7ac193"##,
        revoke: "Delete the key in the RubyGems.org account's API keys.",
        ..Detector::BASE
    },
    Detector {
        slug: "nuget-api-key",
        title: "NuGet API key",
        what: "A nuget.org API key (`oy2…`).",
        keywords: &["oy2"],
        pattern: r"\b(?P<secret>oy2[a-z0-9]{43})\b",
        entropy: 4.0,
        confidence: Confidence::Medium,
        recommendation: Recommendation::VendorSecurity,
        example: r##"NUGET_API_KEY=oy2dxvzpv1uz9du7jwp1axg7leu1m6boi0z3cccrr8cgqh"##,
        revoke: "Delete or regenerate the key in the nuget.org account's API keys.",
        ..Detector::BASE
    },
    Detector {
        slug: "artifactory-api-key",
        title: "JFrog Artifactory API key",
        what: "A JFrog Artifactory API key (`AKCp…`).",
        keywords: &["akcp"],
        pattern: r"\b(?P<secret>AKCp[A-Za-z0-9]{69})\b",
        entropy: 4.0,
        recommendation: Recommendation::VendorSecurity,
        example: r##"ARTIFACTORY_API_KEY=AKCpFLECWYObP0xMAtyFKZKVHIuDI3n1AZ4ctMSg3XOrSMlm6XEzhlx9QLgM8hCddsHqrX6ls"##,
        revoke: "Revoke the API key in the user's profile, and move to scoped access tokens.",
        ..Detector::BASE
    },
    Detector {
        slug: "sonarqube-token",
        title: "SonarQube token",
        what: "A SonarQube user, project or global analysis token (`squ_…`, `sqp_…`, `sqa_…`).",
        keywords: &["squ_", "sqp_", "sqa_"],
        pattern: r"\b(?P<secret>sq[upa]_[a-f0-9]{40})\b",
        entropy: 3.2,
        example: r##"sonar.token=sqp_2aa7a6d0018f99ddceb1be0273dbc46dfcea25ba"##,
        revoke: "Revoke it under My Account → Security.",
        ..Detector::BASE
    },
];
