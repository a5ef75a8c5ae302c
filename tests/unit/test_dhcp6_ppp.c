/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server on a PPP link through the real code (cp/dhcp6.c from
 * cp/ppp_v6.c, with the rest of PPP and the pools; lnsd around it is
 * ppp_harness.c): the subscriber's router sends DHCPv6 inside PPP as it would
 * (UDP 546 -> 547 from its link-local address to ff02::1:2), and the answer
 * must come back from our link-local address to its port 546 with a right
 * checksum, carrying the very prefix the session was given (pool or RADIUS)
 * and the DNS servers of RADIUS or ppp.ra.dns. What is malformed, spoofed,
 * for someone else or switched off is counted and not answered; IPv6CP going
 * down forgets the binding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>

#include "tests/unit/ppp_harness.h"

#define PORTS                                                                                      \
	"ports:\n"                                                                                 \
	"  - {name: access0, device: net_null0, role: access, addresses: [\"192.0.2.1/24\"]}\n"    \
	"  - {name: core0, device: net_null1, role: core, addresses: [\"198.51.100.1/24\"]}\n"
#define POOLS                                                                                      \
	"pools:\n"                                                                                 \
	"  - {name: v4, ranges: [\"100.64.0.10-100.64.0.20\"]}\n"                                  \
	"  - {name: links, ranges: [\"2001:db8:100::/62\"]}\n"                                     \
	"  - {name: pd, ranges: [\"2001:db8:200::/54\"], prefix-length: 56}\n"
#define CFG(ppp)                                                                                   \
	PORTS POOLS "users: [{name: alice, password: alice-pw}]\n"                                 \
		    "ppp:\n"                                                                       \
		    "  auth: [pap]\n"                                                              \
		    "  pd-pool: pd\n" ppp

