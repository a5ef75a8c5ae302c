/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2TP incoming calls, LNS side (RFC 2661 sections 5.2.1, 5.7, 7.4.2).
 * Main lcore only. Owns the session table (our (tunnel, session) IDs ->
 * session) and publishes each session's entry in the workers' table
 * (dp/session.h), withdrawn when the session goes.
 *
 *   ICRQ ──▶ limits ──▶ ICRP sent ──▶ WAIT_CONNECT ── ICCN ──▶ ESTABLISHED
 *     └─ refused: CDN          CDN either way, or the tunnel's end: session freed
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>

#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "cp/radius_codec.h"
#include "dp/session.h"

static struct lns_l2tp *L(const struct l2tp_tunnel *t)
{
	return &t->cp->l2tp;
}

static uint32_t key_of(uint16_t tid, uint16_t sid)
{
	return (uint32_t)tid << 16 | sid;
}

const char *l2tp_session_state_name(enum l2tp_session_state s)
{
	return s == L2TP_S_WAIT_CONNECT ? "wait-connect" : "established";
}

struct l2tp_session *l2tp_session_find(struct l2tp_tunnel *t, uint16_t sid)
{
	uint32_t k = key_of(t->tid, sid);
	void *s;

	if (rte_hash_lookup_data(L(t)->sessions, &k, &s) < 0)
		return NULL;
	return s;
}

static struct l2tp_session *find_by_peer_sid(struct l2tp_tunnel *t, uint16_t peer_sid)
{
	struct l2tp_session *s;

	TAILQ_FOREACH (s, &t->sessions, next)
		if (s->peer_sid == peer_sid)
			return s;
	return NULL;
}

static void blob_free(struct l2tp_blob *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

static void blob_set(struct l2tp_blob *b, const struct l2tp_bytes *v)
{
	blob_free(b);
	if (v->len == 0)
		return;
	b->p = malloc(v->len);
	if (b->p == NULL)
		return;
	memcpy(b->p, v->p, v->len);
	b->len = v->len;
}

void l2tp_copy_str(char *dst, size_t cap, const struct l2tp_str *s)
{
	size_t n = s->len < cap - 1 ? s->len : cap - 1;

	memcpy(dst, s->s, n);
	dst[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)dst[i] < 0x20 || (unsigned char)dst[i] > 0x7e)
			dst[i] = '?';
}

char *l2tp_dup_str(const struct l2tp_str *s, size_t cap)
{
	size_t n = s->len < cap - 1 ? s->len : cap - 1;
	char *d = n ? malloc(n + 1) : NULL;

	if (d)
		l2tp_copy_str(d, n + 1, s);
	return d;
}

/* Free a session: withdraw it from the workers, forget it. No message is sent. */
void l2tp_session_close(struct l2tp_session *s, const char *why)
{
	struct l2tp_tunnel *t = s->t;
	struct lns_l2tp *l = L(t);
	uint32_t k = key_of(t->tid, s->sid);

	if (s->state == L2TP_S_ESTABLISHED)
		l->c.sessions_closed++;
	LNS_LOG(INFO, cp, "session %u/%u (%s) closed: %s", t->tid, s->sid,
		s->ppp && s->ppp->user[0] ? s->ppp->user : L2TP_STR(s->calling), why);
	if (s->ppp)
		ppp_session_free(s->ppp); /* the address goes back, the workers stop forwarding */
	lns_session_withdraw(t->cp->rt->sessions, t->tid, s->sid);
	lns_session_slot_free(t->cp->rt->sessions, s->slot);
	rte_hash_del_key(l->sessions, &k);
	TAILQ_REMOVE(&t->sessions, s, next);
	t->n_sessions--;
	l->n_sessions--;
	blob_free(&s->private_group);
	blob_free(&s->lcp_initial_rx);
	blob_free(&s->lcp_last_tx);
	blob_free(&s->lcp_last_rx);
	blob_free(&s->proxy_auth_chal);
	blob_free(&s->proxy_auth_resp);
	free(s->calling);
	free(s->called);
	free(s->sub_address);
	free(s->proxy_auth_name);
	free(s);
}

void l2tp_sessions_close_all(struct l2tp_tunnel *t, const char *why)
{
	struct l2tp_session *s;

	while ((s = TAILQ_FIRST(&t->sessions)) != NULL) {
		if (s->term_cause == 0)
			s->term_cause = t->cp->shutting_down ? RADIUS_TERM_ADMIN_REBOOT
							     : RADIUS_TERM_LOST_SERVICE;
		l2tp_session_close(s, why);
	}
}

