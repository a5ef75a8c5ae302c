/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2TP control connections, LNS side (RFC 2661 sections 5.1, 5.5, 5.7, 7.2).
 * Main lcore only. Owns the tunnel table (our tunnel ID -> tunnel, O(1)),
 * each tunnel's reliable-delivery state (cp/l2tp_rdt.c) and its one timer.
 *
 *   SCCRQ from a LAC ──▶ policy (peer by source address or Host Name, limits)
 *        │ refused: one StopCCN, no state kept (cheap under an SCCRQ flood)
 *        ▼
 *   SCCRP sent ──▶ WAIT_CTL_CONN ── SCCCN (Challenge Response right) ──▶ ESTABLISHED
 *        │                    └── wrong or missing response: StopCCN ─▶ CLOSING
 *   ESTABLISHED: HELLO when idle; calls (cp/l2tp_session.c); StopCCN either way ─▶ CLOSING
 *   CLOSING: state kept one full retransmission cycle, then freed.
 *   Retransmissions exhausted in any state: the tunnel and its sessions are cleared.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "cp/cp.h"
#include "cp/l2tp.h"
#include "dp/session.h"
#include "cp/log.h"

#define SETUP_TIMEOUT_MS 60000 /* SCCRP sent, no SCCCN */
#define FIRMWARE_REV     0x0100
#define VENDOR_NAME      "lns"

static struct lns_l2tp *L(const struct l2tp_tunnel *t)
{
	return &t->cp->l2tp;
}

const char *l2tp_tunnel_state_name(enum l2tp_tunnel_state s)
{
	switch (s) {
	case L2TP_T_IDLE:
		return "idle";
	case L2TP_T_WAIT_CTL_CONN:
		return "wait-ctl-conn";
	case L2TP_T_ESTABLISHED:
		return "established";
	case L2TP_T_CLOSING:
		return "closing";
	}
	return "?";
}

/* The codec's random callback. */
static void random_bytes(void *arg, uint8_t *buf, size_t len)
{
	RTE_SET_USED(arg);
	cp_random(buf, len);
}

static const uint8_t *secret_of(const struct l2tp_tunnel *t, size_t *len)
{
	if (t->peer == NULL || t->peer->secret[0] == '\0') {
		*len = 0;
		return NULL;
	}
	*len = strlen(t->peer->secret);
	return (const uint8_t *)t->peer->secret;
}

/*
 * How long a closing tunnel keeps its state: a whole retransmission cycle,
 * ours or, since the peer's may be longer, at least that of RFC 2661's
 * recommended timers (1, 2, 4, 8, 8, 8 s: 31 s).
 */
#define PEER_CYCLE_MS 31000

static uint64_t cycle_ms(const struct lns_l2tp_cfg *lc)
{
	uint64_t total = 0, iv = lc->retransmit.initial_ms;

	for (unsigned i = 0; i <= lc->retransmit.count; i++) {
		total += iv;
		iv = iv * 2 > lc->retransmit.max_ms ? lc->retransmit.max_ms : iv * 2;
	}
	return total > PEER_CYCLE_MS ? total : PEER_CYCLE_MS;
}

/* ---- transport glue ----------------------------------------------------------------------- */

static void rdt_xmit(void *ctx, const uint8_t *msg, size_t len)
{
	struct l2tp_tunnel *t = ctx;

	cp_udp4_send(t->cp, t->local_ip, t->peer_ip, t->cp->rt->cfg->l2tp.port, t->peer_port, msg,
		     len);
}

static void tunnel_deliver(void *ctx, const uint8_t *msg, size_t len);

static void rdt_failed(void *ctx)
{
	struct l2tp_tunnel *t = ctx;

	t->dead = true; /* freed by the caller of the rdt function, never inside it */
}

static const struct l2tp_rdt_ops rdt_ops = {rdt_xmit, tunnel_deliver, rdt_failed};

/* ---- life cycle --------------------------------------------------------------------------- */

static void tunnel_timer(struct rte_timer *tm, void *arg);

