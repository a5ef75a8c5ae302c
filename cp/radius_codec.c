/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS packet codec (RFC 2865, 2866, 2868, 2869, 3162, 3579, 4818, 5176, 5080). Runs on the
 * control lcore, in the unit tests and in the fuzz target. No state of its own: it reads the
 * const tables of cp/radius_dict.c and the caller's buffers, and writes only the caller's
 * struct radius_pkt, struct radius_builder and output buffers. MD5 and HMAC-MD5 come from
 * nettle; authenticators are compared in constant time.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>

#include "cp/radius_codec.h"

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
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

static const uint8_t zero16[RADIUS_AUTH_LEN];

/* Codes whose Request Authenticator is a random number (RFC 2865 section 3, RFC 5997). */
static bool random_authenticator(uint8_t code)
{
	return code == RADIUS_ACCESS_REQUEST || code == RADIUS_STATUS_SERVER;
}

/* Codes whose Request Authenticator is an MD5 over the packet (RFC 2866 section 3, RFC 5176
 * section 2.3). */
static bool hashed_request(uint8_t code)
{
	return code == RADIUS_ACCOUNTING_REQUEST || code == RADIUS_DISCONNECT_REQUEST ||
	       code == RADIUS_COA_REQUEST;
}

static bool is_response(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_ACCEPT:
	case RADIUS_ACCESS_REJECT:
	case RADIUS_ACCESS_CHALLENGE:
	case RADIUS_ACCOUNTING_RESPONSE:
	case RADIUS_DISCONNECT_ACK:
	case RADIUS_DISCONNECT_NAK:
	case RADIUS_COA_ACK:
	case RADIUS_COA_NAK:
		return true;
	}
	return false;
}

/* ---- digests ------------------------------------------------------------------------------ */

/*
 * MD5(Code+Identifier+Length + auth + Attributes + Secret) over pkt[0..len): the Response
 * Authenticator (RFC 2865 section 3, auth = the Request Authenticator) and the Request
 * Authenticator of Accounting, CoA and Disconnect requests (auth = 16 zero octets).
 */
static void packet_md5(uint8_t out[16], const uint8_t *pkt, size_t len, const uint8_t *auth,
		       const uint8_t *secret, size_t slen)
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, 4, pkt);
	md5_update(&c, RADIUS_AUTH_LEN, auth);
	md5_update(&c, len - RADIUS_HDR_LEN, pkt + RADIUS_HDR_LEN);
	md5_update(&c, slen, secret);
	md5_digest(&c, MD5_DIGEST_SIZE, out);
}

/*
 * RFC 3579 section 3.2: HMAC-MD5 keyed with the secret over the packet pkt[0..len) with `auth`
 * in the Authenticator field and the Message-Authenticator value (16 octets at ma_off) zeroed.
 */
static void packet_hmac(uint8_t out[16], const uint8_t *pkt, size_t len, const uint8_t *auth,
			size_t ma_off, const uint8_t *secret, size_t slen)
{
	struct hmac_md5_ctx c;

	hmac_md5_set_key(&c, slen, secret);
	hmac_md5_update(&c, 4, pkt);
	hmac_md5_update(&c, RADIUS_AUTH_LEN, auth);
	hmac_md5_update(&c, ma_off - RADIUS_HDR_LEN, pkt + RADIUS_HDR_LEN);
	hmac_md5_update(&c, RADIUS_AUTH_LEN, zero16);
	hmac_md5_update(&c, len - ma_off - RADIUS_AUTH_LEN, pkt + ma_off + RADIUS_AUTH_LEN);
	hmac_md5_digest(&c, MD5_DIGEST_SIZE, out);
}

/* MD5(secret + a[0..alen) + b[0..blen)): the key stream of the hiding schemes. */
static void secret_md5(uint8_t out[16], const uint8_t *secret, size_t slen, const uint8_t *a,
		       size_t alen, const uint8_t *b, size_t blen)
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, slen, secret);
	md5_update(&c, alen, a);
	if (blen > 0)
		md5_update(&c, blen, b);
	md5_digest(&c, MD5_DIGEST_SIZE, out);
}

