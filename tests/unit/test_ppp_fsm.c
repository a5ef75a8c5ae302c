/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the RFC 1661 automaton (cp/ppp_fsm.c): table, negotiation, timers, rejects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp/ppp_fsm.h"

/* One end of a link: what it sent, what its callbacks saw. */
struct end {
	struct ppp_fsm f;
	struct end *peer; /* when set, sent packets are delivered to it at once */
	unsigned ups, downs, starteds, finisheds;
	unsigned sent[12]; /* by code */
	uint8_t last[PPP_MAX_PKT];
	size_t last_len;
	int reqci_answer; /* PPP_CONF_ACK (default), NAK or REJ */
	bool last_reject_only;
	uint64_t now;
	/* packets on their way to the peer, delivered by pump() */
	uint8_t q[8][PPP_MAX_PKT];
	size_t q_len[8];
	unsigned n_q;
};

/* Deliver what both ends have sent, in turns, until the link is quiet. */
static void pump(struct end *a, struct end *b, uint64_t now)
{
	while (a->n_q || b->n_q) {
		struct end *from = a->n_q ? a : b, *to = from->peer;
		uint8_t pkt[PPP_MAX_PKT];
		size_t len = from->q_len[0];

		memcpy(pkt, from->q[0], len);
		from->n_q--;
		memmove(from->q, from->q + 1, from->n_q * sizeof(from->q[0]));
		memmove(from->q_len, from->q_len + 1, from->n_q * sizeof(from->q_len[0]));
		ppp_fsm_input(&to->f, pkt, len, now);
	}
}

static size_t addci(void *ctx, uint8_t *buf, size_t cap)
{
	(void)ctx;
	assert_true(cap >= 6);
	buf[0] = 5; /* LCP Magic-Number, any value */
	buf[1] = 6;
	memset(buf + 2, 0x11, 4);
	return 6;
}

static int ok(void *ctx, const uint8_t *opt, size_t len)
{
	(void)ctx;
	(void)opt;
	(void)len;
	return 0;
}

static int reqci(void *ctx, const uint8_t *opt, size_t len, uint8_t *out, size_t *out_len,
		 bool reject_only)
{
	struct end *e = ctx;
	int a = e->reqci_answer ? e->reqci_answer : PPP_CONF_ACK;

	e->last_reject_only = reject_only;
	if (a == PPP_CONF_NAK && reject_only)
		a = PPP_CONF_REJ;
	memcpy(out, opt, len);
	*out_len = len;
	return a;
}

static void up(void *ctx)
{
	((struct end *)ctx)->ups++;
}
static void down(void *ctx)
{
	((struct end *)ctx)->downs++;
}
static void started(void *ctx)
{
	((struct end *)ctx)->starteds++;
}
static void finished(void *ctx)
{
	((struct end *)ctx)->finisheds++;
}

static int extcode(void *ctx, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	(void)ctx;
	(void)code;
	(void)id;
	(void)data;
	(void)len;
	return 0;
}

static void send_cb(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct end *e = ctx;

	assert_int_equal(proto, 0xc021);
	assert_true(len >= 4 && len <= sizeof(e->last));
	assert_int_equal((size_t)(pkt[2] << 8 | pkt[3]), len);
	if (pkt[0] < 12)
		e->sent[pkt[0]]++;
	memcpy(e->last, pkt, len);
	e->last_len = len;
	if (e->peer) {
		assert_true(e->n_q < 8);
		memcpy(e->q[e->n_q], pkt, len);
		e->q_len[e->n_q++] = len;
	}
}

static const struct ppp_fsm_ops ops = {
	.addci = addci,
	.ackci = ok,
	.nakci = ok,
	.rejci = ok,
	.reqci = reqci,
	.up = up,
	.down = down,
	.started = started,
	.finished = finished,
	.extcode = extcode,
	.send = send_cb,
};

static const struct ppp_fsm_cfg cfg = {
	.restart_ms = 3000, .max_configure = 10, .max_terminate = 2, .max_failure = 5};

static void end_init(struct end *e)
{
	memset(e, 0, sizeof(*e));
	ppp_fsm_init(&e->f, 0xc021, "LCP", &cfg, &ops, e);
}

