//! Key material: PEM private keys of every kind, OpenSSH, PGP and PuTTY private keys, age
//! identities, and signed JSON Web Tokens.

use crate::table::Detector;
use crate::validate;
use palisade_core::{Confidence, Owasp, Severity};

/// What every private-key entry shares.
const KEY: Detector = Detector {
    owasp: Owasp::A02,
    severity: Severity::Critical,
    entropy: 4.0,
    validate: Some(validate::key_body),
    revoke: "Treat the key as compromised: replace it (new key pair, new certificate), revoke the old certificate or remove the old public key wherever it is trusted.",
    ..Detector::BASE
};

pub static DETECTORS: &[Detector] = &[
    Detector {
        slug: "rsa-private-key",
        title: "RSA private key",
        what: "A PEM RSA private key (`-----BEGIN RSA PRIVATE KEY-----`), unencrypted.",
        keywords: &["begin rsa private key"],
        pattern: r"-----BEGIN RSA PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END RSA PRIVATE KEY-----",
        example: r##"-----BEGIN RSA PRIVATE KEY-----
rBCVJPNbCTeMiZDAj5VNlzq8KHJJxLCfGLC9TxTNp9OozCIs6l9yGk5RCGSVhRf6
f+9Qy5jCeR8MFjXevKFIj0NmQVfRhoG3nWeyek5faSfn8mihRwqnajh4X48GwmSh
wYc30Q1+pPIlYSkS/XBrU21x8nnlafgjt4dz1//aTArjkhTlYow64aGOHeOuwp4I
vle/D3DaC+n0U9MBfPO1PQk3jXCIEbmEJH+fbsR1UzShF/WQtaKc+q8nsXq//u1r
tyj8fCNRNhXxOM1dytc5/0T6IYN8vvm9pDPRlVllN9rjcsdtufsW+ND0Xs2+KmGr
Es04Q5+7Ho9sCttyYT6+AnvrBqTY2c665E6XehjfzCO4r/LPbFNHDqqG/0lUDD2X
UqUhlwRPoHoPyMRq9FYBsuOsxCTvOAIOFU0tY0r0xI6y7MGzmsyvIwP36PFeEguj
8m6Fttm650aX5g3pFNrlFqkqnKEY+crLHlfvq++JWVtkVgulJIxvwb6Y+0ciezEv
-----END RSA PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "ec-private-key",
        title: "EC private key",
        what: "A PEM elliptic-curve private key (`-----BEGIN EC PRIVATE KEY-----`), unencrypted.",
        keywords: &["begin ec private key"],
        pattern: r"-----BEGIN EC PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END EC PRIVATE KEY-----",
        example: r##"-----BEGIN EC PRIVATE KEY-----
WgOemtoFvf/IxMwBZf1oR0P55NvESrTDDXUVXP3ImfQBH7lQLxjjpQ0FtsghbRiN
b5B2mVM8dy5TtWrovPUM4oMSrpsz8XLpkg5tBBwfGO9t42bk3gTuL9KW0DB3J/e6
Xj0uPfL9Jm1mM0V92RtEMtasjAXtc3erby7tS48jIhOcWngO66Wyim2Vjrw64+/6
Qo2fMuAZKn7GpkdDfIBbrY+3KbzMtzdwxO0ffErjNpzUzppr2/e4EBuzhKz2NI2l
nMeDhNExAryn26xVoUjwVAUrtw1iezW8QsnEFiubGyQY+F/w0EeVUBBL/OKDxgUU
AbXw/briEtQbQR4+gqXyy69rOG2ArJ/fXDHeMqdBM/MQjMt0tnXHa15stpA5vier
tGmvWt4O0C0KDq1YAhpU69rHrPNbm/gf6hLqjgNQFwisZNxBfswidvojwQ634HMx
e+XCdi5tJ083JhIXnxXPmDgnRrI2Osv2bgINvRVPEPtqUTBFnXgR9IUL5GNvfkLp
-----END EC PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "dsa-private-key",
        title: "DSA private key",
        what: "A PEM DSA private key (`-----BEGIN DSA PRIVATE KEY-----`), unencrypted.",
        keywords: &["begin dsa private key"],
        pattern: r"-----BEGIN DSA PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END DSA PRIVATE KEY-----",
        example: r##"-----BEGIN DSA PRIVATE KEY-----
2FGYW+yBrlw3o3U/4U2CY7Q+/YqoZxui9/AWS1pruv7JtCIqKXKSYmxARQ/Lnvzd
mLXne3luXUywuBf4TOnXIT15FfR0JIxQq1QlduosFrxBn85wtMxY5u+d1Arw2JHF
4G9Use6Yrjlq8MHvd3BsEvDvPlFtAQoarBiWeaXFrVKfHo1RPhYPjVN62Jl8bI9n
bsEl1NhihwdnJtrjGiaB6f7kzSsL6tTdSvX07qC6eTwPDo16TZOcnt9Y2onGn5tE
E9U/NLsmoYdeCEOMdcVGbo+tHJBbvU7JASIhjhYdomL3jpTAM/gs9KtjpfWsHgwL
Y/ELwfqpQICFHx30ohyF4/bMvBiOZiu7PzMNiNJ8AZy2GTuWPAG5QIE1n7Zzeu0T
uvfkmm5g5ESePV/dSgdHQzi4kPh8/MgnXQ/t0vaPSkGVsNOKo+2mX/qCcWTiJYnY
q3s9mGkTOH78gtOj4Q/O5fI2JKGcGPOscIFnTmAgpL+QaBGUTpEwiveso+sekUZ9
-----END DSA PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "pkcs8-private-key",
        title: "PKCS #8 private key",
        what: "A PEM PKCS #8 private key of any algorithm (`-----BEGIN PRIVATE KEY-----`).",
        keywords: &["begin private key"],
        pattern: r"-----BEGIN PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END PRIVATE KEY-----",
        example: r##"-----BEGIN PRIVATE KEY-----
cBYlO1P2uD5pGllwMrXpWf0f/IYDtNslyJCXmGcFmdNjRhqzbyFEmR72uVsvZ3a3
fr2UoYbq5WxetaAcPIYwkzB7vTPbZ7DalQjCF3E+zbNaV8cDCCtAaRte9v5kTfmB
07FpjqyMzBIRlmA7BnejfI5PAFhsE7wfkDJA0QMnxvucNsLJwu97IS0Bvbqzlarg
y+Ae0Jc9LC/ssjNbM7x2uzr86nXp+wtuwP9vhFBlpop2LzCfAWGRhVeC2K57aM5k
29HAhHoUeIu83qPF/G8yztO/naRasMQzI8bEH8Jpr3MQ071LUJZ+2yqouDG84cDd
5VvF7pr+nFE4DdV2D14pN7tNWPplKH7ebdJbpEKJWLuTFloeQUNAANSQZGAOrIUB
R8nvWEbN4GcBLrcwVXPTPGh8XfBr76o6W/3jBFxta8vqK26yx++C8n+DD8Rhl3Ia
TwSpbLMqHjGXRZnIbBAqDb8+Gs6BP6YPeBuTq5ZYJ++IvC4l/NTqboiuY5e68D39
-----END PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "encrypted-private-key",
        title: "Encrypted private key",
        what: "A passphrase-encrypted PEM private key (`-----BEGIN ENCRYPTED PRIVATE KEY-----`): safe only as long as its passphrase is strong and kept elsewhere.",
        keywords: &["begin encrypted private key"],
        pattern: r"-----BEGIN ENCRYPTED PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END ENCRYPTED PRIVATE KEY-----",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        example: r##"-----BEGIN ENCRYPTED PRIVATE KEY-----
Tn3J8+fZ5RiuTRrbxb4kglJzmhAOWk7T5Z1d6sDPzx5AFtbAykXxawvQhudObMp6
NjfYk1dBMnbXBKWkbKUxKgeV8dammRKlMpNKaN8TBX6PMYAbL3YgVrwEhSq1z0GM
sieVN38sgqiDthMhPuwTzrXkq+Db/8zifTEJvHabEkSRjOzCOTi5cTnwUhNMuua8
G/m1AA3hwgQOWT0tPSCgcKeqSXrU7rOv2WFiX2hl3nx2XnOcXhDbR4HkcttiTV0A
cCjgQi4pt32jWQbx40W0krdmTiZdQdh4DUqDARroKafZFrqzJg1gNR6tX4SlGebC
095ANbqKgrpZ2xacKjO9tTPiPYY47dCjpE3mmDVrwIU4sHial5eSJC4jWzt4nSBc
mUPvxluQwrKTcSerYHB1wccI86S73Dtv6+8cNcJW5VUR1bGsnNpEi6+GXgXXn4yw
Sz237z3WcG5ukYMByIz5mfmpXX1O/dTX16FO6OLYroyslXWOxwAqOo8L+v/a/yIs
-----END ENCRYPTED PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "openssh-private-key",
        title: "OpenSSH private key",
        what: "An OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`).",
        keywords: &["begin openssh private key"],
        pattern: r"-----BEGIN OPENSSH PRIVATE KEY-----(?P<secret>[^-]{64,}?)-----END OPENSSH PRIVATE KEY-----",
        example: r##"-----BEGIN OPENSSH PRIVATE KEY-----
F7BqYNz4uQfsTvlKWas2Rpoo3VHleggpvUaSOIV1FtQA97qGKHHMYuTh/8XY1C6Z
g6DbkTW8bVJzjjFGmCLEZ+dRvOK1mCtCQ+2/RpIkp5VX+PRUKaLn0rOCDDdFbEx4
+7mDdb/Fdfs0SS8t4CCeFvlB8C/NgoG9jjqdANtAXWcz1Ug8Lca7S00Kkwld4rqi
mvkuEtA3DygJ1bm1FBaNvyclCx6Y6e1wEf1MB4urcsUxVsMv/W6mHy+pSZ5LTuj/
alViPhsq6MzMxYzL+pL7ulnyAFYBWKZ77SmEGlPdVZ/2THco9WQ8PuIWq8pK1IxP
XSkeXfPhUYAr5uGfj5AlsEZRgtStHyn2SCvch8tpHNJOinAjiuDmAg2xbApUQwfo
KWNlpMWKhdQ8X+j/jOQiGz30OZ70HjXUg9rZJg/s/wPBZKni7fuADKPGiscRkpKZ
SdK4GHaSxfdaPYTCCZFUpkIkDa7/zCHWgRoeptHd16+f3MbzAuJZ1EGXPECE5Ip7
-----END OPENSSH PRIVATE KEY-----"##,
        ..KEY
    },
    Detector {
        slug: "pgp-private-key",
        title: "PGP private key block",
        what: "An OpenPGP secret key block (`-----BEGIN PGP PRIVATE KEY BLOCK-----`).",
        keywords: &["begin pgp private key block"],
        pattern: r"-----BEGIN PGP PRIVATE KEY BLOCK-----(?P<secret>[^-]{64,}?)-----END PGP PRIVATE KEY BLOCK-----",
        example: r##"-----BEGIN PGP PRIVATE KEY BLOCK-----
6LpPtJm34FRwzTkaDq/F3b/iUKUqdpd3l50an7vGgduufSd9aQ6ZtjGW7xUWmxko
af2rz2qsMuOK000aQ2VyS5cldLRqEptnM4Auh7FrtlDYRHx0zwqJVsTZKRyYJoVp
cBSfwfTtRyuGhJwwIFs3osi3wXGtlOeKHyvCtHPs3Gr09tk8o2vJyrWxTupBmUnH
nsHOTBXdC+LK6IM2qLc9VKqQ8tU7Gw/z1W7aHLAfrhWB+TWwK6BfObEhabDOxc7Y
nxtCJvrCznH97GpT/QMi7T7iVQDLcY8c3rKPny768dSXlXb2nQlRsucfMnnQHrZp
3NmxZu7Ii37GDxrXj099tqFKnDs6IgPGD/asgqrrxrk0Bksj70kNRkoaJkJQ8iu1
L2OGxikC1KGUYpvwCWIiAOletJRpB6/siaHtE9to60fViAoVhWqjzbV5lOKEgYkj
BxJacr02gQpCF4qxupi7/jvl63SQj8h8lnk4wHesZVGYjrQzmJeEw7l+JN6DHU2G
-----END PGP PRIVATE KEY BLOCK-----"##,
        ..KEY
    },
    Detector {
        slug: "putty-private-key",
        title: "PuTTY private key",
        what: "An unencrypted PuTTY private key file (`PuTTY-User-Key-File-2/3`, `Encryption: none`).",
        keywords: &["putty-user-key-file"],
        pattern: r"PuTTY-User-Key-File-[23]: [a-z0-9-]+\r?\nEncryption: none\r?\n(?s:.){0,2000}?Private-Lines: [0-9]+\r?\n(?P<secret>[A-Za-z0-9+/=\r\n]{40,})",
        example: r##"PuTTY-User-Key-File-3: ssh-ed25519
Encryption: none
Comment: deploy@shop
Public-Lines: 2
trJJaWsVSclV2xks99iJkIXsc5T2CtznNKVUqxPwKFVtf0eLbFHAzDEeF5oxlYXj
X9Aj
Private-Lines: 1
N9YAV+zYRljA2jhUq4rmudsnT3yuXswvi/2TsXuTUnGw4iDd599kOCYYkn8jgdfh
Private-MAC: 0808f1b99d3304989c1a14a8b37829f4e9777f5b7329d261dbb8a1951dc82a58"##,
        ..KEY
    },
    Detector {
        slug: "age-secret-key",
        title: "age secret key",
        what: "An age encryption identity (`AGE-SECRET-KEY-1…`).",
        keywords: &["age-secret-key-1"],
        pattern: r"\b(?P<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
        validate: None,
        entropy: 3.5,
        example: r##"AGE-SECRET-KEY-1NPSS85HT7Z0Z4GUPQ5V3YU0Z38XN5CF88MNWYR9RND9SDZDJYCQRR89CZQ"##,
        revoke: "Generate a new identity, re-encrypt what the old one protects to the new recipient, and remove the old recipient everywhere.",
        ..KEY
    },
    Detector {
        slug: "jwt",
        title: "JSON Web Token",
        what: "A signed JSON Web Token (header, payload and signature; the header must decode and name an algorithm). It authenticates as its subject until it expires.",
        keywords: &["eyj"],
        pattern: r"\b(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
        validate: Some(validate::jwt),
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        example: r##"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAidXNlci01MTI4IiwgImlhdCI6IDE3NjAwMDQ2ODF9.TNbJVRGzCOBikoSXwRDFVVsyVy-zuSVfYa9J43Fbirp"##,
        revoke: "Rotate the signing key if the token does not expire soon, or revoke the session it belongs to.",
        ..Detector::BASE
    },
];
