"""API for the shop's partners, under /partner/v1, with a scope per endpoint.

Same as partner_api.py, but there is no shared key any more: every partner
has its own key, stored as a SHA-256 hash in partner_keys with the scopes it
was issued for, and every endpoint names the scope it needs. The
price-comparison site's key carries catalog:read only, the agency's
orders:read and orders:write, the logistics partner's stock:write, so a
leaked key opens only what its partner uses, and one partner's key can be
revoked without touching the others.
"""
import functools
import hashlib

from flask import Blueprint, abort, g, jsonify, request

from . import db

bp = Blueprint("partner_api", __name__, url_prefix="/partner/v1")


def partner_key_required(scope):
    """The caller's own key, looked up by its hash, must have been issued `scope`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            presented = request.headers.get("X-Partner-Key", "")
            record = db.get_partner_key(hashlib.sha256(presented.encode()).hexdigest()) if presented else None
            if record is None:
                abort(401)
            if scope not in record["scopes"]:
                abort(403)
            g.partner = record["partner"]
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.route("/products")
@partner_key_required("catalog:read")
def catalog():
    return jsonify(db.list_products(request.args.get("category", "all")))


@bp.route("/orders/<int:order_id>")
@partner_key_required("orders:read")
def order_status(order_id):
    order = db.get_order(order_id)
    if order is None:
        abort(404)
    return jsonify(order)


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@partner_key_required("orders:write")
def cancel_order(order_id):
    if not db.set_order_status(order_id, "cancelled"):
        abort(404)
    return jsonify(ok=True)


@bp.route("/stock/<int:product_id>", methods=["PUT"])
@partner_key_required("stock:write")
def set_stock(product_id):
    quantity = int(request.get_json(force=True)["quantity"])
    if quantity < 0:
        abort(400)
    if not db.set_stock(product_id, quantity):
        abort(404)
    return jsonify(ok=True)
