/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour table (ARP and IPv6 ND results): written by the control lcore,
 * read lock-free by workers. An rte_hash with lock-free readers attached to
 * the runtime's RCU QSBR variable; the value is the MAC itself, so an update
 * is one atomic store and nothing is ever freed behind a reader.
 */
#ifndef LNS_NEIGH_H
#define LNS_NEIGH_H

#include <stdint.h>

#include <rte_ether.h>

struct lns_neigh_table;
struct rte_rcu_qsbr;

struct lns_neigh_table *lns_neigh_table_create(const char *name, unsigned entries,
					       struct rte_rcu_qsbr *qsbr);
void lns_neigh_table_free(struct lns_neigh_table *t);

/* Control lcore only. addr is 4 or 16 bytes per family. 0 or negative errno. */
int lns_neigh_set(struct lns_neigh_table *t, unsigned port, int family, const void *addr,
		  const struct rte_ether_addr *mac);
int lns_neigh_del(struct lns_neigh_table *t, unsigned port, int family, const void *addr);

/* Any lcore, lock-free. 0 and *mac set, or -ENOENT. */
int lns_neigh_lookup(const struct lns_neigh_table *t, unsigned port, int family, const void *addr,
		     struct rte_ether_addr *mac);

#endif
