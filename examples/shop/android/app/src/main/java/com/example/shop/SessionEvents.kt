package com.example.shop

import android.content.Context
import android.content.Intent

/** Tells the app's widgets that the user signed in. */
class SessionEvents(private val context: Context) {
    fun signedIn(authToken: String) {
        context.sendBroadcast(Intent("com.example.shop.SIGNED_IN").putExtra("auth_token", authToken))
    }
}
