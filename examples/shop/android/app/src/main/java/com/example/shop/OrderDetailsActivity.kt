package com.example.shop

import android.app.Activity
import android.database.Cursor
import android.os.Bundle

/** Opens `shop://orders?id=…` links from order e-mails. */
class OrderDetailsActivity : Activity() {
    private val db by lazy { ShopDatabase.open(this) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val orderId = intent.data?.getQueryParameter("id") ?: return
        show(db.rawQuery("SELECT * FROM orders WHERE id = '$orderId'", null))
    }

    /** What `onCreate`'s query should be: the id is a bound parameter. */
    private fun loadOrderFixed(orderId: String): Cursor =
        db.rawQuery("SELECT * FROM orders WHERE id = ?", arrayOf(orderId))

    private fun show(order: Cursor) = order.close()
}