static void tunnel_free(struct l2tp_tunnel *t)
{
	struct lns_l2tp *l = L(t);
	const struct l2tp_rdt_stats *st = &t->rdt.st;

	l2tp_sessions_close_all(t, "tunnel gone");
	rte_timer_stop_sync(&t->timer);
	l->closed_rdt.tx += st->tx;
	l->closed_rdt.rtx += st->rtx;
	l->closed_rdt.rx += st->rx;
	l->closed_rdt.rx_dup += st->rx_dup;
	l->closed_rdt.rx_ooo += st->rx_ooo;
	l->closed_rdt.zlb_tx += st->zlb_tx;
	l->closed_rdt.zlb_rx += st->zlb_rx;
	l2tp_rdt_fini(&t->rdt);
	l->by_tid[t->tid] = NULL;
	lns_session_tunnel_del(t->cp->rt->sessions, t->tid);
	TAILQ_REMOVE(&l->tunnels, t, next);
	l->n_tunnels--;
	free(t);
}

/* Set the tunnel's one timer to its next duty: retransmit/ack, HELLO, setup or closing end. */
static void tunnel_arm(struct l2tp_tunnel *t)
{
	const struct lns_l2tp_cfg *lc = &t->cp->rt->cfg->l2tp;
	uint64_t now = cp_now_ms(), next = l2tp_rdt_next_event(&t->rdt), due = 0;

	switch (t->state) {
	case L2TP_T_IDLE:
	case L2TP_T_WAIT_CTL_CONN:
		due = t->created_ms + SETUP_TIMEOUT_MS;
		break;
	case L2TP_T_ESTABLISHED:
		if (lc->hello_interval)
			due = t->last_rx_ms + lc->hello_interval * 1000ull;
		break;
	case L2TP_T_CLOSING:
		due = t->closing_until_ms;
		break;
	}
	if (due && (next == 0 || due < next))
		next = due;
	if (next == 0)
		return;
	rte_timer_reset(&t->timer, (next > now ? next - now : 0) * rte_get_timer_hz() / 1000 + 1,
			SINGLE, rte_lcore_id(), tunnel_timer, t);
}

/* After any event: free a tunnel that is done, or re-arm its timer. */
void l2tp_tunnel_settle(struct l2tp_tunnel *t)
{
	uint64_t now = cp_now_ms();

	if (t->dead) {
		if (t->state != L2TP_T_CLOSING) {
			L(t)->c.tunnels_failed++;
			LNS_LOG(WARNING, cp, "tunnel %u (%s): no answer from the peer, cleared",
				t->tid, t->host_name);
		}
		tunnel_free(t);
		return;
	}
	if (t->state == L2TP_T_CLOSING && now >= t->closing_until_ms) {
		tunnel_free(t);
		return;
	}
	tunnel_arm(t);
}

static void send_hello(struct l2tp_tunnel *t)
{
	uint8_t buf[64];
	struct l2tp_builder b;

	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), 0, L2TP_MSG_HELLO) == 0 &&
	    l2tp_tunnel_send(t, &b) == 0)
		L(t)->c.hello_tx++;
}

static void tunnel_timer(struct rte_timer *tm, void *arg)
{
	struct l2tp_tunnel *t = arg;
	const struct lns_l2tp_cfg *lc = &t->cp->rt->cfg->l2tp;
	uint64_t now = cp_now_ms();

	RTE_SET_USED(tm);
	l2tp_rdt_tick(&t->rdt, now);
	if (!t->dead) {
		if ((t->state == L2TP_T_IDLE || t->state == L2TP_T_WAIT_CTL_CONN) &&
		    now >= t->created_ms + SETUP_TIMEOUT_MS) {
			L(t)->c.fsm_error++;
			l2tp_tunnel_stop(t, L2TP_STOPCCN_ERROR, L2TP_GERR_NONE, "no SCCCN in time");
		} else if (t->state == L2TP_T_ESTABLISHED && lc->hello_interval &&
			   now >= t->last_rx_ms + lc->hello_interval * 1000ull &&
			   l2tp_rdt_idle(&t->rdt)) {
			send_hello(t);
			t->last_rx_ms = now; /* the next HELLO one interval later */
		}
	}
	l2tp_tunnel_settle(t);
}

