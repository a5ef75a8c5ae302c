/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 1661 section 4: the option negotiation automaton. Main lcore only.
 * The state transition table below is section 4.1's, column for column; the
 * actions of one cell run in a fixed order (tld first, tlu/tlf last), the
 * order the RFC writes them in.
 *
 *  Packet (section 5):
 *  +--------+------------+---------------------+
 *  |  Code  | Identifier |       Length        |  Length counts the header; octets
 *  +--------+------------+---------------------+  past it are padding and ignored
 *  |  Data ...
 */
#include <string.h>

#include "cp/ppp_fsm.h"

#define _ -1
#define T(a, n) {(a), (n)}
#define NONE(n) {0, (n)}
#define X {0, _}

/* Abbreviations for the table only. */
#define tld PPP_A_TLD
#define tls PPP_A_TLS
#define irc PPP_A_IRC
#define zrc PPP_A_ZRC
#define scr PPP_A_SCR
#define sca PPP_A_SCA
#define scn PPP_A_SCN
#define str PPP_A_STR
#define sta PPP_A_STA
#define scj PPP_A_SCJ
#define ser PPP_A_SER
#define tlu PPP_A_TLU
#define tlf PPP_A_TLF

/* clang-format off */
const struct ppp_transition ppp_fsm_table[PPP_N_STATES][PPP_N_EVENTS] = {
	/*            Up               Down         Open             Close                 TO+          TO-          RCR+                 RCR-                 RCA              RCN              RTR                  RTA              RUC          RXJ+      RXJ-                 RXR */
	[PPP_INITIAL]  = {NONE(2),         X,           T(tls, 1),       NONE(0),              X,           X,           X,                   X,                   X,               X,               X,                   X,               X,           X,        X,                   X},
	[PPP_STARTING] = {T(irc|scr, 6),   X,           NONE(1),         T(tlf, 0),            X,           X,           X,                   X,                   X,               X,               X,                   X,               X,           X,        X,                   X},
	[PPP_CLOSED]   = {X,               NONE(0),     T(irc|scr, 6),   NONE(2),              X,           X,           T(sta, 2),           T(sta, 2),           T(sta, 2),       T(sta, 2),       T(sta, 2),           NONE(2),         T(scj, 2),   NONE(2),  T(tlf, 2),           NONE(2)},
	[PPP_STOPPED]  = {X,               T(tls, 1),   NONE(3),         NONE(2),              X,           X,           T(irc|scr|sca, 8),   T(irc|scr|scn, 6),   T(sta, 3),       T(sta, 3),       T(sta, 3),           NONE(3),         T(scj, 3),   NONE(3),  T(tlf, 3),           NONE(3)},
	[PPP_CLOSING]  = {X,               NONE(0),     NONE(5),         NONE(4),              T(str, 4),   T(tlf, 2),   NONE(4),             NONE(4),             NONE(4),         NONE(4),         T(sta, 4),           T(tlf, 2),       T(scj, 4),   NONE(4),  T(tlf, 2),           NONE(4)},
	[PPP_STOPPING] = {X,               NONE(1),     NONE(5),         NONE(4),              T(str, 5),   T(tlf, 3),   NONE(5),             NONE(5),             NONE(5),         NONE(5),         T(sta, 5),           T(tlf, 3),       T(scj, 5),   NONE(5),  T(tlf, 3),           NONE(5)},
	[PPP_REQ_SENT] = {X,               NONE(1),     NONE(6),         T(irc|str, 4),        T(scr, 6),   T(tlf, 3),   T(sca, 8),           T(scn, 6),           T(irc, 7),       T(irc|scr, 6),   T(sta, 6),           NONE(6),         T(scj, 6),   NONE(6),  T(tlf, 3),           NONE(6)},
	[PPP_ACK_RCVD] = {X,               NONE(1),     NONE(7),         T(irc|str, 4),        T(scr, 6),   T(tlf, 3),   T(sca|tlu, 9),       T(scn, 7),           T(scr, 6),       T(scr, 6),       T(sta, 6),           NONE(6),         T(scj, 7),   NONE(6),  T(tlf, 3),           NONE(7)},
	[PPP_ACK_SENT] = {X,               NONE(1),     NONE(8),         T(irc|str, 4),        T(scr, 8),   T(tlf, 3),   T(sca, 8),           T(scn, 6),           T(irc|tlu, 9),   T(irc|scr, 8),   T(sta, 6),           NONE(8),         T(scj, 8),   NONE(8),  T(tlf, 3),           NONE(8)},
	[PPP_OPENED]   = {X,               T(tld, 1),   NONE(9),         T(tld|irc|str, 4),    X,           X,           T(tld|scr|sca, 8),   T(tld|scr|scn, 6),   T(tld|scr, 6),   T(tld|scr, 6),   T(tld|zrc|sta, 5),   T(tld|scr, 6),   T(scj, 9),   NONE(9),  T(tld|irc|str, 5),   T(ser, 9)},
};
/* clang-format on */

#undef tld
#undef tls
#undef irc
#undef zrc
#undef scr
#undef sca
#undef scn
#undef str
#undef sta
#undef scj
#undef ser
#undef tlu
#undef tlf

