"""Back-office maintenance: database backups on demand, without a shell.

Same as admin_tools.py, but the backup name must match a fixed pattern and
mysqldump and gzip are started with argument lists and joined by a pipe in
Python, so no shell ever parses the request's value.
"""
import re
import subprocess

from flask import Blueprint, abort, jsonify, request

from . import auth, settings

bp = Blueprint("admin_tools", __name__, url_prefix="/admin")

BACKUP_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@bp.route("/backup", methods=["POST"])
@auth.admin_required
def backup():
    name = request.form.get("name", "manual")
    if not BACKUP_NAME.fullmatch(name):
        abort(400)
    target = f"{settings.BACKUP_DIR}/{name}.sql.gz"
    with open(target, "wb") as out:
        dump = subprocess.Popen(
            ["mysqldump", "--defaults-extra-file=/etc/shop/backup.cnf", "--single-transaction",
             settings.DB_NAME],
            stdout=subprocess.PIPE,
        )
        subprocess.run(["gzip"], stdin=dump.stdout, stdout=out, check=True)
        dump.stdout.close()
        if dump.wait() != 0:
            abort(500)
    return jsonify(file=target), 201
