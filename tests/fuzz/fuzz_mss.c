/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the TCP option walker of MSS clamping (dp/mss.h).
 * Input: two octets of the largest MSS allowed (big-endian), then a TCP
 * header and whatever follows, as the worker would hand it over. Whatever
 * the octets: no read or write outside them, a result of -1, 0 or 1, nothing
 * written but MSS values and the checksum (nothing at all for 0), the ones'
 * complement sum of the whole segment unchanged (so a checksum that was
 * right stays right), and afterwards no MSS option above the maximum before
 * the point where the walk stopped: a second clamp changes nothing.
 * Seeds in tests/fuzz/corpus/mss/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/mss.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/unit/sum16.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ones' complement sum of 16-bit words, -0 and +0 made one (0). */
static uint16_t sum(const uint8_t *b, size_t len)
{
	uint16_t s = sum16(b, len, 0);

	return s == 0xffff ? 0 : s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *t, *orig;
	size_t len, doff;
	uint16_t max;
	int rc;

	if (size < 2)
		return 0;
	max = (uint16_t)(data[0] << 8 | data[1]);
	len = size - 2;
	/* exact-size copies: ASan sees any access past the segment */
	t = malloc(len ? len : 1);
	orig = malloc(len ? len : 1);
	check(t && orig);
	memcpy(t, data + 2, len);
	memcpy(orig, data + 2, len);

	rc = lns_mss_clamp(t, (uint32_t)len, max);
	check(rc == -1 || rc == 0 || rc == 1);
	if (rc == 0)
		check(memcmp(t, orig, len) == 0);
	check(sum(t, len) == sum(orig, len));
	if (len >= 20) {
		doff = (size_t)(orig[12] >> 4) * 4;
		for (size_t i = 0; i < len; i++)
			if (i != 16 && i != 17 && (i < 20 || i >= doff))
				check(t[i] == orig[i]);
	} else {
		check(rc == -1);
	}
	if (rc >= 0) {
		/* every MSS value now within bounds: a second pass has nothing to do */
		memcpy(orig, t, len);
		check(lns_mss_clamp(t, (uint32_t)len, max) == 0);
		check(memcmp(t, orig, len) == 0);
	}
	free(t);
	free(orig);
	return 0;
}
