/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the L2TPv2 control-message codec (cp/l2tp_codec.c, cp/l2tp_avp_table.c):
 * the tables, round trips of every message type in clear and hidden, real captures from
 * tests/unit/data/l2tp/ (xl2tpd and l2tpns, BNG Blaster, tcpdump's malformed samples), hidden
 * AVPs computed here from RFC 2661 section 4.3 with nettle independently of the codec, every
 * length boundary, and the builder's capacity checks. No EAL; run under ASan/UBSan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/md5.h>

#include "cp/l2tp_codec.h"

#ifndef LNS_SRC_DIR
#error "LNS_SRC_DIR must name the source tree"
#endif
#define DATA_DIR LNS_SRC_DIR "/tests/unit/data/l2tp"

#define B(avp) L2TP_BIT(L2TP_AVP_##avp)

static const uint8_t SECRET[] = "tunnelsecret";
#define SECRET_LEN (sizeof(SECRET) - 1)

/* ---- helpers ---------------------------------------------------------------------------- */

static uint8_t *load(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct l2tp_msg *new_msg(void)
{
	struct l2tp_msg *m = malloc(sizeof(*m));

	assert_non_null(m);
	memset(m, 0xa5, sizeof(*m)); /* the parser must not rely on a clean struct */
	return m;
}

/* deterministic "random" octets for the builder: xorshift32 */
static void det_random(void *arg, uint8_t *buf, size_t len)
{
	uint32_t *s = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 17;
		*s ^= *s << 5;
		buf[i] = (uint8_t)*s;
	}
}

static void parse_ok_flags(const uint8_t *buf, size_t len, const uint8_t *secret, size_t slen,
			   unsigned int flags, struct l2tp_msg *m)
{
	struct l2tp_err err;
	int rc = l2tp_msg_parse_flags(buf, len, secret, slen, flags, m, &err);

	if (rc != 0)
		fail_msg("parse failed (%d, %s): %s", rc, l2tp_err_name(err.code), err.msg);
	assert_int_equal(err.code, L2TP_E_OK);
}

static void parse_ok(const uint8_t *buf, size_t len, const uint8_t *secret, size_t slen,
		     struct l2tp_msg *m)
{
	parse_ok_flags(buf, len, secret, slen, 0, m);
}

/* Parses, expects failure with `code`; returns the error for further checks. */
static struct l2tp_err parse_fails_flags(const uint8_t *buf, size_t len, const uint8_t *secret,
					 size_t slen, unsigned int flags, enum l2tp_err_code code)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_err err;
	int rc = l2tp_msg_parse_flags(buf, len, secret, slen, flags, m, &err);

	if (rc == 0)
		fail_msg("parse succeeded, expected %s", l2tp_err_name(code));
	if (err.code != code)
		fail_msg("got %s (%s), expected %s", l2tp_err_name(err.code), err.msg,
			 l2tp_err_name(code));
	assert_int_equal(rc, (code == L2TP_E_VERSION_3 || code == L2TP_E_BAD_VERSION)
				     ? -EPROTONOSUPPORT
				     : -EBADMSG);
	assert_non_null(memchr(err.msg, '\0', sizeof(err.msg)));
	free(m);
	return err;
}

static struct l2tp_err parse_fails(const uint8_t *buf, size_t len, enum l2tp_err_code code)
{
	return parse_fails_flags(buf, len, NULL, 0, 0, code);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A hand-made control message: header, then AVPs appended raw. */
struct raw {
	uint8_t b[2048];
	size_t len;
};

static void raw_begin(struct raw *r, uint16_t msg_type)
{
	memset(r, 0, sizeof(*r));
	put16(r->b, 0xc802);
	put16(r->b + 4, 7); /* tunnel */
	put16(r->b + 6, 9); /* session */
	r->len = 12;
	if (msg_type != 0) {
		put16(r->b + 12, 0x8008);
		put16(r->b + 16, 0);
		put16(r->b + 18, msg_type);
		r->len = 20;
	}
}

/* appends an AVP with explicit first word bits (M, H, rsvd), Length = 6 + n */
static void raw_avp(struct raw *r, uint16_t bits, uint16_t vendor, uint16_t type, const void *v,
		    size_t n)
{
	uint8_t *p = r->b + r->len;

	put16(p, (uint16_t)(bits | (6 + n)));
	put16(p + 2, vendor);
	put16(p + 4, type);
	if (n > 0)
		memcpy(p + 6, v, n);
	r->len += 6 + n;
}

static void raw_u16(struct raw *r, uint16_t bits, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	raw_avp(r, bits, 0, type, b, 2);
}

static void raw_u32(struct raw *r, uint16_t bits, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
	raw_avp(r, bits, 0, type, b, 4);
}

static size_t raw_end(struct raw *r)
{
	put16(r->b + 2, (uint16_t)r->len);
	return r->len;
}

/* ICCN with its two required AVPs, ready for more */
static void raw_iccn(struct raw *r)
{
	raw_begin(r, L2TP_MSG_ICCN);
	raw_u32(r, 0x8000, L2TP_AVP_TX_SPEED, 1000000);
	raw_u32(r, 0x8000, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC);
}

/*
 * RFC 2661 section 4.3, written here apart from the codec: hides value (n octets) of AVP
 * `type` with `pad` padding octets into out; returns the hidden length.
 */
static size_t ref_hide(uint16_t type, const uint8_t *secret, size_t slen, const uint8_t *rv,
		       size_t rvlen, const uint8_t *value, size_t n, const uint8_t *pad,
		       size_t padlen, uint16_t orig_len, uint8_t *out)
{
	uint8_t digest[16], tb[2];
	size_t len = 2 + n + padlen, i, blk;
	struct md5_ctx ctx;

	put16(out, orig_len);
	memcpy(out + 2, value, n);
	if (padlen > 0)
		memcpy(out + 2 + n, pad, padlen);
	for (blk = 0; blk * 16 < len; blk++) {
		md5_init(&ctx);
		if (blk == 0) {
			put16(tb, type);
			md5_update(&ctx, 2, tb);
			md5_update(&ctx, slen, secret);
			md5_update(&ctx, rvlen, rv);
		} else {
			md5_update(&ctx, slen, secret);
			md5_update(&ctx, 16, out + (blk - 1) * 16); /* previous cipher text */
		}
		md5_digest(&ctx, 16, digest);
		for (i = 0; i < 16 && blk * 16 + i < len; i++)
			out[blk * 16 + i] ^= digest[i];
	}
	return len;
}

/* The reverse, also apart from the codec; returns the original length field. */
static uint16_t ref_unhide(uint16_t type, const uint8_t *secret, size_t slen, const uint8_t *rv,
			   size_t rvlen, const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t digest[16], tb[2];
	struct md5_ctx ctx;
	size_t i, blk;

	for (blk = 0; blk * 16 < len; blk++) {
		md5_init(&ctx);
		if (blk == 0) {
			put16(tb, type);
			md5_update(&ctx, 2, tb);
			md5_update(&ctx, slen, secret);
			md5_update(&ctx, rvlen, rv);
		} else {
			md5_update(&ctx, slen, secret);
			md5_update(&ctx, 16, in + (blk - 1) * 16);
		}
		md5_digest(&ctx, 16, digest);
		for (i = 0; i < 16 && blk * 16 + i < len; i++)
			out[blk * 16 + i] = in[blk * 16 + i] ^ digest[i];
	}
	return get16(out);
}

/* ---- tables ------------------------------------------------------------------------------ */

static void test_tables(void **state)
{
	size_t hidden_bytes = 0;
	unsigned int t;

	(void)state;
	for (t = 0; t < L2TP_AVP_TABLE_SIZE; t++) {
		const struct l2tp_avp_info *a = &l2tp_avp_table[t];

		if (t == 20 || (t >= 40 && t <= 45)) {
			assert_null(a->name);
			assert_null(l2tp_avp_lookup(0, (uint16_t)t));
			continue;
		}
		assert_non_null(a->name);
		assert_non_null(a->section);
		assert_int_equal(a->type, t);
		assert_ptr_equal(l2tp_avp_lookup(0, (uint16_t)t), a);
		assert_true(a->min <= a->max);
		assert_true(a->max <= L2TP_AVP_MAX_VALUE);
		switch (a->kind) {
		case L2TP_KIND_U16:
			assert_true(a->min == 2 && a->max == 2);
			break;
		case L2TP_KIND_U32:
			assert_true(a->min == 4 && a->max == 4);
			break;
		case L2TP_KIND_U64:
			assert_true(a->min == 8 && a->max == 8);
			break;
		case L2TP_KIND_EMPTY:
			assert_true(a->max == 0);
			break;
		case L2TP_KIND_BYTES:
			if (a->hide)
				hidden_bytes += a->max < L2TP_AVP_MAX_VALUE - 2
							? a->max
							: L2TP_AVP_MAX_VALUE - 2;
			break;
		default:
			break;
		}
	}
	assert_true(hidden_bytes <= L2TP_HIDDEN_BUF);
	/* the AVPs the RFC says MUST NOT be hidden */
	assert_false(l2tp_avp_table[L2TP_AVP_MESSAGE_TYPE].hide);
	assert_false(l2tp_avp_table[L2TP_AVP_RANDOM_VECTOR].hide);
	assert_false(l2tp_avp_table[L2TP_AVP_RESULT_CODE].hide);
	assert_false(l2tp_avp_table[L2TP_AVP_HOST_NAME].hide);
	assert_false(l2tp_avp_table[L2TP_AVP_SEQ_REQUIRED].hide);
	assert_true(l2tp_avp_table[L2TP_AVP_PROXY_AUTH_NAME].hide);
	assert_int_equal(l2tp_avp_table[L2TP_AVP_TIE_BREAKER].mrule, L2TP_M_CLEAR);
	assert_int_equal(l2tp_avp_table[L2TP_AVP_PPP_DISCONNECT].mrule, L2TP_M_CLEAR);
	/* RFC 3145 section 4: draft form */
	assert_ptr_equal(l2tp_avp_lookup(L2TP_VENDOR_3COM, 46), &l2tp_avp_table[46]);
	assert_null(l2tp_avp_lookup(L2TP_VENDOR_3COM, 7));
	assert_null(l2tp_avp_lookup(0, 47));
	assert_null(l2tp_avp_lookup(0, 0xffff));

	for (t = 0; t <= L2TP_MSG_MAX; t++) {
		const struct l2tp_msg_info *m = &l2tp_msg_table[t];
		uint64_t known = 0;
		unsigned int i;

		if (t == 0 || t == 5 || t == 13) {
			assert_null(m->name);
			assert_null(l2tp_msg_lookup((uint16_t)t));
			continue;
		}
		assert_non_null(m->name);
		assert_int_equal(m->type, t);
		assert_int_equal(m->required & m->optional, 0);
		assert_int_equal(m->required & (B(MESSAGE_TYPE) | B(RANDOM_VECTOR)), 0);
		for (i = 0; i < L2TP_AVP_TABLE_SIZE; i++)
			if (l2tp_avp_table[i].name != NULL)
				known |= L2TP_BIT(i);
		assert_int_equal((m->required | m->optional) & ~known, 0);
		assert_int_equal(m->scope,
				 t <= L2TP_MSG_HELLO ? L2TP_SCOPE_TUNNEL : L2TP_SCOPE_SESSION);
	}
	assert_null(l2tp_msg_lookup(17));
	assert_null(l2tp_msg_lookup(0xffff));
}

static void test_names(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < L2TP_E_COUNT; i++) {
		const char *n = l2tp_err_name((enum l2tp_err_code)i);

		assert_true(strlen(n) > 0);
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz_0123456789"), strlen(n));
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, l2tp_err_name((enum l2tp_err_code)j));
	}
	assert_string_equal(l2tp_err_name(L2TP_E_OK), "ok");
	assert_string_equal(l2tp_err_name(L2TP_E_AVP_OVERRUN), "avp_overrun");
	assert_string_equal(l2tp_err_name(L2TP_E_COUNT), "invalid");
	assert_string_equal(l2tp_err_name((enum l2tp_err_code) - 1), "invalid");

	assert_string_equal(l2tp_result_name(L2TP_MSG_STOPCCN, L2TP_STOPCCN_CLEAR),
			    "general request to clear control connection");
	assert_string_equal(l2tp_result_name(L2TP_MSG_CDN, L2TP_CDN_ADMIN),
			    "call disconnected for administrative reasons");
	assert_string_equal(l2tp_result_name(L2TP_MSG_CDN, 0), "unknown");
	assert_string_equal(l2tp_result_name(L2TP_MSG_HELLO, 1), "unknown");
	assert_string_equal(l2tp_general_error_name(L2TP_GERR_UNKNOWN_AVP),
			    "unknown mandatory AVP received");
	assert_string_equal(l2tp_q931_cause_name(L2TP_Q931_NORMAL), "normal call clearing");
	assert_string_equal(l2tp_proxy_auth_name(L2TP_PROXY_AUTH_CHAP), "PPP CHAP");
	assert_string_equal(l2tp_ppp_disc_name(L2TP_PPP_DISC_AUTH_FAILED), "authentication failed");
	assert_string_equal(l2tp_ppp_disc_name(99), "unknown");
	assert_string_equal(l2tp_msg_name(L2TP_MSG_ICCN), "ICCN");
	assert_string_equal(l2tp_msg_name(0), "ZLB");
	assert_string_equal(l2tp_msg_name(13), "unknown");
	assert_string_equal(l2tp_avp_name(L2TP_AVP_TX_SPEED), "(Tx) Connect Speed");
	assert_string_equal(l2tp_avp_name(20), "unknown");
}

