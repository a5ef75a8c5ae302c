/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 on a subscriber's PPP link, once IPv6CP (RFC 5072) is open. Main lcore
 * only. Chooses the link's /64 and the delegated prefix (RADIUS
 * Framed-IPv6-Prefix / Delegated-IPv6-Prefix, or the pools), hands them to
 * the workers (cp/ppp_fwd.c), and plays the router on the link: Router
 * Advertisements (RFC 4861 section 6.2) so that the subscriber configures
 * itself by SLAAC (RFC 4862), answers to Router Solicitations, to Neighbor
 * Solicitations and echo requests for our link-local address. The workers
 * punt everything a subscriber sends to a link-local or multicast address
 * here (dp/fwd6.c), and what it sends to one of lnsd's global addresses
 * (those of its ports): an echo request is answered from that address, a UDP
 * datagram with a Port Unreachable (dataplane.icmp-unreachable, the ICMP rate
 * of cp/icmp_err.c), anything else dropped and counted;
 * DHCPv6 to ff02::1:2 or our link-local address goes on to cp/dhcp6.c.
 *
 * A PPP link has no link-layer addresses: no Source/Target Link-Layer Address
 * options are sent, none are needed (RFC 4861 section 4.6.1, RFC 5072
 * section 5). Our link-local address is fe80:: plus our IPv6CP interface
 * identifier, the subscriber's fe80:: plus its own.
 *
 *  Router Advertisement (RFC 4861 section 4.2):
 *  +--------+--------+-----------------+
 *  | 134    | code 0 | checksum        |
 *  +--------+--------+-----------------+
 *  | hop lim|M|O|    | router lifetime |
 *  +--------+--------+-----------------+
 *  | reachable time (0: unspecified)   |
 *  | retrans timer (0: unspecified)    |
 *  +-----------------------------------+
 *  | options: prefix information (3), MTU (5), RDNSS (25, RFC 8106)
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_ip.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/icmp_err.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/pool.h"
#include "cp/ppp.h"

/* RFC 4443, RFC 4861 numbers */
#define ICMP6_ECHO_REQUEST  128
#define ICMP6_ECHO_REPLY    129
#define ND_ROUTER_SOLICIT   133
#define ND_ROUTER_ADVERT    134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT  136
#define ND_OPT_PREFIX_INFO  3
#define ND_OPT_MTU          5
#define ND_OPT_RDNSS        25 /* RFC 8106 */
#define ND_RA_FLAG_MANAGED  0x80
#define ND_RA_FLAG_OTHER    0x40
#define ND_PI_FLAG_ONLINK   0x80
#define ND_PI_FLAG_AUTO     0x40
#define ND_NA_FLAG_ROUTER   0x80
#define ND_NA_FLAG_SOLICIT  0x40
#define ND_NA_FLAG_OVERRIDE 0x20
/* RFC 4861 section 10: router constants */
#define MAX_INITIAL_RTR_ADVERTISEMENTS  3
#define MAX_INITIAL_RTR_ADVERT_INTERVAL 16000 /* ms */
#define MIN_DELAY_BETWEEN_RAS           3000  /* ms */
#define RA_CUR_HOP_LIMIT                64    /* AdvCurHopLimit */
#define IPV6_MIN_MTU                    1280
#define TUNNEL_OVERHEAD                 38 /* IPv4, UDP, L2TP, PPP (cp/ppp_fwd.c) */

static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
static const uint8_t unspecified[16];

/* One packet, aligned for the header structs (frames come at any offset). */
union pkt {
	struct rte_ipv6_hdr ip;
	uint8_t b[PPP_MAX_PKT];
	uint64_t align;
};

