/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session churn under traffic (issue 6): real worker lcores (dp/worker.c
 * lns_worker_main) forward while the main thread, playing the control lcore
 * and the only writer, adds and removes sessions as lnsd does, for a bounded
 * time. Everything runs on lnsd's own runtime (app/runtime.c) with two
 * net_ring ports, as tests/packet/test_worker.c; EAL gets three lcores that
 * float over at most two CPUs, so the workers are oversubscribed and are
 * preempted anywhere, between a lookup and its use included.
 *
 * A fixed set of subscriber positions; each life of a position is a
 * generation with its own L2TP IDs (ours: the position's tunnel and a new
 * session ID; the LAC's: the generation's number) and, for every other
 * position, a framed route. A generation goes through lnsd's steps
 * (cp/l2tp_session.c, cp/ppp_fwd.c): slot and punt-mode entry, forwarding
 * entry and routes, routes gone and punt mode again, withdrawn and slot
 * freed; some skip steps. Between steps the main thread feeds downstream
 * packets to every subscriber and framed address and upstream L2TP data for
 * the IDs of every live and every just-withdrawn generation, drains what the
 * workers send and punt, and reclaims (cp/control.c). Now and then every
 * session flaps several times over at once. The first half of the run the
 * workers poll without pause, the second they sleep when idle (lnsd's default),
 * going offline and online.
 *
 * One clock orders feeding, table changes and draining. The main thread does
 * all three, and the RX ring orders its table writes before the packets it
 * feeds after them: a packet fed at tick s and drained at tick d was looked up
 * between them, so it may leave through a generation only if that generation
 * was in the right state at some point in (s, d). A packet fed after a
 * session's removal returned must never use it. Checked on every packet:
 *  - a downstream packet goes into the tunnel of the generation of its own
 *    subscriber (IDs, UDP port), forwarding then; an upstream packet leaves
 *    decapsulated only for a forwarding generation, is punted only for one in
 *    punt mode; nothing else comes out;
 *  - the generation's slot counters (lns_sess_ctr_sum) never go backwards
 *    and never lag a packet already seen.
 * And session.h's promises, on every slot reuse and every new entry: a grace
 * period of rt->qsbr has passed since the slot was released or since the
 * entry whose memory the new one has was replaced or withdrawn.
 * At the end, with everything withdrawn and the workers stopped: every fed
 * packet is accounted for by an output or its drop counter, each generation's
 * counters equal exactly what it sent, the session table, its slots and the
 * FIB are empty, the DPDK heap is back to what it was before the first session
 * and the mempool holds every mbuf (ASan's leak check covers the process heap).
 *
 * Needs root (EAL, --no-huge). LNS_CHURN_SECONDS sets the duration (default 3).
 */
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "dp/fib.h"

#include "harness.h"

#define N_WORKERS 2
#define NQ        (N_WORKERS + 1) /* queues per port: the workers' and the control lcore's */
#define RING_SIZE 4096            /* more than the pool: a TX ring or the punt ring never fills */

#define N_POS       64         /* subscriber positions */
#define GENS_PER_S  (1u << 17) /* generations logged per second of run; when full, churn stops */
#define CHURN_STEPS 4          /* table changes between two feeding rounds */
#define FLAP_EVERY  1000       /* rounds between two flaps of every session */
#define FLAP_TIMES  4          /* each flap: every session torn down and back, this often */

static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 2047\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 4096\n"
			       /* packets for withdrawn sessions are counted drops here, not
				* Destination Unreachables (tests/packet/test_unreach.c) */
			       "  icmp-unreachable: false\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_churn_acc\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_churn_core\"\n"
			       "    role: core\n"
			       "    mac: \"02:00:00:00:00:02\"\n"
			       "    addresses: [\"198.51.100.1/24\"]\n"
			       "routes:\n"
			       "  - prefix: 203.0.113.0/24\n"
			       "    via: 198.51.100.254\n"
			       "  - prefix: 10.0.0.0/8\n"
			       "    via: 192.0.2.254\n"
			       "l2tp:\n"
			       "  max-sessions: 256\n"
			       "  allow-unknown-peers: true\n"
			       "pools:\n"
			       "  - name: default\n"
			       "    ranges: [\"100.64.0.0/10\"]\n";

static const struct pkt_opts opts = {
	.name = "test_churn",
	.yaml = cfg_yaml,
	.n_workers = N_WORKERS,
	.nq = NQ,
	.ring_size = RING_SIZE,
	.rcu_main = false, /* the workers register themselves */
};

/* Addresses, host order (and harness.h's). No default route: a subscriber without a session
 * has no route. */
#define LAC_PORT_BASE LAC_PORT /* the LAC's UDP port for position j: base + j */
#define FRAMED_PLEN   28

/*
 * Position j's address: the first half share 100.64.0.0/24 (one rte_lpm
 * tbl8 group that stays), the others have a /24 each, as does each framed
 * /28 (groups allocated and given back through the FIB's RCU defer queue).
 */
static uint32_t sub_addr(unsigned j)
{
	return j < N_POS / 2 ? 0x64400000u | (j + 1) : 0x64420000u | j << 8 | 1;
}

static bool has_framed(unsigned j)
{
	return j % 2 == 0;
}

static uint32_t framed_prefix(unsigned j)
{
	return 0x64410000u | j << 8 | 0x10; /* 100.65.j.16/28 */
}

/* What every inner packet carries after its IPv4 and UDP headers. */
#define TAG_MAGIC 0x43487552u
enum { TAG_DOWN_SUB = 1, TAG_DOWN_FRAMED, TAG_UP };
struct tag {
	uint32_t magic;
	uint32_t gid;  /* upstream: the generation whose IDs the L2TP header carries */
	uint64_t seq;  /* the clock when it was fed */
	uint16_t pos;  /* the subscriber it is from or for */
	uint16_t kind; /* TAG_* */
};

#define INNER_LEN  64                   /* inner IPv4 packet: IPv4, UDP, tag, padding */
#define TAG_OFF    28                   /* in the inner packet */
#define L2TP_HLEN  10                   /* 00 02 tid sid ff 03 00 21 */
#define TUNNEL_HDR (20 + 8 + L2TP_HLEN) /* outer IPv4, UDP, L2TP and PPP */
#define DOWN_IN    (14 + INNER_LEN)     /* a downstream frame as fed, and as sent to the core */
#define UP_IN      (14 + TUNNEL_HDR + INNER_LEN) /* an upstream frame, and a downstream one sent */

/* ------------------------------------------------------- generations */

enum pos_state { ST_NONE, ST_PUNT_NEW, ST_FWD, ST_PUNT_DOWN };

/*
 * One generation: its IDs and slot, and the clock ticks that bound each state
 * ("before" ticks taken before the table change, "after" ticks after it).
 * An interval [a, b] admits a packet fed at s and drained at d iff a < d and
 * s < b. UINT64_MAX: not (yet) happened.
 */
struct gen {
	uint16_t pos, tid, sid;
	uint32_t slot;
	uint64_t t_new;       /* before the punt-mode entry was first published */
	uint64_t t_punt1_end; /* after the forwarding entry replaced it, or after withdrawal */
	uint64_t t_fwd;       /* before the forwarding entry was published */
	uint64_t t_fwd_end;   /* after routes and forwarding entry were gone */
	uint64_t t_punt2;     /* before the punt-mode entry came back */
	uint64_t t_end;       /* after withdrawal */
	bool sub_route, framed_route; /* FIB routes installed now */
	bool ended;                   /* its slot has another generation or is free */
	uint64_t free_token;          /* rt->qsbr's token when its slot was released */
	uint64_t n_up, n_down;        /* packets seen out of it */
	struct lns_sess_ctr base, last, final;
};

struct pos {
	enum pos_state state;
	uint32_t gid, dead_gid; /* the live generation, the last withdrawn one (0: none) */
	uint16_t next_sid;
	uint8_t down_tpl[2][DOWN_IN]; /* to the subscriber's address, into its framed route */
	uint8_t up_tpl[UP_IN];
};

struct stats {
	uint64_t gens, reuse, reuse_other, refused_slot, refused_hash, refused_fib, changes;
	uint64_t rounds, flaps, fed_down, fed_up, out_down, out_up, punted, late, violations;
};

/* The run's state beside the harness's E. */
struct churn {
	bool running;
	struct pos pos[N_POS];
	struct gen *gens; /* max_gens, gid 0 unused */
	uint32_t max_gens;
	uint32_t n_gens;
	uint32_t *slot_gid; /* per slot: its last generation (0: never used) */
	uint64_t clock;
	unsigned rxq_next[2];
	size_t heap_base;
	struct stats st;
};

static struct churn C;
static unsigned n_cpus; /* the CPUs all lcores float over */

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
	va_list ap;

	if (C.st.violations++ >= 10)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "VIOLATION: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static bool in_interval(uint64_t a, uint64_t b, uint64_t s, uint64_t d)
{
	return a < d && s < b;
}

/* ---------------------------------------------------------------- set-up */

static void tagged_ip(uint8_t *b, uint32_t src, uint32_t dst, unsigned pos, unsigned kind)
{
	struct rte_ipv4_hdr ip = {0};
	struct rte_udp_hdr udp = {0};
	struct tag t = {.magic = TAG_MAGIC, .pos = (uint16_t)pos, .kind = (uint16_t)kind};

	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.total_length = RTE_BE16(INNER_LEN);
	ip.time_to_live = 64;
	ip.next_proto_id = IPPROTO_UDP;
	ip.src_addr = rte_cpu_to_be_32(src);
	ip.dst_addr = rte_cpu_to_be_32(dst);
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	udp.src_port = RTE_BE16(5000);
	udp.dst_port = RTE_BE16(6000);
	udp.dgram_len = RTE_BE16(INNER_LEN - 20);
	memset(b, 0xa5, INNER_LEN);
	memcpy(b, &ip, sizeof(ip));
	memcpy(b + 20, &udp, sizeof(udp));
	memcpy(b + TAG_OFF, &t, sizeof(t));
}

static void eth(uint8_t *b, const struct rte_ether_addr *dst, const struct rte_ether_addr *src)
{
	struct rte_ether_hdr h = {
		.dst_addr = *dst, .src_addr = *src, .ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4)};

	memcpy(b, &h, sizeof(h));
}

/* Each position's frames, built once; feeding patches the tag and the L2TP IDs. */
static void templates(unsigned j)
{
	struct pos *p = &C.pos[j];
	struct rte_ipv4_hdr ip = {0};
	struct rte_udp_hdr udp = {0};
	const uint8_t l2tp[L2TP_HLEN] = {0x00, 0x02, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0x21};

	eth(p->down_tpl[0], &E.rt->ports[CORE].mac, &core_gw_mac);
	tagged_ip(p->down_tpl[0] + 14, NET_IP, sub_addr(j), j, TAG_DOWN_SUB);
	eth(p->down_tpl[1], &E.rt->ports[CORE].mac, &core_gw_mac);
	tagged_ip(p->down_tpl[1] + 14, NET_IP, framed_prefix(j) | 4, j, TAG_DOWN_FRAMED);

	eth(p->up_tpl, &E.rt->ports[ACC].mac, &acc_gw_mac);
	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.total_length = RTE_BE16(TUNNEL_HDR + INNER_LEN);
	ip.time_to_live = 60;
	ip.next_proto_id = IPPROTO_UDP;
	ip.src_addr = rte_cpu_to_be_32(LAC_IP);
	ip.dst_addr = rte_cpu_to_be_32(LNS_ACC_IP);
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(p->up_tpl + 14, &ip, sizeof(ip));
	udp.src_port = rte_cpu_to_be_16((uint16_t)(LAC_PORT_BASE + j));
	udp.dst_port = RTE_BE16(1701);
	udp.dgram_len = RTE_BE16(8 + L2TP_HLEN + INNER_LEN);
	memcpy(p->up_tpl + 34, &udp, sizeof(udp));
	memcpy(p->up_tpl + 42, l2tp, sizeof(l2tp));
	tagged_ip(p->up_tpl + 42 + L2TP_HLEN, sub_addr(j), NET_IP, j, TAG_UP);
}

static double run_seconds(void)
{
	const char *s = getenv("LNS_CHURN_SECONDS");
	double v = s ? atof(s) : 3.0;

	return v > 0 ? v : 3.0;
}

static int setup(void **state)
{
	(void)state;
	if (pkt_setup(&opts) < 0 || pkt_neigh4(ACC, ACC_GW, &acc_gw_mac) < 0 ||
	    pkt_neigh4(CORE, CORE_GW, &core_gw_mac) < 0)
		return -1;
	C.max_gens = (uint32_t)RTE_MIN(run_seconds() * GENS_PER_S + GENS_PER_S, 1u << 24);
	C.gens = calloc(C.max_gens, sizeof(*C.gens));
	C.slot_gid = calloc(E.rt->n_slots, sizeof(*C.slot_gid));
	if (C.gens == NULL || C.slot_gid == NULL)
		return -1;
	C.n_gens = 1;
	for (unsigned j = 0; j < N_POS; j++)
		templates(j);
	return 0;
}

/* Each worker on its lcore, as lnsd starts them. */
static void workers_start(void)
{
	struct lns_runtime *rt = E.rt;

	rt->stop = false;
	for (unsigned w = 0; w < rt->n_workers; w++) {
		assert_int_equal(rte_eal_remote_launch(lns_worker_main, &rt->workers[w],
						       rt->workers[w].lcore),
				 0);
		C.running = true;
	}
}

static void workers_stop(void)
{
	if (!C.running)
		return;
	E.rt->stop = true;
	rte_eal_mp_wait_lcore();
	C.running = false;
}

static int teardown(void **state)
{
	(void)state;
	if (E.rt)
		workers_stop(); /* after a failed assertion they still run */
	pkt_teardown();
	free(C.gens);
	free(C.slot_gid);
	memset(&C, 0, sizeof(C));
	return 0;
}

/* ------------------------------------------------------ the control side */

/* cp/ppp_fwd.c publish(): the generation's entry in MODE. */
static int publish_gen(const struct gen *g, uint32_t gid, enum lns_sess_mode mode)
{
	struct lns_dp_session s =
		pkt_session(g->tid, g->sid, (uint16_t)(0x8000 | gid >> 16), (uint16_t)gid);

	s.peer_port = (uint16_t)(LAC_PORT_BASE + g->pos);
	s.mode = (uint8_t)mode;
	s.sub_ip = rte_cpu_to_be_32(sub_addr(g->pos));
	s.slot = g->slot;
	s.mtu = 1460;
	/* An entry lives in its slot (dp/session.h): its memory is another session's only
	 * after the slot's grace period, which gen_new() checks. */
	return lns_session_publish(E.rt->sessions, &s);
}

/* A new generation at position j: a slot and the punt-mode entry (cp/l2tp_session.c). */
static void gen_new(unsigned j)
{
	struct pos *p = &C.pos[j];
	struct gen *g;
	uint32_t slot, gid, prev;
	uint16_t sid;
	int ret;

	if (C.n_gens == C.max_gens)
		return;
	/* Position j is tunnel 1 + j; its session ID names the slot (dp/session.h). */
	slot = lns_session_slot_alloc(E.rt->sessions, (uint16_t)(1 + j), p->next_sid, &sid);
	if (slot == LNS_SESSION_SLOT_NONE) {
		C.st.refused_slot++; /* every free slot still waits for its grace period */
		return;
	}
	gid = C.n_gens++;
	g = &C.gens[gid];
	*g = (struct gen){
		.pos = (uint16_t)j,
		.tid = (uint16_t)(1 + j),
		.sid = sid,
		.slot = slot,
		.t_punt1_end = UINT64_MAX,
		.t_fwd = UINT64_MAX,
		.t_fwd_end = UINT64_MAX,
		.t_punt2 = UINT64_MAX,
		.t_end = UINT64_MAX,
	};
	p->next_sid = (uint16_t)(sid + 1); /* past the window's end: from its start */
	/* The slot's last generation is over: what its counters hold now is final. */
	prev = C.slot_gid[slot];
	g->base = ctr(slot);
	if (prev) {
		/* session.h: a released slot comes back only after a grace period. */
		if (rte_rcu_qsbr_check(E.rt->qsbr, C.gens[prev].free_token, false) != 1)
			violation("slot %u handed out again before a grace period since generation "
				  "%u released it",
				  slot, prev);
		C.gens[prev].final = g->base;
		C.gens[prev].ended = true;
		C.st.reuse++;
		C.st.reuse_other += C.gens[prev].pos != j;
	}
	g->last = g->base;
	C.slot_gid[slot] = gid;
	g->t_new = ++C.clock;
	ret = publish_gen(g, gid, LNS_SESS_PUNT);
	if (ret == -ENOSPC) {
		/* Every key of the hash waits for a grace period: lnsd refuses the session. */
		C.st.refused_hash++;
		g->free_token = rte_rcu_qsbr_start(E.rt->qsbr);
		lns_session_slot_free(E.rt->sessions, slot);
		g->t_punt1_end = g->t_end = ++C.clock;
		return;
	}
	if (ret != 0)
		fail_msg("publish of session %u/%u: %d", g->tid, g->sid, ret);
	p->gid = gid;
	p->state = ST_PUNT_NEW;
	C.st.gens++;
	C.st.changes++;
}

static void routes_del(struct gen *g)
{
	if (g->framed_route)
		assert_int_equal(lns_fib_del_route(E.rt->fib,
						   rte_cpu_to_be_32(framed_prefix(g->pos)),
						   FRAMED_PLEN),
				 0);
	if (g->sub_route)
		assert_int_equal(lns_fib_del_session(E.rt->fib, rte_cpu_to_be_32(sub_addr(g->pos))),
				 0);
	g->framed_route = g->sub_route = false;
}

/* PPP down (cp/ppp_fwd.c ppp_fwd_down): routes gone, the entry back in punt mode. */
static void gen_down(unsigned j)
{
	struct pos *p = &C.pos[j];
	struct gen *g = &C.gens[p->gid];

	routes_del(g);
	g->t_punt2 = ++C.clock;
	assert_int_equal(publish_gen(g, p->gid, LNS_SESS_PUNT), 0);
	g->t_fwd_end = ++C.clock;
	p->state = ST_PUNT_DOWN;
	C.st.changes++;
}

/* The session goes (cp/l2tp_session.c): withdrawn, its slot freed; from any state. */
static void gen_end(unsigned j)
{
	struct pos *p = &C.pos[j];
	struct gen *g = &C.gens[p->gid];
	int ret;

	routes_del(g);
	ret = lns_session_withdraw(E.rt->sessions, g->tid, g->sid);
	if (ret != 0)
		fail_msg("withdraw of session %u/%u (generation %u): %d", g->tid, g->sid, p->gid,
			 ret);
	g->free_token = rte_rcu_qsbr_start(E.rt->qsbr);
	lns_session_slot_free(E.rt->sessions, g->slot);
	g->t_end = ++C.clock;
	if (p->state == ST_FWD)
		g->t_fwd_end = g->t_end;
	if (p->state == ST_PUNT_NEW)
		g->t_punt1_end = g->t_end;
	p->dead_gid = p->gid;
	p->gid = 0;
	p->state = ST_NONE;
	C.st.changes++;
}

/* PPP up (cp/ppp_fwd.c ppp_fwd_up): the forwarding entry, its /32, its framed route. */
static void gen_forward(unsigned j)
{
	struct pos *p = &C.pos[j];
	struct gen *g = &C.gens[p->gid];
	int ret;

	g->t_fwd = ++C.clock;
	assert_int_equal(publish_gen(g, p->gid, LNS_SESS_FORWARD), 0);
	g->t_punt1_end = ++C.clock;
	p->state = ST_FWD;
	C.st.changes++;
	ret = lns_fib_add_session(E.rt->fib, rte_cpu_to_be_32(sub_addr(j)), g->slot);
	g->sub_route = ret == 0;
	if (ret == 0 && has_framed(j)) {
		ret = lns_fib_add_session_route(E.rt->fib, rte_cpu_to_be_32(framed_prefix(j)),
						FRAMED_PLEN, g->slot);
		g->framed_route = ret == 0;
	}
	if (ret == -ENOSPC) {
		/* rte_lpm's tbl8 groups all wait for a grace period: lnsd kills the session. */
		C.st.refused_fib++;
		gen_down(j);
		gen_end(j);
		return;
	}
	if (ret != 0)
		fail_msg("FIB add for position %u: %d", j, ret);
}

static void churn_step(void)
{
	unsigned j = (unsigned)rte_rand_max(N_POS);

	switch (C.pos[j].state) {
	case ST_NONE:
		gen_new(j);
		break;
	case ST_PUNT_NEW: /* now and then PPP never comes up */
		if (rte_rand_max(8) == 0)
			gen_end(j);
		else
			gen_forward(j);
		break;
	case ST_FWD: /* now and then torn down from forwarding, as by a tunnel's StopCCN */
		if (rte_rand_max(4) == 0)
			gen_end(j);
		else
			gen_down(j);
		break;
	case ST_PUNT_DOWN:
		gen_end(j);
		break;
	}
}

/*
 * Every session torn down and back up, several times over without traffic in
 * between, as when a LAC flaps: more changes than the slots, the FIB's tbl8
 * groups and the defer queue hold while a preempted worker keeps a grace
 * period open. What runs out is refused as lnsd refuses it.
 */
static void flap(void)
{
	for (unsigned r = 0; r < FLAP_TIMES; r++)
		for (unsigned j = 0; j < N_POS; j++) {
			if (C.pos[j].state == ST_FWD)
				gen_down(j);
			if (C.pos[j].state != ST_NONE)
				gen_end(j);
			gen_new(j);
			if (C.pos[j].state == ST_PUNT_NEW)
				gen_forward(j);
		}
	C.st.flaps++;
}

/* ---------------------------------------------------------------- feeding */

/* One frame from TPL into the next RX queue of PORT; false when the pool or ring is full. */
static bool feed(unsigned port, const uint8_t *tpl, uint16_t len, const struct gen *ids,
		 uint32_t gid)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(E.rt->pool);
	unsigned q = C.rxq_next[port]++ % NQ;
	uint32_t tag_off = len - INNER_LEN + TAG_OFF;
	uint8_t *b;
	struct tag t;

	if (m == NULL)
		return false;
	b = (uint8_t *)rte_pktmbuf_append(m, len);
	assert_non_null(b);
	memcpy(b, tpl, len);
	memcpy(&t, b + tag_off, sizeof(t));
	t.seq = ++C.clock;
	t.gid = gid;
	memcpy(b + tag_off, &t, sizeof(t));
	if (ids) {
		b[42 + 2] = (uint8_t)(ids->tid >> 8);
		b[42 + 3] = (uint8_t)ids->tid;
		b[42 + 4] = (uint8_t)(ids->sid >> 8);
		b[42 + 5] = (uint8_t)ids->sid;
	}
	if (rte_ring_sp_enqueue(E.rxr[port][q], m) != 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	if (ids)
		C.st.fed_up++;
	else
		C.st.fed_down++;
	return true;
}

static void drain(void);

/* FEED, waiting while the pool or ring is full: traffic, not the main loop, paces churn. */
static void feed_wait(unsigned port, const uint8_t *tpl, uint16_t len, const struct gen *ids,
		      uint32_t gid)
{
	uint64_t give_up = 0;

	while (!feed(port, tpl, len, ids, gid)) {
		if (give_up == 0)
			give_up = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
		else if (rte_get_timer_cycles() > give_up)
			fail_msg("the workers took nothing for 10 s");
		drain();
	}
}

/* Every position: downstream to its addresses; upstream on its live and its dead IDs. */
static void feed_round(void)
{
	for (unsigned j = 0; j < N_POS; j++) {
		struct pos *p = &C.pos[j];

		feed_wait(CORE, p->down_tpl[0], DOWN_IN, NULL, 0);
		if (has_framed(j))
			feed_wait(CORE, p->down_tpl[1], DOWN_IN, NULL, 0);
		if (p->gid)
			feed_wait(ACC, p->up_tpl, UP_IN, &C.gens[p->gid], p->gid);
		/* (IDs given again are the new session's, as they would be on the wire) */
		if (p->dead_gid && !(p->gid && C.gens[p->gid].sid == C.gens[p->dead_gid].sid))
			feed_wait(ACC, p->up_tpl, UP_IN, &C.gens[p->dead_gid], p->dead_gid);
	}
}

/* ---------------------------------------------------------------- checking */

/* Counters of G's slot: never backwards, never behind what was seen. */
static void check_ctr(struct gen *g, uint32_t gid)
{
	struct lns_sess_ctr c = g->ended ? g->final : ctr(g->slot);

	if (c.up_pkts < g->last.up_pkts || c.down_pkts < g->last.down_pkts ||
	    c.up_bytes < g->last.up_bytes || c.down_bytes < g->last.down_bytes)
		violation("generation %u (slot %u): counters went backwards", gid, g->slot);
	if (c.up_pkts - g->base.up_pkts < g->n_up || c.down_pkts - g->base.down_pkts < g->n_down)
		violation("generation %u (slot %u): counters %" PRIu64 " up %" PRIu64
			  " down behind the %" PRIu64 " and %" PRIu64 " packets seen",
			  gid, g->slot, c.up_pkts - g->base.up_pkts,
			  c.down_pkts - g->base.down_pkts, g->n_up, g->n_down);
	g->last = c;
}

static bool read_tag(const uint8_t *inner, struct tag *t)
{
	memcpy(t, inner + TAG_OFF, sizeof(*t));
	return t->magic == TAG_MAGIC && t->pos < N_POS;
}

static struct gen *gen_of(uint32_t gid)
{
	return gid && gid < C.n_gens ? &C.gens[gid] : NULL;
}

/* Into a tunnel: the generation named by the LAC's IDs must be this subscriber's, forwarding. */
static void check_down(const uint8_t *b, uint32_t len, uint64_t d)
{
	const uint8_t *l2tp = b + 42, *inner = l2tp + L2TP_HLEN;
	uint16_t ptid = (uint16_t)(l2tp[2] << 8 | l2tp[3]),
		 psid = (uint16_t)(l2tp[4] << 8 | l2tp[5]);
	uint32_t gid = (uint32_t)(ptid & 0x7fff) << 16 | psid;
	struct gen *g = gen_of(gid);
	struct rte_udp_hdr udp;
	struct tag t;

	memcpy(&udp, b + 34, sizeof(udp));
	if (len != UP_IN || !(ptid & 0x8000) || g == NULL || !read_tag(inner, &t) ||
	    t.kind == TAG_UP || memcmp(b, &acc_gw_mac, 6) != 0) {
		violation("unexpected frame of %u octets on the access port", len);
		return;
	}
	if (t.pos != g->pos || (t.kind == TAG_DOWN_FRAMED && !has_framed(g->pos)) ||
	    rte_be_to_cpu_16(udp.dst_port) != LAC_PORT_BASE + g->pos) {
		violation("a packet for subscriber %u went into generation %u of subscriber %u "
			  "(UDP port %u)",
			  t.pos, gid, g->pos, rte_be_to_cpu_16(udp.dst_port));
		return;
	}
	if (!in_interval(g->t_fwd, g->t_fwd_end, t.seq, d)) {
		violation("a packet fed at %" PRIu64 " went into generation %u of subscriber %u, "
			  "forwarding only in (%" PRIu64 ", %" PRIu64 ")",
			  t.seq, gid, g->pos, g->t_fwd, g->t_fwd_end);
		return;
	}
	C.st.late += d > g->t_fwd_end;
	g->n_down++;
	C.st.out_down++;
	check_ctr(g, gid);
}

/* Decapsulated to the core: only for a forwarding generation of this subscriber. */
static void check_up(const uint8_t *b, uint32_t len, uint64_t d)
{
	struct rte_ipv4_hdr ip;
	struct gen *g;
	struct tag t;

	memcpy(&ip, b + 14, sizeof(ip));
	if (len != DOWN_IN || memcmp(b, &core_gw_mac, 6) != 0 || !read_tag(b + 14, &t) ||
	    t.kind != TAG_UP || (g = gen_of(t.gid)) == NULL || g->pos != t.pos ||
	    ip.src_addr != rte_cpu_to_be_32(sub_addr(t.pos))) {
		violation("unexpected frame of %u octets on the core port", len);
		return;
	}
	if (!in_interval(g->t_fwd, g->t_fwd_end, t.seq, d)) {
		violation("upstream packet fed at %" PRIu64
			  " on generation %u's IDs (subscriber %u) "
			  "forwarded; it forwarded only in (%" PRIu64 ", %" PRIu64 ")",
			  t.seq, t.gid, g->pos, g->t_fwd, g->t_fwd_end);
		return;
	}
	C.st.late += d > g->t_fwd_end;
	g->n_up++;
	C.st.out_up++;
	check_ctr(g, t.gid);
}

/* Punted as received: only for a generation in punt mode. */
static void check_punt(struct rte_mbuf *m, uint64_t d)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	struct gen *g;
	struct tag t;

	if (rte_pktmbuf_pkt_len(m) != UP_IN || m->hash.usr != LNS_PUNT_FRAME ||
	    !read_tag(b + 42 + L2TP_HLEN, &t) || t.kind != TAG_UP || (g = gen_of(t.gid)) == NULL) {
		violation("unexpected punt of %u octets", rte_pktmbuf_pkt_len(m));
		return;
	}
	if (!in_interval(g->t_new, g->t_punt1_end, t.seq, d) &&
	    !in_interval(g->t_punt2, g->t_end, t.seq, d)) {
		violation("upstream packet fed at %" PRIu64
			  " on generation %u's IDs punted; it was "
			  "in punt mode only in (%" PRIu64 ", %" PRIu64 ") and (%" PRIu64
			  ", %" PRIu64 ")",
			  t.seq, t.gid, g->t_new, g->t_punt1_end, g->t_punt2, g->t_end);
		return;
	}
	C.st.punted++;
}

