package com.example.shop

import android.app.Activity
import android.net.Uri
import android.os.Bundle
import android.webkit.WebView

/** What PromoActivity should be: only https pages of the shop's own site are opened. */
class PromoActivityFixed : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val web = WebView(this)
        val promoUrl = intent.getStringExtra("promo_url") ?: return
        val uri = Uri.parse(promoUrl)
        if (uri.scheme == "https" && promoUrl.startsWith("https://shop.example/")) {
            web.loadUrl(promoUrl)
        }
        setContentView(web)
    }
}