#define PEER_MAGIC 0x5eed1234u
static const uint8_t PEER_IFID[8] = {0x0a, 0, 0, 0, 0, 0, 0, 0x0b};
#define A6(...)      ((const uint8_t[16]){__VA_ARGS__})
#define PEER_LL      A6(0xfe, 0x80, [8] = 0x0a, [15] = 0x0b)
#define ALL_SERVERS  A6(0xff, 0x02, [13] = 1, [15] = 2)
#define SITE_SERVERS A6(0xff, 0x05, [13] = 1, [15] = 3)     /* All_DHCP_Servers, not on a link */
#define PD_PFX       A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00) /* the pool's first /56 */
#define RADIUS_PD    A6(0x20, 0x01, 0x0d, 0xb8, 0x0f, 0x00, 0x42)
#define RADIUS_DNS   A6(0x20, 0x01, 0x0d, 0xb8, 0xd5, [15] = 1)
#define CONFIG_DNS   A6(0x20, 0x01, 0x0d, 0xb8, [15] = 0x53) /* 2001:db8::53 */
static const uint8_t PORT_MAC[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
static const uint8_t DUID_A[14] = {0, 1, 0, 1, 0x2c, 0x11, 0x22, 0x33, 0xaa, 0, 0, 0, 0, 1};

static struct h_env *E;

static int teardown(void **state)
{
	(void)state;
	h_env_free(E);
	E = NULL;
	return 0;
}

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Up to LCP, PAP; the caller may set the backend's attributes, then ipv6_open. */
static struct ppp_session *authenticated(const char *yaml)
{
	struct ppp_session *p;

	E = h_env_new(yaml);
	assert_non_null(E);
	memcpy(E->rt->ports[0].mac.addr_bytes, PORT_MAC, 6);
	p = h_ppp_start(E, h_l2tp_session_new(E));
	assert_non_null(p);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	return p;
}

/* IPv6CP opened with the peer's interface identifier PEER_IFID; the RA taken off. */
static void ipv6_open(struct ppp_session *p)
{
	const struct h_frame *f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	uint8_t req[10] = {1, 10};
	struct h_frame ours;

	assert_non_null(f);
	ours = *f;
	memcpy(req + 2, PEER_IFID, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, ours.data[1], ours.data + 4, ours.len - 4);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_true(p->ipv6_up);
	assert_non_null(h_take(E, PPP_IPV6, 0)); /* the first RA */
	h_clear(E);
}

static struct ppp_session *v6_open(const char *yaml)
{
	struct ppp_session *p = authenticated(yaml);

	ipv6_open(p);
	return p;
}

/*
 * The subscriber sends a UDP datagram sport -> dport with payload from src to
 * dst inside PPP (ff 03 00 57); bad_sum spoils the checksum, len_delta the UDP
 * length field.
 */
static void send_udp(struct ppp_session *p, const uint8_t *src, const uint8_t *dst, uint16_t sport,
		     uint16_t dport, const void *payload, size_t plen, bool bad_sum, int len_delta)
{
	union {
		struct rte_ipv6_hdr ip;
		uint8_t b[PPP_MAX_PKT];
	} u;
	uint8_t *udp = u.b + sizeof(u.ip), *frame;
	size_t len = sizeof(u.ip) + 8 + plen;
	uint16_t c;

	assert_true(len <= sizeof(u));
	memset(&u, 0, sizeof(u));
	u.ip.vtc_flow = RTE_BE32(6u << 28);
	u.ip.payload_len = rte_cpu_to_be_16((uint16_t)(8 + plen));
	u.ip.proto = IPPROTO_UDP;
	u.ip.hop_limits = 1;
	memcpy(u.ip.src_addr, src, 16);
	memcpy(u.ip.dst_addr, dst, 16);
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((8 + plen + len_delta) >> 8);
	udp[5] = (uint8_t)(8 + plen + len_delta);
	memcpy(udp + 8, payload, plen);
	c = rte_ipv6_udptcp_cksum(&u.ip, udp);
	memcpy(udp + 6, &c, 2);
	if (bad_sum)
		udp[7] ^= 1;
	frame = malloc(4 + len); /* the frame's size exactly: ASan sees reads past it */
	assert_non_null(frame);
	memcpy(frame, (const uint8_t[]){0xff, 0x03, 0x00, 0x57}, 4);
	memcpy(frame + 4, u.b, len);
	h_input(p, frame, 4 + len);
	free(frame);
}

static void send_dhcp(struct ppp_session *p, const void *msg, size_t len)
{
	send_udp(p, PEER_LL, ALL_SERVERS, 546, 547, msg, len, false, 0);
}

/*
 * The answer: one IPv6 frame from our link-local address to the subscriber's,
 * UDP 547 -> 546, length and checksum right. Its DHCPv6 part copied to out,
 * its length returned.
 */
static size_t take_dhcp(const struct ppp_session *p, uint8_t *out)
{
	const struct h_frame *f = h_take(E, PPP_IPV6, 0);
	union {
		struct rte_ipv6_hdr ip;
		uint8_t b[PPP_MAX_PKT];
	} u;
	uint8_t ll[16] = {0xfe, 0x80};
	const uint8_t *udp = u.b + sizeof(u.ip);
	size_t len;

	assert_non_null(f);
	memcpy(u.b, f->data, f->len);
	len = rte_be_to_cpu_16(u.ip.payload_len);
	assert_int_equal(f->len, sizeof(u.ip) + len);
	assert_int_equal(rte_be_to_cpu_32(u.ip.vtc_flow), 6u << 28);
	assert_int_equal(u.ip.proto, IPPROTO_UDP);
	memcpy(ll + 8, p->our_ifid, 8);
	assert_memory_equal(u.ip.src_addr, ll, 16);
	assert_memory_equal(u.ip.dst_addr, PEER_LL, 16);
	assert_int_equal(g16(udp), 547);
	assert_int_equal(g16(udp + 2), 546);
	assert_int_equal(g16(udp + 4), len);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(&u.ip, udp), 0);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	memcpy(out, udp + 8, len - 8);
	return len - 8;
}

/* The nth option of code in b[0..len), its length in *olen; NULL if absent. */
static const uint8_t *find(const uint8_t *b, size_t len, uint16_t code, size_t *olen)
{
	for (size_t off = 0; off + 4 <= len; off += 4 + g16(b + off + 2)) {
		if (g16(b + off) == code) {
			*olen = g16(b + off + 2);
			assert_true(off + 4 + *olen <= len);
			return b + off + 4;
		}
	}
	return NULL;
}

