package com.example.shop

import android.app.Activity
import android.os.Bundle
import android.webkit.JavascriptInterface
import android.webkit.WebView

/** The payment page, rendered from the offline bundle with a bridge to the wallet. */
class CheckoutActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val web = WebView(this)
        web.settings.javaScriptEnabled = true
        web.settings.allowUniversalAccessFromFileURLs = true
        web.addJavascriptInterface(WalletBridge(), "wallet")
        web.loadUrl("file:///android_asset/checkout/index.html")
        setContentView(web)
    }

    class WalletBridge {
        @JavascriptInterface
        fun cardOnFile(): String = "**** 4242"
    }
}
