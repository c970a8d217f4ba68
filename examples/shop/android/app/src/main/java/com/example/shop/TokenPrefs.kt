package com.example.shop

import android.content.Context
import androidx.core.content.edit

/** Remembers the API token between launches, and the last receipt for offline viewing. */
class TokenPrefs(private val context: Context) {
    private val prefs = context.getSharedPreferences("shop", Context.MODE_PRIVATE)

    fun remember(apiToken: String) {
        prefs.edit { putString("api_token", apiToken) }
    }

    fun cacheReceipt(receiptJson: String, paymentToken: String) {
        java.io.File(context.cacheDir, "last-receipt.json").writeText(receiptJson + paymentToken)
    }
}
