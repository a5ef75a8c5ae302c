/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the RADIUS codec (cp/radius_codec.c, cp/radius_dict.c). Any bytes must
 * parse or fail with -EBADMSG, never crash or read out of bounds. A packet that parses goes
 * through both verifiers (fixed secret, fixed request authenticator), the finders and getters,
 * and the User-Password and Tunnel-Password decoders; then every attribute is re-emitted with
 * the builder, the result must parse to the same entries and verify, and re-emitting that
 * must give the same octets. Seeds in tests/fuzz/corpus/radius/.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp/radius_codec.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t secret[] = "fuzz-secret";
#define SLEN (sizeof(secret) - 1)
static const uint8_t req_auth[16] = {0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
				     0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a};

static struct radius_pkt p1, p2, p3;
static uint8_t out1[RADIUS_MAX_LEN], out2[RADIUS_MAX_LEN];

static int inside(const uint8_t *p, size_t len, const uint8_t *base, size_t size)
{
	return p >= base && p <= base + size && len <= (size_t)(base + size - p);
}

/* What a successful parse promises about the struct it filled. */
static void check_pkt(const struct radius_pkt *p, const uint8_t *data, size_t size)
{
	unsigned i, bad = 0;

	check(p->len >= RADIUS_HDR_LEN && p->len <= RADIUS_MAX_LEN && p->len <= size);
	check(p->code == data[0] && p->id == data[1]);
	check(p->authenticator == data + 4);
	check(p->n <= RADIUS_MAX_ATTRS);
	check(p->msg_auth >= -1 && p->msg_auth < (int)p->n);
	for (i = 0; i < p->n; i++) {
		const struct radius_attr *a = &p->a[i];

		check(inside(a->v, a->len, data + RADIUS_HDR_LEN, p->len - RADIUS_HDR_LEN));
		check(a->vendor == 0 || (a->type == RADIUS_ATTR_VENDOR_SPECIFIC &&
					 a->vendor <= 0xffffff && a->len <= RADIUS_VSA_MAX_VAL));
		check(a->vendor != 0 || a->vtype == 0);
		if (a->vendor == 0 && a->type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR)
			check(p->msg_auth == (int)i && a->len == 16);
		bad += a->bad;
	}
	check(bad == p->n_bad);
}

static bool is_request(uint8_t code)
{
	return code == RADIUS_ACCESS_REQUEST || code == RADIUS_STATUS_SERVER ||
	       code == RADIUS_ACCOUNTING_REQUEST || code == RADIUS_COA_REQUEST ||
	       code == RADIUS_DISCONNECT_REQUEST;
}

static bool is_response(uint8_t code)
{
	return code == RADIUS_ACCESS_ACCEPT || code == RADIUS_ACCESS_REJECT ||
	       code == RADIUS_ACCESS_CHALLENGE || code == RADIUS_ACCOUNTING_RESPONSE ||
	       code == RADIUS_COA_ACK || code == RADIUS_COA_NAK || code == RADIUS_DISCONNECT_ACK ||
	       code == RADIUS_DISCONNECT_NAK;
}

static void exercise_getters(const struct radius_pkt *p)
{
	uint8_t out[RADIUS_ATTR_MAX_VAL], tag, plen;
	const struct radius_attr *a;
	struct in6_addr ip6;
	struct in_addr ip;
	char s[RADIUS_ATTR_MAX_VAL + 1];
	size_t olen, off;
	uint32_t v;
	unsigned i;
	int rc;

	for (i = 0; i < p->n; i++) {
		a = &p->a[i];
		check(radius_attr_name(a->vendor, a->vendor != 0 ? a->vtype : a->type) != NULL);
		rc = radius_get_u32(a, &v);
		check(rc == (a->len == 4 ? 0 : -EINVAL));
		rc = radius_get_addr(a, &ip);
		check(rc == (a->len == 4 ? 0 : -EINVAL));
		rc = radius_get_addr6(a, &ip6);
		check(rc == (a->len == 16 ? 0 : -EINVAL));
		rc = radius_get_str(a, s, sizeof(s));
		check(rc == 0 || rc == -EINVAL);
		if (rc == 0)
			check(strlen(s) == a->len);
		rc = radius_get_ipv6_prefix(a, &ip6, &plen);
		check(rc == 0 || rc == -EINVAL);
		if (rc == 0)
			check(plen <= 128);
		tag = radius_get_tag(a, &off);
		check(tag <= RADIUS_TAG_MAX && off <= a->len);
		rc = radius_get_tagged_u32(a, &tag, &v);
		if (rc == 0)
			check(tag <= RADIUS_TAG_MAX && v <= 0xffffff);
	}
	a = radius_find(p, RADIUS_ATTR_USER_NAME);
	check(a == NULL || (a->vendor == 0 && a->type == RADIUS_ATTR_USER_NAME));
	for (; a != NULL; a = radius_find_next(p, a))
		check(a->type == RADIUS_ATTR_USER_NAME);
	a = radius_find_vsa(p, RADIUS_VENDOR_MS, RADIUS_MS_CHAP2_SUCCESS);
	check(a == NULL || (a->vendor == RADIUS_VENDOR_MS && a->vtype == RADIUS_MS_CHAP2_SUCCESS));
	check(radius_find_vsa(p, 0, 1) == NULL);

	/* hidden values decode, or fail for their length, never overrun */
	a = radius_find(p, RADIUS_ATTR_USER_PASSWORD);
	if (a != NULL) {
		olen = sizeof(out);
		rc = radius_decode_user_password(a, p->authenticator, secret, SLEN, out, &olen);
		check(rc == ((a->len >= 16 && a->len <= 128 && a->len % 16 == 0) ? 0 : -EINVAL));
		if (rc == 0)
			check(olen <= a->len);
	}
	a = radius_find(p, RADIUS_ATTR_TUNNEL_PASSWORD);
	if (a != NULL) {
		olen = sizeof(out);
		rc = radius_decode_salted(a, req_auth, secret, SLEN, out, &olen);
		check(rc == 0 || rc == -EINVAL);
		if (rc == 0)
			check(olen + 4 <= a->len);
	}
	a = radius_find_vsa(p, RADIUS_VENDOR_MS, RADIUS_MS_MPPE_SEND_KEY);
	if (a != NULL) {
		olen = sizeof(out);
		rc = radius_decode_salted(a, req_auth, secret, SLEN, out, &olen);
		check(rc == 0 || rc == -EINVAL);
	}
}

