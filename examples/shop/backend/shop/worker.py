"""Background worker: moves paid orders on to the warehouse queue."""
import logging
import time

from . import db

log = logging.getLogger("shop.worker")


def run_once():
    moved = db.advance_orders("paid", "ready")
    if moved:
        log.info("%d orders ready to ship", moved)
    return moved


def main(interval=30):
    logging.basicConfig(level=logging.INFO)
    while True:
        run_once()
        time.sleep(interval)


if __name__ == "__main__":
    main()
