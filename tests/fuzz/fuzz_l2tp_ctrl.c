/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the L2TPv2 control-message codec (cp/l2tp_codec.c). Any bytes must
 * parse or fail with one named error, never crash or read out of bounds. A message that parses
 * (with and without the fixed secret, strict and lax) is re-encoded from its values, in clear
 * and hidden, and must parse again to the same values: the clear encodings of the first and
 * second generations are compared octet for octet. Seeds in tests/fuzz/corpus/l2tp_ctrl/.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp/l2tp_codec.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t secret[] = "tunnelsecret";

#define MAX_MSG 65536

static struct l2tp_msg m1, m2, m3;
static uint8_t out1[MAX_MSG], out2[MAX_MSG], out3[MAX_MSG];

static void det_random(void *arg, uint8_t *buf, size_t len)
{
	uint32_t *s = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
}

static int inside(const uint8_t *p, size_t len, const uint8_t *base, size_t size)
{
	return p >= base && p <= base + size && len <= (size_t)(base + size - p);
}

/* What a successful parse promises about the struct it filled. */
static void check_msg(const struct l2tp_msg *m, const uint8_t *data, size_t size)
{
	const struct l2tp_str *strs[] = {&m->host_name,      &m->vendor_name,   &m->called_number,
					 &m->calling_number, &m->sub_address,   &m->proxy_auth_name,
					 &m->result.msg,     &m->q931.advisory, &m->ppp_disc.msg};
	const struct l2tp_bytes *bytes[] = {
		&m->random_vector, &m->challenge,       &m->challenge_resp,
		&m->private_group, &m->lcp_initial_rx,  &m->lcp_last_tx,
		&m->lcp_last_rx,   &m->proxy_auth_chal, &m->proxy_auth_resp};
	size_t i;

	check(m->hdr.ctrl && m->hdr.hdr_len == L2TP_CTRL_HDR_LEN);
	check(m->hdr.len >= m->hdr.hdr_len && m->hdr.len <= size);
	check(m->zlb == (m->hdr.len == m->hdr.hdr_len));
	check(m->hidden_used <= sizeof(m->hidden_buf));
	check(m->n_unknown == 0 || m->unknown[0].len >= L2TP_AVP_HDR_LEN);
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		check(strs[i]->len <= L2TP_STR_MAX && strs[i]->s[strs[i]->len] == '\0');
	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		if (bytes[i]->len == 0)
			continue;
		check(inside(bytes[i]->p, bytes[i]->len, data, size) ||
		      inside(bytes[i]->p, bytes[i]->len, m->hidden_buf, m->hidden_used));
	}
	if (m->msg_known)
		check((l2tp_msg_lookup(m->msg_type)->required & ~m->present) == 0);
}

/* A clear value of 1016 or 1017 octets is legal but leaves no room for the hidden subformat's
 * length field: the builder refuses to hide it (-EMSGSIZE) rather than send it in clear. */
static int too_long_to_hide(const struct l2tp_msg *m)
{
	const struct l2tp_bytes *bytes[] = {
		&m->challenge,   &m->private_group,   &m->lcp_initial_rx, &m->lcp_last_tx,
		&m->lcp_last_rx, &m->proxy_auth_chal, &m->proxy_auth_resp};
	size_t i;

	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++)
		if (bytes[i]->len > L2TP_AVP_MAX_VALUE - L2TP_HIDDEN_LEN_LEN)
			return 1;
	return 0;
}

/* Re-encode m; hidden when seed is non-NULL. Returns the length or a negative errno. */
static int rebuild(const struct l2tp_msg *m, uint8_t *out, uint32_t *seed)
{
	struct l2tp_builder b;

	if (m->zlb)
		return l2tp_build_zlb(out, MAX_MSG, m->hdr.tunnel_id, m->hdr.session_id);
	l2tp_build_begin(&b, out, MAX_MSG, m->hdr.tunnel_id, m->hdr.session_id, m->msg_type);
	if (seed != NULL)
		l2tp_build_hide(&b, secret, sizeof(secret) - 1, det_random, seed);
	l2tp_put_msg_avps(&b, m);
	return l2tp_build_end(&b);
}

static void one(const uint8_t *data, size_t size, const uint8_t *sec, size_t slen,
		unsigned int flags)
{
	struct l2tp_err err;
	uint32_t seed = (uint32_t)size;
	int rc, n1, n2, n3;

	memset(&err, 0x5a, sizeof(err));
	rc = l2tp_msg_parse_flags(data, size, sec, slen, flags, &m1, &err);
	check(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	check(strcmp(l2tp_err_name(err.code), "invalid") != 0);
	if (rc != 0) {
		check(err.code != L2TP_E_OK);
		check(rc == ((err.code == L2TP_E_BAD_VERSION || err.code == L2TP_E_VERSION_3)
				     ? -EPROTONOSUPPORT
				     : -EBADMSG));
		return;
	}
	check(err.code == L2TP_E_OK);
	check_msg(&m1, data, size);

	/* clear re-encoding: always fits (never longer than what arrived) and parses */
	n1 = rebuild(&m1, out1, NULL);
	check(n1 > 0 && (size_t)n1 <= m1.hdr.len);
	rc = l2tp_msg_parse(out1, (size_t)n1, NULL, 0, &m2, &err);
	check(rc == 0);
	check_msg(&m2, out1, (size_t)n1);
	check(m2.msg_type == m1.msg_type && m2.zlb == m1.zlb);
	check(m2.present == (m1.present & ~L2TP_BIT(L2TP_AVP_RANDOM_VECTOR)));
	check(m2.n_unknown == 0 && m2.duplicate == 0 && m2.hidden == 0);
	n2 = rebuild(&m2, out2, NULL);
	check(n2 == n1 && memcmp(out1, out2, (size_t)n1) == 0);

	/* hidden re-encoding: parses with the secret to the same clear encoding */
	n3 = rebuild(&m1, out3, &seed);
	if (n3 == -ENOSPC) /* padding can push a near-64K message over the Length field */
		return;
	check((n3 == -EMSGSIZE) == too_long_to_hide(&m1));
	if (n3 == -EMSGSIZE)
		return;
	check(n3 > 0);
	rc = l2tp_msg_parse(out3, (size_t)n3, secret, sizeof(secret) - 1, &m3, &err);
	check(rc == 0);
	check_msg(&m3, out3, (size_t)n3);
	n2 = rebuild(&m3, out2, NULL);
	check(n2 == n1 && memcmp(out1, out2, (size_t)n1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tp_hdr h;

	if (l2tp_hdr_parse(data, size, &h) == 0) {
		check(h.hdr_len <= h.len && h.len <= size);
		check(!h.ctrl || (h.has_len && h.has_seq && !h.has_offset));
	}
	one(data, size, NULL, 0, 0);
	one(data, size, secret, sizeof(secret) - 1, 0);
	one(data, size, secret, sizeof(secret) - 1, L2TP_PARSE_LAX_MBIT);
	return 0;
}
