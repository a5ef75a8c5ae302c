/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 on a subscriber's PPP link through the real code (cp/ppp_v6.c, with
 * cp/ppp_ncp.c, cp/pool.c and the rest of PPP): the prefixes taken when
 * IPv6CP opens and given back when it closes, the Router Advertisements
 * (content byte by byte, timing), answers to Router and Neighbor
 * Solicitations and echo requests for our link-local address, echo and UDP
 * to lnsd's global addresses, and what is dropped. lnsd around it is
 * ppp_harness.c: the test plays the subscriber.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include <rte_ip.h>

#include "dp/icmp.h"
#include "tests/unit/ppp_harness.h"

#define PORTS                                                                                      \
	"ports:\n"                                                                                 \
	"  - {name: access0, device: net_null0, role: access, addresses: [\"192.0.2.1/24\"]}\n"    \
	"  - {name: core0, device: net_null1, role: core, addresses: [\"198.51.100.1/24\"]}\n"
/* four /64s for the links, four /56s to delegate */
#define POOLS                                                                                      \
	"pools:\n"                                                                                 \
	"  - {name: v4, ranges: [\"100.64.0.10-100.64.0.20\"]}\n"                                  \
	"  - {name: links, ranges: [\"2001:db8:100::/62\"]}\n"                                     \
	"  - {name: pd, ranges: [\"2001:db8:200::/54\"], prefix-length: 56}\n"
#define USERS "users: [{name: alice, password: alice-pw}, {name: bob, password: bob-pw}]\n"
#define CFG(ppp)                                                                                   \
	PORTS POOLS USERS "ppp:\n"                                                                 \
			  "  auth: [pap]\n"                                                        \
			  "  pd-pool: pd\n" ppp
/* The same with global IPv6 addresses on both ports. */
#define PORTS6                                                                                     \
	"ports:\n"                                                                                 \
	"  - {name: access0, device: net_null0, role: access,\n"                                   \
	"     addresses: [\"192.0.2.1/24\", \"2001:db8:1::1/64\"]}\n"                              \
	"  - {name: core0, device: net_null1, role: core,\n"                                       \
	"     addresses: [\"198.51.100.1/24\", \"2001:db8:2::1/64\"]}\n"
#define CFG6(more)                                                                                 \
	PORTS6 POOLS USERS "ppp:\n"                                                                \
			   "  auth: [pap]\n"                                                       \
			   "  pd-pool: pd\n" more
#define LNS_ACC6  A6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1)
#define LNS_CORE6 A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1)

#define LINKS 1 /* pool indexes */
#define PD    2

#define PEER_MAGIC 0x5eed1234u
static const uint8_t PEER_IFID[8] = {0x0a, 0, 0, 0, 0, 0, 0, 0x0b};
#define A6(...)    ((const uint8_t[16]){__VA_ARGS__})
#define ALL_NODES  A6(0xff, 0x02, [15] = 1)
#define ALL_ROUTER A6(0xff, 0x02, [15] = 2)
#define PEER_LL    A6(0xfe, 0x80, [8] = 0x0a, [15] = 0x0b)
#define UNSPEC     A6(0)
/* the first /64 of links and /56 of pd */
#define LINK_PFX A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00)
#define PD_PFX   A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00)
#define LINK_H   A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, [15] = 7)

static struct h_env *E;

static int teardown(void **state)
{
	(void)state;
	h_env_free(E);
	E = NULL;
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void our_ll(const struct ppp_session *p, uint8_t a[16])
{
	memset(a, 0, 16);
	a[0] = 0xfe;
	a[1] = 0x80;
	memcpy(a + 8, p->our_ifid, 8);
}

/* A session with LCP open, PAP done, IPCP and IPv6CP both opened. */
static struct ppp_session *v6_open(const char *yaml)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t req[10] = {1, 10};
	struct h_frame ours;

	E = h_env_new(yaml);
	assert_non_null(E);
	p = h_ppp_start(E, h_l2tp_session_new(E));
	assert_non_null(p);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	ours = *f;
	memcpy(req + 2, PEER_IFID, 8);
	assert_memory_not_equal(p->our_ifid, PEER_IFID, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, ours.data[1], ours.data + 4, ours.len - 4);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_int_equal(p->ipv6cp.state, PPP_OPENED);
	assert_true(p->ipv6_up);
	return p;
}