/* ---- round trips ----------------------------------------------------------------------- */

static uint16_t v16(unsigned int t)
{
	return (uint16_t)(0x1100 + t);
}

static uint32_t v32(unsigned int t)
{
	return 0x01000000u * t + 0x00a0b0c0u + t;
}

static const char *vstr(unsigned int t)
{
	switch (t) {
	case L2TP_AVP_HOST_NAME:
		return "lns.example.net";
	case L2TP_AVP_VENDOR_NAME:
		return "Example Vendor, Inc.";
	case L2TP_AVP_CALLED_NUMBER:
		return "0123456789";
	case L2TP_AVP_CALLING_NUMBER:
		return "dsl:eth 0/1/2/3:100.200";
	case L2TP_AVP_SUB_ADDRESS:
		return "";
	case L2TP_AVP_PROXY_AUTH_NAME:
		return "someone@isp.example.net";
	}
	return NULL;
}

static size_t vbytes(unsigned int t, uint8_t *out)
{
	size_t n = t == L2TP_AVP_CHALLENGE_RESP ? 16 : 3 + t, i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(t * 7 + i);
	return n;
}

static const struct l2tp_call_errors CE = {1, 2, 3, 4, 5, 0xfffffff0};

/* Puts every AVP section 6 allows in msg_type, with values derived from the type. */
static void put_all(struct l2tp_builder *b, uint16_t msg_type)
{
	const struct l2tp_msg_info *mi = l2tp_msg_lookup(msg_type);
	uint64_t set = mi->required | mi->optional;
	unsigned int t;

	for (t = 1; t < L2TP_AVP_TABLE_SIZE; t++) {
		const struct l2tp_avp_info *a = &l2tp_avp_table[t];
		uint8_t bytes[64];
		size_t n;

		if (!(set & L2TP_BIT(t)))
			continue;
		switch (a->kind) {
		case L2TP_KIND_U16:
			assert_int_equal(l2tp_put_u16(b, (uint16_t)t, v16(t)), 0);
			break;
		case L2TP_KIND_U32:
			assert_int_equal(l2tp_put_u32(b, (uint16_t)t, v32(t)), 0);
			break;
		case L2TP_KIND_U64:
			assert_int_equal(l2tp_put_u64(b, (uint16_t)t, 0x0102030405060708ull), 0);
			break;
		case L2TP_KIND_STR:
			assert_int_equal(l2tp_put_str(b, (uint16_t)t, vstr(t)), 0);
			break;
		case L2TP_KIND_BYTES:
			n = vbytes(t, bytes);
			assert_int_equal(l2tp_put_bytes(b, (uint16_t)t, bytes, n), 0);
			break;
		case L2TP_KIND_EMPTY:
			assert_int_equal(l2tp_put_empty(b, (uint16_t)t), 0);
			break;
		case L2TP_KIND_SPECIAL:
			switch (t) {
			case L2TP_AVP_RESULT_CODE:
				assert_int_equal(
					l2tp_put_result(b, 2, L2TP_GERR_VENDOR, "vendor says no"),
					0);
				break;
			case L2TP_AVP_PROTOCOL_VERSION:
				assert_int_equal(l2tp_put_protocol_version(b, 1, 0), 0);
				break;
			case L2TP_AVP_Q931_CAUSE:
				assert_int_equal(l2tp_put_q931(b, L2TP_Q931_NORMAL,
							       L2TP_Q931_MSG_DISCONNECT, "bye"),
						 0);
				break;
			case L2TP_AVP_CALL_ERRORS:
				assert_int_equal(l2tp_put_call_errors(b, &CE), 0);
				break;
			case L2TP_AVP_ACCM:
				assert_int_equal(l2tp_put_accm(b, 0xffffffff, 0x000a0000), 0);
				break;
			case L2TP_AVP_PPP_DISCONNECT:
				assert_int_equal(l2tp_put_ppp_disconnect(
							 b, L2TP_PPP_DISC_AUTH_FAILED, 0xc223,
							 L2TP_PPP_DISC_DIR_LOCAL, "CHAP failure"),
						 0);
				break;
			default:
				fail_msg("special AVP %u not covered", t);
			}
			break;
		}
	}
}

static void check_bytes(const struct l2tp_bytes *bs, unsigned int t)
{
	uint8_t want[64];
	size_t n = vbytes(t, want);

	assert_int_equal(bs->len, n);
	assert_memory_equal(bs->p, want, n);
}

static void check_str(const struct l2tp_str *s, unsigned int t)
{
	assert_int_equal(s->len, strlen(vstr(t)));
	assert_string_equal(s->s, vstr(t));
}

