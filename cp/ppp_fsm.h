/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PPP option negotiation automaton of RFC 1661 section 4, shared by LCP,
 * IPCP and IPv6CP. Pure C: time is passed in and packets go out through a
 * callback, so the transition table is tested on its own
 * (tests/unit/test_ppp_fsm.c). Main lcore only; one instance per protocol per
 * session.
 */
#ifndef LNS_PPP_FSM_H
#define LNS_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 1661 section 5: packet codes of LCP; IPCP and IPv6CP use 1..7. */
enum ppp_code {
	PPP_CONF_REQ = 1,
	PPP_CONF_ACK = 2,
	PPP_CONF_NAK = 3,
	PPP_CONF_REJ = 4,
	PPP_TERM_REQ = 5,
	PPP_TERM_ACK = 6,
	PPP_CODE_REJ = 7,
	PPP_PROTO_REJ = 8, /* LCP only, from here on */
	PPP_ECHO_REQ = 9,
	PPP_ECHO_REP = 10,
	PPP_DISCARD_REQ = 11,
};

#define PPP_HDR_LEN 4 /* Code, Identifier, Length */
#define PPP_MAX_PKT 1500 /* longest control packet we take or send; longer ones are discarded */
#define PPP_MAX_OPTS (PPP_MAX_PKT - PPP_HDR_LEN) /* room a reqci may fill */

/* RFC 1661 section 4.2: states. */
enum ppp_state {
	PPP_INITIAL = 0,
	PPP_STARTING,
	PPP_CLOSED,
	PPP_STOPPED,
	PPP_CLOSING,
	PPP_STOPPING,
	PPP_REQ_SENT,
	PPP_ACK_RCVD,
	PPP_ACK_SENT,
	PPP_OPENED,
	PPP_N_STATES,
};

/* RFC 1661 section 4.3: events. */
enum ppp_event {
	PPP_EV_UP = 0,
	PPP_EV_DOWN,
	PPP_EV_OPEN,
	PPP_EV_CLOSE,
	PPP_EV_TO_PLUS, /* TO+: timeout with counter > 0 */
	PPP_EV_TO_MINUS,
	PPP_EV_RCR_PLUS, /* good Configure-Request */
	PPP_EV_RCR_MINUS,
	PPP_EV_RCA,
	PPP_EV_RCN, /* Configure-Nak or -Reject */
	PPP_EV_RTR,
	PPP_EV_RTA,
	PPP_EV_RUC, /* unknown code */
	PPP_EV_RXJ_PLUS, /* permitted Code- or Protocol-Reject */
	PPP_EV_RXJ_MINUS, /* catastrophic one */
	PPP_EV_RXR, /* Echo-Request, Echo-Reply, Discard-Request */
	PPP_N_EVENTS,
};

struct ppp_fsm;

/* What a protocol (LCP, IPCP, IPv6CP) plugs into the automaton. */
struct ppp_fsm_ops {
	/* Our Configure-Request's options into buf; their length. */
	size_t (*addci)(void *ctx, uint8_t *buf, size_t cap);
	/* The peer's Ack/Nak/Reject of our request; 0, or -1 when it makes no sense. */
	int (*ackci)(void *ctx, const uint8_t *opt, size_t len);
	int (*nakci)(void *ctx, const uint8_t *opt, size_t len);
	int (*rejci)(void *ctx, const uint8_t *opt, size_t len);
	/*
	 * The peer's Configure-Request: returns PPP_CONF_ACK, PPP_CONF_NAK or
	 * PPP_CONF_REJ and puts the options to send back into out (*out_len, at
	 * most PPP_MAX_OPTS).
	 * With reject_only (Max-Failure reached) it must not Nak.
	 */
	int (*reqci)(void *ctx, const uint8_t *opt, size_t len, uint8_t *out, size_t *out_len,
		     bool reject_only);
	/* This-Layer-Up/-Down/-Started/-Finished (section 4.4). */
	void (*up)(void *ctx);
	void (*down)(void *ctx);
	void (*started)(void *ctx);
	void (*finished)(void *ctx);
	/* Codes beyond 7 (LCP); returns 0 when handled, -1 for an unknown code. */
	int (*extcode)(void *ctx, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
	/* A Code- or Protocol-Reject: true when what was rejected is needed (RXJ-). */
	bool (*reject_fatal)(void *ctx, uint8_t code, const uint8_t *data, size_t len);
	/* Put a packet of this protocol on the link. */
	void (*send)(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len);
};

struct ppp_fsm_cfg {
	unsigned restart_ms;	/* Restart timer, default 3000 */
	unsigned max_configure; /* default 10 */
	unsigned max_terminate; /* default 2 */
	unsigned max_failure;	/* Naks before Rejects, default 5 */
};

struct ppp_fsm {
	const struct ppp_fsm_ops *ops;
	void *ctx;
	uint16_t proto;
	const char *name;
	struct ppp_fsm_cfg cfg;
	enum ppp_state state;
	uint8_t id;	     /* Identifier of our last Configure- or Terminate-Request */
	uint8_t rej_id;	     /* Identifiers of our Code- and Protocol-Rejects: apart from id,
			      * so that one never voids the reply to an outstanding request */
	unsigned restart;    /* Restart counter */
	unsigned failures;   /* Configure-Naks sent in a row */
	uint64_t timer_at;   /* when the restart timer fires, 0: stopped */
	uint64_t now;	     /* time of the event being handled */
	/* statistics */
	uint64_t rx_bad, rx_unknown_code;
	const char *term_reason; /* sent in our Terminate-Request */
};

void ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const char *name,
		  const struct ppp_fsm_cfg *cfg, const struct ppp_fsm_ops *ops, void *ctx);

/* Administrative and lower-layer events. */
void ppp_fsm_up(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_down(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_close(struct ppp_fsm *f, const char *reason, uint64_t now);

/* A packet of the fsm's protocol (after the PPP protocol field). */
void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len, uint64_t now);
/* A Protocol-Reject of this fsm's protocol arrived (RXJ- for LCP, RXJ+ for NCPs). */
void ppp_fsm_proto_rejected(struct ppp_fsm *f, uint64_t now);

/* Restart timer: call when now >= f->timer_at (and timer_at != 0). */
void ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now);

/* Send a Code-Reject of the packet pkt. */
void ppp_fsm_code_reject(struct ppp_fsm *f, const uint8_t *pkt, size_t len);

const char *ppp_state_name(enum ppp_state s);
const char *ppp_event_name(enum ppp_event e);

/* The transition table, exposed for its unit test: actions bitmask and next state. */
enum ppp_action {
	PPP_A_TLD = 1 << 0,
	PPP_A_TLS = 1 << 1,
	PPP_A_IRC = 1 << 2,
	PPP_A_ZRC = 1 << 3,
	PPP_A_SCR = 1 << 4,
	PPP_A_SCA = 1 << 5,
	PPP_A_SCN = 1 << 6,
	PPP_A_STR = 1 << 7,
	PPP_A_STA = 1 << 8,
	PPP_A_SCJ = 1 << 9,
	PPP_A_SER = 1 << 10,
	PPP_A_TLU = 1 << 11,
	PPP_A_TLF = 1 << 12,
};
struct ppp_transition {
	uint16_t actions;
	int8_t next; /* -1: the event cannot happen in this state (ignored) */
};
extern const struct ppp_transition ppp_fsm_table[PPP_N_STATES][PPP_N_EVENTS];

#endif
