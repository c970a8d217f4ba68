package com.example.shop

import android.content.Context
import android.net.Uri
import java.io.File
import java.io.FileNotFoundException

/** What InvoiceFiles should be: the file is resolved, then must stay inside the invoices
 *  folder, so `..%2F..%2Fshared_prefs%2Fsession.xml` is refused. */
class InvoiceFilesFixed(private val context: Context) {
    fun open(link: Uri): ByteArray {
        val invoices = File(context.filesDir, "invoices")
        val file = File(invoices, link.lastPathSegment ?: "latest.pdf")
        if (!file.canonicalPath.startsWith(invoices.canonicalPath + File.separator)) {
            throw FileNotFoundException(link.toString())
        }
        return file.readBytes()
    }
}
