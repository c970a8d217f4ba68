package com.example.shop

import android.app.Activity
import android.os.Bundle
import android.webkit.WebView

/** Shows a campaign page; marketing e-mails link to it with the page in `promo_url`. */
class PromoActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val web = WebView(this)
        val promoUrl = intent.getStringExtra("promo_url") ?: return
        web.loadUrl(promoUrl)
        setContentView(web)
    }
}