/* The next IPv6 frame sent, checked as an ICMPv6 message from SRC to DST with hop limit
 * HOPS: its ICMPv6 part copied to icmp, its length returned. */
static size_t take_icmp6_from(const uint8_t *src, const uint8_t *dst, uint8_t hops, uint8_t *icmp)
{
	const struct h_frame *f = h_take(E, PPP_IPV6, 0);
	union {
		struct rte_ipv6_hdr ip;
		uint8_t b[PPP_MAX_PKT];
	} u;
	size_t len;

	assert_non_null(f);
	assert_true(f->len >= sizeof(u.ip) + 8);
	memcpy(u.b, f->data, f->len);
	len = rte_be_to_cpu_16(u.ip.payload_len);
	assert_int_equal(f->len, sizeof(u.ip) + len);
	assert_int_equal(rte_be_to_cpu_32(u.ip.vtc_flow), 6u << 28);
	assert_int_equal(u.ip.proto, IPPROTO_ICMPV6);
	assert_int_equal(u.ip.hop_limits, hops);
	assert_memory_equal(u.ip.src_addr, src, 16);
	assert_memory_equal(u.ip.dst_addr, dst, 16);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(&u.ip, u.b + sizeof(u.ip)), 0);
	memcpy(icmp, u.b + sizeof(u.ip), len);
	return len;
}

/* The same from our link-local address, hop limit 255 (RAs, NAs, echo replies). */
static size_t take_icmp6(const struct ppp_session *p, const uint8_t *dst, uint8_t *icmp)
{
	uint8_t ll[16];

	our_ll(p, ll);
	return take_icmp6_from(ll, dst, 255, icmp);
}

/* The subscriber sends ICMPv6 type/code with body (after the 4-octet header). */
static void send_icmp6(struct ppp_session *p, const uint8_t *src, const uint8_t *dst, uint8_t hops,
		       uint8_t type, uint8_t code, const void *body, size_t blen, bool bad_cksum)
{
	union {
		struct rte_ipv6_hdr ip;
		uint8_t b[4 + PPP_MAX_PKT];
	} u;
	uint8_t *icmp = u.b + sizeof(u.ip);
	uint8_t *frame;
	uint16_t c;
	size_t len = sizeof(u.ip) + 4 + blen;

	memset(&u, 0, sizeof(u));
	u.ip.vtc_flow = RTE_BE32(6u << 28);
	u.ip.payload_len = rte_cpu_to_be_16((uint16_t)(4 + blen));
	u.ip.proto = IPPROTO_ICMPV6;
	u.ip.hop_limits = hops;
	memcpy(u.ip.src_addr, src, 16);
	memcpy(u.ip.dst_addr, dst, 16);
	icmp[0] = type;
	icmp[1] = code;
	memcpy(icmp + 4, body, blen);
	c = rte_ipv6_udptcp_cksum(&u.ip, icmp);
	memcpy(icmp + 2, &c, 2);
	if (bad_cksum)
		icmp[3] ^= 1;
	frame = malloc(4 + len); /* the frame's size exactly: ASan sees reads past it */
	assert_non_null(frame);
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = 0x00;
	frame[3] = 0x57;
	memcpy(frame + 4, u.b, len);
	h_input(p, frame, 4 + len);
	free(frame);
}

/* The subscriber sends an IPv6 packet (next header NH, the L4LEN octets at l4, whose
 * checksum at CKSUM_OFF is set unless BAD) into buf's frame; the IPv6 packet is left in
 * pkt (its length returned), as it would be quoted. */
