/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2TPv2 control-message codec (RFC 2661 sections 3, 4 and 6; RFC 3145). Runs on the control
 * lcore, in the unit tests and in the fuzz target. No state of its own: it reads the const
 * tables of cp/l2tp_avp_table.c and the caller's buffers, and writes only the caller's
 * struct l2tp_msg, struct l2tp_builder and output buffer. MD5 comes from nettle.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

#include "cp/l2tp_codec.h"

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* ---- errors ---------------------------------------------------------------------------- */

#define X_ERR_DESC(e, n, s) [L2TP_E_##e] = s,
static const char *const err_desc[L2TP_E_COUNT] = {L2TP_ERRORS(X_ERR_DESC)};

/* Record an error and return the errno for it: -EPROTONOSUPPORT for a version we do not
 * speak, -EBADMSG for everything else. avp_type < 0 when no AVP is concerned. */
__attribute__((format(printf, 6, 7))) static int fail(struct l2tp_err *err, enum l2tp_err_code code,
						      int avp_type, uint16_t vendor, size_t off,
						      const char *fmt, ...)
{
	int rc = (code == L2TP_E_BAD_VERSION || code == L2TP_E_VERSION_3) ? -EPROTONOSUPPORT
									  : -EBADMSG;
	char detail[96];
	va_list ap;

	if (err == NULL)
		return rc;
	err->code = code;
	err->avp_type = avp_type;
	err->avp_vendor = vendor;
	err->offset = (uint32_t)off;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (avp_type >= 0)
		snprintf(err->msg, sizeof(err->msg), "%s: AVP %u/%d (%s) at offset %zu: %s",
			 err_desc[code], vendor, avp_type,
			 vendor == 0 ? l2tp_avp_name((uint16_t)avp_type) : "vendor", off, detail);
	else
		snprintf(err->msg, sizeof(err->msg), "%s: %s", err_desc[code], detail);
	return rc;
}

static void err_clear(struct l2tp_err *err)
{
	if (err == NULL)
		return;
	err->code = L2TP_E_OK;
	err->avp_type = -1;
	err->avp_vendor = 0;
	err->offset = 0;
	snprintf(err->msg, sizeof(err->msg), "%s", err_desc[L2TP_E_OK]);
}

/* ---- header ---------------------------------------------------------------------------- */

/*
 * RFC 2661 section 3.1. The flags fix which optional fields follow, so the header length is
 * known from the first two octets and checked against the datagram before any field is read.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Tunnel ID           |           Session ID          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Ns (opt)          |             Nr (opt)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Offset Size (opt)        |    Offset pad... (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The x bits are ignored on receipt. A control message (T=1) must have L=1, S=1, O=0.
 */
int l2tp_hdr_parse_err(const uint8_t *buf, size_t len, struct l2tp_hdr *h, struct l2tp_err *err)
{
	size_t need, off, msg_len = len;
	uint16_t flags;

	memset(h, 0, sizeof(*h));
	err_clear(err);
	if (len < 2)
		return fail(err, L2TP_E_TRUNCATED, -1, 0, 0, "%zu octets", len);
	flags = get16(buf);
	h->flags = flags;
	h->version = flags & L2TP_HDR_VER_MASK;
	h->ctrl = (flags & L2TP_HDR_T) != 0;
	h->has_len = (flags & L2TP_HDR_L) != 0;
	h->has_seq = (flags & L2TP_HDR_S) != 0;
	h->has_offset = (flags & L2TP_HDR_O) != 0;
	h->prio = (flags & L2TP_HDR_P) != 0;
	if (h->version == L2TP_VERSION_V3)
		return fail(err, L2TP_E_VERSION_3, -1, 0, 0, "version 3");
	if (h->version != L2TP_VERSION)
		return fail(err, L2TP_E_BAD_VERSION, -1, 0, 0, "version %u", h->version);
	if (h->ctrl && (!h->has_len || !h->has_seq || h->has_offset))
		return fail(err, L2TP_E_CTRL_FLAGS, -1, 0, 0, "flags 0x%04x", flags);

	need = 2 + (h->has_len ? 2 : 0) + 4 + (h->has_seq ? 4 : 0) + (h->has_offset ? 2 : 0);
	if (len < need)
		return fail(err, L2TP_E_TRUNCATED, -1, 0, 0, "%zu octets, header needs %zu", len,
			    need);
	if (len > UINT16_MAX && !h->has_len)
		msg_len = UINT16_MAX; /* no UDP payload is longer */
	off = 2;
	if (h->has_len) {
		msg_len = get16(buf + 2);
		if (msg_len > len)
			return fail(err, L2TP_E_BAD_LENGTH, -1, 0, 2,
				    "Length %zu, datagram %zu octets", msg_len, len);
		if (msg_len < need)
			return fail(err, L2TP_E_SHORT_LENGTH, -1, 0, 2,
				    "Length %zu, header needs %zu", msg_len, need);
		off = 4;
	}
	h->tunnel_id = get16(buf + off);
	h->session_id = get16(buf + off + 2);
	off += 4;
	if (h->has_seq) {
		h->ns = get16(buf + off);
		h->nr = get16(buf + off + 2);
		off += 4;
	}
	if (h->has_offset) {
		h->offset_size = get16(buf + off);
		off += 2;
		if (h->offset_size > msg_len - off)
			return fail(err, L2TP_E_OFFSET_OVERRUN, -1, 0, off - 2,
				    "Offset Size %u, %zu octets left", h->offset_size,
				    msg_len - off);
		off += h->offset_size;
	}
	h->len = (uint32_t)msg_len;
	h->hdr_len = (uint32_t)off;
	return 0;
}

