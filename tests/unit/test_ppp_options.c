/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP option negotiation and authentication through the real code: LCP
 * (cp/ppp_lcp.c), PAP/CHAP-MD5/MS-CHAPv2 and proxy authentication
 * (cp/ppp_auth.c, cp/auth.c, cp/chap.c), IPCP and IPv6CP (cp/ppp_ncp.c,
 * cp/pool.c), on the automaton of cp/ppp_fsm.c, with a configuration parsed
 * from YAML. What lnsd around it would do is stood in for by ppp_harness.c:
 * the test plays the peer with real packets and checks the frames PPP sends.
 *
 * LNS_TEST_FILTER=pattern in the environment runs only the matching tests.
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

#include "cp/chap.h"
#include "tests/unit/ppp_harness.h"

/* ---- configurations ----------------------------------------------------------------------- */

#define PORTS(mtu)                                                                                 \
	"ports:\n"                                                                                 \
	"  - name: access0\n"                                                                      \
	"    device: net_null0\n"                                                                  \
	"    role: access\n"                                                                       \
	"    mtu: " #mtu "\n"                                                                      \
	"    addresses: [\"192.0.2.1/24\"]\n"                                                      \
	"  - name: core0\n"                                                                        \
	"    device: net_null1\n"                                                                  \
	"    role: core\n"                                                                         \
	"    addresses: [\"198.51.100.1/24\"]\n"

#define POOLS                                                                                      \
	"pools:\n"                                                                                 \
	"  - name: default\n"                                                                      \
	"    ranges: [\"100.64.0.10-100.64.0.20\"]\n"

#define USERS                                                                                      \
	"users:\n"                                                                                 \
	"  - name: alice\n"                                                                        \
	"    password: alice-pw\n"                                                                 \
	"  - name: bob\n"                                                                          \
	"    password: bob-pw\n"                                                                   \
	"    address: 100.64.9.9\n"

#define CFG(mtu, ppp) PORTS(mtu) POOLS USERS "ppp:\n" ppp

/* Every configuration names ppp.auth and ppp.dns so the defaults do not matter. */
#define Y_ALL  "  auth: [mschapv2, chap-md5, pap]\n"
#define Y_PAP  "  auth: [pap]\n"
#define Y_MD5  "  auth: [chap-md5]\n"
#define Y_MSV2 "  auth: [mschapv2]\n"
#define DNS    "  dns: [\"192.0.2.53\", \"198.51.100.53\"]\n"
#define ECHO   "  lcp-echo-interval: 10\n  lcp-echo-failures: 3\n"

static const uint8_t POOL_FIRST[4] = {100, 64, 0, 10};
#define PEER_MAGIC 0x5eed1234u

static struct h_env *E;

static int teardown(void **state)
{
	(void)state;
	h_env_free(E);
	E = NULL;
	return 0;
}

static struct h_env *env(const char *yaml)
{
	E = h_env_new(yaml);
	assert_non_null(E);
	return E;
}

/* A session started on E, LCP Configure-Request sent. */
static struct ppp_session *start(void)
{
	struct ppp_session *p = h_ppp_start(E, h_l2tp_session_new(E));

	assert_non_null(p);
	return p;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* f is code/id with exactly these options. */
static void assert_pkt(const struct h_frame *f, uint8_t code, int id, const void *opts, size_t len)
{
	assert_non_null(f);
	assert_int_equal(f->len, 4 + len);
	assert_int_equal(f->data[0], code);
	if (id >= 0)
		assert_int_equal(f->data[1], id);
	assert_int_equal((f->data[2] << 8 | f->data[3]), 4 + len);
	if (len)
		assert_memory_equal(f->data + 4, opts, len);
}

static void assert_killed(const struct ppp_session *p, uint16_t result, uint16_t code)
{
	assert_true(p->dying);
	assert_int_equal(p->cdn_result, result);
	assert_int_equal(p->disc_code, code);
}

/* The session LCP-opened and authenticated with PAP (auth: [pap]) as alice; IPCP started. */
static struct ppp_session *network(void)
{
	struct ppp_session *p = start();

	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	assert_int_equal(p->phase, PPP_PHASE_NETWORK);
	return p;
}

/* ---- LCP: our request --------------------------------------------------------------------- */

static void lcp_request_lists_mru_auth_magic(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t want[] = {1, 4, 0x05, 0xac, 3, 5, 0xc2, 0x23, 0x81, 5, 6, 0, 0, 0, 0};

	(void)state;
	env(CFG(1500, Y_ALL DNS));
	p = start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	/* MRU 1452: the 1500 MTU less IPv4, UDP, L2TP with length and sequence, PPP */
	want[11] = (uint8_t)(p->our_magic >> 24);
	want[12] = (uint8_t)(p->our_magic >> 16);
	want[13] = (uint8_t)(p->our_magic >> 8);
	want[14] = (uint8_t)p->our_magic;
	assert_pkt(f, PPP_CONF_REQ, -1, want, sizeof(want));
	assert_int_not_equal(p->our_magic, 0);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
	assert_int_equal(h_count(E, 0xc021, 0), 0); /* nothing else */
}

static void lcp_request_auth_in_configured_order(void **state)
{
	static const struct {
		const char *yaml;
		uint8_t opt[5];
		size_t len;
	} cases[] = {
		{CFG(1500, "  auth: [mschapv2, pap]\n"), {3, 5, 0xc2, 0x23, 0x81}, 5},
		{CFG(1500, "  auth: [chap-md5, pap]\n"), {3, 5, 0xc2, 0x23, 0x05}, 5},
		{CFG(1500, "  auth: [pap, chap-md5]\n"), {3, 4, 0xc0, 0x23}, 4},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct h_frame *f;
		const uint8_t *o;

		env(cases[i].yaml);
		start();
		f = h_take(E, PPP_LCP, PPP_CONF_REQ);
		o = h_opt(f, 3);
		assert_non_null(o);
		assert_memory_equal(o, cases[i].opt, cases[i].len);
		h_env_free(E);
		E = NULL;
	}
}

static void lcp_request_mru_only_when_not_1500(void **state)
{
	const struct h_frame *f;

	(void)state;
	/* 1548 leaves exactly 1500 for PPP: no MRU option */
	env(CFG(1548, Y_PAP));
	start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_null(h_opt(f, 1));
	assert_non_null(h_opt(f, 5));
	h_env_free(E);

	/* configured: wins over the derived one */
	env(CFG(1500, Y_PAP "  mru: 1400\n"));
	start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_non_null(h_opt(f, 1));
	assert_memory_equal(h_opt(f, 1), ((uint8_t[]){1, 4, 0x05, 0x78}), 4);
	h_env_free(E);

	env(CFG(9000, Y_PAP "  mru: 1500\n"));
	start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_null(h_opt(f, 1));
}

/* ---- LCP: the peer's request -------------------------------------------------------------- */

static void lcp_peer_options_acked(void **state)
{
	/* clang-format off */
	static const uint8_t req[] = {
		1, 4, 0x05, 0x78,               /* MRU 1400 */
		2, 6, 0, 0, 0, 0,               /* ACCM */
		5, 6, 0x12, 0x34, 0x56, 0x78,   /* Magic-Number */
		7, 2,                           /* PFC */
		8, 2,                           /* ACFC */
	};
	/* clang-format on */
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 0x33, req, sizeof(req));
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_CONF_ACK, 0x33, req, sizeof(req));
	assert_int_equal(p->lcp.state, PPP_ACK_SENT);
	assert_int_equal(p->peer_mru, 1400);
	assert_int_equal(p->peer_magic, 0x12345678);
	assert_true(p->peer_pfc);
	assert_true(p->peer_acfc);
	assert_false(p->dying);
}

static void lcp_small_mru_naked_with_128(void **state)
{
	static const uint8_t req[] = {1, 4, 0, 100, 5, 6, 1, 2, 3, 4};
	static const uint8_t nak[] = {1, 4, 0, 128};
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_CONF_NAK, 1, nak, sizeof(nak));
	assert_int_equal(p->peer_mru, 1500);
	/* 128 itself is fine */
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 2, (uint8_t[]){1, 4, 0, 128}, 4);
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_CONF_ACK, 2, nak, sizeof(nak));
	assert_int_equal(p->peer_mru, 128);
}

static void lcp_unwanted_options_rejected_exactly(void **state)
{
	/* clang-format off */
	static const uint8_t req[] = {
		1, 4, 0x05, 0xdc,               /* MRU: fine */
		3, 4, 0xc0, 0x23,               /* Auth-Protocol: we are not the authenticated */
		4, 8, 0xc0, 0x25, 0, 0, 0, 10,  /* Quality-Protocol LQR */
		5, 6, 0xaa, 0xbb, 0xcc, 0xdd,   /* Magic-Number: fine */
		17, 4, 0x05, 0xdc,              /* MRRU */
		13, 3, 6,                       /* Callback, CBCP */
		0xfe, 3, 0x99,                  /* unknown */
		7, 2,                           /* PFC: fine */
	};
	static const uint8_t rej[] = {
		3, 4, 0xc0, 0x23, 4, 8, 0xc0, 0x25, 0, 0, 0, 10, 17, 4, 0x05, 0xdc,
		13, 3, 6, 0xfe, 3, 0x99,
	};
	/* clang-format on */
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 9, req, sizeof(req));
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_CONF_REJ, 9, rej, sizeof(rej));
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
	assert_false(p->dying);
	/* the same without them is acknowledged */
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 10,
	      (uint8_t[]){1, 4, 5, 0xdc, 5, 6, 0xaa, 0xbb, 0xcc, 0xdd}, 10);
	assert_int_equal(h_take(E, PPP_LCP, 0)->data[0], PPP_CONF_ACK);
}

