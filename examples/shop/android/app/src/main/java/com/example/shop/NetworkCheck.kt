package com.example.shop

import android.net.Uri

/** Support links (`shop://support/ping?host=…`) run a connectivity check. */
class NetworkCheck {
    fun ping(link: Uri): Process {
        val host = link.getQueryParameter("host") ?: "api.shop.example"
        return Runtime.getRuntime().exec(arrayOf("sh", "-c", "ping -c 3 $host"))
    }
}
