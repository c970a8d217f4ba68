"""API for the shop's partners, under /partner/v1.

Three partners call it: the price-comparison site reads the catalogue, the
customer-service agency looks orders up and cancels them on a customer's
request, and the logistics partner pushes stock levels from its warehouse.

The catalogue and order endpoints date from 2019, when the agency was the
only partner: they accept the one key in PARTNER_API_KEY, which every
partner has since been given. The stock endpoint came later and checks the
caller's own key and its scopes (table partner_keys).
"""
import functools
import hashlib
import hmac

from flask import Blueprint, abort, g, jsonify, request

from . import db, settings

bp = Blueprint("partner_api", __name__, url_prefix="/partner/v1")


def partner_key_required(view):
    """The shared partner key, in the X-Partner-Key header."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        presented = request.headers.get("X-Partner-Key", "")
        if not (
            presented.isascii()
            and settings.PARTNER_API_KEY
            and hmac.compare_digest(presented, settings.PARTNER_API_KEY)
        ):
            abort(401)
        return view(*args, **kwargs)

    return wrapper


def partner_scope_required(scope):
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
@partner_key_required
def catalog():
    return jsonify(db.list_products(request.args.get("category", "all")))


@bp.route("/orders/<int:order_id>")
@partner_key_required
def order_status(order_id):
    order = db.get_order(order_id)
    if order is None:
        abort(404)
    return jsonify(order)


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@partner_key_required
def cancel_order(order_id):
    if not db.set_order_status(order_id, "cancelled"):
        abort(404)
    return jsonify(ok=True)


@bp.route("/stock/<int:product_id>", methods=["PUT"])
@partner_scope_required("stock:write")
def set_stock(product_id):
    quantity = int(request.get_json(force=True)["quantity"])
    if quantity < 0:
        abort(400)
    if not db.set_stock(product_id, quantity):
        abort(404)
    return jsonify(ok=True)