int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h)
{
	return l2tp_hdr_parse_err(buf, len, h, NULL);
}

/* ---- hidden AVPs ------------------------------------------------------------------------ */

/*
 * RFC 2661 section 4.3. The hidden value is the subformat below, xored with an MD5 stream:
 * b1 = MD5(Attribute Type as 2 octets || secret || Random Vector), bi = MD5(secret || c(i-1))
 * where c(i-1) is the previous 16 octets of cipher text; ci = pi xor bi, the last block short.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Length of Original Value     |   Original Attribute Value ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  ...                            |             Padding ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * in and out may be the same buffer. decrypt says which of them holds the cipher text.
 */
static void hidden_xor(uint16_t type, const uint8_t *secret, size_t secret_len, const uint8_t *rv,
		       size_t rv_len, const uint8_t *in, uint8_t *out, size_t n, bool decrypt)
{
	uint8_t tb[2], b[MD5_DIGEST_SIZE], prev[MD5_DIGEST_SIZE];
	struct md5_ctx ctx;
	size_t i;

	put16(tb, type);
	md5_init(&ctx);
	md5_update(&ctx, sizeof(tb), tb);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, rv_len, rv);
	md5_digest(&ctx, sizeof(b), b);
	for (i = 0; i < n; i++) {
		if (i > 0 && i % MD5_DIGEST_SIZE == 0) {
			md5_init(&ctx);
			md5_update(&ctx, secret_len, secret);
			md5_update(&ctx, sizeof(prev), prev);
			md5_digest(&ctx, sizeof(b), b);
		}
		/* keep the cipher text octet before an in-place write replaces it */
		if (decrypt) {
			prev[i % MD5_DIGEST_SIZE] = in[i];
			out[i] = in[i] ^ b[i % MD5_DIGEST_SIZE];
		} else {
			out[i] = in[i] ^ b[i % MD5_DIGEST_SIZE];
			prev[i % MD5_DIGEST_SIZE] = out[i];
		}
	}
}

/* ---- AVPs -------------------------------------------------------------------------------- */

struct parse_ctx {
	const uint8_t *buf;
	const uint8_t *secret;
	size_t secret_len;
	unsigned int flags;
	const uint8_t *rv; /* the most recent Random Vector, NULL before one */
	size_t rv_len;
	struct l2tp_msg *msg;
	struct l2tp_err *err;
};

/* Copies n octets of a string value, cut to L2TP_STR_MAX; returns whether it was cut. */
static bool copy_str(struct l2tp_str *s, const uint8_t *v, size_t n)
{
	size_t k = n < L2TP_STR_MAX ? n : L2TP_STR_MAX;

	memcpy(s->s, v, k);
	s->s[k] = '\0';
	s->len = (uint16_t)k;
	return k < n;
}

static void note_unknown(struct l2tp_msg *msg, uint16_t w, uint16_t vendor, uint16_t type,
			 uint16_t alen)
{
	if (msg->n_unknown < L2TP_UNKNOWN_MAX) {
		struct l2tp_unknown_avp *u = &msg->unknown[msg->n_unknown];

		u->vendor = vendor;
		u->type = type;
		u->len = alen;
		u->flags = w & (L2TP_AVP_M | L2TP_AVP_H | L2TP_AVP_RSVD);
	}
	if (msg->n_unknown < UINT16_MAX)
		msg->n_unknown++;
	/* section 4.1: the caller tears down the session or tunnel (msg scope) */
	if ((w & L2TP_AVP_M) && !msg->unknown_mandatory) {
		msg->unknown_mandatory = true;
		msg->unknown_mandatory_vendor = vendor;
		msg->unknown_mandatory_type = type;
	}
}

