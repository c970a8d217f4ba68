package com.example.shop

import android.content.Context
import android.webkit.WebView

/** The in-app help centre; someone left remote debugging on for the release build. */
class HelpWebView(context: Context) : WebView(context) {
    init {
        setWebContentsDebuggingEnabled(true)
        loadUrl("https://help.shop.example/")
    }
}
