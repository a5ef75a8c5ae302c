/* SPDX-License-Identifier: BSD-3-Clause */
/* lnsd start-up pieces (main lcore, before workers start and after they stop). */
#ifndef LNS_APP_H
#define LNS_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp/dp.h"

/* What each runtime table took of the DPDK heap, in bytes. */
struct lns_runtime_mem {
	size_t pool, neigh, sessions, sess_ctr, fib, fib6;
	uint32_t fib6_prefixes; /* the IPv6 FIB's room for subscriber prefixes */
};

/* DPDK heap in use, summed over sockets: what a table costs. */
size_t lns_heap_used(void);

/* app/runtime.c: the tables the workers read, sized from cfg (mbufs: the pool's size). */
int lns_runtime_init(struct lns_runtime *rt, const struct lns_config *cfg, unsigned mbufs,
		     struct lns_runtime_mem *mem);
void lns_runtime_fini(struct lns_runtime *rt);
/* Connected subnets and static routes into the FIB, once the ports are known. */
int lns_fib_fill(struct lns_runtime *rt);
int lns_fib6_fill(struct lns_runtime *rt); /* the IPv6 part, called by lns_fib_fill */

/* app/ports.c */
bool lns_device_is_pci(const char *dev);
/* The worker-facing description of a started port (its MAC in rt->ports[idx].mac
 * already), and its RX queues handed to the workers. */
int lns_port_fill(struct lns_runtime *rt, unsigned idx, uint16_t port_id, unsigned nq);
int lns_ports_start(struct lns_runtime *rt);
void lns_ports_stop(struct lns_runtime *rt);

#endif
