package com.example.shop

import android.content.Context
import android.net.Uri
import java.io.File

/** Opens the invoice a `shop://orders/invoice/<name>` link names. */
class InvoiceFiles(private val context: Context) {
    fun open(link: Uri): ByteArray {
        val invoices = File(context.filesDir, "invoices")
        return File(invoices, link.lastPathSegment ?: "latest.pdf").readBytes()
    }
}