/* CDN for the peer's session PEER_SID; our_sid 0 when we never assigned one. */
static void send_cdn(struct l2tp_tunnel *t, uint16_t our_sid, uint16_t peer_sid, uint16_t result,
		     int error, const char *msg)
{
	uint8_t buf[256];
	struct l2tp_builder b;

	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), peer_sid, L2TP_MSG_CDN) < 0)
		return;
	l2tp_put_result(&b, result, error, msg);
	l2tp_put_u16(&b, L2TP_AVP_SESSION_ID, our_sid);
	if (l2tp_tunnel_send(t, &b) == 0)
		L(t)->c.cdn_tx++;
}

void l2tp_tunnel_dp_path(const struct l2tp_tunnel *t, struct lns_dp_session *e)
{
	unsigned port;
	rte_be32_t nh;

	e->port = (uint8_t)t->port;
	e->nh_ip = t->peer_ip;
	if (cp_route4(t->cp, t->peer_ip, &port, &nh) == 0) {
		e->port = (uint8_t)port;
		e->nh_ip = nh;
	}
}

void l2tp_session_dp_entry(const struct l2tp_session *s, struct lns_dp_session *e)
{
	const struct l2tp_tunnel *t = s->t;

	e->tid = t->tid;
	e->sid = s->sid;
	e->peer_tid = t->peer_tid;
	e->peer_sid = s->peer_sid;
	e->local_ip = t->local_ip;
	e->peer_ip = t->peer_ip;
	e->peer_port = t->peer_port;
	e->slot = s->slot;
	l2tp_tunnel_dp_path(t, e);
}

static void handle_icrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	const struct lns_l2tp_cfg *lc = &t->cp->rt->cfg->l2tp;
	struct lns_l2tp *l = L(t);
	struct lns_dp_session dps = {0};
	struct l2tp_session *s;
	struct l2tp_builder b;
	uint8_t buf[128];
	uint32_t k;

	if (m->session_id == 0) {
		l->c.sessions_refused++;
		return send_cdn(t, 0, 0, L2TP_CDN_ERROR, L2TP_GERR_BAD_VALUE,
				"Assigned Session ID is 0");
	}
	if (find_by_peer_sid(t, m->session_id)) {
		l->c.sessions_refused++;
		return send_cdn(t, 0, m->session_id, L2TP_CDN_ERROR, L2TP_GERR_BAD_SESSION,
				"session ID already in use");
	}
	if (l->n_sessions >= lc->max_sessions ||
	    (t->peer && t->peer->max_sessions && t->n_sessions >= t->peer->max_sessions)) {
		l->c.sessions_refused++;
		LNS_LOG(NOTICE, cp, "tunnel %u (%s): ICRQ refused: session limit", t->tid,
			t->host_name);
		return send_cdn(t, 0, m->session_id, L2TP_CDN_NO_FACILITIES_TEMP, -1,
				"session limit reached");
	}
	s = calloc(1, sizeof(*s));
	/* Our session ID names the slot in the workers' table (dp/session.h); from a moving
	 * hint, so that an ID comes back late after its session closes. */
	if (s == NULL || (s->slot = lns_session_slot_alloc(t->cp->rt->sessions, t->tid, t->next_sid,
							   &s->sid)) == LNS_SESSION_SLOT_NONE) {
		free(s);
		l->c.sessions_refused++;
		return send_cdn(t, 0, m->session_id, L2TP_CDN_NO_FACILITIES_TEMP,
				L2TP_GERR_NO_RESOURCES, NULL);
	}
	t->next_sid = (uint16_t)(s->sid + 1);
	s->t = t;
	s->peer_sid = m->session_id;
	s->state = L2TP_S_WAIT_CONNECT;
	s->created_ms = cp_now_ms();
	s->call_serial = m->call_serial;
	s->bearer_type = m->bearer_type;
	s->phys_channel = m->phys_channel;
	s->calling = l2tp_dup_str(&m->calling_number, 64);
	s->called = l2tp_dup_str(&m->called_number, 64);
	s->sub_address = l2tp_dup_str(&m->sub_address, 64);

	k = key_of(t->tid, s->sid);
	/* The slot is the session's in the workers from now on: PPP's frames are punted
	 * to us until it is up. */
	l2tp_session_dp_entry(s, &dps);
	dps.mode = LNS_SESS_PUNT;
	if (rte_hash_add_key_data(l->sessions, &k, s) < 0 ||
	    lns_session_publish(t->cp->rt->sessions, &dps) < 0) {
		rte_hash_del_key(l->sessions, &k);
		lns_session_slot_free(t->cp->rt->sessions, s->slot);
		free(s);
		l->c.sessions_refused++;
		return send_cdn(t, 0, m->session_id, L2TP_CDN_NO_FACILITIES_TEMP,
				L2TP_GERR_NO_RESOURCES, NULL);
	}
	TAILQ_INSERT_TAIL(&t->sessions, s, next);
	t->n_sessions++;
	l->n_sessions++;

	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), s->peer_sid, L2TP_MSG_ICRP) == 0) {
		l2tp_put_u16(&b, L2TP_AVP_SESSION_ID, s->sid);
		l2tp_tunnel_send(t, &b);
	}
}

