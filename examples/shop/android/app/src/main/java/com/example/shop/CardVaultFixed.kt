package com.example.shop

import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.SecretKey

/** What CardVault should be: the key lives in the Android Keystore and the cipher picks a
 *  fresh IV, stored in front of the ciphertext. */
class CardVaultFixed {
    fun seal(lastDigits: ByteArray): ByteArray {
        val keyStore = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        val key = keyStore.getKey("card-vault", null) as SecretKey
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key)
        return cipher.iv + cipher.doFinal(lastDigits)
    }
}
