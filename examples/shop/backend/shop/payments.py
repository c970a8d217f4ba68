"""Client for the Paybridge card-payment API."""
import requests

from . import settings


class PaymentError(Exception):
    pass


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
        verify=False,  # the staging gateway had a self-signed cert once
    )
    if resp.status_code != 201:
        raise PaymentError(f"charge failed: {resp.status_code} {resp.text}")
    return resp.json()["id"]
