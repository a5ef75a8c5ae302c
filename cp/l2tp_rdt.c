/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reliable delivery of L2TP control messages (RFC 2661 section 5.8,
 * Appendix A). Main lcore only; state per control connection.
 *
 * Sending: every message gets the next Ns; at most min(cwnd, peer's RWS) are
 * unacknowledged at once. cwnd starts at 1 and grows by one per ack up to
 * ssthresh (slow start), then by one per window (congestion avoidance); a
 * retransmission timeout halves ssthresh, sets cwnd to 1 and doubles the
 * interval up to the configured cap. The oldest message is retransmitted with
 * the current Nr; after the configured count the connection has failed.
 *
 * Receiving: the message with the expected Ns is delivered, then any held
 * ones that follow it; duplicates are re-acknowledged at once with a ZLB;
 * messages ahead of the expected one but inside our window are held; others
 * are discarded. Acks are delayed (ack_delay_ms) so that a reply can carry
 * them; when none is sent in time a ZLB goes out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cp/l2tp_rdt.h"

/* RFC 2661 section 3.1: T, L, S set, version 2. */
#define L2TP_CTRL_FLAGS 0xc802
#define L2TP_ZLB_LEN 12

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void l2tp_rdt_init(struct l2tp_rdt *r, const struct l2tp_rdt_cfg *cfg,
		   const struct l2tp_rdt_ops *ops, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	if (r->cfg.our_rws == 0 || r->cfg.our_rws > L2TP_RDT_MAX_WINDOW)
		r->cfg.our_rws = L2TP_RDT_MAX_WINDOW;
	r->ops = ops;
	r->ctx = ctx;
	l2tp_rdt_set_peer(r, 0, cfg->peer_rws);
	r->cwnd = 1;
	r->rtx_interval = r->cfg.rtx_initial_ms;
}

void l2tp_rdt_set_peer(struct l2tp_rdt *r, uint16_t peer_tunnel_id, unsigned peer_rws)
{
	if (peer_rws == 0)
		peer_rws = 4; /* section 5.8: the default when the AVP is absent */
	if (peer_rws > L2TP_RDT_MAX_WINDOW)
		peer_rws = L2TP_RDT_MAX_WINDOW;
	r->tunnel_id = peer_tunnel_id;
	r->cfg.peer_rws = peer_rws;
	r->ssthresh = peer_rws;
}

void l2tp_rdt_fini(struct l2tp_rdt *r)
{
	for (unsigned i = 0; i < r->q_len; i++)
		free(r->q[i].buf);
	for (unsigned i = 0; i < L2TP_RDT_MAX_WINDOW; i++)
		free(r->hold[i].buf);
	memset(r->q, 0, sizeof(r->q));
	memset(r->hold, 0, sizeof(r->hold));
	r->q_len = r->sent = 0;
}

static void xmit(struct l2tp_rdt *r, struct l2tp_rdt_msg *m)
{
	put16(m->buf + 10, r->nr); /* always the current Nr */
	r->ops->xmit(r->ctx, m->buf, m->len);
	r->ack_at = 0; /* the ack rides on this message */
}

static void send_zlb(struct l2tp_rdt *r)
{
	uint8_t z[L2TP_ZLB_LEN];

	put16(z, L2TP_CTRL_FLAGS);
	put16(z + 2, L2TP_ZLB_LEN);
	put16(z + 4, r->tunnel_id);
	put16(z + 6, 0);
	put16(z + 8, r->ns);
	put16(z + 10, r->nr);
	r->ops->xmit(r->ctx, z, sizeof(z));
	r->st.zlb_tx++;
	r->ack_at = 0;
}

static void try_send(struct l2tp_rdt *r, uint64_t now)
{
	unsigned window = r->cwnd < r->cfg.peer_rws ? r->cwnd : r->cfg.peer_rws;

	while (r->sent < r->q_len && r->sent < window) {
		xmit(r, &r->q[r->sent++]);
		r->st.tx++;
		if (r->rtx_at == 0)
			r->rtx_at = now + r->rtx_interval;
	}
}

int l2tp_rdt_send(struct l2tp_rdt *r, const uint8_t *msg, size_t len, uint64_t now)
{
	struct l2tp_rdt_msg *m;

	if (r->failed)
		return -ENOTCONN;
	if (len < L2TP_ZLB_LEN || len > L2TP_RDT_MSG_LEN_MAX)
		return -EINVAL;
	if (r->q_len == L2TP_RDT_MAX_QUEUE) {
		r->st.drop_queue_full++;
		return -ENOBUFS;
	}
	m = &r->q[r->q_len];
	m->buf = malloc(len);
	if (m->buf == NULL)
		return -ENOMEM;
	memcpy(m->buf, msg, len);
	m->len = (uint16_t)len;
	m->ns = r->ns++;
	put16(m->buf + 8, m->ns);
	r->q_len++;
	try_send(r, now);
	return 0;
}

/* The peer's Nr acknowledges every message we sent before it. */
static void acknowledge(struct l2tp_rdt *r, uint16_t nr, uint64_t now)
{
	unsigned k = 0;

	while (k < r->sent && l2tp_seq_lt(r->q[k].ns, nr))
		free(r->q[k++].buf);
	if (k == 0)
		return;
	memmove(r->q, r->q + k, (r->q_len - k) * sizeof(r->q[0]));
	memset(r->q + r->q_len - k, 0, k * sizeof(r->q[0]));
	r->q_len -= k;
	r->sent -= k;
	for (unsigned i = 0; i < k; i++) {
		if (r->cwnd < r->ssthresh) {
			r->cwnd++;
		} else if (++r->ca_acks >= r->cwnd) {
			r->cwnd++;
			r->ca_acks = 0;
		}
	}
	if (r->cwnd > r->cfg.peer_rws)
		r->cwnd = r->cfg.peer_rws;
	r->tries = 0;
	r->rtx_interval = r->cfg.rtx_initial_ms;
	r->rtx_at = r->sent ? now + r->rtx_interval : 0;
	try_send(r, now);
}

static void deliver(struct l2tp_rdt *r, const uint8_t *msg, size_t len, uint64_t now)
{
	r->nr++; /* first, so that a reply sent from the callback carries it */
	r->st.rx++;
	if (r->ack_at == 0)
		r->ack_at = now + r->cfg.ack_delay_ms;
	r->ops->deliver(r->ctx, msg, len);
}

void l2tp_rdt_input(struct l2tp_rdt *r, uint16_t ns, uint16_t nr, const uint8_t *msg, size_t len,
		    bool zlb, uint64_t now)
{
	if (r->failed)
		return;
	acknowledge(r, nr, now);
	if (zlb) {
		r->st.zlb_rx++;
		return;
	}
	if (ns == r->nr) {
		deliver(r, msg, len, now);
		for (;;) {
			struct l2tp_rdt_msg *h = &r->hold[r->nr % L2TP_RDT_MAX_WINDOW];

			if (r->failed || h->buf == NULL || h->ns != r->nr)
				break;
			{
				uint8_t *buf = h->buf;
				size_t l = h->len;

				h->buf = NULL;
				deliver(r, buf, l, now);
				free(buf);
			}
		}
		return;
	}
	if (l2tp_seq_lt(ns, r->nr)) {
		/* Our ack was lost: say again what we have (section 5.8). */
		r->st.rx_dup++;
		send_zlb(r);
		return;
	}
	if ((uint16_t)(ns - r->nr) < r->cfg.our_rws && len <= L2TP_RDT_MSG_LEN_MAX) {
		struct l2tp_rdt_msg *h = &r->hold[ns % L2TP_RDT_MAX_WINDOW];

		if (h->buf && h->ns == ns)
			return; /* held already */
		free(h->buf);
		h->buf = malloc(len);
		if (h->buf == NULL)
			return;
		memcpy(h->buf, msg, len);
		h->len = (uint16_t)len;
		h->ns = ns;
		r->st.rx_ooo++;
		return;
	}
	r->st.rx_outside++;
}

void l2tp_rdt_ack_now(struct l2tp_rdt *r)
{
	if (!r->failed && r->ack_at)
		send_zlb(r);
}

void l2tp_rdt_tick(struct l2tp_rdt *r, uint64_t now)
{
	if (r->failed)
		return;
	if (r->rtx_at && now >= r->rtx_at && r->sent) {
		if (r->tries >= r->cfg.rtx_count) {
			r->failed = true;
			r->rtx_at = r->ack_at = 0;
			r->ops->failed(r->ctx);
			return;
		}
		r->tries++;
		r->st.rtx++;
		r->ssthresh = r->cwnd / 2 ? r->cwnd / 2 : 1;
		r->cwnd = 1;
		r->ca_acks = 0;
		xmit(r, &r->q[0]);
		r->rtx_interval *= 2;
		if (r->rtx_interval > r->cfg.rtx_max_ms)
			r->rtx_interval = r->cfg.rtx_max_ms;
		r->rtx_at = now + r->rtx_interval;
	}
	if (r->ack_at && now >= r->ack_at)
		send_zlb(r);
}

uint64_t l2tp_rdt_next_event(const struct l2tp_rdt *r)
{
	if (r->failed)
		return 0;
	if (r->rtx_at && r->ack_at)
		return r->rtx_at < r->ack_at ? r->rtx_at : r->ack_at;
	return r->rtx_at ? r->rtx_at : r->ack_at;
}

bool l2tp_rdt_idle(const struct l2tp_rdt *r)
{
	return r->q_len == 0 && r->ack_at == 0;
}
