/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address pools. Main lcore only. An address is an index over the pool's
 * ranges in order; allocation pops the stack of released indices or else
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

/* The index of A, or -1 when it is in no range. */
static int64_t index_of(const struct lns_pool *p, struct in_addr a)
{
	uint64_t base = 0;

	for (size_t r = 0; r < p->cfg->n_ranges; r++) {
		uint32_t lo = host(p->cfg->ranges[r].first.v4), hi = host(p->cfg->ranges[r].last.v4);

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
		uint32_t lo = host(p->cfg->ranges[r].first.v4), hi = host(p->cfg->ranges[r].last.v4);
		uint64_t n = (uint64_t)hi - lo + 1;

		if (i < n) {
			a.s_addr = htonl(lo + i);
			return a;
		}
		i -= (uint32_t)n;
	}
	return a;
}

int lns_pool_init(struct lns_pool *p, const struct lns_pool_cfg *cfg)
{
	memset(p, 0, sizeof(*p));
	if (cfg->family != AF_INET || cfg->size == 0 || cfg->size > UINT32_MAX)
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

bool lns_pool_contains(const struct lns_pool *p, struct in_addr a)
{
	return p->cfg != NULL && index_of(p, a) >= 0; /* an IPv6 pool is left unset */
}

int lns_pool_alloc(struct lns_pool *p, struct in_addr *a)
{
	if (p->cfg == NULL)
		return -ENOSPC;
	while (p->n_free) {
		uint32_t i = p->free[--p->n_free];

		if (bit(p, i))
			continue; /* reserved by name since its release */
		set_bit(p, i, true);
		p->in_use++;
		*a = addr_of(p, i);
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
	*a = addr_of(p, p->next++);
	return 0;
}

int lns_pool_reserve(struct lns_pool *p, struct in_addr a)
{
	int64_t i = p->cfg ? index_of(p, a) : -1;

	if (i < 0)
		return -ENOENT;
	if (bit(p, (uint32_t)i))
		return -EEXIST;
	set_bit(p, (uint32_t)i, true);
	p->in_use++;
	return 0;
}

int lns_pool_release(struct lns_pool *p, struct in_addr a)
{
	int64_t i = p->cfg ? index_of(p, a) : -1;

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
