/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv6 message parsing and building (see cp/dhcp6_msg.h). Pure functions,
 * any thread. Every length comes from the wire: each option is checked to
 * lie inside its container before any octet of it is read.
 *
 *  IA_NA (section 21.4) and IA_PD (21.21)      IA Prefix (21.22)
 *  +-------------------------------+           +-------------------------------+
 *  | IAID (4)                      |           | preferred-lifetime (4)        |
 *  | T1 (4)                        |           | valid-lifetime (4)            |
 *  | T2 (4)                        |           | prefix-length (1)             |
 *  | IA_NA-/IA_PD-options ...      |           | IPv6-prefix (16)              |
 *  +-------------------------------+           | IAprefix-options ...          |
 *  IA_TA (21.5): IAID, then options            +-------------------------------+
 */
#include <errno.h>
#include <string.h>

#include "cp/dhcp6_msg.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Walk the options in b[0..len): each one whole inside, else -EBADMSG. Calls
 * fn(arg, code, data, dlen) for each; a negative return stops the walk.
 */
typedef int (*opt_fn)(void *arg, uint16_t code, const uint8_t *v, size_t len);

static int walk(const uint8_t *b, size_t len, opt_fn fn, void *arg)
{
	while (len > 0) {
		size_t olen;
		int rc;

		if (len < 4)
			return -EBADMSG;
		olen = get16(b + 2);
		if (olen > len - 4)
			return -EBADMSG;
		rc = fn(arg, get16(b), b + 4, olen);
		if (rc < 0)
			return rc;
		b += 4 + olen;
		len -= 4 + olen;
	}
	return 0;
}

/* Options inside an address or a prefix: only a Status Code is known, checked for form. */
static int leaf_sub(void *arg, uint16_t code, const uint8_t *v, size_t len)
{
	(void)arg;
	(void)v;
	return code == DHCP6_OPT_STATUS_CODE && len < 2 ? -EBADMSG : 0;
}

/*
 * Options inside an IA: addresses (IA_NA, IA_TA) and prefixes (IA_PD), each of
 * at least its fixed length. One of the other kind is out of place: ignored,
 * as an unknown option is.
 */
static int ia_sub(void *arg, uint16_t code, const uint8_t *v, size_t len)
{
	struct dhcp6_ia *ia = arg;
	bool pd = ia->code == DHCP6_OPT_IA_PD;

	switch (code) {
	case DHCP6_OPT_IAADDR:
		if (pd)
			return 0;
		if (len < DHCP6_IAADDR_LEN)
			return -EBADMSG;
		ia->n_addrs++;
		return walk(v + DHCP6_IAADDR_LEN, len - DHCP6_IAADDR_LEN, leaf_sub, NULL);
	case DHCP6_OPT_IAPREFIX:
		if (!pd)
			return 0;
		if (len < DHCP6_IAPREFIX_LEN || v[8] > 128)
			return -EBADMSG;
		if (ia->n_prefixes < DHCP6_MAX_IAPREFIX) {
			struct dhcp6_iaprefix *x = &ia->prefixes[ia->n_prefixes];

			x->preferred = get32(v);
			x->valid = get32(v + 4);
			x->plen = v[8];
			memcpy(x->prefix, v + 9, 16);
		}
		ia->n_prefixes++;
		return walk(v + DHCP6_IAPREFIX_LEN, len - DHCP6_IAPREFIX_LEN, leaf_sub, NULL);
	default:
		return leaf_sub(NULL, code, v, len);
	}
}

static int ia_opt(struct dhcp6_msg *m, uint16_t code, const uint8_t *v, size_t len)
{
	size_t fixed = code == DHCP6_OPT_IA_TA ? DHCP6_IA_TA_LEN : DHCP6_IA_NA_LEN;
	struct dhcp6_ia scratch, *ia = m->n_ia < DHCP6_MAX_IA ? &m->ia[m->n_ia] : &scratch;
	int rc;

	if (len < fixed)
		return -EBADMSG;
	memset(ia, 0, sizeof(*ia));
	ia->code = code;
	ia->iaid = get32(v);
	if (code != DHCP6_OPT_IA_TA) {
		ia->t1 = get32(v + 4);
		ia->t2 = get32(v + 8);
	}
	rc = walk(v + fixed, len - fixed, ia_sub, ia);
	if (rc < 0)
		return rc;
	if (ia != &scratch)
		m->n_ia++;
	m->n_ia_all++;
	return 0;
}

