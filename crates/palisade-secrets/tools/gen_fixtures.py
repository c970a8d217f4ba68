#!/usr/bin/env python3
"""Writes the secrets analyzer's fixtures (crates/palisade-secrets/fixtures/<slug>.<ext>)
and the `example` of each detector table entry, from invented values.

Every value is generated here, deterministically (fixed seed): random characters of the
provider's alphabet and length, with a valid CRC32 checksum where the format has one. None
is, or was ever, a real credential. Each fixture has >= 2 true cases (`ruleid:`) and >= 2
placeholder or near-miss cases (`ok:`).

    python3 crates/palisade-secrets/tools/gen_fixtures.py
"""
import base64, json, os, random, re, string, zlib, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
FIX = os.path.join(CRATE, "fixtures")
# The fixtures and the table's examples (shown in the docs) use different seeds: no
# fixture value is ever printed by palisade's own documentation.
rng = random.Random(int(os.environ.get("SEED", "20261202")))

UP, LO, DIG = string.ascii_uppercase, string.ascii_lowercase, string.digits
B62 = DIG + UP + LO
HEX = "0123456789abcdef"
URLSAFE = B62 + "-_"
B64 = B62 + "+/"


def rand(chars, n):
    # Mixed enough to pass entropy floors; ends on an alphanumeric (patterns end on \b).
    while True:
        s = "".join(rng.choice(chars) for _ in range(n))
        if s[-1].isalnum() and s[0].isalnum() and len(set(s)) > min(n, len(chars)) // 3:
            if not any(w in s.lower() for w in ("xxxx", "your", "fake", "test", "example")):
                return s


def b62(n, width):
    out = ""
    while n:
        out = B62[n % 62] + out
        n //= 62
    return out.rjust(width, "0")


def crc_token(prefix):
    body = rand(B62, 30)
    return prefix + body + b62(zlib.crc32(body.encode()), 6)


def b64(raw, urlsafe=False):
    f = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return f(raw).decode()


def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def digits(n):
    return str(rng.randint(1, 9)) + "".join(rng.choice(DIG) for _ in range(n - 1))


def password():
    return rand(B62, 10) + rng.choice("!*_-") + rand(B62, 5)


def pem(kind, lines=8):
    body = b64(rbytes(48 * lines))
    rows = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(rows) + f"\n-----END {kind}-----"


def jwt():
    head = b64(b'{"alg":"HS256","typ":"JWT"}', True).rstrip("=")
    claims = json.dumps({"sub": f"user-{rng.randint(1000, 9999)}", "iat": 1760000000 + rng.randint(0, 9999)})
    return head + "." + b64(claims.encode(), True).rstrip("=") + "." + rand(URLSAFE, 43)


def xs(secret, keep):
    """The secret with everything after its first `keep` characters replaced by x."""
    return secret[:keep] + "x" * (len(secret) - keep)


# slug -> (extension, [positive lines], [negative lines])
F = {}


def simple(slug, make, line, keep, ext="txt", extra_neg=()):
    """Two generated values in `line`; negatives: the value with x's after its prefix,
    `line` holding a reference, and any extra near-misses."""
    a, b = make(), make()
    F[slug] = (
        ext,
        [line.format(a), line.format(b)],
        [line.format(xs(a, keep)), line.format("${SECRET_FROM_VAULT}")] + list(extra_neg),
    )


def wrong_checksum(token):
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


simple("aws-access-key", lambda: "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
       "aws_access_key_id = {}", 4,
       extra_neg=["aws_access_key_id = AKIAIOSFODNN7EXAMPLE"])
simple("aws-secret-key", lambda: rand(B64, 40), "aws_secret_access_key = {}", 0,
       extra_neg=["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"])
simple("gcp-api-key", lambda: "AIza" + rand(URLSAFE, 35), 'const mapsKey = "{}";', 4,
       extra_neg=['const mapsKey = "AIzaShortKey123";'])