/* Compares every field put_all() wrote, field by field by name. */
static void check_all(const struct l2tp_msg *m, uint16_t msg_type)
{
	const struct l2tp_msg_info *mi = l2tp_msg_lookup(msg_type);
	uint64_t set = mi->required | mi->optional;

	assert_false(m->zlb);
	assert_int_equal(m->msg_type, msg_type);
	assert_true(m->msg_known);
	assert_true(m->msg_m);
	assert_int_equal(m->present & ~(B(MESSAGE_TYPE) | B(RANDOM_VECTOR)), set);
	assert_int_equal(m->duplicate, 0);
	assert_int_equal(m->truncated, 0);
	assert_int_equal(m->unexpected, 0);
	assert_int_equal(m->m_violation, 0);
	assert_int_equal(m->n_unknown, 0);
	assert_false(m->unknown_mandatory);
	if (set & B(RESULT_CODE)) {
		assert_int_equal(m->result.result, 2);
		assert_true(m->result.has_error);
		assert_int_equal(m->result.error, L2TP_GERR_VENDOR);
		assert_string_equal(m->result.msg.s, "vendor says no");
	}
	if (set & B(PROTOCOL_VERSION)) {
		assert_int_equal(m->proto_ver, 1);
		assert_int_equal(m->proto_rev, 0);
	}
	if (set & B(FRAMING_CAP))
		assert_int_equal(m->framing_cap, v32(L2TP_AVP_FRAMING_CAP));
	if (set & B(BEARER_CAP))
		assert_int_equal(m->bearer_cap, v32(L2TP_AVP_BEARER_CAP));
	if (set & B(TIE_BREAKER))
		assert_true(m->tie_breaker == 0x0102030405060708ull);
	if (set & B(FIRMWARE_REV))
		assert_int_equal(m->firmware_rev, v16(L2TP_AVP_FIRMWARE_REV));
	if (set & B(HOST_NAME))
		check_str(&m->host_name, L2TP_AVP_HOST_NAME);
	if (set & B(VENDOR_NAME))
		check_str(&m->vendor_name, L2TP_AVP_VENDOR_NAME);
	if (set & B(TUNNEL_ID))
		assert_int_equal(m->tunnel_id, v16(L2TP_AVP_TUNNEL_ID));
	if (set & B(RX_WINDOW))
		assert_int_equal(m->rx_window, v16(L2TP_AVP_RX_WINDOW));
	if (set & B(CHALLENGE))
		check_bytes(&m->challenge, L2TP_AVP_CHALLENGE);
	if (set & B(CHALLENGE_RESP))
		check_bytes(&m->challenge_resp, L2TP_AVP_CHALLENGE_RESP);
	if (set & B(Q931_CAUSE)) {
		assert_int_equal(m->q931.cause, L2TP_Q931_NORMAL);
		assert_int_equal(m->q931.msg, L2TP_Q931_MSG_DISCONNECT);
		assert_string_equal(m->q931.advisory.s, "bye");
	}
	if (set & B(SESSION_ID))
		assert_int_equal(m->session_id, v16(L2TP_AVP_SESSION_ID));
	if (set & B(CALL_SERIAL))
		assert_int_equal(m->call_serial, v32(L2TP_AVP_CALL_SERIAL));
	if (set & B(MIN_BPS))
		assert_int_equal(m->min_bps, v32(L2TP_AVP_MIN_BPS));
	if (set & B(MAX_BPS))
		assert_int_equal(m->max_bps, v32(L2TP_AVP_MAX_BPS));
	if (set & B(BEARER_TYPE))
		assert_int_equal(m->bearer_type, v32(L2TP_AVP_BEARER_TYPE));
	if (set & B(FRAMING_TYPE))
		assert_int_equal(m->framing_type, v32(L2TP_AVP_FRAMING_TYPE));
	if (set & B(CALLED_NUMBER))
		check_str(&m->called_number, L2TP_AVP_CALLED_NUMBER);
	if (set & B(CALLING_NUMBER))
		check_str(&m->calling_number, L2TP_AVP_CALLING_NUMBER);
	if (set & B(SUB_ADDRESS))
		check_str(&m->sub_address, L2TP_AVP_SUB_ADDRESS);
	if (set & B(TX_SPEED))
		assert_int_equal(m->tx_speed, v32(L2TP_AVP_TX_SPEED));
	if (set & B(RX_SPEED))
		assert_int_equal(m->rx_speed, v32(L2TP_AVP_RX_SPEED));
	if (set & B(PHYS_CHANNEL))
		assert_int_equal(m->phys_channel, v32(L2TP_AVP_PHYS_CHANNEL));
	if (set & B(PRIVATE_GROUP))
		check_bytes(&m->private_group, L2TP_AVP_PRIVATE_GROUP);
	if (set & B(LCP_INITIAL_RX))
		check_bytes(&m->lcp_initial_rx, L2TP_AVP_LCP_INITIAL_RX);
	if (set & B(LCP_LAST_TX))
		check_bytes(&m->lcp_last_tx, L2TP_AVP_LCP_LAST_TX);
	if (set & B(LCP_LAST_RX))
		check_bytes(&m->lcp_last_rx, L2TP_AVP_LCP_LAST_RX);
	if (set & B(PROXY_AUTH_TYPE))
		assert_int_equal(m->proxy_auth_type, v16(L2TP_AVP_PROXY_AUTH_TYPE));
	if (set & B(PROXY_AUTH_NAME))
		check_str(&m->proxy_auth_name, L2TP_AVP_PROXY_AUTH_NAME);
	if (set & B(PROXY_AUTH_CHAL))
		check_bytes(&m->proxy_auth_chal, L2TP_AVP_PROXY_AUTH_CHAL);
	if (set & B(PROXY_AUTH_ID))
		assert_int_equal(m->proxy_auth_id, v16(L2TP_AVP_PROXY_AUTH_ID));
	if (set & B(PROXY_AUTH_RESP))
		check_bytes(&m->proxy_auth_resp, L2TP_AVP_PROXY_AUTH_RESP);
	if (set & B(CALL_ERRORS))
		assert_memory_equal(&m->call_errors, &CE, sizeof(CE));
	if (set & B(ACCM)) {
		assert_int_equal(m->accm_send, 0xffffffff);
		assert_int_equal(m->accm_recv, 0x000a0000);
	}
	if (set & B(PPP_DISCONNECT)) {
		assert_int_equal(m->ppp_disc.code, L2TP_PPP_DISC_AUTH_FAILED);
		assert_int_equal(m->ppp_disc.proto, 0xc223);
		assert_int_equal(m->ppp_disc.direction, L2TP_PPP_DISC_DIR_LOCAL);
		assert_string_equal(m->ppp_disc.msg.s, "CHAP failure");
	}
}

static int build_all(uint8_t *buf, size_t cap, uint16_t msg_type, bool hide, uint32_t *seed)
{
	struct l2tp_builder b;

	assert_int_equal(l2tp_build_begin(&b, buf, cap, 0x1234, 0x5678, msg_type), 0);
	if (hide)
		assert_int_equal(l2tp_build_hide(&b, SECRET, SECRET_LEN, det_random, seed), 0);
	put_all(&b, msg_type);
	return l2tp_build_end(&b);
}

static void test_roundtrip_clear(void **state)
{
	struct l2tp_msg *m = new_msg();
	uint8_t buf[2048];
	unsigned int t;

	(void)state;
	for (t = 1; t <= L2TP_MSG_MAX; t++) {
		int n;

		if (l2tp_msg_lookup((uint16_t)t) == NULL)
			continue;
		n = build_all(buf, sizeof(buf), (uint16_t)t, false, NULL);
		assert_true(n > 12);
		l2tp_hdr_set_ns_nr(buf, (uint16_t)(100 + t), (uint16_t)(200 + t));
		parse_ok(buf, (size_t)n, NULL, 0, m);
		check_all(m, (uint16_t)t);
		assert_int_equal(m->hidden, 0);
		assert_int_equal(m->hdr.tunnel_id, 0x1234);
		assert_int_equal(m->hdr.session_id, 0x5678);
		assert_int_equal(m->hdr.ns, 100 + t);
		assert_int_equal(m->hdr.nr, 200 + t);
		assert_int_equal(m->hdr.len, n);
		/* a secret changes nothing when nothing is hidden */
		parse_ok(buf, (size_t)n, SECRET, SECRET_LEN, m);
		check_all(m, (uint16_t)t);
		/* re-encoding the parsed values gives the same octets (both go in type order) */
		{
			struct l2tp_builder b;
			uint8_t again[2048];

			assert_int_equal(l2tp_build_begin(&b, again, sizeof(again), 0x1234, 0x5678,
							  (uint16_t)t),
					 0);
			assert_int_equal(l2tp_put_msg_avps(&b, m), 0);
			assert_int_equal(l2tp_build_end(&b), n);
			assert_memory_equal(again + 12, buf + 12, (size_t)n - 12);
		}
	}
	free(m);
}

static void test_roundtrip_hidden(void **state)
{
	struct l2tp_msg *m = new_msg();
	uint8_t buf[2048];
	unsigned int t;

	(void)state;
	for (t = 1; t <= L2TP_MSG_MAX; t++) {
		const struct l2tp_msg_info *mi = l2tp_msg_lookup((uint16_t)t);
		uint64_t hideable = 0;
		uint32_t seed = 0x2545f491u + t;
		unsigned int i;
		int n;

		if (mi == NULL)
			continue;
		for (i = 0; i < L2TP_AVP_TABLE_SIZE; i++)
			if (l2tp_avp_table[i].hide)
				hideable |= L2TP_BIT(i);
		n = build_all(buf, sizeof(buf), (uint16_t)t, true, &seed);
		assert_true(n > 12);
		parse_ok(buf, (size_t)n, SECRET, SECRET_LEN, m);
		check_all(m, (uint16_t)t);
		assert_true(m->present & B(RANDOM_VECTOR));
		assert_int_equal(m->random_vector.len, L2TP_RANDOM_VEC_LEN);
		assert_int_equal(m->hidden, (mi->required | mi->optional) & hideable);
		if (m->hidden == 0) /* nothing to hide: parses without a secret too */
			continue;
		parse_fails_flags(buf, (size_t)n, NULL, 0, 0, L2TP_E_HIDDEN_NO_SECRET);
		{
			struct l2tp_err err;
			int rc = l2tp_msg_parse(buf, (size_t)n, (const uint8_t *)"wrong", 5, m,
						&err);

			assert_int_equal(rc, -EBADMSG);
		}
	}
	free(m);
}

/* The builder's hidden AVPs, decoded by the reference code above (not by the codec). */
static void test_builder_hides_per_rfc(void **state)
{
	static const char name[] = "a.rather.long.user.name@isp.example.net";
	uint8_t buf[512], plain[1100];
	struct l2tp_builder b;
	uint32_t seed = 7;
	const uint8_t *rv, *avp;
	size_t off;
	uint16_t orig;
	int n;

	(void)state;
	assert_int_equal(l2tp_build_begin(&b, buf, sizeof(buf), 1, 2, L2TP_MSG_ICCN), 0);
	assert_int_equal(l2tp_put_u32(&b, L2TP_AVP_TX_SPEED, 10), 0);
	assert_int_equal(l2tp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, 1), 0);
	assert_int_equal(l2tp_build_hide(&b, SECRET, SECRET_LEN, det_random, &seed), 0);
	assert_int_equal(l2tp_put_str(&b, L2TP_AVP_PROXY_AUTH_NAME, name), 0);
	n = l2tp_build_end(&b);
	assert_true(n > 0);

	/* Message Type (8), Tx speed (10), Framing Type (10), then the Random Vector */
	off = 12 + 8 + 10 + 10;
	assert_int_equal(get16(buf + off) & 0xfc00, 0x8000);
	assert_int_equal(get16(buf + off + 4), L2TP_AVP_RANDOM_VECTOR);
	assert_int_equal(get16(buf + off) & 0x3ff, 6 + L2TP_RANDOM_VEC_LEN);
	rv = buf + off + 6;
	off += 6 + L2TP_RANDOM_VEC_LEN;
	avp = buf + off;
	assert_int_equal(get16(avp) & 0xfc00, L2TP_AVP_H); /* M clear for this one */
	assert_int_equal(get16(avp + 4), L2TP_AVP_PROXY_AUTH_NAME);
	assert_int_equal(off + (get16(avp) & 0x3ff), (size_t)n);
	assert_true((get16(avp) & 0x3ff) >= 6 + 2 + strlen(name));
	assert_true((get16(avp) & 0x3ff) <= 6 + 2 + strlen(name) + 15);
	orig = ref_unhide(L2TP_AVP_PROXY_AUTH_NAME, SECRET, SECRET_LEN, rv, L2TP_RANDOM_VEC_LEN,
			  avp + 6, (get16(avp) & 0x3ff) - 6u, plain);
	assert_int_equal(orig, strlen(name));
	assert_memory_equal(plain + 2, name, strlen(name));
}

/* Hidden AVPs made here from the RFC formula, decoded by the codec: several blocks, one
 * Random Vector for two AVPs, then a second Random Vector for a third. */
