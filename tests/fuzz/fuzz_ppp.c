/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for PPP termination: LCP, PAP, CHAP-MD5, MS-CHAPv2, IPCP,
 * IPv6CP, IPv6 on the link (Router/Neighbor Solicitations, echo) and proxy
 * LCP/authentication (cp/ppp_lcp.c, ppp_auth.c, ppp_ncp.c, ppp_v6.c,
 * dhcp6*.c, ppp_fsm.c, auth.c, chap.c, pool.c) through the unit tests' harness
 * (tests/unit/ppp_harness.c), one session per input. Any crash, leak or UBSan
 * report is a bug; so is a frame we send whose Length field is not its
 * length, or an address or prefix not back in its pool once the session is
 * freed.
 * Seeds in tests/fuzz/corpus/ppp/.
 *
 *  Input:
 *  +--------+- - - - - - - - - - - - - - - - - - - - - -+- - - - - - - -
 *  | setup  | proxy AVPs, when setup asks for them      | events ...
 *  +--------+- - - - - - - - - - - - - - - - - - - - - -+- - - - - - - -
 *  setup: bits 0-1 ppp.auth ([pap], [chap-md5], [mschapv2], all three),
 *         bit 2 ppp.dns set, bit 3 ppp.ipv6, bits 4-5 where the session
 *         starts (0 LCP Req-Sent, 1 LCP Opened, 2 authenticated as alice,
 *         3 from proxy LCP), bit 6 proxy authentication AVPs present, bit 7
 *         no LCP echo.
 *  proxy LCP (start 3): u8 length + Last Sent LCP CONFREQ options, u8 length +
 *         Last Received LCP CONFREQ options.
 *  proxy authentication (bit 6): u8 type, u8 ID, then u8 length + bytes for
 *         the name, the challenge and the response.
 *  events, each an opcode octet (low 3 bits) and its operands:
 *    0-3  a frame from the peer: u16 big-endian length, the frame (with or
 *         without ff 03, protocol compressed or not)
 *    4    the authentication backend answers (lns_auth_poll)
 *    5    u8 n: the clock moves n * 100 ms and the session's timer runs
 *    6    u8 which: the peer acknowledges our last Configure-Request of LCP,
 *         IPCP or IPv6CP (which % 3)
 *    7    u8 how: the peer answers our last challenge (or sends a PAP
 *         request) as alice, with her password when how is even
 *
 * Frames are cut at FUZZ_PPP_MAX_FRAME octets (environment; default 1466, the
 * largest PPP frame an access port of MTU 1500 brings: 1500 less IPv4, UDP and
 * the shortest L2TP header). Larger ones reach PPP when the access MTU is
 * larger (a default mbuf holds 2048 octets) and currently overflow the
 * Configure-Reply buffers (the known_bug_* tests of tests/unit/test_ppp_options.c);
 * raise it once those are fixed. FUZZ_PPP_TRACE=1 prints where each input left
 * the session, with the PPP code's log.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_log.h>

#include "cp/chap.h"
#include "tests/unit/ppp_harness.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_EVENTS 1024

static size_t max_frame = 1466;
static bool trace; /* FUZZ_PPP_TRACE: where each input left the session, on stderr */
static struct lns_config *cfgs[256]; /* by setup octet, parsed once */

static const char *const auths[] = {
	"  auth: [pap]\n",
	"  auth: [chap-md5]\n",
	"  auth: [mschapv2]\n",
	"  auth: [mschapv2, chap-md5, pap]\n",
};

static struct lns_config *build_cfg(uint8_t setup)
{
	char y[2048], err[256];
	struct lns_config *cfg;

