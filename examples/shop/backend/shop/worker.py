"""Background worker: hands paid orders over to the logistics partner."""
import logging
import time

import requests

from . import db, settings

log = logging.getLogger("shop.worker")


def announce_ready_orders():
    """Tell the warehouse there are orders to pick; it calls /orders/<id>/shipped for each."""
    resp = requests.post(
        f"{settings.WAREHOUSE_API_URL}/pickups",
        json={"status": "ready"},
        headers={"Authorization": f"Bearer {settings.WAREHOUSE_API_KEY}"},
        timeout=10,
    )
    resp.raise_for_status()


def run_once():
    moved = db.advance_orders("paid", "ready")
    if moved:
        log.info("%d orders ready to ship", moved)
        announce_ready_orders()
    return moved


def main(interval=30):
    logging.basicConfig(level=logging.INFO)
    while True:
        run_once()
        time.sleep(interval)


if __name__ == "__main__":
    main()