static void test_hidden_reference_vector(void **state)
{
	static const uint8_t rv1[20] = "0123456789abcdefghij", rv2[5] = "xyzzy";
	static const char name[] = "alice@isp.example.net"; /* 21: two MD5 blocks */
	static const uint8_t chal[16] = {0xde, 0xad, 0xbe, 0xef, 1, 2,  3,  4,
					 5,    6,    7,    8,    9, 10, 11, 12};
	static const uint8_t pad[3] = {0x55, 0x66, 0x77}, s[] = "s3cr3t";
	struct l2tp_msg *m = new_msg();
	uint8_t hid[64], sid[2];
	struct raw r;
	size_t n;

	(void)state;
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv1, sizeof(rv1));
	n = ref_hide(L2TP_AVP_PROXY_AUTH_NAME, s, 6, rv1, sizeof(rv1), (const uint8_t *)name,
		     strlen(name), pad, sizeof(pad), (uint16_t)strlen(name), hid);
	assert_int_equal(n, 26);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_PROXY_AUTH_NAME, hid, n);
	n = ref_hide(L2TP_AVP_PROXY_AUTH_CHAL, s, 6, rv1, sizeof(rv1), chal, sizeof(chal), NULL, 0,
		     sizeof(chal), hid); /* 18 octets, no padding */
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_PROXY_AUTH_CHAL, hid, n);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv2, sizeof(rv2));
	put16(sid, 0x4242);
	n = ref_hide(L2TP_AVP_PROXY_AUTH_ID, s, 6, rv2, sizeof(rv2), sid, 2, pad, 1, 2, hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_PROXY_AUTH_ID, hid, n);
	raw_end(&r);

	parse_ok(r.b, r.len, s, 6, m);
	assert_int_equal(m->proxy_auth_name.len, strlen(name));
	assert_string_equal(m->proxy_auth_name.s, name);
	assert_int_equal(m->proxy_auth_chal.len, sizeof(chal));
	assert_memory_equal(m->proxy_auth_chal.p, chal, sizeof(chal));
	/* un-hidden bytes live in the message, not in the datagram */
	assert_true(m->proxy_auth_chal.p >= m->hidden_buf &&
		    m->proxy_auth_chal.p < m->hidden_buf + sizeof(m->hidden_buf));
	assert_int_equal(m->proxy_auth_id, 0x4242);
	assert_int_equal(m->hidden, B(PROXY_AUTH_NAME) | B(PROXY_AUTH_CHAL) | B(PROXY_AUTH_ID));
	assert_int_equal(m->random_vector.len, sizeof(rv2)); /* the last one */
	assert_int_equal(m->duplicate, 0);

	parse_fails_flags(r.b, r.len, NULL, 0, 0, L2TP_E_HIDDEN_NO_SECRET);
	parse_fails_flags(r.b, r.len, s, 0, 0, L2TP_E_HIDDEN_NO_SECRET);
	free(m);
}

static void test_hidden_errors(void **state)
{
	static const uint8_t rv[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t v4[4] = {0, 0, 0, 1};
	struct l2tp_msg *m = new_msg();
	uint8_t hid[64];
	struct l2tp_err e;
	struct raw r;
	size_t n;

	(void)state;
	/* original length one more than what was hidden */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	n = ref_hide(L2TP_AVP_RX_SPEED, SECRET, SECRET_LEN, rv, sizeof(rv), v4, 4, NULL, 0, 5, hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, hid, n);
	raw_end(&r);
	e = parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_BAD_LEN);
	assert_int_equal(e.avp_type, L2TP_AVP_RX_SPEED);
	assert_int_equal(e.offset, 12 + 8 + 10 + 10 + 22);

	/* original length exactly what was hidden: fine */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	n = ref_hide(L2TP_AVP_RX_SPEED, SECRET, SECRET_LEN, rv, sizeof(rv), v4, 4, NULL, 0, 4, hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, hid, n);
	raw_end(&r);
	parse_ok(r.b, r.len, SECRET, SECRET_LEN, m);
	assert_int_equal(m->rx_speed, 1);

	/* original length 65535 */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	n = ref_hide(L2TP_AVP_RX_SPEED, SECRET, SECRET_LEN, rv, sizeof(rv), v4, 4, NULL, 0, 0xffff,
		     hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, hid, n);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_BAD_LEN);

	/* decrypts fine but the value is the wrong size for the type */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	n = ref_hide(L2TP_AVP_RX_SPEED, SECRET, SECRET_LEN, rv, sizeof(rv), v4, 4, NULL, 0, 3, hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, hid, n);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_AVP_BAD_LEN);

	/* a hidden value too short to hold the length field (1 and 0 octets) */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, v4, 1);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_BAD_LEN);
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, NULL, 0);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_BAD_LEN);

	/* no Random Vector before the hidden AVP (one after it does not count) */
	raw_iccn(&r);
	n = ref_hide(L2TP_AVP_RX_SPEED, SECRET, SECRET_LEN, rv, sizeof(rv), v4, 4, NULL, 0, 4, hid);
	raw_avp(&r, L2TP_AVP_H, 0, L2TP_AVP_RX_SPEED, hid, n);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	raw_end(&r);
	e = parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_NO_RV);
	assert_int_equal(e.avp_type, L2TP_AVP_RX_SPEED);

	/* hidden where the RFC forbids it: Sequencing Required, Message Type, Random Vector */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	raw_avp(&r, 0x8000 | L2TP_AVP_H, 0, L2TP_AVP_SEQ_REQUIRED, hid, 2);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_NOT_ALLOWED);
	raw_begin(&r, 0);
	raw_u16(&r, 0x8000 | L2TP_AVP_H, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_HELLO);
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_NOT_ALLOWED);
	raw_begin(&r, L2TP_MSG_HELLO);
	raw_avp(&r, 0x8000 | L2TP_AVP_H, 0, L2TP_AVP_RANDOM_VECTOR, rv, sizeof(rv));
	raw_end(&r);
	parse_fails_flags(r.b, r.len, SECRET, SECRET_LEN, 0, L2TP_E_HIDDEN_NOT_ALLOWED);

	/* hidden unknown AVPs are just unknown: no secret needed */
	raw_begin(&r, L2TP_MSG_HELLO);
	raw_avp(&r, L2TP_AVP_H, 9, 1, hid, 20);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->n_unknown, 1);
	assert_int_equal(m->unknown[0].flags, L2TP_AVP_H);
	free(m);
}

/* ---- real captures --------------------------------------------------------------------- */