	snprintf(y, sizeof(y),
		 "ports:\n"
		 "  - name: access0\n"
		 "    device: net_null0\n"
		 "    role: access\n"
		 "    addresses: [\"192.0.2.1/24\", \"2001:db8:1::1/64\"]\n"
		 "  - name: core0\n"
		 "    device: net_null1\n"
		 "    role: core\n"
		 "    addresses: [\"198.51.100.1/24\", \"2001:db8:2::1/64\"]\n"
		 "pools:\n"
		 "  - name: small\n"
		 "    ranges: [\"100.64.0.10-100.64.0.11\"]\n"
		 "  - name: links\n"
		 "    ranges: [\"2001:db8:100::/63\"]\n"
		 "  - name: pd\n"
		 "    ranges: [\"2001:db8:200::/55\"]\n"
		 "    prefix-length: 56\n"
		 "users:\n"
		 "  - name: alice\n"
		 "    password: alice-pw\n"
		 "  - name: bob\n"
		 "    password: bob-pw\n"
		 "    address: 100.64.9.9\n"
		 "ppp:\n"
		 "  pd-pool: pd\n"
		 "%s%s%s%s"
		 "  restart-ms: 1000\n"
		 "  max-configure: 4\n",
		 auths[setup & 3], setup & 4 ? "  dns: [\"192.0.2.53\", \"198.51.100.53\"]\n" : "",
		 setup & 8 ? "" : "  ipv6: false\n",
		 setup & 0x80 ? "  lcp-echo-interval: 0\n"
			      : "  lcp-echo-interval: 2\n  lcp-echo-failures: 2\n");
	cfg = lns_config_parse("fuzz_ppp.yaml", y, strlen(y), err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "fuzz_ppp: %s\n", err);
		abort();
	}
	return cfg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *m = getenv("FUZZ_PPP_MAX_FRAME");

	(void)argc;
	(void)argv;
	if (m && atoi(m) > 0)
		max_frame = (size_t)atoi(m);
	trace = getenv("FUZZ_PPP_TRACE") != NULL;
	/* the PPP code logs every session's fate */
	h_log_level = trace ? RTE_LOG_DEBUG : RTE_LOG_EMERG;
	for (unsigned i = 0; i < 256; i++)
		cfgs[i] = build_cfg((uint8_t)i);
	return 0;
}

/* Every frame we send: a whole packet whose Length is its length; IPv6 (cp/ppp_v6.c): an
 * ICMPv6 message, or a DHCPv6 answer (cp/dhcp6.c: UDP 547 to 546, its length the payload's),
 * whose payload length is its length, from a link-local address or one of the ports' (echo
 * replies, Port Unreachable), checksum right (the sum over pseudo-header and message is all
 * ones); IPv4 (cp/ppp_input.c, echo replies): a header whose checksum and total length are
 * right. */
static void check_sent(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)p;
	check(len <= PPP_MAX_PKT);
	if (proto == PPP_IPV6) {
		static const uint8_t acc6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};
		static const uint8_t core6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1};
		union {
			struct rte_ipv6_hdr ip;
			uint8_t b[PPP_MAX_PKT];
		} u;

		check(len >= sizeof(u.ip) + 8);
		memcpy(u.b, pkt, len);
		check(sizeof(u.ip) + rte_be_to_cpu_16(u.ip.payload_len) == len);
		check(u.ip.proto == IPPROTO_ICMPV6 || u.ip.proto == IPPROTO_UDP);
		check((u.ip.src_addr[0] == 0xfe && u.ip.src_addr[1] == 0x80) ||
		      memcmp(u.ip.src_addr, acc6, 16) == 0 ||
		      memcmp(u.ip.src_addr, core6, 16) == 0);
		check(rte_ipv6_udptcp_cksum_verify(&u.ip, u.b + sizeof(u.ip)) == 0);
		if (u.ip.proto == IPPROTO_UDP) {
			const uint8_t *udp = u.b + sizeof(u.ip);

			check((udp[0] << 8 | udp[1]) == 547 && (udp[2] << 8 | udp[3]) == 546);
			check((size_t)(udp[4] << 8 | udp[5]) == len - sizeof(u.ip));
		}
		return;
	}
	if (proto == PPP_IP) {
		size_t ihl = len ? (pkt[0] & 0x0fu) * 4u : 0;

		check(len >= 20 && ihl >= 20 && ihl <= len);
		check(((size_t)pkt[2] << 8 | pkt[3]) == len);
		check(rte_raw_cksum(pkt, ihl) == 0xffff);
		return;
	}
	check(len >= 4);
	check(((size_t)pkt[2] << 8 | pkt[3]) == len);
	check(proto == PPP_LCP || proto == PPP_PAP || proto == PPP_CHAP || proto == PPP_IPCP ||
	      proto == PPP_IPV6CP);
}