static struct l2tp_tunnel *tunnel_new(struct lns_cp *cp, unsigned port, rte_be32_t local,
				      rte_be32_t peer_ip, uint16_t peer_port,
				      const struct lns_l2tp_peer_cfg *peer)
{
	struct lns_l2tp *l = &cp->l2tp;
	const struct lns_l2tp_cfg *lc = &cp->rt->cfg->l2tp;
	struct l2tp_rdt_cfg rc = {
		.our_rws = lc->receive_window,
		.peer_rws = 4,
		.rtx_initial_ms = lc->retransmit.initial_ms,
		.rtx_max_ms = lc->retransmit.max_ms,
		.rtx_count = lc->retransmit.count,
		.ack_delay_ms = lc->retransmit.initial_ms / 4, /* section 5.8: well inside it */
	};
	struct l2tp_tunnel *t;
	uint16_t tid = 0;

	/* Tunnel IDs from a moving counter, skipping 0 and those in use. */
	for (unsigned tries = 0; tries < 65535; tries++) {
		uint16_t cand = l->next_tid++;

		if (cand != 0 && l->by_tid[cand] == NULL) {
			tid = cand;
			break;
		}
	}
	if (tid == 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->cp = cp;
	t->tid = tid;
	t->port = port;
	t->local_ip = local;
	t->peer_ip = peer_ip;
	t->peer_port = peer_port;
	t->peer = peer;
	t->state = L2TP_T_IDLE;
	t->created_ms = t->last_rx_ms = cp_now_ms();
	t->next_sid = (uint16_t)rte_rand();
	TAILQ_INIT(&t->sessions);
	rte_timer_init(&t->timer);
	l2tp_rdt_init(&t->rdt, &rc, &rdt_ops, t);
	l->by_tid[tid] = t;
	TAILQ_INSERT_TAIL(&l->tunnels, t, next);
	l->n_tunnels++;
	return t;
}

/* ---- sending ------------------------------------------------------------------------------ */

int l2tp_msg_begin(struct l2tp_tunnel *t, struct l2tp_builder *b, uint8_t *buf, size_t cap,
		   uint16_t peer_sid, uint16_t type)
{
	size_t slen;
	const uint8_t *secret = secret_of(t, &slen);
	int ret = l2tp_build_begin(b, buf, cap, t->peer_tid, peer_sid, type);

	if (ret == 0 && secret && t->peer->hide_avps)
		ret = l2tp_build_hide(b, secret, slen, random_bytes, NULL);
	return ret;
}

int l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_builder *b)
{
	int len = l2tp_build_end(b);

	if (len < 0) {
		LNS_LOG(ERR, cp, "tunnel %u: cannot build %s: %s", t->tid,
			l2tp_msg_name(b->buf[19]), strerror(-len));
		return len;
	}
	return l2tp_rdt_send(&t->rdt, b->buf, (size_t)len, cp_now_ms());
}

void l2tp_tunnel_stop(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg)
{
	uint8_t buf[256];
	struct l2tp_builder b;

	if (t->state == L2TP_T_CLOSING)
		return;
	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), 0, L2TP_MSG_STOPCCN) == 0) {
		l2tp_put_u16(&b, L2TP_AVP_TUNNEL_ID, t->tid);
		l2tp_put_result(&b, result, error, msg);
		if (l2tp_tunnel_send(t, &b) == 0)
			L(t)->c.stopccn_tx++;
	}
	LNS_LOG(INFO, cp, "tunnel %u (%s): StopCCN sent: %s%s%s", t->tid, t->host_name,
		l2tp_result_name(L2TP_MSG_STOPCCN, result), msg ? ": " : "", msg ? msg : "");
	if (t->state == L2TP_T_ESTABLISHED)
		L(t)->c.tunnels_closed++;
	t->stop_result = result;
	l2tp_sessions_close_all(t, "tunnel closing");
	t->state = L2TP_T_CLOSING;
	t->closing_until_ms = cp_now_ms() + cycle_ms(&t->cp->rt->cfg->l2tp);
}

/*
 * Refuse an SCCRQ without keeping any state: one StopCCN (section 5.7 asks
 * for reliable delivery, but a refused requester gets no tunnel to retry on;
 * it retransmits its SCCRQ and gets the same answer).
 */