const char *ppp_prefix_str(const struct ppp_prefix *x, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (x->plen == 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%s/%u", inet_ntop(AF_INET6, &x->a, a, sizeof(a)), x->plen);
	return buf;
}

static void link_local(uint8_t a[16], const uint8_t ifid[8])
{
	memset(a, 0, 8);
	a[0] = 0xfe;
	a[1] = 0x80;
	memcpy(a + 8, ifid, 8);
}

static bool in_prefix(const uint8_t a[16], const struct ppp_prefix *x)
{
	unsigned full = x->plen / 8, rest = x->plen % 8;

	return x->plen && memcmp(a, x->a.s6_addr, full) == 0 &&
	       (rest == 0 || ((a[full] ^ x->a.s6_addr[full]) & (0xff << (8 - rest))) == 0);
}

/* ---- prefixes ----------------------------------------------------------------------------- */

/*
 * The backend's prefix (reserved in its pool if it lies in one), else one from
 * pool POOL (-1: none). 0, or negative errno with the reason logged.
 */
static int take_prefix(struct ppp_session *p, struct ppp_prefix *x, bool fixed,
		       const struct in6_addr *a, uint8_t plen, int pool, const char *what)
{
	const struct lns_config *cfg = p->cp->rt->cfg;
	char txt[INET6_ADDRSTRLEN + 4];
	int ret;

	memset(x, 0, sizeof(*x));
	x->pool = -1;
	if (fixed) {
		x->a = *a;
		x->plen = plen;
		for (size_t i = 0; i < cfg->n_pools; i++) {
			if (!lns_pool_contains6(&p->cp->pools[i], a))
				continue;
			ret = lns_pool_reserve6(&p->cp->pools[i], a, plen);
			if (ret < 0) {
				LNS_LOG(WARNING, cp,
					"session %u/%u: %s %s %s pool \"%s\": not used",
					p->ls->t->tid, p->ls->sid, what,
					ppp_prefix_str(x, txt, sizeof(txt)),
					ret == -EEXIST ? "is in use, from" : "is not a prefix of",
					cfg->pools[i].name);
				memset(x, 0, sizeof(*x));
				x->pool = -1;
				return ret == -EEXIST ? -EADDRINUSE : -EINVAL;
			}
			x->pool = (int)i;
			break;
		}
		return 0;
	}
	if (pool < 0)
		return 0;
	ret = lns_pool_alloc6(&p->cp->pools[pool], &x->a);
	if (ret < 0) {
		p->cp->ppp_c.pool_exhausted++;
		LNS_LOG(WARNING, cp, "session %u/%u: no %s for \"%.32s\": pool \"%s\" exhausted",
			p->ls->t->tid, p->ls->sid, what, p->user, cfg->pools[pool].name);
		return ret;
	}
	x->plen = (uint8_t)cfg->pools[pool].prefix_len;
	x->pool = pool;
	return 0;
}

static void give_prefix(struct ppp_session *p, struct ppp_prefix *x)
{
	if (x->plen && x->pool >= 0)
		lns_pool_release6(&p->cp->pools[x->pool], &x->a, x->plen);
	memset(x, 0, sizeof(*x));
	x->pool = -1;
}

/* ---- sending ------------------------------------------------------------------------------ */

/* Checksum and send an ICMPv6 message of len octets after the IPv6 header in u, from SRC
 * to DST with hop limit HOPS. */
static void send_icmp6_from(struct ppp_session *p, union pkt *u, const uint8_t src[16],
			    const uint8_t dst[16], uint8_t hops, size_t len)
{
	struct rte_ipv6_hdr *ip = &u->ip;
	uint8_t *icmp = u->b + sizeof(*ip);

	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)len);
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = hops;
	memmove(ip->src_addr, src, 16); /* src may be u's own dst_addr */
	memcpy(ip->dst_addr, dst, 16);
	icmp[2] = icmp[3] = 0;
	{
		uint16_t c = rte_ipv6_udptcp_cksum(ip, icmp);

		memcpy(icmp + 2, &c, 2);
	}
	ppp_send(p, PPP_IPV6, u->b, sizeof(*ip) + len);
}

/* The same from our link-local address, hop limit 255 (RFC 4861: ND messages are
 * recognised by it). */
