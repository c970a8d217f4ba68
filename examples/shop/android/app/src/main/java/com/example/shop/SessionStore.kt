package com.example.shop

import android.content.Context
import android.util.Log
import javax.crypto.Cipher
import javax.crypto.spec.SecretKeySpec

/** Keeps the signed-in customer's session between launches. */
class SessionStore(private val context: Context) {
    fun save(sessionToken: String, key: ByteArray) {
        Log.i("SessionStore", "saving session $sessionToken")
        val cipher = Cipher.getInstance("AES/ECB/PKCS5Padding")
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeySpec(key, "AES"))
        context.openFileOutput("session.bin", Context.MODE_WORLD_READABLE).use {
            it.write(cipher.doFinal(sessionToken.toByteArray()))
        }
    }
}
