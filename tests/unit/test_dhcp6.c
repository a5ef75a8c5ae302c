/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server's wire format (cp/dhcp6_msg.c) and decisions
 * (cp/dhcp6_server.c), without PPP around them: a real dhcpcd 9.4.1 Solicit
 * parsed and answered octet for octet, every truncation of it, malformed
 * options; Advertise and Reply for Solicit, Rapid Commit, Request, Renew,
 * Rebind, Release and Information-request; who gets the one delegated
 * prefix (the first IA_PD, not a second client or IA until release or
 * expiry), NoAddrsAvail / NoPrefixAvail / NoBinding, and the RFC 8415
 * section 16 checks. Messages are written here by hand, byte by byte, not
 * with the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "cp/dhcp6.h"

/*
 * dhcpcd 9.4.1's Solicit on a TUN link (ia_na 2, ia_pd 1, DNS asked), taken
 * off the TUN device: xid 9b85c7; Client Identifier DUID-LLT (14); IA_NA
 * IAID 2; IA_PD IAID 1; ORO 23 (DNS), 82, 83; Elapsed Time 0; Vendor Class.
 */
static const uint8_t DHCPCD_SOLICIT[] = {
	0x01, 0x9b, 0x85, 0xc7, 0x00, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x03, 0x04, 0x32, 0x95, 0x28,
	0xf5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x19, 0x00, 0x0c, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x06, 0x00, 0x17,
	0x00, 0x52, 0x00, 0x53, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00, 0x3c, 0x00,
	0x00, 0x9f, 0x08, 0x00, 0x36, 'd',  'h',  'c',  'p',  'c',  'd',  '-',  '9',  '.',  '4',
	'.',  '1',  ':',  'L',  'i',  'n',  'u',  'x',  '-',  '6',  '.',  '1',  '8',  '.',  '4',
	'4',  '-',  'f',  'c',  '-',  'v',  '6',  '5',  '7',  ':',  'x',  '8',  '6',  '_',  '6',
	'4',  ':',  'A',  'u',  't',  'h',  'e',  'n',  't',  'i',  'c',  'A',  'M',  'D'};
/* where its options start and end (every other cut falls inside one) */
static const size_t DHCPCD_SOLICIT_CUTS[] = {4, 22, 38, 54, 64, 70, 134};

static const uint8_t SRV_DUID[10] = {0, 3, 0, 1, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
static const uint8_t OTHER_DUID[10] = {0, 3, 0, 1, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x02};
static const uint8_t DUID_A[14] = {0, 1, 0, 1, 0x2c, 0x11, 0x22, 0x33, 0xaa, 0, 0, 0, 0, 1};
static const uint8_t DUID_B[14] = {0, 1, 0, 1, 0x2c, 0x11, 0x22, 0x33, 0xbb, 0, 0, 0, 0, 2};
#define A6(...) ((const uint8_t[16]){__VA_ARGS__})
#define PD_PFX  A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00)             /* /56 */
#define STALE   A6(0x20, 0x01, 0x0d, 0xb8, 0x0e, 0x00, 0x00, 0x00) /* /56 */
#define DNS1    A6(0x20, 0x01, 0x0d, 0xb8, [13] = 0x53)
#define DNS2    A6(0x20, 0x01, 0x0d, 0xb8, [13] = 0x54)
#define PREF    3600u
#define VALID   7200u
#define NOW     1000000ull /* ms */

static struct in6_addr dns[2];

static struct dhcp6_server server(uint8_t plen)
{
	struct dhcp6_server s = {.duid = SRV_DUID,
				 .duid_len = sizeof(SRV_DUID),
				 .plen = plen,
				 .preferred = PREF,
				 .valid = VALID,
				 .dns = dns,
				 .n_dns = 2};

	memcpy(dns[0].s6_addr, DNS1, 16);
	memcpy(dns[1].s6_addr, DNS2, 16);
	memcpy(s.prefix.s6_addr, PD_PFX, 16);
	return s;
}

/* ---- messages, written by hand ----------------------------------------------------------- */

struct msg {
	uint8_t b[1500];
	size_t len;
};

static void m_raw(struct msg *m, const void *v, size_t len)
{
	assert_true(m->len + len <= sizeof(m->b));
	if (len > 0) /* an empty option's value may be NULL */
		memcpy(m->b + m->len, v, len);
	m->len += len;
}

static void m_u16(struct msg *m, uint16_t v)
{
	const uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	m_raw(m, b, 2);
}

static void m_u32(struct msg *m, uint32_t v)
{
	m_u16(m, (uint16_t)(v >> 16));
	m_u16(m, (uint16_t)v);
}

static void m_start(struct msg *m, uint8_t type, uint32_t xid)
{
	m->len = 0;
	m_u32(m, (uint32_t)type << 24 | xid);
}

static void m_opt(struct msg *m, uint16_t code, const void *v, size_t len)
{
	m_u16(m, code);
	m_u16(m, (uint16_t)len);
	m_raw(m, v, len);
}

/* An IA_PD (or IA_NA) with n prefixes (pfx[i], /56, lifetimes l each) inside. */
static void m_ia(struct msg *m, uint16_t code, uint32_t iaid, unsigned n, const uint8_t *const *pfx,
		 uint32_t l)
{
	m_u16(m, code);
	m_u16(m, (uint16_t)(12 + n * 29));
	m_u32(m, iaid);
	m_u32(m, 0);
	m_u32(m, 0);
	for (unsigned i = 0; i < n; i++) {
		m_u16(m, DHCP6_OPT_IAPREFIX);
		m_u16(m, 25);
		m_u32(m, l);
		m_u32(m, l);
		m_raw(m, (const uint8_t[]){56}, 1);
		m_raw(m, pfx[i], 16);
	}
}

static const uint8_t ORO_DNS[2] = {0, 23};

/* A client message: type, client DUID (NULL: none), server DUID (NULL: none). */
static void m_client(struct msg *m, uint8_t type, const uint8_t *cid, const uint8_t *sid)
{
	m_start(m, type, 0x123456);
	if (cid)
		m_opt(m, DHCP6_OPT_CLIENTID, cid, 14);
	if (sid)
		m_opt(m, DHCP6_OPT_SERVERID, sid, 10);
	m_opt(m, DHCP6_OPT_ELAPSED_TIME, (const uint8_t[]){0, 0}, 2);
}

/* ---- replies, read by hand ----------------------------------------------------------------- */

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)g16(p) << 16 | g16(p + 2);
}

