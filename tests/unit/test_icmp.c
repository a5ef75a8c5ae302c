/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the pure parts of the MTU policy (no EAL): the ICMP and
 * ICMPv6 error builders (cp/icmp_build.c) against octets computed by an
 * independent implementation (a Python script, values pasted here), their
 * quoting limits; the never-answer rules (dp/icmp.c); the token bucket
 * (dp/ratelimit.h) on a clock driven by hand; the MSS clamp (dp/mss.h),
 * its checksum checked by a full recomputation done here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp/icmp_err.h"
#include "dp/icmp.h"
#include "dp/mss.h"
#include "dp/ratelimit.h"
#include "tests/unit/sum16.h"

/* ------------------------------------------------------------- helpers */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ------------------------------------------------- ICMP error builders */

/* UDP 203.0.113.5:5000 -> 100.64.0.5:53, TTL 1, ID 0x1234, 12 octets of data. */
static const uint8_t orig4[40] = {0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x01, 0x11,
				  0x07, 0x47, 0xcb, 0x00, 0x71, 0x05, 0x64, 0x40, 0x00, 0x05,
				  0x13, 0x88, 0x00, 0x35, 0x00, 0x14, 0x00, 0x00, 0xa0, 0xa1,
				  0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};

#define LNS_CORE RTE_BE32(0xc6336401) /* 198.51.100.1 */

static void test_icmp4_time_exceeded_octets(void **state)
{
	static const uint8_t want[68] = {
		0x45, 0xc0, 0x00, 0x44, 0x00, 0x07, 0x00, 0x00, 0x40, 0x01, 0x13, 0xb8, 0xc6, 0x33,
		0x64, 0x01, 0xcb, 0x00, 0x71, 0x05, 0x0b, 0x00, 0xff, 0x46, 0x00, 0x00, 0x00, 0x00,
		0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x01, 0x11, 0x07, 0x47, 0xcb, 0x00,
		0x71, 0x05, 0x64, 0x40, 0x00, 0x05, 0x13, 0x88, 0x00, 0x35, 0x00, 0x14, 0x00, 0x00,
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
	uint8_t out[LNS_ICMP4_ERR_MAX];

	(void)state;
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, LNS_ICMP_EXC_TTL,
					 0, 7, LNS_CORE, orig4, sizeof(orig4)),
			 sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void test_icmp4_frag_needed_octets(void **state)
{
	static const uint8_t want[68] = {
		0x45, 0xc0, 0x00, 0x44, 0x01, 0x02, 0x00, 0x00, 0x40, 0x01, 0x12, 0xbd, 0xc6, 0x33,
		0x64, 0x01, 0xcb, 0x00, 0x71, 0x05, 0x03, 0x04, 0x01, 0xcb, 0x00, 0x00, 0x05, 0x78,
		0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x01, 0x11, 0x07, 0x47, 0xcb, 0x00,
		0x71, 0x05, 0x64, 0x40, 0x00, 0x05, 0x13, 0x88, 0x00, 0x35, 0x00, 0x14, 0x00, 0x00,
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
	uint8_t out[LNS_ICMP4_ERR_MAX];

	(void)state;
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_DEST_UNREACH,
					 LNS_ICMP_FRAG_NEEDED, 1400, 0x0102, LNS_CORE, orig4,
					 sizeof(orig4)),
			 sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

/* A 1500-octet original: 548 octets quoted, 576 in all; both checksums good. */
static void test_icmp4_quote_limit(void **state)
{
	static uint8_t big[1500], out[LNS_ICMP4_ERR_MAX + 100];
	size_t n;

	(void)state;
	memcpy(big, orig4, 20);
	big[2] = 1500 >> 8;
	big[3] = 1500 & 0xff;
	for (size_t i = 20; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13);
	n = lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, 0, 0, 1, LNS_CORE, big,
			    sizeof(big));
	assert_int_equal(n, 576);
	assert_int_equal(be16(out + 2), 576);
	assert_int_equal(sum16(out, 20, 0), 0xffff);
	assert_int_equal(sum16(out + 20, n - 20, 0), 0xffff);
	assert_memory_equal(out + 28, big, 548);
	/* one octet of room short: nothing */
	assert_int_equal(lns_icmp4_error(out, 575, LNS_ICMP_TIME_EXCEEDED, 0, 0, 1, LNS_CORE, big,
					 sizeof(big)),
			 0);
}

/* The total length ends the quote (trailing octets of the frame are not the packet's). */
static void test_icmp4_quote_total_length(void **state)
{
	uint8_t in[60], out[LNS_ICMP4_ERR_MAX];

	(void)state;
	memset(in, 0xee, sizeof(in));
	memcpy(in, orig4, sizeof(orig4));
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, 0, 0, 1,
					 LNS_CORE, in, sizeof(in)),
			 28 + 40);
	/* only what was captured, when less than the total length */
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, 0, 0, 1,
					 LNS_CORE, orig4, 28),
			 28 + 28);
	assert_memory_equal(out + 28, orig4, 28);
	assert_int_equal(sum16(out + 20, 36, 0), 0xffff);
}

