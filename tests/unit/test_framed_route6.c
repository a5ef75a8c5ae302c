/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Framed-IPv6-Route text parser (cp/framed_route6.c, RFC 3162 2.5): the
 * forms RADIUS servers send taken, with their host bits cleared; every other
 * text refused with the reason the log gives; the buffer never read past its
 * length (values are not NUL-terminated).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "cp/framed_route6.h"

#define SYNTAX  "not \"PREFIX[/LENGTH] [:: [METRIC...]]\""
#define LENGTH  "the prefix length is not 1..128"
#define GATEWAY "the gateway is not ::"
#define METRIC  "a metric is not a number up to 4294967295"
#define RESERVD "it holds or lies in link-local, multicast, :: or ::1"

/* TEXT parsed from a heap copy of exactly its length (ASan sees a read past it). */
static int parse(const char *text, size_t len, struct framed_route6 *r, const char **why)
{
	char *copy = test_malloc(len ? len : 1);
	int ret;

	memcpy(copy, text, len);
	ret = framed_route6_parse(copy, len, r, why);
	test_free(copy);
	return ret;
}

static void test_accepted(void **state)
{
	static const struct {
		const char *text, *prefix;
		unsigned plen;
	} c[] = {
		{"2001:db8:100::/56 :: 1", "2001:db8:100::", 56},
		{"2001:db8:100::/56", "2001:db8:100::", 56},
		{"2001:db8:100::/56 ::", "2001:db8:100::", 56},
		{"2001:db8:100::/56 0:0::0 1 2 4294967295", "2001:db8:100::", 56},
		{"2001:db8:100::/56 :: 0", "2001:db8:100::", 56},
		{"2001:db8::1", "2001:db8::1", 128}, /* no length: a host */
		{"2001:db8::1/128 :: 1", "2001:db8::1", 128},
		{"2001:db8:100:ff::1/56 :: 1", "2001:db8:100::", 56}, /* host bits cleared */
		{"2001:DB8:0:0:0:0:0:0/32", "2001:db8::", 32},
		{"2000::/3", "2000::", 3},
		{"::ffff:192.0.2.0/120", "::ffff:192.0.2.0", 120},
		{"fec0::/10", "fec0::", 10}, /* next to link-local */
		{"fe7f::/16", "fe7f::", 16},
		{"::2/128", "::2", 128}, /* next to ::1 */
		{"feff::/16", "feff::", 16},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct framed_route6 r;
		uint8_t want[16];
		const char *why = NULL;

		memset(&r, 0xaa, sizeof(r));
		if (parse(c[i].text, strlen(c[i].text), &r, &why) != 0)
			fail_msg("\"%s\" refused: %s", c[i].text, why);
		assert_int_equal(inet_pton(AF_INET6, c[i].prefix, want), 1);
		if (memcmp(r.prefix, want, 16) != 0 || r.plen != c[i].plen)
			fail_msg("\"%s\": not %s/%u", c[i].text, c[i].prefix, c[i].plen);
		assert_false(r.routed);
		assert_string_equal(why, "");
	}
}

