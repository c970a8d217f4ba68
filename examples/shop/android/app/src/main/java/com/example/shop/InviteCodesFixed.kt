package com.example.shop

import java.security.SecureRandom

/** What InviteCodes should be: codes drawn from SecureRandom, so one code does not give
 *  away the next. */
class InviteCodesFixed {
    private val alphabet = ('A'..'Z') + ('2'..'9')
    private val random = SecureRandom()

    fun newInviteToken(): String = (1..10).map { alphabet[random.nextInt(alphabet.size)] }.joinToString("")
}