/* The nth option of code in b[0..len) (a list of options): its data, its length in *olen. */
static const uint8_t *find(const uint8_t *b, size_t len, uint16_t code, unsigned nth, size_t *olen)
{
	size_t off = 0;

	while (off + 4 <= len) {
		size_t l = g16(b + off + 2);

		assert_true(off + 4 + l <= len);
		if (g16(b + off) == code && nth-- == 0) {
			*olen = l;
			return b + off + 4;
		}
		off += 4 + l;
	}
	assert_int_equal(off, len); /* the options fill it exactly */
	return NULL;
}

/* Top-level option of an answer (after the 4-octet header). */
static const uint8_t *top(const uint8_t *a, size_t len, uint16_t code, size_t *olen)
{
	return find(a + 4, len - 4, code, 0, olen);
}

/* A Status Code inside options b[0..len): its code, or -1 without one. */
static int status_in(const uint8_t *b, size_t len)
{
	size_t l;
	const uint8_t *s = find(b, len, DHCP6_OPT_STATUS_CODE, 0, &l);

	if (s == NULL)
		return -1;
	assert_true(l >= 2);
	return g16(s);
}

/* The nth IA of code in an answer: its IAID checked, its options' span returned. */
static const uint8_t *ia_of(const uint8_t *a, size_t len, uint16_t code, unsigned nth,
			    uint32_t iaid, size_t *olen)
{
	size_t l;
	const uint8_t *ia = find(a + 4, len - 4, code, nth, &l);

	assert_non_null(ia);
	assert_int_equal(g32(ia), iaid);
	*olen = l - 12;
	return ia + 12;
}

struct run {
	enum dhcp6_verdict v;
	uint8_t out[1500];
	size_t len;
	struct dhcp6_tally t;
};

static void serve(const struct dhcp6_server *s, struct dhcp6_binding *b, uint64_t now,
		  const struct msg *m, struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->v = dhcp6_serve(s, b, now, m->b, m->len, r->out, sizeof(r->out), &r->len, &r->t);
}

/* ---- parsing ------------------------------------------------------------------------------ */

static void parse_dhcpcd_solicit(void **state)
{
	struct dhcp6_msg m;

	(void)state;
	assert_int_equal(dhcp6_parse(DHCPCD_SOLICIT, sizeof(DHCPCD_SOLICIT), &m), 0);
	assert_int_equal(m.type, DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0x9b85c7);
	assert_int_equal(m.client_id_len, 14);
	assert_ptr_equal(m.client_id, DHCPCD_SOLICIT + 8);
	assert_null(m.server_id);
	assert_false(m.rapid_commit);
	assert_true(m.oro_dns);
	assert_int_equal(m.n_ia, 2);
	assert_int_equal(m.n_ia_all, 2);
	assert_int_equal(m.ia[0].code, DHCP6_OPT_IA_NA);
	assert_int_equal(m.ia[0].iaid, 2);
	assert_int_equal(m.ia[1].code, DHCP6_OPT_IA_PD);
	assert_int_equal(m.ia[1].iaid, 1);
	assert_int_equal(m.ia[1].n_prefixes, 0);
}

