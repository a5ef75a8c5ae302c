/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arithmetic of CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759): pure
 * functions over nettle's MD4, MD5, SHA-1 and DES, no state. Used by PPP
 * authentication on the main lcore and by the unit tests.
 */
#ifndef LNS_CHAP_H
#define LNS_CHAP_H

#include <stddef.h>
#include <stdint.h>

#define CHAP_MD5_LEN 16
#define MSCHAPV2_CHALLENGE_LEN 16
#define MSCHAPV2_NT_RESPONSE_LEN 24
#define MSCHAPV2_AUTH_RESPONSE_LEN 42 /* "S=" and 40 hex digits */

/* RFC 1994 section 4.1: MD5(Identifier || secret || challenge). */
void chap_md5_response(uint8_t id, const char *secret, size_t secret_len, const uint8_t *chal,
		       size_t chal_len, uint8_t out[CHAP_MD5_LEN]);

/* RFC 2759 section 8.3 NtPasswordHash: MD4 of the password in UTF-16LE (ASCII/UTF-8 input:
 * each byte widened, which is exact for ASCII). Returns -EINVAL past 256 characters. */
int mschap_nt_password_hash(const char *password, size_t len, uint8_t out[16]);

/* RFC 2759 section 8.1 GenerateNTResponse. */
int mschapv2_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			 const char *user, size_t user_len, const char *password, size_t pw_len,
			 uint8_t out[MSCHAPV2_NT_RESPONSE_LEN]);

/* RFC 2759 section 8.7 GenerateAuthenticatorResponse: "S=" and 40 upper-case hex digits,
 * NUL-terminated (43 octets). */
int mschapv2_authenticator_response(const char *password, size_t pw_len,
				    const uint8_t nt_response[MSCHAPV2_NT_RESPONSE_LEN],
				    const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				    const char *user, size_t user_len,
				    char out[MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

#endif
