/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address pools. Main lcore only. An address (IPv4) or a prefix (IPv6) is an
 * index over the pool's ranges in order; allocation pops the stack of released indices or else
 * takes the next never-used one, skipping reserved ones: O(1) amortised, and
 * nothing is allocated per address until it is released.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config/config.h"
#include "cp/pool.h"

static bool bit(const struct lns_pool *p, uint32_t i)
{
	return p->used[i / 64] >> (i % 64) & 1;
}

static void set_bit(struct lns_pool *p, uint32_t i, bool v)
{
	if (v)
		p->used[i / 64] |= 1ull << (i % 64);
	else
		p->used[i / 64] &= ~(1ull << (i % 64));
}

static uint32_t host(struct in_addr a)
{
	return ntohl(a.s_addr);
}

/* The index of A, or -1 when it is in no range (or the pool is of the other family). */
static int64_t index_of(const struct lns_pool *p, struct in_addr a)
{
	uint64_t base = 0;

	if (p->cfg == NULL || p->cfg->family != AF_INET)
		return -1;
	for (size_t r = 0; r < p->cfg->n_ranges; r++) {
		uint32_t lo = host(p->cfg->ranges[r].first.v4),
			 hi = host(p->cfg->ranges[r].last.v4);

		if (host(a) >= lo && host(a) <= hi)
			return (int64_t)(base + host(a) - lo);
		base += (uint64_t)hi - lo + 1;
	}
	return -1;
}

static struct in_addr addr_of(const struct lns_pool *p, uint32_t i)
{
	struct in_addr a = {0};

	for (size_t r = 0; r < p->cfg->n_ranges; r++) {
		uint32_t lo = host(p->cfg->ranges[r].first.v4),
			 hi = host(p->cfg->ranges[r].last.v4);
		uint64_t n = (uint64_t)hi - lo + 1;

		if (i < n) {
			a.s_addr = htonl(lo + i);
			return a;
		}
		i -= (uint32_t)n;
	}
	return a;
}

/*
 * IPv6 pools hand out prefixes of cfg->prefix_len: index i of a range is its
 * i-th such prefix (the configuration checked that ranges are made of whole
 * ones). 128-bit arithmetic: GCC and clang's unsigned __int128.
 */
typedef unsigned __int128 u128;

static u128 v6_int(const struct in6_addr *a)
{
	u128 v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 8 | a->s6_addr[i];
	return v;
}

static void v6_addr(u128 v, struct in6_addr *a)
{
	for (int i = 15; i >= 0; i--, v >>= 8)
		a->s6_addr[i] = (uint8_t)v;
}

static int64_t index_of6(const struct lns_pool *p, const struct in6_addr *a, unsigned plen)
{
	unsigned shift;
	uint64_t base = 0;
	u128 x;

	if (p->cfg == NULL || p->cfg->family != AF_INET6 || plen != p->cfg->prefix_len)
		return -1;
	shift = 128 - plen;
	x = v6_int(a);
	for (size_t r = 0; r < p->cfg->n_ranges; r++) {
		u128 lo = v6_int(&p->cfg->ranges[r].first.v6),
		     hi = v6_int(&p->cfg->ranges[r].last.v6);

		if (x >= lo && x <= hi)
			return (int64_t)(base + (uint64_t)((x - lo) >> shift));
		base += (uint64_t)((hi - lo) >> shift) + 1;
	}
	return -1;
}

static void prefix_of(const struct lns_pool *p, uint32_t i, struct in6_addr *a)
{
	unsigned shift = 128 - p->cfg->prefix_len;

	memset(a, 0, sizeof(*a));
	for (size_t r = 0; r < p->cfg->n_ranges; r++) {
		u128 lo = v6_int(&p->cfg->ranges[r].first.v6),
		     hi = v6_int(&p->cfg->ranges[r].last.v6);
		uint64_t n = (uint64_t)((hi - lo) >> shift) + 1;

		if (i < n) {
			v6_addr(lo + ((u128)i << shift), a);
			return;
		}
		i -= (uint32_t)n;
	}
}