static size_t send_ip6(struct ppp_session *p, const uint8_t *src, const uint8_t *dst, uint8_t nh,
		       const uint8_t *l4, size_t l4len, size_t cksum_off, bool bad, uint8_t *pkt)
{
	struct rte_ipv6_hdr ip = {0};
	uint8_t frame[4 + 40 + 256];
	uint16_t c;

	assert_true(l4len <= 256);
	ip.vtc_flow = RTE_BE32(6u << 28);
	ip.payload_len = rte_cpu_to_be_16((uint16_t)l4len);
	ip.proto = nh;
	ip.hop_limits = 64;
	memcpy(ip.src_addr, src, 16);
	memcpy(ip.dst_addr, dst, 16);
	memcpy(pkt, &ip, sizeof(ip));
	memcpy(pkt + sizeof(ip), l4, l4len);
	pkt[sizeof(ip) + cksum_off] = pkt[sizeof(ip) + cksum_off + 1] = 0;
	c = rte_ipv6_udptcp_cksum(&ip, pkt + sizeof(ip));
	memcpy(pkt + sizeof(ip) + cksum_off, &c, 2);
	if (bad)
		pkt[sizeof(ip) + cksum_off] ^= 1;
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = 0x00;
	frame[3] = 0x57;
	memcpy(frame + 4, pkt, sizeof(ip) + l4len);
	h_input(p, frame, 4 + sizeof(ip) + l4len);
	return sizeof(ip) + l4len;
}

static void send_rs(struct ppp_session *p, const uint8_t *src)
{
	static const uint8_t reserved[4];

	send_icmp6(p, src, ALL_ROUTER, 255, 133, 0, reserved, sizeof(reserved), false);
}

/* ---- tests -------------------------------------------------------------------------------- */

/*
 * IPv6CP opens: a /64 from the links' pool, a /56 from the delegation pool, both
 * to the workers, and at once a Router Advertisement to all nodes, byte by byte:
 * hop limit 64, O (the DHCPv6 server runs: ppp.dhcp6) but no M, router lifetime
 * 1800, the /64 on-link and autonomous with the default lifetimes, the link's
 * MTU (1500 - 38: the tunnel over a 1500 port).
 */
static void ra_on_open(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256];
	const uint8_t want[16 + 32 + 8] = {
		134,  0,    0,    0,    64, 0x40, 1800 >> 8, 1800 & 0xff, 0,    0,    0,    0,
		0,    0,    0,    0,    3,  4,    64,        0xc0,        0,    0x27, 0x8d, 0x00,
		0,    0x09, 0x3a, 0x80, 0,  0,    0,         0,           0x20, 0x01, 0x0d, 0xb8,
		0x01, 0x00, 0,    0,    0,  0,    0,         0,           0,    0,    0,    0,
		5,    1,    0,    0,    0,  0,    1462 >> 8, 1462 & 0xff};

	(void)state;
	p = v6_open(CFG(""));
	assert_int_equal(E->fwd6_ups, 1);
	assert_int_equal(p->pfx.plen, 64);
	assert_memory_equal(p->pfx.a.s6_addr, LINK_PFX, 16);
	assert_true(p->pfx.routed);
	assert_int_equal(p->pd.plen, 56);
	assert_memory_equal(p->pd.a.s6_addr, PD_PFX, 16);
	assert_int_equal(E->cp->pools[LINKS].in_use, 1);
	assert_int_equal(E->cp->pools[PD].in_use, 1);
	assert_int_equal(take_icmp6(p, ALL_NODES, ra), sizeof(want));
	ra[2] = ra[3] = 0; /* the checksum, checked */
	assert_memory_equal(ra, want, sizeof(want));
	assert_int_equal(E->cp->ppp_c.ra_out, 1);
	assert_int_equal(E->cp->ppp_c.ipv6_up, 1);
}

