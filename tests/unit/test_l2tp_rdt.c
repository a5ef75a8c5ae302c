/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of L2TP reliable delivery (cp/l2tp_rdt.c): window, acks, order, retransmission. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp/l2tp_rdt.h"

struct wire {
	unsigned n_tx;
	uint16_t tx_ns[64], tx_nr[64], tx_len[64];
	unsigned n_rx;
	uint8_t rx_id[64]; /* byte 12 of each delivered message */
	unsigned failed;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void on_xmit(void *ctx, const uint8_t *msg, size_t len)
{
	struct wire *w = ctx;

	assert_true(w->n_tx < 64);
	w->tx_ns[w->n_tx] = get16(msg + 8);
	w->tx_nr[w->n_tx] = get16(msg + 10);
	w->tx_len[w->n_tx] = (uint16_t)len;
	w->n_tx++;
}

static void on_deliver(void *ctx, const uint8_t *msg, size_t len)
{
	struct wire *w = ctx;

	assert_true(len > 12);
	w->rx_id[w->n_rx++] = msg[12];
}

static void on_failed(void *ctx)
{
	((struct wire *)ctx)->failed++;
}

static const struct l2tp_rdt_ops ops = {on_xmit, on_deliver, on_failed};

static const struct l2tp_rdt_cfg cfg = {
	.our_rws = 4,
	.peer_rws = 4,
	.rtx_initial_ms = 1000,
	.rtx_max_ms = 8000,
	.rtx_count = 5,
	.ack_delay_ms = 100,
};

/* A 20-byte control message whose byte 12 identifies it. */
static const uint8_t *msg(uint8_t id)
{
	static uint8_t m[20];

	memset(m, 0, sizeof(m));
	m[0] = 0xc8;
	m[1] = 0x02;
	m[3] = sizeof(m);
	m[12] = id;
	return m;
}

static void slow_start_opens_window(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	for (uint8_t i = 0; i < 4; i++)
		assert_int_equal(l2tp_rdt_send(&r, msg(i), 20, 0), 0);
	/* cwnd starts at 1: one message on the wire. */
	assert_int_equal(w.n_tx, 1);
	assert_int_equal(w.tx_ns[0], 0);
	/* Ack of Ns 0 (Nr 1): cwnd 2, two more go out. */
	l2tp_rdt_input(&r, 0, 1, NULL, 12, true, 10);
	assert_int_equal(w.n_tx, 3);
	assert_int_equal(w.tx_ns[1], 1);
	assert_int_equal(w.tx_ns[2], 2);
	/* Ack of both: cwnd 4, the last goes out; then all acknowledged. */
	l2tp_rdt_input(&r, 0, 3, NULL, 12, true, 20);
	assert_int_equal(w.n_tx, 4);
	l2tp_rdt_input(&r, 0, 4, NULL, 12, true, 30);
	assert_true(l2tp_rdt_idle(&r));
	assert_int_equal(l2tp_rdt_next_event(&r), 0);
	l2tp_rdt_fini(&r);
}

static void peer_window_limits_flight(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};
	struct l2tp_rdt_cfg c = cfg;

	(void)state;
	c.peer_rws = 2;
	l2tp_rdt_init(&r, &c, &ops, &w);
	r.cwnd = 8; /* even with a large cwnd, the peer's window rules */
	for (uint8_t i = 0; i < 5; i++)
		l2tp_rdt_send(&r, msg(i), 20, 0);
	assert_int_equal(w.n_tx, 2);
	l2tp_rdt_fini(&r);
}

static void retransmits_with_backoff_then_fails(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};
	const uint64_t expect[] = {1000, 3000, 7000, 15000, 23000};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_send(&r, msg(7), 20, 0);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(l2tp_rdt_next_event(&r), expect[i]);
		l2tp_rdt_tick(&r, expect[i] - 1);
		assert_int_equal(w.n_tx, 1 + i); /* not early */
		l2tp_rdt_tick(&r, expect[i]);
		assert_int_equal(w.n_tx, 2 + i);
		assert_int_equal(w.tx_ns[1 + i], 0); /* the same message again */
	}
	assert_int_equal(r.st.rtx, 5);
	assert_int_equal(w.failed, 0);
	l2tp_rdt_tick(&r, 31000);
	assert_int_equal(w.failed, 1);
	assert_int_equal(l2tp_rdt_send(&r, msg(8), 20, 31000), -ENOTCONN);
	l2tp_rdt_fini(&r);
}

static void retransmission_carries_current_nr(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_send(&r, msg(1), 20, 0);
	assert_int_equal(w.tx_nr[0], 0);
	/* The peer's message Ns 0, which does not ack ours (Nr 0). */
	l2tp_rdt_input(&r, 0, 0, msg(9), 20, false, 50);
	assert_int_equal(w.n_rx, 1);
	l2tp_rdt_tick(&r, 1000);
	assert_int_equal(w.n_tx, 2);
	assert_int_equal(w.tx_nr[1], 1);
	/* ...and it served as the ack: no ZLB follows. */
	l2tp_rdt_tick(&r, 1200);
	assert_int_equal(w.n_tx, 2);
	l2tp_rdt_fini(&r);
}