static void refuse_sccrq(struct lns_cp *cp, rte_be32_t local, rte_be32_t peer_ip,
			 uint16_t peer_port, const struct l2tp_msg *m, uint16_t result, int error,
			 const char *why)
{
	uint8_t buf[256];
	struct l2tp_builder b;
	char a[INET_ADDRSTRLEN];
	int len;

	cp->l2tp.c.tunnels_refused++;
	inet_ntop(AF_INET, &peer_ip, a, sizeof(a));
	LNS_LOG(NOTICE, cp, "SCCRQ from %s (%.*s) refused: %s", a, (int)m->host_name.len,
		m->host_name.s, why);
	if (l2tp_build_begin(&b, buf, sizeof(buf), m->tunnel_id, 0, L2TP_MSG_STOPCCN) < 0)
		return;
	l2tp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 0);
	l2tp_put_result(&b, result, error, why);
	len = l2tp_build_end(&b);
	if (len < 0)
		return;
	l2tp_hdr_set_ns_nr(buf, 0, (uint16_t)(m->hdr.ns + 1));
	cp_udp4_send(cp, local, peer_ip, cp->rt->cfg->l2tp.port, peer_port, buf, (size_t)len);
	cp->l2tp.c.stopccn_tx++;
}

/* ---- receiving ---------------------------------------------------------------------------- */

/*
 * Parse leniently about M bits on known AVPs: RFC 2661 gives a receiver no
 * rule for a wrong one, and LACs in the field get it wrong (msg.m_violation
 * keeps the evidence).
 */
static int parse(const uint8_t *buf, size_t len, const uint8_t *secret, size_t slen,
		 struct l2tp_msg *m, struct l2tp_err *err)
{
	return l2tp_msg_parse_flags(buf, len, secret, slen, L2TP_PARSE_LAX_MBIT, m, err);
}

static void handle_sccrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	const struct lns_l2tp_cfg *lc = &t->cp->rt->cfg->l2tp;
	uint8_t buf[512], resp[L2TP_CHAL_RESP_LEN];
	struct l2tp_builder b;
	size_t slen;
	const uint8_t *secret = secret_of(t, &slen);

	t->peer_tid = m->tunnel_id;
	l2tp_copy_str(t->host_name, sizeof(t->host_name), &m->host_name);
	l2tp_copy_str(t->vendor_name, sizeof(t->vendor_name), &m->vendor_name);
	t->firmware_rev = m->firmware_rev;
	t->framing_cap = m->framing_cap;
	t->bearer_cap = m->bearer_cap;
	l2tp_rdt_set_peer(&t->rdt, m->tunnel_id,
			  (m->present & L2TP_BIT(L2TP_AVP_RX_WINDOW)) ? m->rx_window : 4);

	if (m->tunnel_id == 0)
		return l2tp_tunnel_stop(t, L2TP_STOPCCN_ERROR, L2TP_GERR_BAD_VALUE,
					"Assigned Tunnel ID is 0");
	if ((m->present & L2TP_BIT(L2TP_AVP_CHALLENGE)) && secret == NULL) {
		L(t)->c.tunnels_auth_failed++;
		return l2tp_tunnel_stop(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
					"challenged, but no secret is configured for this peer");
	}

	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), 0, L2TP_MSG_SCCRP) < 0)
		return;
	l2tp_put_protocol_version(&b, L2TP_PROTO_VER, L2TP_PROTO_REV);
	l2tp_put_u32(&b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	l2tp_put_u32(&b, L2TP_AVP_BEARER_CAP, L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG);
	l2tp_put_u16(&b, L2TP_AVP_FIRMWARE_REV, FIRMWARE_REV);
	l2tp_put_str(&b, L2TP_AVP_HOST_NAME, lc->host_name);
	l2tp_put_str(&b, L2TP_AVP_VENDOR_NAME, VENDOR_NAME);
	l2tp_put_u16(&b, L2TP_AVP_TUNNEL_ID, t->tid);
	l2tp_put_u16(&b, L2TP_AVP_RX_WINDOW, (uint16_t)lc->receive_window);
	if (secret) {
		random_bytes(NULL, t->challenge, sizeof(t->challenge));
		t->challenged = true;
		l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE, t->challenge, sizeof(t->challenge));
	}
	if (m->present & L2TP_BIT(L2TP_AVP_CHALLENGE)) {
		l2tp_challenge_response(L2TP_MSG_SCCRP, secret, slen, m->challenge.p,
					m->challenge.len, resp);
		l2tp_put_bytes(&b, L2TP_AVP_CHALLENGE_RESP, resp, sizeof(resp));
	}
	if (l2tp_tunnel_send(t, &b) == 0)
		t->state = L2TP_T_WAIT_CTL_CONN;
}

