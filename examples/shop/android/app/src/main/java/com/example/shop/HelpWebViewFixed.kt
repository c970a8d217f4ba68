package com.example.shop

import android.content.Context
import android.webkit.WebView

/** What HelpWebView should be: remote debugging only in debug builds. */
class HelpWebViewFixed(context: Context) : WebView(context) {
    init {
        setWebContentsDebuggingEnabled(BuildConfig.DEBUG)
        loadUrl("https://help.shop.example/")
    }
}