static const char *const state_names[PPP_N_STATES] = {
	"initial", "starting", "closed", "stopped", "closing",
	"stopping", "req-sent", "ack-rcvd", "ack-sent", "opened",
};
static const char *const event_names[PPP_N_EVENTS] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

const char *ppp_state_name(enum ppp_state s)
{
	return (unsigned)s < PPP_N_STATES ? state_names[s] : "?";
}

const char *ppp_event_name(enum ppp_event e)
{
	return (unsigned)e < PPP_N_EVENTS ? event_names[e] : "?";
}

void ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const char *name,
		  const struct ppp_fsm_cfg *cfg, const struct ppp_fsm_ops *ops, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->name = name;
	f->cfg = *cfg;
	f->ops = ops;
	f->ctx = ctx;
	f->state = PPP_INITIAL;
}

static void put_hdr(uint8_t *p, uint8_t code, uint8_t id, size_t len)
{
	p[0] = code;
	p[1] = id;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
}

static void send_pkt(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t pkt[PPP_MAX_PKT];

	if (len > sizeof(pkt) - PPP_HDR_LEN)
		len = sizeof(pkt) - PPP_HDR_LEN;
	put_hdr(pkt, code, id, PPP_HDR_LEN + len);
	if (len)
		memcpy(pkt + PPP_HDR_LEN, data, len);
	f->ops->send(f->ctx, f->proto, pkt, PPP_HDR_LEN + len);
}

static void start_timer(struct ppp_fsm *f)
{
	f->timer_at = f->now + f->cfg.restart_ms;
}

/* scr: a new Configure-Request with a new Identifier (section 5.1). */
static void send_conf_req(struct ppp_fsm *f)
{
	uint8_t opts[PPP_MAX_PKT - PPP_HDR_LEN];
	size_t len = f->ops->addci(f->ctx, opts, sizeof(opts));

	f->id++;
	send_pkt(f, PPP_CONF_REQ, f->id, opts, len);
	if (f->restart)
		f->restart--;
	start_timer(f);
}

static void send_term_req(struct ppp_fsm *f)
{
	const char *r = f->term_reason ? f->term_reason : "";

	f->id++;
	send_pkt(f, PPP_TERM_REQ, f->id, (const uint8_t *)r, strlen(r));
	if (f->restart)
		f->restart--;
	start_timer(f);
}

/* The reply to the Configure-Request being handled (sca/scn) and its Identifier. */
struct rcr {
	uint8_t code;
	uint8_t id;
	const uint8_t *opts;
	size_t len;
};

/* The packet being handled, for sta/scj. */
struct rx {
	uint8_t id;
	const uint8_t *pkt;
	size_t len;
};

static void run(struct ppp_fsm *f, enum ppp_event ev, const struct rcr *rcr, const struct rx *rx)
{
	const struct ppp_transition *tr = &ppp_fsm_table[f->state][ev];
	uint16_t a = tr->actions;

	if (tr->next < 0) {
		f->rx_bad++; /* an event the table says cannot happen here */
		return;
	}
	if (a & PPP_A_TLD)
		f->ops->down(f->ctx);
	if (a & PPP_A_IRC)
		f->restart = (a & PPP_A_STR) ? f->cfg.max_terminate : f->cfg.max_configure;
	if (a & PPP_A_ZRC) {
		f->restart = 0;
		start_timer(f);
	}
	if (a & PPP_A_SCR)
		send_conf_req(f);
	if ((a & (PPP_A_SCA | PPP_A_SCN)) && rcr)
		send_pkt(f, rcr->code, rcr->id, rcr->opts, rcr->len);
	if (a & PPP_A_STR)
		send_term_req(f);
	if ((a & PPP_A_STA) && rx)
		send_pkt(f, PPP_TERM_ACK, rx->id, NULL, 0);
	if ((a & PPP_A_SCJ) && rx)
		ppp_fsm_code_reject(f, rx->pkt, rx->len);
	if ((a & PPP_A_SER) && rx && f->ops->extcode)
		f->ops->extcode(f->ctx, rx->pkt[0], rx->id, rx->pkt + PPP_HDR_LEN,
				rx->len - PPP_HDR_LEN);

	f->state = (enum ppp_state)tr->next;
	switch (f->state) {
	case PPP_CLOSING:
	case PPP_STOPPING:
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		break;
	default:
		f->timer_at = 0; /* states without the restart timer */
	}
	if (a & PPP_A_TLS)
		f->ops->started(f->ctx);
	if (a & PPP_A_TLU)
		f->ops->up(f->ctx);
	if (a & PPP_A_TLF)
		f->ops->finished(f->ctx);
}

void ppp_fsm_up(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	run(f, PPP_EV_UP, NULL, NULL);
}

void ppp_fsm_down(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	run(f, PPP_EV_DOWN, NULL, NULL);
}

void ppp_fsm_open(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	run(f, PPP_EV_OPEN, NULL, NULL);
}

void ppp_fsm_close(struct ppp_fsm *f, const char *reason, uint64_t now)
{
	f->now = now;
	f->term_reason = reason;
	run(f, PPP_EV_CLOSE, NULL, NULL);
}

void ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now)
{
	if (f->timer_at == 0 || now < f->timer_at)
		return;
	f->now = now;
	f->timer_at = 0;
	run(f, f->restart > 0 ? PPP_EV_TO_PLUS : PPP_EV_TO_MINUS, NULL, NULL);
}

void ppp_fsm_proto_rejected(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	run(f, PPP_EV_RXJ_MINUS, NULL, NULL);
}

void ppp_fsm_code_reject(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	/* The rejected packet, cut to fit the peer's MRU at worst (section 5.6). */
	if (len > PPP_MAX_PKT - PPP_HDR_LEN - 8)
		len = PPP_MAX_PKT - PPP_HDR_LEN - 8;
	send_pkt(f, PPP_CODE_REJ, ++f->rej_id, pkt, len);
}

static void rcv_conf_req(struct ppp_fsm *f, const struct rx *rx)
{
	uint8_t out[PPP_MAX_OPTS];
	size_t out_len = 0;
	struct rcr r = {.id = rx->id, .opts = out};
	int code;

	/* Closed and Stopping answer with Terminate-Ack; no need to look inside. */
	if (f->state == PPP_CLOSED || f->state == PPP_CLOSING || f->state == PPP_STOPPING) {
		run(f, PPP_EV_RCR_PLUS, NULL, rx);
		return;
	}
	code = f->ops->reqci(f->ctx, rx->pkt + PPP_HDR_LEN, rx->len - PPP_HDR_LEN, out, &out_len,
			     f->failures >= f->cfg.max_failure);
	r.code = (uint8_t)code;
	r.len = out_len;
	if (code == PPP_CONF_NAK)
		f->failures++;
	else if (code == PPP_CONF_ACK)
		f->failures = 0;
	run(f, code == PPP_CONF_ACK ? PPP_EV_RCR_PLUS : PPP_EV_RCR_MINUS, &r, rx);
}

/* An Ack, Nak or Reject must answer our latest request (section 5.2). */
static void rcv_conf_reply(struct ppp_fsm *f, uint8_t code, const struct rx *rx)
{
	const uint8_t *opt = rx->pkt + PPP_HDR_LEN;
	size_t len = rx->len - PPP_HDR_LEN;
	int ret;

	if (rx->id != f->id) {
		f->rx_bad++; /* stale: silently discarded */
		return;
	}
	switch (f->state) {
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
	case PPP_OPENED:
		ret = code == PPP_CONF_ACK ? f->ops->ackci(f->ctx, opt, len)
		      : code == PPP_CONF_NAK ? f->ops->nakci(f->ctx, opt, len)
					     : f->ops->rejci(f->ctx, opt, len);
		if (ret < 0) {
			f->rx_bad++; /* does not match what we asked: discarded */
			return;
		}
		break;
	default:
		break;
	}
	run(f, code == PPP_CONF_ACK ? PPP_EV_RCA : PPP_EV_RCN, NULL, rx);
}

void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct rx rx;
	size_t plen;

	f->now = now;
	if (len < PPP_HDR_LEN) {
		f->rx_bad++;
		return;
	}
	plen = (size_t)pkt[2] << 8 | pkt[3];
	if (plen < PPP_HDR_LEN || plen > len || plen > PPP_MAX_PKT) {
		f->rx_bad++; /* section 5: silently discarded; no control packet needs more */
		return;
	}
	rx.id = pkt[1];
	rx.pkt = pkt;
	rx.len = plen;
	if (f->state == PPP_INITIAL || f->state == PPP_STARTING) {
		f->rx_bad++; /* the lower layer is not up: nothing can arrive */
		return;
	}
	switch (pkt[0]) {
	case PPP_CONF_REQ:
		return rcv_conf_req(f, &rx);
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		return rcv_conf_reply(f, pkt[0], &rx);
	case PPP_TERM_REQ:
		return run(f, PPP_EV_RTR, NULL, &rx);
	case PPP_TERM_ACK:
		return run(f, PPP_EV_RTA, NULL, &rx);
	case PPP_CODE_REJ:
		if (f->ops->reject_fatal &&
		    f->ops->reject_fatal(f->ctx, PPP_CODE_REJ, pkt + PPP_HDR_LEN, plen - PPP_HDR_LEN))
			return run(f, PPP_EV_RXJ_MINUS, NULL, &rx);
		return run(f, PPP_EV_RXJ_PLUS, NULL, &rx);
	default:
		break;
	}
	if (f->ops->extcode && pkt[0] >= PPP_PROTO_REJ && pkt[0] <= PPP_DISCARD_REQ) {
		if (pkt[0] == PPP_PROTO_REJ) {
			/* LCP passes Protocol-Rejects on to the rejected protocol's fsm. */
			f->ops->extcode(f->ctx, pkt[0], rx.id, pkt + PPP_HDR_LEN, plen - PPP_HDR_LEN);
			return;
		}
		return run(f, PPP_EV_RXR, NULL, &rx);
	}
	f->rx_unknown_code++;
	run(f, PPP_EV_RUC, NULL, &rx);
}
