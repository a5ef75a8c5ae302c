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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(allocates_every_address_once_then_refuses, setup),
		cmocka_unit_test_setup(reserved_addresses_are_skipped, setup),
		cmocka_unit_test_setup(churn_keeps_count, setup),
	};

	return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
