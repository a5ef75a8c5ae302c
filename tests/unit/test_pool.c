/* SPDX-License-Identifier: BSD-3-Clause */
/* Address pools (cp/pool.c): exhaustion, release, reservation, ranges. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "config/config.h"
#include "cp/pool.h"

static struct lns_pool_range ranges[2];
static struct lns_pool_cfg cfg = {.name = "t", .family = AF_INET, .ranges = ranges, .n_ranges = 2};

static struct in_addr A(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static int setup(void **state)
{
	(void)state;
	memset(ranges, 0, sizeof(ranges));
	ranges[0].first.family = ranges[0].last.family = AF_INET;
	ranges[0].first.v4 = A("100.64.0.1");
	ranges[0].last.v4 = A("100.64.0.3");
	ranges[1].first.family = ranges[1].last.family = AF_INET;
	ranges[1].first.v4 = A("100.65.0.255");
	ranges[1].last.v4 = A("100.65.1.0");
	cfg.size = 5;
	return 0;
}

static void allocates_every_address_once_then_refuses(void **state)
{
	static const char *const want[] = {"100.64.0.1", "100.64.0.2", "100.64.0.3",
					   "100.65.0.255", "100.65.1.0"};
	struct lns_pool p;
	struct in_addr a;

	(void)state;
	assert_int_equal(lns_pool_init(&p, &cfg), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(lns_pool_alloc(&p, &a), 0);
		assert_int_equal(a.s_addr, A(want[i]).s_addr);
	}
	assert_int_equal(lns_pool_alloc(&p, &a), -ENOSPC);
	assert_int_equal(p.exhausted, 1);
	assert_int_equal(p.in_use, 5);
	/* Released addresses come back; double release and strangers are refused. */
	assert_int_equal(lns_pool_release(&p, A("100.64.0.2")), 0);
	assert_int_equal(lns_pool_release(&p, A("100.64.0.2")), -EALREADY);
	assert_int_equal(lns_pool_release(&p, A("192.0.2.1")), -ENOENT);
	assert_int_equal(lns_pool_alloc(&p, &a), 0);
	assert_int_equal(a.s_addr, A("100.64.0.2").s_addr);
	lns_pool_fini(&p);
}

static void reserved_addresses_are_skipped(void **state)
{
	struct lns_pool p;
	struct in_addr a;

	(void)state;
	assert_int_equal(lns_pool_init(&p, &cfg), 0);
	assert_int_equal(lns_pool_reserve(&p, A("100.64.0.1")), 0);
	assert_int_equal(lns_pool_reserve(&p, A("100.64.0.1")), -EEXIST);
	assert_int_equal(lns_pool_reserve(&p, A("100.64.0.9")), -ENOENT);
	assert_int_equal(lns_pool_alloc(&p, &a), 0);
	assert_int_equal(a.s_addr, A("100.64.0.2").s_addr);
	/* Released, then reserved by name: the free stack must not hand it out. */
	assert_int_equal(lns_pool_release(&p, A("100.64.0.2")), 0);
	assert_int_equal(lns_pool_reserve(&p, A("100.64.0.2")), 0);
	assert_int_equal(lns_pool_alloc(&p, &a), 0);
	assert_int_equal(a.s_addr, A("100.64.0.3").s_addr);
	assert_true(lns_pool_contains(&p, A("100.65.1.0")));
	assert_false(lns_pool_contains(&p, A("100.65.1.1")));
	lns_pool_fini(&p);
}

static void churn_keeps_count(void **state)
{
	struct lns_pool p;
	struct in_addr a[5];

	(void)state;
	assert_int_equal(lns_pool_init(&p, &cfg), 0);
	for (int round = 0; round < 1000; round++) {
		for (int i = 0; i < 5; i++)
			assert_int_equal(lns_pool_alloc(&p, &a[i]), 0);
		for (int i = 0; i < 5; i++)
			assert_int_equal(lns_pool_release(&p, a[(i + round) % 5]), 0);
	}
	assert_int_equal(p.in_use, 0);
	assert_true(p.cap_free <= 64);
	lns_pool_fini(&p);
}

static struct in6_addr A6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/*
 * An IPv6 pool of /56s over two ranges (a /55 and one /56): its prefixes in
 * order, then refused; released and reserved by prefix; other lengths and
 * IPv4 calls are not its business.
 */
static void ipv6_prefixes(void **state)
{
	static const char *const want[] = {
		"2001:db8:100::", "2001:db8:100:100::", "2001:db8:300:ff00::"};
	struct lns_pool_range r6[2] = {
		{{.family = AF_INET6, .plen = 128}, {.family = AF_INET6, .plen = 128}},
		{{.family = AF_INET6, .plen = 128}, {.family = AF_INET6, .plen = 128}},
	};
	struct lns_pool_cfg c6 = {.name = "pd",
				  .family = AF_INET6,
				  .ranges = r6,
				  .n_ranges = 2,
				  .size = 3,
				  .prefix_len = 56};
	struct in6_addr a, b;
	struct in_addr v4;
	struct lns_pool p;

	(void)state;
	r6[0].first.v6 = A6("2001:db8:100::");
	r6[0].last.v6 = A6("2001:db8:100:1ff:ffff:ffff:ffff:ffff");
	r6[1].first.v6 = A6("2001:db8:300:ff00::");
	r6[1].last.v6 = A6("2001:db8:300:ffff:ffff:ffff:ffff:ffff");
	assert_int_equal(lns_pool_init(&p, &c6), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(lns_pool_alloc6(&p, &a), 0);
		b = A6(want[i]);
		assert_memory_equal(&a, &b, 16);
	}
	assert_int_equal(lns_pool_alloc6(&p, &a), -ENOSPC);
	assert_int_equal(p.exhausted, 1);
	assert_int_equal(lns_pool_alloc(&p, &v4), -ENOSPC); /* not an IPv4 pool */
	b = A6("2001:db8:100:100::");
	assert_int_equal(lns_pool_release6(&p, &b, 64), -ENOENT); /* a /64 is not its */
	assert_int_equal(lns_pool_release6(&p, &b, 56), 0);
	assert_int_equal(lns_pool_release6(&p, &b, 56), -EALREADY);
	assert_int_equal(lns_pool_reserve6(&p, &b, 56), 0);
	assert_int_equal(lns_pool_reserve6(&p, &b, 56), -EEXIST);
	assert_int_equal(lns_pool_alloc6(&p, &a), -ENOSPC); /* reserved: not handed out */
	assert_int_equal(lns_pool_release6(&p, &b, 56), 0);
	assert_int_equal(lns_pool_alloc6(&p, &a), 0);
	assert_memory_equal(&a, &b, 16);
	b = A6("2001:db8:200::");
	assert_int_equal(lns_pool_reserve6(&p, &b, 56), -ENOENT); /* between the ranges */
	assert_false(lns_pool_contains6(&p, &b));
	b = A6("2001:db8:300:ff42::1");
	assert_true(lns_pool_contains6(&p, &b));
	assert_false(lns_pool_contains(&p, A("100.64.0.1")));
	assert_int_equal(p.in_use, 3);
	lns_pool_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(allocates_every_address_once_then_refuses, setup),
		cmocka_unit_test_setup(reserved_addresses_are_skipped, setup),
		cmocka_unit_test_setup(churn_keeps_count, setup),
		cmocka_unit_test(ipv6_prefixes),
	};

	return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