static void test_capture_xl2tpd_l2tpns(void **state)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_hdr h;
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = load("noppp-00-sccrq.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRQ);
	assert_int_equal(m->hdr.tunnel_id, 0);
	assert_int_equal(m->hdr.ns, 0);
	assert_int_equal(m->hdr.nr, 0);
	assert_int_equal(m->proto_ver, 1);
	assert_int_equal(m->proto_rev, 0);
	assert_int_equal(m->framing_cap, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	assert_int_equal(m->bearer_cap, 0);
	assert_int_equal(m->firmware_rev, 0x0690);
	assert_string_equal(m->host_name.s, "xl2tpd-lac");
	assert_string_equal(m->vendor_name.s, "xelerance.com");
	assert_int_equal(m->tunnel_id, 0xa7b2);
	assert_int_equal(m->rx_window, 4);
	assert_int_equal(m->present, B(MESSAGE_TYPE) | B(PROTOCOL_VERSION) | B(FRAMING_CAP) |
					     B(BEARER_CAP) | B(FIRMWARE_REV) | B(HOST_NAME) |
					     B(VENDOR_NAME) | B(TUNNEL_ID) | B(RX_WINDOW));
	free(buf);

	buf = load("noppp-01-sccrp.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRP);
	assert_int_equal(m->hdr.tunnel_id, 0xa7b2);
	assert_int_equal(m->hdr.nr, 1);
	assert_string_equal(m->host_name.s, "l2tpns-lns");
	assert_int_equal(m->tunnel_id, 2);
	assert_int_equal(m->framing_cap, 3);
	free(buf);

	buf = load("noppp-02-scccn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCCN);
	assert_int_equal(m->present, B(MESSAGE_TYPE));
	assert_int_equal(m->hdr.tunnel_id, 2);
	assert_int_equal(m->hdr.ns, 1);
	assert_int_equal(m->hdr.nr, 1);
	free(buf);

	buf = load("noppp-03-icrq.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_ICRQ);
	assert_int_equal(m->session_id, 0xce40);
	assert_int_equal(m->call_serial, 1);
	assert_int_equal(m->bearer_type, 0);
	free(buf);

	buf = load("noppp-04-zlb.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_true(m->zlb);
	assert_int_equal(m->msg_type, 0);
	assert_int_equal(m->present, 0);
	assert_int_equal(m->hdr.tunnel_id, 0xa7b2);
	assert_int_equal(m->hdr.ns, 1);
	assert_int_equal(m->hdr.nr, 2);
	free(buf);

	buf = load("noppp-05-icrp.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, 0xce40);
	assert_int_equal(m->session_id, 1);
	free(buf);

	buf = load("noppp-06-iccn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_ICCN);
	assert_int_equal(m->hdr.session_id, 1);
	assert_int_equal(m->tx_speed, 0);
	assert_int_equal(m->framing_type, L2TP_FRAMING_SYNC);
	assert_true(m->present & B(RX_SPEED)); /* sent with M clear, as the RFC says */
	assert_int_equal(m->rx_speed, 0);
	free(buf);

	/* a data message: the header parser takes it, the control parser does not */
	buf = load("noppp-08-data-lcp.bin", &len);
	assert_int_equal(l2tp_hdr_parse(buf, len, &h), 0);
	assert_false(h.ctrl);
	assert_false(h.has_len);
	assert_false(h.has_seq);
	assert_int_equal(h.tunnel_id, 0xa7b2);
	assert_int_equal(h.session_id, 0xce40);
	assert_int_equal(h.hdr_len, 6);
	assert_int_equal(h.len, len);
	assert_int_equal(get16(buf + h.hdr_len), 0xff03);
	assert_int_equal(get16(buf + h.hdr_len + 2), 0xc021); /* LCP */
	parse_fails(buf, len, L2TP_E_NOT_CONTROL);
	free(buf);

	buf = load("noppp-09-cdn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_CDN);
	assert_int_equal(m->result.result, L2TP_CDN_LOST_CARRIER);
	assert_true(m->result.has_error);
	assert_int_equal(m->result.error, 0);
	assert_int_equal(m->result.msg.len, 0);
	assert_int_equal(m->session_id, 0xce40);
	free(buf);

	buf = load("noppp-11-stopccn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_STOPCCN);
	assert_int_equal(m->tunnel_id, 0xa7b2);
	assert_int_equal(m->result.result, L2TP_STOPCCN_CLEAR);
	assert_int_equal(m->result.error, 0);
	assert_string_equal(m->result.msg.s, "Goodbye!");
	assert_string_equal(l2tp_result_name(m->msg_type, m->result.result),
			    "general request to clear control connection");
	free(buf);

	buf = load("noppp-12-zlb.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_true(m->zlb);
	free(buf);
	free(m);
}

static void test_capture_tunnel_auth(void **state)
{
	struct l2tp_msg *m = new_msg();
	uint8_t chal[64], resp[16], want[16];
	struct md5_ctx ctx;
	size_t len, clen;
	uint8_t *buf;
	uint8_t two = 2;

	(void)state;
	buf = load("auth-00-sccrq.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRQ);
	assert_true(m->present & B(RANDOM_VECTOR));
	assert_int_equal(m->random_vector.len, 16);
	assert_int_equal(m->challenge.len, 16);
	assert_int_equal(m->hidden, 0);
	assert_int_equal(m->tunnel_id, 0x56dc);
	clen = m->challenge.len;
	memcpy(chal, m->challenge.p, clen);
	free(buf);

	buf = load("auth-01-sccrp.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRP);
	assert_true(m->present & B(CHALLENGE_RESP));
	assert_int_equal(m->challenge_resp.len, 16);
	/* the LNS answered MD5(2 || "tunnelsecret" || challenge) */
	assert_int_equal(
		l2tp_challenge_response(L2TP_MSG_SCCRP, SECRET, SECRET_LEN, chal, clen, resp), 0);
	assert_memory_equal(resp, m->challenge_resp.p, 16);
	md5_init(&ctx);
	md5_update(&ctx, 1, &two);
	md5_update(&ctx, SECRET_LEN, SECRET);
	md5_update(&ctx, clen, chal);
	md5_digest(&ctx, 16, want);
	assert_memory_equal(resp, want, 16);
	/* the wrong message type or secret gives another answer */
	l2tp_challenge_response(L2TP_MSG_SCCCN, SECRET, SECRET_LEN, chal, clen, resp);
	assert_memory_not_equal(resp, m->challenge_resp.p, 16);
	l2tp_challenge_response(L2TP_MSG_SCCRP, (const uint8_t *)"tunnelsecreT", SECRET_LEN, chal,
				clen, resp);
	assert_memory_not_equal(resp, m->challenge_resp.p, 16);
	free(buf);

	/* l2tpns sent no challenge, so the SCCCN carries only a Random Vector */
	buf = load("auth-02-scccn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_SCCCN);
	assert_int_equal(m->present, B(MESSAGE_TYPE) | B(RANDOM_VECTOR));
	free(buf);

	buf = load("auth-11-stopccn.bin", &len);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->msg_type, L2TP_MSG_STOPCCN);
	assert_string_equal(m->result.msg.s, "Goodbye!");
	free(buf);

	assert_int_equal(l2tp_challenge_response(2, NULL, 1, chal, clen, resp), -EINVAL);
	assert_int_equal(l2tp_challenge_response(2, SECRET, SECRET_LEN, NULL, 1, resp), -EINVAL);
	assert_int_equal(l2tp_challenge_response(2, SECRET, SECRET_LEN, chal, clen, NULL), -EINVAL);
	free(m);
}

static void test_capture_all_files_parse(void **state)
{
	static const char *const files[] = {
		"noppp-00-sccrq.bin", "noppp-01-sccrp.bin",   "noppp-02-scccn.bin",
		"noppp-03-icrq.bin",  "noppp-04-zlb.bin",     "noppp-05-icrp.bin",
		"noppp-06-iccn.bin",  "noppp-07-zlb.bin",     "noppp-09-cdn.bin",
		"noppp-10-zlb.bin",   "noppp-11-stopccn.bin", "noppp-12-zlb.bin",
		"auth-00-sccrq.bin",  "auth-01-sccrp.bin",    "auth-02-scccn.bin",
		"auth-03-icrq.bin",   "auth-04-zlb.bin",      "auth-05-icrp.bin",
		"auth-06-iccn.bin",   "auth-07-zlb.bin",      "auth-09-cdn.bin",
		"auth-10-zlb.bin",    "auth-11-stopccn.bin",  "auth-12-zlb.bin",
	};
	struct l2tp_msg *m = new_msg(), *m2 = new_msg();
	uint8_t out[2048];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct l2tp_builder b;
		size_t len;
		uint8_t *buf = load(files[i], &len);
		int n;

		parse_ok(buf, len, NULL, 0, m);
		/* strict parsing accepted it; every AVP was known and M bits right */
		assert_int_equal(m->n_unknown, 0);
		assert_int_equal(m->unexpected, 0);
		if (m->zlb) {
			free(buf);
			continue;
		}
		/* re-encode what was parsed; it parses to the same values */
		assert_int_equal(l2tp_build_begin(&b, out, sizeof(out), m->hdr.tunnel_id,
						  m->hdr.session_id, m->msg_type),
				 0);
		assert_int_equal(l2tp_put_msg_avps(&b, m), 0);
		n = l2tp_build_end(&b);
		assert_true(n > 0);
		parse_ok(out, (size_t)n, NULL, 0, m2);
		assert_int_equal(m2->present, m->present & ~B(RANDOM_VECTOR));
		assert_string_equal(m2->host_name.s, m->host_name.s);
		assert_int_equal(m2->tunnel_id, m->tunnel_id);
		assert_int_equal(m2->session_id, m->session_id);
		assert_int_equal(m2->result.result, m->result.result);
		assert_int_equal(m2->result.error, m->result.error);
		assert_string_equal(m2->result.msg.s, m->result.msg.s);
		assert_int_equal(m2->challenge.len, m->challenge.len);
		if (m->challenge.len > 0)
			assert_memory_equal(m2->challenge.p, m->challenge.p, m->challenge.len);
		/* each re-encoded AVP is octet for octet one of the original (the builder
		 * writes them in type order; the Random Vector only when it hides) */
		if (!(m->present & B(RANDOM_VECTOR))) {
			size_t o = 12;

			assert_int_equal((size_t)n, len);
			while (o < (size_t)n) {
				size_t alen = get16(out + o) & 0x3ff, k;
				bool found = false;

				for (k = 12; k + alen <= len && !found; k += get16(buf + k) & 0x3ff)
					found = memcmp(out + o, buf + k, alen) == 0;
				assert_true(found);
				o += alen;
			}
		}
		free(buf);
	}
	free(m);
	free(m2);
}

static void test_capture_bngblaster(void **state)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_err e;
	uint8_t *buf;
	size_t len;
	int rc;

	(void)state;
	buf = load("bngblaster-sccrq.bin", &len);
	assert_int_equal(len, 128);
	/* the Challenge is hidden and the secret unknown */
	rc = l2tp_msg_parse(buf, len, NULL, 0, m, &e);
	assert_int_equal(rc, -EBADMSG);
	assert_int_equal(e.code, L2TP_E_HIDDEN_NO_SECRET);
	assert_int_equal(e.avp_type, L2TP_AVP_CHALLENGE);
	assert_int_equal(e.offset, 128 - 24);
	/* what came before it was parsed, for the log */
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRQ);
	assert_string_equal(m->host_name.s, "BNG");
	assert_string_equal(m->vendor_name.s, "RtBrick, Inc.");
	assert_int_equal(m->tunnel_id, 0x8186);
	assert_int_equal(m->rx_window, 32);
	assert_int_equal(m->framing_cap, 3);
	assert_int_equal(m->random_vector.len, 16);
	/* a wrong secret decrypts an impossible original length */
	rc = l2tp_msg_parse(buf, len, SECRET, SECRET_LEN, m, &e);
	assert_int_equal(rc, -EBADMSG);
	assert_int_equal(e.code, L2TP_E_HIDDEN_BAD_LEN);

	/* the same SCCRQ without its last AVP (built here, the file is not touched) */
	put16(buf + 2, 128 - 24);
	parse_ok(buf, len, NULL, 0, m);
	assert_int_equal(m->hdr.len, 104);
	assert_int_equal(m->proto_ver, 1);
	assert_int_equal(m->proto_rev, 0);
	assert_string_equal(m->host_name.s, "BNG");
	assert_int_equal(m->host_name.len, 3);
	assert_string_equal(m->vendor_name.s, "RtBrick, Inc.");
	assert_int_equal(m->tunnel_id, 0x8186);
	assert_int_equal(m->rx_window, 32);
	assert_false(m->present & B(CHALLENGE));
	free(buf);
	free(m);
}

static void test_capture_tcpdump_overflow(void **state)
{
	static const char *const files[] = {
		"tcpdump-avp-overflow-01.bin", "tcpdump-avp-overflow-02.bin",
		"tcpdump-avp-overflow-03.bin", "tcpdump-avp-overflow-19.bin",
		"tcpdump-avp-overflow-20.bin",
	};
	struct l2tp_msg *m = new_msg();
	struct l2tp_hdr h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len, k;
		uint8_t *buf = load(files[i], &len);
		struct l2tp_err e;
		struct raw r;

		/* T and L set, S clear; Length 514 would overrun the 16 octets anyway */
		assert_int_equal(len, 16);
		parse_fails(buf, len, L2TP_E_CTRL_FLAGS);
		assert_int_equal(l2tp_hdr_parse(buf, len, &h), -EBADMSG);
		/* every prefix fails as cleanly */
		for (k = 0; k < len; k++)
			assert_int_equal(l2tp_msg_parse(buf, k, NULL, 0, m, &e), -EBADMSG);

		/* their AVP octets behind a sound header: still rejected, never read past */
		raw_begin(&r, 0);
		memcpy(r.b + 12, buf + 8, len - 8);
		r.len = 12 + len - 8;
		raw_end(&r);
		parse_fails(r.b, r.len, L2TP_E_NO_MSG_TYPE); /* 0x0808: reserved bits set */

		/* and behind a HELLO's Message Type: unknown (reserved bits), or overrun */
		raw_begin(&r, L2TP_MSG_HELLO);
		memcpy(r.b + 20, buf + 8, len - 8);
		r.len = 20 + len - 8;
		raw_end(&r);
		if (l2tp_msg_parse(r.b, r.len, NULL, 0, m, &e) == 0) {
			assert_int_equal(m->n_unknown, 1);
			assert_int_equal(m->unknown[0].flags & L2TP_AVP_RSVD, 0x0800);
			assert_false(m->unknown_mandatory);
		} else {
			assert_int_equal(e.code, L2TP_E_AVP_OVERRUN);
		}
		free(buf);
	}
	free(m);
}

/* ---- boundaries -------------------------------------------------------------------------- */

static void test_header_boundaries(void **state)
{
	uint8_t zlb[32], d[32];
	struct l2tp_msg *m = new_msg();
	struct l2tp_hdr h;
	struct l2tp_err e;
	size_t k;

	(void)state;
	assert_int_equal(l2tp_build_zlb(zlb, sizeof(zlb), 3, 4), 12);
	assert_int_equal(l2tp_build_zlb(zlb, 11, 3, 4), -ENOSPC);
	assert_int_equal(l2tp_build_zlb(NULL, 12, 3, 4), -EINVAL);
	/* a control header cut at every length */
	for (k = 0; k < 12; k++) {
		e = parse_fails(zlb, k, L2TP_E_TRUNCATED);
		assert_int_equal(e.avp_type, -1);
	}
	parse_ok(zlb, 12, NULL, 0, m);
	assert_true(m->zlb);
	assert_int_equal(m->hdr.tunnel_id, 3);
	assert_int_equal(m->hdr.session_id, 4);
	assert_int_equal(m->hdr.flags, 0xc802);

	/* Length larger than the datagram */
	memcpy(d, zlb, 12);
	put16(d + 2, 13);
	parse_fails(d, 12, L2TP_E_BAD_LENGTH);
	/* Length smaller than the header */
	put16(d + 2, 11);
	parse_fails(d, 12, L2TP_E_SHORT_LENGTH);
	put16(d + 2, 0);
	parse_fails(d, 12, L2TP_E_SHORT_LENGTH);
	/* Length smaller than the datagram: the tail is not part of the message */
	put16(d + 2, 12);
	memset(d + 12, 0xff, 20);
	parse_ok(d, 32, NULL, 0, m);
	assert_true(m->zlb);
	assert_int_equal(m->hdr.len, 12);

	/* versions */
	memcpy(d, zlb, 12);
	d[1] = 0x03;
	parse_fails(d, 12, L2TP_E_VERSION_3);
	assert_int_equal(l2tp_hdr_parse(d, 12, &h), -EPROTONOSUPPORT);
	assert_int_equal(h.version, 3);
	d[1] = 0x01;
	parse_fails(d, 12, L2TP_E_BAD_VERSION);
	d[1] = 0x0f;
	parse_fails(d, 1, L2TP_E_TRUNCATED); /* too short to tell */

	/* control messages need L and S, and no O; x bits are ignored */
	d[1] = 0x02;
	d[0] = 0x88; /* T, S */
	parse_fails(d, 12, L2TP_E_CTRL_FLAGS);
	d[0] = 0xc0; /* T, L */
	parse_fails(d, 12, L2TP_E_CTRL_FLAGS);
	d[0] = 0xca; /* T, L, S, O */
	parse_fails(d, 14, L2TP_E_CTRL_FLAGS);
	d[0] = 0xc8 | 0x30 | 0x04 | 0x01; /* x bits and P set */
	d[1] = 0xf2;
	parse_ok(d, 12, NULL, 0, m);
	assert_true(m->zlb);
	assert_true(m->hdr.prio);

	/* data messages: O with the offset padding running past the end, by one */
	memset(d, 0, sizeof(d));
	put16(d, 0x0202); /* O, version 2 */
	put16(d + 2, 5);  /* tunnel */
	put16(d + 4, 6);  /* session */
	put16(d + 6, 3);  /* Offset Size */
	assert_int_equal(l2tp_hdr_parse_err(d, 10, &h, &e), -EBADMSG);
	assert_int_equal(e.code, L2TP_E_OFFSET_OVERRUN);
	assert_int_equal(l2tp_hdr_parse(d, 11, &h), 0); /* exactly to the end */
	assert_int_equal(h.hdr_len, 11);
	assert_int_equal(h.offset_size, 3);
	put16(d + 6, 0);
	assert_int_equal(l2tp_hdr_parse(d, 8, &h), 0); /* no padding, no payload */
	assert_int_equal(h.hdr_len, 8);
	put16(d + 6, 0xffff);
	assert_int_equal(l2tp_hdr_parse_err(d, sizeof(d), &h, &e), -EBADMSG);
	assert_int_equal(e.code, L2TP_E_OFFSET_OVERRUN);
	/* data with L, S and O: Offset Size read after Ns/Nr, bounded by Length */
	memset(d, 0, sizeof(d));
	put16(d, 0x4a02);
	put16(d + 2, 16); /* Length */
	put16(d + 12, 2); /* Offset Size */
	assert_int_equal(l2tp_hdr_parse(d, sizeof(d), &h), 0);
	assert_int_equal(h.hdr_len, 16);
	put16(d + 12, 3);
	assert_int_equal(l2tp_hdr_parse_err(d, sizeof(d), &h, &e), -EBADMSG);
	assert_int_equal(e.code, L2TP_E_OFFSET_OVERRUN);
	/* data header cut short */
	put16(d, 0x4a02);
	assert_int_equal(l2tp_hdr_parse_err(d, 13, &h, &e), -EBADMSG);
	assert_int_equal(e.code, L2TP_E_TRUNCATED);
	/* the smallest data message: flags, tunnel, session */
	put16(d, 0x0002);
	assert_int_equal(l2tp_hdr_parse(d, 6, &h), 0);
	assert_int_equal(h.hdr_len, 6);
	assert_int_equal(l2tp_hdr_parse(d, 5, &h), -EBADMSG);
	free(m);
}

static void test_avp_boundaries(void **state)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_err e;
	struct raw r;

	(void)state;
	/* AVP Length 5 */
	raw_begin(&r, L2TP_MSG_HELLO);
	raw_avp(&r, 0, 9, 1, NULL, 0);
	put16(r.b + 20, 5);
	raw_end(&r);
	e = parse_fails(r.b, r.len, L2TP_E_AVP_SHORT);
	assert_int_equal(e.offset, 20);
	/* AVP Length 0 (would loop forever if taken) */
	put16(r.b + 20, 0);
	parse_fails(r.b, r.len, L2TP_E_AVP_SHORT);
	/* AVP Length 6: an empty value */
	put16(r.b + 20, 6);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->n_unknown, 1);
	assert_int_equal(m->unknown[0].len, 6);
	/* AVP exactly to the end, and one past it */
	raw_begin(&r, L2TP_MSG_HELLO);
	raw_avp(&r, 0, 9, 1, "abcd", 4);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	put16(r.b + 20, 11);
	e = parse_fails(r.b, r.len, L2TP_E_AVP_OVERRUN);
	assert_int_equal(e.avp_type, 1);
	assert_int_equal(e.avp_vendor, 9);
	assert_int_equal(e.offset, 20);
	/* the maximum AVP Length runs past a short message */
	put16(r.b + 20, 0x3ff);
	parse_fails(r.b, r.len, L2TP_E_AVP_OVERRUN);
	/* one past the end of Length, with the datagram longer than Length */
	put16(r.b + 20, 11);
	parse_fails(r.b, r.len + 1, L2TP_E_AVP_OVERRUN);
	/* 1..5 octets left after the last AVP */
	for (size_t k = 1; k < 6; k++) {
		raw_begin(&r, L2TP_MSG_HELLO);
		r.len += k;
		raw_end(&r);
		parse_fails(r.b, r.len, L2TP_E_AVP_TRUNCATED);
	}
	/* the Message Type alone, cut short */
	raw_begin(&r, L2TP_MSG_HELLO);
	put16(r.b + 2, 19);
	parse_fails(r.b, 19, L2TP_E_AVP_OVERRUN);
	/* Message Type of the wrong length */
	raw_begin(&r, 0);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_MESSAGE_TYPE, "\x00\x06\x00", 3);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	free(m);
}

static void test_avp_values(void **state)
{
	struct l2tp_msg *m = new_msg();
	char longname[400];
	struct l2tp_err e;
	struct raw r;

	(void)state;
	/* fixed-size values off by one */
	raw_begin(&r, L2TP_MSG_ICRP);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_SESSION_ID, "\x00\x01\x02", 3);
	raw_end(&r);
	e = parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	assert_int_equal(e.avp_type, L2TP_AVP_SESSION_ID);
	raw_begin(&r, L2TP_MSG_ICRP);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_SESSION_ID, "\x00", 1);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	/* Result Code: 2 and 4+ octets, never 3 or 1 */
	for (size_t n = 0; n < 8; n++) {
		static const uint8_t rc[8] = {0, 1, 0, 0, 'o', 'k', '!', '?'};

		raw_begin(&r, L2TP_MSG_CDN);
		raw_u16(&r, 0x8000, L2TP_AVP_SESSION_ID, 1);
		raw_avp(&r, 0x8000, 0, L2TP_AVP_RESULT_CODE, rc, n);
		raw_end(&r);
		if (n < 2 || n == 3) {
			parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
			continue;
		}
		parse_ok(r.b, r.len, NULL, 0, m);
		assert_int_equal(m->result.result, 1);
		assert_int_equal(m->result.has_error, n >= 4);
		assert_int_equal(m->result.msg.len, n > 4 ? n - 4 : 0);
	}
	/* Host Name must have an octet */
	raw_begin(&r, L2TP_MSG_SCCRQ);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_HOST_NAME, NULL, 0);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	/* Sequencing Required carries nothing */
	raw_iccn(&r);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_SEQ_REQUIRED, "x", 1);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	/* Q.931 needs 3 octets; PPP Disconnect Cause 5 */
	raw_begin(&r, L2TP_MSG_CDN);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_Q931_CAUSE, "\x00\x10", 2);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	raw_begin(&r, L2TP_MSG_CDN);
	raw_avp(&r, 0, 0, L2TP_AVP_PPP_DISCONNECT, "\x00\x10\xc0\x21", 4);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_BAD_LEN);
	/* RFC 3145's draft form (vendor 43) is read as AVP 46; the full-form text kept */
	raw_begin(&r, L2TP_MSG_CDN);
	raw_u16(&r, 0x8000, L2TP_AVP_SESSION_ID, 5);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RESULT_CODE, "\x00\x03", 2);
	raw_avp(&r, 0, L2TP_VENDOR_3COM, L2TP_AVP_PPP_DISCONNECT, "\x00\x10\xc2\x23\x02no", 7);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_Q931_CAUSE, "\x00\x10\x45why", 6);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->ppp_disc.code, 16);
	assert_int_equal(m->ppp_disc.proto, 0xc223);
	assert_int_equal(m->ppp_disc.direction, 2);
	assert_string_equal(m->ppp_disc.msg.s, "no");
	assert_int_equal(m->q931.cause, 16);
	assert_int_equal(m->q931.msg, 0x45);
	assert_string_equal(m->q931.advisory.s, "why");
	assert_int_equal(m->result.result, L2TP_CDN_ADMIN);
	assert_false(m->result.has_error);
	/* strings: cut at L2TP_STR_MAX and flagged; never NUL-terminated on the wire */
	memset(longname, 'n', sizeof(longname));
	raw_iccn(&r);
	raw_avp(&r, 0, 0, L2TP_AVP_PROXY_AUTH_NAME, longname, 300);
	raw_avp(&r, 0, 0, L2TP_AVP_PRIVATE_GROUP, "\x00grp", 4);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->proxy_auth_name.len, L2TP_STR_MAX);
	assert_int_equal(strlen(m->proxy_auth_name.s), L2TP_STR_MAX);
	assert_int_equal(m->truncated, B(PROXY_AUTH_NAME));
	assert_int_equal(m->private_group.len, 4);
	assert_ptr_equal(m->private_group.p, r.b + r.len - 4); /* clear: points into buf */
	/* composite values' text is cut the same way */
	raw_begin(&r, L2TP_MSG_CDN);
	raw_u16(&r, 0x8000, L2TP_AVP_SESSION_ID, 5);
	memcpy(longname, "\x00\x02\x00\x06", 4);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_RESULT_CODE, longname, 4 + 260);
	memcpy(longname, "\x00\x10\x45", 3);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_Q931_CAUSE, longname, 3 + 254);
	memcpy(longname, "\x00\x03\xc0\x21\x01", 5);
	raw_avp(&r, 0, 0, L2TP_AVP_PPP_DISCONNECT, longname, 5 + 300);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->truncated, B(RESULT_CODE) | B(Q931_CAUSE) | B(PPP_DISCONNECT));
	assert_int_equal(m->result.error, 6);
	assert_int_equal(m->result.msg.len, L2TP_STR_MAX);
	assert_int_equal(m->q931.advisory.len, L2TP_STR_MAX);
	assert_int_equal(m->ppp_disc.msg.len, L2TP_STR_MAX);
	assert_int_equal(m->ppp_disc.proto, 0xc021);
	memset(longname, 'n', sizeof(longname));
	/* an embedded NUL survives in len */
	raw_iccn(&r);
	raw_avp(&r, 0, 0, L2TP_AVP_PROXY_AUTH_NAME, "a\0b", 3);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->proxy_auth_name.len, 3);
	assert_memory_equal(m->proxy_auth_name.s, "a\0b", 4);
	free(m);
}