/* Re-emits p's entries in a packet of the same code (Access-Request for codes the builder
 * cannot finish). Returns the length or a negative errno. */
static int rebuild(const struct radius_pkt *p, uint8_t *out)
{
	struct radius_builder b;
	uint8_t code =
		is_request(p->code) || is_response(p->code) ? p->code : RADIUS_ACCESS_REQUEST;
	unsigned i;

	check(radius_build_begin(&b, out, RADIUS_MAX_LEN, code, p->id, p->authenticator) == 0);
	for (i = 0; i < p->n; i++)
		radius_put_attr(&b, &p->a[i]);
	if (is_response(code))
		return radius_build_end_response(&b, req_auth, secret, SLEN);
	return radius_build_end_request(&b, secret, SLEN);
}

/* More than one sub-attribute in a VSA: re-emitted one per VSA, the packet grows. */
static bool has_packed_vsa(const struct radius_pkt *p)
{
	unsigned i;

	for (i = 1; i < p->n; i++)
		if (p->a[i].vendor != 0 && p->a[i - 1].vendor != 0 &&
		    p->a[i].v == p->a[i - 1].v + p->a[i - 1].len + 2)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum radius_verify vq, vr;
	unsigned i;
	int rc, n1, n2;

	rc = radius_parse(data, size, &p1);
	if (rc != 0) {
		check(rc == -EBADMSG && p1.n == 0 && p1.msg_auth == -1);
		return 0;
	}
	check_pkt(&p1, data, size);

	vq = radius_verify_request(data, size, &p1, secret, SLEN, false);
	vr = radius_verify_response(data, size, &p1, req_auth, secret, SLEN, true);
	check(vq <= RADIUS_BAD_CODE && vr <= RADIUS_BAD_CODE);
	check((vq == RADIUS_BAD_CODE) == !is_request(p1.code));
	check((vr == RADIUS_BAD_CODE) == !is_response(p1.code));
	check(strcmp(radius_verify_name(vq), "unknown") != 0);
	check(radius_code_name(p1.code) != NULL);
	exercise_getters(&p1);

	n1 = rebuild(&p1, out1);
	if (n1 == -ENOSPC) {
		check(has_packed_vsa(&p1));
		return 0;
	}
	check(n1 >= RADIUS_HDR_LEN && (n1 <= (int)p1.len || has_packed_vsa(&p1)));
	rc = radius_parse(out1, (size_t)n1, &p2);
	check(rc == 0);
	check_pkt(&p2, out1, (size_t)n1);
	check(p2.n == p1.n && p2.msg_auth == p1.msg_auth && p2.n_bad == p1.n_bad);
	for (i = 0; i < p1.n; i++) {
		check(p2.a[i].type == p1.a[i].type && p2.a[i].vendor == p1.a[i].vendor &&
		      p2.a[i].vtype == p1.a[i].vtype && p2.a[i].len == p1.a[i].len &&
		      p2.a[i].bad == p1.a[i].bad);
		if ((int)i != p1.msg_auth)
			check(memcmp(p2.a[i].v, p1.a[i].v, p1.a[i].len) == 0);
	}
	/* what the builder signed verifies */
	if (is_response(p2.code))
		check(radius_verify_response(out1, (size_t)n1, &p2, req_auth, secret, SLEN,
					     p2.msg_auth >= 0) == RADIUS_OK);
	else
		check(radius_verify_request(out1, (size_t)n1, &p2, secret, SLEN,
					    p2.msg_auth >= 0) ==
		      (p2.code == RADIUS_STATUS_SERVER && p2.msg_auth < 0 ? RADIUS_NO_MSG_AUTH
									  : RADIUS_OK));
	/* and a second generation is octet for octet the first */
	n2 = rebuild(&p2, out2);
	check(n2 == n1 && memcmp(out1, out2, (size_t)n1) == 0);
	rc = radius_parse(out2, (size_t)n2, &p3);
	check(rc == 0 && p3.n == p2.n);
	return 0;
}
