package com.example.shop

import android.app.Activity
import android.os.Bundle
import android.webkit.WebView

/** What CheckoutActivity should be: no bridge, no file:// origin privileges; the page talks
 *  to the app through postMessage from the asset loader's https origin. */
class CheckoutActivityFixed : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val web = WebView(this)
        web.settings.javaScriptEnabled = true
        web.settings.allowUniversalAccessFromFileURLs = false
        web.loadUrl("https://appassets.androidplatform.net/assets/checkout/index.html")
        setContentView(web)
    }
}
