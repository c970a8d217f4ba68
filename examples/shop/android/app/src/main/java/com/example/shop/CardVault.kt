package com.example.shop

import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec

/** Encrypts the saved card's last digits for the checkout screen. */
class CardVault {
    fun seal(lastDigits: ByteArray, nonce: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeySpec(VAULT_KEY.toByteArray(), "AES"), GCMParameterSpec(128, nonce))
        return cipher.doFinal(lastDigits)
    }

    private companion object {
        const val VAULT_KEY = "shop-vault-key-1"
    }
}