struct in {
	const uint8_t *d;
	size_t n;
};

static int get8(struct in *in, uint8_t *v)
{
	if (in->n < 1)
		return -1;
	*v = in->d[0];
	in->d++;
	in->n--;
	return 0;
}

/* u8 length then that many octets (fewer at the end of the input). */
static void get_blob(struct in *in, const uint8_t **p, size_t *len)
{
	uint8_t l = 0;

	get8(in, &l);
	*len = l < in->n ? l : in->n;
	*p = in->d;
	in->d += *len;
	in->n -= *len;
}

/* cp/ppp.c's ppp_timer, without the teardown. */
static void run_timer(struct ppp_session *p)
{
	uint64_t now = h_now_ms;

	ppp_fsm_timeout(&p->lcp, now);
	ppp_fsm_timeout(&p->ipcp, now);
	ppp_fsm_timeout(&p->ipv6cp, now);
	ppp_lcp_echo_tick(p, now);
	ppp_auth_tick(p, now);
}

/* Our latest Configure-Request of proto, acknowledged. */
static void ack_ours(struct h_env *e, struct ppp_session *p, uint16_t proto)
{
	for (unsigned i = e->n_frames; i-- > 0;) {
		const struct h_frame *f = &e->frames[(e->first + i) % H_MAX_FRAMES];
		uint8_t pkt[PPP_MAX_PKT];

		if (f->proto != proto || f->len < 4 || f->data[0] != PPP_CONF_REQ)
			continue;
		memcpy(pkt, f->data + 4, f->len - 4);
		h_pkt(p, proto, PPP_CONF_ACK, f->data[1], pkt, f->len - 4);
		return;
	}
}