static void send_icmp6(struct ppp_session *p, union pkt *u, const uint8_t dst[16], size_t len)
{
	uint8_t ll[16];

	link_local(ll, p->our_ifid);
	send_icmp6_from(p, u, ll, dst, 255, len);
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* The largest IPv6 packet the link takes: the peer's MRU within the tunnel's path. */
static unsigned link_mtu(const struct ppp_session *p)
{
	const struct lns_config *cfg = p->cp->rt->cfg;
	unsigned port = p->ls->t->port, mtu = p->peer_mru;

	if (port < cfg->n_ports && cfg->ports[port].mtu - TUNNEL_OVERHEAD < mtu)
		mtu = cfg->ports[port].mtu - TUNNEL_OVERHEAD;
	return mtu;
}

unsigned ppp_v6_dns(const struct ppp_session *p, struct in6_addr dns[3])
{
	const struct auth_attrs *at = &p->auth_reply.attrs;
	const struct lns_ra_cfg *ra = &p->cp->rt->cfg->ppp.ra;

	if (at->n_dns6) {
		memcpy(dns, at->dns6, at->n_dns6 * sizeof(*dns));
		return at->n_dns6;
	}
	for (size_t i = 0; i < ra->n_dns; i++)
		dns[i] = ra->dns[i].v6;
	return (unsigned)ra->n_dns;
}

/* A Router Advertisement to all nodes on the link (RFC 4861 section 6.2.3). */
static void send_ra(struct ppp_session *p, uint64_t now)
{
	const struct lns_ra_cfg *ra = &p->cp->rt->cfg->ppp.ra;
	union pkt u;
	uint8_t *b = u.b + sizeof(u.ip);
	size_t n = 16;
	unsigned mtu = link_mtu(p);
	struct in6_addr dns[3];
	unsigned n_dns = ppp_v6_dns(p, dns);

	memset(&u, 0, sizeof(u));
	b[0] = ND_ROUTER_ADVERT;
	b[4] = RA_CUR_HOP_LIMIT;
	b[5] = (uint8_t)((ra->managed ? ND_RA_FLAG_MANAGED : 0) |
			 (ra->other_config ? ND_RA_FLAG_OTHER : 0));
	b[6] = (uint8_t)(ra->router_lifetime >> 8);
	b[7] = (uint8_t)ra->router_lifetime;
	if (p->pfx.plen) { /* section 4.6.2: on-link, for autonomous configuration */
		b[n] = ND_OPT_PREFIX_INFO;
		b[n + 1] = 4;
		b[n + 2] = p->pfx.plen;
		b[n + 3] = ND_PI_FLAG_ONLINK | (p->pfx.plen == 64 ? ND_PI_FLAG_AUTO : 0);
		put32(b + n + 4, ra->valid_lifetime);
		put32(b + n + 8, ra->preferred_lifetime);
		memcpy(b + n + 16, p->pfx.a.s6_addr, 16);
		n += 32;
	}
	if (mtu >= IPV6_MIN_MTU) { /* section 4.6.4 */
		b[n] = ND_OPT_MTU;
		b[n + 1] = 1;
		put32(b + n + 4, mtu);
		n += 8;
	}
	if (n_dns) { /* RFC 8106 5.1: a lifetime of at least MaxRtrAdvInterval */
		b[n] = ND_OPT_RDNSS;
		b[n + 1] = (uint8_t)(1 + 2 * n_dns);
		put32(b + n + 4, 3 * ra->interval);
		memcpy(b + n + 8, dns, 16 * n_dns);
		n += 8 + 16 * n_dns;
	}
	send_icmp6(p, &u, all_nodes, n);
	p->cp->ppp_c.ra_out++;
	p->ra_last = now;
}

/* When the next unsolicited advertisement is due (RFC 4861 section 6.2.4). */
static uint64_t next_ra(const struct ppp_session *p, uint64_t now)
{
	const struct lns_ra_cfg *ra = &p->cp->rt->cfg->ppp.ra;
	uint64_t max = ra->interval * 1000ull, min = max / 3; /* MinRtrAdvInterval's default */
	uint32_t r;

	cp_random(&r, sizeof(r));
	max = min + r % (max - min + 1);
	if (p->ra_initial && max > MAX_INITIAL_RTR_ADVERT_INTERVAL)
		max = MAX_INITIAL_RTR_ADVERT_INTERVAL;
	return now + max;
}

void ppp_v6_tick(struct ppp_session *p, uint64_t now)
{
	if (!p->ipv6_up || p->ra_at == 0 || now < p->ra_at)
		return;
	send_ra(p, now);
	if (p->ra_initial)
		p->ra_initial--;
	p->ra_at = next_ra(p, now);
}

/* ---- up and down -------------------------------------------------------------------------- */

void ppp_v6_up(struct ppp_session *p)
{
	const struct auth_kept *r = &p->auth_reply;
	const struct auth_attrs *at = &r->attrs;
	const struct lns_ppp_cfg *c = &p->cp->rt->cfg->ppp;
	char a[INET6_ADDRSTRLEN + 4], d[INET6_ADDRSTRLEN + 4];

	p->cp->ppp_c.ipv6_up++;
	take_prefix(p, &p->pfx, at->has_ipv6_prefix, &at->ipv6_prefix, at->ipv6_plen,
		    r->pool6 >= 0 ? r->pool6 : c->ipv6_pool, "IPv6 prefix");
	take_prefix(p, &p->pd, at->has_delegated_prefix, &at->delegated_prefix, at->delegated_plen,
		    r->pd_pool >= 0 ? r->pd_pool : c->pd_pool, "delegated prefix");
	if (p->pfx.plen == 0)
		p->cp->ppp_c.ipv6_no_prefix++;
	LNS_LOG(INFO, cp, "session %u/%u: \"%s\" IPv6 up, prefix %s, delegated %s", p->ls->t->tid,
		p->ls->sid, p->user, p->pfx.plen ? ppp_prefix_str(&p->pfx, a, sizeof(a)) : "none",
		p->pd.plen ? ppp_prefix_str(&p->pd, d, sizeof(d)) : "none");
	ppp_fwd6_up(p);
	/* Advertise at once; the first MAX_INITIAL_RTR_ADVERTISEMENTS closer together. */
	p->ra_initial = MAX_INITIAL_RTR_ADVERTISEMENTS;
	p->ra_at = ppp_now();
	ppp_v6_tick(p, p->ra_at);
	ppp_arm(p);
}

void ppp_v6_down(struct ppp_session *p)
{
	ppp_fwd6_down(p);
	dhcp6_link_down(p);
	give_prefix(p, &p->pfx);
	give_prefix(p, &p->pd);
	p->ra_at = 0;
	p->ra_initial = 0;
}

/* ---- input -------------------------------------------------------------------------------- */

/* What the subscriber may use as a source here: its link-local address, its prefixes. */
static bool src_ok(const struct ppp_session *p, const uint8_t src[16], bool unspec_ok)
{
	uint8_t ll[16];

	link_local(ll, p->peer_ifid);
	if (memcmp(src, ll, 16) == 0)
		return true;
	if (memcmp(src, unspecified, 16) == 0)
		return unspec_ok;
	return in_prefix(src, &p->pfx) || in_prefix(src, &p->pd);
}

/* RFC 4861 section 4.6: every option at least 8 octets and inside the message. */
static bool options_ok(const uint8_t *o, size_t len)
{
	while (len > 0) {
		if (len < 2 || o[1] == 0 || o[1] * 8u > len)
			return false;
		len -= o[1] * 8u;
		o += o[1] * 8u;
	}
	return true;
}

/* A Neighbor Solicitation for our link-local address: a solicited advertisement. */
static bool nd_ns(struct ppp_session *p, const union pkt *in, const uint8_t *icmp, size_t len)
{
	union pkt u;
	uint8_t ours[16], *b = u.b + sizeof(u.ip);
	bool dad = memcmp(in->ip.src_addr, unspecified, 16) == 0;

	link_local(ours, p->our_ifid);
	if (len < 24 || !options_ok(icmp + 24, len - 24) || memcmp(icmp + 8, ours, 16) != 0)
		return false; /* not ours: the subscriber checking its own address, say */
	memset(&u, 0, sizeof(u));
	b[0] = ND_NEIGHBOR_ADVERT;
	/* Section 7.2.4; to all nodes, not solicited, when it came from :: (7.2.4, DAD). */
	b[4] = ND_NA_FLAG_ROUTER | ND_NA_FLAG_OVERRIDE | (dad ? 0 : ND_NA_FLAG_SOLICIT);
	memcpy(b + 8, ours, 16);
	send_icmp6(p, &u, dad ? all_nodes : in->ip.src_addr, 24);
	p->cp->ppp_c.na_out_ppp++;
	return true;
}

static bool echo(struct ppp_session *p, const union pkt *in, size_t len)
{
	union pkt u;
	uint8_t ours[16];

	link_local(ours, p->our_ifid);
	if (memcmp(in->ip.dst_addr, ours, 16) != 0 || len < 8)
		return false; /* to someone else's link-local address, or multicast */
	memcpy(u.b, in->b, sizeof(in->ip) + len);
	u.b[sizeof(u.ip)] = ICMP6_ECHO_REPLY;
	u.b[sizeof(u.ip) + 1] = 0;
	send_icmp6(p, &u, in->ip.src_addr, len);
	p->cp->ppp_c.echo6_reply_ppp++;
	return true;
}

/* ---- to lnsd's global addresses ---------------------------------------------------------- */

/* Whether A is a global address of one of lnsd's ports (what dp/fwd6.c punts as ours). */
static bool ours_global(const struct lns_runtime *rt, const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return false; /* a port's link-local address is of another link */
	for (unsigned i = 0; i < rt->n_ports; i++)
		for (unsigned k = 0; k < rt->ports[i].n_v6; k++)
			if (memcmp(rt->ports[i].v6[k], a, 16) == 0)
				return true;
	return false;
}

/* Whether the upper-layer checksum of the PLEN octets after u's header verifies. */
static bool l4_sum_ok(const union pkt *u, size_t plen)
{
	return __rte_raw_cksum_reduce(__rte_raw_cksum(u->b + sizeof(u->ip), plen,
						      rte_ipv6_phdr_cksum(&u->ip, 0))) == 0xffff;
}

/*
 * A UDP datagram to one of our addresses: nothing listens, so a Port
 * Unreachable (RFC 4443 section 3.1, code 4; what ends a UDP traceroute to
 * lnsd) from that address, under the rules and the rate of the other errors.
 * True when it is accounted for (sent, or held back by the rate).
 */
static bool port_unreachable(struct ppp_session *p, const union pkt *in, size_t plen)
{
	struct lns_cp *cp = p->cp;
	size_t len = sizeof(in->ip) + plen, n;
	union pkt out;

	if (!cp->rt->cfg->dataplane.icmp_unreachable)
		return false;
	if (!lns_icmp6_may_answer(in->b, len, LNS_ICMP6_DEST_UNREACH)) {
		cp->c.icmp_err_suppressed++;
		return false;
	}
	if (!lns_tb_take(&cp->icmp_tb, rte_rdtsc())) {
		cp->c.icmp_err_rate_limited++;
		return true;
	}
	n = lns_icmp6_error(out.b, sizeof(out.b), LNS_ICMP6_DEST_UNREACH, LNS_ICMP6_PORT_UNREACH, 0,
			    in->ip.dst_addr, in->b, len);
	if (n == 0)
		return false;
	ppp_send(p, PPP_IPV6, out.b, n);
	cp->c.icmp6_unreach_out++;
	return true;
}

/*
 * An IPv6 packet from the subscriber to lnsd's global address at u's
 * destination (dp/fwd6.c checked its source against the session's prefixes
 * already; checked again here). An echo request is answered from that
 * address with an ordinary hop limit, as a host answers; UDP draws a Port
 * Unreachable; TCP and the rest are dropped (no service of lnsd's listens on
 * a subscriber's side).
 */
static bool to_us(struct ppp_session *p, union pkt *u, size_t plen)
{
	struct lns_cp *cp = p->cp;
	uint8_t *l4 = u->b + sizeof(u->ip), peer[16];

	if (!src_ok(p, u->ip.src_addr, false))
		return false;
	switch (u->ip.proto) {
	case IPPROTO_ICMPV6:
		if (plen < 8 || !l4_sum_ok(u, plen) || l4[0] != ICMP6_ECHO_REQUEST || l4[1] != 0)
			return false;
		cp->c.icmp6_echo_in++;
		memcpy(peer, u->ip.src_addr, 16);
		l4[0] = ICMP6_ECHO_REPLY;
		send_icmp6_from(p, u, u->ip.dst_addr, peer, 64, plen);
		cp->c.icmp6_echo_reply_out++;
		return true;
	case IPPROTO_UDP:
		if (plen < 8 || !l4_sum_ok(u, plen))
			return false;
		return port_unreachable(p, u, plen);
	default:
		return false;
	}
}

void ppp_v6_input(struct ppp_session *p, const uint8_t *pkt, size_t len)
{
	union pkt u;
	const uint8_t *icmp = u.b + sizeof(u.ip);
	size_t plen;
	bool served = false;

	p->cp->ppp_c.ip6_in++;
	if (!p->ipv6_up || len < sizeof(u.ip) || len > sizeof(u))
		goto drop;
	memcpy(u.b, pkt, len);
	plen = rte_be_to_cpu_16(u.ip.payload_len);
	if ((rte_be_to_cpu_32(u.ip.vtc_flow) >> 28) != 6 || sizeof(u.ip) + plen > len)
		goto drop;
	if (ours_global(p->cp->rt, u.ip.dst_addr)) {
		if (to_us(p, &u, plen))
			return;
		goto drop;
	}
	if (u.ip.proto == IPPROTO_UDP) { /* DHCPv6 (cp/dhcp6.c) from the subscriber's router */
		if (src_ok(p, u.ip.src_addr, false) && dhcp6_input(p, &u.ip, icmp, plen))
			return;
		goto drop;
	}
	if (u.ip.proto != IPPROTO_ICMPV6 || plen < 8)
		goto drop; /* MLD reports (Hop-by-Hop first) end here too: not served */
	if (!l4_sum_ok(&u, plen))
		goto drop;
	switch (icmp[0]) {
	case ND_ROUTER_SOLICIT:
		/* RFC 4861 section 6.1.1; from :: it carries no link-layer address (none here) */
		if (u.ip.hop_limits != 255 || icmp[1] != 0 || !options_ok(icmp + 8, plen - 8) ||
		    !src_ok(p, u.ip.src_addr, true))
			break;
		p->cp->ppp_c.rs_in++;
		{
			/* Section 6.2.6: answered by the next multicast advertisement, no sooner
			 * than MIN_DELAY_BETWEEN_RAS after the last; one subscriber per link, so
			 * no random delay is needed to spread answers. */
			uint64_t now = ppp_now(), at = p->ra_last + MIN_DELAY_BETWEEN_RAS;

			if (at < now)
				at = now;
			if (p->ra_at == 0 || at < p->ra_at)
				p->ra_at = at;
			ppp_v6_tick(p, now);
			ppp_arm(p);
		}
		served = true;
		break;
	case ND_NEIGHBOR_SOLICIT:
		if (u.ip.hop_limits == 255 && icmp[1] == 0 && src_ok(p, u.ip.src_addr, true))
			served = nd_ns(p, &u, icmp, plen);
		break;
	case ICMP6_ECHO_REQUEST:
		if (icmp[1] == 0 && src_ok(p, u.ip.src_addr, false))
			served = echo(p, &u, plen);
		break;
	default:
		break; /* MLD, Neighbor Advertisements (DAD), redirects...: not served */
	}
	if (served)
		return;
drop:
	p->cp->ppp_c.ip6_drop++;
}
