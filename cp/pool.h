/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address pools (the `pools:` section): IPv4 addresses for IPCP, IPv6
 * prefixes (each pool's prefix-length: the links' /64s, delegated prefixes).
 * O(1) allocation and release, specific ones reservable (RADIUS
 * Framed-IP-Address or Framed-IPv6-Prefix inside a pool), double release
 * detected. Main lcore only.
 */
#ifndef LNS_POOL_H
#define LNS_POOL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct lns_pool_cfg;

struct lns_pool {
	const struct lns_pool_cfg *cfg;
	uint32_t size;  /* addresses (IPv4) or prefixes (IPv6) over all ranges */
	uint32_t next;  /* below it every index has been handed out at least once */
	uint32_t *free; /* released indices, a stack */
	uint32_t n_free, cap_free;
	uint64_t *used; /* one bit per index */
	uint32_t in_use;
	uint64_t exhausted; /* allocations refused */
};

int lns_pool_init(struct lns_pool *p, const struct lns_pool_cfg *cfg); /* 0, -EINVAL, -ENOMEM */
void lns_pool_fini(struct lns_pool *p);
/* Any free address; -ENOSPC when the pool is exhausted. */
int lns_pool_alloc(struct lns_pool *p, struct in_addr *a);
/* That address; -ENOENT when not in the pool, -EEXIST when taken. */
int lns_pool_reserve(struct lns_pool *p, struct in_addr a);
/* Give it back; -ENOENT when not in the pool, -EALREADY when it was not taken. */
int lns_pool_release(struct lns_pool *p, struct in_addr a);
bool lns_pool_contains(const struct lns_pool *p, struct in_addr a);

/* The same for an IPv6 pool's prefixes (/cfg->prefix_len); a prefix of another length is
 * not the pool's (-ENOENT). contains6: A falls in one of its ranges, whatever the length. */
int lns_pool_alloc6(struct lns_pool *p, struct in6_addr *prefix);
int lns_pool_reserve6(struct lns_pool *p, const struct in6_addr *prefix, unsigned plen);
int lns_pool_release6(struct lns_pool *p, const struct in6_addr *prefix, unsigned plen);
bool lns_pool_contains6(const struct lns_pool *p, const struct in6_addr *a);

#endif