static void lcp_our_magic_echoed_is_naked_then_loop(void **state)
{
	struct ppp_session *p;
	uint8_t req[6] = {5, 6};

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	h_clear(E);
	req[2] = (uint8_t)(p->our_magic >> 24);
	req[3] = (uint8_t)(p->our_magic >> 16);
	req[4] = (uint8_t)(p->our_magic >> 8);
	req[5] = (uint8_t)p->our_magic;
	for (int i = 1; i <= 5; i++) {
		const struct h_frame *f;
		const uint8_t *o;

		h_pkt(p, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, req, sizeof(req));
		f = h_take(E, PPP_LCP, 0);
		assert_non_null(f);
		assert_int_equal(f->data[0], PPP_CONF_NAK);
		o = h_opt(f, 5);
		assert_non_null(o);
		assert_int_equal(o[1], 6);
		assert_int_not_equal(get32(o + 2), p->our_magic);
		assert_int_not_equal(get32(o + 2), 0);
		if (i < 5)
			assert_false(p->dying);
	}
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_LCP_MAGIC);
	assert_int_equal(p->cp->ppp_c.loopback, 1);
}

static void lcp_loop_count_resets_on_another_magic(void **state)
{
	struct ppp_session *p;
	uint8_t ours[6] = {5, 6}, other[6] = {5, 6, 1, 2, 3, 4};

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	ours[2] = (uint8_t)(p->our_magic >> 24);
	ours[3] = (uint8_t)(p->our_magic >> 16);
	ours[4] = (uint8_t)(p->our_magic >> 8);
	ours[5] = (uint8_t)p->our_magic;
	for (int i = 0; i < 4; i++)
		h_pkt(p, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, ours, sizeof(ours));
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 4, other, sizeof(other));
	for (int i = 0; i < 4; i++)
		h_pkt(p, PPP_LCP, PPP_CONF_REQ, (uint8_t)(5 + i), ours, sizeof(ours));
	/* Max-Failure (5) turned the later Naks into Rejects, but no loop was declared */
	assert_false(p->dying);
	/* a zero magic is illegal: Nak'ed (RFC 1661 section 6.4) without counting as a loop */
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 20, other, sizeof(other));
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 21, (uint8_t[]){5, 6, 0, 0, 0, 0}, 6);
	assert_non_null(h_take(E, PPP_LCP, PPP_CONF_ACK));
	assert_non_null(h_take(E, PPP_LCP, PPP_CONF_NAK));
	assert_false(p->dying);
}

static void lcp_malformed_options_rejected(void **state)
{
	/* clang-format off */
	static const struct {
		uint8_t req[12];
		size_t len;
		size_t rej_off;                 /* the Reject carries req from here to the end */
	} cases[] = {
		{{1, 4, 5, 0xdc, 7, 0, 1, 2}, 8, 4}, /* length 0 */
		{{1, 4, 5, 0xdc, 7, 1, 1, 2}, 8, 4}, /* length 1 */
		{{1, 4, 5, 0xdc, 2, 6, 0, 0}, 8, 4}, /* past the end */
		{{1, 4, 5, 0xdc, 5}, 5, 4},     /* a lone type octet */
		{{0xff, 0xff, 5, 0xdc}, 4, 0},  /* length 255 */
		{{5, 6, 1, 2, 3, 4, 1, 2}, 8, 6}, /* MRU of the wrong size */
		{{5, 4, 1, 2, 7, 3, 0, 8, 3, 1}, 10, 0}, /* Magic, PFC, ACFC of wrong sizes */
	};
	/* clang-format on */

	(void)state;
	env(CFG(1500, Y_ALL));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ppp_session *p = start();
		const struct h_frame *f;

		h_clear(E);
		h_pkt(p, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, cases[i].req, cases[i].len);
		f = h_take(E, PPP_LCP, 0);
		assert_non_null(f);
		assert_int_equal(f->data[0], PPP_CONF_REJ);
		assert_int_equal(f->len, 4 + cases[i].len - cases[i].rej_off);
		assert_memory_equal(f->data + 4, cases[i].req + cases[i].rej_off,
				    cases[i].len - cases[i].rej_off);
		assert_false(p->dying);
		h_ppp_free(p);
	}
}

static void lcp_truncated_packets_discarded(void **state)
{
	struct ppp_session *p;
	/* Length says 20, 8 octets there */
	static const uint8_t f1[] = {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 20, 1, 4, 5, 0xdc};
	/* Length 3 */
	static const uint8_t f2[] = {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 3};
	/* no room for a header */
	static const uint8_t f3[] = {0xff, 0x03, 0xc0, 0x21, 1, 1};

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	h_clear(E);
	h_input(p, f1, sizeof(f1));
	h_input(p, f2, sizeof(f2));
	h_input(p, f3, sizeof(f3));
	assert_int_equal(h_count(E, PPP_LCP, 0), 0);
	assert_int_equal(p->lcp.rx_bad, 3);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
}

/* ---- LCP: the peer's answer to our request ------------------------------------------------ */

static void lcp_nak_names_allowed_auth(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t id;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	id = h_take(E, PPP_LCP, PPP_CONF_REQ)->data[1];
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, id, (uint8_t[]){3, 4, 0xc0, 0x23}, 4);
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_int_equal(f->data[1], (uint8_t)(id + 1));
	assert_memory_equal(h_opt(f, 3), ((uint8_t[]){3, 4, 0xc0, 0x23}), 4);
	assert_non_null(h_opt(f, 1));
	assert_non_null(h_opt(f, 5));
	assert_int_equal(p->auth, AUTH_PAP);

	/* and from PAP back to CHAP-MD5 */
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, f->data[1], (uint8_t[]){3, 5, 0xc2, 0x23, 5}, 5);
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_memory_equal(h_opt(f, 3), ((uint8_t[]){3, 5, 0xc2, 0x23, 5}), 5);
	assert_false(p->dying);
}

static void lcp_nak_names_disallowed_auth(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t id;

	(void)state;
	env(CFG(1500, "  auth: [mschapv2, chap-md5]\n"));
	p = start();
	id = h_take(E, PPP_LCP, PPP_CONF_REQ)->data[1];
	/* PAP is not allowed: our next preference, CHAP-MD5 */
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, id, (uint8_t[]){3, 4, 0xc0, 0x23}, 4);
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_memory_equal(h_opt(f, 3), ((uint8_t[]){3, 5, 0xc2, 0x23, 5}), 5);
	assert_false(p->dying);
	/* EAP (c227): none left */
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, f->data[1], (uint8_t[]){3, 4, 0xc2, 0x27}, 4);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_PROTO);
	assert_int_equal(p->disc_proto, PPP_LCP);
}

static void lcp_nak_unknown_chap_algorithm_moves_on(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, "  auth: [mschapv2, pap]\n"));
	p = start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	/* CHAP with MS-CHAPv1 (0x80): not something we speak */
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, f->data[1], (uint8_t[]){3, 5, 0xc2, 0x23, 0x80}, 5);
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_memory_equal(h_opt(f, 3), ((uint8_t[]){3, 4, 0xc0, 0x23}), 4);
}

static void lcp_nak_magic_and_mru(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint32_t old;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	old = p->our_magic;
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	h_pkt(p, PPP_LCP, PPP_CONF_NAK, f->data[1],
	      (uint8_t[]){1, 4, 0x05, 0x00, 5, 6, 0xde, 0xad, 0xbe, 0xef}, 10);
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_int_not_equal(p->our_magic, old); /* section 6.4: another one */
	assert_int_equal(get32(h_opt(f, 5) + 2), p->our_magic);
	assert_memory_equal(h_opt(f, 1), ((uint8_t[]){1, 4, 0x05, 0x00}), 4); /* 1280 < 1452 */
}

static void lcp_reject_of_auth_kills(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	h_pkt(p, PPP_LCP, PPP_CONF_REJ, f->data[1], h_opt(f, 3), 5);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_PROTO);
	assert_int_equal(p->disc_dir, L2TP_PPP_DISC_DIR_PEER);
}

static void lcp_reject_of_mru_and_magic(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t rej[10];

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	memcpy(rej, h_opt(f, 1), 4);
	memcpy(rej + 4, h_opt(f, 5), 6);
	h_pkt(p, PPP_LCP, PPP_CONF_REJ, f->data[1], rej, sizeof(rej));
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	assert_pkt(f, PPP_CONF_REQ, -1, ((uint8_t[]){3, 4, 0xc0, 0x23}), 4);
	assert_false(p->dying);
	/* and LCP opens with Echo magic 0 */
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, f->data[1], f->data + 4, 4);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 1, NULL, 0);
	assert_int_equal(p->lcp.state, PPP_OPENED);
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_ECHO_REQ, 5, (uint8_t[]){0, 0, 0, 0}, 4);
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_ECHO_REP, 5, ((uint8_t[]){0, 0, 0, 0}), 4);
}