/* What the workers sent and punted, checked and freed. */
static void drain(void)
{
	struct rte_mbuf *m[64];
	unsigned n;

	for (unsigned port = 0; port < 2; port++)
		for (unsigned q = 0; q < NQ; q++)
			while ((n = rte_ring_sc_dequeue_burst(E.txr[port][q], (void **)m,
							      RTE_DIM(m), NULL)) > 0)
				for (unsigned i = 0; i < n; i++) {
					const uint8_t *b = rte_pktmbuf_mtod(m[i], const uint8_t *);
					uint64_t d = ++C.clock;

					if (q == NQ - 1) /* the control lcore's queue */
						violation("a worker sent on queue %u", q);
					else if (rte_pktmbuf_data_len(m[i]) !=
						 rte_pktmbuf_pkt_len(m[i]))
						violation("segmented output");
					else if (port == ACC)
						check_down(b, rte_pktmbuf_pkt_len(m[i]), d);
					else
						check_up(b, rte_pktmbuf_pkt_len(m[i]), d);
					rte_pktmbuf_free(m[i]);
				}
	while ((n = rte_ring_sc_dequeue_burst(E.rt->punt, (void **)m, RTE_DIM(m), NULL)) > 0)
		for (unsigned i = 0; i < n; i++) {
			check_punt(m[i], ++C.clock);
			rte_pktmbuf_free(m[i]);
		}
}