static void delayed_ack_then_zlb(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_input(&r, 0, 0, msg(1), 20, false, 0);
	assert_int_equal(w.n_rx, 1);
	assert_int_equal(w.n_tx, 0);
	assert_int_equal(l2tp_rdt_next_event(&r), 100);
	l2tp_rdt_tick(&r, 100);
	assert_int_equal(w.n_tx, 1);
	assert_int_equal(w.tx_len[0], 12); /* a ZLB */
	assert_int_equal(w.tx_ns[0], 0);
	assert_int_equal(w.tx_nr[0], 1);
	assert_true(l2tp_rdt_idle(&r));
	l2tp_rdt_fini(&r);
}

static void ack_now_sends_zlb_at_once(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_ack_now(&r); /* nothing owed: nothing sent */
	assert_int_equal(w.n_tx, 0);
	l2tp_rdt_input(&r, 0, 0, msg(1), 20, false, 0);
	l2tp_rdt_ack_now(&r);
	assert_int_equal(w.n_tx, 1);
	assert_int_equal(w.tx_len[0], 12);
	assert_int_equal(w.tx_nr[0], 1);
	assert_int_equal(l2tp_rdt_next_event(&r), 0); /* the delayed ack is gone */
	l2tp_rdt_fini(&r);
}

static void reply_piggybacks_ack(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_input(&r, 0, 0, msg(1), 20, false, 0);
	l2tp_rdt_send(&r, msg(2), 20, 10);
	assert_int_equal(w.n_tx, 1);
	assert_int_equal(w.tx_nr[0], 1);
	l2tp_rdt_tick(&r, 500);
	assert_int_equal(w.n_tx, 1); /* no ZLB */
	l2tp_rdt_fini(&r);
}

static void duplicate_is_reacknowledged(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_input(&r, 0, 0, msg(1), 20, false, 0);
	l2tp_rdt_input(&r, 0, 0, msg(1), 20, false, 10);
	assert_int_equal(w.n_rx, 1); /* delivered once */
	assert_int_equal(r.st.rx_dup, 1);
	assert_int_equal(w.n_tx, 1);
	assert_int_equal(w.tx_len[0], 12);
	assert_int_equal(w.tx_nr[0], 1);
	l2tp_rdt_fini(&r);
}

static void out_of_order_held_and_delivered_in_order(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	l2tp_rdt_input(&r, 2, 0, msg(12), 20, false, 0);
	l2tp_rdt_input(&r, 1, 0, msg(11), 20, false, 0);
	assert_int_equal(w.n_rx, 0);
	assert_int_equal(r.st.rx_ooo, 2);
	/* Beyond our window of 4 (Ns 0..3): discarded. */
	l2tp_rdt_input(&r, 4, 0, msg(14), 20, false, 0);
	assert_int_equal(r.st.rx_outside, 1);
	l2tp_rdt_input(&r, 0, 0, msg(10), 20, false, 0);
	assert_int_equal(w.n_rx, 3);
	assert_int_equal(w.rx_id[0], 10);
	assert_int_equal(w.rx_id[1], 11);
	assert_int_equal(w.rx_id[2], 12);
	assert_int_equal(r.nr, 3);
	l2tp_rdt_fini(&r);
}

static void sequence_wraps(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};

	(void)state;
	assert_true(l2tp_seq_lt(65535, 0));
	assert_false(l2tp_seq_lt(0, 65535));
	l2tp_rdt_init(&r, &cfg, &ops, &w);
	r.ns = 65535;
	r.nr = 65535;
	l2tp_rdt_send(&r, msg(1), 20, 0);
	l2tp_rdt_input(&r, 65535, 0, msg(2), 20, false, 0); /* acks Ns 65535 */
	assert_int_equal(w.n_rx, 1);
	assert_int_equal(r.nr, 0);
	assert_int_equal(r.q_len, 0);
	l2tp_rdt_send(&r, msg(3), 20, 1);
	assert_int_equal(w.tx_ns[w.n_tx - 1], 0);
	l2tp_rdt_fini(&r);
}

static void timeout_halves_ssthresh(void **state)
{
	struct l2tp_rdt r;
	struct wire w = {0};
	struct l2tp_rdt_cfg c = cfg;

	(void)state;
	c.peer_rws = 8;
	l2tp_rdt_init(&r, &c, &ops, &w);
	r.cwnd = 6;
	for (uint8_t i = 0; i < 6; i++)
		l2tp_rdt_send(&r, msg(i), 20, 0);
	l2tp_rdt_tick(&r, 1000);
	assert_int_equal(r.cwnd, 1);
	assert_int_equal(r.ssthresh, 3);
	l2tp_rdt_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slow_start_opens_window),
		cmocka_unit_test(peer_window_limits_flight),
		cmocka_unit_test(retransmits_with_backoff_then_fails),
		cmocka_unit_test(retransmission_carries_current_nr),
		cmocka_unit_test(delayed_ack_then_zlb),
		cmocka_unit_test(ack_now_sends_zlb_at_once),
		cmocka_unit_test(reply_piggybacks_ack),
		cmocka_unit_test(duplicate_is_reacknowledged),
		cmocka_unit_test(out_of_order_held_and_delivered_in_order),
		cmocka_unit_test(sequence_wraps),
		cmocka_unit_test(timeout_halves_ssthresh),
	};

	return cmocka_run_group_tests_name("l2tp_rdt", tests, NULL, NULL);
}
