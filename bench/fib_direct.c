/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Subscriber /32s written straight into rte_lpm's lookup tables, for session
 * counts where lns_fib_add_session() is too slow to wait for: rte_lpm_add()
 * looks for an existing rule by scanning every rule of the same depth
 * (rule_add() in DPDK's lib/lpm/rte_lpm.c), so N /32s cost O(N^2): measured
 * here 0.56 s for 64,000, 2.2 s for 128,000, 11 s for 256,000 (about 3 min
 * for 1,000,000).
 *
 * The tables come out as rte_lpm_add() leaves them for the same routes
 * (add_depth_big(): a tbl8 group per /24, first filled with the covering
 * tbl24 entry, its first entry marking the group used, the tbl24 entry then
 * pointing at it); bench_fib_selftest() compares the two byte for byte. Only
 * rte_lpm's rules table is left without these /32s, which no lookup reads.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_lpm.h>

#include "bench/bench.h"
#include "dp/fib.h"

int bench_fib_fill_direct(struct bench_env *e, char *err, size_t errlen)
{
	struct rte_lpm *lpm = e->rt->fib->lpm;
	uint32_t n_tbl8 = RTE_MAX(256u, RTE_MIN(e->cfg->l2tp.max_sessions / 16, 16384u)); /* lnsd */
	uint32_t next = 0;

	/* Groups in use already (none for the routes bench.yaml has, but be sure). */
	for (uint32_t g = 0; g < n_tbl8; g++)
		if (lpm->tbl8[(size_t)g * RTE_LPM_TBL8_GROUP_NUM_ENTRIES].valid_group)
			next = g + 1;
	for (uint32_t i = 0; i < e->n_sess; i++) {
		uint32_t ip = rte_be_to_cpu_32(bench_sub_ip(i));
		struct rte_lpm_tbl_entry *t24 = &lpm->tbl24[ip >> 8], *g;

		if (!(t24->valid && t24->valid_group)) {
			struct rte_lpm_tbl_entry cover = *t24, ext = {0};

			if (next == n_tbl8) {
				snprintf(err, errlen, "FIB: all %u tbl8 groups used", n_tbl8);
				return -ENOSPC;
			}
			g = &lpm->tbl8[(size_t)next * RTE_LPM_TBL8_GROUP_NUM_ENTRIES];
			memset(g, 0, RTE_LPM_TBL8_GROUP_NUM_ENTRIES * sizeof(*g));
			for (unsigned k = 0; k < RTE_LPM_TBL8_GROUP_NUM_ENTRIES; k++) {
				g[k].valid = cover.valid;
				g[k].depth = cover.valid ? cover.depth : 0;
				g[k].next_hop = cover.valid ? cover.next_hop : 0;
			}
			g[0].valid_group = 1;
			ext.next_hop = next++;
			ext.valid = 1;
			ext.valid_group = 1;
			*t24 = ext;
		}
		g = &lpm->tbl8[(size_t)t24->next_hop * RTE_LPM_TBL8_GROUP_NUM_ENTRIES +
			       (ip & 0xff)];
		g->valid = 1;
		g->depth = 32;
		g->next_hop = LNS_NH_SESSION | e->slot[i];
	}
	/* Every subscriber must now find its own slot. */
	for (uint32_t i = 0; i < e->n_sess; i++) {
		uint32_t v;

		if (lns_fib_lookup(e->rt->fib, bench_sub_ip(i), &v) < 0 ||
		    v != (LNS_NH_SESSION | e->slot[i])) {
			snprintf(err, errlen, "FIB: session %u not found after the direct fill", i);
			return -EINVAL;
		}
	}
	return 0;
}
