/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP termination of one L2TP session (RFC 1661 phases; LCP, PAP, CHAP-MD5,
 * MS-CHAPv2, IPCP, IPv6CP). Main lcore only. A session's PPP starts when its
 * ICCN arrives and ends with the L2TP session; when IPCP opens, the session
 * is handed to the workers for forwarding.
 *
 * Files: ppp.c (phases, framing, timer, teardown), ppp_lcp.c, ppp_auth.c,
 * ppp_ncp.c (IPCP, IPv6CP); the automaton is ppp_fsm.c.
 */
#ifndef LNS_PPP_H
#define LNS_PPP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_timer.h>

#include "cp/auth.h"
#include "cp/dhcp6.h"
#include "cp/ppp_fsm.h"
#include "dp/dp.h"

/* PPP protocol numbers (RFC 1661, 1332, 5072, 1334, 1994). */
#define PPP_IP     0x0021
#define PPP_IPV6   0x0057
#define PPP_IPCP   0x8021
#define PPP_IPV6CP 0x8057
#define PPP_LCP    0xc021
#define PPP_PAP    0xc023
#define PPP_CHAP   0xc223

/* RFC 1661 section 3.2: link phases. */
enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

#define PPP_COUNTERS(X)                                                                            \
	X(sessions_started, "sessions whose PPP started")                                          \
	X(sessions_up, "sessions that reached IPCP opened")                                        \
	X(auth_ok, "successful authentications")                                                   \
	X(auth_failed, "failed authentications")                                                   \
	X(auth_timeout, "authentications the peer never completed")                                \
	X(echo_timeouts, "sessions closed for unanswered LCP echo requests")                       \
	X(pool_exhausted, "sessions refused for want of an address")                               \
	X(loopback, "sessions closed for a looped-back link (magic number)")                       \
	X(rx_frames, "PPP frames received on the control lcore")                                   \
	X(rx_bad, "PPP frames too short or malformed")                                             \
	X(rx_proto_rejected, "frames of protocols we Protocol-Reject")                             \
	X(tx_frames, "PPP frames sent by the control lcore")                                       \
	X(proxy_lcp_accepted, "sessions whose LAC-negotiated LCP was taken as is")                 \
	X(proxy_lcp_renegotiated, "sessions whose proxied LCP was renegotiated")                   \
	X(proxy_auth_accepted, "sessions authenticated from the LAC's proxy AVPs")                 \
	X(ipv6_up, "sessions that reached IPv6CP opened")                                          \
	X(ipv6_no_prefix, "IPv6CP openings without a /64 for the link (none given, pool empty)")   \
	X(ipv6_prefix_table_full,                                                                  \
	  "IPv6 prefixes not routed: no room left (dataplane.ipv6-prefixes)")                      \
	X(framed_ipv6_routes, "framed IPv6 routes (RADIUS Framed-IPv6-Route) routed to sessions")  \
	X(framed_ipv6_routes_refused, "Framed-IPv6-Route attributes not applied: malformed, "      \
				      "over 8 a session, or not routed (routed already, no room)") \
	X(ip6_in, "IPv6 for the control lcore from subscribers (link-local, multicast, us)")       \
	X(ip6_drop, "of those, dropped: malformed, bad checksum, spoofed or not served")           \
	X(rs_in, "Router Solicitations received from subscribers")                                 \
	X(ra_out, "Router Advertisements sent to subscribers")                                     \
	X(na_out_ppp, "Neighbor Advertisements sent to subscribers for our link-local address")    \
	X(echo6_reply_ppp, "ICMPv6 echo replies sent to subscribers from our link-local address")  \
	DHCP6_COUNTERS(X)

struct ppp_counters {
#define X(name, help) uint64_t name;
	PPP_COUNTERS(X)
#undef X
};

struct l2tp_session;
struct lns_cp;
struct lns_sess_ctr;

struct ppp_session {
	struct lns_cp *cp;
	struct l2tp_session *ls;
	enum ppp_phase phase;
	struct ppp_fsm lcp, ipcp, ipv6cp;
	struct rte_timer timer;

	/* LCP, ours */
	uint32_t our_magic;
	uint16_t our_mru;
	bool send_mru, send_magic;
	unsigned auth_idx; /* position in ppp.auth we are asking for */
	enum auth_proto auth;
	/* LCP, the peer's */
	uint32_t peer_magic;
	uint16_t peer_mru;
	bool peer_pfc, peer_acfc;
	unsigned magic_naks; /* our magic seen from the peer in a row: loop? */
	/* LCP echo */
	uint64_t echo_at;
	unsigned echo_outstanding;
	uint8_t echo_id;