static void table_matches_rfc1661(void **state)
{
	(void)state;
	/* A few cells of section 4.1, including the crossed-connection ones. */
	assert_int_equal(ppp_fsm_table[PPP_STARTING][PPP_EV_UP].actions, PPP_A_IRC | PPP_A_SCR);
	assert_int_equal(ppp_fsm_table[PPP_STARTING][PPP_EV_UP].next, PPP_REQ_SENT);
	assert_int_equal(ppp_fsm_table[PPP_ACK_RCVD][PPP_EV_RCR_PLUS].actions,
			 PPP_A_SCA | PPP_A_TLU);
	assert_int_equal(ppp_fsm_table[PPP_ACK_RCVD][PPP_EV_RCR_PLUS].next, PPP_OPENED);
	assert_int_equal(ppp_fsm_table[PPP_OPENED][PPP_EV_RTR].actions,
			 PPP_A_TLD | PPP_A_ZRC | PPP_A_STA);
	assert_int_equal(ppp_fsm_table[PPP_OPENED][PPP_EV_RTR].next, PPP_STOPPING);
	assert_int_equal(ppp_fsm_table[PPP_STOPPED][PPP_EV_RCR_MINUS].actions,
			 PPP_A_IRC | PPP_A_SCR | PPP_A_SCN);
	assert_int_equal(ppp_fsm_table[PPP_ACK_SENT][PPP_EV_RCA].next, PPP_OPENED);
	assert_int_equal(ppp_fsm_table[PPP_OPENED][PPP_EV_RXJ_MINUS].next, PPP_STOPPING);
	assert_int_equal(ppp_fsm_table[PPP_REQ_SENT][PPP_EV_TO_MINUS].next, PPP_STOPPED);
	assert_int_equal(ppp_fsm_table[PPP_INITIAL][PPP_EV_DOWN].next, -1);
	/* Every state handles every packet event somewhere sensible once the link is up. */
	for (int s = PPP_CLOSED; s <= PPP_OPENED; s++)
		for (int e = PPP_EV_RCR_PLUS; e <= PPP_EV_RXR; e++)
			assert_true(ppp_fsm_table[s][e].next >= 0);
}

static void two_ends_reach_opened(void **state)
{
	struct end a, b;

	(void)state;
	end_init(&a);
	end_init(&b);
	a.peer = &b;
	b.peer = &a;
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_open(&b.f, 0);
	assert_int_equal(a.f.state, PPP_STARTING);
	assert_int_equal(a.starteds, 1);
	ppp_fsm_up(&b.f, 0); /* b sends first; a is not up yet and discards it */
	pump(&a, &b, 0);
	ppp_fsm_up(&a.f, 0);
	pump(&a, &b, 0);
	assert_int_equal(a.f.state, PPP_ACK_RCVD); /* b acked a's request */
	assert_int_equal(b.f.state, PPP_ACK_SENT); /* b's first request was lost */
	ppp_fsm_timeout(&b.f, 3000);		   /* b retransmits it */
	pump(&a, &b, 3000);
	assert_int_equal(a.f.state, PPP_OPENED);
	assert_int_equal(b.f.state, PPP_OPENED);
	assert_int_equal(a.ups, 1);
	assert_int_equal(b.ups, 1);
	assert_int_equal(a.f.timer_at, 0);
	/* a closes: Terminate-Request, b acks, a finishes in Closed. */
	ppp_fsm_close(&a.f, "bye", 10);
	pump(&a, &b, 10);
	assert_int_equal(a.downs, 1);
	assert_int_equal(b.downs, 1);
	assert_int_equal(a.f.state, PPP_CLOSED);
	assert_int_equal(a.finisheds, 1);
	assert_int_equal(b.f.state, PPP_STOPPING);
	ppp_fsm_timeout(&b.f, 10 + 3000); /* zrc: b's timer ends its Stopping */
	assert_int_equal(b.f.state, PPP_STOPPED);
	assert_int_equal(b.finisheds, 1);
}

static void silent_peer_gives_up_after_max_configure(void **state)
{
	struct end a;
	uint64_t t = 0;

	(void)state;
	end_init(&a);
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_up(&a.f, 0);
	assert_int_equal(a.sent[PPP_CONF_REQ], 1);
	while (a.f.timer_at) {
		t = a.f.timer_at;
		ppp_fsm_timeout(&a.f, t);
	}
	assert_int_equal(a.sent[PPP_CONF_REQ], cfg.max_configure);
	assert_int_equal(t, (uint64_t)cfg.max_configure * cfg.restart_ms);
	assert_int_equal(a.f.state, PPP_STOPPED);
	assert_int_equal(a.finisheds, 1);
}