/* The prefix (and its length) in the answer's first IA_PD; false if it has none. */
static bool answer_prefix(const uint8_t *a, size_t len, uint8_t prefix[16], uint8_t *plen)
{
	size_t l, xl;
	const uint8_t *ia = find(a + 4, len - 4, 25, &l), *x;

	assert_non_null(ia);
	x = find(ia + 12, l - 12, 26, &xl);
	if (x == NULL)
		return false;
	*plen = x[8];
	memcpy(prefix, x + 9, 16);
	return true;
}

/* A client message: Client Identifier DUID_A, our Server Identifier when to_us, one
 * IA_PD (IAID 1), the DNS servers asked for. */
static size_t client_msg(uint8_t *b, uint8_t type, const struct ppp_session *p, bool to_us)
{
	size_t n = 0;

	b[n++] = type;
	b[n++] = 0x0a;
	b[n++] = 0x0b;
	b[n++] = 0x0c;
	memcpy(b + n, (const uint8_t[]){0, 1, 0, 14}, 4);
	memcpy(b + n + 4, DUID_A, 14);
	n += 18;
	if (to_us) {
		uint8_t duid[DHCP6_DUID_MAX];
		size_t dl = dhcp6_server_duid(p, duid);

		b[n++] = 0;
		b[n++] = 2;
		b[n++] = 0;
		b[n++] = (uint8_t)dl;
		memcpy(b + n, duid, dl);
		n += dl;
	}
	memcpy(b + n, (const uint8_t[]){0, 25, 0, 12, 0, 0, 0, 1, [12] = 0, 0, 0, 0}, 16);
	n += 16;
	memcpy(b + n, (const uint8_t[]){0, 6, 0, 2, 0, 23}, 6);
	return n + 6;
}

/* ---- tests -------------------------------------------------------------------------------- */

/*
 * Solicit to ff02::1:2 from the subscriber's link-local address: an Advertise
 * with the session's /56 from the pool, our DUID-LL (the first port's MAC),
 * ppp.ra.dns; then the Request: a Reply, the prefix bound to the client, and
 * counted. A Renew to our link-local address (unicast) is answered too.
 */