static void test_message_rules(void **state)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_err e;
	struct raw r;
	unsigned int i;

	(void)state;
	/* the first AVP must be Message Type */
	raw_begin(&r, 0);
	raw_u16(&r, 0x8000, L2TP_AVP_TUNNEL_ID, 1);
	raw_u16(&r, 0x8000, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_HELLO);
	raw_end(&r);
	e = parse_fails(r.b, r.len, L2TP_E_NO_MSG_TYPE);
	assert_int_equal(e.avp_type, L2TP_AVP_TUNNEL_ID);
	raw_begin(&r, 0);
	raw_avp(&r, 0x8000, 9, 0, "\x00\x06", 2); /* type 0 of another vendor */
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_NO_MSG_TYPE);
	raw_begin(&r, 0);
	raw_u16(&r, 0x8000 | 0x0400, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_HELLO); /* reserved bit */
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_NO_MSG_TYPE);

	/* required AVPs, named when missing */
	raw_begin(&r, L2TP_MSG_SCCRQ);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_PROTOCOL_VERSION, "\x01\x00", 2);
	raw_u32(&r, 0x8000, L2TP_AVP_FRAMING_CAP, 3);
	raw_u16(&r, 0x8000, L2TP_AVP_TUNNEL_ID, 77);
	raw_end(&r);
	e = parse_fails(r.b, r.len, L2TP_E_MISSING_AVP);
	assert_int_equal(e.avp_type, L2TP_AVP_HOST_NAME);
	assert_non_null(strstr(e.msg, "Host Name"));
	assert_non_null(strstr(e.msg, "SCCRQ"));
	raw_avp(&r, 0x8000, 0, L2TP_AVP_HOST_NAME, "lac", 3);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->unexpected, 0);
	/* known but not listed for the message: noted */
	raw_avp(&r, 0x8000, 0, L2TP_AVP_SESSION_ID, "\x00\x09", 2);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->unexpected, B(SESSION_ID));
	/* duplicates: the first wins */
	raw_avp(&r, 0x8000, 0, L2TP_AVP_HOST_NAME, "other", 5);
	raw_u16(&r, 0x8000, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_STOPCCN);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_string_equal(m->host_name.s, "lac");
	assert_int_equal(m->msg_type, L2TP_MSG_SCCRQ);
	assert_int_equal(m->duplicate, B(HOST_NAME) | B(MESSAGE_TYPE));

	/* M-bit rule: strict by default, noted in lax mode */
	raw_begin(&r, L2TP_MSG_SCCRQ);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_PROTOCOL_VERSION, "\x01\x00", 2);
	raw_u32(&r, 0x8000, L2TP_AVP_FRAMING_CAP, 3);
	raw_u16(&r, 0x8000, L2TP_AVP_TUNNEL_ID, 77);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_HOST_NAME, "lac", 3);
	raw_avp(&r, 0x8000, 0, L2TP_AVP_VENDOR_NAME, "v", 1); /* must be clear */
	raw_avp(&r, 0, 0, L2TP_AVP_RX_WINDOW, "\x00\x08", 2); /* must be set */
	raw_end(&r);
	e = parse_fails(r.b, r.len, L2TP_E_AVP_M_BIT);
	assert_int_equal(e.avp_type, L2TP_AVP_VENDOR_NAME);
	parse_ok_flags(r.b, r.len, NULL, 0, L2TP_PARSE_LAX_MBIT, m);
	assert_int_equal(m->m_violation, B(VENDOR_NAME) | B(RX_WINDOW));
	assert_string_equal(m->vendor_name.s, "v");
	assert_int_equal(m->rx_window, 8);
	/* Message Type with M clear on a known type */
	raw_begin(&r, 0);
	raw_u16(&r, 0, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_HELLO);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_AVP_M_BIT);
	parse_ok_flags(r.b, r.len, NULL, 0, L2TP_PARSE_LAX_MBIT, m);
	assert_int_equal(m->m_violation, B(MESSAGE_TYPE));

	/* unknown message types: M says clear the tunnel or ignore (4.4.1) */
	raw_begin(&r, 0);
	raw_u16(&r, 0x8000, L2TP_AVP_MESSAGE_TYPE, 200);
	raw_u16(&r, 0x8000, L2TP_AVP_TUNNEL_ID, 1);
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_false(m->msg_known);
	assert_true(m->msg_m);
	assert_int_equal(m->msg_type, 200);
	assert_int_equal(m->tunnel_id, 1);
	assert_int_equal(m->unexpected, 0);
	raw_begin(&r, 0);
	raw_u16(&r, 0, L2TP_AVP_MESSAGE_TYPE, 13); /* reserved */
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_false(m->msg_known);
	assert_false(m->msg_m);

	/* unknown AVPs: recorded, M ones flagged with the first offender */
	raw_begin(&r, L2TP_MSG_HELLO);
	for (i = 0; i < 10; i++)
		raw_avp(&r, i == 4 || i == 7 ? 0x8000 : 0, (uint16_t)(i < 5 ? 9 : 0),
			(uint16_t)(i < 5 ? i : 50 + i), "zz", 2);
	raw_u16(&r, 0x0400, L2TP_AVP_FIRMWARE_REV, 1); /* reserved bit: unrecognized */
	raw_end(&r);
	parse_ok(r.b, r.len, NULL, 0, m);
	assert_int_equal(m->n_unknown, 11);
	assert_true(m->unknown_mandatory);
	assert_int_equal(m->unknown_mandatory_vendor, 9);
	assert_int_equal(m->unknown_mandatory_type, 4);
	assert_int_equal(m->unknown[0].vendor, 9);
	assert_int_equal(m->unknown[0].type, 0);
	assert_int_equal(m->unknown[0].len, 8);
	assert_int_equal(m->unknown[4].flags, L2TP_AVP_M);
	assert_int_equal(m->unknown[7].vendor, 0);
	assert_int_equal(m->unknown[7].type, 57);
	assert_false(m->present & B(FIRMWARE_REV));
	assert_int_equal(l2tp_msg_table[L2TP_MSG_HELLO].scope, L2TP_SCOPE_TUNNEL);

	/* data message where a control message was expected */
	raw_begin(&r, 0);
	put16(r.b, 0x4802);
	raw_end(&r);
	parse_fails(r.b, r.len, L2TP_E_NOT_CONTROL);

	/* a NULL error pointer is fine */
	assert_int_equal(l2tp_msg_parse(r.b, r.len, NULL, 0, m, NULL), -EBADMSG);
	free(m);
}

