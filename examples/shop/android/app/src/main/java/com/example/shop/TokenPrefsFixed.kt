package com.example.shop

import android.content.Context
import androidx.core.content.edit
import androidx.security.crypto.EncryptedSharedPreferences
import androidx.security.crypto.MasterKey

/** What TokenPrefs should be: the token in EncryptedSharedPreferences (key in the Keystore),
 *  and only the receipt, never the payment token, in the cache. */
class TokenPrefsFixed(private val context: Context) {
    private val prefs = EncryptedSharedPreferences.create(
        context,
        "shop",
        MasterKey.Builder(context).setKeyScheme(MasterKey.KeyScheme.AES256_GCM).build(),
        EncryptedSharedPreferences.PrefKeyEncryptionScheme.AES256_SIV,
        EncryptedSharedPreferences.PrefValueEncryptionScheme.AES256_GCM,
    )

    fun remember(apiToken: String) {
        prefs.edit { putString("api_token", apiToken) }
    }

    fun cacheReceipt(receiptJson: String) {
        java.io.File(context.cacheDir, "last-receipt.json").writeText(receiptJson)
    }
}