/* ---- parser ------------------------------------------------------------------------------- */

/*
 * RFC 2865 section 3: packet
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |                         Authenticator                         |
 * |                           (16 octets)                         |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Attributes ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-
 *
 * Length: 20..4096, covers the whole packet; octets of the datagram beyond it are padding and
 * are ignored; a datagram shorter than Length is discarded.
 *
 * RFC 2865 section 5: attribute (Length covers Type, Length and Value: 2..255)
 *
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |  Value ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 2865 section 5.26: Vendor-Specific value, sub-attributes in the recommended layout
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type=26   |  Length       |            Vendor-Id
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *      Vendor-Id (cont)           | Vendor type   | Vendor length |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Attribute-Specific...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The Vendor-Id's high octet is 0 (SMI Network Management Private Enterprise Code); vendor
 * length covers its own type and length octets; several sub-attributes may share one VSA
 * (RFC 2548 section 2).
 */

/* Whether a value of `len` octets fits its table row (lengths, then the kind's own form). */
static bool value_ok(const struct radius_attr_info *ai, const uint8_t *v, size_t len)
{
	if (len < ai->min || len > ai->max)
		return false;
	if (ai->mult != 0 && len % ai->mult != 0)
		return false;
	if (ai->kind == RADIUS_KIND_IPV6PREFIX) {
		/* RFC 3162 section 2.3: Reserved, Prefix-Length (<= 128), then the prefix octets
		 * that carry its significant bits (RFC 8044 section 3.10 allows dropping the
		 * rest) */
		if (v[1] > 128 || (size_t)(v[1] + 7) / 8 > len - 2)
			return false;
	}
	/* RFC 2868 section 3: the tag octet of an integer or of Tunnel-Password is always there
	 * and is 0x00..0x1f; a string's first octet above 0x1f is string, not tag. */
	if (ai->tagged && ai->kind != RADIUS_KIND_STRING && v[0] > RADIUS_TAG_MAX)
		return false;
	return true;
}

static int add_entry(struct radius_pkt *p, uint8_t type, const uint8_t *v, size_t len,
		     uint32_t vendor, uint8_t vtype)
{
	const struct radius_attr_info *ai;
	struct radius_attr *a;

	if (p->n >= RADIUS_MAX_ATTRS)
		return -EBADMSG;
	a = &p->a[p->n++];
	a->type = type;
	a->len = (uint8_t)len;
	a->v = v;
	a->vendor = vendor;
	a->vtype = vtype;
	ai = vendor != 0 ? radius_attr_lookup(vendor, vtype) : radius_attr_lookup(0, type);
	a->bad = ai != NULL && !value_ok(ai, v, len);
	p->n_bad += a->bad;
	return 0;
}

/* Whether a Vendor-Specific value follows the section 5.26 layout exactly. */
static bool vsa_layout_ok(const uint8_t *v, size_t len)
{
	size_t off;

	if (len < RADIUS_VSA_HDR_LEN || v[0] != 0 || get32(v) == 0)
		return false;
	for (off = 4; off < len; off += v[off + 1])
		if (len - off < 2 || v[off + 1] < 2 || v[off + 1] > len - off)
			return false;
	return true;
}