static void handle_scccn(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	char a[INET_ADDRSTRLEN];

	if (t->challenged) {
		size_t slen;
		const uint8_t *secret = secret_of(t, &slen);
		uint8_t want[L2TP_CHAL_RESP_LEN];

		l2tp_challenge_response(L2TP_MSG_SCCCN, secret, slen, t->challenge,
					sizeof(t->challenge), want);
		if (!(m->present & L2TP_BIT(L2TP_AVP_CHALLENGE_RESP)) ||
		    m->challenge_resp.len != sizeof(want) ||
		    memcmp(m->challenge_resp.p, want, sizeof(want)) != 0) {
			L(t)->c.tunnels_auth_failed++;
			return l2tp_tunnel_stop(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
						(m->present & L2TP_BIT(L2TP_AVP_CHALLENGE_RESP))
							? "wrong Challenge Response"
							: "no Challenge Response");
		}
	}
	t->state = L2TP_T_ESTABLISHED;
	t->established_ms = cp_now_ms();
	L(t)->c.tunnels_opened++;
	inet_ntop(AF_INET, &t->peer_ip, a, sizeof(a));
	LNS_LOG(INFO, cp, "tunnel %u up: peer %s:%u tunnel %u, host \"%s\", vendor \"%s\"%s",
		t->tid, a, t->peer_port, t->peer_tid, t->host_name, t->vendor_name,
		t->challenged ? ", authenticated" : "");
}

static void handle_stopccn(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct lns_l2tp *l = L(t);

	l->c.stopccn_rx++;
	LNS_LOG(INFO, cp, "tunnel %u (%s): StopCCN received: %s (error %u%s%.*s)", t->tid,
		t->host_name, l2tp_result_name(L2TP_MSG_STOPCCN, m->result.result),
		m->result.has_error ? m->result.error : 0, m->result.msg.len ? ": " : "",
		(int)m->result.msg.len, m->result.msg.s);
	if (t->state == L2TP_T_ESTABLISHED)
		l->c.tunnels_closed++;
	t->stop_result = m->result.result;
	l2tp_sessions_close_all(t, "StopCCN");
	t->state = L2TP_T_CLOSING;
	/* Keep answering retransmissions of it for a full cycle (section 5.7). */
	t->closing_until_ms = cp_now_ms() + cycle_ms(&t->cp->rt->cfg->l2tp);
	t->rdt.ack_at = cp_now_ms(); /* acknowledge it now */
}