/* An original with IPv4 options: the header is quoted whole, and 8 octets past it. */
static void test_icmp4_quote_options(void **state)
{
	uint8_t in[32], out[LNS_ICMP4_ERR_MAX];

	(void)state;
	memcpy(in, orig4, 20);
	in[0] = 0x46; /* IHL 6: one word of options */
	in[3] = 32;
	memset(in + 20, 0x01, 4); /* NOPs */
	memset(in + 24, 0x77, 8);
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, 0, 0, 1,
					 LNS_CORE, in, sizeof(in)),
			 28 + 32);
	assert_memory_equal(out + 28, in, 32);
	/* an IHL longer than what is there: refused */
	assert_int_equal(lns_icmp4_error(out, sizeof(out), LNS_ICMP_TIME_EXCEEDED, 0, 0, 1,
					 LNS_CORE, in, 23),
			 0);
}

/* Built in place: the original already behind room for the two headers. */
static void test_icmp4_in_place(void **state)
{
	uint8_t buf[28 + sizeof(orig4)], want[28 + sizeof(orig4)];

	(void)state;
	assert_int_equal(lns_icmp4_error(want, sizeof(want), LNS_ICMP_TIME_EXCEEDED, 0, 0, 7,
					 LNS_CORE, orig4, sizeof(orig4)),
			 sizeof(want));
	memcpy(buf + 28, orig4, sizeof(orig4));
	assert_int_equal(lns_icmp4_error(buf, sizeof(buf), LNS_ICMP_TIME_EXCEEDED, 0, 0, 7,
					 LNS_CORE, buf + 28, sizeof(orig4)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_icmp4_not_ipv4(void **state)
{
	uint8_t in[40], out[LNS_ICMP4_ERR_MAX];

	(void)state;
	memcpy(in, orig4, sizeof(in));
	assert_int_equal(lns_icmp4_error(out, sizeof(out), 11, 0, 0, 1, LNS_CORE, in, 19), 0);
	in[0] = 0x65;
	assert_int_equal(lns_icmp4_error(out, sizeof(out), 11, 0, 0, 1, LNS_CORE, in, 40), 0);
	in[0] = 0x44; /* IHL 4 */
	assert_int_equal(lns_icmp4_error(out, sizeof(out), 11, 0, 0, 1, LNS_CORE, in, 40), 0);
}

/* UDP 2001:db8:c::5 -> 2001:db8:100::5, hop limit 1. */
static const uint8_t orig6[52] = {0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x11, 0x01, 0x20, 0x01, 0x0d,
				  0xb8, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				  0x00, 0x05, 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x00,
				  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x13, 0x88, 0x00, 0x35,
				  0x00, 0x0c, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};
static const uint8_t lns6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, [15] = 0x01};

static void test_icmp6_packet_too_big_octets(void **state)
{
	static const uint8_t want[100] = {
		0x60, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00,
		0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01,
		0x0d, 0xb8, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x05, 0x02, 0x00, 0xf8, 0xa4, 0x00, 0x00, 0x05, 0x00, 0x60, 0x00, 0x00, 0x00,
		0x00, 0x0c, 0x11, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0c, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x13, 0x88, 0x00,
		0x35, 0x00, 0x0c, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};
	uint8_t out[LNS_ICMP6_ERR_MAX];

	(void)state;
	assert_int_equal(lns_icmp6_error(out, sizeof(out), LNS_ICMP6_PACKET_TOO_BIG, 0, 1280, lns6,
					 orig6, sizeof(orig6)),
			 sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

/* The ICMPv6 checksum: over the pseudo-header (RFC 8200 8.1) and the message. */
static uint16_t icmp6_sum(const uint8_t *pkt, size_t len)
{
	uint8_t ph[40] = {0};
	uint32_t ulen = (uint32_t)(len - 40);

	memcpy(ph, pkt + 8, 32);
	ph[32] = (uint8_t)(ulen >> 24);
	ph[33] = (uint8_t)(ulen >> 16);
	ph[34] = (uint8_t)(ulen >> 8);
	ph[35] = (uint8_t)ulen;
	ph[39] = 58;
	return sum16(pkt + 40, len - 40, sum16(ph, 40, 0));
}

static void test_icmp6_quote_limit(void **state)
{
	static uint8_t big[1500], out[LNS_ICMP6_ERR_MAX];
	size_t n;

	(void)state;
	memcpy(big, orig6, 40);
	big[4] = (1500 - 40) >> 8;
	big[5] = (1500 - 40) & 0xff;
	for (size_t i = 40; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	n = lns_icmp6_error(out, sizeof(out), LNS_ICMP6_TIME_EXCEEDED, LNS_ICMP6_EXC_HOPLIMIT, 0,
			    lns6, big, sizeof(big));
	assert_int_equal(n, 1280);
	assert_int_equal(be16(out + 4), 1280 - 40);
	assert_int_equal(out[40], LNS_ICMP6_TIME_EXCEEDED);
	assert_memory_equal(out + 44, "\0\0\0\0", 4);
	assert_memory_equal(out + 48, big, 1232);
	assert_memory_equal(out + 24, big + 8, 16); /* to the original's source */
	assert_int_equal(icmp6_sum(out, n), 0xffff);
	/* the payload length ends the quote; not IPv6: nothing */
	assert_int_equal(lns_icmp6_error(out, sizeof(out), 3, 0, 0, lns6, orig6, sizeof(orig6) - 1),
			 48 + sizeof(orig6) - 1);
	assert_int_equal(lns_icmp6_error(out, sizeof(out), 3, 0, 0, lns6, orig4, sizeof(orig4)), 0);
	assert_int_equal(lns_icmp6_error(out, 100, 3, 0, 0, lns6, big, sizeof(big)), 0);
}

/* ------------------------------------------------- never-answer rules */

/* orig4 with some octets changed (offset, value pairs). */
static bool may4(size_t len, int n, ...)
{
	uint8_t p[64];
	va_list ap;

	memset(p, 0, sizeof(p));
	memcpy(p, orig4, sizeof(orig4));
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int off = va_arg(ap, int);

		p[off] = (uint8_t)va_arg(ap, int);
	}
	va_end(ap);
	return lns_icmp4_may_answer(p, len);
}

static void test_rules4(void **state)
{
	(void)state;
	assert_true(may4(40, 0));
	/* malformed: short, not version 4, IHL below 5 or beyond the octets */
	assert_false(may4(19, 0));
	assert_false(may4(40, 1, 0, 0x65));
	assert_false(may4(40, 1, 0, 0x44));
	assert_false(may4(40, 1, 0, 0x4f));
	/* fragments: the first (MF, offset 0) is answered, no other */
	assert_true(may4(40, 1, 6, 0x20));
	assert_false(may4(40, 2, 6, 0x20, 7, 0x01));
	assert_false(may4(40, 1, 6, 0x01));
	assert_false(may4(40, 1, 7, 0xb9)); /* the last fragment */
	assert_true(may4(40, 1, 6, 0x40));  /* DF alone */
	/* sources that are not one host */
	assert_false(may4(40, 1, 12, 0));
	assert_false(may4(40, 1, 12, 127));
	assert_false(may4(40, 1, 12, 224));
	assert_false(may4(40, 1, 12, 240));
	assert_false(may4(40, 4, 12, 255, 13, 255, 14, 255, 15, 255));
	/* multicast and broadcast destinations */
	assert_false(may4(40, 1, 16, 224));
	assert_false(may4(40, 1, 16, 239));
	assert_false(may4(40, 4, 16, 255, 17, 255, 18, 255, 19, 255));
	assert_true(may4(40, 1, 16, 223));
	/* ICMP: queries yes, errors and the unknown no, a missing type no */
	for (int t = 0; t < 256; t++) {
		bool query = t == 0 || t == 8 || (t >= 9 && t <= 10) || (t >= 13 && t <= 18);

		assert_int_equal(may4(40, 2, 9, 1, 20, t), query);
	}
	assert_false(may4(20, 1, 9, 1));
	assert_true(may4(21, 2, 9, 1, 20, 8));
	/* a later fragment of an ICMP error is not looked into: not answered anyway */
	assert_false(may4(40, 3, 9, 1, 7, 1, 20, 8));
}

/* An IPv6 packet: 40-octet header (src, dst given), then CHAIN octets, next header NH. */
static bool may6(const uint8_t *src, const uint8_t *dst, uint8_t nh, const uint8_t *chain,
		 size_t clen, size_t len, uint8_t type)
{
	uint8_t p[256];

	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	p[6] = nh;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	memcpy(p + 40, chain, clen);
	return lns_icmp6_may_answer(p, len, type);
}

static void test_rules6(void **state)
{
	static const uint8_t host[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 5};
	static const uint8_t other[16] = {0x20, 0x01, 0x0d, 0xb8, 1, [15] = 5};
	static const uint8_t unspec[16] = {0}, loop[16] = {[15] = 1};
	static const uint8_t mcast[16] = {0xff, 0x02, [15] = 1};
	const uint8_t udp[8] = {0};
	const uint8_t echo[4] = {128, 0, 0, 0}, unreach[4] = {1, 4, 0, 0}, ptb[4] = {2, 0};
	/* hop-by-hop (8 octets) then ICMPv6 */
	const uint8_t hbh_icmp[12] = {58, 0, 1, 4, 0, 0, 0, 0, 1, 0, 0, 0};
	const uint8_t hbh_echo[12] = {58, 0, 1, 4, 0, 0, 0, 0, 128, 0, 0, 0};
	/* fragment header: next UDP, offset 0 with M; offset 185 */
	const uint8_t frag_first[16] = {17, 0, 0x00, 0x01, 0, 0, 0, 1};
	const uint8_t frag_later[16] = {17, 0, 0x05, 0xc8, 0, 0, 0, 1};
	/* AH (payload length 4: (4 + 2) * 4 = 24 octets) then ICMPv6 error */
	uint8_t ah_icmp[28] = {58, 4};
	uint8_t many[17 * 8];
	const uint8_t T = LNS_ICMP6_TIME_EXCEEDED, P = LNS_ICMP6_PACKET_TOO_BIG;

	(void)state;
	ah_icmp[24] = 3;
	assert_true(may6(host, other, 17, udp, 8, 48, T));
	assert_true(may6(host, other, 58, echo, 4, 44, T));
	assert_false(may6(host, other, 58, unreach, 4, 44, T));
	assert_false(may6(host, other, 58, ptb, 4, 44, P));
	assert_false(may6(host, other, 58, echo, 4, 40, T)); /* the type is not there */
	assert_false(may6(host, other, 0, hbh_icmp, 12, 52, T));
	assert_true(may6(host, other, 0, hbh_echo, 12, 52, T));
	assert_false(may6(host, other, 0, hbh_echo, 12, 47, T)); /* chain cut short */
	assert_true(may6(host, other, 44, frag_first, 16, 56, T));
	assert_false(may6(host, other, 44, frag_later, 16, 56, T));
	assert_false(may6(host, other, 51, ah_icmp, 28, 68, T));
	assert_true(may6(host, other, 59, udp, 0, 40, T)); /* no next header */
	/* sources and destinations */
	assert_false(may6(unspec, other, 17, udp, 8, 48, T));
	assert_false(may6(loop, other, 17, udp, 8, 48, T));
	assert_false(may6(mcast, other, 17, udp, 8, 48, T));
	assert_false(may6(host, mcast, 17, udp, 8, 48, T));
	assert_true(may6(host, mcast, 17, udp, 8, 48, P)); /* RFC 4443 2.4 (e.2) */
	/* not IPv6; too short */
	assert_false(may6(host, other, 17, udp, 8, 39, T));
	{
		uint8_t p[48] = {0x40};

		assert_false(lns_icmp6_may_answer(p, sizeof(p), T));
	}
	/* 16 destination options headers are walked, a 17th is not */
	memset(many, 0, sizeof(many));
	for (int i = 0; i < 17; i++)
		many[i * 8] = 60;
	many[15 * 8] = 17;
	assert_true(may6(host, other, 60, many, 16 * 8, 40 + 16 * 8 + 8, T));
	many[15 * 8] = 60;
	many[16 * 8] = 17;
	assert_false(may6(host, other, 60, many, 17 * 8, 40 + 17 * 8 + 8, T));
}

/* ------------------------------------------------------- token bucket */

static void test_token_bucket(void **state)
{
	struct lns_tb tb;
	int n;

	(void)state;
	/* 10 a second on a 1000 Hz clock, a burst of 10, full at t = 5 */
	lns_tb_init(&tb, 10, 10, 1000, 5);
	for (n = 0; lns_tb_take(&tb, 5); n++)
		;
	assert_int_equal(n, 10);
	assert_false(lns_tb_take(&tb, 104)); /* 99 ms: 0.99 of a token */
	assert_true(lns_tb_take(&tb, 105));  /* 100 ms: one */
	assert_false(lns_tb_take(&tb, 105));
	/* the fraction is kept: 50 ms + 50 ms make one */
	assert_false(lns_tb_take(&tb, 155));
	assert_true(lns_tb_take(&tb, 205));
	/* a long pause fills it to the burst, no more */
	for (n = 0; lns_tb_take(&tb, 100000); n++)
		;
	assert_int_equal(n, 10);
	/* a clock that goes back gives nothing and breaks nothing */
	assert_false(lns_tb_take(&tb, 50));
	assert_true(lns_tb_take(&tb, 100100));
	/* a gap as long as the clock allows: no overflow, just full */
	for (n = 0; lns_tb_take(&tb, UINT64_MAX); n++)
		;
	assert_int_equal(n, 10);
	/* 0 a second: never */
	lns_tb_init(&tb, 0, 10, 1000, 0);
	assert_false(lns_tb_take(&tb, 0));
	assert_false(lns_tb_take(&tb, 1000000));
	/* a burst of 0 is a burst of 1; a TSC-like clock */
	lns_tb_init(&tb, 100, 0, 2500000000ull, 1ull << 40);
	assert_true(lns_tb_take(&tb, 1ull << 40));
	assert_false(lns_tb_take(&tb, (1ull << 40) + 24999999));
	assert_true(lns_tb_take(&tb, (1ull << 40) + 25000000));
	/* a high rate */
	lns_tb_init(&tb, 1000000, 1000000, 2500000000ull, 0);
	for (n = 0; lns_tb_take(&tb, 0); n++)
		;
	assert_int_equal(n, 1000000);
	assert_true(lns_tb_take(&tb, 2500));
	assert_false(lns_tb_take(&tb, 2500));
}

/* ----------------------------------------------------------- MSS clamp */

/* A TCP header with these options into t (doff from the options' length); its length. */
static uint32_t tcp_hdr(uint8_t *t, const uint8_t *opt, size_t olen)
{
	size_t doff = 20 + ((olen + 3) & ~(size_t)3);

	memset(t, 0, 60);
	t[0] = 0xc3; /* ports 50000 -> 443 */
	t[1] = 0x50;
	t[2] = 0x01;
	t[3] = 0xbb;
	t[4] = 0x11; /* sequence number */
	t[5] = 0x22;
	t[6] = 0x33;
	t[7] = 0x44;
	t[12] = (uint8_t)(doff / 4 << 4);
	t[13] = LNS_TCP_FLAG_SYN;
	t[14] = 0xfa; /* window */
	t[15] = 0xf0;
	if (olen)
		memcpy(t + 20, opt, olen);
	return (uint32_t)doff;
}

/* Checksum over a pseudo-header (10.0.0.1 -> 10.0.0.2) and the segment, set in place. */
static void tcp_csum_set(uint8_t *t, uint32_t len)
{
	const uint8_t ph[12] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 6, (uint8_t)(len >> 8), (uint8_t)len};
	uint16_t c;

	t[16] = t[17] = 0;
	c = (uint16_t)~sum16(t, len, sum16(ph, 12, 0));
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
}

/* Clamp to MAX; expect RC, the MSS at OFF to become WANT, the checksum to be a full one's. */
static void clamp_check(const uint8_t *opt, size_t olen, uint16_t max, int rc, size_t off,
			uint16_t want)
{
	uint8_t t[80], ref[80];
	uint32_t len = tcp_hdr(t, opt, olen) + 7;

	memset(t + len - 7, 0x5a, 7); /* some payload, an odd length of it */
	tcp_csum_set(t, len);
	memcpy(ref, t, len);
	assert_int_equal(lns_mss_clamp(t, len, max), rc);
	if (off)
		assert_int_equal(be16(t + off), want);
	/* a full recomputation over what is there now gives the checksum written */
	memcpy(ref, t, len);
	tcp_csum_set(ref, len);
	assert_memory_equal(ref, t, len);
}

static void test_mss_clamp(void **state)
{
	const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};
	const uint8_t linux_syn[] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 1,
		2, 3, 0,    0,    0, 0, 1, 3,  3, 7};         /* MSS, SACK-OK, TS, NOP, WS */
	const uint8_t odd[] = {1, 2, 4, 0x23, 0x28, 1, 1, 1}; /* NOP, MSS 9000: at offset 23 */
	const uint8_t two[] = {2, 4, 0x05, 0xb4, 2, 4, 0x21, 0x00};
	const uint8_t small[] = {2, 4, 0x04, 0x00};
	const uint8_t none[] = {1, 1, 4, 2};
	const uint8_t eol_first[] = {0, 0, 0, 0, 2, 4, 0x05, 0xb4};

	(void)state;
	clamp_check(mss1460, sizeof(mss1460), 1360, 1, 22, 1360);
	clamp_check(linux_syn, sizeof(linux_syn), 1420, 1, 22, 1420);
	clamp_check(odd, sizeof(odd), 1452, 1, 23, 1452);
	clamp_check(odd, sizeof(odd), 0xffff, 0, 23, 9000);
	clamp_check(two, sizeof(two), 1000, 1, 26, 1000);
	clamp_check(small, sizeof(small), 1360, 0, 22, 1024);
	clamp_check(small, sizeof(small), 1024, 0, 22, 1024); /* equal: left */
	clamp_check(none, sizeof(none), 536, 0, 0, 0);
	clamp_check(NULL, 0, 536, 0, 0, 0);
	clamp_check(eol_first, sizeof(eol_first), 536, 0, 26, 1460); /* after EOL: not options */
}

/* Malformed options and headers: -1, the segment as it was (or as clamped before the fault). */
static void test_mss_malformed(void **state)
{
	static const struct {
		uint8_t opt[12];
		size_t olen;
	} bad[] = {
		{{2, 3, 0x05, 0xb4}, 4},        /* MSS of length 3 */
		{{2, 5, 0x05, 0xb4, 0}, 8},     /* MSS of length 5 */
		{{8, 0, 2, 4, 0x05, 0xb4}, 8},  /* length 0: would loop */
		{{8, 1, 2, 4, 0x05, 0xb4}, 8},  /* length 1 */
		{{1, 1, 1, 2}, 4},              /* MSS kind in the last octet: no length */
		{{1, 1, 2, 4, 0x05, 0xb4}, 4},  /* runs past the data offset */
		{{3, 12, 0, 0, 2, 4, 5, 0}, 8}, /* window scale of length 12 */
	};
	uint8_t t[80], ref[80];
	uint32_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = tcp_hdr(t, bad[i].opt, bad[i].olen);
		tcp_csum_set(t, len);
		memcpy(ref, t, len);
		assert_int_equal(lns_mss_clamp(t, len, 536), -1);
		assert_memory_equal(t, ref, len);
	}
	/* data offset below 5, beyond the octets there; fewer than 20 octets */
	len = tcp_hdr(t, NULL, 0);
	t[12] = 0x40;
	assert_int_equal(lns_mss_clamp(t, len, 536), -1);
	t[12] = 0x60;
	assert_int_equal(lns_mss_clamp(t, len, 536), -1);
	t[12] = 0x50;
	assert_int_equal(lns_mss_clamp(t, 19, 536), -1);
	assert_int_equal(lns_mss_clamp(t, 20, 536), 0);
	/* an MSS before the fault is clamped, the checksum still right */
	{
		const uint8_t o[] = {2, 4, 0x05, 0xb4, 8, 0, 0, 0};

		len = tcp_hdr(t, o, sizeof(o));
		tcp_csum_set(t, len);
		assert_int_equal(lns_mss_clamp(t, len, 1000), -1);
		memcpy(ref, t, len);
		tcp_csum_set(ref, len);
		assert_memory_equal(ref, t, len);
	}
}