/* Every cut of the real Solicit: whole options parse, a cut inside one is malformed. */
static void parse_every_cut(void **state)
{
	struct dhcp6_msg m;

	(void)state;
	for (size_t len = 0; len < sizeof(DHCPCD_SOLICIT); len++) {
		bool boundary = false;

		for (size_t i = 0; i < sizeof(DHCPCD_SOLICIT_CUTS) / sizeof(size_t); i++)
			boundary |= len == DHCPCD_SOLICIT_CUTS[i];
		assert_int_equal(dhcp6_parse(DHCPCD_SOLICIT, len, &m), boundary ? 0 : -EBADMSG);
	}
}

/* IA_PD hints: five prefixes (the first four kept), lifetimes, lengths; statuses inside. */
static void parse_prefixes(void **state)
{
	const uint8_t *pfx[5] = {PD_PFX, STALE, PD_PFX, STALE, PD_PFX};
	struct msg m;
	struct dhcp6_msg d;

	(void)state;
	m_client(&m, DHCP6_RENEW, DUID_A, SRV_DUID);
	m_ia(&m, DHCP6_OPT_IA_PD, 7, 5, pfx, 300);
	assert_int_equal(dhcp6_parse(m.b, m.len, &d), 0);
	assert_int_equal(d.n_ia, 1);
	assert_int_equal(d.ia[0].iaid, 7);
	assert_int_equal(d.ia[0].n_prefixes, 5);
	assert_int_equal(d.ia[0].prefixes[1].plen, 56);
	assert_int_equal(d.ia[0].prefixes[1].valid, 300);
	assert_memory_equal(d.ia[0].prefixes[3].prefix, STALE, 16);
	assert_int_equal(d.server_id_len, 10);
	assert_false(d.oro_dns);
}

/* More IAs than kept: the first DHCP6_MAX_IA, all of them counted. */
static void parse_many_ias(void **state)
{
	struct msg m;
	struct dhcp6_msg d;

	(void)state;
	m_client(&m, DHCP6_SOLICIT, DUID_A, NULL);
	for (uint32_t i = 0; i < 6; i++)
		m_ia(&m, i % 2 ? DHCP6_OPT_IA_PD : DHCP6_OPT_IA_NA, 100 + i, 0, NULL, 0);
	assert_int_equal(dhcp6_parse(m.b, m.len, &d), 0);
	assert_int_equal(d.n_ia, DHCP6_MAX_IA);
	assert_int_equal(d.n_ia_all, 6);
	assert_int_equal(d.ia[3].iaid, 103);
	assert_int_equal(d.ia[3].code, DHCP6_OPT_IA_PD);
}

