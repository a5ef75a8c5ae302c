/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP over one L2TP session: framing, demultiplexing, phases, the session's
 * one timer, and teardown. Main lcore only.
 *
 *  PPP in an L2TP data message (RFC 2661 section 5.4, RFC 1662 section 3):
 *  +------+------+----------------+---------
 *  | 0xff | 0x03 |    Protocol    | Information ...
 *  +------+------+----------------+---------
 *  Address and Control may be absent (ACFC), Protocol may be one octet
 *  (PFC, odd low bit); we accept every form and send the full one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "cp/radius_codec.h"

uint64_t ppp_now(void)
{
	return cp_now_ms();
}

const char *ppp_phase_name(enum ppp_phase ph)
{
	static const char *const n[] = {"dead", "establish", "authenticate", "network",
					"terminate"};

	return (unsigned)ph < RTE_DIM(n) ? n[ph] : "?";
}

const char *auth_proto_name(enum auth_proto a)
{
	return a == AUTH_PAP ? "pap" : a == AUTH_CHAP_MD5 ? "chap-md5" : "mschapv2";
}

void ppp_send(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t f[4 + PPP_MAX_PKT];

	if (p->dying && proto != PPP_LCP)
		return;
	if (len > PPP_MAX_PKT)
		len = PPP_MAX_PKT;
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, pkt, len);
	if (l2tp_session_send_data(p->ls, f, len + 4) == 0)
		p->cp->ppp_c.tx_frames++;
}

static void ppp_timer(struct rte_timer *t, void *arg);

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

void ppp_arm(struct ppp_session *p)
{
	uint64_t now = ppp_now(), next = 0;

	if (p->dying) {
		next = now;
	} else {
		next = earliest(next, p->lcp.timer_at);
		next = earliest(next, p->ipcp.timer_at);
		next = earliest(next, p->ipv6cp.timer_at);
		next = earliest(next, p->echo_at);
		next = earliest(next, p->auth_at);
		next = earliest(next, p->interim_at);
		next = earliest(next, p->session_end_at);
		next = earliest(next, p->idle_check_at);
		next = earliest(next, p->ra_at);
	}
	if (next == 0) {
		rte_timer_stop(&p->timer);
		return;
	}
	rte_timer_reset(&p->timer, (next > now ? next - now : 0) * rte_get_timer_hz() / 1000 + 1,
			SINGLE, rte_lcore_id(), ppp_timer, p);
}

void ppp_kill(struct ppp_session *p, uint16_t cdn_result, uint16_t cdn_error, uint16_t code,
	      uint16_t proto, uint8_t dir, const char *why)
{
	if (p->dying)
		return; /* the first reason is the one that counts */
	p->dying = true;
	if (p->term_cause == 0) /* RFC 3145 cause to RFC 2866 Acct-Terminate-Cause */
		p->term_cause = code == L2TP_PPP_DISC_NORMAL          ? RADIUS_TERM_USER_REQUEST
				: code == L2TP_PPP_DISC_LCP_KEEPALIVE ? RADIUS_TERM_LOST_CARRIER
				: cdn_result == L2TP_CDN_ADMIN        ? RADIUS_TERM_ADMIN_RESET
								      : RADIUS_TERM_NAS_ERROR;
	p->phase = PPP_PHASE_TERMINATE;
	p->cdn_result = cdn_result;
	p->cdn_error = cdn_error;
	p->disc_code = code;
	p->disc_proto = proto;
	p->disc_dir = dir;
	snprintf(p->why, sizeof(p->why), "%s", why);
	ppp_arm(p);
}

