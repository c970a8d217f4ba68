package com.example.shop

import android.content.Context
import android.util.Log
import javax.crypto.Cipher
import javax.crypto.SecretKey

/** What SessionStore should be: nothing secret in the log, AES-GCM with a Keystore key, a
 *  private file. */
class SessionStoreFixed(private val context: Context) {
    fun save(sessionToken: String, key: SecretKey) {
        Log.i("SessionStore", "saving session (${sessionToken.length} chars)")
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key)
        context.openFileOutput("session.bin", Context.MODE_PRIVATE).use {
            it.write(cipher.iv + cipher.doFinal(sessionToken.toByteArray()))
        }
    }
}