static void lcp_ack_that_does_not_match_is_discarded(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	f = h_take(E, PPP_LCP, PPP_CONF_REQ);
	/* our options less the last octet */
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, f->data[1], f->data + 4, f->len - 5);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
	/* a stale Identifier */
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, (uint8_t)(f->data[1] + 1), f->data + 4, f->len - 4);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, f->data[1], f->data + 4, f->len - 4);
	assert_int_equal(p->lcp.state, PPP_ACK_RCVD);
}

/* ---- LCP: opened -------------------------------------------------------------------------- */

static void lcp_echo_request_answered_in_opened(void **state)
{
	static const uint8_t req[] = {0x5e, 0xed, 0x12, 0x34, 'h', 'e', 'l', 'l', 'o'};
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	/* not before Opened */
	h_pkt(p, PPP_LCP, PPP_ECHO_REQ, 3, req, sizeof(req));
	assert_int_equal(h_count(E, PPP_LCP, PPP_ECHO_REP), 0);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_ECHO_REQ, 3, req, sizeof(req));
	f = h_take(E, PPP_LCP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], PPP_ECHO_REP);
	assert_int_equal(f->data[1], 3);
	assert_int_equal(f->len, 4 + sizeof(req));
	assert_int_equal(get32(f->data + 4), p->our_magic);
	assert_memory_equal(f->data + 8, "hello", 5);
	/* Discard-Request: nothing */
	h_pkt(p, PPP_LCP, PPP_DISCARD_REQ, 4, req, sizeof(req));
	assert_int_equal(h_count(E, PPP_LCP, 0), 0);
	assert_false(p->dying);
}

static void lcp_unknown_code_rejected_and_unknown_protocol(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	static const uint8_t ccp[] = {0xff, 0x03, 0x80, 0xfd, 1, 1, 0, 4};

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_clear(E);
	h_pkt(p, PPP_LCP, 0x20, 7, "xy", 2);
	f = h_take(E, PPP_LCP, PPP_CODE_REJ);
	assert_non_null(f);
	assert_int_equal(f->len, 4 + 6);
	assert_memory_equal(f->data + 4, ((uint8_t[]){0x20, 7, 0, 6, 'x', 'y'}), 6);
	/* CCP in Opened: Protocol-Reject with the protocol and the packet */
	h_input(p, ccp, sizeof(ccp));
	f = h_take(E, PPP_LCP, PPP_PROTO_REJ);
	assert_non_null(f);
	assert_int_equal(f->len, 6 + 4);
	assert_memory_equal(f->data + 4, ((uint8_t[]){0x80, 0xfd, 1, 1, 0, 4}), 6);
	assert_int_equal(p->cp->ppp_c.rx_proto_rejected, 1);
	assert_false(p->dying);
}

static void lcp_terminate_request_kills(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_clear(E);
	h_pkt(p, PPP_LCP, PPP_TERM_REQ, 9, "bye", 3);
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_TERM_ACK, 9, NULL, 0);
	assert_killed(p, L2TP_CDN_ADMIN, L2TP_PPP_DISC_NORMAL);
}

static void lcp_protocol_reject_of_ipv6cp(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t rej[2 + 4 + 10] = {0x80, 0x57};

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	/* IPv6CP opened both ways */
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	memcpy(rej + 2, f->data, 14);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, f->data[1], f->data + 4, 10);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, (uint8_t[]){1, 10, 2, 0, 0, 0, 0, 0, 0, 9}, 10);
	assert_int_equal(p->ipv6cp.state, PPP_OPENED);
	assert_true(p->ipv6_up);
	/* the peer does not speak IPv6 after all */
	h_pkt(p, PPP_LCP, PPP_PROTO_REJ, 0x77, rej, sizeof(rej));
	assert_false(p->ipv6_up);
	assert_true(p->ipv6cp.state == PPP_STOPPING || p->ipv6cp.state == PPP_STOPPED);
	assert_int_equal(p->ipcp.state, PPP_REQ_SENT);
	assert_false(p->dying);
	assert_int_equal(p->lcp.state, PPP_OPENED);
}

static void lcp_protocol_reject_of_ipv6cp_while_negotiating(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	assert_int_equal(p->ipv6cp.state, PPP_REQ_SENT);
	h_pkt(p, PPP_LCP, PPP_PROTO_REJ, 0x77, (uint8_t[]){0x80, 0x57, 1, 1, 0, 4}, 6);
	assert_int_equal(p->ipv6cp.state, PPP_STOPPED);
	assert_int_equal(p->ipv6cp.timer_at, 0);
	assert_false(p->dying); /* IPCP is still negotiating */
}

static void lcp_echo_keepalive_fails(void **state)
{
	struct ppp_session *p;
	uint64_t t;

	(void)state;
	env(CFG(1500, Y_PAP ECHO));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	t = h_now_ms;
	assert_int_equal(p->echo_at, t + 10000);
	h_clear(E);
	ppp_lcp_echo_tick(p, t + 9999);
	assert_int_equal(h_count(E, PPP_LCP, PPP_ECHO_REQ), 0);
	for (unsigned i = 1; i <= 3; i++) {
		const struct h_frame *f;

		t += 10000;
		ppp_lcp_echo_tick(p, t);
		f = h_take(E, PPP_LCP, PPP_ECHO_REQ);
		assert_non_null(f);
		assert_int_equal(f->len, 8);
		assert_int_equal(f->data[1], i);
		assert_int_equal(get32(f->data + 4), p->our_magic);
		assert_int_equal(p->echo_outstanding, i);
		assert_false(p->dying);
	}
	t += 10000;
	ppp_lcp_echo_tick(p, t);
	assert_int_equal(h_count(E, PPP_LCP, PPP_ECHO_REQ), 0);
	assert_killed(p, L2TP_CDN_LOST_CARRIER, L2TP_PPP_DISC_LCP_KEEPALIVE);
	assert_int_equal(p->cp->ppp_c.echo_timeouts, 1);
}

static void lcp_echo_keepalive_answered(void **state)
{
	struct ppp_session *p;
	uint64_t t;
	uint8_t rep[4] = {0x5e, 0xed, 0x12, 0x34};

	(void)state;
	env(CFG(1500, Y_PAP ECHO));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	t = h_now_ms;
	for (int round = 0; round < 5; round++) {
		t += 10000;
		ppp_lcp_echo_tick(p, t);
		t += 10000;
		ppp_lcp_echo_tick(p, t);
		t += 10000;
		ppp_lcp_echo_tick(p, t);
		assert_int_equal(p->echo_outstanding, 3);
		/* a reply with another magic is not from our peer */
		h_pkt(p, PPP_LCP, PPP_ECHO_REP, p->echo_id, (uint8_t[]){1, 2, 3, 4}, 4);
		assert_int_equal(p->echo_outstanding, 3);
		h_pkt(p, PPP_LCP, PPP_ECHO_REP, p->echo_id, rep, sizeof(rep));
		assert_int_equal(p->echo_outstanding, 0);
		assert_false(p->dying);
	}
	assert_int_equal(p->cp->ppp_c.echo_timeouts, 0);
}

static void lcp_echo_off(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP "  lcp-echo-interval: 0\n"));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(p->echo_at, 0);
	h_clear(E);
	ppp_lcp_echo_tick(p, h_now_ms + 1000000);
	assert_int_equal(h_count(E, PPP_LCP, 0), 0);
}

/* ---- authentication ----------------------------------------------------------------------- */

static void pap_request(struct ppp_session *p, uint8_t id, const char *user, const char *pw)
{
	uint8_t b[2 + 255 + 255];
	size_t ul = strlen(user), pl = strlen(pw);

	b[0] = (uint8_t)ul;
	memcpy(b + 1, user, ul);
	b[1 + ul] = (uint8_t)pl;
	memcpy(b + 2 + ul, pw, pl);
	h_pkt(p, PPP_PAP, 1, id, b, 2 + ul + pl);
}