	/* authentication */
	bool authenticated;
	bool proxy_auth; /* the LAC's proxy authentication is being checked */
	uint8_t chap_id;
	uint8_t challenge[MSCHAPV2_CHALLENGE_LEN];
	unsigned auth_tries;
	uint64_t auth_at; /* retransmit the challenge, or give up waiting */
	uint64_t auth_handle;
	char *user; /* printable, allocated to its length; "" before authentication */
	/* What the backend said that lasts (the reply's messages served their moment). */
	struct auth_kept {
		bool has_address;
		struct in_addr address;
		int pool;
		int pool6, pd_pool; /* IPv6 pools of the /64 and the delegated prefix, -1: ppp's */
		struct auth_attrs attrs;
	} auth_reply;
	uint8_t *class_; /* the reply's Class, at its length (NULL: none), echoed in accounting */
	uint8_t class_len;

	/* IPCP */
	struct in_addr our_ip, peer_ip;
	bool has_ip, ip_from_pool;
	int pool;
	bool ipcp_send_addr;
	/* IPv6CP */
	uint8_t our_ifid[8], peer_ifid[8];
	bool ipv6_up;
	/* IPv6 on the link (cp/ppp_v6.c): the link's /64 and the delegated prefix */
	struct ppp_prefix {
		struct in6_addr a;
		uint8_t plen; /* 0: none */
		int pool;     /* the pool it came from (or is reserved in), -1: none */
		bool routed;  /* in the workers' FIB, to this session */
	} pfx, pd;
	uint64_t ra_at;      /* next Router Advertisement, 0: none planned */
	uint64_t ra_last;    /* when the last one went */
	unsigned ra_initial; /* initial advertisements still to send (RFC 4861 6.2.4) */
	/* who holds pd, as the DHCPv6 server told it (cp/dhcp6.c) */
	struct dhcp6_binding dhcp6;
	/* which families the workers forward for (cp/ppp_fwd.c) */
	bool fwd4, fwd6;
	bool acct_started; /* here, and n_routes6, in what was padding */
	uint8_t n_routes6;

	uint64_t started_ms, up_ms;
	/* accounting and the backend's timeouts */
	char acct_session_id[24];
	/* Framed-IPv6-Route, n_routes6 of them (NULL: none), the reply's at their number */
	struct framed_route6 *routes6;
	uint64_t interim_at, interim_ms;
	struct lns_sess_ctr ctr_base; /* the slot's counters when forwarding began */
	uint64_t session_end_at;      /* Session-Timeout, 0: none */
	uint32_t idle_timeout;        /* seconds, 0: none */
	uint64_t idle_check_at, last_active_ms;
	uint64_t last_traffic;    /* packets both ways at the last idle check */
	uint32_t term_cause;      /* Acct-Terminate-Cause, 0: from the L2TP side */
	uint8_t routes_installed; /* bit i: auth_reply.attrs.routes[i] is in the FIB */
	/* teardown, done from the timer so that no caller's frame holds a freed session */
	bool dying;
	uint16_t cdn_result, cdn_error, disc_code, disc_proto;
	uint8_t disc_dir;
	char why[96];
};

/* cp/ppp.c */
int ppp_session_start(struct lns_cp *cp, struct l2tp_session *ls);
void ppp_session_input(struct ppp_session *p, const uint8_t *frame, size_t len);
void ppp_session_free(struct ppp_session *p); /* from the L2TP session's close */
extern const char ppp_no_user[1];             /* p->user before authentication */
void ppp_user_free(struct ppp_session *p);
/* What authentication left on the heap (the name, the Class): at the session's end. */
void ppp_auth_free(struct ppp_session *p);
void ppp_send(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len);
void ppp_arm(struct ppp_session *p);
/* End the session: CDN with this result and RFC 3145 cause, after the current event. */
void ppp_kill(struct ppp_session *p, uint16_t cdn_result, uint16_t cdn_error, uint16_t code,
	      uint16_t proto, uint8_t dir, const char *why);
uint64_t ppp_now(void);
const char *ppp_phase_name(enum ppp_phase ph);
const char *auth_proto_name(enum auth_proto a);

