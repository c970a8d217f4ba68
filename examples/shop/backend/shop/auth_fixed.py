"""Passwords, sessions, mobile tokens and the warehouse's API key, done right.

Same as auth.py, but passwords are hashed with a slow salted hash
(Werkzeug's PBKDF2), mobile tokens are verified against the identity
provider's public key, admin rights come from the signed session only
(not from a `role` cookie anyone can set), and the API key is compared in
constant time.
"""
import functools
import hmac

import jwt
from flask import abort, g, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from . import settings


def hash_password(password):
    return generate_password_hash(password)


def check_password(user, password):
    return check_password_hash(user["password_hash"], password)


def user_from_mobile_token():
    """The user id in the Android app's bearer token, or None."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(
            header[len("Bearer "):],
            settings.MOBILE_JWT_PUBLIC_KEY,
            algorithms=["RS256"],
            audience=settings.MOBILE_JWT_AUDIENCE,
        )
    except jwt.InvalidTokenError:
        return None
    return claims.get("sub")


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.user_id = session.get("user_id") or user_from_mobile_token()
        if g.user_id is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("is_admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def warehouse_key_required(view):
    """For the callbacks of the logistics partner, which sends our key in X-Api-Key."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("X-Api-Key", "")
        expected = settings.WAREHOUSE_CALLBACK_KEY
        if key and expected and hmac.compare_digest(key.encode(), expected.encode()):
            return view(*args, **kwargs)
        abort(401)

    return wrapper
