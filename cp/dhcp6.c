/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server on a subscriber's PPP link (see cp/dhcp6.h): the UDP
 * datagrams the workers punt to the control lcore (to ff02::1:2 or our
 * link-local address, dp/fwd6.c) are checked, answered by dhcp6_serve with
 * the session's delegated prefix, and the answer sent inside the session's
 * tunnel from our link-local address. Main lcore only; reads the session
 * (cp/ppp.h) and the configuration, writes the session's binding.
 *
 *  UDP (RFC 768), port 546 (client) and 547 (server), RFC 8415 section 7.2:
 *  +----------------+----------------+----------------+----------------+
 *  | source port    | dest. port     | length         | checksum       |
 *  +----------------+----------------+----------------+----------------+
 */
#include <string.h>
#include <arpa/inet.h>

#include <rte_ip.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/dhcp6.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"

#define UDP_HDR_LEN     8
#define DHCP6_HOP_LIMIT 64

/* Section 7.1: All_DHCP_Relay_Agents_and_Servers */
static const uint8_t all_dhcp_servers[16] = {0xff, 0x02, [13] = 1, [15] = 2};

union pkt {
	struct rte_ipv6_hdr ip;
	uint8_t b[PPP_MAX_PKT];
	uint64_t align;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void link_local(uint8_t a[16], const uint8_t ifid[8])
{
	memset(a, 0, 8);
	a[0] = 0xfe;
	a[1] = 0x80;
	memcpy(a + 8, ifid, 8);
}

/*
 * DUID-LL (section 11.4): type 3, hardware type 1 (Ethernet), the MAC of
 * lnsd's first port. Stable across restarts as long as the port keeps its
 * address, and needs no storage, unlike a DUID-LLT's time.
 */
size_t dhcp6_server_duid(const struct ppp_session *p, uint8_t duid[DHCP6_DUID_MAX])
{
	const struct lns_runtime *rt = p->cp->rt;

	duid[0] = 0;
	duid[1] = 3;
	duid[2] = 0;
	duid[3] = 1;
	if (rt->n_ports > 0)
		memcpy(duid + 4, rt->ports[0].mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	else
		memset(duid + 4, 0, RTE_ETHER_ADDR_LEN);
	return 4 + RTE_ETHER_ADDR_LEN;
}

void dhcp6_link_down(struct ppp_session *p)
{
	memset(&p->dhcp6, 0, sizeof(p->dhcp6));
}

/* Log a binding made or given up (once per client and session, not per renewal). */
static void log_change(const struct ppp_session *p, const struct dhcp6_binding *before,
		       const struct dhcp6_binding *after, uint64_t now)
{
	char d[INET6_ADDRSTRLEN + 4];
	bool was = before->until_ms > now, is = after->until_ms > now;

	if (was == is &&
	    (!is || (before->duid_hash == after->duid_hash && before->duid_len == after->duid_len &&
		     before->iaid == after->iaid)))
		return;
	LNS_LOG(INFO, cp, "session %u/%u: \"%s\" delegated prefix %s %s (DHCPv6, IAID %u)",
		p->ls->t->tid, p->ls->sid, p->user, ppp_prefix_str(&p->pd, d, sizeof(d)),
		is ? "bound" : "released", (is ? after : before)->iaid);
}

bool dhcp6_input(struct ppp_session *p, const void *iph, const uint8_t *udp, size_t plen)
{
	const struct rte_ipv6_hdr *ip = iph;
	struct ppp_counters *c = &p->cp->ppp_c;
	const struct lns_config *cfg = p->cp->rt->cfg;
	struct dhcp6_server s = {0};
	struct dhcp6_binding before = p->dhcp6;
	struct dhcp6_tally t = {0};
	struct in6_addr dns[3];
	uint8_t duid[DHCP6_DUID_MAX], ll[16];
	union pkt u;
	uint8_t *rudp = u.b + sizeof(u.ip);
	uint64_t now = ppp_now();
	size_t n;

	if (plen < UDP_HDR_LEN || get16(udp + 2) != DHCP6_SERVER_PORT)
		return false;
	c->dhcp6_in++;
	/* RFC 8200 section 8.1: the checksum is mandatory over IPv6 */
	if (get16(udp + 4) != plen || rte_ipv6_udptcp_cksum_verify(ip, udp) != 0) {
		c->dhcp6_drop_malformed++;
		return true;
	}
	link_local(ll, p->our_ifid);
	if (memcmp(ip->dst_addr, all_dhcp_servers, 16) != 0 && memcmp(ip->dst_addr, ll, 16) != 0) {
		c->dhcp6_drop_foreign++; /* to other servers, or another link-local address */
		return true;
	}
	if (!cfg->ppp.dhcp6) {
		c->dhcp6_drop_unserved++;
		return true;
	}
	s.duid = duid;
	s.duid_len = dhcp6_server_duid(p, duid);
	if (p->pd.plen && p->pd.routed) { /* only a prefix that reaches the session */
		s.prefix = p->pd.a;
		s.plen = p->pd.plen;
	}
	/* the delegated prefix lives as long as the link's /64: the same lifetimes */
	s.preferred = cfg->ppp.ra.preferred_lifetime;
	s.valid = cfg->ppp.ra.valid_lifetime;
	s.n_dns = ppp_v6_dns(p, dns);
	s.dns = dns;
	switch (dhcp6_serve(&s, &p->dhcp6, now, udp + UDP_HDR_LEN, plen - UDP_HDR_LEN,
			    rudp + UDP_HDR_LEN, sizeof(u) - sizeof(u.ip) - UDP_HDR_LEN, &n, &t)) {
	case DHCP6_ANSWER:
		break;
	case DHCP6_MALFORMED:
		c->dhcp6_drop_malformed++;
		return true;
	case DHCP6_INVALID:
		c->dhcp6_drop_invalid++;
		return true;
	case DHCP6_FOREIGN:
		c->dhcp6_drop_foreign++;
		return true;
	case DHCP6_UNSERVED:
		c->dhcp6_drop_unserved++;
		return true;
	}
	c->dhcp6_pd_granted += t.granted;
	c->dhcp6_pd_refused += t.refused;
	c->dhcp6_released += t.released;
	log_change(p, &before, &p->dhcp6, now);

	/* Section 18.3: to the client's address (link-local), its port 546 */
	n += UDP_HDR_LEN;
	u.ip.vtc_flow = RTE_BE32(6u << 28);
	u.ip.payload_len = rte_cpu_to_be_16((uint16_t)n);
	u.ip.proto = IPPROTO_UDP;
	u.ip.hop_limits = DHCP6_HOP_LIMIT;
	memcpy(u.ip.src_addr, ll, 16);
	memcpy(u.ip.dst_addr, ip->src_addr, 16);
	put16(rudp, DHCP6_SERVER_PORT);
	put16(rudp + 2, DHCP6_CLIENT_PORT);
	put16(rudp + 4, (uint16_t)n);
	put16(rudp + 6, 0);
	{
		uint16_t sum = rte_ipv6_udptcp_cksum(&u.ip, rudp);

		memcpy(rudp + 6, &sum, 2);
	}
	if (rudp[UDP_HDR_LEN] == DHCP6_ADVERTISE)
		c->dhcp6_advertise++;
	else
		c->dhcp6_reply++;
	ppp_send(p, PPP_IPV6, u.b, sizeof(u.ip) + n);
	return true;
}