int radius_parse(const uint8_t *buf, size_t len, struct radius_pkt *p)
{
	size_t plen, off, alen, sub;
	const uint8_t *v;
	uint8_t type;
	int rc;

	p->code = p->id = 0;
	p->len = 0;
	p->authenticator = NULL;
	p->n = p->n_bad = 0;
	p->msg_auth = -1;
	if (buf == NULL || len < RADIUS_HDR_LEN)
		return -EBADMSG;
	plen = get16(buf + 2);
	if (plen < RADIUS_MIN_LEN || plen > RADIUS_MAX_LEN || plen > len)
		return -EBADMSG;
	p->code = buf[0];
	p->id = buf[1];
	p->len = (uint16_t)plen;
	p->authenticator = buf + 4;

	for (off = RADIUS_HDR_LEN; off < plen; off += alen) {
		rc = -EBADMSG;
		if (plen - off < RADIUS_ATTR_HDR_LEN)
			goto err;
		type = buf[off];
		alen = buf[off + 1];
		if (alen < RADIUS_ATTR_HDR_LEN || alen > plen - off)
			goto err;
		v = buf + off + RADIUS_ATTR_HDR_LEN;
		if (type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
			/* RFC 3579 section 3.2: 16 octets; more than one is ambiguous */
			if (alen - RADIUS_ATTR_HDR_LEN != RADIUS_AUTH_LEN || p->msg_auth >= 0)
				goto err;
			p->msg_auth = (int)p->n;
		}
		if (type == RADIUS_ATTR_VENDOR_SPECIFIC &&
		    vsa_layout_ok(v, alen - RADIUS_ATTR_HDR_LEN)) {
			uint32_t vendor = get32(v);

			for (sub = 4; sub < alen - RADIUS_ATTR_HDR_LEN; sub += v[sub + 1]) {
				rc = add_entry(p, type, v + sub + 2, v[sub + 1] - 2u, vendor,
					       v[sub]);
				if (rc < 0)
					goto err;
			}
			continue;
		}
		rc = add_entry(p, type, v, alen - RADIUS_ATTR_HDR_LEN, 0, 0);
		if (rc < 0)
			goto err;
	}
	return 0;
err:
	p->n = p->n_bad = 0;
	p->msg_auth = -1;
	return rc;
}

const struct radius_attr *radius_find(const struct radius_pkt *p, uint8_t type)
{
	unsigned i;

	for (i = 0; i < p->n; i++)
		if (p->a[i].vendor == 0 && p->a[i].type == type)
			return &p->a[i];
	return NULL;
}

const struct radius_attr *radius_find_next(const struct radius_pkt *p,
					   const struct radius_attr *prev)
{
	unsigned i;

	if (prev < p->a || prev >= p->a + p->n)
		return NULL;
	for (i = (unsigned)(prev - p->a) + 1; i < p->n; i++)
		if (p->a[i].vendor == prev->vendor && p->a[i].type == prev->type &&
		    p->a[i].vtype == prev->vtype)
			return &p->a[i];
	return NULL;
}

const struct radius_attr *radius_find_vsa(const struct radius_pkt *p, uint32_t vendor,
					  uint8_t vtype)
{
	unsigned i;

	if (vendor == 0)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (p->a[i].vendor == vendor && p->a[i].vtype == vtype)
			return &p->a[i];
	return NULL;
}

int radius_get_u32(const struct radius_attr *a, uint32_t *v)
{
	if (a == NULL || a->len != 4)
		return -EINVAL;
	*v = get32(a->v);
	return 0;
}

int radius_get_addr(const struct radius_attr *a, struct in_addr *ip)
{
	if (a == NULL || a->len != 4)
		return -EINVAL;
	memcpy(&ip->s_addr, a->v, 4); /* both in network order */
	return 0;
}

int radius_get_addr6(const struct radius_attr *a, struct in6_addr *ip)
{
	if (a == NULL || a->len != 16)
		return -EINVAL;
	memcpy(ip->s6_addr, a->v, 16);
	return 0;
}

/*
 * RFC 3162 section 2.3 (and RFC 4818 section 3): ipv6prefix value
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |  Reserved     | Prefix-Length |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                 Prefix (0..16 octets)
 */
int radius_get_ipv6_prefix(const struct radius_attr *a, struct in6_addr *prefix, uint8_t *plen)
{
	unsigned bits, n;

	if (a == NULL || a->len < 2 || a->len > 18)
		return -EINVAL;
	bits = a->v[1];
	n = (bits + 7) / 8;
	if (bits > 128 || n > a->len - 2u)
		return -EINVAL;
	memset(prefix->s6_addr, 0, 16);
	memcpy(prefix->s6_addr, a->v + 2, n);
	if (bits % 8 != 0)
		prefix->s6_addr[n - 1] &= (uint8_t)(0xff << (8 - bits % 8));
	*plen = (uint8_t)bits;
	return 0;
}

