/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tests' own Internet checksum (RFC 1071), the slow and obvious way, so that
 * checking lns's checksums does not go through the code under test (or DPDK's).
 */
#ifndef LNS_TESTS_UNIT_SUM16_H
#define LNS_TESTS_UNIT_SUM16_H

#include <stddef.h>
#include <stdint.h>

/* The ones' complement sum of the 16-bit words of b, added to s, folded. */
static inline uint16_t sum16(const uint8_t *b, size_t len, uint32_t s)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

#endif
