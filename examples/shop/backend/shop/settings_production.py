"""Settings for the production deployment.

Same keys as settings.py, but debug mode is off, secrets come from the
environment, CORS names the shop's own front ends, and every partner is
reached over HTTPS.
"""
import os

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = True

CORS_ORIGINS = ["https://shop.example", "https://backoffice.shop.example"]
CORS_SUPPORTS_CREDENTIALS = True

DB_HOST = os.environ.get("DB_HOST", "mysql.shop.svc.cluster.local")
DB_PORT = int(os.environ.get("DB_PORT", "3306"))
DB_NAME = "shop"
DB_USER = "shop"
DB_PASSWORD = os.environ["DB_PASSWORD"]

PAYMENT_API_URL = "https://api.paybridge.example/v1"
PAYMENT_API_KEY = os.environ["PAYMENT_API_KEY"]
PAYMENT_CA_BUNDLE = os.environ.get("PAYMENT_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")

WAREHOUSE_API_URL = "https://api.fastship-logistics.example/v2"
WAREHOUSE_API_KEY = os.environ["WAREHOUSE_API_KEY"]
WAREHOUSE_CALLBACK_KEY = os.environ["WAREHOUSE_CALLBACK_KEY"]
PARTNER_API_KEY = os.environ["PARTNER_API_KEY"]

MOBILE_JWT_PUBLIC_KEY = os.environ["MOBILE_JWT_PUBLIC_KEY"]
MOBILE_JWT_AUDIENCE = "shop-android"

SMTP_HOST = "smtp.mailrelay.example"
SMTP_PORT = 587
SMTP_USER = "orders@shop.example"
SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]
ORDER_DESK_EMAIL = "orders@shop.example"

BACKUP_DIR = "/var/backups/shop"