int radius_get_str(const struct radius_attr *a, char *s, size_t n)
{
	if (a == NULL || s == NULL)
		return -EINVAL;
	if (memchr(a->v, '\0', a->len) != NULL)
		return -EINVAL;
	if ((size_t)a->len + 1 > n)
		return -ENOSPC;
	memcpy(s, a->v, a->len);
	s[a->len] = '\0';
	return 0;
}

/*
 * RFC 2868 section 3.1: tagged integer (Tunnel-Type, Tunnel-Medium-Type, Tunnel-Preference)
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Type     |    Length     |     Tag       |     Value
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    Value (cont)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
int radius_get_tagged_u32(const struct radius_attr *a, uint8_t *tag, uint32_t *v)
{
	if (a == NULL || a->len != 4 || a->v[0] > RADIUS_TAG_MAX)
		return -EINVAL;
	*tag = a->v[0];
	*v = get32(a->v) & 0xffffff;
	return 0;
}

uint8_t radius_get_tag(const struct radius_attr *a, size_t *off)
{
	const struct radius_attr_info *ai;

	if (off != NULL)
		*off = 0;
	if (a == NULL || a->vendor != 0 || a->len == 0)
		return 0;
	ai = radius_attr_lookup(0, a->type);
	if (ai == NULL || !ai->tagged || a->v[0] > RADIUS_TAG_MAX)
		return 0;
	if (off != NULL && ai->kind != RADIUS_KIND_INTEGER)
		*off = 1;
	return a->v[0];
}

/* ---- builder ------------------------------------------------------------------------------ */

static int fail(struct radius_builder *b, int err)
{
	if (b->err == 0)
		b->err = err;
	return b->err;
}

int radius_build_begin(struct radius_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
		       const uint8_t authenticator[16])
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap > RADIUS_MAX_LEN ? RADIUS_MAX_LEN : cap;
	b->code = code;
	b->msg_auth_off = -1;
	if (buf == NULL)
		return fail(b, -EINVAL);
	if (b->cap < RADIUS_HDR_LEN)
		return fail(b, -ENOSPC);
	if (random_authenticator(code) && authenticator == NULL)
		return fail(b, -EINVAL);
	buf[0] = code;
	buf[1] = id;
	put16(buf + 2, RADIUS_HDR_LEN);
	if (random_authenticator(code))
		memcpy(buf + 4, authenticator, RADIUS_AUTH_LEN);
	else
		memset(buf + 4, 0, RADIUS_AUTH_LEN);
	b->len = RADIUS_HDR_LEN;
	return 0;
}

/* Appends an attribute header for a value of vlen octets; returns where the value goes, or
 * NULL with the error recorded. */
static uint8_t *reserve(struct radius_builder *b, uint8_t type, size_t vlen)
{
	uint8_t *p;

	if (b->err != 0)
		return NULL;
	if (vlen > RADIUS_ATTR_MAX_VAL) {
		fail(b, -EINVAL);
		return NULL;
	}
	if (b->cap - b->len < RADIUS_ATTR_HDR_LEN + vlen) {
		fail(b, -ENOSPC);
		return NULL;
	}
	p = b->buf + b->len;
	p[0] = type;
	p[1] = (uint8_t)(RADIUS_ATTR_HDR_LEN + vlen);
	b->len += RADIUS_ATTR_HDR_LEN + vlen;
	return p + RADIUS_ATTR_HDR_LEN;
}

static int put_raw(struct radius_builder *b, uint8_t type, const void *v, size_t len)
{
	uint8_t *d;

	if (b->err == 0 && len > 0 && v == NULL)
		return fail(b, -EINVAL);
	d = reserve(b, type, len);
	if (d == NULL)
		return b->err;
	if (len > 0)
		memcpy(d, v, len);
	return 0;
}

