package com.example.shop

import javax.net.ssl.SSLContext

/** What ApiClient should be: the platform's trust store (and the network security config's
 *  pins) decide; no custom trust manager. */
object ApiClientFixed {
    val tls: SSLContext = SSLContext.getDefault()
}
