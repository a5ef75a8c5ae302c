/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A token bucket on any clock: RATE tokens a second, at most BURST saved up.
 * Pure (no EAL): each worker keeps one for the ICMP errors it hands to the
 * control lcore, the control lcore one for those it sends; each is touched by
 * its owner's thread only. The clock is passed in (TSC ticks on lcores, any
 * counter in tests) together with its rate, so tests drive it by hand.
 *
 * Tokens are kept in clock ticks (one token = hz ticks) so that refilling is
 * one multiplication and no fraction is lost, whatever the rate.
 */
#ifndef LNS_DP_RATELIMIT_H
#define LNS_DP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct lns_tb {
	uint64_t hz;    /* clock ticks a second; 0: not set up */
	uint64_t rate;  /* tokens a second; 0: never a token */
	uint64_t cap;   /* burst * hz */
	uint64_t level; /* tokens * hz */
	uint64_t last;  /* clock at the last refill */
};

/* RATE tokens a second, BURST at most (at least 1 when rate > 0), starting full at NOW. */
static inline void lns_tb_init(struct lns_tb *tb, uint64_t rate, uint64_t burst, uint64_t hz,
			       uint64_t now)
{
	tb->hz = hz ? hz : 1;
	tb->rate = rate;
	if (burst == 0)
		burst = 1;
	tb->cap = rate ? burst * tb->hz : 0;
	tb->level = tb->cap;
	tb->last = now;
}

/* One token at NOW: true if there was one. A clock that went back refills nothing. */
static inline bool lns_tb_take(struct lns_tb *tb, uint64_t now)
{
	if (tb->rate == 0)
		return false;
	if (now > tb->last) {
		uint64_t dt = now - tb->last;

		/* Long enough to fill it: full. Otherwise dt * rate is at most
		 * cap - level, so the product cannot overflow however long the gap. */
		if (dt > (tb->cap - tb->level) / tb->rate)
			tb->level = tb->cap;
		else
			tb->level += dt * tb->rate;
		tb->last = now;
	}
	if (tb->level < tb->hz)
		return false;
	tb->level -= tb->hz;
	return true;
}

#endif