/* Malformed messages, each one fault in an otherwise good Solicit: -EBADMSG. */
static void parse_malformed(void **state)
{
	static const struct {
		const char *what;
		uint8_t b[40];
		size_t len;
	} bad[] = {
		{"three octets", {1, 0, 0}, 3},
		{"option header cut", {1, 0, 0, 1, 0, 1, 0}, 7},
		{"option longer than the message", {1, 0, 0, 1, 0, 8, 0, 4, 0, 0, 0}, 11},
		{"DUID of two octets", {1, 0, 0, 1, 0, 1, 0, 2, 0, 1}, 10},
		{"Client Identifier twice",
		 {1, 0, 0, 1, 0, 1, 0, 3, 0, 1, 9, 0, 1, 0, 3, 0, 1, 9},
		 18},
		{"Server Identifier twice",
		 {1, 0, 0, 1, 0, 2, 0, 3, 0, 1, 9, 0, 2, 0, 3, 0, 1, 9},
		 18},
		{"odd Option Request", {1, 0, 0, 1, 0, 6, 0, 3, 0, 23, 0}, 11},
		{"Option Request twice", {1, 0, 0, 1, 0, 6, 0, 0, 0, 6, 0, 0}, 12},
		{"Rapid Commit with data", {1, 0, 0, 1, 0, 14, 0, 1, 0}, 9},
		{"Rapid Commit twice", {1, 0, 0, 1, 0, 14, 0, 0, 0, 14, 0, 0}, 12},
		{"Elapsed Time of one octet", {1, 0, 0, 1, 0, 8, 0, 1, 0}, 9},
		{"Elapsed Time twice", {1, 0, 0, 1, 0, 8, 0, 2, 0, 0, 0, 8, 0, 2, 0, 0}, 16},
		{"IA_NA of 11 octets", {1, 0, 0, 1, 0, 3, 0, 11, [19] = 0}, 19},
		{"IA_TA of 3 octets", {1, 0, 0, 1, 0, 4, 0, 3, 0, 0, 0}, 11},
		{"IA_PD of 11 octets", {1, 0, 0, 1, 0, 25, 0, 11, [19] = 0}, 19},
		{"IA_PD's option past the IA", {1, 0, 0, 1, 0, 25, 0, 16, [20] = 0, 26, 0, 25}, 24},
		{"IA Prefix of 24 octets",
		 {1, 0, 0, 1, 0, 25, 0, 40, [20] = 0, 26, 0, 24, [39] = 0},
		 40},
		{"IA Address of 23 octets",
		 {1, 0, 0, 1, 0, 3, 0, 39, [20] = 0, 5, 0, 23, [38] = 0},
		 39},
		{"Status Code of one octet in an IA",
		 {1, 0, 0, 1, 0, 25, 0, 17, [20] = 0, 13, 0, 1, 0},
		 25},
	};
	struct dhcp6_msg d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dhcp6_parse(bad[i].b, bad[i].len, &d) != -EBADMSG)
			fail_msg("accepted: %s", bad[i].what);
	}
	{ /* prefix length 129 */
		struct msg m;
		const uint8_t *pfx[1] = {PD_PFX};

		m_client(&m, DHCP6_REQUEST, DUID_A, SRV_DUID);
		m_ia(&m, DHCP6_OPT_IA_PD, 1, 1, pfx, 0);
		assert_int_equal(dhcp6_parse(m.b, m.len, &d), 0);
		m.b[m.len - 17] = 129;
		assert_int_equal(dhcp6_parse(m.b, m.len, &d), -EBADMSG);
		m.b[m.len - 17] = 128;
		assert_int_equal(dhcp6_parse(m.b, m.len, &d), 0);
	}
}

/* The builder never writes past its buffer: full, and the message is dropped. */
static void build_full(void **state)
{
	uint8_t b[24];
	struct dhcp6_buf o;

	(void)state;
	memset(b, 0xee, sizeof(b));
	dhcp6_buf_init(&o, b, 16, DHCP6_REPLY, 0xabcdef);
	dhcp6_put(&o, DHCP6_OPT_SERVERID, SRV_DUID, 8); /* 4 + 12 = 16: fits exactly */
	assert_false(o.full);
	assert_int_equal(o.len, 16);
	dhcp6_put_status(&o, DHCP6_SUCCESS, "x");
	assert_true(o.full);
	assert_int_equal(o.len, 16);
	for (size_t i = 16; i < sizeof(b); i++)
		assert_int_equal(b[i], 0xee);
	assert_int_equal(b[0], DHCP6_REPLY);
	assert_int_equal(g16(b + 6), 8);
}

/* ---- answers ------------------------------------------------------------------------------ */

#define NO_ADDRS "no addresses: SLAAC on the link, prefix delegation only"

/*
 * dhcpcd's Solicit answered octet for octet: Advertise, its Client Identifier,
 * ours, IA_NA 2 with NoAddrsAvail, IA_PD 1 with the /56 (T1 0.5 and T2 0.8 of
 * the preferred lifetime), Preference 255, the DNS servers it asked for.
 * Nothing bound: an Advertise commits nothing.
 */
static void advertise_exact(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	struct msg in, want;
	struct run r;

	(void)state;
	in.len = sizeof(DHCPCD_SOLICIT);
	memcpy(in.b, DHCPCD_SOLICIT, in.len);
	m_start(&want, DHCP6_ADVERTISE, 0x9b85c7);
	m_opt(&want, DHCP6_OPT_CLIENTID, DHCPCD_SOLICIT + 8, 14);
	m_opt(&want, DHCP6_OPT_SERVERID, SRV_DUID, 10);
	m_u16(&want, DHCP6_OPT_IA_NA);
	m_u16(&want, 12 + 4 + 2 + sizeof(NO_ADDRS) - 1);
	m_u32(&want, 2);
	m_u32(&want, 0);
	m_u32(&want, 0);
	m_u16(&want, DHCP6_OPT_STATUS_CODE);
	m_u16(&want, 2 + sizeof(NO_ADDRS) - 1);
	m_u16(&want, DHCP6_NO_ADDRS_AVAIL);
	m_raw(&want, NO_ADDRS, sizeof(NO_ADDRS) - 1);
	m_u16(&want, DHCP6_OPT_IA_PD);
	m_u16(&want, 12 + 29);
	m_u32(&want, 1);
	m_u32(&want, 1800);
	m_u32(&want, 2880);
	m_u16(&want, DHCP6_OPT_IAPREFIX);
	m_u16(&want, 25);
	m_u32(&want, PREF);
	m_u32(&want, VALID);
	m_raw(&want, (const uint8_t[]){56}, 1);
	m_raw(&want, PD_PFX, 16);
	m_opt(&want, DHCP6_OPT_PREFERENCE, (const uint8_t[]){255}, 1);
	m_u16(&want, DHCP6_OPT_DNS_SERVERS);
	m_u16(&want, 32);
	m_raw(&want, DNS1, 16);
	m_raw(&want, DNS2, 16);

	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.len, want.len);
	assert_memory_equal(r.out, want.b, want.len);
	assert_int_equal(b.until_ms, 0);
	assert_int_equal(r.t.granted, 0);
	assert_int_equal(r.t.refused, 0);
}

