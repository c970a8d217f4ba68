"""HTTP API of the demo shop."""
from flask import Flask, abort, g, jsonify, request, session
from flask_cors import CORS

from . import admin_tools, auth, db, mailer, partner_api, payments, reports, reviews, settings

app = Flask(__name__)
app.config.from_object(settings)
CORS(app)
app.register_blueprint(reports.bp)
app.register_blueprint(admin_tools.bp)
app.register_blueprint(reviews.bp)
app.register_blueprint(partner_api.bp)


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
    if user is None or not auth.check_password(user, request.form.get("password", "")):
        return jsonify(error="invalid credentials"), 401
    session["user_id"] = user["id"]
    session["is_admin"] = bool(user["is_admin"])
    return jsonify(ok=True)


@app.route("/orders", methods=["POST"])
@auth.login_required
def create_order():
    body = request.get_json(force=True)
    order_id = db.create_order(g.user_id, body["product_id"], body.get("quantity", 1))
    charge_id = payments.charge(order_id, body["amount_cents"], body["card_token"])
    mailer.notify_order_desk(order_id, body["amount_cents"])
    return jsonify(order_id=order_id, charge_id=charge_id), 201


@app.route("/orders/<int:order_id>")
def get_order(order_id):
    order = db.get_order(order_id)
    if order is None:
        abort(404)
    return jsonify(order)


@app.route("/orders/<int:order_id>/shipped", methods=["POST"])
@auth.warehouse_key_required
def order_shipped(order_id):
    if not db.set_order_status(order_id, "shipped"):
        abort(404)
    return jsonify(ok=True)


@app.route("/admin")
@auth.admin_required
def admin():
    return jsonify(message="welcome to the back office")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=settings.DEBUG)