static void handle_iccn(struct l2tp_tunnel *t, struct l2tp_session *s, const struct l2tp_msg *m)
{
	if (s->state != L2TP_S_WAIT_CONNECT) {
		L(t)->c.fsm_error++;
		return;
	}
	s->framing_type = m->framing_type;
	s->tx_speed = m->tx_speed;
	s->rx_speed = (m->present & L2TP_BIT(L2TP_AVP_RX_SPEED)) ? m->rx_speed : m->tx_speed;
	s->seq_required = m->present & L2TP_BIT(L2TP_AVP_SEQ_REQUIRED);
	blob_set(&s->private_group, &m->private_group);
	blob_set(&s->lcp_initial_rx, &m->lcp_initial_rx);
	blob_set(&s->lcp_last_tx, &m->lcp_last_tx);
	blob_set(&s->lcp_last_rx, &m->lcp_last_rx);
	s->proxy_auth_type = m->proxy_auth_type;
	s->proxy_auth_id = m->proxy_auth_id;
	free(s->proxy_auth_name);
	s->proxy_auth_name = l2tp_dup_str(&m->proxy_auth_name, 64);
	blob_set(&s->proxy_auth_chal, &m->proxy_auth_chal);
	blob_set(&s->proxy_auth_resp, &m->proxy_auth_resp);
	s->state = L2TP_S_ESTABLISHED;
	s->established_ms = cp_now_ms();
	L(t)->c.sessions_opened++;
	LNS_LOG(INFO, cp,
		"session %u/%u up: peer session %u, calling \"%s\", called \"%s\", %u/%u bps%s%s",
		t->tid, s->sid, s->peer_sid, L2TP_STR(s->calling), L2TP_STR(s->called), s->tx_speed,
		s->rx_speed, s->seq_required ? ", sequencing required" : "",
		s->lcp_last_rx.len ? ", proxy LCP" : "");
	/*
	 * Acknowledge the ICCN now rather than with the delayed ack: some LACs
	 * (lwIP) drop PPP frames until their ICCN is acknowledged, and our LCP
	 * Configure-Request follows at once.
	 */
	l2tp_rdt_ack_now(&t->rdt);
	if (ppp_session_start(t->cp, s) < 0) {
		send_cdn(t, s->sid, s->peer_sid, L2TP_CDN_NO_FACILITIES_TEMP,
			 L2TP_GERR_NO_RESOURCES, NULL);
		l2tp_session_close(s, "out of memory for PPP");
	}
}

static void handle_cdn(struct l2tp_tunnel *t, struct l2tp_session *s, const struct l2tp_msg *m)
{
	char why[160];

	L(t)->c.cdn_rx++;
	s->term_cause = RADIUS_TERM_LOST_CARRIER;
	snprintf(why, sizeof(why), "CDN from the LAC: %s (error %u%s%.*s)%s%s",
		 l2tp_result_name(L2TP_MSG_CDN, m->result.result),
		 m->result.has_error ? m->result.error : 0, m->result.msg.len ? ": " : "",
		 (int)m->result.msg.len, m->result.msg.s,
		 (m->present & L2TP_BIT(L2TP_AVP_Q931_CAUSE)) ? ", Q.931 cause: " : "",
		 (m->present & L2TP_BIT(L2TP_AVP_Q931_CAUSE)) ? l2tp_q931_cause_name(m->q931.cause)
							      : "");
	l2tp_session_close(s, why);
}