/* ---------------------------------------------------------------- the test */

/* A worker counter summed over the workers (each writes its own, once per burst). */
static uint64_t sum_counter(size_t off)
{
	uint64_t s = 0;

	for (unsigned w = 0; w < E.rt->n_workers; w++)
		s += __atomic_load_n((const uint64_t *)((const char *)&E.rt->workers[w].c + off),
				     __ATOMIC_RELAXED);
	return s;
}

#define SUM_COUNTER(field) sum_counter(offsetof(struct lns_worker_counters, field))

/* Every fed packet is out (seen) or dropped (counted); the drop counters are the workers'. */
static uint64_t accounted(void)
{
	uint64_t n = C.st.out_down + C.st.out_up + C.st.punted;

#define X(name, help)                                                                              \
	if (strncmp(#name, "drop_", 5) == 0)                                                       \
		n += SUM_COUNTER(name);
	LNS_WORKER_COUNTERS(X)
#undef X
	return n;
}

/*
 * A run means something when traffic went every way (into tunnels, to the
 * core, punted, dropped for want of a route or a session), slots and entry
 * memory changed hands often between subscribers, and sessions flapped.
 */
static bool enough(void)
{
	return C.st.gens >= 2000 && C.st.reuse_other >= 1000 && C.st.flaps >= 2 &&
	       C.st.out_down >= 20000 && C.st.out_up >= 20000 && C.st.punted >= 5000 &&
	       SUM_COUNTER(drop_no_route) >= 5000 && SUM_COUNTER(drop_l2tp_unknown_session) >= 5000;
}

/* Everything withdrawn and the workers stopped: nothing may be left anywhere. */
static void check_empty(void)
{
	struct lns_session_table *t = E.rt->sessions;
	struct lns_dp_session e;
	uint32_t *all = calloc(E.rt->n_slots, sizeof(*all));
	uint8_t *seen = calloc(E.rt->n_slots, 1);
	uint32_t nh;
	size_t heap = 0;

	assert_non_null(all);
	assert_non_null(seen);
	/* No reader is registered now: every grace period is over. */
	lns_session_reclaim(t);
	for (uint32_t gid = 1; gid < C.n_gens; gid++)
		if (lns_session_get(t, C.gens[gid].tid, C.gens[gid].sid, &e))
			fail_msg("session %u/%u still in the table", C.gens[gid].tid,
				 C.gens[gid].sid);
	for (uint32_t s = 0; s < E.rt->n_slots; s++)
		if (lns_session_get_slot(t, s, &e))
			fail_msg("slot %u still names a session", s);
	/* Every slot comes back, once. */
	for (uint32_t i = 0; i < E.rt->n_slots; i++) {
		uint16_t sid;

		all[i] = lns_session_slot_alloc(t, 1, 1, &sid);
		if (all[i] == LNS_SESSION_SLOT_NONE || seen[all[i]])
			fail_msg("slot allocation %u of %u gave %u", i, E.rt->n_slots, all[i]);
		seen[all[i]] = 1;
	}
	{
		uint16_t sid;

		for (unsigned j = 0; j < N_POS; j++)
			assert_int_equal(lns_session_slot_alloc(t, (uint16_t)(1 + j), 1, &sid),
					 LNS_SESSION_SLOT_NONE);
	}
	for (uint32_t i = 0; i < E.rt->n_slots; i++)
		lns_session_slot_free(t, all[i]);
	lns_session_reclaim(t);
	free(all);
	free(seen);
	for (unsigned j = 0; j < N_POS; j++) {
		assert_int_equal(lns_fib_lookup(E.rt->fib, rte_cpu_to_be_32(sub_addr(j)), &nh),
				 -ENOENT);
		assert_int_equal(
			lns_fib_lookup(E.rt->fib, rte_cpu_to_be_32(framed_prefix(j) | 4), &nh),
			-ENOENT);
	}
	/* The entries lived in the DPDK heap, which ASan does not see: count it instead. */
	heap = lns_heap_used();
	if (heap != C.heap_base)
		fail_msg("DPDK heap %zu octets, %zu before the first session", heap, C.heap_base);
	/* rte_mempool_avail_count() counts the per-lcore caches too. */
	if (rte_mempool_avail_count(E.rt->pool) != E.rt->pool->size)
		fail_msg("%u of %u mbufs back in the pool", rte_mempool_avail_count(E.rt->pool),
			 E.rt->pool->size);
}

static void test_churn(void **state)
{
	const double secs = run_seconds();
	const uint64_t hz = rte_get_timer_hz();
	const unsigned default_idle_sleep_us = E.cfg->dataplane.idle_sleep_us;
	uint64_t start, deadline, hard_deadline, elapsed, fed, mismatched = 0;

	(void)state;
	C.heap_base = lns_heap_used();
	for (unsigned j = 0; j < N_POS; j++)
		C.pos[j].next_sid = 1;
	start = rte_get_timer_cycles();
	hard_deadline = start + (uint64_t)(4 * secs * (double)hz);
	/*
	 * First half: workers poll without a pause (idle-sleep-us: 0), so one preempted
	 * worker holds grace periods open for its whole time slice. Second half: lnsd's
	 * default idle sleep, workers going offline and online around it.
	 */
	for (unsigned phase = 0; phase < 2; phase++) {
		E.cfg->dataplane.idle_sleep_us = phase == 0 ? 0 : default_idle_sleep_us;
		workers_start();
		deadline = start + (uint64_t)(secs * (double)hz * (phase + 1) / 2);
		/* On a busy machine the second half goes on, up to four times the whole
		 * run, until the run has done enough to mean something. */
		while (rte_get_timer_cycles() < deadline ||
		       (phase == 1 && !enough() && rte_get_timer_cycles() < hard_deadline)) {
			for (unsigned k = 0; k < CHURN_STEPS; k++)
				churn_step();
			feed_round();
			drain();
			if (++C.st.rounds % FLAP_EVERY == 0)
				flap();
			lns_session_reclaim(E.rt->sessions); /* as the control lcore's loop does */
		}
		if (phase == 0)
			workers_stop(); /* what they have not taken waits in the rings */
	}
	for (unsigned j = 0; j < N_POS; j++)
		if (C.pos[j].state != ST_NONE)
			gen_end(j);

	elapsed = rte_get_timer_cycles() - start;

	/* Wait for the workers to finish what was fed. */
	fed = C.st.fed_down + C.st.fed_up;
	deadline = rte_get_timer_cycles() + 10 * hz;
	while (accounted() < fed && rte_get_timer_cycles() < deadline) {
		drain();
		lns_session_reclaim(E.rt->sessions);
		rte_pause();
	}
	workers_stop();
	drain();
	if (accounted() != fed)
		fprintf(stderr, "%" PRIu64 " packets fed, %" PRIu64 " accounted for\n", fed,
			accounted());

	/* Each generation's counters hold exactly what it sent: nothing of another's. */
	for (uint32_t gid = 1; gid < C.n_gens; gid++) {
		struct gen *g = &C.gens[gid];
		struct lns_sess_ctr c = g->ended ? g->final : ctr(g->slot);

		if (c.up_pkts - g->base.up_pkts != g->n_up ||
		    c.up_bytes - g->base.up_bytes != g->n_up * INNER_LEN ||
		    c.down_pkts - g->base.down_pkts != g->n_down ||
		    c.down_bytes - g->base.down_bytes != g->n_down * INNER_LEN) {
			if (mismatched++ < 5)
				fprintf(stderr,
					"generation %u (slot %u): counters %" PRIu64 " up %" PRIu64
					" down, %" PRIu64 " and %" PRIu64 " seen\n",
					gid, g->slot, c.up_pkts - g->base.up_pkts,
					c.down_pkts - g->base.down_pkts, g->n_up, g->n_down);
		}
	}

	printf("# churn %.1f s, %u worker lcores on %u CPUs: %" PRIu64 " table changes, %" PRIu64
	       " generations, %" PRIu64 " slot reuses (%" PRIu64 " by another subscriber), "
	       "%" PRIu64 " refused (%" PRIu64 " no slot, %" PRIu64 " table full, %" PRIu64
	       " FIB full)\n",
	       (double)elapsed / (double)hz, E.rt->n_workers, n_cpus, C.st.changes, C.st.gens,
	       C.st.reuse, C.st.reuse_other,
	       C.st.refused_slot + C.st.refused_hash + C.st.refused_fib, C.st.refused_slot,
	       C.st.refused_hash, C.st.refused_fib);
	printf("# fed %" PRIu64 " down, %" PRIu64 " up; out %" PRIu64 " into tunnels, %" PRIu64
	       " to the core, %" PRIu64 " punted, %" PRIu64
	       " after their session's change; dropped %" PRIu64 " no route, %" PRIu64
	       " unknown session\n",
	       C.st.fed_down, C.st.fed_up, C.st.out_down, C.st.out_up, C.st.punted, C.st.late,
	       SUM_COUNTER(drop_no_route), SUM_COUNTER(drop_l2tp_unknown_session));

	printf("# %" PRIu64 " flaps; %" PRIu64 " violations, %" PRIu64
	       " generations whose counters differ from their traffic%s\n",
	       C.st.flaps, C.st.violations, mismatched,
	       C.n_gens == C.max_gens ? "; generation log full, churn stopped early" : "");
	assert_int_equal(C.st.violations, 0);
	assert_int_equal(mismatched, 0);
	/* Every fed packet accounted for, for the right reasons only. */
	assert_int_equal(SUM_COUNTER(rx), fed);
	assert_int_equal(SUM_COUNTER(tx), C.st.out_down + C.st.out_up);
	assert_int_equal(SUM_COUNTER(punt), C.st.punted);
	assert_int_equal(C.st.fed_down, C.st.out_down + SUM_COUNTER(drop_no_route));
	assert_int_equal(C.st.fed_up,
			 C.st.out_up + C.st.punted + SUM_COUNTER(drop_l2tp_unknown_session));
	if (!enough())
		fail_msg("the run did too little to mean anything (the numbers above)");
	check_empty();
}

/* ------------------------------------------------------------------ main */

int main(void)
{
	char lcores[64];
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_churn)};
	int cpus[2] = {-1, -1}, n = 0, ret;
	cpu_set_t cs;

	/* Main lcore and both workers float over at most two of our CPUs: oversubscribed
	 * wherever it runs, as on the 2-core machine the issue names. */
	if (sched_getaffinity(0, sizeof(cs), &cs) != 0)
		return 1;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &cs))
			cpus[n++] = c;
	if (n == 0)
		return 1;
	n_cpus = (unsigned)n;
	snprintf(lcores, sizeof(lcores), "(0-%u)@(%d,%d)", N_WORKERS, cpus[0],
		 n > 1 ? cpus[1] : cpus[0]);
	ret = pkt_eal_init("test_churn", lcores);
	if (ret != 0)
		return ret;
	ret = cmocka_run_group_tests(tests, setup, teardown);
	pkt_eal_fini();
	return ret;
}