static void solicit_request_renew(void **state)
{
	struct ppp_session *p;
	uint8_t m[256], a[PPP_MAX_PKT], pfx[16], plen = 0;
	const uint8_t *o;
	size_t len, l;
	const uint8_t duid[10] = {0, 3, 0, 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

	(void)state;
	p = v6_open(CFG("  ra: {dns: [\"2001:db8::53\"]}\n"));
	assert_int_equal(p->pd.plen, 56);
	assert_true(p->pd.routed);

	send_dhcp(p, m, client_msg(m, 1, p, false));
	len = take_dhcp(p, a);
	assert_int_equal(a[0], 2);
	assert_memory_equal(a + 1, ((const uint8_t[]){0x0a, 0x0b, 0x0c}), 3);
	o = find(a + 4, len - 4, 2, &l);
	assert_int_equal(l, sizeof(duid));
	assert_memory_equal(o, duid, sizeof(duid));
	assert_true(answer_prefix(a, len, pfx, &plen));
	assert_int_equal(plen, 56);
	assert_memory_equal(pfx, PD_PFX, 16);
	assert_memory_equal(pfx, p->pd.a.s6_addr, 16);
	o = find(a + 4, len - 4, 23, &l);
	assert_int_equal(l, 16);
	assert_memory_equal(o, CONFIG_DNS, 16);
	assert_int_equal(p->dhcp6.until_ms, 0);

	send_dhcp(p, m, client_msg(m, 3, p, true));
	len = take_dhcp(p, a);
	assert_int_equal(a[0], 7);
	assert_true(answer_prefix(a, len, pfx, &plen));
	assert_memory_equal(pfx, PD_PFX, 16);
	assert_int_equal(p->dhcp6.until_ms, h_now_ms + 2592000ull * 1000);

	h_now_ms += 1000;
	{
		uint8_t ll[16] = {0xfe, 0x80};

		memcpy(ll + 8, p->our_ifid, 8);
		send_udp(p, PEER_LL, ll, 546, 547, m, client_msg(m, 5, p, true), false, 0);
	}
	len = take_dhcp(p, a);
	assert_int_equal(a[0], 7);
	assert_int_equal(p->dhcp6.until_ms, h_now_ms + 2592000ull * 1000);

	assert_int_equal(E->cp->ppp_c.dhcp6_in, 3);
	assert_int_equal(E->cp->ppp_c.dhcp6_advertise, 1);
	assert_int_equal(E->cp->ppp_c.dhcp6_reply, 2);
	assert_int_equal(E->cp->ppp_c.dhcp6_pd_granted, 2);
	assert_int_equal(E->cp->ppp_c.ip6_drop, 0);
}

/*
 * RADIUS's Delegated-IPv6-Prefix and DNS-Server-IPv6-Address: the prefix
 * DHCPv6 hands out is RADIUS's; its DNS server goes in DHCPv6 and the RA's
 * RDNSS instead of ppp.ra.dns.
 */
static void radius_prefix_and_dns(void **state)
{
	struct ppp_session *p;
	struct auth_attrs *at;
	uint8_t m[256], a[PPP_MAX_PKT], pfx[16], plen = 0;
	const struct h_frame *f;
	const uint8_t *o;
	size_t len, l;

	(void)state;
	p = authenticated(CFG("  ra: {dns: [\"2001:db8::53\"]}\n"));
	at = &p->auth_reply.attrs;
	at->has_delegated_prefix = true;
	memcpy(at->delegated_prefix.s6_addr, RADIUS_PD, 16);
	at->delegated_plen = 60;
	memcpy(at->dns6[0].s6_addr, RADIUS_DNS, 16);
	at->n_dns6 = 1;
	{ /* IPv6CP, keeping the RA this time */
		const struct h_frame *req = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
		uint8_t creq[10] = {1, 10};
		struct h_frame ours = *req;

		memcpy(creq + 2, PEER_IFID, 8);
		h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, ours.data[1], ours.data + 4, ours.len - 4);
		h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, creq, sizeof(creq));
	}
	f = h_take(E, PPP_IPV6, 0);
	assert_non_null(f);
	/* the RA: 40 + 16 + prefix (32) + MTU (8), then the RDNSS with RADIUS's server */
	assert_int_equal(f->len, 40 + 16 + 32 + 8 + 24);
	assert_int_equal(f->data[40 + 16 + 32 + 8], 25);
	assert_memory_equal(f->data + 40 + 16 + 32 + 8 + 8, RADIUS_DNS, 16);
	assert_int_equal(f->data[40 + 5], 0x40); /* O: the DHCPv6 server runs */
	h_clear(E);

	send_dhcp(p, m, client_msg(m, 1, p, false));
	len = take_dhcp(p, a);
	assert_true(answer_prefix(a, len, pfx, &plen));
	assert_int_equal(plen, 60);
	assert_memory_equal(pfx, RADIUS_PD, 16);
	o = find(a + 4, len - 4, 23, &l);
	assert_int_equal(l, 16);
	assert_memory_equal(o, RADIUS_DNS, 16);
}

/*
 * Dropped and counted, nothing sent: a bad UDP checksum, a UDP length that
 * is not the packet's, a malformed message (malformed); to All_DHCP_Servers
 * ff05::1:3 (foreign); an Advertise from the subscriber (unserved); a
 * Request for another server (foreign); no Client Identifier (invalid).
 * Not counted as DHCPv6 but as IPv6 drops: another UDP port, a source that
 * is neither the subscriber's link-local address nor in its prefixes.
 */