static void tunnel_deliver(void *ctx, const uint8_t *buf, size_t len)
{
	struct l2tp_tunnel *t = ctx;
	struct lns_l2tp *l = L(t);
	struct l2tp_msg *m = &l->msg;
	struct l2tp_err err;
	size_t slen;
	const uint8_t *secret = secret_of(t, &slen);

	if (parse(buf, len, secret, slen, m, &err) < 0)
		return; /* checked before it entered the window: cannot happen */
	l->c.rx_ctrl++;
	t->last_rx_ms = cp_now_ms();
	for (unsigned i = 0; i < m->n_unknown && i < L2TP_UNKNOWN_MAX; i++)
		LNS_LOG(DEBUG, cp, "tunnel %u: %s carries unrecognized AVP vendor %u type %u (%s)",
			t->tid, l2tp_msg_name(m->msg_type), m->unknown[i].vendor,
			m->unknown[i].type,
			(m->unknown[i].flags & L2TP_AVP_M) ? "mandatory" : "ignored");
	if (t->state == L2TP_T_CLOSING)
		return;
	if (!m->msg_known) {
		l->c.unknown_message_type++;
		if (m->msg_m)
			l2tp_tunnel_stop(t, L2TP_STOPCCN_ERROR, L2TP_GERR_BAD_VALUE,
					 "unknown mandatory message type");
		return;
	}
	if (m->unknown_mandatory) {
		l->c.unknown_mandatory_avp++;
		if (l2tp_msg_table[m->msg_type].scope == L2TP_SCOPE_TUNNEL) {
			l2tp_tunnel_stop(t, L2TP_STOPCCN_ERROR, L2TP_GERR_UNKNOWN_AVP, NULL);
			return;
		}
	}
	switch (m->msg_type) {
	case L2TP_MSG_STOPCCN:
		return handle_stopccn(t, m);
	case L2TP_MSG_HELLO:
		l->c.hello_rx++;
		return;
	default:
		break;
	}
	switch (t->state) {
	case L2TP_T_IDLE:
		if (m->msg_type == L2TP_MSG_SCCRQ)
			return handle_sccrq(t, m);
		break;
	case L2TP_T_WAIT_CTL_CONN:
		if (m->msg_type == L2TP_MSG_SCCCN)
			return handle_scccn(t, m);
		break;
	case L2TP_T_ESTABLISHED:
		switch (m->msg_type) {
		case L2TP_MSG_ICRQ:
		case L2TP_MSG_ICCN:
		case L2TP_MSG_CDN:
		case L2TP_MSG_SLI:
		case L2TP_MSG_WEN:
		case L2TP_MSG_OCRQ:
		case L2TP_MSG_OCRP:
		case L2TP_MSG_OCCN:
			return l2tp_session_input(t, m);
		default:
			break;
		}
		break;
	case L2TP_T_CLOSING:
		return;
	}
	l->c.fsm_error++;
	LNS_LOG(NOTICE, cp, "tunnel %u (%s): %s not expected in state %s", t->tid, t->host_name,
		l2tp_msg_name(m->msg_type), l2tp_tunnel_state_name(t->state));
	if (t->state != L2TP_T_ESTABLISHED)
		l2tp_tunnel_stop(t, L2TP_STOPCCN_FSM_ERROR, -1, l2tp_msg_name(m->msg_type));
}

static bool addr_matches(const struct lns_l2tp_peer_cfg *p, rte_be32_t a)
{
	struct lns_addr x = {.family = AF_INET, .plen = 32};

	x.v4.s_addr = a;
	for (size_t i = 0; i < p->n_match; i++)
		if (lns_addr_in_prefix(&x, &p->match[i]))
			return true;
	return false;
}

/* Which configured LAC this is: by source address first, then by Host Name. */
static const struct lns_l2tp_peer_cfg *find_peer(const struct lns_l2tp_cfg *lc, rte_be32_t src,
						 const struct l2tp_str *host)
{
	for (size_t i = 0; i < lc->n_peers; i++)
		if (addr_matches(&lc->peers[i], src))
			return &lc->peers[i];
	for (size_t i = 0; host && i < lc->n_peers; i++) {
		const char *h = lc->peers[i].host_name;

		if (h[0] && strlen(h) == host->len && memcmp(h, host->s, host->len) == 0)
			return &lc->peers[i];
	}
	return NULL;
}

static const uint8_t *peer_secret(const struct lns_l2tp_peer_cfg *p, size_t *len)
{
	*len = p && p->secret[0] ? strlen(p->secret) : 0;
	return *len ? (const uint8_t *)p->secret : NULL;
}

static void count_malformed(struct lns_l2tp *l, const struct l2tp_err *err, rte_be32_t src)
{
	char a[INET_ADDRSTRLEN];

	l->c.rx_malformed++;
	if (err->code < L2TP_E_COUNT)
		l->c.malformed[err->code]++;
	/* Rate-limited: one line per second at most about peers' bad messages. */
	if (rte_get_timer_cycles() - l->last_malformed_log > rte_get_timer_hz()) {
		l->last_malformed_log = rte_get_timer_cycles();
		inet_ntop(AF_INET, &src, a, sizeof(a));
		LNS_LOG(NOTICE, cp, "malformed L2TP message from %s: %s", a, err->msg);
	}
}