/* M and O flags, router lifetime, prefix lifetimes and RDNSS (RFC 8106) from ppp.ra. */
static void ra_options(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256];
	size_t len;
	const uint8_t rdnss[8 + 32] = {
		25,   5,    0,    0,           0,    0,    0,    180,  0x20,
		0x01, 0x0d, 0xb8, [23] = 0x53, 0x20, 0x01, 0x0d, 0xb8, [39] = 0x54};

	(void)state;
	p = v6_open(CFG("  ra: {interval: 60, router-lifetime: 0, valid-lifetime: 7200,\n"
			"       preferred-lifetime: 3600, managed: true, other-config: true,\n"
			"       dns: [\"2001:db8::53\", \"2001:db8::54\"]}\n"));
	len = take_icmp6(p, ALL_NODES, ra);
	assert_int_equal(len, 16 + 32 + 8 + sizeof(rdnss));
	assert_int_equal(ra[5], 0xc0);
	assert_int_equal(ra[6] << 8 | ra[7], 0);
	assert_int_equal(get32(ra + 16 + 4), 7200);
	assert_int_equal(get32(ra + 16 + 8), 3600);
	assert_memory_equal(ra + 16 + 32 + 8, rdnss, sizeof(rdnss));
}

/*
 * Unsolicited advertisements: MAX_INITIAL_RTR_ADVERTISEMENTS (3) at most 16 s
 * apart, then between MaxRtrAdvInterval / 3 and MaxRtrAdvInterval (600 s).
 */
static void ra_timing(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256];

	(void)state;
	p = v6_open(CFG(""));
	take_icmp6(p, ALL_NODES, ra);
	for (int i = 0; i < 2; i++) {
		assert_true(p->ra_at > h_now_ms && p->ra_at <= h_now_ms + 16000);
		h_now_ms = p->ra_at;
		ppp_v6_tick(p, h_now_ms);
		take_icmp6(p, ALL_NODES, ra);
	}
	assert_true(p->ra_at >= h_now_ms + 200000 && p->ra_at <= h_now_ms + 600000);
	ppp_v6_tick(p, p->ra_at - 1); /* not yet */
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.ra_out, 3);
}

/*
 * A Router Solicitation (from the subscriber's link-local address or from ::)
 * brings the next advertisement forward, to no sooner than 3 s after the last
 * (RFC 4861 MIN_DELAY_BETWEEN_RAS); one long after the last is answered at once.
 */
static void rs_answered(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256];

	(void)state;
	p = v6_open(CFG(""));
	take_icmp6(p, ALL_NODES, ra);
	h_now_ms += 1000;
	send_rs(p, PEER_LL);
	assert_int_equal(E->cp->ppp_c.rs_in, 1);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(p->ra_at, h_now_ms + 2000);
	h_now_ms += 2000;
	ppp_v6_tick(p, h_now_ms);
	take_icmp6(p, ALL_NODES, ra);
	h_now_ms += 10000;
	send_rs(p, UNSPEC);
	take_icmp6(p, ALL_NODES, ra);
	assert_int_equal(E->cp->ppp_c.rs_in, 2);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 0);
}

/* Not from the subscriber's link-local address or prefixes, hop limit not 255, a bad
 * checksum, a truncated packet: dropped and counted, nothing sent. */
static void rs_refused(void **state)
{
	static const uint8_t reserved[4];
	struct ppp_session *p;
	uint8_t ra[256];
	const uint8_t f[] = {0xff, 0x03, 0x00, 0x57, 0x60, 0, 0, 0, 0, 8, 58, 255};

	(void)state;
	p = v6_open(CFG(""));
	take_icmp6(p, ALL_NODES, ra);
	h_now_ms += 100000;
	send_rs(p, A6(0xfe, 0x80, [15] = 0x66));
	send_rs(p, A6(0x20, 0x01, 0x0d, 0xb8, 0x09, [15] = 1));
	send_icmp6(p, PEER_LL, ALL_ROUTER, 64, 133, 0, reserved, sizeof(reserved), false);
	send_icmp6(p, PEER_LL, ALL_ROUTER, 255, 133, 0, reserved, sizeof(reserved), true);
	send_icmp6(p, PEER_LL, ALL_ROUTER, 255, 133, 1, reserved, sizeof(reserved), false);
	h_input(p, f, sizeof(f));
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.rs_in, 0);
	assert_int_equal(E->cp->ppp_c.ip6_in, 6);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 6);
}

/*
 * A Neighbor Solicitation for our link-local address: a solicited, router,
 * override advertisement to its sender; from :: (duplicate address detection)
 * to all nodes, not solicited. For another target: nothing, counted.
 */
