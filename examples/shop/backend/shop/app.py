"""HTTP API of the demo shop."""
import hashlib

from flask import Flask, abort, jsonify, request, session

from . import db, payments, settings

app = Flask(__name__)
app.config["SECRET_KEY"] = settings.SECRET_KEY
app.config["DEBUG"] = settings.DEBUG


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/products")
def products():
    category = request.args.get("category", "all")
    return jsonify(db.list_products(category))


@app.route("/products/search")
def search():
    return jsonify(db.search_products(request.args.get("q", "")))


@app.route("/login", methods=["POST"])
def login():
    user = db.get_user(request.form.get("username", ""))
    password = request.form.get("password", "").encode()
    if user is None or hashlib.md5(password).hexdigest() != user["password_hash"]:
        return jsonify(error="invalid credentials"), 401
    session["user_id"] = user["id"]
    session["is_admin"] = bool(user["is_admin"])
    return jsonify(ok=True)


@app.route("/orders", methods=["POST"])
def create_order():
    if "user_id" not in session:
        abort(401)
    body = request.get_json(force=True)
    order_id = db.create_order(session["user_id"], body["product_id"], body.get("quantity", 1))
    charge_id = payments.charge(order_id, body["amount_cents"], body["card_token"])
    return jsonify(order_id=order_id, charge_id=charge_id), 201


@app.route("/orders/<int:order_id>")
def get_order(order_id):
    order = db.get_order(order_id)
    if order is None:
        abort(404)
    return jsonify(order)


@app.route("/admin")
def admin():
    if request.cookies.get("role") != "admin" and not session.get("is_admin"):
        abort(403)
    return jsonify(message="welcome to the back office")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=settings.DEBUG)
