/* SPDX-License-Identifier: BSD-3-Clause */
/* CHAP-MD5 and MS-CHAPv2 arithmetic (cp/chap.c) against published vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp/chap.h"

/* RFC 2759 section 9.2. */
static const uint8_t auth_chal[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
				      0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
static const uint8_t peer_chal[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
				      0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};
static const uint8_t nt_response[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
static const uint8_t pw_hash[16] = {0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
				    0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};

static void rfc2759_password_hash(void **state)
{
	uint8_t h[16];

	(void)state;
	assert_int_equal(mschap_nt_password_hash("clientPass", 10, h), 0);
	assert_memory_equal(h, pw_hash, 16);
}

static void rfc2759_nt_response(void **state)
{
	uint8_t r[24];

	(void)state;
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal, "User", 4, "clientPass", 10, r),
			 0);
	assert_memory_equal(r, nt_response, 24);
	/* A wrong password gives another response. */
	mschapv2_nt_response(auth_chal, peer_chal, "User", 4, "clientPasS", 10, r);
	assert_memory_not_equal(r, nt_response, 24);
}

static void rfc2759_authenticator_response(void **state)
{
	char s[MSCHAPV2_AUTH_RESPONSE_LEN + 1];

	(void)state;
	assert_int_equal(mschapv2_authenticator_response("clientPass", 10, nt_response, peer_chal,
							 auth_chal, "User", 4, s),
			 0);
	assert_string_equal(s, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

/* RFC 1994 has no vector: MD5(0x01 || "secret" || 00..0f) as Python's hashlib computes it. */
static void chap_md5(void **state)
{
	static const uint8_t want[16] = {0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda, 0x3a, 0x4d,
					 0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d};
	uint8_t chal[16], out[16];

	(void)state;
	for (int i = 0; i < 16; i++)
		chal[i] = (uint8_t)i;
	chap_md5_response(1, "secret", 6, chal, sizeof(chal), out);
	assert_memory_equal(out, want, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2759_password_hash),
		cmocka_unit_test(rfc2759_nt_response),
		cmocka_unit_test(rfc2759_authenticator_response),
		cmocka_unit_test(chap_md5),
	};

	return cmocka_run_group_tests_name("chap", tests, NULL, NULL);
}
