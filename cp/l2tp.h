/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2TPv2 control plane, LNS side (RFC 2661): control connections (tunnels)
 * and incoming calls (sessions). Main lcore only. Owns the tunnel and session
 * tables; publishes and withdraws the workers' session entries (dp/session.h).
 */
#ifndef LNS_L2TP_H
#define LNS_L2TP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_byteorder.h>
#include <rte_timer.h>

#include "cp/l2tp_codec.h"
#include "cp/l2tp_rdt.h"

struct lns_cp;
struct rte_mbuf;
struct lns_l2tp_peer_cfg;
struct rte_hash;
struct ppp_session;

#define L2TP_COUNTERS(X)                                                                           \
	X(rx_packets, "L2TP datagrams received by the control lcore")                              \
	X(rx_bad_udp_checksum, "L2TP datagrams with a wrong UDP checksum")                         \
	X(rx_malformed, "control messages refused by the parser (by reason below)")                \
	X(rx_unknown_tunnel, "control messages for a tunnel ID we do not have")                    \
	X(rx_wrong_peer, "control messages for a tunnel from another address or port")             \
	X(rx_ctrl, "control messages delivered in order")                                          \
	X(rx_zlb, "ZLB acknowledgements received")                                                 \
	X(rx_duplicate, "duplicate control messages (re-acknowledged)")                            \
	X(rx_out_of_order, "control messages held until their turn")                               \
	X(tx_ctrl, "control messages sent for the first time")                                     \
	X(tx_retransmit, "control message retransmissions")                                        \
	X(tx_zlb, "ZLB acknowledgements sent")                                                     \
	X(rx_data, "data messages that reached the control lcore")                                 \
	X(rx_data_unknown_session, "data messages for no session")                                 \
	X(unknown_mandatory_avp, "messages with an unknown mandatory AVP (teardown)")              \
	X(unknown_message_type, "messages of an unknown type")                                     \
	X(fsm_error, "messages not valid in the tunnel or session state")                          \
	X(tunnels_opened, "tunnels that reached the established state")                            \
	X(tunnels_refused, "SCCRQs refused (policy, limits, version)")                             \
	X(tunnels_auth_failed, "tunnels refused for a wrong or missing Challenge Response")        \
	X(tunnels_closed, "tunnels closed by StopCCN, either way")                                 \
	X(tunnels_failed, "tunnels cleared after retransmissions ran out")                         \
	X(sessions_opened, "sessions that reached the established state (ICCN)")                   \
	X(sessions_refused, "ICRQs refused (limits, state)")                                       \
	X(sessions_closed, "sessions closed by CDN, either way, or with their tunnel")             \
	X(stopccn_rx, "StopCCN received")                                                          \
	X(stopccn_tx, "StopCCN sent")                                                              \
	X(cdn_rx, "CDN received")                                                                  \
	X(cdn_tx, "CDN sent")                                                                      \
	X(hello_rx, "HELLO received")                                                              \
	X(hello_tx, "HELLO sent")                                                                  \
	X(sli_rx, "SLI received")                                                                  \
	X(wen_rx, "WEN received")

struct l2tp_counters {
#define X(name, help) uint64_t name;
	L2TP_COUNTERS(X)
#undef X
	uint64_t malformed[L2TP_E_COUNT]; /* by l2tp_err_name() */
};

/* RFC 2661 section 7.2: control connection states, LNS side. */
enum l2tp_tunnel_state {
	L2TP_T_IDLE,          /* created for an SCCRQ not yet handled */
	L2TP_T_WAIT_CTL_CONN, /* SCCRP sent, waiting for SCCCN */
	L2TP_T_ESTABLISHED,
	L2TP_T_CLOSING, /* StopCCN sent or received: kept for the retransmission cycle */
};

/* RFC 2661 section 7.4.2: incoming call states, LNS side. */
enum l2tp_session_state {
	L2TP_S_WAIT_CONNECT, /* ICRP sent, waiting for ICCN */
	L2TP_S_ESTABLISHED,
};

/* A byte string the LAC sent that outlives its message (proxy AVPs). */
struct l2tp_blob {
	uint8_t *p;
	uint16_t len;
};

struct l2tp_tunnel;

struct l2tp_session {
	TAILQ_ENTRY(l2tp_session) next;
	struct l2tp_tunnel *t;
	uint16_t sid, peer_sid;
	enum l2tp_session_state state;
	uint64_t created_ms, established_ms;
	/* from ICRQ */
	uint32_t call_serial, bearer_type;
	/* printable copies (63 octets at most), allocated to their length; NULL: none.
	 * L2TP_STR() reads them as strings. */
	char *calling, *called, *sub_address;
	uint32_t phys_channel;
	/* from ICCN */
	uint32_t framing_type, tx_speed, rx_speed;
	bool seq_required;
	struct l2tp_blob private_group;
	struct l2tp_blob lcp_initial_rx, lcp_last_tx, lcp_last_rx; /* proxy LCP */
	uint16_t proxy_auth_type, proxy_auth_id;
	char *proxy_auth_name;
	struct l2tp_blob proxy_auth_chal, proxy_auth_resp;
	/* from SLI */
	uint32_t accm_send, accm_recv;
	/* counted by the control lcore until PPP takes the data path */
	uint64_t rx_data_packets, rx_data_bytes;
	/* PPP, from ICCN on */
	struct ppp_session *ppp;
	uint32_t slot;       /* the workers' downstream slot, LNS_SESSION_SLOT_NONE before */
	bool forwarding;     /* the workers forward its IP traffic */
	uint32_t term_cause; /* Acct-Terminate-Cause when the L2TP side ends it */
};