static void dropped(void **state)
{
	struct ppp_session *p;
	uint8_t m[256];
	size_t n;
	const struct ppp_counters *c;

	(void)state;
	p = v6_open(CFG(""));
	c = &E->cp->ppp_c;
	n = client_msg(m, 1, p, false);
	send_udp(p, PEER_LL, ALL_SERVERS, 546, 547, m, n, true, 0);
	send_udp(p, PEER_LL, ALL_SERVERS, 546, 547, m, n, false, -1);
	send_dhcp(p, m, n - 3);
	assert_int_equal(c->dhcp6_drop_malformed, 3);
	send_udp(p, PEER_LL, SITE_SERVERS, 546, 547, m, n, false, 0);
	assert_int_equal(c->dhcp6_drop_foreign, 1);
	m[0] = 2;
	send_dhcp(p, m, n);
	assert_int_equal(c->dhcp6_drop_unserved, 1);
	n = client_msg(m, 3, p, true);
	m[4 + 18 + 4 + 9] ^= 0xff; /* the server DUID's last octet: not ours */
	send_dhcp(p, m, n);
	assert_int_equal(c->dhcp6_drop_foreign, 2);
	m[0] = 1; /* a Solicit whose Client Identifier is an unknown option 0x00ff */
	n = client_msg(m, 1, p, false);
	m[5] = 0xff;
	send_dhcp(p, m, n);
	assert_int_equal(c->dhcp6_drop_invalid, 1);
	assert_int_equal(c->dhcp6_in, 7);
	assert_int_equal(c->ip6_drop, 0);

	n = client_msg(m, 1, p, false);
	send_udp(p, PEER_LL, ALL_SERVERS, 546, 53, m, n, false, 0);
	send_udp(p, A6(0xfe, 0x80, [15] = 0x66), ALL_SERVERS, 546, 547, m, n, false, 0);
	send_udp(p, A6(0x20, 0x01, 0x0d, 0xb8, 0x09, [15] = 1), ALL_SERVERS, 546, 547, m, n, false,
		 0);
	send_udp(p, A6(0), ALL_SERVERS, 546, 547, m, n, false, 0);
	assert_int_equal(c->ip6_drop, 4);
	assert_int_equal(c->dhcp6_in, 7);
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(c->dhcp6_advertise + c->dhcp6_reply, 0);
	/* and from the delegated prefix (a router numbering itself from it): served */
	{
		uint8_t src[16];

		memcpy(src, p->pd.a.s6_addr, 16);
		src[15] = 1;
		send_udp(p, src, ALL_SERVERS, 546, 547, m, n, false, 0);
		assert_int_equal(h_count(E, PPP_IPV6, 0), 1);
	}
}

/* ppp.dhcp6 false: no answer, counted; the RA's O flag follows. */
static void switched_off(void **state)
{
	struct ppp_session *p;
	uint8_t m[256];
	const struct h_frame *f;

	(void)state;
	p = authenticated(CFG("  dhcp6: false\n"));
	{
		const struct h_frame *req = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
		uint8_t creq[10] = {1, 10};
		struct h_frame ours = *req;

		memcpy(creq + 2, PEER_IFID, 8);
		h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, ours.data[1], ours.data + 4, ours.len - 4);
		h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, creq, sizeof(creq));
	}
	f = h_take(E, PPP_IPV6, 0);
	assert_non_null(f);
	assert_int_equal(f->data[40 + 5], 0x00);
	send_dhcp(p, m, client_msg(m, 1, p, false));
	assert_int_equal(h_count(E, PPP_IPV6, 0), 0);
	assert_int_equal(E->cp->ppp_c.dhcp6_drop_unserved, 1);
}

/*
 * IPv6CP down and up again: the binding is forgotten with the prefix (another
 * /56 may come now), and a prefix the workers could not route is not offered.
 */
static void link_down_forgets(void **state)
{
	struct ppp_session *p;
	uint8_t m[256], a[PPP_MAX_PKT];
	size_t len;

	(void)state;
	p = v6_open(CFG(""));
	send_dhcp(p, m, client_msg(m, 3, p, true));
	take_dhcp(p, a);
	assert_int_not_equal(p->dhcp6.until_ms, 0);
	h_pkt(p, PPP_IPV6CP, PPP_TERM_REQ, 9, NULL, 0);
	assert_false(p->ipv6_up);
	assert_int_equal(p->dhcp6.until_ms, 0);

	/* up again, but the delegated prefix not in the FIB (say, routed elsewhere) */
	ppp_v6_up(p);
	p->ipv6_up = true;
	p->pd.routed = false;
	h_clear(E);
	send_dhcp(p, m, client_msg(m, 1, p, false));
	len = take_dhcp(p, a);
	assert_int_equal(a[0], 2);
	assert_null(find(a + 4, len - 4, 25, &len)); /* NoAddrsAvail alone */
	assert_int_equal(E->cp->ppp_c.dhcp6_pd_refused, 1);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(solicit_request_renew), T(radius_prefix_and_dns), T(dropped),
		T(switched_off),          T(link_down_forgets),
	};

	return cmocka_run_group_tests_name("dhcp6_ppp", tests, NULL, NULL);
}