/* Store a checked value (v: vlen octets, inside the message or a decrypted copy). */
static void store(struct parse_ctx *c, const struct l2tp_avp_info *a, const uint8_t *v, size_t vlen,
		  bool hidden)
{
	struct l2tp_msg *msg = c->msg;
	uint8_t *field = (uint8_t *)msg + a->off;
	uint64_t bit = L2TP_BIT(a->type);
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (a->kind) {
	case L2TP_KIND_U16:
		u16 = get16(v);
		memcpy(field, &u16, sizeof(u16));
		break;
	case L2TP_KIND_U32:
		u32 = get32(v);
		memcpy(field, &u32, sizeof(u32));
		break;
	case L2TP_KIND_U64:
		u64 = get64(v);
		memcpy(field, &u64, sizeof(u64));
		break;
	case L2TP_KIND_STR:
		if (copy_str((struct l2tp_str *)field, v, vlen))
			msg->truncated |= bit;
		break;
	case L2TP_KIND_BYTES: {
		struct l2tp_bytes *bs = (struct l2tp_bytes *)field;

		if (hidden) {
			/* bounded by L2TP_HIDDEN_BUF: one copy per hideable bytes AVP type */
			memcpy(msg->hidden_buf + msg->hidden_used, v, vlen);
			bs->p = msg->hidden_buf + msg->hidden_used;
			msg->hidden_used += (uint32_t)vlen;
		} else {
			bs->p = v;
		}
		bs->len = (uint16_t)vlen;
		break;
	}
	case L2TP_KIND_EMPTY:
		break;
	case L2TP_KIND_SPECIAL:
		switch (a->type) {
		case L2TP_AVP_RESULT_CODE: /* result [error [message]] */
			msg->result.result = get16(v);
			if (vlen >= 4) {
				msg->result.has_error = true;
				msg->result.error = get16(v + 2);
			}
			if (vlen > 4 && copy_str(&msg->result.msg, v + 4, vlen - 4))
				msg->truncated |= bit;
			break;
		case L2TP_AVP_PROTOCOL_VERSION:
			msg->proto_ver = v[0];
			msg->proto_rev = v[1];
			break;
		case L2TP_AVP_Q931_CAUSE: /* cause code (2), cause msg (1), advisory */
			msg->q931.cause = get16(v);
			msg->q931.msg = v[2];
			if (copy_str(&msg->q931.advisory, v + 3, vlen - 3))
				msg->truncated |= bit;
			break;
		case L2TP_AVP_CALL_ERRORS: /* reserved (2), six 32-bit counters */
			msg->call_errors.crc = get32(v + 2);
			msg->call_errors.framing = get32(v + 6);
			msg->call_errors.hw_overruns = get32(v + 10);
			msg->call_errors.buf_overruns = get32(v + 14);
			msg->call_errors.timeouts = get32(v + 18);
			msg->call_errors.alignment = get32(v + 22);
			break;
		case L2TP_AVP_ACCM: /* reserved (2), send ACCM (4), receive ACCM (4) */
			msg->accm_send = get32(v + 2);
			msg->accm_recv = get32(v + 6);
			break;
		case L2TP_AVP_PPP_DISCONNECT: /* code (2), protocol (2), direction (1), msg */
			msg->ppp_disc.code = get16(v);
			msg->ppp_disc.proto = get16(v + 2);
			msg->ppp_disc.direction = v[4];
			if (copy_str(&msg->ppp_disc.msg, v + 5, vlen - 5))
				msg->truncated |= bit;
			break;
		}
		break;
	}
}

/* M bit against the table rule: an error, or a note in lax mode. */
static int check_m(struct parse_ctx *c, const struct l2tp_avp_info *a, bool m, size_t off)
{
	bool bad = (a->mrule == L2TP_M_SET && !m) || (a->mrule == L2TP_M_CLEAR && m);

	if (!bad)
		return 0;
	if (c->flags & L2TP_PARSE_LAX_MBIT) {
		c->msg->m_violation |= L2TP_BIT(a->type);
		return 0;
	}
	return fail(c->err, L2TP_E_AVP_M_BIT, a->type, 0, off, "M bit %s, must be %s",
		    m ? "set" : "clear", a->mrule == L2TP_M_SET ? "set" : "clear");
}