simple("google-oauth-client-secret", lambda: "GOCSPX-" + rand(URLSAFE, 28), 'client_secret = "{}"', 7)
simple("azure-storage-key", lambda: b64(rbytes(64)), 'storage_key = "{}"', 0,
       extra_neg=['storage_key = "' + b64(rbytes(48)) + '"'])
simple("azure-ad-client-secret", lambda: rand(B62, 3) + rng.choice(DIG) + "Q~" + rand(B62 + "_~.-", 34),
       'AZURE_CLIENT_SECRET = "{}"', 0)
simple("alibaba-access-key", lambda: "LTAI" + rand(B62, 20), "access_key_id: {}", 4)
simple("digitalocean-token", lambda: "dop_v1_" + rand(HEX, 64), "DO_TOKEN = '{}'", 7)
simple("vault-token", lambda: "hvs." + rand(URLSAFE, 91), 'VAULT_TOKEN="{}"', 4)
simple("terraform-cloud-token", lambda: rand(B62, 14) + ".atlasv1." + rand(B62, 67), 'token = "{}"', 0)
simple("databricks-token", lambda: "dapi" + rand(HEX, 32), "DATABRICKS_TOKEN: {}", 4)
simple("github-token", lambda: crc_token("ghp_"), 'token = "{}"', 4,
       extra_neg=['token = "' + wrong_checksum(crc_token("ghp_")) + '"'])
simple("github-fine-grained-token", lambda: "github_pat_" + rand(B62, 22) + "_" + rand(B62, 59), "GH_TOKEN={}", 11)
simple("github-oauth-token", lambda: crc_token("gho_"), 'oauth = "{}"', 4,
       extra_neg=['oauth = "' + wrong_checksum(crc_token("gho_")) + '"'])
simple("github-app-token", lambda: crc_token(rng.choice(["ghs_", "ghu_", "ghr_"])), 'installation_token = "{}"', 4,
       extra_neg=['installation_token = "' + wrong_checksum(crc_token("ghs_")) + '"'])
simple("gitlab-token", lambda: "glpat-" + rand(URLSAFE, 20), "GITLAB_TOKEN={}", 6,
       extra_neg=["GITLAB_TOKEN=glpat-short123"])
simple("gitlab-runner-token", lambda: rng.choice(["glrt-", "GR1348941"]) + rand(URLSAFE, 20), "runner_token: {}", 5)
simple("gitlab-deploy-token", lambda: "gldt-" + rand(URLSAFE, 20), 'deploy_token = "{}"', 5)
simple("gitlab-pipeline-trigger-token", lambda: "glptt-" + rand(HEX, 40), "TRIGGER={}", 6)
simple("atlassian-api-token", lambda: "ATATT3" + rand(URLSAFE, 186), "JIRA_API_TOKEN={}", 6)
simple("npm-token", lambda: crc_token("npm_"), "//registry.npmjs.org/:_authToken={}", 4,
       extra_neg=["//registry.npmjs.org/:_authToken=" + wrong_checksum(crc_token("npm_"))])
simple("pypi-token", lambda: "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 70), "password = {}", 19)
simple("dockerhub-token", lambda: "dckr_pat_" + rand(URLSAFE, 27), "DOCKERHUB_TOKEN={}", 9)
simple("rubygems-api-key", lambda: "rubygems_" + rand(HEX, 48), ":rubygems_api_key: {}", 9)
simple("nuget-api-key", lambda: "oy2" + rand(LO + DIG, 43), "NUGET_API_KEY={}", 3)
simple("artifactory-api-key", lambda: "AKCp" + rand(B62, 69), "ARTIFACTORY_API_KEY={}", 4)
simple("sonarqube-token", lambda: "sqp_" + rand(HEX, 40), "sonar.token={}", 4)
simple("slack-bot-token", lambda: "xoxb-" + digits(12) + "-" + digits(13) + "-" + rand(B62, 24), 'SLACK_BOT_TOKEN="{}"', 5)
simple("slack-user-token", lambda: "xoxp-" + digits(12) + "-" + digits(12) + "-" + digits(13) + "-" + rand(HEX, 32),
       'SLACK_USER_TOKEN="{}"', 5)
simple("slack-app-token", lambda: "xapp-1-A" + rand(UP + DIG, 10) + "-" + digits(13) + "-" + rand(HEX, 64),
       'SLACK_APP_TOKEN="{}"', 5)
simple("slack-webhook", lambda: "https://hooks.slack.com/services/T" + rand(UP + DIG, 10) + "/B" + rand(UP + DIG, 10) + "/" + rand(B62, 24),
       'webhook_url = "{}"', 33)
simple("discord-bot-token", lambda: "M" + rand(URLSAFE, 23) + "." + rand(URLSAFE, 6) + "." + rand(URLSAFE, 38),
       'DISCORD_BOT_TOKEN = "{}"', 1)
simple("discord-webhook", lambda: "https://discord.com/api/webhooks/" + digits(18) + "/" + rand(URLSAFE, 68),
       'alerts_hook = "{}"', 33)
simple("telegram-bot-token", lambda: digits(10) + ":AA" + rand(URLSAFE, 33), 'bot = Bot("{}")', 13)


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128)))


