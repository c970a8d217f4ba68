package com.example.shop

import android.content.Context
import android.content.Intent

/** What SessionEvents should be: the broadcast stays inside the app, and the widgets read
 *  the token from the app's own store instead of the intent. */
class SessionEventsFixed(private val context: Context) {
    fun signedIn() {
        context.sendBroadcast(Intent("com.example.shop.SIGNED_IN").setPackage(context.packageName))
    }
}