/*
 * RFC 2661 section 4.1. alen (>= 6) has been checked against the message end by the caller.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |M|H| rsvd  |      Length       |           Vendor ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Attribute Type        |        Attribute Value...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                     [until Length is reached]...                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static int parse_avp(struct parse_ctx *c, size_t off, uint16_t alen)
{
	uint8_t plain[L2TP_AVP_MAX_VALUE]; /* un-hidden subformat */
	const uint8_t *p = c->buf + off, *v = p + L2TP_AVP_HDR_LEN;
	uint16_t w = get16(p), vendor = get16(p + 2), type = get16(p + 4);
	size_t vlen = alen - L2TP_AVP_HDR_LEN;
	bool m = (w & L2TP_AVP_M) != 0, h = (w & L2TP_AVP_H) != 0;
	struct l2tp_msg *msg = c->msg;
	const struct l2tp_avp_info *a;
	uint64_t bit;
	int rc;

	/* section 4.1: reserved bits set means "treat as unrecognized" */
	a = (w & L2TP_AVP_RSVD) ? NULL : l2tp_avp_lookup(vendor, type);
	if (a == NULL) {
		note_unknown(msg, w, vendor, type, alen);
		return 0;
	}
	if (h) {
		size_t orig;

		if (!a->hide)
			return fail(c->err, L2TP_E_HIDDEN_NOT_ALLOWED, type, vendor, off,
				    "H bit set");
		if (c->secret == NULL || c->secret_len == 0)
			return fail(c->err, L2TP_E_HIDDEN_NO_SECRET, type, vendor, off,
				    "no secret configured");
		if (c->rv == NULL)
			return fail(c->err, L2TP_E_HIDDEN_NO_RV, type, vendor, off,
				    "no Random Vector before it");
		if (vlen < L2TP_HIDDEN_LEN_LEN)
			return fail(c->err, L2TP_E_HIDDEN_BAD_LEN, type, vendor, off,
				    "hidden value of %zu octets", vlen);
		hidden_xor(type, c->secret, c->secret_len, c->rv, c->rv_len, v, plain, vlen, true);
		orig = get16(plain);
		/* the decrypted length is untrusted: bound it by what arrived */
		if (orig > vlen - L2TP_HIDDEN_LEN_LEN)
			return fail(c->err, L2TP_E_HIDDEN_BAD_LEN, type, vendor, off,
				    "original length %zu, %zu octets hidden", orig,
				    vlen - L2TP_HIDDEN_LEN_LEN);
		v = plain + L2TP_HIDDEN_LEN_LEN;
		vlen = orig;
	}
	if (vlen < a->min || vlen > a->max || (a->type == L2TP_AVP_RESULT_CODE && vlen == 3))
		return fail(c->err, L2TP_E_AVP_BAD_LEN, type, vendor, off,
			    "value length %zu, allowed %u..%u", vlen, a->min, a->max);

	bit = L2TP_BIT(a->type);
	/* cannot trigger (see L2TP_HIDDEN_BUF), but the copy must stay in bounds regardless */
	if (h && a->kind == L2TP_KIND_BYTES && !(msg->present & bit) &&
	    vlen > sizeof(msg->hidden_buf) - msg->hidden_used)
		return fail(c->err, L2TP_E_HIDDEN_BAD_LEN, type, vendor, off,
			    "no room for %zu more hidden octets", vlen);
	switch (a->type) {
	case L2TP_AVP_MESSAGE_TYPE:
		if (msg->present & bit)
			break;
		msg->msg_type = get16(v);
		msg->msg_known = l2tp_msg_lookup(msg->msg_type) != NULL;
		msg->msg_m = m;
		/* section 4.4.1: M must be set on every type the RFC defines; on an unknown
		 * type it tells the receiver whether to clear the tunnel or ignore it */
		if (msg->msg_known && (rc = check_m(c, a, m, off)) < 0)
			return rc;
		break;
	case L2TP_AVP_RANDOM_VECTOR:
		/* never hidden (table); several allowed, each applies to what follows it */
		if ((rc = check_m(c, a, m, off)) < 0)
			return rc;
		c->rv = v;
		c->rv_len = vlen;
		msg->random_vector.p = v;
		msg->random_vector.len = (uint16_t)vlen;
		break;
	default:
		if ((rc = check_m(c, a, m, off)) < 0)
			return rc;
		if (msg->present & bit)
			break;
		store(c, a, v, vlen, h);
		break;
	}
	if (msg->present & bit) {
		if (a->type != L2TP_AVP_RANDOM_VECTOR)
			msg->duplicate |= bit;
	} else {
		msg->present |= bit;
		if (h)
			msg->hidden |= bit;
	}
	return 0;
}