static void new_tunnel_input(struct lns_cp *cp, unsigned port, rte_be32_t src, rte_be32_t dst,
			     uint16_t sport, const uint8_t *buf, size_t len)
{
	struct lns_l2tp *l = &cp->l2tp;
	const struct lns_l2tp_cfg *lc = &cp->rt->cfg->l2tp;
	struct l2tp_msg *m = &l->msg;
	const struct lns_l2tp_peer_cfg *peer = find_peer(lc, src, NULL);
	struct l2tp_tunnel *t;
	struct l2tp_err err;
	size_t slen;
	const uint8_t *secret = peer_secret(peer, &slen);

	if (parse(buf, len, secret, slen, m, &err) < 0) {
		/*
		 * A LAC known only by its Host Name may hide AVPs under its secret:
		 * what was parsed before the hidden AVP names it (Host Name comes
		 * early), and its secret un-hides the rest.
		 */
		bool hidden =
			err.code == L2TP_E_HIDDEN_NO_SECRET || err.code == L2TP_E_HIDDEN_BAD_LEN;

		if (!hidden || peer != NULL || !(m->present & L2TP_BIT(L2TP_AVP_HOST_NAME)) ||
		    (peer = find_peer(lc, src, &m->host_name)) == NULL || !peer->secret[0])
			return count_malformed(l, &err, src);
		secret = peer_secret(peer, &slen);
		if (parse(buf, len, secret, slen, m, &err) < 0)
			return count_malformed(l, &err, src);
	}
	if (!m->zlb && m->msg_type == L2TP_MSG_STOPCCN) {
		/*
		 * A LAC that could not read our SCCRP stops with tunnel ID 0: find
		 * the tunnel by its address, port and Assigned Tunnel ID.
		 */
		TAILQ_FOREACH (t, &l->tunnels, next) {
			if (t->peer_ip == src && t->peer_port == sport &&
			    t->peer_tid == m->tunnel_id && t->state != L2TP_T_CLOSING) {
				l2tp_rdt_input(&t->rdt, m->hdr.ns, m->hdr.nr, buf, len, false,
					       cp_now_ms());
				return l2tp_tunnel_settle(t);
			}
		}
	}
	if (m->zlb || m->msg_type != L2TP_MSG_SCCRQ) {
		l->c.rx_unknown_tunnel++;
		return;
	}
	/* A retransmitted SCCRQ belongs to the tunnel it opened (section 5.8). */
	TAILQ_FOREACH (t, &l->tunnels, next) {
		if (t->peer_ip == src && t->peer_port == sport && t->peer_tid == m->tunnel_id &&
		    t->state != L2TP_T_CLOSING) {
			l2tp_rdt_input(&t->rdt, m->hdr.ns, m->hdr.nr, buf, len, false, cp_now_ms());
			return l2tp_tunnel_settle(t);
		}
	}
	if (peer == NULL) {
		peer = find_peer(lc, src, &m->host_name);
		if (peer && peer->secret[0]) { /* its secret may un-hide what the first could not */
			secret = peer_secret(peer, &slen);
			if (parse(buf, len, secret, slen, m, &err) < 0)
				return count_malformed(l, &err, src);
		}
	}
	if (peer == NULL && !lc->allow_unknown_peers)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
				    "unknown LAC");
	if (peer && !peer->allow)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
				    "LAC not allowed");
	if (l->n_tunnels >= lc->max_tunnels)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_ERROR,
				    L2TP_GERR_NO_RESOURCES, "tunnel limit reached");
	if (m->tunnel_id == 0)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_ERROR, L2TP_GERR_BAD_VALUE,
				    "Assigned Tunnel ID is 0");
	if (m->proto_ver != L2TP_PROTO_VER || m->proto_rev != L2TP_PROTO_REV)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_BAD_VERSION, -1,
				    "only L2TP version 1.0 (RFC 2661) is supported");
	t = tunnel_new(cp, port, dst, src, sport, peer);
	if (t == NULL)
		return refuse_sccrq(cp, dst, src, sport, m, L2TP_STOPCCN_ERROR,
				    L2TP_GERR_NO_RESOURCES, "out of memory or tunnel IDs");
	l2tp_rdt_input(&t->rdt, m->hdr.ns, m->hdr.nr, buf, len, false, cp_now_ms());
	l2tp_tunnel_settle(t);
}

static bool is_listen(const struct lns_l2tp_cfg *lc, rte_be32_t dst)
{
	for (size_t i = 0; i < lc->n_listen; i++)
		if (lc->listen[i].family == AF_INET && lc->listen[i].v4.s_addr == dst)
			return true;
	return false;
}

