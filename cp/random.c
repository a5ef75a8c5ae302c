/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unpredictable octets for the control plane: challenges (L2TP, CHAP),
 * Random Vectors, RADIUS Request Authenticators, PPP magic numbers and
 * interface identifiers. The kernel's generator, never blocking; DPDK's
 * rte_rand only if it cannot answer at once. Main lcore only.
 */
#include <sys/random.h>

#include <rte_random.h>

#include "cp/cp.h"

void cp_random(void *buf, size_t len)
{
	uint8_t *b = buf;

	if (getrandom(b, len, GRND_NONBLOCK) == (ssize_t)len)
		return;
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)rte_rand();
}