static void naks_turn_into_rejects_after_max_failure(void **state)
{
	struct end a;
	uint8_t req[] = {PPP_CONF_REQ, 1, 0, 10, 5, 6, 1, 2, 3, 4};

	(void)state;
	end_init(&a);
	a.reqci_answer = PPP_CONF_NAK;
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_up(&a.f, 0);
	for (unsigned i = 0; i < cfg.max_failure; i++) {
		req[1] = (uint8_t)i;
		ppp_fsm_input(&a.f, req, sizeof(req), 1);
		assert_int_equal(a.last[0], PPP_CONF_NAK);
		assert_int_equal(a.last[1], (uint8_t)i); /* the request's Identifier */
	}
	ppp_fsm_input(&a.f, req, sizeof(req), 1);
	assert_true(a.last_reject_only);
	assert_int_equal(a.last[0], PPP_CONF_REJ);
	assert_int_equal(a.f.state, PPP_REQ_SENT);
}

static void stale_and_short_packets_are_discarded(void **state)
{
	struct end a;
	uint8_t ack[] = {PPP_CONF_ACK, 99, 0, 10, 5, 6, 0x11, 0x11, 0x11, 0x11};
	uint8_t lying[] = {PPP_CONF_REQ, 1, 0, 40, 1, 4};

	(void)state;
	end_init(&a);
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_up(&a.f, 0);
	ppp_fsm_input(&a.f, ack, sizeof(ack), 1); /* Identifier 99 is not ours */
	assert_int_equal(a.f.state, PPP_REQ_SENT);
	ppp_fsm_input(&a.f, lying, sizeof(lying), 1); /* Length beyond the packet */
	ppp_fsm_input(&a.f, lying, 3, 1);
	assert_int_equal(a.f.rx_bad, 3);
	assert_int_equal(a.f.state, PPP_REQ_SENT);
	ack[1] = a.f.id;
	ppp_fsm_input(&a.f, ack, sizeof(ack), 1);
	assert_int_equal(a.f.state, PPP_ACK_RCVD);
}

static void unknown_code_is_code_rejected(void **state)
{
	struct end a;
	uint8_t odd[] = {42, 7, 0, 6, 0xde, 0xad};

	(void)state;
	end_init(&a);
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_up(&a.f, 0);
	ppp_fsm_input(&a.f, odd, sizeof(odd), 1);
	assert_int_equal(a.sent[PPP_CODE_REJ], 1);
	assert_int_equal(a.last[0], PPP_CODE_REJ);
	assert_memory_equal(a.last + 4, odd, sizeof(odd)); /* the rejected packet, whole */
	assert_int_equal(a.f.rx_unknown_code, 1);
}

static void terminate_request_in_opened_acks_and_stops(void **state)
{
	struct end a, b;
	uint8_t trq[] = {PPP_TERM_REQ, 9, 0, 4};

	(void)state;
	end_init(&a);
	end_init(&b);
	a.peer = &b;
	b.peer = &a;
	ppp_fsm_open(&a.f, 0);
	ppp_fsm_open(&b.f, 0);
	ppp_fsm_up(&a.f, 0);
	ppp_fsm_up(&b.f, 0);
	pump(&a, &b, 0);
	assert_int_equal(a.f.state, PPP_OPENED);
	a.peer = NULL;
	ppp_fsm_input(&a.f, trq, sizeof(trq), 5000);
	assert_int_equal(a.last[0], PPP_TERM_ACK);
	assert_int_equal(a.last[1], 9);
	assert_int_equal(a.f.state, PPP_STOPPING);
	assert_int_equal(a.downs, 1);
	ppp_fsm_down(&a.f, 5001);
	assert_int_equal(a.f.state, PPP_STARTING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_matches_rfc1661),
		cmocka_unit_test(two_ends_reach_opened),
		cmocka_unit_test(silent_peer_gives_up_after_max_configure),
		cmocka_unit_test(naks_turn_into_rejects_after_max_failure),
		cmocka_unit_test(stale_and_short_packets_are_discarded),
		cmocka_unit_test(unknown_code_is_code_rejected),
		cmocka_unit_test(terminate_request_in_opened_acks_and_stops),
	};

	return cmocka_run_group_tests_name("ppp_fsm", tests, NULL, NULL);
}
