/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP MSS clamping: lower the Maximum Segment Size option of a SYN so that
 * the peer's segments fit the tunnel. Pure functions on octets (no mbufs, no
 * EAL, any alignment): the worker calls them on SYNs into and out of tunnels
 * (dp/mtu.c), the unit tests and tests/fuzz/fuzz_mss.c on anything.
 *
 *  TCP header (RFC 9293 section 3.1), options after the first 20 octets:
 *   0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          source port          |       destination port        |
 *  +-------------------------------+-------------------------------+
 *  |                        sequence number                        |
 *  +---------------------------------------------------------------+
 *  |                     acknowledgment number                     |
 *  +-------+-------+---------------+-------------------------------+
 *  | doff  | rsvd  |     flags     |            window             |
 *  +-------+-------+---------------+-------------------------------+
 *  |           checksum            |        urgent pointer         |
 *  +-------------------------------+-------------------------------+
 *  | options: kind 0 EOL, kind 1 NOP, else kind, length (>= 2), data
 *  | MSS (RFC 9293 section 3.7.1): kind 2, length 4, 16-bit value
 */
#ifndef LNS_DP_MSS_H
#define LNS_DP_MSS_H

#include <stdint.h>

#include "dp/csum.h"

#define LNS_TCP_HDR_MIN  20
#define LNS_TCP_FLAG_SYN 0x02
#define LNS_TCPOPT_EOL   0
#define LNS_TCPOPT_NOP   1
#define LNS_TCPOPT_MSS   2
#define LNS_TCPOLEN_MSS  4

/*
 * TCP header TCP (TCP_LEN octets readable: the header and whatever follows):
 * every MSS option above MSS_MAX becomes MSS_MAX and the checksum follows
 * incrementally (the pseudo-header is untouched). Returns 1 when an option
 * was lowered, 0 when nothing needed it (no MSS option, or small enough), -1
 * when the header or its options are malformed (an MSS option before the
 * fault may have been lowered; the checksum matches whatever was written).
 * Nothing outside the header's options and checksum is written. Does not look
 * at the flags: the caller picks SYNs.
 */
static inline int lns_mss_clamp(uint8_t *tcp, uint32_t tcp_len, uint16_t mss_max)
{
	uint32_t doff, i;
	int changed = 0;

	if (tcp_len < LNS_TCP_HDR_MIN)
		return -1;
	doff = (uint32_t)(tcp[12] >> 4) * 4;
	if (doff < LNS_TCP_HDR_MIN || doff > tcp_len)
		return -1;
	for (i = LNS_TCP_HDR_MIN; i < doff;) {
		uint8_t kind = tcp[i], len;

		if (kind == LNS_TCPOPT_EOL)
			break;
		if (kind == LNS_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff)
			return -1; /* no room for the length octet */
		len = tcp[i + 1];
		if (len < 2 || i + len > doff)
			return -1;
		if (kind == LNS_TCPOPT_MSS) {
			uint16_t mss, c;

			if (len != LNS_TCPOLEN_MSS)
				return -1;
			mss = (uint16_t)(tcp[i + 2] << 8 | tcp[i + 3]);
			if (mss > mss_max) {
				/*
				 * The value sits at offset i + 2 of the header: at an odd
				 * offset (after an odd number of NOPs) its octets fall in two
				 * checksum words, and a 16-bit quantity summed there counts
				 * byte-swapped (RFC 1071 section 2(B)).
				 */
				uint16_t o = mss, n = mss_max;

				if ((i + 2) & 1) {
					o = (uint16_t)(o << 8 | o >> 8);
					n = (uint16_t)(n << 8 | n >> 8);
				}
				c = (uint16_t)(tcp[16] << 8 | tcp[17]);
				c = lns_csum_replace16(c, o, n);
				tcp[16] = (uint8_t)(c >> 8);
				tcp[17] = (uint8_t)c;
				tcp[i + 2] = (uint8_t)(mss_max >> 8);
				tcp[i + 3] = (uint8_t)mss_max;
				changed = 1;
			}
		}
		i += len;
	}
	return changed;
}

#endif
