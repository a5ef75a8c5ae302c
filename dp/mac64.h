/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A MAC address as one 64-bit word (the address in the low 48 bits, bit 48:
 * known), so that a control-lcore update is one atomic store and a worker's
 * read one atomic load. Used by the neighbour table and the FIB's next hops.
 */
#ifndef LNS_DP_MAC64_H
#define LNS_DP_MAC64_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#define LNS_MAC64_VALID (UINT64_C(1) << 48)

static inline uint64_t lns_mac64(const struct rte_ether_addr *mac)
{
	uint64_t v = LNS_MAC64_VALID;

	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		v |= (uint64_t)mac->addr_bytes[i] << (8 * i);
	return v;
}

/* false when the word holds no address */
static inline bool lns_mac64_get(uint64_t v, struct rte_ether_addr *mac)
{
	if (!(v & LNS_MAC64_VALID))
		return false;
	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = (uint8_t)(v >> (8 * i));
	return true;
}

#endif
