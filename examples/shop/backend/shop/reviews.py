"""Product reviews: customers rate what they bought."""
from flask import Blueprint, abort, g, jsonify, request

from . import auth, db

bp = Blueprint("reviews", __name__)


@bp.route("/products/<int:product_id>/reviews")
def list_reviews(product_id):
    return jsonify(db.list_reviews(product_id))


@bp.route("/products/<int:product_id>/reviews", methods=["POST"])
@auth.login_required
def add_review(product_id):
    body = request.get_json(force=True)
    rating = int(body.get("rating", 0))
    if not 1 <= rating <= 5:
        abort(400)
    review_id = db.add_review(product_id, g.user_id, rating, body.get("text", ""))
    return jsonify(review_id=review_id), 201


# The storefront shows the delete button on the customer's own reviews only.
@bp.route("/reviews/<int:review_id>", methods=["DELETE"])
def delete_review(review_id):
    if not db.delete_review(review_id):
        abort(404)
    return "", 204