static void ppp_timer(struct rte_timer *t, void *arg)
{
	struct ppp_session *p = arg;
	uint64_t now = ppp_now();

	RTE_SET_USED(t);
	if (p->dying) {
		/* Sends the CDN and closes the L2TP session, which frees p. */
		l2tp_session_disconnect(p->ls, p->cdn_result, p->cdn_error, p->why, p->disc_code,
					p->disc_proto, p->disc_dir);
		return;
	}
	ppp_fsm_timeout(&p->lcp, now);
	ppp_fsm_timeout(&p->ipcp, now);
	ppp_fsm_timeout(&p->ipv6cp, now);
	ppp_lcp_echo_tick(p, now);
	ppp_auth_tick(p, now);
	ppp_acct_tick(p, now);
	ppp_v6_tick(p, now);
	if (p->session_end_at && now >= p->session_end_at) {
		p->term_cause = RADIUS_TERM_SESSION_TIMEOUT;
		ppp_kill(p, L2TP_CDN_ADMIN, L2TP_GERR_NONE, L2TP_PPP_DISC_ADMIN, 0,
			 L2TP_PPP_DISC_DIR_LOCAL, "session timeout");
	}
	if (p->idle_check_at && now >= p->idle_check_at) {
		struct lns_sess_ctr c;
		uint64_t seen;

		ppp_traffic(p, &c);
		seen = c.up_pkts + c.down_pkts;
		if (seen != p->last_traffic) {
			p->last_traffic = seen;
			p->last_active_ms = now;
		}
		if (now - p->last_active_ms >= p->idle_timeout * 1000ull) {
			p->term_cause = RADIUS_TERM_IDLE_TIMEOUT;
			ppp_kill(p, L2TP_CDN_ADMIN, L2TP_GERR_NONE, L2TP_PPP_DISC_ADMIN, 0,
				 L2TP_PPP_DISC_DIR_LOCAL, "idle timeout");
		}
		p->idle_check_at = now + 1000;
	}
	ppp_arm(p);
}

void ppp_set_session_timeout(struct ppp_session *p, uint32_t s)
{
	p->session_end_at = s ? ppp_now() + s * 1000ull : 0;
	ppp_arm(p);
}

void ppp_set_idle_timeout(struct ppp_session *p, uint32_t s)
{
	p->idle_timeout = s;
	p->last_active_ms = ppp_now();
	p->idle_check_at = s ? ppp_now() + 1000 : 0;
	ppp_arm(p);
}

void ppp_disconnect_admin(struct ppp_session *p, uint32_t term_cause, const char *why)
{
	p->term_cause = term_cause;
	ppp_kill(p, L2TP_CDN_ADMIN, L2TP_GERR_NONE, L2TP_PPP_DISC_ADMIN, 0, L2TP_PPP_DISC_DIR_LOCAL,
		 why);
}

int ppp_session_start(struct lns_cp *cp, struct l2tp_session *ls)
{
	struct ppp_session *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return -ENOMEM;
	p->cp = cp;
	p->ls = ls;
	p->user = (char *)ppp_no_user;
	p->pool = -1;
	p->pfx.pool = p->pd.pool = -1;
	p->auth_reply.pool = p->auth_reply.pool6 = p->auth_reply.pd_pool = -1;
	p->started_ms = ppp_now();
	{
		static uint32_t serial;

		/* Unique across restarts too: start time in seconds, then a counter. */
		snprintf(p->acct_session_id, sizeof(p->acct_session_id), "%08X%08X",
			 (uint32_t)time(NULL), ++serial);
	}
	rte_timer_init(&p->timer);
	ls->ppp = p;
	cp->ppp_c.sessions_started++;
	ppp_lcp_init(p);
	ppp_ncp_init(p);
	p->phase = PPP_PHASE_ESTABLISH;
	if (!ppp_lcp_proxy(p)) {
		ppp_fsm_open(&p->lcp, p->started_ms);
		ppp_fsm_up(&p->lcp, p->started_ms);
	}
	ppp_arm(p);
	return 0;
}

void ppp_session_free(struct ppp_session *p)
{
	ppp_acct_stop(p, p->term_cause       ? p->term_cause
			 : p->ls->term_cause ? p->ls->term_cause
					     : RADIUS_TERM_NAS_ERROR);
	ppp_auth_cancel(p);
	ppp_ncp_release(p);
	rte_timer_stop_sync(&p->timer);
	p->ls->ppp = NULL;
	ppp_auth_free(p);
	free(p);
}
