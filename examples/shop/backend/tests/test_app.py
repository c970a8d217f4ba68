from shop.app import app


def test_health():
    client = app.test_client()
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_orders_need_login():
    client = app.test_client()
    resp = client.post("/orders", json={"product_id": 1})
    assert resp.status_code == 401
