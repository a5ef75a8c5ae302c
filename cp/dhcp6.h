/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server on each subscriber's PPP link (RFC 8415): it tells the
 * subscriber's router the prefix delegated to its session (IA_PD, RFC 8415
 * section 6.3), the one cp/ppp_v6.c took from RADIUS or a pool and routed to
 * the session, and the DNS servers (RFC 3646). No addresses (IA_NA, IA_TA):
 * the subscriber's own addresses come from SLAAC in the link's /64. Main
 * lcore only.
 *
 * Files: dhcp6_msg.c (the wire format), dhcp6_server.c (what to answer: pure,
 * for the unit tests and the fuzzer), dhcp6.c (the PPP link: IPv6 and UDP
 * around it, the session's prefix, binding and counters).
 */
#ifndef LNS_DHCP6_H
#define LNS_DHCP6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp/dhcp6_msg.h"

/* Counters, in the ppp block of lnsctl show counters (cp/ppp.h PPP_COUNTERS). */
#define DHCP6_COUNTERS(X)                                                                          \
	X(dhcp6_in, "DHCPv6 messages from subscribers (UDP to port 547)")                          \
	X(dhcp6_drop_malformed,                                                                    \
	  "of those, dropped: bad UDP length or checksum, malformed options")                      \
	X(dhcp6_drop_invalid,                                                                      \
	  "dropped: against RFC 8415 section 16 (a Client or Server "                              \
	  "Identifier missing or out of place, an IA in an Information-request)")                  \
	X(dhcp6_drop_foreign, "dropped: for another server (Server Identifier, destination)")      \
	X(dhcp6_drop_unserved, "dropped: Confirm, Decline, relay and server messages, unknown "    \
			       "types, or ppp.dhcp6 off")                                          \
	X(dhcp6_advertise, "Advertise messages sent to subscribers")                               \
	X(dhcp6_reply, "Reply messages sent to subscribers")                                       \
	X(dhcp6_pd_granted, "IA_PDs answered with the session's delegated prefix in a Reply")      \
	X(dhcp6_pd_refused, "IA_PDs answered NoPrefixAvail or NoBinding (no prefix, another's)")   \
	X(dhcp6_released, "delegated prefixes released by the subscriber's router")

/* Who holds the session's delegated prefix (RFC 8415 section 4.2 "binding"). */
struct dhcp6_binding {
	uint64_t until_ms;  /* the valid lifetime's end; 0: not bound */
	uint32_t duid_hash; /* the client's DUID, hashed (one router per link: enough) */
	uint16_t duid_len;
	uint32_t iaid; /* its IA_PD */
};

/* What the server hands out on one link. */
struct dhcp6_server {
	const uint8_t *duid; /* ours */
	size_t duid_len;
	struct in6_addr prefix;    /* the session's delegated prefix */
	uint8_t plen;              /* 0: none */
	uint32_t preferred, valid; /* its lifetimes, seconds */
	const struct in6_addr *dns;
	unsigned n_dns;
};

enum dhcp6_verdict {
	DHCP6_ANSWER,    /* the answer is in out */
	DHCP6_MALFORMED, /* dhcp6_parse refused it, or the answer did not fit */
	DHCP6_INVALID,   /* section 16 */
	DHCP6_FOREIGN,   /* another server's Server Identifier */
	DHCP6_UNSERVED,  /* a type the server does not answer */
};

/* What an answer did, for the counters. */
struct dhcp6_tally {
	unsigned granted, refused, released;
};

/*
 * The answer to the client message in[0..len) (the UDP payload) on a link
 * served by s whose binding is b, at now_ms: an Advertise or a Reply written
 * to out[0..cap), its length in *out_len; b updated (bound, renewed,
 * released). Anything but DHCP6_ANSWER leaves b alone, and out too except
 * after an answer that did not fit (DHCP6_MALFORMED: never to be sent).
 */
enum dhcp6_verdict dhcp6_serve(const struct dhcp6_server *s, struct dhcp6_binding *b,
			       uint64_t now_ms, const uint8_t *in, size_t len, uint8_t *out,
			       size_t cap, size_t *out_len, struct dhcp6_tally *t);
/* T1 and T2 for a preferred lifetime (RFC 8415 section 21.21: 0.5 and 0.8 of it). */
uint32_t dhcp6_t1(uint32_t preferred);
uint32_t dhcp6_t2(uint32_t preferred);

/* cp/dhcp6.c: the PPP link */
struct ppp_session;
/*
 * A UDP packet from the subscriber to a link-local or multicast address, its
 * source already checked (cp/ppp_v6.c): ip is the IPv6 header, udp its
 * payload of plen octets. false when it is not for port 547 (the caller
 * drops it); true when DHCPv6 took it, answered or counted as dropped.
 */
bool dhcp6_input(struct ppp_session *p, const void *ip, const uint8_t *udp, size_t plen);
void dhcp6_link_down(struct ppp_session *p); /* IPv6CP down: the binding is forgotten */
/* Our DUID-LL (RFC 8415 section 11.4) from the first port's MAC: its length. */
size_t dhcp6_server_duid(const struct ppp_session *p, uint8_t duid[DHCP6_DUID_MAX]);

#endif