/* A Request binds the prefix to its client and IA for the valid lifetime; a Reply,
 * no Preference, no DNS unless asked. */
static void request_binds(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	const uint8_t *pfx[1] = {PD_PFX};
	const uint8_t *ia, *x;
	struct msg in;
	struct run r;
	size_t l, xl;

	(void)state;
	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 9, 1, pfx, 0);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.out[0], DHCP6_REPLY);
	assert_int_equal(g32(r.out) & 0xffffff, 0x123456);
	assert_memory_equal(top(r.out, r.len, DHCP6_OPT_CLIENTID, &l), DUID_A, 14);
	assert_memory_equal(top(r.out, r.len, DHCP6_OPT_SERVERID, &l), SRV_DUID, 10);
	assert_null(top(r.out, r.len, DHCP6_OPT_PREFERENCE, &l));
	assert_null(top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l));
	assert_null(top(r.out, r.len, DHCP6_OPT_RAPID_COMMIT, &l));
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 9, &l);
	assert_int_equal(g32(ia - 8), 1800);
	assert_int_equal(g32(ia - 4), 2880);
	assert_int_equal(status_in(ia, l), -1);
	x = find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl);
	assert_int_equal(xl, 25);
	assert_int_equal(g32(x), PREF);
	assert_int_equal(g32(x + 4), VALID);
	assert_int_equal(x[8], 56);
	assert_memory_equal(x + 9, PD_PFX, 16);
	assert_null(find(ia, l, DHCP6_OPT_IAPREFIX, 1, &xl));
	assert_int_equal(b.until_ms, NOW + VALID * 1000ull);
	assert_int_equal(b.iaid, 9);
	assert_int_equal(r.t.granted, 1);

	/* the same Request again (its Reply lost): the same answer, renewed */
	serve(&s, &b, NOW + 5000, &in, &r);
	assert_int_equal(r.t.granted, 1);
	assert_int_equal(b.until_ms, NOW + 5000 + VALID * 1000ull);
}

/* Solicit with Rapid Commit (section 18.3.1): a Reply carrying Rapid Commit, bound. */
static void rapid_commit(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	struct msg in;
	struct run r;
	size_t l;

	(void)state;
	m_client(&in, DHCP6_SOLICIT, DUID_A, NULL);
	m_opt(&in, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	m_opt(&in, DHCP6_OPT_ORO, ORO_DNS, 2);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.out[0], DHCP6_REPLY);
	assert_non_null(top(r.out, r.len, DHCP6_OPT_RAPID_COMMIT, &l));
	assert_int_equal(l, 0);
	assert_null(top(r.out, r.len, DHCP6_OPT_PREFERENCE, &l));
	assert_non_null(top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l));
	assert_int_equal(l, 32);
	ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(b.until_ms, NOW + VALID * 1000ull);
	assert_int_equal(r.t.granted, 1);
}

/* Renew and Rebind by the holder extend the binding; a prefix it holds that is not the
 * session's comes back with lifetimes 0 (sections 18.3.4, 18.3.5). */
static void renew_rebind(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	const uint8_t *both[2] = {STALE, PD_PFX};
	const uint8_t *ia, *x;
	struct msg in;
	struct run r;
	size_t l, xl;

	(void)state;
	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.t.granted, 1);

	m_client(&in, DHCP6_RENEW, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 2, both, 100);
	serve(&s, &b, NOW + 1800000, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.out[0], DHCP6_REPLY);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), -1);
	x = find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl);
	assert_memory_equal(x + 9, PD_PFX, 16);
	assert_int_equal(g32(x + 4), VALID);
	x = find(ia, l, DHCP6_OPT_IAPREFIX, 1, &xl);
	assert_non_null(x);
	assert_memory_equal(x + 9, STALE, 16);
	assert_int_equal(g32(x), 0);
	assert_int_equal(g32(x + 4), 0);
	assert_null(find(ia, l, DHCP6_OPT_IAPREFIX, 2, &xl));
	assert_int_equal(b.until_ms, NOW + 1800000 + VALID * 1000ull);

	m_client(&in, DHCP6_REBIND, DUID_A, NULL);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 1, both + 1, 100);
	serve(&s, &b, NOW + 3600000, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	x = find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl);
	assert_int_equal(g32(x + 4), VALID);
	assert_null(find(ia, l, DHCP6_OPT_IAPREFIX, 1, &xl));
	assert_int_equal(b.until_ms, NOW + 3600000 + VALID * 1000ull);
	assert_int_equal(r.t.granted, 1);
}