int l2tp_msg_parse_flags(const uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len,
			 unsigned int flags, struct l2tp_msg *msg, struct l2tp_err *err)
{
	struct parse_ctx c = {
		.buf = buf,
		.secret = secret,
		.secret_len = secret_len,
		.flags = flags,
		.msg = msg,
		.err = err,
	};
	const struct l2tp_msg_info *mi;
	size_t off, end;
	int rc;

	memset(msg, 0, offsetof(struct l2tp_msg, hidden_buf));
	rc = l2tp_hdr_parse_err(buf, len, &msg->hdr, err);
	if (rc < 0)
		return rc;
	if (!msg->hdr.ctrl)
		return fail(err, L2TP_E_NOT_CONTROL, -1, 0, 0, "flags 0x%04x", msg->hdr.flags);
	off = msg->hdr.hdr_len;
	end = msg->hdr.len;
	if (off == end) {
		msg->zlb = true;
		return 0;
	}
	while (off < end) {
		uint16_t w, alen;

		if (end - off < L2TP_AVP_HDR_LEN)
			return fail(err, L2TP_E_AVP_TRUNCATED, -1, 0, off, "%zu octets left",
				    end - off);
		w = get16(buf + off);
		alen = w & L2TP_AVP_LEN_MASK;
		if (alen < L2TP_AVP_HDR_LEN)
			return fail(err, L2TP_E_AVP_SHORT, get16(buf + off + 4),
				    get16(buf + off + 2), off, "Length %u", alen);
		if (alen > end - off)
			return fail(err, L2TP_E_AVP_OVERRUN, get16(buf + off + 4),
				    get16(buf + off + 2), off, "Length %u, %zu octets left", alen,
				    end - off);
		/* section 4.4.1: the Message Type AVP comes first */
		if (off == msg->hdr.hdr_len &&
		    (get16(buf + off + 2) != L2TP_VENDOR_IETF ||
		     get16(buf + off + 4) != L2TP_AVP_MESSAGE_TYPE || (w & L2TP_AVP_RSVD)))
			return fail(err, L2TP_E_NO_MSG_TYPE, get16(buf + off + 4),
				    get16(buf + off + 2), off, "first AVP");
		rc = parse_avp(&c, off, alen);
		if (rc < 0)
			return rc;
		off += alen;
	}

	mi = l2tp_msg_lookup(msg->msg_type);
	if (mi != NULL) {
		uint64_t missing = mi->required & ~msg->present;

		msg->unexpected = msg->present &
				  ~(mi->required | mi->optional | L2TP_BIT(L2TP_AVP_MESSAGE_TYPE) |
				    L2TP_BIT(L2TP_AVP_RANDOM_VECTOR));
		if (missing != 0) {
			int t = __builtin_ctzll(missing);

			return fail(err, L2TP_E_MISSING_AVP, t, 0, msg->hdr.hdr_len,
				    "required in %s", mi->name);
		}
	}
	return 0;
}

int l2tp_msg_parse(const uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len,
		   struct l2tp_msg *msg, struct l2tp_err *err)
{
	return l2tp_msg_parse_flags(buf, len, secret, secret_len, 0, msg, err);
}

/* ---- builder ----------------------------------------------------------------------------- */

static int b_fail(struct l2tp_builder *b, int e)
{
	if (b->err == 0)
		b->err = e;
	return b->err;
}

/* Room left, also bounded by the 16-bit Length field. */
static size_t b_room(const struct l2tp_builder *b)
{
	size_t cap = b->cap < UINT16_MAX ? b->cap : UINT16_MAX;

	return cap > b->len ? cap - b->len : 0;
}

/* Append one AVP; H in flags hides the value (section 4.3). */
static int put_raw(struct l2tp_builder *b, uint16_t vendor, uint16_t type, uint16_t flags,
		   const void *value, size_t n)
{
	size_t alen, pad = 0;
	uint8_t *p;

	if (b->err != 0)
		return b->err;
	if (n > 0 && value == NULL)
		return b_fail(b, -EINVAL);
	if (flags & L2TP_AVP_H) {
		uint8_t r;

		if (!b->hide)
			return b_fail(b, -EINVAL);
		if (n > L2TP_AVP_MAX_VALUE - L2TP_HIDDEN_LEN_LEN)
			return b_fail(b, -EMSGSIZE);
		/* section 4.3 suggests padding to mask the length: 0..15 random octets */
		b->random(b->random_arg, &r, 1);
		pad = r % 16;
		if (pad > L2TP_AVP_MAX_VALUE - L2TP_HIDDEN_LEN_LEN - n)
			pad = L2TP_AVP_MAX_VALUE - L2TP_HIDDEN_LEN_LEN - n;
		alen = L2TP_AVP_HDR_LEN + L2TP_HIDDEN_LEN_LEN + n + pad;
	} else {
		if (n > L2TP_AVP_MAX_VALUE)
			return b_fail(b, -EMSGSIZE);
		alen = L2TP_AVP_HDR_LEN + n;
	}
	if (alen > b_room(b))
		return b_fail(b, -ENOSPC);

	p = b->buf + b->len;
	put16(p, (uint16_t)((flags & ~L2TP_AVP_LEN_MASK) | alen));
	put16(p + 2, vendor);
	put16(p + 4, type);
	p += L2TP_AVP_HDR_LEN;
	if (flags & L2TP_AVP_H) {
		size_t sub = L2TP_HIDDEN_LEN_LEN + n + pad;

		put16(p, (uint16_t)n);
		if (n > 0)
			memcpy(p + L2TP_HIDDEN_LEN_LEN, value, n);
		if (pad > 0)
			b->random(b->random_arg, p + L2TP_HIDDEN_LEN_LEN + n, pad);
		hidden_xor(type, b->secret, b->secret_len, b->rv, sizeof(b->rv), p, p, sub, false);
	} else if (n > 0) {
		memcpy(p, value, n);
	}
	b->len += alen;
	return 0;
}