static void pap_right_password(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(p->phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(h_count(E, PPP_PAP, 0), 0); /* the peer speaks first */
	pap_request(p, 7, "alice", "alice-pw");
	assert_int_equal(h_count(E, PPP_PAP, 0), 0); /* the backend answers later */
	assert_false(p->authenticated);
	h_poll(E);
	f = h_take(E, PPP_PAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 2);
	assert_int_equal(f->data[1], 7);
	assert_int_equal(f->data[4], f->len - 5); /* Msg-Length */
	assert_true(p->authenticated);
	assert_string_equal(p->user, "alice");
	assert_int_equal(p->phase, PPP_PHASE_NETWORK);
	assert_int_equal(p->cp->ppp_c.auth_ok, 1);
	assert_int_equal(h_count(E, PPP_IPCP, PPP_CONF_REQ), 1);
	assert_int_equal(h_count(E, PPP_IPV6CP, PPP_CONF_REQ), 1);
}

static void pap_wrong_password(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	pap_request(p, 7, "alice", "alice-pW");
	h_poll(E);
	f = h_take(E, PPP_PAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 3);
	assert_int_equal(f->data[1], 7);
	assert_false(p->authenticated);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
	assert_int_equal(p->disc_proto, PPP_PAP);
	assert_int_equal(p->cp->ppp_c.auth_failed, 1);
	assert_int_equal(h_count(E, PPP_IPCP, 0), 0);
	/* unknown user, too */
	h_env_free(E);
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	pap_request(p, 8, "mallory", "alice-pw");
	h_poll(E);
	assert_non_null(h_take(E, PPP_PAP, 3));
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
}

static void pap_malformed_and_early_requests_ignored(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	/* before LCP is up: discarded */
	pap_request(p, 1, "alice", "alice-pw");
	h_poll(E);
	assert_int_equal(h_count(E, PPP_PAP, 0), 0);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	/* Peer-ID length past the end, Passwd-Length past the end */
	h_pkt(p, PPP_PAP, 1, 2, (uint8_t[]){9, 'a', 'b'}, 3);
	h_pkt(p, PPP_PAP, 1, 3, (uint8_t[]){1, 'a', 9, 'x'}, 4);
	h_pkt(p, PPP_PAP, 1, 4, NULL, 0);
	h_poll(E);
	assert_int_equal(h_count(E, PPP_PAP, 0), 0);
	assert_false(p->dying);
	assert_int_equal(p->cp->ppp_c.rx_bad, 3);
	/* empty name and password: well formed, refused */
	h_pkt(p, PPP_PAP, 1, 5, (uint8_t[]){0, 0}, 2);
	h_poll(E);
	assert_non_null(h_take(E, PPP_PAP, 3));
}

static void pap_rerequest_after_success_acked_again(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	h_clear(E);
	pap_request(p, 0x44, "alice", "alice-pw");
	f = h_take(E, PPP_PAP, 0); /* at once: no second trip to the backend */
	assert_non_null(f);
	assert_int_equal(f->data[0], 2);
	assert_int_equal(f->data[1], 0x44);
	assert_int_equal(p->cp->ppp_c.auth_ok, 1);
	assert_false(p->dying);
}

/* The Challenge we sent: identifier and 16-octet value; the name is our host name. */
static void take_challenge(uint8_t *id, uint8_t chal[16])
{
	const struct h_frame *f = h_take(E, PPP_CHAP, 1);

	assert_non_null(f);
	assert_int_equal(f->data[4], 16);
	assert_int_equal(f->len, 5 + 16 + 3);
	assert_memory_equal(f->data + 21, "lns", 3);
	*id = f->data[1];
	memcpy(chal, f->data + 5, 16);
}

static void chap_md5_response_pkt(struct ppp_session *p, uint8_t id, const uint8_t chal[16],
				  const char *user, const char *pw)
{
	uint8_t b[1 + 16 + 64];
	size_t ul = strlen(user);

	b[0] = 16;
	chap_md5_response(id, pw, strlen(pw), chal, 16, b + 1);
	memcpy(b + 17, user, ul);
	h_pkt(p, PPP_CHAP, 2, id, b, 17 + ul);
}

static void chap_md5_right_and_wrong(void **state)
{
	struct ppp_session *p;
	uint8_t id, chal[16];
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_MD5));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	chap_md5_response_pkt(p, id, chal, "alice", "alice-pw");
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 3);
	assert_int_equal(f->data[1], id);
	assert_true(p->authenticated);
	assert_int_equal(p->phase, PPP_PHASE_NETWORK);
	h_env_free(E);

	env(CFG(1500, Y_MD5));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	chap_md5_response_pkt(p, id, chal, "alice", "bob-pw");
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 4);
	assert_int_equal(f->data[1], id);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
	assert_int_equal(p->disc_proto, PPP_CHAP);
}

static void chap_stale_identifier_ignored(void **state)
{
	struct ppp_session *p;
	uint8_t id, chal[16];

	(void)state;
	env(CFG(1500, Y_MD5));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	/* right value for the wrong identifier, and the other way round */
	chap_md5_response_pkt(p, (uint8_t)(id + 1), chal, "alice", "alice-pw");
	h_poll(E);
	assert_int_equal(h_count(E, PPP_CHAP, 0), 0);
	assert_false(p->authenticated);
	assert_false(p->dying);
	assert_int_equal(p->auth_handle, 0);
	/* a 15-octet value: malformed for CHAP-MD5 */
	h_pkt(p, PPP_CHAP, 2, id,
	      (uint8_t[]){15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 16);
	h_poll(E);
	assert_int_equal(h_count(E, PPP_CHAP, 0), 0);
	assert_false(p->dying);
	chap_md5_response_pkt(p, id, chal, "alice", "alice-pw");
	h_poll(E);
	assert_non_null(h_take(E, PPP_CHAP, 3));
	assert_true(p->authenticated);
	/* after success: a repeated Response changes nothing */
	chap_md5_response_pkt(p, id, chal, "alice", "wrong");
	h_poll(E);
	assert_int_equal(h_count(E, PPP_CHAP, 4), 0);
	assert_false(p->dying);
}

static void mschapv2_response_pkt(struct ppp_session *p, uint8_t id, const uint8_t chal[16],
				  const uint8_t peer_chal[16], const char *user, const char *pw,
				  uint8_t nt[24])
{
	uint8_t b[1 + 49 + 64];
	size_t ul = strlen(user);

	memset(b, 0, sizeof(b));
	b[0] = 49;
	memcpy(b + 1, peer_chal, 16);
	assert_int_equal(mschapv2_nt_response(chal, peer_chal, user, ul, pw, strlen(pw), nt), 0);
	memcpy(b + 1 + 24, nt, 24);
	memcpy(b + 50, user, ul);
	h_pkt(p, PPP_CHAP, 2, id, b, 50 + ul);
}

static void mschapv2_right(void **state)
{
	static const uint8_t peer_chal[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
					      0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e};
	struct ppp_session *p;
	uint8_t id, chal[16], nt[24];
	char want[MSCHAPV2_AUTH_RESPONSE_LEN + 1], msg[256];
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(p->auth, AUTH_MSCHAPV2);
	take_challenge(&id, chal);
	mschapv2_response_pkt(p, id, chal, peer_chal, "alice", "alice-pw", nt);
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 3);
	assert_int_equal(f->data[1], id);
	assert_true(f->len - 4 < sizeof(msg));
	memcpy(msg, f->data + 4, f->len - 4);
	msg[f->len - 4] = '\0';
	assert_int_equal(mschapv2_authenticator_response("alice-pw", 8, nt, peer_chal, chal,
							 "alice", 5, want),
			 0);
	/* RFC 2759 section 5: "S=<auth_string> M=<message>" */
	assert_int_equal(strlen(want), 42);
	assert_memory_equal(msg, want, 42);
	assert_memory_equal(msg + 42, " M=", 3);
	assert_true(p->authenticated);
}

static void mschapv2_wrong(void **state)
{
	static const uint8_t peer_chal[16] = {1, 2,  3,  4,  5,  6,  7,  8,
					      9, 10, 11, 12, 13, 14, 15, 16};
	struct ppp_session *p;
	uint8_t id, chal[16], nt[24];
	char msg[256];
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_MSV2));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	mschapv2_response_pkt(p, id, chal, peer_chal, "alice", "not-alice-pw", nt);
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 4);
	assert_int_equal(f->data[1], id);
	memcpy(msg, f->data + 4, f->len - 4);
	msg[f->len - 4] = '\0';
	/* RFC 2759 section 6: "E=691 R=0 C=<32 hex> V=3 M=<msg>" */
	assert_true(strlen(msg) > 12 + 32 + 7);
	assert_memory_equal(msg, "E=691 R=0 C=", 12);
	for (int i = 0; i < 32; i++)
		assert_non_null(strchr("0123456789ABCDEF", msg[12 + i]));
	assert_memory_equal(msg + 44, " V=3 M=", 7);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
}

static void mschapv2_rfc2759_vector(void **state)
{
	/* RFC 2759 section 9.2, through auth.c's local backend */
	static const uint8_t auth_chal[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					      0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
	static const uint8_t peer_chal[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					      0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};
	static const uint8_t nt[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
				       0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
				       0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
	struct h_env *e;
	struct auth_req req = {.proto = AUTH_MSCHAPV2, .user = "User", .user_len = 4};
	struct auth_reply r;

	(void)state;
	e = env(PORTS(1500) POOLS "users:\n  - name: User\n    password: clientPass\n"
				  "ppp:\n" Y_MSV2);
	memcpy(req.challenge, auth_chal, 16);
	req.challenge_len = 16;
	memcpy(req.response, peer_chal, 16);
	memcpy(req.response + 24, nt, 24);
	req.response_len = 49;
	auth_local_check(e->cfg, &req, &r);
	assert_true(r.accept);
	assert_string_equal(r.mschapv2_auth_response, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

static void auth_timeout_pap(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP "  restart-ms: 1000\n  max-configure: 4\n"));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(p->auth_at, h_now_ms + 4000);
	ppp_auth_tick(p, h_now_ms + 3999);
	assert_false(p->dying);
	ppp_auth_tick(p, h_now_ms + 4000);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_TIMEOUT);
	assert_int_equal(p->disc_proto, PPP_PAP);
	assert_int_equal(p->cp->ppp_c.auth_timeout, 1);
}

static void auth_timeout_chap_retransmits_then_gives_up(void **state)
{
	struct ppp_session *p;
	uint8_t id, chal[16];
	uint64_t t;

	(void)state;
	env(CFG(1500, Y_MD5 "  restart-ms: 1000\n  max-configure: 4\n"));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	t = h_now_ms;
	for (int i = 1; i < 4; i++) {
		const struct h_frame *f;

		t += 1000;
		ppp_auth_tick(p, t);
		f = h_take(E, PPP_CHAP, 1);
		assert_non_null(f); /* the same challenge again */
		assert_int_equal(f->data[1], id);
		assert_memory_equal(f->data + 5, chal, 16);
		assert_false(p->dying);
	}
	t += 1000;
	ppp_auth_tick(p, t);
	assert_int_equal(h_count(E, PPP_CHAP, 1), 0);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_TIMEOUT);
	assert_int_equal(p->disc_proto, PPP_CHAP);
}