int radius_put(struct radius_builder *b, uint8_t type, const void *v, size_t len)
{
	if (b->err == 0 && len == 0)
		return fail(b, -EINVAL); /* RFC 2865 section 5: omit the attribute instead */
	return put_raw(b, type, v, len);
}

int radius_put_u32(struct radius_builder *b, uint8_t type, uint32_t v)
{
	uint8_t d[4];

	put32(d, v);
	return put_raw(b, type, d, sizeof(d));
}

int radius_put_str(struct radius_builder *b, uint8_t type, const char *s)
{
	if (b->err == 0 && s == NULL)
		return fail(b, -EINVAL);
	return radius_put(b, type, s, s != NULL ? strlen(s) : 0);
}

int radius_put_addr(struct radius_builder *b, uint8_t type, struct in_addr a)
{
	return put_raw(b, type, &a.s_addr, 4);
}

int radius_put_addr6(struct radius_builder *b, uint8_t type, const struct in6_addr *a)
{
	if (b->err == 0 && a == NULL)
		return fail(b, -EINVAL);
	return put_raw(b, type, a != NULL ? a->s6_addr : NULL, 16);
}

int radius_put_ipv6_prefix(struct radius_builder *b, uint8_t type, const struct in6_addr *prefix,
			   uint8_t plen)
{
	uint8_t d[18];
	unsigned i;

	if (b->err == 0 && (prefix == NULL || plen > 128))
		return fail(b, -EINVAL);
	if (b->err != 0)
		return b->err;
	d[0] = 0;
	d[1] = plen;
	for (i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		d[2 + i] = bits >= 8 ? prefix->s6_addr[i]
				     : (uint8_t)(prefix->s6_addr[i] & (0xff00 >> bits));
	}
	return put_raw(b, type, d, sizeof(d));
}

static int put_vsa_raw(struct radius_builder *b, uint32_t vendor, uint8_t vtype, const void *v,
		       size_t len)
{
	uint8_t *d;

	if (b->err == 0 && (vendor == 0 || vendor > 0xffffff || len > RADIUS_VSA_MAX_VAL ||
			    (len > 0 && v == NULL)))
		return fail(b, -EINVAL);
	d = reserve(b, RADIUS_ATTR_VENDOR_SPECIFIC, RADIUS_VSA_HDR_LEN + len);
	if (d == NULL)
		return b->err;
	put32(d, vendor);
	d[4] = vtype;
	d[5] = (uint8_t)(2 + len);
	if (len > 0)
		memcpy(d + RADIUS_VSA_HDR_LEN, v, len);
	return 0;
}

int radius_put_vsa(struct radius_builder *b, uint32_t vendor, uint8_t vtype, const void *v,
		   size_t len)
{
	if (b->err == 0 && len == 0)
		return fail(b, -EINVAL);
	return put_vsa_raw(b, vendor, vtype, v, len);
}

int radius_put_vsa_u32(struct radius_builder *b, uint32_t vendor, uint8_t vtype, uint32_t v)
{
	uint8_t d[4];

	put32(d, v);
	return put_vsa_raw(b, vendor, vtype, d, sizeof(d));
}

int radius_put_tagged(struct radius_builder *b, uint8_t type, uint8_t tag, const void *v,
		      size_t len)
{
	uint8_t *d;

	if (b->err == 0 &&
	    (tag > RADIUS_TAG_MAX || len == 0 || len > RADIUS_ATTR_MAX_VAL - 1 || v == NULL))
		return fail(b, -EINVAL);
	d = reserve(b, type, 1 + len);
	if (d == NULL)
		return b->err;
	d[0] = tag;
	memcpy(d + 1, v, len);
	return 0;
}

int radius_put_tagged_u32(struct radius_builder *b, uint8_t type, uint8_t tag, uint32_t v)
{
	if (b->err == 0 && (tag > RADIUS_TAG_MAX || v > 0xffffff))
		return fail(b, -EINVAL);
	return radius_put_u32(b, type, (uint32_t)tag << 24 | v);
}