/* Table-driven put: kind, length, M rule and hiding from the AVP's row. */
static int put_known(struct l2tp_builder *b, uint16_t type, enum l2tp_kind kind, const void *value,
		     size_t n)
{
	const struct l2tp_avp_info *a = l2tp_avp_lookup(L2TP_VENDOR_IETF, type);
	uint16_t flags = 0;
	bool kind_ok;

	if (b->err != 0)
		return b->err;
	/* the builder writes Message Type and Random Vector itself */
	if (a == NULL || type == L2TP_AVP_MESSAGE_TYPE || type == L2TP_AVP_RANDOM_VECTOR)
		return b_fail(b, -EINVAL);
	kind_ok = a->kind == kind || ((kind == L2TP_KIND_STR || kind == L2TP_KIND_BYTES) &&
				      (a->kind == L2TP_KIND_STR || a->kind == L2TP_KIND_BYTES));
	if (!kind_ok || n < a->min || n > a->max || (type == L2TP_AVP_RESULT_CODE && n == 3))
		return b_fail(b, -EINVAL);
	if (a->mrule != L2TP_M_CLEAR)
		flags |= L2TP_AVP_M;
	if (b->hide && a->hide)
		flags |= L2TP_AVP_H;
	return put_raw(b, L2TP_VENDOR_IETF, type, flags, value, n);
}

int l2tp_build_begin(struct l2tp_builder *b, uint8_t *buf, size_t cap, uint16_t tunnel_id,
		     uint16_t session_id, uint16_t msg_type)
{
	uint8_t v[2];

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = buf != NULL ? cap : 0;
	if (buf == NULL)
		return b_fail(b, -EINVAL);
	if (cap < L2TP_CTRL_HDR_LEN)
		return b_fail(b, -ENOSPC);
	put16(buf, L2TP_CTRL_HDR_BITS);
	put16(buf + 2, 0); /* Length: l2tp_build_end() */
	put16(buf + 4, tunnel_id);
	put16(buf + 6, session_id);
	put16(buf + 8, 0); /* Ns, Nr: l2tp_hdr_set_ns_nr() */
	put16(buf + 10, 0);
	b->len = L2TP_CTRL_HDR_LEN;
	put16(v, msg_type);
	/* section 4.4.1: first AVP, M set, never hidden */
	return put_raw(b, L2TP_VENDOR_IETF, L2TP_AVP_MESSAGE_TYPE, L2TP_AVP_M, v, sizeof(v));
}

int l2tp_build_hide(struct l2tp_builder *b, const uint8_t *secret, size_t secret_len,
		    l2tp_random_fn random, void *random_arg)
{
	int rc;

	if (b->err != 0)
		return b->err;
	if (secret == NULL || secret_len == 0 || random == NULL)
		return b_fail(b, -EINVAL);
	b->secret = secret;
	b->secret_len = secret_len;
	b->random = random;
	b->random_arg = random_arg;
	random(random_arg, b->rv, sizeof(b->rv));
	/* section 4.3: the Random Vector precedes the AVPs it hides */
	rc = put_raw(b, L2TP_VENDOR_IETF, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, b->rv, sizeof(b->rv));
	if (rc == 0)
		b->hide = true;
	return rc;
}

int l2tp_build_end(struct l2tp_builder *b)
{
	if (b->err != 0)
		return b->err;
	put16(b->buf + 2, (uint16_t)b->len);
	return (int)b->len;
}

int l2tp_build_zlb(uint8_t *buf, size_t cap, uint16_t tunnel_id, uint16_t session_id)
{
	if (buf == NULL)
		return -EINVAL;
	if (cap < L2TP_CTRL_HDR_LEN)
		return -ENOSPC;
	put16(buf, L2TP_CTRL_HDR_BITS);
	put16(buf + 2, L2TP_CTRL_HDR_LEN);
	put16(buf + 4, tunnel_id);
	put16(buf + 6, session_id);
	put16(buf + 8, 0);
	put16(buf + 10, 0);
	return L2TP_CTRL_HDR_LEN;
}

void l2tp_hdr_set_ns_nr(uint8_t *buf, uint16_t ns, uint16_t nr)
{
	put16(buf + 8, ns);
	put16(buf + 10, nr);
}