static void auth_no_timeout_while_backend_thinks(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP "  restart-ms: 1000\n  max-configure: 4\n"));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	pap_request(p, 1, "alice", "alice-pw");
	ppp_auth_tick(p, h_now_ms + 100000);
	assert_false(p->dying);
	/* a retransmission while waiting: not asked twice */
	pap_request(p, 2, "alice", "alice-pw");
	h_poll(E);
	assert_int_equal(h_count(E, PPP_PAP, 2), 1);
	assert_true(p->authenticated);
}

static void set_proxy(struct l2tp_session *ls, uint16_t type, uint16_t id, const char *name,
		      const void *chal, size_t chal_len, const void *resp, size_t resp_len)
{
	ls->proxy_auth_type = type;
	ls->proxy_auth_id = id;
	free(ls->proxy_auth_name);
	ls->proxy_auth_name = strdup(name); /* as l2tp_dup_str() keeps it */
	h_blob_set(&ls->proxy_auth_chal, chal, chal_len);
	h_blob_set(&ls->proxy_auth_resp, resp, resp_len);
}

static void proxy_auth_pap(void **state)
{
	struct l2tp_session *ls;
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	ls = h_l2tp_session_new(E);
	set_proxy(ls, L2TP_PROXY_AUTH_PAP, 42, "alice", NULL, 0, "alice-pw", 8);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(p->cp->ppp_c.proxy_auth_accepted, 0); /* counted once accepted */
	h_poll(E);
	f = h_take(E, PPP_PAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 2);
	assert_int_equal(f->data[1], 42);
	assert_true(p->authenticated);
	assert_int_equal(p->cp->ppp_c.proxy_auth_accepted, 1);
	assert_int_equal(p->phase, PPP_PHASE_NETWORK);
	assert_string_equal(p->user, "alice");
}

static void proxy_auth_chap(void **state)
{
	static const uint8_t chal[16] = "0123456789abcdef";
	struct l2tp_session *ls;
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t resp[16];

	(void)state;
	env(CFG(1500, Y_MD5));
	ls = h_l2tp_session_new(E);
	chap_md5_response(5, "alice-pw", 8, chal, sizeof(chal), resp);
	set_proxy(ls, L2TP_PROXY_AUTH_CHAP, 5, "alice", chal, sizeof(chal), resp, 16);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_count(E, PPP_CHAP, 1), 0); /* no challenge of our own */
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 3);
	assert_int_equal(f->data[1], 5);
	assert_true(p->authenticated);
	assert_int_equal(p->cp->ppp_c.proxy_auth_accepted, 1);
}

static void proxy_auth_wrong(void **state)
{
	static const uint8_t chal[8] =
		"abcdefgh"; /* the LAC's challenge may be shorter than ours */
	struct l2tp_session *ls;
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t resp[16];

	(void)state;
	env(CFG(1500, Y_PAP));
	ls = h_l2tp_session_new(E);
	set_proxy(ls, L2TP_PROXY_AUTH_PAP, 42, "alice", NULL, 0, "alice-px", 8);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_poll(E);
	f = h_take(E, PPP_PAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 3);
	assert_int_equal(f->data[1], 42);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
	h_env_free(E);

	env(CFG(1500, Y_MD5));
	ls = h_l2tp_session_new(E);
	chap_md5_response(6, "alice-pw", 8, chal, sizeof(chal), resp); /* for ID 6, not 5 */
	set_proxy(ls, L2TP_PROXY_AUTH_CHAP, 5, "alice", chal, sizeof(chal), resp, 16);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_poll(E);
	f = h_take(E, PPP_CHAP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], 4);
	assert_int_equal(f->data[1], 5);
	assert_killed(p, L2TP_CDN_ERROR, L2TP_PPP_DISC_AUTH_FAILED);
}

static void proxy_auth_not_usable_falls_back(void **state)
{
	struct l2tp_session *ls;
	struct ppp_session *p;

	(void)state;
	/* proxy PAP, but LCP settled on CHAP-MD5: we challenge */
	env(CFG(1500, Y_MD5));
	ls = h_l2tp_session_new(E);
	set_proxy(ls, L2TP_PROXY_AUTH_PAP, 42, "alice", NULL, 0, "alice-pw", 8);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_count(E, PPP_CHAP, 1), 1);
	assert_int_equal(p->cp->ppp_c.proxy_auth_accepted, 0);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	h_env_free(E);

	/* proxy authentication turned off */
	env(CFG(1500, Y_PAP "  proxy-auth: false\n"));
	ls = h_l2tp_session_new(E);
	set_proxy(ls, L2TP_PROXY_AUTH_PAP, 42, "alice", NULL, 0, "alice-pw", 8);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_poll(E);
	assert_int_equal(h_count(E, PPP_PAP, 0), 0);
	assert_false(p->authenticated);
	h_env_free(E);

	/* a CHAP response of the wrong size */
	env(CFG(1500, Y_MD5));
	ls = h_l2tp_session_new(E);
	set_proxy(ls, L2TP_PROXY_AUTH_CHAP, 5, "alice", "0123456789abcdef", 16, "short", 5);
	p = h_ppp_start(E, ls);
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_count(E, PPP_CHAP, 1), 1);
}

/* ---- IPCP --------------------------------------------------------------------------------- */

static const uint8_t ADDR_ZERO[6] = {3, 6, 0, 0, 0, 0};
static const uint8_t ADDR_POOL[6] = {3, 6, 100, 64, 0, 10};

static void ipcp_request_carries_local_address(void **state)
{
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	network();
	f = h_take(E, PPP_IPCP, PPP_CONF_REQ);
	assert_pkt(f, PPP_CONF_REQ, -1, ((uint8_t[]){3, 6, 192, 0, 2, 1}), 6);
}

static void ipcp_peer_address_naked_until_right(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	assert_memory_equal(&p->peer_ip, POOL_FIRST, 4);
	assert_true(p->has_ip);
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, ADDR_ZERO, 6);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 1, ADDR_POOL, 6);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 2, (uint8_t[]){3, 6, 10, 1, 2, 3}, 6);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 2, ADDR_POOL, 6);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 3, ADDR_POOL, 6);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_ACK, 3, ADDR_POOL, 6);
	assert_int_equal(p->ipcp.state, PPP_ACK_SENT);
}

static void ipcp_missing_address_naked(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, NULL, 0);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 1, ADDR_POOL, 6);
}

static void ipcp_dns_naked_then_acked(void **state)
{
	static const uint8_t req0[] = {3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0};
	static const uint8_t req1[] = {3, 6, 100, 64,  0, 10,  129, 6,   192,
				       0, 2, 53,  131, 6, 198, 51,  100, 53};
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP DNS));
	p = network();
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, req0, sizeof(req0));
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 1, req1, sizeof(req1));
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 2, req1, sizeof(req1));
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_ACK, 2, req1, sizeof(req1));
	/* DNS only: the address is asked for after them */
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 3, req0 + 6, 12);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 3,
		   ((uint8_t[]){129, 6, 192, 0, 2, 53, 131, 6, 198, 51, 100, 53, 3, 6, 100, 64, 0,
				10}),
		   18);
}

static void ipcp_dns_rejected_without_config(void **state)
{
	static const uint8_t req[] = {3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0};
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_REJ, 1, req + 6, 12);
	h_env_free(E);

	/* one server: the secondary is rejected */
	env(CFG(1500, Y_PAP "  dns: [\"192.0.2.53\"]\n"));
	p = network();
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_REJ, 1, req + 12, 6);
}