int lns_pool_init(struct lns_pool *p, const struct lns_pool_cfg *cfg)
{
	memset(p, 0, sizeof(*p));
	if ((cfg->family != AF_INET && cfg->family != AF_INET6) || cfg->size == 0 ||
	    cfg->size > UINT32_MAX)
		return -EINVAL;
	p->cfg = cfg;
	p->size = (uint32_t)cfg->size;
	p->used = calloc((p->size + 63) / 64, sizeof(*p->used));
	return p->used ? 0 : -ENOMEM;
}

void lns_pool_fini(struct lns_pool *p)
{
	free(p->free);
	free(p->used);
	memset(p, 0, sizeof(*p));
}

/* ---- by index: the same for both families ---- */

static int alloc_index(struct lns_pool *p, uint32_t *out)
{
	if (p->cfg == NULL)
		return -ENOSPC;
	while (p->n_free) {
		uint32_t i = p->free[--p->n_free];

		if (bit(p, i))
			continue; /* reserved by name since its release */
		set_bit(p, i, true);
		p->in_use++;
		*out = i;
		return 0;
	}
	while (p->next < p->size && bit(p, p->next))
		p->next++;
	if (p->next == p->size) {
		p->exhausted++;
		return -ENOSPC;
	}
	set_bit(p, p->next, true);
	p->in_use++;
	*out = p->next++;
	return 0;
}

static int reserve_index(struct lns_pool *p, int64_t i)
{
	if (i < 0)
		return -ENOENT;
	if (bit(p, (uint32_t)i))
		return -EEXIST;
	set_bit(p, (uint32_t)i, true);
	p->in_use++;
	return 0;
}

static int release_index(struct lns_pool *p, int64_t i)
{
	if (i < 0)
		return -ENOENT;
	if (!bit(p, (uint32_t)i))
		return -EALREADY;
	if (p->n_free == p->cap_free) {
		uint32_t cap = p->cap_free ? p->cap_free * 2 : 64;
		uint32_t *f = realloc(p->free, cap * sizeof(*f));

		if (f == NULL)
			return -ENOMEM; /* still taken: better than handing it out twice */
		p->free = f;
		p->cap_free = cap;
	}
	set_bit(p, (uint32_t)i, false);
	p->free[p->n_free++] = (uint32_t)i;
	p->in_use--;
	return 0;
}

/* ---- IPv4 addresses ---- */

bool lns_pool_contains(const struct lns_pool *p, struct in_addr a)
{
	return index_of(p, a) >= 0; /* never in an IPv6 pool */
}

int lns_pool_alloc(struct lns_pool *p, struct in_addr *a)
{
	uint32_t i;
	int ret;

	if (p->cfg == NULL || p->cfg->family != AF_INET)
		return -ENOSPC;
	ret = alloc_index(p, &i);
	if (ret == 0)
		*a = addr_of(p, i);
	return ret;
}

int lns_pool_reserve(struct lns_pool *p, struct in_addr a)
{
	return reserve_index(p, index_of(p, a));
}

int lns_pool_release(struct lns_pool *p, struct in_addr a)
{
	return release_index(p, index_of(p, a));
}

/* ---- IPv6 prefixes ---- */

bool lns_pool_contains6(const struct lns_pool *p, const struct in6_addr *a)
{
	const struct lns_pool_cfg *c = p->cfg;
	u128 x = v6_int(a);

	if (c == NULL || c->family != AF_INET6)
		return false;
	for (size_t r = 0; r < c->n_ranges; r++)
		if (x >= v6_int(&c->ranges[r].first.v6) && x <= v6_int(&c->ranges[r].last.v6))
			return true;
	return false;
}

int lns_pool_alloc6(struct lns_pool *p, struct in6_addr *prefix)
{
	uint32_t i;
	int ret;

	if (p->cfg == NULL || p->cfg->family != AF_INET6)
		return -ENOSPC;
	ret = alloc_index(p, &i);
	if (ret == 0)
		prefix_of(p, i, prefix);
	return ret;
}

int lns_pool_reserve6(struct lns_pool *p, const struct in6_addr *prefix, unsigned plen)
{
	return reserve_index(p, index_of6(p, prefix, plen));
}

int lns_pool_release6(struct lns_pool *p, const struct in6_addr *prefix, unsigned plen)
{
	return release_index(p, index_of6(p, prefix, plen));
}
