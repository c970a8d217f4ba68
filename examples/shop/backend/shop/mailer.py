"""E-mails to the order desk, through the hosting company's mail relay."""
import smtplib
import ssl
from email.message import EmailMessage

from . import settings


def _tls_context():
    # The relay still only speaks TLS 1.0.
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)


def notify_order_desk(order_id, amount_cents):
    msg = EmailMessage()
    msg["From"] = settings.SMTP_USER
    msg["To"] = settings.ORDER_DESK_EMAIL
    msg["Subject"] = f"New order #{order_id}"
    msg.set_content(f"Order {order_id} was paid: {amount_cents / 100:.2f} EUR.")
    with smtplib.SMTP_SSL(settings.SMTP_HOST, settings.SMTP_PORT, context=_tls_context()) as smtp:
        smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
        smtp.send_message(msg)
