/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the ICMP error side: the never-answer rules
 * (dp/icmp.c: the IPv4 header and ICMP type, the IPv6 extension-header walk)
 * and the error builders (cp/icmp_build.c). Input: one octet choosing IPv4
 * or IPv6 (low bit) and the error (bit 1), then the offending packet. Any
 * octets: no read outside them; an error that is built has its length within
 * the RFC's limit, checksums that verify, the original's source as its
 * destination and a quote that is the original's first octets; building it in
 * place, right behind room for the headers, gives the same octets.
 * Seeds in tests/fuzz/corpus/icmp/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp/icmp_err.h"
#include "dp/icmp.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/unit/sum16.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t src6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[2048], inplace[2048];
	const uint8_t *pkt;
	uint8_t *copy;
	size_t len, n, m;
	bool v6, big;

	if (size < 1)
		return 0;
	v6 = data[0] & 1;
	big = data[0] & 2;
	len = size - 1;
	copy = malloc(len ? len : 1); /* exact size: ASan sees reads past it */
	check(copy != NULL);
	memcpy(copy, data + 1, len);
	pkt = copy;

	if (!v6) {
		(void)lns_icmp4_may_answer(pkt, len);
		n = lns_icmp4_error(out, sizeof(out), big ? 3 : 11, big ? 4 : 0, 1400, 7,
				    RTE_BE32(0xc6336401), pkt, len);
		if (n) {
			size_t q = n - LNS_ICMP4_ERR_HDR;

			check(n <= LNS_ICMP4_ERR_MAX && n > LNS_ICMP4_ERR_HDR && q <= len);
			check(sum16(out, 20, 0) == 0xffff);
			check(sum16(out + 20, n - 20, 0) == 0xffff);
			check(memcmp(out + 16, pkt + 12, 4) == 0);
			check(memcmp(out + 28, pkt, q) == 0);
			if (len <= sizeof(inplace) - LNS_ICMP4_ERR_HDR) {
				memcpy(inplace + LNS_ICMP4_ERR_HDR, pkt, len);
				m = lns_icmp4_error(inplace, sizeof(inplace), big ? 3 : 11,
						    big ? 4 : 0, 1400, 7, RTE_BE32(0xc6336401),
						    inplace + LNS_ICMP4_ERR_HDR, len);
				check(m == n && memcmp(inplace, out, n) == 0);
			}
		}
	} else {
		uint8_t type = big ? LNS_ICMP6_PACKET_TOO_BIG : LNS_ICMP6_TIME_EXCEEDED;

		(void)lns_icmp6_may_answer(pkt, len, type);
		n = lns_icmp6_error(out, sizeof(out), type, 0, 1280, src6, pkt, len);
		if (n) {
			uint8_t ph[40] = {0};
			size_t q = n - LNS_ICMP6_ERR_HDR;

			check(n <= LNS_ICMP6_ERR_MAX && n > LNS_ICMP6_ERR_HDR && q <= len);
			memcpy(ph, out + 8, 32);
			ph[34] = (uint8_t)((n - 40) >> 8);
			ph[35] = (uint8_t)(n - 40);
			ph[39] = 58;
			check(sum16(out + 40, n - 40, sum16(ph, 40, 0)) == 0xffff);
			check(memcmp(out + 24, pkt + 8, 16) == 0);
			check(memcmp(out + 48, pkt, q) == 0);
		}
	}
	free(copy);
	return 0;
}
