"""Back-office sales reports, with the uploaded YAML read safely.

Same as reports.py, but the definition is parsed with yaml.safe_load, which
builds only plain data (dicts, lists, strings, numbers, dates) and never
Python objects.
"""
import yaml
from flask import Blueprint, abort, jsonify, request

from . import auth, db

bp = Blueprint("reports", __name__, url_prefix="/admin")


@bp.route("/reports", methods=["POST"])
@auth.admin_required
def run_report():
    definition = yaml.safe_load(request.files["definition"].read())
    if not isinstance(definition, dict) or "from" not in definition or "to" not in definition:
        abort(400)
    rows = db.sales_report(definition["from"], definition["to"], definition.get("category"))
    return jsonify(rows)