/*
 * Bound to client A's IA 1: client B, and A's second IA_PD, get nothing: an
 * Advertise with NoAddrsAvail alone (section 18.3.9), NoPrefixAvail in a
 * Reply to a Request, NoBinding (B's stale prefix at lifetime 0) in a Renew.
 * Once A's binding has expired unrenewed, B gets the prefix.
 */
static void one_holder(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0}, kept;
	const uint8_t *stale[1] = {STALE};
	const uint8_t *ia, *x;
	struct msg in;
	struct run r;
	size_t l, xl;

	(void)state;
	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	m_ia(&in, DHCP6_OPT_IA_PD, 2, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.t.granted, 1);
	assert_int_equal(r.t.refused, 1);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_non_null(find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl));
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 1, 2, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_PREFIX_AVAIL);
	assert_null(find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl));
	kept = b;

	m_client(&in, DHCP6_SOLICIT, DUID_B, NULL);
	m_opt(&in, DHCP6_OPT_ORO, ORO_DNS, 2);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW + 1000, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.out[0], DHCP6_ADVERTISE);
	assert_int_equal(status_in(r.out + 4, r.len - 4), DHCP6_NO_ADDRS_AVAIL);
	assert_null(top(r.out, r.len, DHCP6_OPT_IA_PD, &l));
	assert_null(top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l));
	assert_null(top(r.out, r.len, DHCP6_OPT_PREFERENCE, &l));
	assert_memory_equal(top(r.out, r.len, DHCP6_OPT_CLIENTID, &l), DUID_B, 14);

	m_client(&in, DHCP6_REQUEST, DUID_B, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW + 2000, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_PREFIX_AVAIL);
	assert_int_equal(r.t.granted, 0);
	assert_int_equal(r.t.refused, 1);

	m_client(&in, DHCP6_RENEW, DUID_B, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 1, stale, 500);
	serve(&s, &b, NOW + 3000, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_BINDING);
	x = find(ia, l, DHCP6_OPT_IAPREFIX, 0, &xl);
	assert_non_null(x);
	assert_memory_equal(x + 9, STALE, 16);
	assert_int_equal(g32(x + 4), 0);
	assert_memory_equal(&b, &kept, sizeof(b));

	/* A's lease runs out unrenewed: B's Request gets it */
	m_client(&in, DHCP6_REQUEST, DUID_B, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, kept.until_ms, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), -1);
	assert_int_equal(r.t.granted, 1);
	assert_int_not_equal(b.duid_hash, kept.duid_hash);
}

/* Release (18.3.7): the holder's IA frees the prefix; anyone else's is NoBinding;
 * Success either way. */
static void release(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0}, kept;
	const uint8_t *ia;
	struct msg in;
	struct run r;
	size_t l;

	(void)state;
	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	kept = b;

	m_client(&in, DHCP6_RELEASE, DUID_B, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW + 1, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(status_in(r.out + 4, r.len - 4), DHCP6_SUCCESS);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_BINDING);
	assert_int_equal(r.t.released, 0);
	assert_memory_equal(&b, &kept, sizeof(b));

	m_client(&in, DHCP6_RELEASE, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	m_ia(&in, DHCP6_OPT_IA_NA, 5, 0, NULL, 0);
	serve(&s, &b, NOW + 2, &in, &r);
	assert_int_equal(r.out[0], DHCP6_REPLY);
	assert_int_equal(status_in(r.out + 4, r.len - 4), DHCP6_SUCCESS);
	assert_null(top(r.out, r.len, DHCP6_OPT_IA_PD, &l));
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_NA, 0, 5, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_BINDING);
	assert_int_equal(r.t.released, 1);
	assert_int_equal(b.until_ms, 0);

	/* free again: B's Request gets it */
	m_client(&in, DHCP6_REQUEST, DUID_B, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 3, 0, NULL, 0);
	serve(&s, &b, NOW + 3, &in, &r);
	assert_int_equal(r.t.granted, 1);
	assert_int_equal(b.iaid, 3);
}

