"""Back-office maintenance: database backups on demand."""
import subprocess

from flask import Blueprint, jsonify, request

from . import auth, settings

bp = Blueprint("admin_tools", __name__, url_prefix="/admin")


@bp.route("/backup", methods=["POST"])
@auth.admin_required
def backup():
    name = request.form.get("name", "manual")
    target = f"{settings.BACKUP_DIR}/{name}.sql.gz"
    subprocess.run(
        f"mysqldump --defaults-extra-file=/etc/shop/backup.cnf --single-transaction"
        f" {settings.DB_NAME} | gzip > {target}",
        shell=True,
        check=True,
    )
    return jsonify(file=target), 201