/* RFC 1624's example values, and the -0 case equation 3 exists for. */
static void test_csum_replace(void **state)
{
	(void)state;
	/* RFC 1624 section 4: HC = 0xdd2f, m 0x5555 -> 0x3285: HC' = 0x0000 */
	assert_int_equal(lns_csum_replace16(0xdd2f, 0x5555, 0x3285), 0x0000);
	/* old == new: unchanged */
	assert_int_equal(lns_csum_replace16(0x1234, 0xabcd, 0xabcd), 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp4_time_exceeded_octets),
		cmocka_unit_test(test_icmp4_frag_needed_octets),
		cmocka_unit_test(test_icmp4_quote_limit),
		cmocka_unit_test(test_icmp4_quote_total_length),
		cmocka_unit_test(test_icmp4_quote_options),
		cmocka_unit_test(test_icmp4_in_place),
		cmocka_unit_test(test_icmp4_not_ipv4),
		cmocka_unit_test(test_icmp6_packet_too_big_octets),
		cmocka_unit_test(test_icmp6_quote_limit),
		cmocka_unit_test(test_rules4),
		cmocka_unit_test(test_rules6),
		cmocka_unit_test(test_token_bucket),
		cmocka_unit_test(test_mss_clamp),
		cmocka_unit_test(test_mss_malformed),
		cmocka_unit_test(test_csum_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