/* IA_NA only: nothing to assign (an Advertise with NoAddrsAvail only); in a Request
 * beside an IA_PD: NoAddrsAvail in the IA_NA, the prefix in the IA_PD. */
static void addresses_refused(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	const uint8_t *ia;
	struct msg in;
	struct run r;
	size_t l;

	(void)state;
	m_client(&in, DHCP6_SOLICIT, DUID_A, NULL);
	m_ia(&in, DHCP6_OPT_IA_NA, 4, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.out[0], DHCP6_ADVERTISE);
	assert_int_equal(status_in(r.out + 4, r.len - 4), DHCP6_NO_ADDRS_AVAIL);
	assert_null(top(r.out, r.len, DHCP6_OPT_IA_NA, &l));

	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_NA, 4, 0, NULL, 0);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_NA, 0, 4, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_ADDRS_AVAIL);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), -1);
	assert_int_equal(status_in(r.out + 4, r.len - 4), -1);
	/* and a Renew of an IA_NA: NoBinding */
	m_client(&in, DHCP6_RENEW, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_NA, 4, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_NA, 0, 4, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_BINDING);
}

/* A session without a delegated prefix: NoAddrsAvail alone to a Solicit, NoPrefixAvail
 * to a Request, nothing bound. */
static void no_prefix(void **state)
{
	struct dhcp6_server s = server(0);
	struct dhcp6_binding b = {0};
	const uint8_t *ia;
	struct msg in;
	struct run r;
	size_t l;

	(void)state;
	in.len = sizeof(DHCPCD_SOLICIT);
	memcpy(in.b, DHCPCD_SOLICIT, in.len);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.out[0], DHCP6_ADVERTISE);
	assert_int_equal(status_in(r.out + 4, r.len - 4), DHCP6_NO_ADDRS_AVAIL);
	assert_null(top(r.out, r.len, DHCP6_OPT_IA_PD, &l));

	m_client(&in, DHCP6_REQUEST, DUID_A, SRV_DUID);
	m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
	serve(&s, &b, NOW, &in, &r);
	ia = ia_of(r.out, r.len, DHCP6_OPT_IA_PD, 0, 1, &l);
	assert_int_equal(status_in(ia, l), DHCP6_NO_PREFIX_AVAIL);
	assert_int_equal(b.until_ms, 0);
	assert_int_equal(r.t.refused, 1);
}

/* Information-request (18.3.6): the DNS servers when asked for, identifiers echoed. */
static void information_request(void **state)
{
	struct dhcp6_server s = server(56);
	struct dhcp6_binding b = {0};
	const uint8_t *d;
	struct msg in;
	struct run r;
	size_t l;

	(void)state;
	m_client(&in, DHCP6_INFORMATION_REQUEST, DUID_A, NULL);
	m_opt(&in, DHCP6_OPT_ORO, ORO_DNS, 2);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_int_equal(r.out[0], DHCP6_REPLY);
	d = top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l);
	assert_int_equal(l, 32);
	assert_memory_equal(d, DNS1, 16);
	assert_memory_equal(d + 16, DNS2, 16);
	assert_non_null(top(r.out, r.len, DHCP6_OPT_CLIENTID, &l));
	assert_int_equal(b.until_ms, 0);

	/* anonymous, to us by name, nothing asked: the identifiers only */
	m_client(&in, DHCP6_INFORMATION_REQUEST, NULL, SRV_DUID);
	serve(&s, &b, NOW, &in, &r);
	assert_int_equal(r.v, DHCP6_ANSWER);
	assert_null(top(r.out, r.len, DHCP6_OPT_CLIENTID, &l));
	assert_null(top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l));
	assert_int_equal(r.len, 4 + 4 + 10);

	/* no DNS servers configured: none sent */
	s.n_dns = 0;
	m_client(&in, DHCP6_INFORMATION_REQUEST, DUID_A, NULL);
	m_opt(&in, DHCP6_OPT_ORO, ORO_DNS, 2);
	serve(&s, &b, NOW, &in, &r);
	assert_null(top(r.out, r.len, DHCP6_OPT_DNS_SERVERS, &l));
}

