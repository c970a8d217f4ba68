"""MySQL access for the shop, through PyMySQL."""
import pymysql
import pymysql.cursors

from . import settings


def get_connection():
    return pymysql.connect(
        host=settings.DB_HOST,
        port=settings.DB_PORT,
        user=settings.DB_USER,
        password=settings.DB_PASSWORD,
        database=settings.DB_NAME,
        charset="utf8mb4",
        cursorclass=pymysql.cursors.DictCursor,
    )


def _fetch_all(sql, args=None):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()


def list_products(category):
    # Parameterized: the driver escapes `category`.
    return _fetch_all(
        "SELECT id, name, price_cents FROM products WHERE category = %s ORDER BY name",
        (category,),
    )


def search_products(term):
    # `term` comes straight from the `q` query parameter of /products/search.
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, name, price_cents FROM products WHERE name LIKE '%{term}%'")
            return cur.fetchall()
    finally:
        conn.close()


def get_user(username):
    rows = _fetch_all(
        "SELECT id, username, password_hash, is_admin FROM users WHERE username = %s",
        (username,),
    )
    return rows[0] if rows else None


def get_order(order_id):
    rows = _fetch_all(
        "SELECT id, user_id, product_id, quantity, status FROM orders WHERE id = %s",
        (order_id,),
    )
    return rows[0] if rows else None


def create_order(user_id, product_id, quantity):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO orders (user_id, product_id, quantity) VALUES (%s, %s, %s)",
                (user_id, product_id, quantity),
            )
            order_id = cur.lastrowid
        conn.commit()
        return order_id
    finally:
        conn.close()


def set_order_status(order_id, status):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            count = cur.execute("UPDATE orders SET status = %s WHERE id = %s", (status, order_id))
        conn.commit()
        return count
    finally:
        conn.close()


def sales_report(start, end, category=None):
    sql = (
        "SELECT p.category, SUM(o.quantity * p.price_cents) AS revenue_cents"
        " FROM orders o JOIN products p ON p.id = o.product_id"
        " WHERE o.created_at >= %s AND o.created_at < %s"
    )
    args = [start, end]
    if category:
        sql += " AND p.category = %s"
        args.append(category)
    sql += " GROUP BY p.category ORDER BY revenue_cents DESC"
    return _fetch_all(sql, args)


def advance_orders(from_status, to_status):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            count = cur.execute(
                "UPDATE orders SET status = %s WHERE status = %s",
                (to_status, from_status),
            )
        conn.commit()
        return count
    finally:
        conn.close()


def set_stock(product_id, quantity):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            count = cur.execute(
                "UPDATE products SET stock = %s WHERE id = %s", (quantity, product_id)
            )
        conn.commit()
        return count
    finally:
        conn.close()


def get_partner_key(key_hash):
    """The partner key stored under this SHA-256 hash, with its scopes as a list, or None."""
    rows = _fetch_all(
        "SELECT id, partner, scopes FROM partner_keys WHERE key_hash = %s AND revoked_at IS NULL",
        (key_hash,),
    )
    if not rows:
        return None
    record = rows[0]
    record["scopes"] = record["scopes"].split()
    return record


def list_reviews(product_id):
    return _fetch_all(
        "SELECT id, user_id, rating, body, created_at FROM reviews"
        " WHERE product_id = %s ORDER BY created_at DESC",
        (product_id,),
    )


def get_review(review_id):
    rows = _fetch_all(
        "SELECT id, product_id, user_id, rating, body FROM reviews WHERE id = %s",
        (review_id,),
    )
    return rows[0] if rows else None


def add_review(product_id, user_id, rating, body):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO reviews (product_id, user_id, rating, body) VALUES (%s, %s, %s, %s)",
                (product_id, user_id, rating, body),
            )
            review_id = cur.lastrowid
        conn.commit()
        return review_id
    finally:
        conn.close()


def delete_review(review_id):
    conn = get_connection()
    try:
        with conn.cursor() as cur:
            count = cur.execute("DELETE FROM reviews WHERE id = %s", (review_id,))
        conn.commit()
        return count
    finally:
        conn.close()