/* A DUID option: once only, 3..130 octets (a 2-octet type and something). */
static int duid_opt(const uint8_t **where, uint16_t *wlen, const uint8_t *v, size_t len)
{
	if (*where != NULL || len < 3 || len > DHCP6_DUID_MAX)
		return -EBADMSG;
	*where = v;
	*wlen = (uint16_t)len;
	return 0;
}

struct top {
	struct dhcp6_msg *m;
	bool oro, elapsed;
};

static int top_opt(void *arg, uint16_t code, const uint8_t *v, size_t len)
{
	struct top *t = arg;
	struct dhcp6_msg *m = t->m;

	switch (code) {
	case DHCP6_OPT_CLIENTID:
		return duid_opt(&m->client_id, &m->client_id_len, v, len);
	case DHCP6_OPT_SERVERID:
		return duid_opt(&m->server_id, &m->server_id_len, v, len);
	case DHCP6_OPT_IA_NA:
	case DHCP6_OPT_IA_TA:
	case DHCP6_OPT_IA_PD:
		return ia_opt(m, code, v, len);
	case DHCP6_OPT_ORO:
		if (t->oro || len % 2)
			return -EBADMSG;
		t->oro = true;
		for (size_t i = 0; i < len; i += 2)
			m->oro_dns |= get16(v + i) == DHCP6_OPT_DNS_SERVERS;
		return 0;
	case DHCP6_OPT_RAPID_COMMIT:
		if (m->rapid_commit || len != 0)
			return -EBADMSG;
		m->rapid_commit = true;
		return 0;
	case DHCP6_OPT_ELAPSED_TIME:
		if (t->elapsed || len != 2)
			return -EBADMSG;
		t->elapsed = true;
		return 0;
	default:
		return 0;
	}
}

int dhcp6_parse(const uint8_t *b, size_t len, struct dhcp6_msg *m)
{
	struct top t = {.m = m};

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return -EBADMSG;
	m->type = b[0];
	m->xid = (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return walk(b + 4, len - 4, top_opt, &t);
}

/* ---- building ----------------------------------------------------------------------------- */

void dhcp6_buf_init(struct dhcp6_buf *o, uint8_t *b, size_t cap, uint8_t type, uint32_t xid)
{
	o->b = b;
	o->cap = cap;
	o->len = 0;
	o->full = cap < 4;
	if (o->full)
		return;
	b[0] = type;
	b[1] = (uint8_t)(xid >> 16);
	b[2] = (uint8_t)(xid >> 8);
	b[3] = (uint8_t)xid;
	o->len = 4;
}

void dhcp6_put_raw(struct dhcp6_buf *o, const void *v, size_t len)
{
	if (o->full || len > o->cap - o->len) {
		o->full = true;
		return;
	}
	if (len)
		memcpy(o->b + o->len, v, len);
	o->len += len;
}

void dhcp6_put_u32(struct dhcp6_buf *o, uint32_t v)
{
	const uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
			      (uint8_t)v};

	dhcp6_put_raw(o, b, 4);
}

size_t dhcp6_open(struct dhcp6_buf *o, uint16_t code)
{
	const uint8_t h[4] = {(uint8_t)(code >> 8), (uint8_t)code, 0, 0};
	size_t at = o->len;

	dhcp6_put_raw(o, h, 4);
	return at;
}

void dhcp6_close(struct dhcp6_buf *o, size_t at)
{
	size_t len;

	if (o->full)
		return;
	len = o->len - at - 4;
	if (len > 0xffff) { /* cannot be: buffers are one packet */
		o->full = true;
		return;
	}
	o->b[at + 2] = (uint8_t)(len >> 8);
	o->b[at + 3] = (uint8_t)len;
}

void dhcp6_put(struct dhcp6_buf *o, uint16_t code, const void *v, size_t len)
{
	size_t at = dhcp6_open(o, code);

	dhcp6_put_raw(o, v, len);
	dhcp6_close(o, at);
}

void dhcp6_put_status(struct dhcp6_buf *o, uint16_t status, const char *msg)
{
	const uint8_t code[2] = {(uint8_t)(status >> 8), (uint8_t)status};
	size_t at = dhcp6_open(o, DHCP6_OPT_STATUS_CODE);

	dhcp6_put_raw(o, code, 2);
	dhcp6_put_raw(o, msg, strlen(msg));
	dhcp6_close(o, at);
}
