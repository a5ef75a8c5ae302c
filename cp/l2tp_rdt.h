/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reliable delivery of L2TP control messages (RFC 2661 section 5.8 and
 * Appendix A), one instance per control connection. Pure C, no DPDK: time is
 * passed in, sending and delivery go through callbacks, so the window logic is
 * tested on its own (tests/unit/test_l2tp_rdt.c). Main lcore only.
 *
 * Messages handed to l2tp_rdt_send() are whole control messages with a header
 * that has L and S set (Ns at offset 8, Nr at offset 10); this module assigns
 * Ns, keeps Nr current on every (re)transmission, and sends ZLB acks.
 */
#ifndef LNS_L2TP_RDT_H
#define LNS_L2TP_RDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L2TP_RDT_MAX_WINDOW 64 /* most messages in flight or held, each way */
#define L2TP_RDT_MAX_QUEUE 256 /* messages accepted but not yet acknowledged */
#define L2TP_RDT_MSG_LEN_MAX 1500      /* largest control message we send or hold */

struct l2tp_rdt_ops {
	/* Put one message on the wire (a copy is kept for retransmission). */
	void (*xmit)(void *ctx, const uint8_t *msg, size_t len);
	/* One in-order message from the peer (never a ZLB, never a duplicate). */
	void (*deliver)(void *ctx, const uint8_t *msg, size_t len);
	/* Retransmissions exhausted: the peer is gone; clear the connection. */
	void (*failed)(void *ctx);
};

struct l2tp_rdt_cfg {
	unsigned our_rws;     /* our Receive Window Size: held out-of-order messages */
	unsigned peer_rws;    /* the peer's, from its SCCRQ/SCCRP (4 when absent) */
	unsigned rtx_initial_ms;
	unsigned rtx_max_ms;
	unsigned rtx_count; /* retransmissions of one message before failing */
	unsigned ack_delay_ms;
};

struct l2tp_rdt_stats {
	uint64_t tx;	     /* messages sent for the first time */
	uint64_t rtx;	     /* retransmissions */
	uint64_t rx;	     /* messages delivered in order */
	uint64_t rx_dup;     /* duplicates (re-acknowledged) */
	uint64_t rx_ooo;     /* held out of order, delivered later */
	uint64_t rx_outside; /* beyond our window: discarded */
	uint64_t zlb_tx;     /* ZLB acknowledgements sent */
	uint64_t zlb_rx;
	uint64_t drop_queue_full;
};

struct l2tp_rdt_msg {
	uint8_t *buf;
	uint16_t len;
	uint16_t ns;
};

struct l2tp_rdt {
	struct l2tp_rdt_cfg cfg;
	const struct l2tp_rdt_ops *ops;
	void *ctx;
	uint16_t tunnel_id; /* the peer's, for ZLBs */
	uint16_t ns;	    /* Ns of the next new message */
	uint16_t nr;	    /* next Ns we expect from the peer */
	/* Sent or waiting, oldest first: q[0].ns is the oldest unacknowledged. */
	struct l2tp_rdt_msg q[L2TP_RDT_MAX_QUEUE];
	unsigned q_len;
	unsigned sent; /* q[0..sent-1] have been on the wire */
	/* Congestion control (Appendix A). */
	unsigned cwnd, ssthresh, ca_acks;
	unsigned tries;	      /* retransmissions of q[0] */
	uint64_t rtx_at;      /* when to retransmit q[0], 0: no timer */
	unsigned rtx_interval;
	uint64_t ack_at;      /* when a delayed ack is due, 0: none */
	/* Out-of-order messages held: slot (ns - nr - 1) % our_rws. */
	struct l2tp_rdt_msg hold[L2TP_RDT_MAX_WINDOW];
	bool failed;
	struct l2tp_rdt_stats st;
};

void l2tp_rdt_init(struct l2tp_rdt *r, const struct l2tp_rdt_cfg *cfg,
		   const struct l2tp_rdt_ops *ops, void *ctx);
void l2tp_rdt_fini(struct l2tp_rdt *r); /* frees queued and held copies */
void l2tp_rdt_set_peer(struct l2tp_rdt *r, uint16_t peer_tunnel_id, unsigned peer_rws);

/* Queue MSG (copied) for reliable delivery; sent now if the window allows. */
int l2tp_rdt_send(struct l2tp_rdt *r, const uint8_t *msg, size_t len, uint64_t now);

/*
 * A control message (or ZLB) from the peer with its Ns and Nr: acknowledges
 * our messages, delivers in order, holds or drops the rest, schedules acks.
 */
void l2tp_rdt_input(struct l2tp_rdt *r, uint16_t ns, uint16_t nr, const uint8_t *msg, size_t len,
		    bool zlb, uint64_t now);

/* Acknowledge what was delivered now, with a ZLB, unless nothing is owed. */
void l2tp_rdt_ack_now(struct l2tp_rdt *r);

/* Retransmit and acknowledge what is due at NOW. */
void l2tp_rdt_tick(struct l2tp_rdt *r, uint64_t now);

/* The next time l2tp_rdt_tick has something to do, 0 when nothing is pending. */
uint64_t l2tp_rdt_next_event(const struct l2tp_rdt *r);

/* Nothing left to send or to be acknowledged. */
bool l2tp_rdt_idle(const struct l2tp_rdt *r);

/* Serial number arithmetic on 16 bits (RFC 1982 style): a before b. */
static inline bool l2tp_seq_lt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) < 0;
}

#endif
