package com.example.shop

/** One-time codes for inviting a friend (redeemable for a voucher). */
class InviteCodes {
    private val alphabet = ('A'..'Z') + ('2'..'9')

    fun newInviteToken(): String = (1..10).map { alphabet.random() }.joinToString("")
}
