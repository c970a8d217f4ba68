package com.example.shop

import android.content.SharedPreferences
import java.security.MessageDigest

/** The app's PIN lock; it keeps an unsalted MD5 of the PIN, which four digits undo. */
class PinLock(private val prefs: SharedPreferences) {
    fun setPin(pin: String) {
        val md = MessageDigest.getInstance("MD5")
        val digest = md.digest(pin.toByteArray()).joinToString("") { "%02x".format(it) }
        prefs.edit().putString("lock_digest", digest).apply()
    }
}
