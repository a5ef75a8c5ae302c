/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the Framed-IPv6-Route text parser (cp/framed_route6.c).
 * Input: the attribute's value, as RADIUS delivers it (not NUL-terminated;
 * the fuzzer's buffer is exactly its size, so a read past it is caught).
 * Whatever the octets: -EINVAL with a reason, or 0 with a length of 1..128,
 * no host bits, nothing link-local, multicast, :: or ::1 held or lying in it,
 * and the route written back as "ADDR/LEN :: 1" parsed again to the same.
 * Seeds in tests/fuzz/corpus/framed_route6/.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "cp/framed_route6.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool in(const uint8_t a[16], unsigned plen, const uint8_t *p, unsigned bits)
{
	unsigned m = plen < bits ? plen : bits;

	for (unsigned i = 0; i < m; i++)
		if (((a[i / 8] ^ p[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ll[16] = {0xfe, 0x80}, mc[16] = {0xff}, zero[16];
	struct framed_route6 r, again;
	const char *why = NULL;
	char text[INET6_ADDRSTRLEN + 16], a[INET6_ADDRSTRLEN];
	int ret = framed_route6_parse(data, size, &r, &why);

	check(why != NULL);
	if (ret != 0) {
		check(ret == -EINVAL && why[0] != '\0');
		return 0;
	}
	check(why[0] == '\0' && !r.routed);
	check(r.plen >= 1 && r.plen <= 128);
	for (unsigned i = r.plen; i < 128; i++)
		check(((r.prefix[i / 8] >> (7 - i % 8)) & 1) == 0);
	check(!in(r.prefix, r.plen, ll, 10) && !in(r.prefix, r.plen, mc, 8) &&
	      !in(r.prefix, r.plen, zero, 127));
	check(inet_ntop(AF_INET6, r.prefix, a, sizeof(a)) != NULL);
	snprintf(text, sizeof(text), "%s/%u :: 1", a, r.plen);
	check(framed_route6_parse(text, strlen(text), &again, &why) == 0);
	check(memcmp(again.prefix, r.prefix, 16) == 0 && again.plen == r.plen);
	return 0;
}