static void ns_for_our_address(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256], na[64], body[20] = {0}, ll[16];

	(void)state;
	p = v6_open(CFG(""));
	take_icmp6(p, ALL_NODES, ra);
	our_ll(p, ll);
	memcpy(body + 4, ll, 16);
	send_icmp6(p, PEER_LL, ll, 255, 135, 0, body, sizeof(body), false);
	assert_int_equal(take_icmp6(p, PEER_LL, na), 24);
	assert_int_equal(na[0], 136);
	assert_int_equal(na[4], 0xe0);
	assert_memory_equal(na + 8, ll, 16);
	send_icmp6(p, UNSPEC, ALL_NODES, 255, 135, 0, body, sizeof(body), false);
	assert_int_equal(take_icmp6(p, ALL_NODES, na), 24);
	assert_int_equal(na[4], 0xa0);
	/* the subscriber checking its own address */
	memcpy(body + 4, PEER_LL, 16);
	send_icmp6(p, UNSPEC, A6(0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 0x0b), 255, 135, 0, body,
		   sizeof(body), false);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.na_out_ppp, 2);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 1);
}

/* An echo request to our link-local address from the subscriber's /64: answered. */
static void echo_to_our_link_local(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256], rep[64], ll[16];
	const uint8_t body[12] = {0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g', 1, 2, 3, 4};

	(void)state;
	p = v6_open(CFG(""));
	take_icmp6(p, ALL_NODES, ra);
	our_ll(p, ll);
	send_icmp6(p, LINK_H, ll, 64, 128, 0, body, sizeof(body), false);
	assert_int_equal(take_icmp6(p, LINK_H, rep), 4 + sizeof(body));
	assert_int_equal(rep[0], 129);
	assert_memory_equal(rep + 4, body, sizeof(body));
	/* from somewhere the subscriber has no business being */
	send_icmp6(p, A6(0x20, 0x01, 0x0d, 0xb8, 0x09, [15] = 1), ll, 64, 128, 0, body,
		   sizeof(body), false);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.echo6_reply_ppp, 1);
}

/*
 * An echo request to one of lnsd's global addresses (the workers punt it, dp/fwd6.c):
 * answered from that address with hop limit 64, as a host answers. Not with a bad
 * checksum, not from outside the subscriber's prefixes, not to someone else's address.
 */
static void echo_to_our_global(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256], rep[64], pkt[128];
	const uint8_t echo[16] = {128, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g', 1, 2, 3, 4};
	const uint8_t *ours[] = {LNS_CORE6, LNS_ACC6};

	(void)state;
	p = v6_open(CFG6(""));
	take_icmp6(p, ALL_NODES, ra);
	for (unsigned i = 0; i < 2; i++) {
		send_ip6(p, LINK_H, ours[i], IPPROTO_ICMPV6, echo, sizeof(echo), 2, false, pkt);
		assert_int_equal(take_icmp6_from(ours[i], LINK_H, 64, rep), sizeof(echo));
		assert_int_equal(rep[0], 129);
		assert_int_equal(rep[1], 0);
		assert_memory_equal(rep + 4, echo + 4, sizeof(echo) - 4);
	}
	assert_int_equal(E->cp->c.icmp6_echo_in, 2);
	assert_int_equal(E->cp->c.icmp6_echo_reply_out, 2);
	/* bad checksum; a source outside its prefixes; an address of nobody's on our subnet */
	send_ip6(p, LINK_H, LNS_CORE6, IPPROTO_ICMPV6, echo, sizeof(echo), 2, true, pkt);
	send_ip6(p, A6(0x20, 0x01, 0x0d, 0xb8, 0x09, [15] = 1), LNS_CORE6, IPPROTO_ICMPV6, echo,
		 sizeof(echo), 2, false, pkt);
	send_ip6(p, LINK_H, A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 9), IPPROTO_ICMPV6, echo,
		 sizeof(echo), 2, false, pkt);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->c.icmp6_echo_in, 2);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 3);
}