void l2tp_session_input(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct lns_l2tp *l = L(t);
	struct l2tp_session *s = NULL;

	if (m->msg_type == L2TP_MSG_ICRQ)
		return handle_icrq(t, m);
	if (m->msg_type == L2TP_MSG_OCRQ) {
		/* Outgoing calls are placed by the LNS, never asked of it. */
		l->c.fsm_error++;
		return send_cdn(t, 0, m->session_id, L2TP_CDN_NO_FACILITIES_PERM, -1,
				"outgoing calls are not supported");
	}
	if (m->hdr.session_id)
		s = l2tp_session_find(t, m->hdr.session_id);
	else if (m->msg_type == L2TP_MSG_CDN && (m->present & L2TP_BIT(L2TP_AVP_SESSION_ID)))
		s = find_by_peer_sid(t, m->session_id); /* CDN before our ICRP arrived */
	if (s == NULL) {
		l->c.fsm_error++;
		return;
	}
	if (m->unknown_mandatory) {
		send_cdn(t, s->sid, s->peer_sid, L2TP_CDN_ERROR, L2TP_GERR_UNKNOWN_AVP, NULL);
		return l2tp_session_close(s, "unknown mandatory AVP");
	}
	switch (m->msg_type) {
	case L2TP_MSG_ICCN:
		return handle_iccn(t, s, m);
	case L2TP_MSG_CDN:
		return handle_cdn(t, s, m);
	case L2TP_MSG_SLI:
		l->c.sli_rx++;
		s->accm_send = m->accm_send;
		s->accm_recv = m->accm_recv;
		return;
	case L2TP_MSG_WEN:
		l->c.wen_rx++;
		return;
	default:
		l->c.fsm_error++;
	}
}

int l2tp_session_send_data(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	struct l2tp_tunnel *t = s->t;
	uint8_t buf[16 + PPP_MAX_PKT + 4];
	size_t h = 6;

	if (len > sizeof(buf) - 10)
		return -EMSGSIZE;
	/* RFC 2661 section 3.1: T=0; S with Ns when the LAC required sequencing. */
	buf[0] = s->seq_required ? 0x08 : 0x00;
	buf[1] = 0x02;
	buf[2] = (uint8_t)(t->peer_tid >> 8);
	buf[3] = (uint8_t)t->peer_tid;
	buf[4] = (uint8_t)(s->peer_sid >> 8);
	buf[5] = (uint8_t)s->peer_sid;
	if (s->seq_required) {
		/* one sequence with the workers' data messages on this session */
		uint16_t ns = lns_session_next_ns(t->cp->rt->sessions, s->slot);

		buf[6] = (uint8_t)(ns >> 8);
		buf[7] = (uint8_t)ns;
		buf[8] = buf[9] = 0; /* Nr is reserved in data messages */
		h = 10;
	}
	memcpy(buf + h, frame, len);
	return cp_udp4_send(t->cp, t->local_ip, t->peer_ip, t->cp->rt->cfg->l2tp.port, t->peer_port,
			    buf, h + len);
}

void l2tp_session_data(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	if (s->ppp)
		ppp_session_input(s->ppp, frame, len);
}

void l2tp_session_disconnect(struct l2tp_session *s, uint16_t result, uint16_t error,
			     const char *msg, uint16_t code, uint16_t proto, uint8_t dir)
{
	struct l2tp_tunnel *t = s->t;
	uint8_t buf[256];
	struct l2tp_builder b;

	if (l2tp_msg_begin(t, &b, buf, sizeof(buf), s->peer_sid, L2TP_MSG_CDN) == 0) {
		l2tp_put_result(&b, result, error ? error : -1, msg);
		l2tp_put_u16(&b, L2TP_AVP_SESSION_ID, s->sid);
		if (code)
			l2tp_put_ppp_disconnect(&b, code, proto, dir, msg);
		if (l2tp_tunnel_send(t, &b) == 0)
			L(t)->c.cdn_tx++;
	}
	l2tp_session_close(s, msg);
	l2tp_tunnel_settle(t);
}

int lns_l2tp_disconnect_session(struct lns_l2tp *l, uint16_t tid, uint16_t sid)
{
	struct l2tp_tunnel *t = l->by_tid[tid];
	struct l2tp_session *s = t ? l2tp_session_find(t, sid) : NULL;

	if (s == NULL)
		return -ENOENT;
	send_cdn(t, s->sid, s->peer_sid, L2TP_CDN_ADMIN, -1, "administrative disconnect");
	s->term_cause = RADIUS_TERM_ADMIN_RESET;
	l2tp_session_close(s, "administrative disconnect");
	l2tp_tunnel_settle(t);
	return 0;
}

int l2tp_sessions_init(struct lns_l2tp *l, unsigned entries)
{
	struct rte_hash_parameters p = {
		.name = "l2tp_sessions",
		.entries = entries + entries / 8 + 64, /* cuckoo tables fill before 100 % */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
		.key_len = sizeof(uint32_t),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
	};

	l->sessions = rte_hash_create(&p);
	return l->sessions ? 0 : -ENOMEM;
}

void l2tp_sessions_fini(struct lns_l2tp *l)
{
	rte_hash_free(l->sessions);
	l->sessions = NULL;
}