/* ---- builder ------------------------------------------------------------------------------- */

static void test_builder_flags_and_header(void **state)
{
	struct l2tp_msg *m = new_msg();
	struct l2tp_builder b;
	uint8_t buf[256];
	int n;

	(void)state;
	assert_int_equal(l2tp_build_begin(&b, buf, sizeof(buf), 0xabcd, 0, L2TP_MSG_SCCRQ), 0);
	assert_int_equal(get16(buf), 0xc802);
	assert_int_equal(get16(buf + 4), 0xabcd);
	assert_int_equal(get16(buf + 12), 0x8008); /* Message Type: M, length 8 */
	assert_int_equal(get16(buf + 18), L2TP_MSG_SCCRQ);
	assert_int_equal(l2tp_put_protocol_version(&b, L2TP_PROTO_VER, L2TP_PROTO_REV), 0);
	assert_int_equal(l2tp_put_str(&b, L2TP_AVP_HOST_NAME, "lns"), 0);
	assert_int_equal(l2tp_put_u32(&b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC), 0);
	assert_int_equal(l2tp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 5), 0);
	assert_int_equal(l2tp_put_str(&b, L2TP_AVP_VENDOR_NAME, "lns project"), 0);
	assert_int_equal(l2tp_put_u64(&b, L2TP_AVP_TIE_BREAKER, 42), 0);
	n = l2tp_build_end(&b);
	assert_int_equal(n, 12 + 8 + 8 + 9 + 10 + 8 + 17 + 14);
	assert_int_equal(get16(buf + 2), n);
	assert_int_equal(get16(buf + 20), 0x8008); /* Protocol Version: M */
	assert_int_equal(get16(buf + 28), 0x8009); /* Host Name: M */
	assert_int_equal(get16(buf + 55), 0x0011); /* Vendor Name: M clear */
	assert_int_equal(get16(buf + 72), 0x000e); /* Tie Breaker: M clear */
	l2tp_hdr_set_ns_nr(buf, 0x0102, 0x0304);
	parse_ok(buf, (size_t)n, NULL, 0, m);
	assert_int_equal(m->hdr.ns, 0x0102);
	assert_int_equal(m->hdr.nr, 0x0304);
	assert_true(m->tie_breaker == 42);
	assert_string_equal(m->vendor_name.s, "lns project");

	/* the override writes what it is told */
	assert_int_equal(l2tp_build_begin(&b, buf, sizeof(buf), 1, 2, L2TP_MSG_HELLO), 0);
	assert_int_equal(l2tp_put_avp_flags(&b, 9, 77, L2TP_AVP_M | 0x0400, "v", 1), 0);
	n = l2tp_build_end(&b);
	assert_int_equal(get16(buf + 20), 0x8400 | 7);
	assert_int_equal(get16(buf + 22), 9);
	parse_ok(buf, (size_t)n, NULL, 0, m);
	assert_true(m->unknown_mandatory);
	free(m);
}

