"""Runtime settings for the shop backend (loaded with app.config.from_object)."""
import os

DEBUG = True
SECRET_KEY = "shop-dev-secret-2f8d9c1e7b"

# The storefront, the Android web views and the back-office pages all call the API with cookies.
CORS_ORIGINS = "*"
CORS_SUPPORTS_CREDENTIALS = True

DB_HOST = os.environ.get("DB_HOST", "mysql.shop.svc.cluster.local")
DB_PORT = int(os.environ.get("DB_PORT", "3306"))
DB_NAME = "shop"
DB_USER = "shop"
DB_PASSWORD = "shop-db-password"

PAYMENT_API_URL = "https://api.paybridge.example/v1"
PAYMENT_API_KEY = "pb_demo_3b1f0c9a6e2d4f87"
PAYMENT_CA_BUNDLE = os.environ.get("PAYMENT_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")

WAREHOUSE_API_URL = "http://api.fastship-logistics.example/v2"
WAREHOUSE_API_KEY = os.environ.get("WAREHOUSE_API_KEY", "")
WAREHOUSE_CALLBACK_KEY = os.environ.get("WAREHOUSE_CALLBACK_KEY", "")
PARTNER_API_KEY = os.environ.get("PARTNER_API_KEY", "")

MOBILE_JWT_PUBLIC_KEY = os.environ.get("MOBILE_JWT_PUBLIC_KEY", "")
MOBILE_JWT_AUDIENCE = "shop-android"

SMTP_HOST = "smtp.mailrelay.example"
SMTP_PORT = 465
SMTP_USER = "orders@shop.example"
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
ORDER_DESK_EMAIL = "orders@shop.example"

BACKUP_DIR = "/var/backups/shop"
