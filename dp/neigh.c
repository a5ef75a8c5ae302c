/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table. Writers: the control lcore. Readers: any lcore, lock-free
 * (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF); deleted keys' slots are reclaimed
 * only after an RCU grace period (rte_hash_rcu_qsbr_add).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp/mac64.h"
#include "dp/neigh.h"

struct neigh_key {
	uint32_t port;
	uint8_t addr[16]; /* IPv4 as ::ffff:a.b.c.d */
};

struct lns_neigh_table {
	struct rte_hash *h;
};

/* The value stored in the hash is the MAC as one word (dp/mac64.h). */

static void make_key(struct neigh_key *k, unsigned port, int family, const void *addr)
{
	memset(k, 0, sizeof(*k));
	k->port = port;
	if (family == AF_INET) {
		k->addr[10] = 0xff;
		k->addr[11] = 0xff;
		memcpy(&k->addr[12], addr, 4);
	} else {
		memcpy(k->addr, addr, 16);
	}
}

struct lns_neigh_table *lns_neigh_table_create(const char *name, unsigned entries,
					       struct rte_rcu_qsbr *qsbr)
{
	struct rte_hash_parameters p = {
		.name = name,
		.entries = entries,
		.key_len = sizeof(struct neigh_key),
		.hash_func = rte_jhash,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rc = {.v = qsbr, .mode = RTE_HASH_QSBR_MODE_DQ};
	struct lns_neigh_table *t = rte_zmalloc("neigh", sizeof(*t), 0);

	if (t == NULL)
		return NULL;
	t->h = rte_hash_create(&p);
	if (t->h == NULL)
		goto err;
	if (qsbr && rte_hash_rcu_qsbr_add(t->h, &rc) != 0)
		goto err;
	return t;
err:
	lns_neigh_table_free(t);
	return NULL;
}

void lns_neigh_table_free(struct lns_neigh_table *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->h);
	rte_free(t);
}

int lns_neigh_set(struct lns_neigh_table *t, unsigned port, int family, const void *addr,
		  const struct rte_ether_addr *mac)
{
	struct neigh_key k;

	make_key(&k, port, family, addr);
	return rte_hash_add_key_data(t->h, &k, (void *)(uintptr_t)lns_mac64(mac));
}

int lns_neigh_del(struct lns_neigh_table *t, unsigned port, int family, const void *addr)
{
	struct neigh_key k;
	int32_t r;

	make_key(&k, port, family, addr);
	r = rte_hash_del_key(t->h, &k);
	return r < 0 ? r : 0;
}

int lns_neigh_lookup(const struct lns_neigh_table *t, unsigned port, int family, const void *addr,
		     struct rte_ether_addr *mac)
{
	struct neigh_key k;
	void *data;

	make_key(&k, port, family, addr);
	if (rte_hash_lookup_data(t->h, &k, &data) < 0 || !lns_mac64_get((uintptr_t)data, mac))
		return -ENOENT;
	return 0;
}