int radius_put_message_authenticator(struct radius_builder *b)
{
	uint8_t *d;

	if (b->err == 0 && b->msg_auth_off >= 0)
		return fail(b, -EINVAL);
	d = reserve(b, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, RADIUS_AUTH_LEN);
	if (d == NULL)
		return b->err;
	memset(d, 0, RADIUS_AUTH_LEN);
	b->msg_auth_off = (int)(d - b->buf);
	return 0;
}

int radius_put_attr(struct radius_builder *b, const struct radius_attr *a)
{
	if (b->err == 0 && a == NULL)
		return fail(b, -EINVAL);
	if (b->err != 0)
		return b->err;
	if (a->vendor != 0)
		return put_vsa_raw(b, a->vendor, a->vtype, a->v, a->len);
	if (a->type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR)
		return radius_put_message_authenticator(b); /* recomputed by the end functions */
	return put_raw(b, a->type, a->v, a->len);
}

/*
 * RFC 2865 section 5.2: the password, padded with NULs to a multiple of 16 octets, is hidden
 * 16 octets at a time: c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)).
 */
static void pw_hide(uint8_t *v, size_t n, const uint8_t ra[16], const uint8_t *secret, size_t slen)
{
	const uint8_t *prev = ra;
	uint8_t k[16];
	size_t i, j;

	for (i = 0; i < n; i += 16) {
		secret_md5(k, secret, slen, prev, 16, NULL, 0);
		for (j = 0; j < 16; j++)
			v[i + j] ^= k[j];
		prev = v + i;
	}
}

/* The inverse: c and out must not overlap. */
static void pw_unhide(const uint8_t *c, size_t n, uint8_t *out, const uint8_t *ra, size_t ralen,
		      const uint8_t *secret, size_t slen, const uint8_t *salt, size_t saltlen)
{
	uint8_t k[16];
	size_t i, j;

	for (i = 0; i < n; i += 16) {
		if (i == 0)
			secret_md5(k, secret, slen, ra, ralen, salt, saltlen);
		else
			secret_md5(k, secret, slen, c + i - 16, 16, NULL, 0);
		for (j = 0; j < 16; j++)
			out[i + j] = c[i + j] ^ k[j];
	}
}

int radius_put_user_password(struct radius_builder *b, const void *pw, size_t len,
			     const uint8_t *secret, size_t slen)
{
	size_t n = len == 0 ? 16 : (len + 15) & ~(size_t)15;
	uint8_t *d;

	if (b->err == 0 && (b->code != RADIUS_ACCESS_REQUEST || len > RADIUS_PASSWORD_MAX ||
			    (len > 0 && pw == NULL) || secret == NULL || slen == 0))
		return fail(b, -EINVAL);
	d = reserve(b, RADIUS_ATTR_USER_PASSWORD, n);
	if (d == NULL)
		return b->err;
	memset(d, 0, n);
	if (len > 0)
		memcpy(d, pw, len);
	pw_hide(d, n, b->buf + 4, secret, slen);
	return 0;
}

int radius_build_end_request(struct radius_builder *b, const uint8_t *secret, size_t slen)
{
	uint8_t *pkt = b->buf;

	if (b->err != 0)
		return b->err;
	if (secret == NULL || slen == 0)
		return fail(b, -EINVAL);
	put16(pkt + 2, (uint16_t)b->len);
	if (random_authenticator(b->code)) {
		/* RFC 3579 section 3.2: over the packet with its Request Authenticator */
		if (b->msg_auth_off >= 0)
			packet_hmac(pkt + b->msg_auth_off, pkt, b->len, pkt + 4,
				    (size_t)b->msg_auth_off, secret, slen);
	} else if (hashed_request(b->code)) {
		/* RFC 5176 section 3.4 / RFC 2866 section 3: zero Authenticator field first */
		memset(pkt + 4, 0, RADIUS_AUTH_LEN);
		if (b->msg_auth_off >= 0)
			packet_hmac(pkt + b->msg_auth_off, pkt, b->len, zero16,
				    (size_t)b->msg_auth_off, secret, slen);
		packet_md5(pkt + 4, pkt, b->len, zero16, secret, slen);
	} else {
		return fail(b, -EINVAL);
	}
	return (int)b->len;
}