/*
 * UDP to one of our addresses: a Port Unreachable (type 1 code 4) from it,
 * quoting the datagram, within the control lcore's ICMP rate; none with
 * dataplane.icmp-unreachable off. TCP: dropped.
 */
static void udp_to_our_global(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256], err[256], pkt[128];
	uint8_t udp[20] = {0x82, 0x9a, 0x82, 0x9b, 0, 20, 0, 0, 'l', 'n', 's'};
	uint8_t tcp[20] = {0x82, 0x9a, 0, 22, [12] = 0x50, [13] = 0x02};
	size_t n;

	(void)state;
	p = v6_open(CFG6(""));
	take_icmp6(p, ALL_NODES, ra);
	/* two tokens, on a clock that never refills them */
	lns_tb_init(&E->cp->icmp_tb, 2, 2, 1000, UINT64_MAX);
	n = send_ip6(p, LINK_H, LNS_CORE6, IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(take_icmp6_from(LNS_CORE6, LINK_H, 64, err), 8 + n);
	assert_int_equal(err[0], LNS_ICMP6_DEST_UNREACH);
	assert_int_equal(err[1], LNS_ICMP6_PORT_UNREACH);
	assert_memory_equal(err + 4, "\0\0\0\0", 4);
	assert_memory_equal(err + 8, pkt, n);
	assert_int_equal(E->cp->c.icmp6_unreach_out, 1);
	/* TCP, and UDP with a bad checksum: dropped, no token taken */
	send_ip6(p, LINK_H, LNS_CORE6, IPPROTO_TCP, tcp, sizeof(tcp), 16, false, pkt);
	send_ip6(p, LINK_H, LNS_CORE6, IPPROTO_UDP, udp, sizeof(udp), 6, true, pkt);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 2);
	/* the second token, then none */
	send_ip6(p, LINK_H, LNS_ACC6, IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(take_icmp6_from(LNS_ACC6, LINK_H, 64, err), 8 + n);
	send_ip6(p, LINK_H, LNS_ACC6, IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->c.icmp6_unreach_out, 2);
	assert_int_equal(E->cp->c.icmp_err_rate_limited, 1);
	/* switched off */
	lns_tb_init(&E->cp->icmp_tb, 2, 2, 1000, UINT64_MAX);
	E->cfg->dataplane.icmp_unreachable = false;
	send_ip6(p, LINK_H, LNS_CORE6, IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->c.icmp6_unreach_out, 2);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 3);
}

/* An IPv4 packet from PEER4 to DST with L4 (its checksum at CKSUM_OFF set, spoiled if BAD),
 * through PPP as the workers punt it (cp/ppp_input.c); the packet in PKT, its length back. */
/* (not RTE_IPV4: it shifts an int, undefined past 127 for UBSan) */
#define A4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define PEER4          A4(100, 64, 0, 9)
static size_t send_ip4(struct ppp_session *p, uint32_t dst, uint8_t proto, const uint8_t *l4,
		       size_t l4len, size_t cksum_off, bool bad, uint8_t *pkt)
{
	struct rte_ipv4_hdr ip = {
		.version_ihl = RTE_IPV4_VHL_DEF,
		.time_to_live = 64,
		.next_proto_id = proto,
		.src_addr = rte_cpu_to_be_32(PEER4),
		.dst_addr = rte_cpu_to_be_32(dst),
	};
	uint8_t frame[4 + 20 + 256] = {0xff, 0x03, 0x00, 0x21};
	uint16_t c;

	ip.total_length = rte_cpu_to_be_16((uint16_t)(sizeof(ip) + l4len));
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(pkt, &ip, sizeof(ip));
	memcpy(pkt + sizeof(ip), l4, l4len);
	pkt[sizeof(ip) + cksum_off] = pkt[sizeof(ip) + cksum_off + 1] = 0;
	c = rte_ipv4_udptcp_cksum(&ip, pkt + sizeof(ip));
	memcpy(pkt + sizeof(ip) + cksum_off, &c, 2);
	if (bad)
		pkt[sizeof(ip) + cksum_off] ^= 1;
	memcpy(frame + 4, pkt, sizeof(ip) + l4len);
	h_input(p, frame, 4 + sizeof(ip) + l4len);
	return sizeof(ip) + l4len;
}

