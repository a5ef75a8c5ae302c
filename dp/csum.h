/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Incremental Internet checksum update (RFC 1624), for fields the data plane
 * rewrites in place. Pure; any thread.
 */
#ifndef LNS_DP_CSUM_H
#define LNS_DP_CSUM_H

#include <stdint.h>

/*
 * RFC 1624 equation 3: checksum C (as a number, host order) after a 16-bit
 * word of the summed data goes from OLD to NEW: C' = ~(~C + ~OLD + NEW) in
 * ones' complement arithmetic. Equation 3 rather than RFC 1141's: that one
 * can give 0xffff where a full computation gives 0x0000 (RFC 1624 section 4).
 */
static inline uint16_t lns_csum_replace16(uint16_t c, uint16_t old, uint16_t new_)
{
	uint32_t s = (uint32_t)(uint16_t)~c + (uint16_t)~old + new_;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

#endif