/* The peer's answer to our last challenge, or a PAP request, as alice. */
static void answer(struct h_env *e, struct ppp_session *p, bool right)
{
	const char *pw = right ? "alice-pw" : "wrong";
	uint8_t b[1 + 49 + 5];

	if (p->auth == AUTH_PAP) {
		b[0] = 5;
		memcpy(b + 1, "alice", 5);
		b[6] = (uint8_t)strlen(pw);
		memcpy(b + 7, pw, strlen(pw));
		h_pkt(p, PPP_PAP, 1, 0x11, b, 7 + strlen(pw));
		return;
	}
	for (unsigned i = e->n_frames; i-- > 0;) {
		const struct h_frame *f = &e->frames[(e->first + i) % H_MAX_FRAMES];
		uint8_t chal[16], id;

		if (f->proto != PPP_CHAP || f->len < 21 || f->data[0] != 1 || f->data[4] != 16)
			continue;
		id = f->data[1];
		memcpy(chal, f->data + 5, 16);
		if (p->auth == AUTH_CHAP_MD5) {
			b[0] = 16;
			chap_md5_response(id, pw, strlen(pw), chal, 16, b + 1);
			memcpy(b + 17, "alice", 5);
			h_pkt(p, PPP_CHAP, 2, id, b, 22);
		} else {
			memset(b, 0, sizeof(b));
			b[0] = 49;
			memset(b + 1, 0x5a, 16);
			mschapv2_nt_response(chal, b + 1, "alice", 5, pw, strlen(pw), b + 25);
			memcpy(b + 50, "alice", 5);
			h_pkt(p, PPP_CHAP, 2, id, b, 55);
		}
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	struct h_env *e;
	struct l2tp_session *ls;
	struct ppp_session *p;
	uint8_t setup, start;
	unsigned events = 0;

	if (get8(&in, &setup) < 0)
		return 0;
	start = (setup >> 4) & 3;
	h_now_ms = 1000000;
	e = h_env_new_cfg(cfgs[setup]);
	check(e != NULL);
	h_send_hook = check_sent;
	ls = h_l2tp_session_new(e);
	check(ls != NULL);
	if (start == 3) {
		const uint8_t *b;
		size_t n;

		get_blob(&in, &b, &n);
		h_blob_set(&ls->lcp_last_tx, b, n);
		get_blob(&in, &b, &n);
		h_blob_set(&ls->lcp_initial_rx, b, n);
		h_blob_set(&ls->lcp_last_rx, b, n);
	}
	if (setup & 0x40) {
		uint8_t type = 0, id = 0;
		const uint8_t *b;
		size_t n;

		get8(&in, &type);
		get8(&in, &id);
		ls->proxy_auth_type = type;
		ls->proxy_auth_id = id;
		get_blob(&in, &b, &n);
		/* Allocated and NUL-terminated, at most 63 characters: the codec's promise
		 * (cp/l2tp_session.c l2tp_dup_str); h_ppp_free frees it. */
		n = n < 63 ? n : 63;
		ls->proxy_auth_name = malloc(n + 1);
		check(ls->proxy_auth_name != NULL);
		if (n)
			memcpy(ls->proxy_auth_name, b, n);
		ls->proxy_auth_name[n] = '\0';
		get_blob(&in, &b, &n);
		h_blob_set(&ls->proxy_auth_chal, b, n);
		get_blob(&in, &b, &n);
		h_blob_set(&ls->proxy_auth_resp, b, n);
	}
	p = h_ppp_start(e, ls);
	check(p != NULL);
	if (start == 1 || start == 2)
		check(h_lcp_open(p, 0x5eed1234) == 0);
	if (start == 2 && h_authenticate(p, "alice", "alice-pw") < 0)
		check(setup & 0x40); /* only proxy AVPs from the input may get in the way */

	while (in.n > 0 && !p->dying && events++ < MAX_EVENTS) {
		uint8_t op = 0, v = 0;

		get8(&in, &op);
		switch (op & 7) {
		case 4:
			h_poll(e);
			break;
		case 5:
			get8(&in, &v);
			h_now_ms += (uint64_t)v * 100;
			run_timer(p);
			break;
		case 6:
			get8(&in, &v);
			ack_ours(e, p, v % 3 == 0 ? PPP_LCP : v % 3 == 1 ? PPP_IPCP : PPP_IPV6CP);
			break;
		case 7:
			get8(&in, &v);
			answer(e, p, (v & 1) == 0);
			break;
		default: {
			uint8_t hi = 0, lo = 0;
			size_t len;
			uint8_t *f;

			get8(&in, &hi);
			get8(&in, &lo);
			len = (size_t)hi << 8 | lo;
			if (len > in.n)
				len = in.n;
			/* its own allocation, cut to what a port delivers: ASan sees overreads */
			f = malloc(len > max_frame ? max_frame : len ? len : 1);
			check(f != NULL);
			memcpy(f, in.d, len > max_frame ? max_frame : len);
			in.d += len;
			in.n -= len;
			h_input(p, f, len > max_frame ? max_frame : len);
			free(f);
		}
		}
		/* What we hold about the subscriber agrees with itself. */
		check(!p->has_ip || p->peer_ip.s_addr != 0);
		check(!p->ls->forwarding || p->has_ip);
		check(p->phase != PPP_PHASE_NETWORK || p->authenticated);
	}
	if (trace)
		fprintf(stderr,
			"fuzz_ppp: %u events, phase %s, LCP %s, IPCP %s, IPv6CP %s, %s, %s%s, "
			"%" PRIu64 " frames sent\n",
			events, ppp_phase_name(p->phase), ppp_state_name(p->lcp.state),
			ppp_state_name(p->ipcp.state), ppp_state_name(p->ipv6cp.state),
			p->authenticated ? "authenticated" : "not authenticated",
			p->dying ? "killed: " : "alive", p->dying ? p->why : "", e->sent);
	/* The backend may answer a session that is gone; the answer must be dropped. */
	h_ppp_free(p);
	h_poll(e);
	for (size_t i = 0; i < e->cfg->n_pools; i++)
		check(e->cp->pools[i].in_use == 0);
	check(e->n_claims == 0);
	check(!lns_auth_busy(&e->cp->auth));
	h_send_hook = NULL;
	h_env_free(e);
	return 0;
}