int l2tp_put_u16(struct l2tp_builder *b, uint16_t type, uint16_t v)
{
	uint8_t p[2];

	put16(p, v);
	return put_known(b, type, L2TP_KIND_U16, p, sizeof(p));
}

int l2tp_put_u32(struct l2tp_builder *b, uint16_t type, uint32_t v)
{
	uint8_t p[4];

	put32(p, v);
	return put_known(b, type, L2TP_KIND_U32, p, sizeof(p));
}

int l2tp_put_u64(struct l2tp_builder *b, uint16_t type, uint64_t v)
{
	uint8_t p[8];

	put64(p, v);
	return put_known(b, type, L2TP_KIND_U64, p, sizeof(p));
}

int l2tp_put_bytes(struct l2tp_builder *b, uint16_t type, const void *p, size_t len)
{
	return put_known(b, type, L2TP_KIND_BYTES, p, len);
}

int l2tp_put_str(struct l2tp_builder *b, uint16_t type, const char *s)
{
	if (s == NULL)
		return b_fail(b, -EINVAL);
	return put_known(b, type, L2TP_KIND_STR, s, strlen(s));
}

int l2tp_put_empty(struct l2tp_builder *b, uint16_t type)
{
	return put_known(b, type, L2TP_KIND_EMPTY, NULL, 0);
}

int l2tp_put_protocol_version(struct l2tp_builder *b, uint8_t ver, uint8_t rev)
{
	uint8_t p[2] = {ver, rev};

	return put_known(b, L2TP_AVP_PROTOCOL_VERSION, L2TP_KIND_SPECIAL, p, sizeof(p));
}

/* Composite values: fixed head, then an optional text tail of tlen octets. */
static int put_special(struct l2tp_builder *b, uint16_t type, const uint8_t *head, size_t hlen,
		       const char *text, size_t tlen)
{
	uint8_t v[L2TP_AVP_MAX_VALUE];

	if (b->err != 0)
		return b->err;
	if (tlen > sizeof(v) - hlen || (tlen > 0 && text == NULL))
		return b_fail(b, -EMSGSIZE);
	memcpy(v, head, hlen);
	if (tlen > 0)
		memcpy(v + hlen, text, tlen);
	return put_known(b, type, L2TP_KIND_SPECIAL, v, hlen + tlen);
}

static int put_result_n(struct l2tp_builder *b, uint16_t result, int error, const char *msg,
			size_t msg_len)
{
	uint8_t head[4];

	put16(head, result);
	if (error < 0 && msg == NULL)
		return put_special(b, L2TP_AVP_RESULT_CODE, head, 2, NULL, 0);
	/* an Error Message needs the Error Code field in front of it */
	put16(head + 2, (uint16_t)(error < 0 ? 0 : error));
	return put_special(b, L2TP_AVP_RESULT_CODE, head, 4, msg, msg != NULL ? msg_len : 0);
}

int l2tp_put_result(struct l2tp_builder *b, uint16_t result, int error, const char *msg)
{
	if (error > UINT16_MAX)
		return b_fail(b, -EINVAL);
	return put_result_n(b, result, error, msg, msg != NULL ? strlen(msg) : 0);
}

static int put_q931_n(struct l2tp_builder *b, uint16_t cause, uint8_t msg, const char *adv,
		      size_t adv_len)
{
	uint8_t head[3];

	put16(head, cause);
	head[2] = msg;
	return put_special(b, L2TP_AVP_Q931_CAUSE, head, sizeof(head), adv, adv_len);
}

int l2tp_put_q931(struct l2tp_builder *b, uint16_t cause, uint8_t msg, const char *advisory)
{
	return put_q931_n(b, cause, msg, advisory, advisory != NULL ? strlen(advisory) : 0);
}

int l2tp_put_call_errors(struct l2tp_builder *b, const struct l2tp_call_errors *ce)
{
	uint8_t v[26] = {0};

	if (ce == NULL)
		return b_fail(b, -EINVAL);
	put32(v + 2, ce->crc);
	put32(v + 6, ce->framing);
	put32(v + 10, ce->hw_overruns);
	put32(v + 14, ce->buf_overruns);
	put32(v + 18, ce->timeouts);
	put32(v + 22, ce->alignment);
	return put_known(b, L2TP_AVP_CALL_ERRORS, L2TP_KIND_SPECIAL, v, sizeof(v));
}

int l2tp_put_accm(struct l2tp_builder *b, uint32_t send, uint32_t recv)
{
	uint8_t v[10] = {0};

	put32(v + 2, send);
	put32(v + 6, recv);
	return put_known(b, L2TP_AVP_ACCM, L2TP_KIND_SPECIAL, v, sizeof(v));
}

