"""Runtime settings for the shop backend."""
import os

DEBUG = True
SECRET_KEY = "shop-dev-secret-2f8d9c1e7b"

DB_HOST = os.environ.get("DB_HOST", "mysql.shop.svc.cluster.local")
DB_PORT = int(os.environ.get("DB_PORT", "3306"))
DB_NAME = "shop"
DB_USER = "shop"
DB_PASSWORD = "shop-db-password"

PAYMENT_API_URL = "https://api.paybridge.example/v1"
PAYMENT_API_KEY = "pb_demo_3b1f0c9a6e2d4f87"
PAYMENT_CA_BUNDLE = os.environ.get("PAYMENT_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
