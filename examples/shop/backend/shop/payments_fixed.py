"""Client for the Paybridge card-payment API, with TLS verified.

Same as payments.py, but the server certificate is always checked: against
the CA bundle named by settings.PAYMENT_CA_BUNDLE when it exists, else
against the system trust store that requests uses by default.
"""
import os

import requests

from . import settings


class PaymentError(Exception):
    pass


def _ca_bundle():
    path = settings.PAYMENT_CA_BUNDLE
    if path and os.path.isfile(path):
        return path
    return True


def charge(order_id, amount_cents, card_token):
    """Charge a tokenized card and return the provider's charge id."""
    resp = requests.post(
        f"{settings.PAYMENT_API_URL}/charges",
        json={
            "amount": amount_cents,
            "currency": "EUR",
            "source": card_token,
            "reference": f"order-{order_id}",
        },
        headers={"Authorization": f"Bearer {settings.PAYMENT_API_KEY}"},
        timeout=10,
        verify=_ca_bundle(),
    )
    if resp.status_code != 201:
        raise PaymentError(f"charge failed: {resp.status_code}")
    return resp.json()["id"]
