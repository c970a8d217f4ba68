"""Product reviews, with deleting a review limited to its author.

Same as reviews.py, but DELETE /reviews/<id> requires a logged-in customer
(`auth.login_required`, like posting a review) and deletes the review only
when that customer wrote it: the storefront hiding the button protects
nothing, since anyone can send the request.
"""
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


@bp.route("/reviews/<int:review_id>", methods=["DELETE"])
@auth.login_required
def delete_review(review_id):
    review = db.get_review(review_id)
    if review is None:
        abort(404)
    # Session logins give an int, mobile tokens the `sub` claim as a string.
    if str(review["user_id"]) != str(g.user_id):
        abort(403)
    db.delete_review(review_id)
    return "", 204