static void test_builder_misuse(void **state)
{
	struct l2tp_builder b;
	uint8_t buf[2048], big[1100];
	uint32_t seed = 1;

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(l2tp_build_begin(&b, NULL, 100, 1, 2, 1), -EINVAL);
	assert_int_equal(l2tp_build_end(&b), -EINVAL);
	assert_int_equal(l2tp_build_begin(&b, buf, 11, 1, 2, 1), -ENOSPC);
	assert_int_equal(l2tp_build_begin(&b, buf, 19, 1, 2, 1), -ENOSPC);
	assert_int_equal(l2tp_build_end(&b), -ENOSPC);
	assert_int_equal(l2tp_build_begin(&b, buf, 20, 1, 2, 1), 0);
	assert_int_equal(l2tp_build_end(&b), 20);

#define FRESH() assert_int_equal(l2tp_build_begin(&b, buf, sizeof(buf), 1, 2, 10), 0)
	FRESH();
	assert_int_equal(l2tp_put_u16(&b, L2TP_AVP_CALL_SERIAL, 1), -EINVAL); /* u32 AVP */
	assert_int_equal(l2tp_put_u32(&b, L2TP_AVP_CALL_SERIAL, 1), -EINVAL); /* sticky */
	assert_int_equal(l2tp_build_end(&b), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_u16(&b, L2TP_AVP_MESSAGE_TYPE, 1), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_RANDOM_VECTOR, "x", 1), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_u16(&b, 20, 1), -EINVAL); /* reserved type */
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE_RESP, big, 15), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE, big, 0), -EINVAL); /* min 1 */
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE, NULL, 4), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE, big, 1018), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE, big, 1017), 0);
	FRESH();
	assert_int_equal(l2tp_put_avp_flags(&b, 9, 1, 0, big, 1018), -EMSGSIZE);
	FRESH();
	assert_int_equal(l2tp_put_str(&b, L2TP_AVP_HOST_NAME, NULL), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_result(&b, 1, 65536, NULL), -EINVAL);
	FRESH();
	big[1013] = '\0';
	assert_int_equal(l2tp_put_result(&b, 1, 0, (const char *)big), 0); /* 4 + 1013 */
	FRESH();
	big[1013] = 'x';
	big[1014] = '\0';
	assert_int_equal(l2tp_put_result(&b, 1, 0, (const char *)big), -EMSGSIZE);
	FRESH();
	assert_int_equal(l2tp_put_call_errors(&b, NULL), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_put_avp_flags(&b, 0, 7, L2TP_AVP_H, "x", 1), -EINVAL); /* no hide */
	FRESH();
	assert_int_equal(l2tp_build_hide(&b, NULL, 0, det_random, &seed), -EINVAL);
	FRESH();
	assert_int_equal(l2tp_build_hide(&b, SECRET, SECRET_LEN, NULL, NULL), -EINVAL);
	/* hidden values leave room for the length field */
	FRESH();
	assert_int_equal(l2tp_build_hide(&b, SECRET, SECRET_LEN, det_random, &seed), 0);
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_PROXY_AUTH_CHAL, big, 1016), -EMSGSIZE);
	FRESH();
	assert_int_equal(l2tp_build_hide(&b, SECRET, SECRET_LEN, det_random, &seed), 0);
	assert_int_equal(l2tp_put_bytes(&b, L2TP_AVP_PROXY_AUTH_CHAL, big, 1015), 0);
	assert_int_equal(get16(buf + 20 + 22) & 0x3ff, 1023); /* no room left for padding */
#undef FRESH
}

/* Every capacity from nothing to the full size: -ENOSPC and no write past cap (the buffer is
 * allocated at exactly cap, so ASan sees any stray write). */
static void test_builder_capacity(void **state)
{
	uint8_t ref[2048];
	int full_clear, full_hidden;
	uint32_t seed;
	size_t cap;

	(void)state;
	full_clear = build_all(ref, sizeof(ref), L2TP_MSG_ICCN, false, NULL);
	seed = 99;
	full_hidden = build_all(ref, sizeof(ref), L2TP_MSG_ICCN, true, &seed);
	assert_true(full_clear > 0 && full_hidden > full_clear);
	for (cap = 0; cap <= (size_t)full_hidden; cap++) {
		uint8_t *buf = malloc(cap > 0 ? cap : 1);
		struct l2tp_builder b;
		int hide;

		for (hide = 0; hide < 2; hide++) {
			int want = hide ? full_hidden : full_clear, n;

			seed = 99;
			l2tp_build_begin(&b, buf, cap, 0x1234, 0x5678, L2TP_MSG_ICCN);
			if (hide)
				l2tp_build_hide(&b, SECRET, SECRET_LEN, det_random, &seed);
			/* the puts fail quietly once full; their return is in b.err */
			{
				const struct l2tp_msg_info *mi = l2tp_msg_lookup(L2TP_MSG_ICCN);
				uint64_t set = mi->required | mi->optional;
				uint8_t bytes[64];
				unsigned int t;

				for (t = 1; t < L2TP_AVP_TABLE_SIZE; t++) {
					const struct l2tp_avp_info *a = &l2tp_avp_table[t];

					if (!(set & L2TP_BIT(t)))
						continue;
					if (a->kind == L2TP_KIND_U16)
						l2tp_put_u16(&b, (uint16_t)t, v16(t));
					else if (a->kind == L2TP_KIND_U32)
						l2tp_put_u32(&b, (uint16_t)t, v32(t));
					else if (a->kind == L2TP_KIND_STR)
						l2tp_put_str(&b, (uint16_t)t, vstr(t));
					else if (a->kind == L2TP_KIND_BYTES)
						l2tp_put_bytes(&b, (uint16_t)t, bytes,
							       vbytes(t, bytes));
					else if (a->kind == L2TP_KIND_EMPTY)
						l2tp_put_empty(&b, (uint16_t)t);
				}
			}
			n = l2tp_build_end(&b);
			if (cap >= (size_t)want)
				assert_int_equal(n, want);
			else
				assert_int_equal(n, -ENOSPC);
		}
		free(buf);
	}
}

/* The 16-bit Length field bounds a message even when the buffer is larger. */
static void test_builder_length_limit(void **state)
{
	size_t cap = 70000, i;
	uint8_t *buf = malloc(cap), v[1017];
	struct l2tp_builder b;

	(void)state;
	assert_non_null(buf);
	memset(v, 1, sizeof(v));
	assert_int_equal(l2tp_build_begin(&b, buf, cap, 1, 2, L2TP_MSG_HELLO), 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(l2tp_put_avp_flags(&b, 9, 1, 0, v, sizeof(v)), 0);
	assert_int_equal(b.len, 20 + 64 * 1023); /* 65492 */
	assert_int_equal(l2tp_put_avp_flags(&b, 9, 1, 0, v, sizeof(v)), -ENOSPC);
	assert_int_equal(l2tp_build_end(&b), -ENOSPC);
	assert_int_equal(l2tp_build_begin(&b, buf, cap, 1, 2, L2TP_MSG_HELLO), 0);
	for (i = 0; i < 64; i++)
		l2tp_put_avp_flags(&b, 9, 1, 0, v, sizeof(v));
	assert_int_equal(l2tp_put_avp_flags(&b, 9, 1, 0, v, 65535 - 65492 - 6), 0);
	assert_int_equal(l2tp_put_avp_flags(&b, 9, 1, 0, NULL, 0), -ENOSPC);
	b.err = 0; /* (peeking: the failed put left the message as it was) */
	assert_int_equal(l2tp_build_end(&b), 65535);
	{
		struct l2tp_msg *m = new_msg();

		parse_ok(buf, 65535, NULL, 0, m);
		assert_int_equal(m->n_unknown, 65);
		free(m);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_roundtrip_clear),
		cmocka_unit_test(test_roundtrip_hidden),
		cmocka_unit_test(test_builder_hides_per_rfc),
		cmocka_unit_test(test_hidden_reference_vector),
		cmocka_unit_test(test_hidden_errors),
		cmocka_unit_test(test_capture_xl2tpd_l2tpns),
		cmocka_unit_test(test_capture_tunnel_auth),
		cmocka_unit_test(test_capture_all_files_parse),
		cmocka_unit_test(test_capture_bngblaster),
		cmocka_unit_test(test_capture_tcpdump_overflow),
		cmocka_unit_test(test_header_boundaries),
		cmocka_unit_test(test_avp_boundaries),
		cmocka_unit_test(test_avp_values),
		cmocka_unit_test(test_message_rules),
		cmocka_unit_test(test_builder_flags_and_header),
		cmocka_unit_test(test_builder_misuse),
		cmocka_unit_test(test_builder_capacity),
		cmocka_unit_test(test_builder_length_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
