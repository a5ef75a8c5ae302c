/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4/IPv6 addresses and prefixes: parsing, printing, containment and the
 * arithmetic the pool checks need. Pure functions; any thread may call them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

static unsigned addr_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

static const uint8_t *addr_bytes(const struct lns_addr *a)
{
	return a->family == AF_INET ? (const uint8_t *)&a->v4 : (const uint8_t *)&a->v6;
}

int lns_addr_parse(const char *s, struct lns_addr *a, bool allow_prefix)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash, *p;
	unsigned plen = 0;
	size_t len;

	memset(a, 0, sizeof(*a));
	slash = strchr(s, '/');
	len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';

	a->family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a->family, buf, a->family == AF_INET ? (void *)&a->v4 : (void *)&a->v6) != 1)
		return -EINVAL;
	a->plen = (uint8_t)addr_bits(a->family);
	if (slash == NULL)
		return 0;
	if (!allow_prefix)
		return -EINVAL;

	/* decimal, 1 to 3 digits, no leading zero */
	p = slash + 1;
	len = strlen(p);
	if (len == 0 || len > 3 || (p[0] == '0' && len > 1))
		return -EINVAL;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		plen = plen * 10 + (unsigned)(*p - '0');
	}
	if (plen > addr_bits(a->family))
		return -EINVAL;
	a->plen = (uint8_t)plen;
	return 0;
}

const char *lns_addr_str(const struct lns_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, addr_bytes(a), buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

const char *lns_prefix_str(const struct lns_addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (len == 0)
		return buf;
	snprintf(buf, len, "%s/%u", lns_addr_str(a, tmp, sizeof(tmp)), a->plen);
	return buf;
}

bool lns_addr_in_prefix(const struct lns_addr *a, const struct lns_addr *prefix)
{
	const uint8_t *x, *y;
	unsigned full, rest;

	if ((a->family != AF_INET && a->family != AF_INET6) || a->family != prefix->family ||
	    prefix->plen > addr_bits(prefix->family))
		return false;
	x = addr_bytes(a);
	y = addr_bytes(prefix);
	full = prefix->plen / 8;
	rest = prefix->plen % 8;
	if (memcmp(x, y, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((x[full] ^ y[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int cfg_addr_cmp(const struct lns_addr *a, const struct lns_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(addr_bytes(a), addr_bytes(b), addr_bits(a->family) / 8);
}

/* Copy P with every host bit set to ONE (0 or 1); the result has no plen. */
static void prefix_edge(const struct lns_addr *p, struct lns_addr *out, int one)
{
	unsigned bits = addr_bits(p->family), i;
	uint8_t *b;

	*out = *p;
	out->plen = (uint8_t)bits;
	b = (uint8_t *)addr_bytes(out);
	for (i = p->plen; i < bits; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));

		b[i / 8] = one ? (uint8_t)(b[i / 8] | m) : (uint8_t)(b[i / 8] & ~m);
	}
}

void cfg_prefix_first(const struct lns_addr *p, struct lns_addr *first)
{
	prefix_edge(p, first, 0);
	first->plen = p->plen;
}

void cfg_prefix_last(const struct lns_addr *p, struct lns_addr *last)
{
	prefix_edge(p, last, 1);
}

uint64_t cfg_range_size(const struct lns_addr *first, const struct lns_addr *last)
{
	unsigned n = addr_bits(first->family) / 8, i;
	const uint8_t *f = addr_bytes(first), *l = addr_bytes(last);
	uint8_t d[16];
	int borrow = 0;
	uint64_t v = 0;

	/* d = last - first, big endian, n bytes */
	for (i = n; i-- > 0;) {
		int x = l[i] - f[i] - borrow;

		borrow = x < 0;
		d[i] = (uint8_t)(x + (borrow ? 256 : 0));
	}
	for (i = 0; i < n; i++) {
		if (i + 8 < n && d[i] != 0)
			return UINT64_MAX; /* more than 2^64 addresses */
		v = (v << 8) | d[i];
	}
	return v == UINT64_MAX ? UINT64_MAX : v + 1;
}