TAILQ_HEAD(l2tp_session_list, l2tp_session);

struct l2tp_tunnel {
	TAILQ_ENTRY(l2tp_tunnel) next;
	struct lns_cp *cp;
	uint16_t tid, peer_tid;
	rte_be32_t local_ip, peer_ip;
	uint16_t peer_port;
	unsigned port; /* the access port the LAC came in on */
	enum l2tp_tunnel_state state;
	const struct lns_l2tp_peer_cfg *peer; /* NULL: unknown peer, allowed by policy */
	char host_name[L2TP_STR_MAX + 1], vendor_name[64];
	uint16_t firmware_rev;
	uint32_t framing_cap, bearer_cap;
	bool challenged; /* we sent a Challenge; SCCCN must answer it */
	uint8_t challenge[16];
	struct l2tp_rdt rdt;
	struct rte_timer timer;
	uint64_t created_ms, established_ms, last_rx_ms, closing_until_ms;
	uint16_t stop_result; /* why it closes, for show and logs */
	bool dead;            /* retransmissions ran out: free at the next settle */
	struct l2tp_session_list sessions;
	unsigned n_sessions;
	uint16_t next_sid;
};

TAILQ_HEAD(l2tp_tunnel_list, l2tp_tunnel);

struct lns_l2tp {
	struct lns_cp *cp;
	struct l2tp_counters c;
	struct l2tp_tunnel **by_tid; /* 65536 entries: our tunnel ID -> tunnel */
	struct rte_hash *sessions;   /* (our tunnel ID << 16 | our session ID) -> session */
	struct l2tp_tunnel_list tunnels;
	unsigned n_tunnels, n_sessions;
	uint16_t next_tid;
	struct l2tp_rdt_stats closed_rdt; /* transport counts of tunnels already freed */
	uint64_t last_malformed_log;      /* TSC, for rate-limiting */
	struct l2tp_msg msg;              /* parse scratch: large, so one here */
};

int lns_l2tp_init(struct lns_l2tp *l, struct lns_cp *cp);
void lns_l2tp_fini(struct lns_l2tp *l); /* StopCCN to every peer is not waited for */

/* A UDP datagram to one of our L2TP listen addresses, punted by a worker. */
void lns_l2tp_input(struct lns_l2tp *l, unsigned port, rte_be32_t src, rte_be32_t dst,
		    uint16_t sport, const uint8_t *payload, size_t len);

/* Administrative teardown (lnsctl): StopCCN / CDN with result "administrative". */
int lns_l2tp_disconnect_tunnel(struct lns_l2tp *l, uint16_t tid);
int lns_l2tp_disconnect_session(struct lns_l2tp *l, uint16_t tid, uint16_t sid);

/* Counters with the transport's summed over live and closed tunnels. */
void lns_l2tp_counters(const struct lns_l2tp *l, struct l2tp_counters *c);

const char *l2tp_tunnel_state_name(enum l2tp_tunnel_state s);
const char *l2tp_session_state_name(enum l2tp_session_state s);

/* cp/l2tp_session.c, called by the tunnel code */
/* A string AVP into a C string: cut to fit, unprintable octets as '?' (logs, JSON). */
void l2tp_copy_str(char *dst, size_t cap, const struct l2tp_str *s);
/* A printable copy of at most cap - 1 octets on the heap; NULL when empty or out of memory. */
char *l2tp_dup_str(const struct l2tp_str *s, size_t cap);
#define L2TP_STR(p) ((p) ? (p) : "")
int l2tp_sessions_init(struct lns_l2tp *l, unsigned entries);
void l2tp_sessions_fini(struct lns_l2tp *l);
void l2tp_session_input(struct l2tp_tunnel *t, const struct l2tp_msg *m);
void l2tp_session_close(struct l2tp_session *s, const char *why);
void l2tp_sessions_close_all(struct l2tp_tunnel *t, const char *why);
struct l2tp_session *l2tp_session_find(struct l2tp_tunnel *t, uint16_t sid);
/* A PPP frame to the LAC in a data message of session s. */
int l2tp_session_send_data(struct l2tp_session *s, const uint8_t *frame, size_t len);
/* The workers' entry of a session: IDs, addresses, slot and the way to the LAC (the rest
 * is PPP's, cp/ppp_fwd.c); the way alone for a tunnel. */
struct lns_dp_session;
void l2tp_session_dp_entry(const struct l2tp_session *s, struct lns_dp_session *e);
void l2tp_tunnel_dp_path(const struct l2tp_tunnel *t, struct lns_dp_session *e);
/* CDN to the LAC (with RFC 3145's cause when code is set), then close. */
void l2tp_session_disconnect(struct l2tp_session *s, uint16_t result, uint16_t error,
			     const char *msg, uint16_t code, uint16_t proto, uint8_t dir);
/* A data message of session s reached the control lcore: PPP's. */
void l2tp_session_data(struct l2tp_session *s, const uint8_t *frame, size_t len);

/* cp/l2tp_tunnel.c, called by the session code */
/* Start a control message on the tunnel; finish with l2tp_tunnel_send(). */
int l2tp_msg_begin(struct l2tp_tunnel *t, struct l2tp_builder *b, uint8_t *buf, size_t cap,
		   uint16_t peer_sid, uint16_t type);
int l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_builder *b);
void l2tp_tunnel_stop(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg);
/* After an event from outside the tunnel's own input and timer: re-arm or free it. */
void l2tp_tunnel_settle(struct l2tp_tunnel *t);

#endif