void lns_l2tp_input(struct lns_l2tp *l, unsigned port, rte_be32_t src, rte_be32_t dst,
		    uint16_t sport, const uint8_t *buf, size_t len)
{
	struct lns_cp *cp = l->cp;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	struct l2tp_hdr h;
	struct l2tp_err err;
	size_t slen;
	const uint8_t *secret;

	l->c.rx_packets++;
	if (!is_listen(&cp->rt->cfg->l2tp, dst)) {
		cp->c.drop_unhandled++;
		return;
	}
	if (l2tp_hdr_parse_err(buf, len, &h, &err) < 0)
		return count_malformed(l, &err, src);
	if (!h.ctrl) {
		t = l->by_tid[h.tunnel_id];
		s = t ? l2tp_session_find(t, h.session_id) : NULL;
		if (s == NULL) {
			l->c.rx_data_unknown_session++;
			return;
		}
		l->c.rx_data++;
		s->rx_data_packets++;
		s->rx_data_bytes += h.len - h.hdr_len;
		l2tp_session_data(s, buf + h.hdr_len, h.len - h.hdr_len);
		return;
	}
	if (h.tunnel_id == 0)
		return new_tunnel_input(cp, port, src, dst, sport, buf, len);
	t = l->by_tid[h.tunnel_id];
	if (t == NULL) {
		l->c.rx_unknown_tunnel++;
		return;
	}
	if (t->peer_ip != src || t->peer_port != sport) {
		l->c.rx_wrong_peer++;
		return;
	}
	/* Validate before the message takes a place in the window. */
	secret = secret_of(t, &slen);
	if (parse(buf, len, secret, slen, &l->msg, &err) < 0)
		return count_malformed(l, &err, src);
	l2tp_rdt_input(&t->rdt, h.ns, h.nr, buf, len, l->msg.zlb, cp_now_ms());
	l2tp_tunnel_settle(t);
}

/* ---- management --------------------------------------------------------------------------- */

int lns_l2tp_disconnect_tunnel(struct lns_l2tp *l, uint16_t tid)
{
	struct l2tp_tunnel *t = l->by_tid[tid];

	if (t == NULL || t->state == L2TP_T_CLOSING)
		return -ENOENT;
	l2tp_tunnel_stop(t, L2TP_STOPCCN_CLEAR, -1, "administrative disconnect");
	l2tp_tunnel_settle(t);
	return 0;
}

void lns_l2tp_counters(const struct lns_l2tp *l, struct l2tp_counters *c)
{
	const struct l2tp_tunnel *t;
	struct l2tp_rdt_stats st = l->closed_rdt;

	TAILQ_FOREACH (t, &l->tunnels, next) {
		st.tx += t->rdt.st.tx;
		st.rtx += t->rdt.st.rtx;
		st.rx_dup += t->rdt.st.rx_dup;
		st.rx_ooo += t->rdt.st.rx_ooo;
		st.zlb_tx += t->rdt.st.zlb_tx;
		st.zlb_rx += t->rdt.st.zlb_rx;
	}
	*c = l->c;
	c->tx_ctrl = st.tx;
	c->tx_retransmit = st.rtx;
	c->tx_zlb = st.zlb_tx;
	c->rx_zlb = st.zlb_rx;
	c->rx_duplicate = st.rx_dup;
	c->rx_out_of_order = st.rx_ooo;
}

int lns_l2tp_init(struct lns_l2tp *l, struct lns_cp *cp)
{
	memset(l, 0, sizeof(*l));
	l->cp = cp;
	TAILQ_INIT(&l->tunnels);
	l->by_tid = calloc(65536, sizeof(*l->by_tid));
	if (l->by_tid == NULL)
		return -ENOMEM;
	l->next_tid = (uint16_t)rte_rand();
	return l2tp_sessions_init(l, cp->rt->cfg->l2tp.max_sessions);
}

void lns_l2tp_fini(struct lns_l2tp *l)
{
	struct l2tp_tunnel *t;

	if (l->by_tid == NULL)
		return;
	/* Tell every LAC; the stop does not wait for their acknowledgements. */
	TAILQ_FOREACH (t, &l->tunnels, next)
		l2tp_tunnel_stop(t, L2TP_STOPCCN_SHUTDOWN, -1, "LNS shutting down");
	while ((t = TAILQ_FIRST(&l->tunnels)) != NULL)
		tunnel_free(t);
	free(l->by_tid);
	l->by_tid = NULL;
	l2tp_sessions_fini(l);
}