static void ipcp_vj_and_unknown_rejected(void **state)
{
	static const uint8_t req[] = {3, 6, 100, 64, 0,  10, 2, 6, 0, 0x2d, 0x0f, 1, 130, 6,    0,
				      0, 0, 0,   1,  10, 1,  2, 3, 4, 5,    6,    7, 8,   0x99, 2};
	static const uint8_t rej[] = {2, 6,  0, 0x2d, 0x0f, 1, 130, 6, 0, 0, 0,    0,
				      1, 10, 1, 2,    3,    4, 5,   6, 7, 8, 0x99, 2};
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP DNS));
	p = network();
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, req, sizeof(req));
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_REJ, 1, rej, sizeof(rej));
	/* an IP-Address of the wrong size too */
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 2, (uint8_t[]){3, 4, 1, 2}, 4);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_REJ, 2, ((uint8_t[]){3, 4, 1, 2}), 4);
	/* malformed: the rest rejected whole */
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 3, (uint8_t[]){3, 6, 100, 64, 0, 10, 129, 0, 1}, 9);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_REJ, 3, ((uint8_t[]){129, 0, 1}), 3);
	assert_false(p->dying);
}

static void ipcp_up_hands_session_to_workers(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = network();
	f = h_take(E, PPP_IPCP, PPP_CONF_REQ);
	h_pkt(p, PPP_IPCP, PPP_CONF_ACK, f->data[1], f->data + 4, 6);
	assert_int_equal(E->fwd_ups, 0);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, ADDR_POOL, 6);
	assert_int_equal(p->ipcp.state, PPP_OPENED);
	assert_int_equal(E->fwd_ups, 1);
	assert_true(p->ls->forwarding);
	assert_int_equal(p->cp->ppp_c.sessions_up, 1);
	/* and back when IPCP goes down */
	h_pkt(p, PPP_IPCP, PPP_TERM_REQ, 2, NULL, 0);
	assert_int_equal(E->fwd_downs, 1);
	assert_false(p->ls->forwarding);
	assert_non_null(h_take(E, PPP_IPCP, PPP_TERM_ACK));
}

static void ipcp_ignored_before_network_phase(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, ADDR_ZERO, 6);
	assert_int_equal(h_count(E, 0, 0) + h_count(E, PPP_IPCP, 0), 0);
	assert_int_equal(p->ipcp.state, PPP_INITIAL);
}

static void ipcp_fixed_address(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "bob", "bob-pw"), 0);
	assert_memory_equal(&p->peer_ip, ((uint8_t[]){100, 64, 9, 9}), 4);
	assert_false(p->ip_from_pool);
	h_clear(E);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, ADDR_ZERO, 6);
	assert_pkt(h_take(E, PPP_IPCP, 0), PPP_CONF_NAK, 1, ((uint8_t[]){3, 6, 100, 64, 9, 9}), 6);
	assert_int_equal(p->cp->pools[0].in_use, 0);
}

#define ONE_ADDRESS_POOL                                                                           \
	PORTS(1500)                                                                                \
	"pools:\n  - name: tiny\n    ranges: [\"100.64.0.10\"]\n" USERS "ppp:\n" Y_PAP

static void ipcp_pool_exhausted_and_released(void **state)
{
	struct ppp_session *a, *b, *c;

	(void)state;
	env(ONE_ADDRESS_POOL);
	a = network();
	assert_int_equal(E->cp->pools[0].in_use, 1);
	b = start();
	assert_int_equal(h_lcp_open(b, PEER_MAGIC + 1), 0);
	h_clear(E);
	pap_request(b, 1, "alice", "alice-pw");
	h_poll(E);
	assert_non_null(h_take(E, PPP_PAP, 2)); /* authenticated, then no address */
	assert_killed(b, L2TP_CDN_NO_FACILITIES_TEMP, L2TP_PPP_DISC_NCP_ADDRESS);
	assert_int_equal(b->disc_proto, PPP_IPCP);
	assert_int_equal(E->cp->ppp_c.pool_exhausted, 1);
	assert_int_equal(h_count(E, PPP_IPCP, 0), 0);
	assert_false(b->has_ip);
	h_ppp_free(b);
	assert_int_equal(E->cp->pools[0].in_use, 1);
	/* the first one goes: its address is free again */
	h_ppp_free(a);
	assert_int_equal(E->cp->pools[0].in_use, 0);
	assert_int_equal(E->n_claims, 0);
	c = network();
	assert_memory_equal(&c->peer_ip, POOL_FIRST, 4);
	assert_false(c->dying);
}

static void ipcp_address_in_use_refused(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	E->fail_claim = true;
	pap_request(p, 1, "alice", "alice-pw");
	h_poll(E);
	assert_killed(p, L2TP_CDN_NO_FACILITIES_TEMP, L2TP_PPP_DISC_NCP_ADDRESS);
	assert_int_equal(E->cp->pools[0].in_use, 0); /* given back at once */
	assert_int_equal(E->cp->ppp_c.pool_exhausted, 0);
}

/* ---- IPv6CP ------------------------------------------------------------------------------- */

static const uint8_t ZERO8[8];

/* A network-phase session; our IPv6CP request taken, its identifier in ours. */
static struct ppp_session *v6_network(uint8_t *id)
{
	struct ppp_session *p;
	const struct h_frame *f;

	env(CFG(1500, Y_PAP));
	p = network();
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_int_equal(f->len, 14);
	assert_memory_equal(f->data + 4, ((uint8_t[]){1, 10}), 2);
	assert_memory_equal(f->data + 6, p->our_ifid, 8);
	assert_memory_not_equal(p->our_ifid, ZERO8, 8);
	if (id)
		*id = f->data[1];
	h_clear(E);
	return p;
}

static void v6_assert_nak_ifid(const struct ppp_session *p, uint8_t id)
{
	const struct h_frame *f = h_take(E, PPP_IPV6CP, 0);

	assert_non_null(f);
	assert_int_equal(f->data[0], PPP_CONF_NAK);
	assert_int_equal(f->data[1], id);
	assert_int_equal(f->len, 14);
	assert_int_equal(f->data[4], 1);
	assert_int_equal(f->data[5], 10);
	assert_memory_not_equal(f->data + 6, ZERO8, 8);
	assert_memory_not_equal(f->data + 6, p->our_ifid, 8);
}

static void ipv6cp_zero_ifid_naked(void **state)
{
	struct ppp_session *p;
	uint8_t req[10] = {1, 10};

	(void)state;
	p = v6_network(NULL);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, req, sizeof(req));
	v6_assert_nak_ifid(p, 1);
}

/* RFC 3162 2.2: the backend's Framed-Interface-Id is the one the peer gets. */
static void ipv6cp_framed_interface_id(void **state)
{
	static const uint8_t given[8] = {0x02, 0, 0, 0, 0, 0, 0x12, 0x34};
	struct ppp_session *p;
	uint8_t req[10] = {1, 10, 0x0a, 1, 2, 3, 4, 5, 6, 7};
	const struct h_frame *f;

	(void)state;
	p = v6_network(NULL);
	p->auth_reply.attrs.has_interface_id = true;
	memcpy(p->auth_reply.attrs.interface_id, given, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 3, req, sizeof(req)); /* its own choice: Nak'ed */
	f = h_take(E, PPP_IPV6CP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], PPP_CONF_NAK);
	assert_memory_equal(f->data + 6, given, 8);
	memcpy(req + 2, given, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 4, req, sizeof(req)); /* the given one: Ack'ed */
	f = h_take(E, PPP_IPV6CP, 0);
	assert_non_null(f);
	assert_int_equal(f->data[0], PPP_CONF_ACK);
	assert_memory_equal(p->peer_ifid, given, 8);
}

static void ipv6cp_equal_ifid_naked(void **state)
{
	struct ppp_session *p;
	uint8_t req[10] = {1, 10};

	(void)state;
	p = v6_network(NULL);
	memcpy(req + 2, p->our_ifid, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 2, req, sizeof(req));
	v6_assert_nak_ifid(p, 2);
}

static void ipv6cp_distinct_ifid_acked(void **state)
{
	struct ppp_session *p;
	uint8_t req[10] = {1, 10, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};

	(void)state;
	p = v6_network(NULL);
	if (memcmp(p->our_ifid, req + 2, 8) == 0)
		req[9] ^= 1;
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 3, req, sizeof(req));
	assert_pkt(h_take(E, PPP_IPV6CP, 0), PPP_CONF_ACK, 3, req, sizeof(req));
	assert_memory_equal(p->peer_ifid, req + 2, 8);
}

static void ipv6cp_absent_ifid_naked(void **state)
{
	struct ppp_session *p;

	(void)state;
	p = v6_network(NULL);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 4, NULL, 0);
	v6_assert_nak_ifid(p, 4);
	/* another option, and a second identifier: rejected */
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 5, (uint8_t[]){1, 10,   9, 9,  9, 9, 9, 9, 9, 9, 2, 4,
							  0, 0x4f, 1, 10, 8, 8, 8, 8, 8, 8, 8, 8},
	      24);
	assert_pkt(h_take(E, PPP_IPV6CP, 0), PPP_CONF_REJ, 5,
		   ((uint8_t[]){2, 4, 0, 0x4f, 1, 10, 8, 8, 8, 8, 8, 8, 8, 8}), 14);
}

