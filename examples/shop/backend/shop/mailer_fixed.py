"""E-mails to the order desk, over TLS 1.2 or later.

Same as mailer.py, but the connection uses ssl.create_default_context(),
which checks the relay's certificate, with TLS 1.2 as the lowest version
(the relay's submission port 587 with STARTTLS offers it).
"""
import smtplib
import ssl
from email.message import EmailMessage

from . import settings


def _tls_context():
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def notify_order_desk(order_id, amount_cents):
    msg = EmailMessage()
    msg["From"] = settings.SMTP_USER
    msg["To"] = settings.ORDER_DESK_EMAIL
    msg["Subject"] = f"New order #{order_id}"
    msg.set_content(f"Order {order_id} was paid: {amount_cents / 100:.2f} EUR.")
    with smtplib.SMTP(settings.SMTP_HOST, 587) as smtp:
        smtp.starttls(context=_tls_context())
        smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
        smtp.send_message(msg)
