"""Back-office sales reports, described by an uploaded YAML file."""
import yaml
from flask import Blueprint, jsonify, request

from . import auth, db

bp = Blueprint("reports", __name__, url_prefix="/admin")


@bp.route("/reports", methods=["POST"])
@auth.admin_required
def run_report():
    # A definition looks like: {from: 2020-05-01, to: 2020-06-01, category: shoes}
    definition = yaml.load(request.files["definition"].read(), Loader=yaml.Loader)
    rows = db.sales_report(definition["from"], definition["to"], definition.get("category"))
    return jsonify(rows)