static void ipv6cp_nak_of_ours(void **state)
{
	static const uint8_t peer[10] = {1, 10, 0x0a, 0, 0, 0, 0, 0, 0, 0x0b};
	static const uint8_t sugg[10] = {1, 10, 0x0c, 0, 0, 0, 0, 0, 0, 0x0d};
	struct ppp_session *p;
	const struct h_frame *f;
	uint8_t id;

	(void)state;
	p = v6_network(&id);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, peer, sizeof(peer)); /* the peer's is 0a..0b */
	assert_non_null(h_take(E, PPP_IPV6CP, PPP_CONF_ACK));
	/* a suggestion we take */
	h_pkt(p, PPP_IPV6CP, PPP_CONF_NAK, id, sugg, sizeof(sugg));
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_memory_equal(f->data + 4, sugg, 10);
	id = f->data[1];
	/* zero: we pick one */
	h_pkt(p, PPP_IPV6CP, PPP_CONF_NAK, id, (uint8_t[]){1, 10, 0, 0, 0, 0, 0, 0, 0, 0}, 10);
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_memory_not_equal(f->data + 6, ZERO8, 8);
	assert_memory_not_equal(f->data + 6, peer + 2, 8);
	id = f->data[1];
	/* the peer's own: we pick one */
	h_pkt(p, PPP_IPV6CP, PPP_CONF_NAK, id, peer, sizeof(peer));
	f = h_take(E, PPP_IPV6CP, PPP_CONF_REQ);
	assert_non_null(f);
	assert_memory_not_equal(f->data + 6, ZERO8, 8);
	assert_memory_not_equal(f->data + 6, peer + 2, 8);
	/* and it opens with what we asked last */
	h_pkt(p, PPP_IPV6CP, PPP_CONF_ACK, f->data[1], f->data + 4, 10);
	assert_int_equal(p->ipv6cp.state, PPP_OPENED);
	assert_true(p->ipv6_up);
}

static void ipv6cp_reject_of_ifid_closes_it(void **state)
{
	struct ppp_session *p;
	uint8_t id, opt[10] = {1, 10};

	(void)state;
	p = v6_network(&id);
	memcpy(opt + 2, p->our_ifid, 8);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REJ, id, opt, sizeof(opt));
	assert_int_equal(p->ipv6cp.state, PPP_CLOSING);
	assert_non_null(h_take(E, PPP_IPV6CP, PPP_TERM_REQ));
	assert_false(p->dying);
}

static void ipv6cp_disabled_is_protocol_rejected(void **state)
{
	struct ppp_session *p;
	const struct h_frame *f;

	(void)state;
	env(CFG(1500, Y_PAP "  ipv6: false\n"));
	p = network();
	assert_int_equal(h_count(E, PPP_IPV6CP, 0), 0);
	h_pkt(p, PPP_IPV6CP, PPP_CONF_REQ, 1, (uint8_t[]){1, 10, 1, 2, 3, 4, 5, 6, 7, 8}, 10);
	f = h_take(E, PPP_LCP, PPP_PROTO_REJ);
	assert_non_null(f);
	assert_memory_equal(f->data + 4, ((uint8_t[]){0x80, 0x57, 1, 1, 0, 14}), 6);
	assert_int_equal(p->ipv6cp.state, PPP_INITIAL);
}

/* ---- proxy LCP (RFC 2661 section 4.4.5) --------------------------------------------------- */

static struct ppp_session *proxy_start(const uint8_t *tx, size_t tx_len, const uint8_t *rx,
				       size_t rx_len)
{
	struct l2tp_session *ls = h_l2tp_session_new(E);

	h_blob_set(&ls->lcp_initial_rx, rx, rx_len);
	h_blob_set(&ls->lcp_last_tx, tx, tx_len);
	h_blob_set(&ls->lcp_last_rx, rx, rx_len);
	return h_ppp_start(E, ls);
}

static const uint8_t LAC_TX_PAP[] = {1,    4, 0x05, 0xb4, 3,    4,    0xc0,
				     0x23, 5, 6,    0x11, 0x22, 0x33, 0x44};
static const uint8_t CLIENT_RX[] = {1, 4, 0x05, 0x78, 5, 6, 0x55, 0x66, 0x77, 0x88, 7, 2, 8, 2};

static void proxy_lcp_accepted(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = proxy_start(LAC_TX_PAP, sizeof(LAC_TX_PAP), CLIENT_RX, sizeof(CLIENT_RX));
	assert_int_equal(E->cp->ppp_c.proxy_lcp_accepted, 1);
	assert_int_equal(E->cp->ppp_c.proxy_lcp_renegotiated, 0);
	assert_int_equal(p->lcp.state, PPP_OPENED);
	assert_int_equal(h_count(E, PPP_LCP, 0), 0); /* nothing negotiated again */
	assert_int_equal(p->phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(p->auth, AUTH_PAP);
	assert_int_equal(p->our_mru, 1460);
	assert_int_equal(p->our_magic, 0x11223344);
	assert_int_equal(p->peer_mru, 1400);
	assert_int_equal(p->peer_magic, 0x55667788);
	assert_true(p->peer_pfc && p->peer_acfc);
	assert_int_equal(h_authenticate(p, "alice", "alice-pw"), 0);
	/* echo requests carry the magic the LAC negotiated */
	h_pkt(p, PPP_LCP, PPP_ECHO_REQ, 1, (uint8_t[]){0x55, 0x66, 0x77, 0x88}, 4);
	assert_pkt(h_take(E, PPP_LCP, 0), PPP_ECHO_REP, 1, ((uint8_t[]){0x11, 0x22, 0x33, 0x44}),
		   4);
}

static void proxy_lcp_and_proxy_auth(void **state)
{
	struct l2tp_session *ls;
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	ls = h_l2tp_session_new(E);
	h_blob_set(&ls->lcp_last_tx, LAC_TX_PAP, sizeof(LAC_TX_PAP));
	h_blob_set(&ls->lcp_last_rx, CLIENT_RX, sizeof(CLIENT_RX));
	set_proxy(ls, L2TP_PROXY_AUTH_PAP, 9, "alice", NULL, 0, "alice-pw", 8);
	p = h_ppp_start(E, ls);
	assert_int_equal(E->cp->ppp_c.proxy_lcp_accepted, 1);
	h_poll(E);
	assert_pkt(h_take(E, PPP_PAP, 0), 2, 9, "\x07welcome", 8);
	assert_true(p->authenticated);
	assert_int_equal(h_count(E, PPP_LCP, 0), 0);
	assert_int_equal(h_count(E, PPP_IPCP, PPP_CONF_REQ), 1);
}

static void proxy_lcp_renegotiated(void **state)
{
	static const uint8_t lac_no_auth[] = {1, 4, 0x05, 0xb4, 5, 6, 1, 2, 3, 4};
	static const uint8_t lac_malformed[] = {1, 4, 0x05, 0xb4, 3, 4, 0xc0, 0x23, 5, 9, 1};
	static const uint8_t client_mrru[] = {5, 6, 1, 2, 3, 4, 17, 4, 0x05, 0xdc};
	static const uint8_t client_small_mru[] = {1, 4, 0, 64, 5, 6, 1, 2, 3, 4};
	static const struct {
		const char *yaml;
		const uint8_t *tx, *rx;
		size_t tx_len, rx_len;
	} cases[] = {
		/* the LAC asked for PAP, which we do not allow */
		{CFG(1500, "  auth: [mschapv2, chap-md5]\n"), LAC_TX_PAP, CLIENT_RX,
		 sizeof(LAC_TX_PAP), sizeof(CLIENT_RX)},
		/* the LAC asked for no authentication */
		{CFG(1500, Y_ALL), lac_no_auth, CLIENT_RX, sizeof(lac_no_auth), sizeof(CLIENT_RX)},
		{CFG(1500, Y_ALL), lac_malformed, CLIENT_RX, sizeof(lac_malformed),
		 sizeof(CLIENT_RX)},
		/* the client asked for something we reject or Nak */
		{CFG(1500, Y_ALL), LAC_TX_PAP, client_mrru, sizeof(LAC_TX_PAP),
		 sizeof(client_mrru)},
		{CFG(1500, Y_ALL), LAC_TX_PAP, client_small_mru, sizeof(LAC_TX_PAP),
		 sizeof(client_small_mru)},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ppp_session *p;

		env(cases[i].yaml);
		p = proxy_start(cases[i].tx, cases[i].tx_len, cases[i].rx, cases[i].rx_len);
		assert_int_equal(E->cp->ppp_c.proxy_lcp_accepted, 0);
		assert_int_equal(E->cp->ppp_c.proxy_lcp_renegotiated, 1);
		assert_int_equal(p->lcp.state, PPP_REQ_SENT);
		assert_int_equal(h_count(E, PPP_LCP, PPP_CONF_REQ), 1);
		assert_int_equal(p->auth, (enum auth_proto)E->cfg->ppp.auth[0]);
		assert_false(p->dying);
		h_env_free(E);
		E = NULL;
	}
}

static void proxy_lcp_off_or_absent(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL "  proxy-lcp: false\n"));
	p = proxy_start(LAC_TX_PAP, sizeof(LAC_TX_PAP), CLIENT_RX, sizeof(CLIENT_RX));
	assert_int_equal(E->cp->ppp_c.proxy_lcp_accepted + E->cp->ppp_c.proxy_lcp_renegotiated, 0);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
	h_env_free(E);

	env(CFG(1500, Y_ALL));
	p = proxy_start(LAC_TX_PAP, sizeof(LAC_TX_PAP), NULL, 0);
	assert_int_equal(E->cp->ppp_c.proxy_lcp_accepted + E->cp->ppp_c.proxy_lcp_renegotiated, 0);
	assert_int_equal(p->lcp.state, PPP_REQ_SENT);
}