/*
 * IPv4 the same as IPv6 (cp/ppp_input.c): UDP from a forwarding subscriber to one of lnsd's
 * addresses draws a Port Unreachable (type 3 code 3) from that address, quoting the datagram,
 * within the ICMP rate; none with a bad UDP checksum, from another source, or with
 * dataplane.icmp-unreachable off.
 */
static void udp4_to_our_address(void **state)
{
	struct ppp_session *p;
	uint8_t ra[256], pkt[128];
	uint8_t udp[20] = {0x82, 0x9a, 0x82, 0x9b, 0, 20, 0, 0, 'l', 'n', 's'};
	const struct h_frame *f;
	struct rte_ipv4_hdr ip;
	size_t n;

	(void)state;
	p = v6_open(CFG6(""));
	take_icmp6(p, ALL_NODES, ra);
	p->peer_ip.s_addr = rte_cpu_to_be_32(PEER4); /* IPCP's, as if open */
	p->ls->forwarding = true;
	lns_tb_init(&E->cp->icmp_tb, 1, 1, 1000, UINT64_MAX); /* one token, never refilled */
	n = send_ip4(p, A4(198, 51, 100, 1), IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	f = h_take(E, PPP_IP, 0);
	assert_non_null(f);
	assert_int_equal(f->len, 20 + 8 + n);
	memcpy(&ip, f->data, sizeof(ip));
	assert_int_equal(rte_ipv4_cksum(&ip), 0); /* a header with its checksum sums to zero */
	assert_int_equal(ip.next_proto_id, IPPROTO_ICMP);
	assert_int_equal(ip.src_addr, rte_cpu_to_be_32(A4(198, 51, 100, 1)));
	assert_int_equal(ip.dst_addr, rte_cpu_to_be_32(PEER4));
	assert_int_equal(f->data[20], LNS_ICMP_DEST_UNREACH);
	assert_int_equal(f->data[21], LNS_ICMP_PORT_UNREACH);
	assert_int_equal(rte_raw_cksum(f->data + 20, f->len - 20), 0xffff);
	assert_memory_equal(f->data + 28, pkt, n);
	assert_int_equal(E->cp->c.icmp_unreach_out, 1);
	/* bad UDP checksum; not the subscriber's source: dropped, no token taken */
	send_ip4(p, A4(198, 51, 100, 1), IPPROTO_UDP, udp, sizeof(udp), 6, true, pkt);
	p->peer_ip.s_addr = rte_cpu_to_be_32(PEER4 + 1);
	send_ip4(p, A4(198, 51, 100, 1), IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	p->peer_ip.s_addr = rte_cpu_to_be_32(PEER4);
	assert_int_equal(h_count(E, PPP_IP, 0), 0);
	assert_int_equal(E->cp->c.icmp_err_rate_limited, 0);
	/* out of tokens: counted, not sent */
	send_ip4(p, A4(192, 0, 2, 1), IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(h_count(E, PPP_IP, 0), 0);
	assert_int_equal(E->cp->c.icmp_err_rate_limited, 1);
	/* switched off */
	lns_tb_init(&E->cp->icmp_tb, 1, 1, 1000, UINT64_MAX);
	E->cfg->dataplane.icmp_unreachable = false;
	send_ip4(p, A4(198, 51, 100, 1), IPPROTO_UDP, udp, sizeof(udp), 6, false, pkt);
	assert_int_equal(h_count(E, PPP_IP, 0), 0);
	assert_int_equal(E->cp->c.icmp_unreach_out, 1);
}

/* IPv6CP closes: the prefixes leave the workers and go back to their pools, no more RAs. */
static void down_gives_back(void **state)
{
	struct ppp_session *p;

	(void)state;
	p = v6_open(CFG(""));
	h_pkt(p, PPP_IPV6CP, PPP_TERM_REQ, 9, NULL, 0);
	assert_false(p->ipv6_up);
	assert_int_equal(E->fwd6_downs, 1);
	assert_int_equal(p->pfx.plen, 0);
	assert_int_equal(p->pd.plen, 0);
	assert_int_equal(p->ra_at, 0);
	assert_int_equal(E->cp->pools[LINKS].in_use, 0);
	assert_int_equal(E->cp->pools[PD].in_use, 0);
	h_clear(E);
	ppp_v6_tick(p, h_now_ms + 1000000);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
}

/*
 * RADIUS's Framed-IPv6-Prefix inside the links' pool is taken out of it;
 * Delegated-IPv6-Prefix outside every pool is used as it is; without them,
 * the pools (Delegated-IPv6-Prefix-Pool's before ppp.pd-pool).
 */
static void backend_prefixes(void **state)
{
	struct ppp_session *p;
	struct auth_attrs *at;

	(void)state;
	E = h_env_new(CFG(""));
	assert_non_null(E);
	p = h_ppp_start(E, h_l2tp_session_new(E));
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	at = &p->auth_reply.attrs;
	at->has_ipv6_prefix = true;
	memcpy(at->ipv6_prefix.s6_addr, A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 2), 16);
	at->ipv6_plen = 64;
	at->has_delegated_prefix = true;
	memcpy(at->delegated_prefix.s6_addr, A6(0x20, 0x01, 0x0d, 0xb8, 0x0f, 0x00), 16);
	at->delegated_plen = 48;
	ppp_v6_up(p);
	assert_int_equal(p->pfx.pool, LINKS);
	assert_int_equal(E->cp->pools[LINKS].in_use, 1);
	assert_int_equal(p->pd.pool, -1);
	assert_int_equal(p->pd.plen, 48);
	assert_int_equal(E->cp->pools[PD].in_use, 0);
	ppp_v6_down(p);
	assert_int_equal(E->cp->pools[LINKS].in_use, 0);
	/* from the pools now: the last prefix released comes first (a stack) */
	at->has_ipv6_prefix = at->has_delegated_prefix = false;
	ppp_v6_up(p);
	assert_memory_equal(p->pfx.a.s6_addr, A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 2), 16);
	assert_int_equal(p->pfx.pool, LINKS);
	assert_int_equal(p->pd.plen, 56); /* ppp.pd-pool */
	assert_int_equal(E->cp->pools[PD].in_use, 1);
	/* Delegated-IPv6-Prefix-Pool naming another pool wins over ppp.pd-pool */
	ppp_v6_down(p);
	p->auth_reply.pd_pool = LINKS;
	ppp_v6_up(p);
	assert_int_equal(p->pd.pool, LINKS);
	assert_int_equal(p->pd.plen, 64);
	assert_int_equal(E->cp->pools[LINKS].in_use, 2);
}

/* The links' pool empty: counted, and the RA carries no prefix (the link works, unnumbered). */
static void pool_exhausted(void **state)
{
	struct ppp_session *p;
	struct in6_addr a;
	uint8_t ra[256];

	(void)state;
	E = h_env_new(CFG(""));
	assert_non_null(E);
	while (lns_pool_alloc6(&E->cp->pools[LINKS], &a) == 0)
		;
	p = h_ppp_start(E, h_l2tp_session_new(E));
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	h_clear(E);
	p->ipv6_up = true; /* as v6_up does before calling it */
	ppp_v6_up(p);
	assert_int_equal(p->pfx.plen, 0);
	assert_int_equal(E->cp->ppp_c.ipv6_no_prefix, 1);
	assert_int_equal(take_icmp6(p, ALL_NODES, ra), 16 + 8); /* the MTU option only */
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ra_on_open),
		T(ra_options),
		T(ra_timing),
		T(rs_answered),
		T(rs_refused),
		T(ns_for_our_address),
		T(echo_to_our_link_local),
		T(echo_to_our_global),
		T(udp_to_our_global),
		T(udp4_to_our_address),
		T(down_gives_back),
		T(backend_prefixes),
		T(pool_exhausted),
	};

	return cmocka_run_group_tests_name("ppp_v6", tests, NULL, NULL);
}