int radius_build_end_response(struct radius_builder *b, const uint8_t req_auth[16],
			      const uint8_t *secret, size_t slen)
{
	uint8_t *pkt = b->buf;

	if (b->err != 0)
		return b->err;
	if (!is_response(b->code) || req_auth == NULL || secret == NULL || slen == 0)
		return fail(b, -EINVAL);
	put16(pkt + 2, (uint16_t)b->len);
	memcpy(pkt + 4, req_auth, RADIUS_AUTH_LEN);
	if (b->msg_auth_off >= 0)
		packet_hmac(pkt + b->msg_auth_off, pkt, b->len, req_auth, (size_t)b->msg_auth_off,
			    secret, slen);
	packet_md5(pkt + 4, pkt, b->len, req_auth, secret, slen);
	return (int)b->len;
}

/* ---- verifiers ---------------------------------------------------------------------------- */

/* Offset of the Message-Authenticator value in buf: -1 none, -2 p does not describe buf. */
static long msg_auth_offset(const uint8_t *buf, const struct radius_pkt *p)
{
	const struct radius_attr *a;
	uintptr_t off;

	if (p->msg_auth < 0)
		return -1;
	if ((unsigned)p->msg_auth >= p->n)
		return -2;
	a = &p->a[p->msg_auth];
	if (a->type != RADIUS_ATTR_MESSAGE_AUTHENTICATOR || a->vendor != 0 ||
	    a->len != RADIUS_AUTH_LEN || (uintptr_t)a->v < (uintptr_t)buf)
		return -2;
	off = (uintptr_t)a->v - (uintptr_t)buf;
	if (off < RADIUS_HDR_LEN + RADIUS_ATTR_HDR_LEN || off > (uintptr_t)p->len - RADIUS_AUTH_LEN)
		return -2;
	return (long)off;
}

static enum radius_verify check_msg_auth(const uint8_t *buf, const struct radius_pkt *p,
					 const uint8_t *auth, const uint8_t *secret, size_t slen,
					 bool require)
{
	long off = msg_auth_offset(buf, p);
	uint8_t mac[16];

	if (off == -1)
		return require ? RADIUS_NO_MSG_AUTH : RADIUS_OK;
	if (off < 0)
		return RADIUS_BAD_MSG_AUTH;
	packet_hmac(mac, buf, p->len, auth, (size_t)off, secret, slen);
	return memeql_sec(mac, buf + off, RADIUS_AUTH_LEN) ? RADIUS_OK : RADIUS_BAD_MSG_AUTH;
}

static bool pkt_matches(const uint8_t *buf, size_t len, const struct radius_pkt *p)
{
	return buf != NULL && p != NULL && p->len >= RADIUS_HDR_LEN && p->len <= len &&
	       p->len <= RADIUS_MAX_LEN && p->code == buf[0] && get16(buf + 2) == p->len;
}

enum radius_verify radius_verify_response(const uint8_t *buf, size_t len,
					  const struct radius_pkt *p, const uint8_t req_auth[16],
					  const uint8_t *secret, size_t slen, bool require_msg_auth)
{
	uint8_t md[16];

	if (!pkt_matches(buf, len, p) || req_auth == NULL || secret == NULL || slen == 0)
		return RADIUS_BAD_AUTHENTICATOR;
	if (!is_response(p->code))
		return RADIUS_BAD_CODE;
	/* RFC 2865 section 3: MD5(Code+ID+Length+RequestAuth+Attributes+Secret) */
	packet_md5(md, buf, p->len, req_auth, secret, slen);
	if (!memeql_sec(md, buf + 4, RADIUS_AUTH_LEN))
		return RADIUS_BAD_AUTHENTICATOR;
	/* RFC 3579 section 3.2, RFC 5176 section 3.4: with the Request Authenticator in place */
	return check_msg_auth(buf, p, req_auth, secret, slen, require_msg_auth);
}

