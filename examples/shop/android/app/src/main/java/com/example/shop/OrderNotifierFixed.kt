package com.example.shop

import android.app.PendingIntent
import android.content.Context
import android.content.Intent

/** What OrderNotifier should be: the (mutable, for inline reply) intent names its receiver. */
class OrderNotifierFixed(private val context: Context) {
    fun replyAction(): PendingIntent {
        val reply = Intent(context, OrderStatusReceiver::class.java)
        return PendingIntent.getBroadcast(context, 7, reply, PendingIntent.FLAG_MUTABLE)
    }
}
