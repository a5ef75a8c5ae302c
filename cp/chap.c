/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CHAP-MD5 and MS-CHAPv2 arithmetic. The hashes and the cipher are nettle's;
 * only the compositions the RFCs define are written here, because no Debian
 * library offers MS-CHAPv2 as a function (RFC 2759 section 8).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

#include "cp/chap.h"

void chap_md5_response(uint8_t id, const char *secret, size_t secret_len, const uint8_t *chal,
		       size_t chal_len, uint8_t out[CHAP_MD5_LEN])
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, 1, &id);
	md5_update(&c, secret_len, (const uint8_t *)secret);
	md5_update(&c, chal_len, chal);
	md5_digest(&c, CHAP_MD5_LEN, out);
}

int mschap_nt_password_hash(const char *password, size_t len, uint8_t out[16])
{
	uint8_t u16[2 * 256];
	struct md4_ctx c;

	if (len > 256)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		u16[2 * i] = (uint8_t)password[i];
		u16[2 * i + 1] = 0;
	}
	md4_init(&c);
	md4_update(&c, 2 * len, u16);
	md4_digest(&c, 16, out);
	return 0;
}

/* Section 8.2 ChallengeHash: the first 8 octets of SHA1(peer || authenticator || user). */
static void challenge_hash(const uint8_t peer[16], const uint8_t auth[16], const char *user,
			   size_t user_len, uint8_t out[8])
{
	uint8_t d[SHA1_DIGEST_SIZE];
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, 16, peer);
	sha1_update(&c, 16, auth);
	sha1_update(&c, user_len, (const uint8_t *)user);
	sha1_digest(&c, sizeof(d), d);
	memcpy(out, d, 8);
}

/* Section 8.6 DesEncrypt: a 7-octet key spread over 8 with parity bits. */
static void des_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
	uint8_t k[8];
	struct des_ctx c;

	k[0] = key7[0];
	for (int i = 1; i < 7; i++)
		k[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
	k[7] = (uint8_t)(key7[6] << 1);
	des_fix_parity(8, k, k);
	des_set_key(&c, k); /* a weak key still encrypts; the RFC allows none to be refused */
	des_encrypt(&c, 8, out, in);
}

/* Section 8.5 ChallengeResponse. */
static void challenge_response(const uint8_t chal[8], const uint8_t hash[16], uint8_t out[24])
{
	uint8_t z[21] = {0};

	memcpy(z, hash, 16);
	des_7(z, chal, out);
	des_7(z + 7, chal, out + 8);
	des_7(z + 14, chal, out + 16);
}

int mschapv2_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			 const char *user, size_t user_len, const char *password, size_t pw_len,
			 uint8_t out[MSCHAPV2_NT_RESPONSE_LEN])
{
	uint8_t ch[8], ph[16];

	if (mschap_nt_password_hash(password, pw_len, ph) < 0)
		return -EINVAL;
	challenge_hash(peer_chal, auth_chal, user, user_len, ch);
	challenge_response(ch, ph, out);
	return 0;
}

int mschapv2_authenticator_response(const char *password, size_t pw_len,
				    const uint8_t nt_response[MSCHAPV2_NT_RESPONSE_LEN],
				    const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				    const char *user, size_t user_len,
				    char out[MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	static const uint8_t magic1[39] = "Magic server to client signing constant";
	static const uint8_t magic2[41] = "Pad to make it do more than one iteration";
	uint8_t ph[16], phh[16], d[SHA1_DIGEST_SIZE], ch[8];
	struct md4_ctx m;
	struct sha1_ctx s;

	if (mschap_nt_password_hash(password, pw_len, ph) < 0)
		return -EINVAL;
	md4_init(&m);
	md4_update(&m, 16, ph);
	md4_digest(&m, 16, phh);
	sha1_init(&s);
	sha1_update(&s, 16, phh);
	sha1_update(&s, MSCHAPV2_NT_RESPONSE_LEN, nt_response);
	sha1_update(&s, sizeof(magic1), magic1);
	sha1_digest(&s, sizeof(d), d);
	challenge_hash(peer_chal, auth_chal, user, user_len, ch);
	sha1_init(&s);
	sha1_update(&s, sizeof(d), d);
	sha1_update(&s, 8, ch);
	sha1_update(&s, sizeof(magic2), magic2);
	sha1_digest(&s, sizeof(d), d);
	out[0] = 'S';
	out[1] = '=';
	for (int i = 0; i < 20; i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", d[i]);
	return 0;
}
