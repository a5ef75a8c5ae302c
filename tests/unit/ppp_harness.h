/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for a running lnsd around the PPP code (cp/ppp_lcp.c, ppp_auth.c,
 * ppp_ncp.c, ppp_fsm.c, auth.c, chap.c, pool.c), for tests/unit/test_ppp_options.c
 * and tests/fuzz/fuzz_ppp.c. One thread, no EAL: the functions PPP calls in
 * cp/ppp.c and cp/ppp_fwd.c are defined here instead (frames are captured, the
 * clock is a variable, ppp_kill is recorded, the address index is a small
 * table), and the configuration is a real one parsed from YAML.
 */
#ifndef LNS_TESTS_PPP_HARNESS_H
#define LNS_TESTS_PPP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/ppp.h"
#include "dp/dp.h"

/* A frame PPP sent, after the Address/Control/Protocol fields. */
struct h_frame {
	struct ppp_session *p;
	uint16_t proto;
	size_t len;
	uint8_t data[PPP_MAX_PKT];
};

#define H_MAX_FRAMES 64 /* the oldest are overwritten */
#define H_MAX_CLAIMS 64

struct h_env {
	struct lns_config *cfg;
	bool own_cfg; /* h_env_free frees it */
	struct lns_runtime *rt;
	struct lns_cp *cp;
	struct l2tp_tunnel *t;
	uint16_t next_sid;
	/* what PPP did */
	struct h_frame frames[H_MAX_FRAMES];
	unsigned n_frames; /* captured and not yet taken, at most H_MAX_FRAMES */
	unsigned first;    /* the oldest of them */
	uint64_t sent;     /* all frames ever passed to ppp_send */
	uint64_t dropped;  /* not sent because the session was dying (as cp/ppp.c) */
	unsigned kills;    /* ppp_kill calls, the ignored later ones included */
	unsigned arms;     /* ppp_arm calls */
	unsigned fwd_ups, fwd_downs, fwd6_ups, fwd6_downs;
	struct {
		struct in_addr a;
		struct ppp_session *p;
	} claims[H_MAX_CLAIMS];
	unsigned n_claims;
	bool fail_claim; /* ppp_addr_claim answers -EADDRINUSE */
};

/* The one environment the stubs report to (tests run one at a time). */
extern struct h_env *h_cur;
extern uint64_t h_now_ms; /* what ppp_now() returns */
/* rte_log level h_env_new sets (unless LNS_TEST_LOG is in the environment) */
extern int h_log_level;
/* Called with every frame passed to ppp_send, before anything else (the fuzzer checks them). */
extern void (*h_send_hook)(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len);

/* Build from a whole YAML configuration; NULL (and a message on stderr) if it does not load. */
struct h_env *h_env_new(const char *yaml);
/* The same around a configuration already loaded, which the env does not free. */
struct h_env *h_env_new_cfg(const struct lns_config *cfg);
void h_env_free(struct h_env *e);

/* An L2TP session of the env's tunnel, in the state an ICCN leaves it; set proxy fields next. */
struct l2tp_session *h_l2tp_session_new(struct h_env *e);
/* Copy bytes into one of the session's blobs (proxy LCP and proxy authentication AVPs). */
void h_blob_set(struct l2tp_blob *b, const void *data, size_t len);
/* PPP starts as ppp_session_start does, without its timer: proxy LCP, or LCP Open and Up. */
struct ppp_session *h_ppp_start(struct h_env *e, struct l2tp_session *ls);
/* PPP and its L2TP session end as ppp_session_free and the session's close do. */
void h_ppp_free(struct ppp_session *p);

/* A frame from the peer, demultiplexed as ppp_session_input does (cp/ppp.c). */
void h_input(struct ppp_session *p, const uint8_t *frame, size_t len);
/* A control packet (Code, Identifier, Length added) of protocol proto from the peer. */
void h_pkt(struct ppp_session *p, uint16_t proto, uint8_t code, uint8_t id, const void *data,
	   size_t len);
/* The asynchronous backend's answers, as the control loop delivers them. */
void h_poll(struct h_env *e);

/* The oldest captured frame of proto (any code when code is 0), taken out; NULL if none. */
const struct h_frame *h_take(struct h_env *e, uint16_t proto, uint8_t code);
/* How many captured frames of proto (and code, 0: any) wait. */
unsigned h_count(const struct h_env *e, uint16_t proto, uint8_t code);
void h_clear(struct h_env *e);

/* Find option type in a Configure packet's options; NULL if absent or malformed. */
const uint8_t *h_opt(const struct h_frame *f, uint8_t type);

/*
 * Walk the session to a phase as a well-behaved peer would: LCP Opened (our
 * request acknowledged, the peer's request with peer_magic acknowledged),
 * then authenticated with user/password by whichever protocol LCP settled on.
 * Each returns 0, or -1 when PPP did not answer as expected.
 */
int h_lcp_open(struct ppp_session *p, uint32_t peer_magic);
int h_authenticate(struct ppp_session *p, const char *user, const char *password);

#endif
