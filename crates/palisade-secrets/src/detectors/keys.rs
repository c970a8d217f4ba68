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
XgyUDzyNtYendRiY61YSiLJBWRkk9RO9/8jM2XVzyzz4Le23iM9G74RX+9G6eavH
10Bono+S2dEyFdv6BoqJ25MOJczs03BXL2hp2JdLbTEArhfTtoshIEFxzpfcreG3
LLYB/MEGmdhdUQQPbkM8PZYb+3M17hOjsTobOjkZcJX8HFNvUP557ynLZnizKFJh
y3IviRmtoBhzj+t+GhK/PavLXtogFZytwml4+nhgryOc3Wx/L+52SYwY5Zn+5Y4o
VF85mKHQvTw/crDR/9tkgPB+b4mmyd0kNDpY1ftUEBJOHnkuvnah9+7hq3cAZxKU
CYVuMAb7hvChIDPB21hpU/U1W6aeMYruQzPH5wHxP/RSvuHYgA4JqkwDnLXP8xsG
x/Zj+YbVa79wW/3W6wTqoryfs3Mklgko1NWstqF2UJJExOvdiHcFSVfkWQQRxfoS
53HQyQGGatscybl6z9bKF8riHkQDYxfg14jUoYT0PGXbOB6vU5sAsPuEarHF982R
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
eAIkNbfJiVhPSdXu8A3sUfx2ETpjQXMnQce+3+cdIz+B+fc3495zKhpQdFKEYMku
LydH9PxnA8WcexgQwBVs/uwpOb3gGjo8DFIWpxPFY/f4hVoZt7II0YQgioIZeZS/
ctZTF9RTsBYeZhtWDTxDmKKO9wz4Vd1aH6DKzcPSefT+Ppl9HjY3sSEBnCKfxNuw
AvUCE/ksQ5JDNd3qHBjKVuU9j/ub1AEumzKda8WBhAkdGTgtpwwUvRtJQLvLYItm
W3n2CJTpPRGQc9oOXq1vdpNh/JqjbC4NlddSlXkDtiYF3oFCUIiZf9Ldd+mhF0kd
QSGCB4jdOWLD0H89W1RAItZN5q3wXz9PEpahnwYG2+KtTFadcUOuTClgXTrJFq51
lckaHTeEQdsITaOlkn3sfI2z62t4BIRaSAh2De/yfGQAUlr1MhafBIKMeVvtP8Mp
FmQHX7NhmBqnnoALCWJzhdUEmiULWB+t5xaLxioxtNbs/93ppfbO+RZEdvXPaVes
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
NdWlJ47FUw4UJ3zvhcLRpjRgL4NOMc0MOzeiIwiCFfu1in9bHIN5UfD7ZLSOCWux
gY0LYuK1lOBYC0jwL8XvqNfDYO6aDY2qM4oIIrzbKf2QgQRjBdUqOKf3nBz9j6hv
hS0DaPXKfd7b+wo21fJ5FTcfZ8sTlpR2OAqzdCxjsHueFbZt85NLd64LZV7kgNOW
w46ZPUJ+6A/4HvMlVofSA6181p/NlXTuZUrLbqfWip/fNwj6Az12mhiH1yAWCeGX
ORciX8DDrexpypgGjVzyu4Ecimp2L2kvsLYcx7Fx7aDCF4t7Wl8YnBeGisHhsd2Z
Lly/d84zeiXbeC80VZyD+ro9cmpN1N1/ZANrZjnge2+0eFzbqb9+xQM29llJyYtJ
9So07hAXNFsn7dkXhCQKqkXqglIsqk4w5/9xjzvVmBwcqYUCpZkWzYxyT4y+5J0u
6Mebhy5pLxW0vs8mEIdqCUj6d8Pfgo/lvgXDh0cRns5gQ3kTh7WqJit61swpAlC6
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
YIXgHM3ZUbEkec6ZanBZXHbCumrkZOqAxFwt5l4jAQ4zUVfqLap5fiG2p6hpOT9R
rwFTRgbU1jXBt+DBS+ZDP7JnJQD346cFjDoNFEjdbKL7vCWel6QTxfg6v8nP/L8o
Lj89EgrZjbkUNjDaLAnr/coWSSf4ESiqIxZhn85NGdjJAItJzONWvwoJGYy5IIG8
w/gyYEewNs3Zs7QdJyC5xgmXd7pBKMOJt+2vBjJACnmjXLFzAinWzOWQXOGEIaZq
7PqmvoR1xP599ggwjH9pNVXOZAc420/MvzfirXQ52IMgFYQ3vhnH5mNzKur1tJt/
pxdY2BwHki5n2ONNqSXBjZGVwJgiz/8llJKYITDuF0O0x7nFqplB7nz/xE2jZuj2
FkzGDgP1oFGI5xJIa7mrFd7RE+WCl8voHaLkwfCLV4Y1ziUtON9rJLVZ7/qOLvRh
bbyoyAAUaw8FHSHuzy8d/UyThlKGPQeFHDGtMWcKF5R6tl/M/8sMmi4UE5aNjfUG
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
rrDnA14phqN7YdbFRcBJZGSdpngnV/o6gBi7JmnwBkRiopLRF0r6NJbgdVEHET+w
VvGmJSw6fCJF65BSsFGEJMBGn6sVaqi0e4nCT+9iWqTZBTp9pp0BftMqcpZ0uH/+
Xxw6drE2oFQNS0Vk7p5IeUsSkwtflvIo+2UhXTlgK4Bx10iVrIfi/hKtBgQcb097
IiRuO112urX3rvoSa7Ok7yF4nCbiBeJII+oqJub/sgrD3BG9nksFG7xMy/lSUQBK
uxf/s55LXZZUOM/P92Rdyjgy/7dtl3F4T865JvvWeDjaGGZDbLjN1vhcwV+01NMk
6/b0uoj1Yy4BV4ZPWsYAJ/4JTnXuSgS0XMrIAqzLrFZ8zRcn1JHCsHrBjynNbH5Q
eZF8rbzkvHpVlcY1YK6s02AB5rHwvscbYfNZ227kmpIIwYtI7YQQ7eTLkjb/XLln
uAvAcmueHjHai+AnuN03m392g/ldyX3OdW37fKA8+bjo3i09xQphnZjDkKa9U0yZ
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
BfiqTK8JpabN8s8noOzSRyCH8rOqzhhQK9ykF07m755HaHyYgHTwDU3M5N25epHo
8kziM7+Li9wL7DgIpmwdJqT4WChjA9Jm19S/E3KBiR38ru36m+IUkObCC7wdt6hc
MsHAdK8cKiPo9f+qqLj72M1Jea/TifBssqYVgV9otCFdEyqodPMkjHmLGVW6CjZv
77obJaGHpDIyw6CEjGSdwi+eemXW3p6uPs9VY+HcDZZ6hoPmbv0A7hue18d0tkpn
c34NbBTk1GXCUjLKUSQTQlFYhf/AhoEx2VL/uJHLC5cis6x8IWTmwQ2cDsL+Rmgv
joGYTR4DVRJearxWyFWxGC7rdsvqQSwlWfid6/60Bl6wlnYfh+vX/BjfmW1Ra8GU
tnZq3SbDw+izrpAovpryDD67sCbO4US858RQrPTblRb5vOKkyKpeQnVUlkPO6Woh
5i43bIXbJf4rLUoDDM2R1p58ZaTMq4uvrt4VeVTwBcYojdlbIhuYJWBYrHzf5NQU
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
PTBwHDOzubG8wq8RIjgMH5WhFCO3RIxt7g/RYqfw0+2BPkqQD3S0warAoa+DHHRY
6/hgCyPI8/rCt+VN/ItvhCelfix9y2PwyUlAb/jlNjVIa9SgO0657UaCaFt4+D9S
0rDwX+xLKHAGqnCGvfGMz/WH/D6u5kKKZj0Q7WRpwFhQ7C/+iXfl9aX8HJpuRDon
z4FrhHHC4CFM9nL7+htOhYoIpb9VIqFba1XUuI5hur2Sk7LeYzElUF1yU7UDdcR2
hvV6MrQFEY0gkbeICrvecoJt91HbMGhrV4dvXcQ3dqC4hP0Gv1yDW72JfvKUO2t0
7/P81JGoj4UauZCt7eE+w8Y7Qai230hHmIfGwQgF1z6GmT5PTtKNLr2BLWkRLTvX
ollnFsNLusBesJYvJW2bOqVMPMSqPSMD+I2MKOyAq3s2O7s1ndxgGrHewo6uqTe3
98noUm8b7Tr+hVh9MIg+Ln1xJEk8B7uzBG6cNmj8tWdCZnp7NiQEGt1SXcNL9u9t
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
c0qfBW7zy06tnx7ijMZDI79jXuc5XQiq/HIewUCq7mIN2WlNblGussg/+XtRwBU5
N1MB
Private-Lines: 1
h0SfniXkKBk/RFjjzZZpZo4SKg65N9Cdlg7OgJfRmwBJSQZplpxXvMStfG83Vheg
Private-MAC: 8e2fbff79bf7995dd5d48f2367115f1d02141be8a4ca2a87d0c78c5026c72c9c"##,
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
        example: r##"AGE-SECRET-KEY-1NC98UYUMSLSEXW2MVQ7C4C89EFN6GJ5UAJ7GTSP6P3LHDMPA6V99WNCV6H"##,
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
        example: r##"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiAidXNlci03NjAzIiwgImlhdCI6IDE3NjAwMDQ1NzR9.lvTYNxNKwiHo8OckZUCgnTe11utlc_TScQizjmA13ne"##,
        revoke: "Rotate the signing key if the token does not expire soon, or revoke the session it belongs to.",
        ..Detector::BASE
    },
];