/* Section 16 and the types not served: a verdict, nothing written, nothing bound. */
static void refused_messages(void **state)
{
	static const struct {
		uint8_t type;
		bool cid, sid, other_sid, ia;
		enum dhcp6_verdict v;
	} cases[] = {
		{DHCP6_SOLICIT, false, false, false, true, DHCP6_INVALID},
		{DHCP6_SOLICIT, true, true, false, true, DHCP6_INVALID},
		{DHCP6_REQUEST, true, false, false, true, DHCP6_INVALID},
		{DHCP6_REQUEST, false, true, false, true, DHCP6_INVALID},
		{DHCP6_REQUEST, true, true, true, true, DHCP6_FOREIGN},
		{DHCP6_RENEW, true, false, false, true, DHCP6_INVALID},
		{DHCP6_RENEW, true, true, true, true, DHCP6_FOREIGN},
		{DHCP6_REBIND, true, true, false, true, DHCP6_INVALID},
		{DHCP6_REBIND, false, false, false, true, DHCP6_INVALID},
		{DHCP6_RELEASE, false, true, false, true, DHCP6_INVALID},
		{DHCP6_RELEASE, true, true, true, true, DHCP6_FOREIGN},
		{DHCP6_INFORMATION_REQUEST, true, false, false, true, DHCP6_INVALID},
		{DHCP6_INFORMATION_REQUEST, true, true, true, false, DHCP6_FOREIGN},
		{DHCP6_CONFIRM, true, false, false, true, DHCP6_UNSERVED},
		{DHCP6_DECLINE, true, true, false, true, DHCP6_UNSERVED},
		{DHCP6_ADVERTISE, true, true, false, true, DHCP6_UNSERVED},
		{DHCP6_REPLY, true, true, false, true, DHCP6_UNSERVED},
		{DHCP6_RECONFIGURE, true, true, false, false, DHCP6_UNSERVED},
		{DHCP6_RELAY_FORW, true, false, false, true, DHCP6_UNSERVED},
		{DHCP6_RELAY_REPL, true, false, false, true, DHCP6_UNSERVED},
		{0, true, false, false, true, DHCP6_UNSERVED},
		{14, true, false, false, true, DHCP6_UNSERVED},
		{255, true, false, false, true, DHCP6_UNSERVED},
	};
	struct dhcp6_server s = server(56);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dhcp6_binding b = {0};
		struct dhcp6_tally t = {0};
		uint8_t out[64];
		size_t len = 77;
		struct msg in;
		enum dhcp6_verdict v;

		m_client(&in, cases[i].type, cases[i].cid ? DUID_A : NULL,
			 cases[i].sid ? (cases[i].other_sid ? OTHER_DUID : SRV_DUID) : NULL);
		if (cases[i].ia)
			m_ia(&in, DHCP6_OPT_IA_PD, 1, 0, NULL, 0);
		memset(out, 0xee, sizeof(out));
		v = dhcp6_serve(&s, &b, NOW, in.b, in.len, out, sizeof(out), &len, &t);
		if (v != cases[i].v)
			fail_msg("case %zu (type %u): verdict %d, expected %d", i, cases[i].type, v,
				 cases[i].v);
		assert_int_equal(len, 77);
		assert_int_equal(out[0], 0xee);
		assert_int_equal(b.until_ms, 0);
		assert_int_equal(t.granted + t.refused + t.released, 0);
	}
	{ /* and malformed: an empty message, a cut option */
		struct dhcp6_binding b = {0};
		struct dhcp6_tally t = {0};
		uint8_t out[64];
		size_t len;

		assert_int_equal(
			dhcp6_serve(&s, &b, NOW, DHCPCD_SOLICIT, 0, out, sizeof(out), &len, &t),
			DHCP6_MALFORMED);
		assert_int_equal(
			dhcp6_serve(&s, &b, NOW, DHCPCD_SOLICIT, 30, out, sizeof(out), &len, &t),
			DHCP6_MALFORMED);
	}
}

/* T1 and T2: half and four fifths of the preferred lifetime, no overflow at the top. */
static void timers(void **state)
{
	(void)state;
	assert_int_equal(dhcp6_t1(3600), 1800);
	assert_int_equal(dhcp6_t2(3600), 2880);
	assert_int_equal(dhcp6_t1(0), 0);
	assert_int_equal(dhcp6_t2(0), 0);
	assert_int_equal(dhcp6_t2(0xfffffffe), 3435973835u);
	assert_int_equal(dhcp6_t1(604800), 302400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_dhcpcd_solicit),
		cmocka_unit_test(parse_every_cut),
		cmocka_unit_test(parse_prefixes),
		cmocka_unit_test(parse_many_ias),
		cmocka_unit_test(parse_malformed),
		cmocka_unit_test(build_full),
		cmocka_unit_test(advertise_exact),
		cmocka_unit_test(request_binds),
		cmocka_unit_test(rapid_commit),
		cmocka_unit_test(renew_rebind),
		cmocka_unit_test(one_holder),
		cmocka_unit_test(release),
		cmocka_unit_test(addresses_refused),
		cmocka_unit_test(no_prefix),
		cmocka_unit_test(information_request),
		cmocka_unit_test(refused_messages),
		cmocka_unit_test(timers),
	};

	return cmocka_run_group_tests_name("dhcp6", tests, NULL, NULL);
}