enum radius_verify radius_verify_request(const uint8_t *buf, size_t len, const struct radius_pkt *p,
					 const uint8_t *secret, size_t slen, bool require_msg_auth)
{
	uint8_t md[16];

	if (!pkt_matches(buf, len, p) || secret == NULL || slen == 0)
		return RADIUS_BAD_AUTHENTICATOR;
	if (random_authenticator(p->code))
		/* RFC 5997 section 3: Status-Server MUST carry Message-Authenticator */
		return check_msg_auth(buf, p, buf + 4, secret, slen,
				      require_msg_auth || p->code == RADIUS_STATUS_SERVER);
	if (!hashed_request(p->code))
		return RADIUS_BAD_CODE;
	/* RFC 2866 section 3: MD5(Code+ID+Length+16 zero octets+Attributes+Secret) */
	packet_md5(md, buf, p->len, zero16, secret, slen);
	if (!memeql_sec(md, buf + 4, RADIUS_AUTH_LEN))
		return RADIUS_BAD_AUTHENTICATOR;
	return check_msg_auth(buf, p, zero16, secret, slen, require_msg_auth);
}

/* ---- hidden values ------------------------------------------------------------------------ */

int radius_decode_user_password(const struct radius_attr *a, const uint8_t req_auth[16],
				const uint8_t *secret, size_t slen, uint8_t *out, size_t *out_len)
{
	size_t n;

	if (a == NULL || req_auth == NULL || secret == NULL || slen == 0 || out == NULL ||
	    out_len == NULL)
		return -EINVAL;
	if (a->len < 16 || a->len > RADIUS_PASSWORD_MAX || a->len % 16 != 0)
		return -EINVAL;
	if (*out_len < a->len)
		return -ENOSPC;
	pw_unhide(a->v, a->len, out, req_auth, RADIUS_AUTH_LEN, secret, slen, NULL, 0);
	for (n = a->len; n > 0 && out[n - 1] == 0; n--)
		;
	*out_len = n;
	return 0;
}

/*
 * RFC 2868 section 3.5: Tunnel-Password value (RFC 2548 sections 2.4.2, 2.4.3: the same
 * without Tag)
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |     Tag       |   Salt
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    Salt (cont)  |   String ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * String, once revealed: Data-Length (1), Password, padding to a multiple of 16. The key stream
 * starts with MD5(Secret + Request Authenticator + Salt), then MD5(Secret + c(i-1)).
 */
int radius_decode_salted(const struct radius_attr *a, const uint8_t req_auth[16],
			 const uint8_t *secret, size_t slen, uint8_t *out, size_t *out_len)
{
	uint8_t plain[RADIUS_ATTR_MAX_VAL];
	size_t off, n;

	if (a == NULL || req_auth == NULL || secret == NULL || slen == 0 || out == NULL ||
	    out_len == NULL)
		return -EINVAL;
	if (a->vendor == 0 && a->type == RADIUS_ATTR_TUNNEL_PASSWORD)
		off = 1; /* Tag */
	else if (a->vendor == RADIUS_VENDOR_MS &&
		 (a->vtype == RADIUS_MS_MPPE_SEND_KEY || a->vtype == RADIUS_MS_MPPE_RECV_KEY))
		off = 0;
	else
		return -EINVAL;
	if (a->len < off + 2 + 16 || (a->len - off - 2) % 16 != 0)
		return -EINVAL;
	n = a->len - off - 2;
	pw_unhide(a->v + off + 2, n, plain, req_auth, RADIUS_AUTH_LEN, secret, slen, a->v + off, 2);
	if (plain[0] > n - 1)
		return -EINVAL; /* a wrong secret or request authenticator, most likely */
	if (*out_len < plain[0])
		return -ENOSPC;
	memcpy(out, plain + 1, plain[0]);
	*out_len = plain[0];
	return 0;
}