/* ---- defects this file found in cp/, fixed: regression tests ------------------------------------
 */

/*
 * A Configure-Request longer than PPP_MAX_PKT (possible when the access port's
 * MTU is above 1500: a default mbuf holds 2048 octets) overruns the 1496-octet
 * reply buffer of ppp_fsm.c's rcv_conf_req (Ack: reqci copies the options
 * whole) and the 1500-octet rej[] of ppp_lcp.c's reqci.
 */
static void long_conf_req_discarded(void **state)
{
	uint8_t opts[1800];
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_ALL));
	p = start();
	for (size_t i = 0; i < sizeof(opts); i += 6)
		memcpy(opts + i, ((uint8_t[]){2, 6, 0, 0, 0, 0}), 6); /* ACCM, acceptable */
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 1, opts, sizeof(opts));
	for (size_t i = 0; i < sizeof(opts); i += 2)
		memcpy(opts + i, ((uint8_t[]){0x99, 2}), 2); /* unknown: all rejected */
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 2, opts, sizeof(opts));
	assert_false(p->dying);
	assert_int_equal(p->lcp.rx_bad, 2); /* longer than any control packet: discarded */
}

/*
 * IPCP Nak grows by 6 octets when the peer leaves IP-Address out: 249 wrong
 * DNS options (1494 octets, a 1502-octet frame) make a 1500-octet Nak, copied
 * into rcv_conf_req's 1496-octet out[].
 */
static void ipcp_nak_fits_a_packet(void **state)
{
	uint8_t opts[249 * 6];
	struct ppp_session *p;

	(void)state;
	env(CFG(1500, Y_PAP DNS));
	p = network();
	for (size_t i = 0; i < sizeof(opts); i += 6)
		memcpy(opts + i, ((uint8_t[]){129, 6, 0, 0, 0, 0}), 6);
	h_pkt(p, PPP_IPCP, PPP_CONF_REQ, 1, opts, sizeof(opts));
	assert_false(p->dying);
	{
		const struct h_frame *nak = h_take(E, PPP_IPCP, PPP_CONF_NAK);

		assert_non_null(nak); /* the DNS Naks, without the IP-Address that would not fit */
		assert_true(nak->len <= PPP_MAX_PKT);
	}
}

/*
 * RFC 1661 section 5.1: a reply answers the request with its Identifier. Our
 * Code-Reject (ppp_fsm_code_reject) takes its Identifier from f->id, the one
 * of our outstanding Configure-Request, so the peer's Configure-Ack of that
 * request is then discarded as stale, and LCP waits for the restart timer.
 */
static void code_reject_keeps_outstanding_request(void **state)
{
	struct ppp_session *p;
	struct h_frame req;

	(void)state;
	env(CFG(1500, Y_PAP));
	p = start();
	req = *h_take(E, PPP_LCP, PPP_CONF_REQ);
	h_pkt(p, PPP_LCP, 0x20, 1, "x", 1); /* unknown code: Code-Reject */
	assert_non_null(h_take(E, PPP_LCP, PPP_CODE_REJ));
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, req.data[1], req.data + 4, req.len - 4);
	assert_int_equal(p->lcp.state, PPP_ACK_RCVD);
}

/*
 * RFC 2759 section 8.2: ChallengeHash uses "only the user name (as presented by
 * the peer and excluding any prepended domain name)". ppp_auth.c says so in a
 * comment but hashes "DOMAIN\user" whole, so a Windows client that sends its
 * domain fails authentication with the right password.
 */
static void mschapv2_domain_stripped(void **state)
{
	static const uint8_t peer_chal[16] = {7};
	struct ppp_session *p;
	uint8_t id, chal[16], nt[24], b[1 + 49 + 32];
	const char *full = "EXAMPLE\\carol";

	(void)state;
	env(PORTS(1500) POOLS "users:\n  - name: 'EXAMPLE\\carol'\n    password: carol-pw\n"
			      "ppp:\n" Y_MSV2);
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	take_challenge(&id, chal);
	memset(b, 0, sizeof(b));
	b[0] = 49;
	memcpy(b + 1, peer_chal, 16);
	/* the client hashes "carol", sends "EXAMPLE\carol" */
	assert_int_equal(mschapv2_nt_response(chal, peer_chal, "carol", 5, "carol-pw", 8, nt), 0);
	memcpy(b + 25, nt, 24);
	memcpy(b + 50, full, strlen(full));
	h_pkt(p, PPP_CHAP, 2, id, b, 50 + strlen(full));
	h_poll(E);
	assert_non_null(h_take(E, PPP_CHAP, 3));
}

/*
 * An IPv6 pool (accepted by the configuration, left uninitialised by
 * cp/control.c's pools_init) makes assign_address dereference a NULL cfg in
 * lns_pool_contains when a user with a fixed address authenticates.
 */
static void fixed_address_with_ipv6_pool(void **state)
{
	struct ppp_session *p;

	(void)state;
	env(PORTS(1500) "pools:\n  - name: v6\n    ranges: [\"2001:db8:100::/56\"]\n"
			"  - name: v4\n    ranges: [\"100.64.0.10-100.64.0.20\"]\n" USERS
			"ppp:\n" Y_PAP);
	p = start();
	assert_int_equal(h_lcp_open(p, PEER_MAGIC), 0);
	assert_int_equal(h_authenticate(p, "bob", "bob-pw"), 0);
	assert_false(p->dying);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(lcp_request_lists_mru_auth_magic),
		T(lcp_request_auth_in_configured_order),
		T(lcp_request_mru_only_when_not_1500),
		T(lcp_peer_options_acked),
		T(lcp_small_mru_naked_with_128),
		T(lcp_unwanted_options_rejected_exactly),
		T(lcp_our_magic_echoed_is_naked_then_loop),
		T(lcp_loop_count_resets_on_another_magic),
		T(lcp_malformed_options_rejected),
		T(lcp_truncated_packets_discarded),
		T(lcp_nak_names_allowed_auth),
		T(lcp_nak_names_disallowed_auth),
		T(lcp_nak_unknown_chap_algorithm_moves_on),
		T(lcp_nak_magic_and_mru),
		T(lcp_reject_of_auth_kills),
		T(lcp_reject_of_mru_and_magic),
		T(lcp_ack_that_does_not_match_is_discarded),
		T(lcp_echo_request_answered_in_opened),
		T(lcp_unknown_code_rejected_and_unknown_protocol),
		T(lcp_terminate_request_kills),
		T(lcp_protocol_reject_of_ipv6cp),
		T(lcp_protocol_reject_of_ipv6cp_while_negotiating),
		T(lcp_echo_keepalive_fails),
		T(lcp_echo_keepalive_answered),
		T(lcp_echo_off),
		T(pap_right_password),
		T(pap_wrong_password),
		T(pap_malformed_and_early_requests_ignored),
		T(pap_rerequest_after_success_acked_again),
		T(chap_md5_right_and_wrong),
		T(chap_stale_identifier_ignored),
		T(mschapv2_right),
		T(mschapv2_wrong),
		T(mschapv2_rfc2759_vector),
		T(auth_timeout_pap),
		T(auth_timeout_chap_retransmits_then_gives_up),
		T(auth_no_timeout_while_backend_thinks),
		T(proxy_auth_pap),
		T(proxy_auth_chap),
		T(proxy_auth_wrong),
		T(proxy_auth_not_usable_falls_back),
		T(ipcp_request_carries_local_address),
		T(ipcp_peer_address_naked_until_right),
		T(ipcp_missing_address_naked),
		T(ipcp_dns_naked_then_acked),
		T(ipcp_dns_rejected_without_config),
		T(ipcp_vj_and_unknown_rejected),
		T(ipcp_up_hands_session_to_workers),
		T(ipcp_ignored_before_network_phase),
		T(ipcp_fixed_address),
		T(ipcp_pool_exhausted_and_released),
		T(ipcp_address_in_use_refused),
		T(ipv6cp_zero_ifid_naked),
		T(ipv6cp_framed_interface_id),
		T(ipv6cp_equal_ifid_naked),
		T(ipv6cp_distinct_ifid_acked),
		T(ipv6cp_absent_ifid_naked),
		T(ipv6cp_nak_of_ours),
		T(ipv6cp_reject_of_ifid_closes_it),
		T(ipv6cp_disabled_is_protocol_rejected),
		T(proxy_lcp_accepted),
		T(proxy_lcp_and_proxy_auth),
		T(proxy_lcp_renegotiated),
		T(proxy_lcp_off_or_absent),
		T(long_conf_req_discarded),
		T(ipcp_nak_fits_a_packet),
		T(code_reject_keeps_outstanding_request),
		T(mschapv2_domain_stripped),
		T(fixed_address_with_ipv6_pool),
	};

	if (getenv("LNS_TEST_FILTER")) /* one test, e.g. LNS_TEST_FILTER=known_bug_ipcp* */
		cmocka_set_test_filter(getenv("LNS_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