/* cp/ppp_lcp.c */
void ppp_lcp_init(struct ppp_session *p);
void ppp_lcp_echo_tick(struct ppp_session *p, uint64_t now);
/* Proxy LCP (RFC 2661 section 4.4.5): true when the LAC's negotiation was taken as is. */
bool ppp_lcp_proxy(struct ppp_session *p);

/* cp/ppp_auth.c */
void ppp_auth_start(struct ppp_session *p);
void ppp_auth_input(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len);
void ppp_auth_tick(struct ppp_session *p, uint64_t now);
void ppp_auth_cancel(struct ppp_session *p);

/* RADIUS-given limits, also changed by CoA: seconds from now, 0 removes. */
void ppp_set_session_timeout(struct ppp_session *p, uint32_t s);
void ppp_set_idle_timeout(struct ppp_session *p, uint32_t s);
/* End the session for an administrator (lnsctl, RADIUS Disconnect-Request). */
void ppp_disconnect_admin(struct ppp_session *p, uint32_t term_cause, const char *why);

/* cp/radius_acct.c */
/* cp/ppp_fwd.c: the MAC of IP on PORT changed (or is gone): sessions whose LAC is
 * reached through it get a new prebuilt header. */
void ppp_fwd_neigh_changed(struct lns_cp *cp, unsigned port, rte_be32_t ip);
void ppp_traffic(const struct ppp_session *p, struct lns_sess_ctr *c);
void ppp_acct_start(struct ppp_session *p);
void ppp_acct_tick(struct ppp_session *p, uint64_t now);
void ppp_acct_stop(struct ppp_session *p, uint32_t cause);
void radius_acct_onoff(struct lns_cp *cp, bool on);

/* cp/ppp_fwd.c */
int ppp_fwd_init(struct lns_cp *cp);
void ppp_fwd_fini(struct lns_cp *cp);
int ppp_addr_claim(struct ppp_session *p);
void ppp_addr_unclaim(struct ppp_session *p);
struct ppp_session *ppp_by_address(struct lns_cp *cp, struct in_addr a);
void ppp_fwd_up(struct ppp_session *p);    /* IPCP opened: the workers forward IPv4 */
void ppp_fwd_down(struct ppp_session *p);  /* IPCP closed: no more IPv4 */
void ppp_fwd6_up(struct ppp_session *p);   /* IPv6CP opened: the prefixes to the workers */
void ppp_fwd6_down(struct ppp_session *p); /* and back; with neither, the control lcore's */

/* cp/ppp_route6.c: one of the session's IPv6 prefixes to its slot in the workers' IPv6 FIB;
 * false (logged as WHAT's, counted when there is no room) when the FIB refuses it. */
bool ppp_route6_add(struct ppp_session *p, const uint8_t a[16], uint8_t plen, const char *what);
void ppp_routes6_up(struct ppp_session *p);   /* its framed IPv6 routes, from ppp_fwd6_up */
void ppp_routes6_down(struct ppp_session *p); /* and out, from ppp_fwd6_down */

/* cp/ppp_v6.c: IPv6 on the link */
void ppp_v6_up(struct ppp_session *p);   /* IPv6CP opened: prefixes, workers, RAs */
void ppp_v6_down(struct ppp_session *p); /* IPv6CP closed or session gone */
void ppp_v6_input(struct ppp_session *p, const uint8_t *pkt, size_t len); /* protocol 0x0057 */
/* cp/ppp_input.c: an IPv4 packet from the subscriber to one of lnsd's addresses (its gateway
 * in IPCP among them): an ICMP echo request is answered into the tunnel, the rest dropped. */
void ppp_ip4_local(struct ppp_session *p, const uint8_t *pkt, size_t len);
void ppp_v6_tick(struct ppp_session *p, uint64_t now); /* RAs due */
/* The subscriber's IPv6 DNS servers: RADIUS DNS-Server-IPv6-Address, else ppp.ra.dns. */
unsigned ppp_v6_dns(const struct ppp_session *p, struct in6_addr dns[3]);
/* "2001:db8::/64" or "" */
const char *ppp_prefix_str(const struct ppp_prefix *x, char *buf, size_t len);

/* cp/ppp_ncp.c */
void ppp_ncp_init(struct ppp_session *p);
void ppp_ncp_start(struct ppp_session *p);   /* network phase: IPCP and IPv6CP open */
void ppp_ncp_release(struct ppp_session *p); /* the address back to its pool */

#endif
