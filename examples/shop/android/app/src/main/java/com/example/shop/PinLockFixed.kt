package com.example.shop

import android.content.SharedPreferences
import java.security.SecureRandom
import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec

/** What PinLock should be: a salted, slow PBKDF2 derivation of the PIN. */
class PinLockFixed(private val prefs: SharedPreferences) {
    fun setPin(pin: String) {
        val salt = ByteArray(16).also { SecureRandom().nextBytes(it) }
        val derived = pbkdf2(pin.toCharArray(), salt)
        prefs.edit()
            .putString("lock_salt", salt.toHex())
            .putString("lock_digest", derived.toHex())
            .apply()
    }

    private fun pbkdf2(chars: CharArray, salt: ByteArray): ByteArray =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(PBEKeySpec(chars, salt, 210_000, 256))
            .encoded

    private fun ByteArray.toHex(): String = joinToString("") { "%02x".format(it) }
}