static int put_ppp_disc_n(struct l2tp_builder *b, uint16_t code, uint16_t proto, uint8_t dir,
			  const char *msg, size_t msg_len)
{
	uint8_t head[5];

	put16(head, code);
	put16(head + 2, proto);
	head[4] = dir;
	return put_special(b, L2TP_AVP_PPP_DISCONNECT, head, sizeof(head), msg, msg_len);
}

int l2tp_put_ppp_disconnect(struct l2tp_builder *b, uint16_t code, uint16_t proto,
			    uint8_t direction, const char *msg)
{
	return put_ppp_disc_n(b, code, proto, direction, msg, msg != NULL ? strlen(msg) : 0);
}

int l2tp_put_avp_flags(struct l2tp_builder *b, uint16_t vendor, uint16_t type, uint16_t flags,
		       const void *value, size_t len)
{
	return put_raw(b, vendor, type, flags, value, len);
}

int l2tp_put_msg_avps(struct l2tp_builder *b, const struct l2tp_msg *msg)
{
	unsigned int t;

	for (t = 1; t < L2TP_AVP_TABLE_SIZE; t++) {
		const struct l2tp_avp_info *a = &l2tp_avp_table[t];
		const uint8_t *field = (const uint8_t *)msg + a->off;
		uint16_t u16;
		uint32_t u32;
		uint64_t u64;

		if (a->name == NULL || t == L2TP_AVP_RANDOM_VECTOR || !(msg->present & L2TP_BIT(t)))
			continue;
		switch (a->kind) {
		case L2TP_KIND_U16:
			memcpy(&u16, field, sizeof(u16));
			l2tp_put_u16(b, (uint16_t)t, u16);
			break;
		case L2TP_KIND_U32:
			memcpy(&u32, field, sizeof(u32));
			l2tp_put_u32(b, (uint16_t)t, u32);
			break;
		case L2TP_KIND_U64:
			memcpy(&u64, field, sizeof(u64));
			l2tp_put_u64(b, (uint16_t)t, u64);
			break;
		case L2TP_KIND_STR: {
			const struct l2tp_str *s = (const struct l2tp_str *)field;

			l2tp_put_bytes(b, (uint16_t)t, s->s, s->len);
			break;
		}
		case L2TP_KIND_BYTES: {
			const struct l2tp_bytes *bs = (const struct l2tp_bytes *)field;

			l2tp_put_bytes(b, (uint16_t)t, bs->p, bs->len);
			break;
		}
		case L2TP_KIND_EMPTY:
			l2tp_put_empty(b, (uint16_t)t);
			break;
		case L2TP_KIND_SPECIAL:
			switch (t) {
			case L2TP_AVP_RESULT_CODE:
				put_result_n(b, msg->result.result,
					     msg->result.has_error ? msg->result.error : -1,
					     msg->result.msg.len > 0 ? msg->result.msg.s : NULL,
					     msg->result.msg.len);
				break;
			case L2TP_AVP_PROTOCOL_VERSION:
				l2tp_put_protocol_version(b, msg->proto_ver, msg->proto_rev);
				break;
			case L2TP_AVP_Q931_CAUSE:
				put_q931_n(b, msg->q931.cause, msg->q931.msg, msg->q931.advisory.s,
					   msg->q931.advisory.len);
				break;
			case L2TP_AVP_CALL_ERRORS:
				l2tp_put_call_errors(b, &msg->call_errors);
				break;
			case L2TP_AVP_ACCM:
				l2tp_put_accm(b, msg->accm_send, msg->accm_recv);
				break;
			case L2TP_AVP_PPP_DISCONNECT:
				put_ppp_disc_n(b, msg->ppp_disc.code, msg->ppp_disc.proto,
					       msg->ppp_disc.direction, msg->ppp_disc.msg.s,
					       msg->ppp_disc.msg.len);
				break;
			}
			break;
		}
	}
	return b->err;
}

/* ---- tunnel authentication --------------------------------------------------------------- */

/* RFC 2661 section 4.4.3 (Challenge Response) and 5.1.1: a CHAP-style MD5 over the message
 * type that carries the response, the shared secret and the peer's challenge. */
int l2tp_challenge_response(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
			    const uint8_t *challenge, size_t challenge_len,
			    uint8_t out[L2TP_CHAL_RESP_LEN])
{
	struct md5_ctx ctx;

	if (out == NULL || (secret == NULL && secret_len > 0) ||
	    (challenge == NULL && challenge_len > 0))
		return -EINVAL;
	md5_init(&ctx);
	md5_update(&ctx, 1, &msg_type);
	if (secret_len > 0)
		md5_update(&ctx, secret_len, secret);
	if (challenge_len > 0)
		md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, L2TP_CHAL_RESP_LEN, out);
	return 0;
}
