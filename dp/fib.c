/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 FIB. Writer: the control lcore (and start-up). Readers: workers,
 * lock-free; rte_lpm's RCU integration frees tbl8 groups after a grace period.
 * The next-hop table is filled at start-up only and never changes.
 */
#include <errno.h>

#include <rte_lpm.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/fib.h"

struct lns_fib *lns_fib_create(const char *name, uint32_t max_rules, uint32_t n_tbl8,
			       struct rte_rcu_qsbr *qsbr)
{
	struct rte_lpm_config c = {.max_rules = max_rules, .number_tbl8s = n_tbl8};
	struct rte_lpm_rcu_config rc = {.v = qsbr, .mode = RTE_LPM_QSBR_MODE_DQ};
	struct lns_fib *f = rte_zmalloc("fib", sizeof(*f), 0);

	if (f == NULL)
		return NULL;
	f->lpm = rte_lpm_create(name, SOCKET_ID_ANY, &c);
	if (f->lpm == NULL || (qsbr && rte_lpm_rcu_qsbr_add(f->lpm, &rc) != 0)) {
		lns_fib_free(f);
		return NULL;
	}
	return f;
}

void lns_fib_free(struct lns_fib *f)
{
	if (f == NULL)
		return;
	for (uint32_t i = 0; i < f->n_pool; i++)
		rte_free(f->pool[i].slot);
	rte_lpm_free(f->lpm);
	rte_free(f);
}

int lns_fib_add_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen,
		      const struct lns_nexthop *nh)
{
	uint32_t i;

	for (i = 0; i < f->n_nh; i++)
		if (f->nh[i].port == nh->port && f->nh[i].gw == nh->gw)
			break;
	if (i == f->n_nh) {
		if (f->n_nh == LNS_NH_MAX)
			return -ENOSPC;
		f->nh[f->n_nh++] = *nh;
	}
	if (plen == 0) { /* rte_lpm takes depths 1..32: a default route is two halves */
		int ret = rte_lpm_add(f->lpm, 0, 1, i);

		return ret < 0 ? ret : rte_lpm_add(f->lpm, 0x80000000u, 1, i);
	}
	return rte_lpm_add(f->lpm, rte_be_to_cpu_32(prefix), plen, i);
}

int lns_fib_add_pool_range(struct lns_fib *f, rte_be32_t first, rte_be32_t last)
{
	uint32_t a = rte_be_to_cpu_32(first), z = rte_be_to_cpu_32(last), idx = f->n_pool;
	struct lns_fib_pool *p = &f->pool[idx];
	int ret = 0;

	if (z < a || idx == LNS_FIB_MAX_POOL_RANGES)
		return -ENOSPC;
	p->slot = rte_zmalloc("fib_pool", ((size_t)z - a + 1) * sizeof(uint32_t),
			      RTE_CACHE_LINE_SIZE);
	if (p->slot == NULL)
		return -ENOMEM;
	p->first = a;
	p->n = z - a + 1;
	/* The range as the fewest prefixes that cover exactly it, each leading here: the
	 * largest aligned block at x that does not pass z, then on from its end. */
	for (uint64_t x = a; x <= z && ret >= 0;) {
		unsigned len = 32;

		while (len > 1 && (x & ((UINT64_C(1) << (33 - len)) - 1)) == 0 &&
		       x + (UINT64_C(1) << (33 - len)) - 1 <= z)
			len--;
		ret = rte_lpm_add(f->lpm, (uint32_t)x, (uint8_t)len, LNS_NH_POOL | idx);
		x += UINT64_C(1) << (32 - len);
	}
	if (ret < 0) {
		rte_free(p->slot);
		p->slot = NULL;
		return ret;
	}
	f->n_pool++;
	return 0;
}

/* The pool word of IP, or NULL when no pool has it (the control lcore's view). */
static uint32_t *pool_word(struct lns_fib *f, rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip);

	for (uint32_t i = 0; i < f->n_pool; i++)
		if (a - f->pool[i].first < f->pool[i].n)
			return &f->pool[i].slot[a - f->pool[i].first];
	return NULL;
}

int lns_fib_add_session(struct lns_fib *f, rte_be32_t ip, uint32_t slot)
{
	uint32_t *w;

	if (slot > LNS_NH_MAX_SLOTS)
		return -ERANGE;
	w = pool_word(f, ip);
	if (w == NULL)
		return rte_lpm_add(f->lpm, rte_be_to_cpu_32(ip), 32, LNS_NH_SESSION | slot);
	if (*w != 0 && *w != slot + 1)
		return -EEXIST;
	__atomic_store_n(w, slot + 1, __ATOMIC_RELEASE);
	return 0;
}

int lns_fib_del_session(struct lns_fib *f, rte_be32_t ip)
{
	uint32_t *w = pool_word(f, ip);

	if (w == NULL)
		return rte_lpm_delete(f->lpm, rte_be_to_cpu_32(ip), 32);
	if (*w == 0)
		return -ENOENT;
	__atomic_store_n(w, 0, __ATOMIC_RELEASE);
	return 0;
}

int lns_fib_add_session_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen, uint32_t slot)
{
	uint32_t nh;

	if (slot > LNS_NH_MAX_SLOTS || plen < 1 || plen > 32)
		return -ERANGE;
	if (rte_lpm_is_rule_present(f->lpm, rte_be_to_cpu_32(prefix), plen, &nh) == 1)
		return -EEXIST; /* another session's, or a configured route: not taken over */
	return rte_lpm_add(f->lpm, rte_be_to_cpu_32(prefix), plen, LNS_NH_SESSION | slot);
}

int lns_fib_del_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen)
{
	if (plen == 0) { /* stored as two halves, see lns_fib_add_route */
		int ret = rte_lpm_delete(f->lpm, 0, 1);

		return ret < 0 ? ret : rte_lpm_delete(f->lpm, 0x80000000u, 1);
	}
	return rte_lpm_delete(f->lpm, rte_be_to_cpu_32(prefix), plen);
}

void lns_fib_gateway_mac(struct lns_fib *f, unsigned port, rte_be32_t gw,
			 const struct rte_ether_addr *mac)
{
	uint64_t v = mac ? lns_mac64(mac) : 0;

	for (uint32_t i = 0; i < f->n_nh; i++)
		if (f->nh[i].port == port && f->nh[i].gw == gw && gw != 0)
			__atomic_store_n(&f->nh[i].mac, v, __ATOMIC_RELEASE);
}