simple("teams-webhook", lambda: f"https://shopcorp.webhook.office.com/webhookb2/{uid()}@{uid()}/IncomingWebhook/{rand(HEX, 32)}/{uid()}",
       'TEAMS_WEBHOOK = "{}"', 46)
simple("twilio-api-key", lambda: "SK" + rand(HEX, 32), 'twilio_api_key_sid = "{}"', 2)
simple("twilio-auth-token", lambda: rand(HEX, 32), 'TWILIO_AUTH_TOKEN = "{}"', 0)
simple("sendgrid-api-key", lambda: "SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43), "SENDGRID_API_KEY={}", 3)
simple("mailgun-api-key", lambda: "key-" + rand(HEX, 32), 'mailgun_key = "{}"', 4)
simple("mailchimp-api-key", lambda: rand(HEX, 32) + "-us14", 'MAILCHIMP_KEY = "{}"', 0,
       extra_neg=['MAILCHIMP_KEY = "00000000000000000000000000000000-us14"'])
simple("stripe-secret-key", lambda: rng.choice(["sk_live_", "rk_live_"]) + rand(B62, 24), 'stripe.api_key = "{}"', 8)
simple("stripe-test-key", lambda: "sk_test_" + rand(B62, 24), 'stripe.api_key = "{}"', 8,
       extra_neg=['stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"'])
simple("stripe-webhook-secret", lambda: "whsec_" + rand(B62, 32), "STRIPE_WEBHOOK_SECRET={}", 6)
simple("square-access-token", lambda: rng.choice(["EAAA" + rand(URLSAFE, 60), "sq0atp-" + rand(URLSAFE, 22)]),
       "SQUARE_ACCESS_TOKEN={}", 4)
simple("square-oauth-secret", lambda: "sq0csp-" + rand(URLSAFE, 43), "SQUARE_APP_SECRET={}", 7)
simple("braintree-access-token", lambda: "access_token$production$" + rand(LO + DIG, 16) + "$" + rand(HEX, 32),
       "BRAINTREE_TOKEN='{}'", 24)
simple("shopify-token", lambda: "shpat_" + rand(HEX, 32), "SHOPIFY_ACCESS_TOKEN={}", 6)
simple("openai-api-key", lambda: rng.choice(["sk-proj-", "sk-"]) + rand(URLSAFE, 40) + "T3BlbkFJ" + rand(URLSAFE, 40),
       'client = OpenAI(api_key="{}")', 3)
simple("anthropic-api-key", lambda: "sk-ant-api03-" + rand(URLSAFE, 93) + "AA", 'ANTHROPIC_API_KEY = "{}"', 7)
simple("huggingface-token", lambda: "hf_" + rand(UP + LO, 34), 'HF_TOKEN = "{}"', 3)
simple("replicate-api-token", lambda: "r8_" + rand(B62, 37), "REPLICATE_API_TOKEN={}", 3)
simple("groq-api-key", lambda: "gsk_" + rand(B62, 52), 'GROQ_API_KEY = "{}"', 4)
simple("newrelic-api-key", lambda: "NRAK-" + rand(UP + DIG, 27), "NEW_RELIC_API_KEY={}", 5)
simple("linear-api-key", lambda: "lin_api_" + rand(B62, 40), "LINEAR_API_KEY={}", 8)
simple("postman-api-key", lambda: "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34), "POSTMAN_API_KEY={}", 5)
simple("doppler-token", lambda: "dp.pt." + rand(B62, 43), "DOPPLER_TOKEN={}", 6)
simple("pulumi-token", lambda: "pul-" + rand(HEX, 40), "PULUMI_ACCESS_TOKEN={}", 4)
simple("grafana-token", lambda: rng.choice(["glsa_" + rand(B62, 32) + "_" + rand(HEX, 8), "glc_" + rand(B62, 120)]),
       'GRAFANA_TOKEN = "{}"', 5)
simple("supabase-token", lambda: "sbp_" + rand(HEX, 40), "SUPABASE_ACCESS_TOKEN={}", 4)
simple("planetscale-password", lambda: "pscale_pw_" + rand(URLSAFE, 43), "DATABASE_PASSWORD={}", 10)
simple("sentry-auth-token", lambda: rng.choice(["sntryu_" + rand(HEX, 64), "sntrys_eyJ" + rand(B62, 90)]),
       "SENTRY_AUTH_TOKEN={}", 7)
simple("figma-token", lambda: "figd_" + rand(URLSAFE, 40), "FIGMA_TOKEN={}", 5)
simple("mapbox-secret-token", lambda: "sk.eyJ" + rand(URLSAFE, 60) + "." + rand(URLSAFE, 22), "MAPBOX_SECRET={}", 6)
simple("notion-token", lambda: "ntn_" + digits(11) + rand(B62, 35), "NOTION_TOKEN={}", 4)
simple("airtable-token", lambda: "pat" + rand(B62, 14) + "." + rand(HEX, 64), "AIRTABLE_TOKEN={}", 3)
simple("dropbox-token", lambda: "sl." + rand(URLSAFE, 140), "DROPBOX_TOKEN={}", 3)
simple("age-secret-key", lambda: "AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58), "{}", 16)
simple("jwt", jwt, 'Authorization: Bearer {}', 0,
       extra_neg=["Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlc2lnbmF0dXJl"])

# Heroku: a new-format key, and a UUID assigned to a Heroku name.
F["heroku-api-key"] = ("txt",
    ["HEROKU_API_KEY=HRKU-" + rand(URLSAFE, 60), "heroku_api_key: " + uid()],
    ["HEROKU_API_KEY=HRKU-" + "x" * 60, "request_id: " + uid(), "heroku_api_key: ${HEROKU_API_KEY}"])

# Azure connection strings and SAS URLs.
def conn(key):
    return f'"DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey={key};EndpointSuffix=core.windows.net"'
F["azure-storage-connection-string"] = ("txt", [conn(b64(rbytes(64))), conn(b64(rbytes(64)))],
    [conn("x" * 86 + "=="), conn("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")])
def sas(sig):
    return f"https://shopdata.blob.core.windows.net/exports/orders.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&sig={sig}"
F["azure-sas-token"] = ("txt", [sas(b64(rbytes(32)).replace("=", "%3D").replace("+", "%2B").replace("/", "%2F")),
                                sas(b64(rbytes(32)).replace("=", "%3D"))],
    [sas("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), sas("<signature>")])

# Google service-account key file (one JSON line per case).
def sa(key_body, key_id):
    return json.dumps({"type": "service_account", "project_id": "shop-prod", "private_key_id": key_id,
                       "private_key": "-----BEGIN PRIVATE KEY-----\n" + key_body + "\n-----END PRIVATE KEY-----\n",
                       "client_email": "deploy@shop-prod.iam.gserviceaccount.com"})
def sa_body():
    body = b64(rbytes(48 * 6))
    return "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
F["gcp-service-account-key"] = ("txt", [sa(sa_body(), rand(HEX, 40)), sa(sa_body(), rand(HEX, 40))],
    [sa("...", rand(HEX, 40)), sa("<your private key here>", rand(HEX, 40))])

# Docker config.json auths.
def auths(user, pw):
    return json.dumps({"auths": {"registry.shopcorp.io": {"auth": b64(f"{user}:{pw}".encode())}}})
F["docker-config-auth"] = ("txt", [auths("deploy", password()), auths("ci-bot", password())],
    [auths("deploy", "changeme"), auths("deploy", "${REGISTRY_PASSWORD}")])

# Private keys: multi-line blocks; negatives are elided or placeholder blocks.
for slug, kind in [("rsa-private-key", "RSA PRIVATE KEY"), ("ec-private-key", "EC PRIVATE KEY"),
                   ("dsa-private-key", "DSA PRIVATE KEY"), ("pkcs8-private-key", "PRIVATE KEY"),
                   ("encrypted-private-key", "ENCRYPTED PRIVATE KEY"),
                   ("openssh-private-key", "OPENSSH PRIVATE KEY"),
                   ("pgp-private-key", "PGP PRIVATE KEY BLOCK")]:
    F[slug] = ("txt", [pem(kind), pem(kind, 12)],
               [f"-----BEGIN {kind}-----\n...\n-----END {kind}-----",
                f"-----BEGIN {kind}-----\n<your key here, which is long enough to pass the length check>\n-----END {kind}-----"])

def ppk(enc):
    pub = b64(rbytes(51))
    return (f"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: {enc}\nComment: deploy@shop\nPublic-Lines: 2\n"
            f"{pub[:64]}\n{pub[64:]}\nPrivate-Lines: 1\n{b64(rbytes(48))}\nPrivate-MAC: {rand(HEX, 64)}")
F["putty-private-key"] = ("txt", [ppk("none"), ppk("none")], [ppk("aes256-cbc"), "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n..."])

# Generic detectors.
F["url-credentials"] = ("txt",
    [f"git clone https://deploy:{password()}@git.shopcorp.io/shop/api.git", f'MIRROR = "ftp://backup:{password()}@files.shopcorp.io/nightly"'],
    ["git clone https://deploy:${GIT_PASSWORD}@git.shopcorp.io/shop/api.git", f"curl https://user:{password()}@api.example.com/v1",
     "see https://docs.shopcorp.io/setup:install for details"])
F["database-connection-string"] = ("txt",
    [f'DATABASE_URL = "postgresql://shop:{password()}@db.prod.shopcorp.io:5432/shop"',
     f'conn = "Server=sql.shopcorp.io;Database=shop;User Id=app;Password={password()};"',
     f"mongodb+srv://reporting:{password()}@cluster0.shopcorp.mongodb.net/orders"],
    ['DATABASE_URL = "postgresql://shop:changeme@db.prod.shopcorp.io:5432/shop"',
     'conn = "Server=sql.shopcorp.io;Database=shop;User Id=app;Password=&lt;YOURPASSWORD&gt;;"',
     'DATABASE_URL = "mysql://root:${MYSQL_ROOT_PASSWORD}@db:3306/shop"',
     'conn = "Server=sql.shopcorp.io;Database=shop;User Id=app;Password=<password>;"'])
F["generic-secret-assignment"] = ("txt",
    [f'api_key = "{rand(B62, 32)}"', f'"password": "{password()}",', f"SESSION_SECRET := '{rand(B62, 24)}'"],
    ['api_key = os.environ["API_KEY"]', 'password = "password_field"', 'api_key = "your-api-key-here"',
     '"hashed_secret": "' + rand(HEX, 40) + '",', '"csrftoken": "' + rand(B62, 64) + '",',
     '"change-password": "パスワードの変更",', '"user-password": "Gebruikerswachtwoord",',
     '- Token: "models/users/token.md"',
     'token_type = "bearer-token-abc123"', 'password = "hunter"'])
F["config-file-password"] = ("yaml",
    [f"  password: {password()}", f"db.password={password()}"],
    ["  password: ${DB_PASSWORD}", "  password: changeme", "  password_file: /run/secrets/db-password",
     "  password: {{ .Values.db.password }}"])
pw1, pw2 = password(), rand(B62, 32)
F["dotenv-secret"] = ("env",
    [f"DB_PASSWORD={pw1}", f'export STRIPE_API_KEY="{pw2}"'],
    ["DB_PASSWORD=changeme", "DB_PASSWORD_FILE=/run/secrets/db", "SECRET_KEY=${SECRET_KEY}", "DEBUG=true"])

def k8s_secret(values, field="data"):
    lines = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: shop-api", "type: Opaque", f"{field}:"]
    return lines, [f"  {k}: {v}" for k, v in values]
k8s_pos = [("db-password", b64(password().encode())), ("api-token", b64(rand(B62, 32).encode()))]
k8s_neg = [("db-password", b64(b"changeme")), ("api-token", b64(b"${API_TOKEN}")), ("mode", b64(b"production-mode"))]

# Reported with low confidence: development defaults.
LOW = {
    "database-connection-string": [
        "DATABASE_URL=mysql+pymysql://ctfd:ctfd@db/ctfd",
        "DD_DATABASE_URL: ${DD_DATABASE_URL:-postgresql://dojo:" + password() + "@postgres:5432/dojo}",
        "REDIS_URL = 'redis://:" + password() + "@localhost:6379/0'",
    ],
}


def write():
    os.makedirs(FIX, exist_ok=True)
    for slug, (ext, pos, neg) in sorted(F.items()):
        assert len(pos) >= 2 and len(neg) >= 2, slug
        out = [f"# {slug}: invented values (tools/gen_fixtures.py), never real credentials."]
        for p in pos:
            out += [f"# ruleid: {slug}", p]
        for p in LOW.get(slug, []):
            out += [f"# ruleid[confidence=low]: {slug}", p]
        for n in neg:
            out += [f"# ok: {slug}", n]
        with open(os.path.join(FIX, f"{slug}.{ext}"), "w") as f:
            f.write("\n".join(out) + "\n")
    head, _ = k8s_secret([])
    out = ["# kubernetes-secret-data: invented values (tools/gen_fixtures.py)."] + head
    for k, v in k8s_pos:
        out += [f"  # ruleid: kubernetes-secret-data", f"  {k}: {v}"]
    for k, v in k8s_neg:
        out += [f"  # ok: kubernetes-secret-data", f"  {k}: {v}"]
    with open(os.path.join(FIX, "kubernetes-secret-data.yaml"), "w") as f:
        f.write("\n".join(out) + "\n")
    F["kubernetes-secret-data"] = ("yaml", ["\n".join(head + [f"  {k}: {v}" for k, v in k8s_pos[:1]])], [])


def patch_examples():
    import subprocess, sys
    out = subprocess.run([sys.executable, __file__], env={**os.environ, "SEED": "7", "EXAMPLES_ONLY": "1"},
                         capture_output=True, text=True, check=True).stdout
    examples = json.loads(out)
    src = os.path.join(CRATE, "src", "detectors")
    for name in os.listdir(src):
        path = os.path.join(src, name)
        text = open(path).read()
        def repl(m):
            slug = m.group(1)
            example = examples[slug]
            return m.group(0)[: m.start(2) - m.start(0)] + 'example: r##"' + example + '"##,'
        text = re.sub(r'slug: "([a-z0-9-]+)",(?:(?!slug:).)*?(example: (?:""|r##".*?"##),)', repl, text, flags=re.S)
        open(path, "w").write(text)


if os.environ.get("EXAMPLES_ONLY"):
    F["kubernetes-secret-data"] = ("yaml", ["\n".join(k8s_secret([])[0] + [f"  {k}: {v}" for k, v in k8s_pos[:1]])], [])
    print(json.dumps({slug: pos[0] for slug, (_, pos, _) in F.items()}))
else:
    write()
    patch_examples()
