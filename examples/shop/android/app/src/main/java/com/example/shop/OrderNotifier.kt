package com.example.shop

import android.app.PendingIntent
import android.content.Context
import android.content.Intent

/** Builds the "reply to the courier" action of the delivery notification. */
class OrderNotifier(private val context: Context) {
    fun replyAction(): PendingIntent {
        val reply = Intent("com.example.shop.COURIER_REPLY")
        return PendingIntent.getBroadcast(context, 7, reply, PendingIntent.FLAG_MUTABLE)
    }
}