static void test_refused(void **state)
{
	static const struct {
		const char *text, *why;
	} c[] = {
		{"", SYNTAX},
		{" ", SYNTAX},
		{"2001:db8::/56 ", SYNTAX},
		{" 2001:db8::/56", SYNTAX},
		{"2001:db8::/56  :: 1", SYNTAX},
		{"2001:db8::/56\t:: 1", SYNTAX},
		{"2001:db8::/56 :: 1 ", SYNTAX},
		{"2001:db8::/", LENGTH},
		{"2001:db8::/0", LENGTH},
		{"2001:db8::/129", LENGTH},
		{"2001:db8::/056", LENGTH},
		{"2001:db8::/+56", SYNTAX},
		{"2001:db8::/-1", SYNTAX},
		{"2001:db8::/1000", LENGTH},
		{"2001:db8::/56/1", LENGTH},
		{"2001:db8::/5a", LENGTH},
		{"2001:db8::/56 :: 1x", SYNTAX},
		{"2001:db8::/56 :: -1", SYNTAX},
		{"2001:db8::/56 :: 1a", METRIC},
		{"2001:db8::/56 :: 1.5", METRIC},
		{"2001:db8::/56 :: ::", METRIC},
		{"2001:db8::/56 :: 01", METRIC},
		{"2001:db8::/56 :: 4294967296", METRIC},
		{"2001:db8::/56 :: 1 99999999999", METRIC},
		{"2001:db8::/56 2001:db8::1 1", GATEWAY},
		{"2001:db8::/56 fe80::1 1", GATEWAY},
		{"2001:db8::/56 0.0.0.0 1", GATEWAY},
		{"2001:db8::/56 ::/0 1", GATEWAY},
		{"2001:db8::/56 1", GATEWAY},
		{"192.0.2.0/24", SYNTAX},
		{"192.0.2.0/24 0.0.0.0 1", SYNTAX},
		{"2001:db8::g/56", SYNTAX},
		{"2001:db8:::/56", SYNTAX},
		{"2001:db8::%eth0/56", SYNTAX},
		{"[2001:db8::]/56", SYNTAX},
		{"/56", SYNTAX},
		{"fe80::/10", RESERVD},
		{"fe80::/64 :: 1", RESERVD},
		{"febf:ffff::/32", RESERVD},
		{"fe00::/7", RESERVD}, /* holds fe80::/10 */
		{"ff02::1/128", RESERVD},
		{"ff00::/8", RESERVD},
		{"8000::/1", RESERVD}, /* holds both */
		{"::/128", RESERVD},
		{"::1", RESERVD},
		{"::/96", RESERVD},
		{"::/1", RESERVD},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct framed_route6 r;
		const char *why = NULL;

		if (parse(c[i].text, strlen(c[i].text), &r, &why) != -EINVAL)
			fail_msg("\"%s\" accepted", c[i].text);
		if (why == NULL || strcmp(why, c[i].why) != 0)
			fail_msg("\"%s\": \"%s\", expected \"%s\"", c[i].text, why ? why : "(null)",
				 c[i].why);
	}
}

/* A NUL inside; 253 octets (a RADIUS value's most) and 254; only LEN octets read. */
static void test_lengths(void **state)
{
	static const char nul[] = "2001:db8::/56\0 :: 1";
	char big[300];
	struct framed_route6 r;
	const char *why;
	size_t n;

	(void)state;
	assert_int_equal(parse(nul, sizeof(nul) - 1, &r, &why), -EINVAL);
	assert_string_equal(why, SYNTAX);
	/* "2001:db8::/56 :: 10" and 117 metrics " 1": 253 octets */
	n = (size_t)snprintf(big, sizeof(big), "2001:db8::/56 :: 10");
	for (int i = 0; i < 117; i++, n += 2)
		memcpy(big + n, " 1", 2);
	assert_int_equal(n, 253);
	assert_int_equal(parse(big, n, &r, &why), 0);
	assert_int_equal(r.plen, 56);
	/* one metric " 1" more, the " 10" made " 1": 254 */
	n = (size_t)snprintf(big, sizeof(big), "2001:db8::/56 ::");
	for (int i = 0; i < 119; i++, n += 2)
		memcpy(big + n, " 1", 2);
	assert_int_equal(n, 254);
	assert_int_equal(parse(big, n, &r, &why), -EINVAL);
	assert_string_equal(why, SYNTAX);
	assert_int_equal(parse(big, n - 2, &r, &why), 0);
	/* only the given length is read: what follows it is not looked at */
	memcpy(big, "2001:db8::/48 :: 1", 18);
	big[18] = 'x';
	assert_int_equal(parse(big, 18, &r, &why), 0);
	assert_int_equal(r.plen, 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
