/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lns_bench: cycles per packet of lnsd's worker, against the I/O floor of the
 * same ports, queues and packets. bench/run.sh runs it once per session count
 * and writes docs/performance.md from what it prints.
 *
 *   lns_bench [EAL options] -- --config bench/bench.yaml --sessions N
 *             [--sizes 64,512,1400] [--sizes6 SIZES] [--scenarios plain,up,down,up6,down6]
 *             [--window-ms 200] [--warmup-ms 40] [--reps 3] [--round 1024]
 *             [--spt 1000] [--fib api|direct|auto] [--remote] [--json FILE]
 *             [--perf-ctl FIFO] [--workers 1,2,...]
 *
 * --sizes6: the sizes of the IPv6 scenarios (up6, down6), when not --sizes.
 *
 * The worker code is dp/'s, unchanged: lns_worker_main() on the runtime
 * lnsd would build, or, for the I/O floor, io_main() below: testpmd's io
 * forwarding engine on the same queues, the same packets.
 *
 * A round: the generator writes K received frames (random sessions in random
 * order, random destinations) into mbufs and enqueues all K at once on the
 * input port's RX ring; the worker loop drains them. An RX callback on that
 * queue (rte_eth_add_rx_callback: it runs inside the worker's own
 * rte_eth_rx_burst) reads the TSC at the first non-empty burst and again at
 * the first empty poll after the K-th packet: the worker's own time for K
 * packets, nothing of the generator in it. Then the generator takes the K
 * packets off the output port's TX ring, checks them (warm-up rounds: every
 * header; all rounds: the count and that nothing went elsewhere) and starts
 * the next round; after the window the worker's drop counters must not have
 * moved.
 *
 * Inline (default): generator and worker loop take turns on the main lcore;
 * the callback ends the loop once the round is done (rt->stop, as lnsd's
 * shutdown does). The frames arrive warm in this core's cache, as a NIC
 * writing into the last-level cache would deliver them. --remote: the loop
 * runs on the worker lcore, as in lnsd, fed across cores.
 *
 * --workers 1,2,...: each count in turn, that many workers at once, each with
 * its generator inline on its own lcore (a lane: lane 0 on the main lcore,
 * lane w on worker w's), in step round by round; upstream, lane w of n gets
 * the tunnels t with t mod n = w, as RSS on the outer header would give them.
 * The runtime has as many workers as EAL lcores but the main one, as lnsd
 * does; worker 0's own lcore stays idle (lane 0 runs on the main one), so
 * `--lcores 0@0,1@0,2@1,...` puts one lane on each CPU.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench/bench.h"
#include "cp/l2tp.h" /* for sizeof only: the control plane's share of a session */
#include "cp/ppp.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/neigh.h"
#include "dp/session.h"

struct opts {
	const char *config, *json;
	uint32_t sessions, spt, round, reps;
	double window_ms, warmup_ms;
	unsigned sizes[8], n_sizes;
	unsigned sizes6[8], n_sizes6; /* the IPv6 scenarios'; n_sizes6 0: sizes */
	int fib;                      /* 0 api, 1 direct, -1 auto */
	bool remote;                  /* the worker loop on its own lcore, fed across cores */
	const char *perf_ctl;       /* perf record --control=fifo:FILE: sample only the scenarios */
	unsigned scen_mask;         /* which of enum bench_scen */
	unsigned scale[8], n_scale; /* --workers: how many workers at once, each in turn */
};

struct crew;

/*
 * Written by the worker inside rte_eth_rx_burst(); read by its lane. The lane
 * arms a round by setting want, got = 0, then seq + 1; the worker answers by
 * setting fired = seq. Until then neither touches the other's line.
 */
struct probe {
	uint32_t seq, want, got; /* the lane arms; the worker counts per burst */
	uint64_t t_first;
	struct crew *crew; /* inline: the crew whose loops end once every lane's round is done */
	volatile uint32_t fired __rte_cache_aligned; /* the line the lane polls */
	uint64_t t_end;
} __rte_cache_aligned;

/* The I/O floor: testpmd's io engine (app/test-pmd/iofwd.c) on lns's queues. */
struct io_ctx {
	struct lns_worker *w;
	volatile bool *stop;
	uint64_t rx, tx, dropped;
} __rte_cache_aligned;

enum path { P_FLOOR, P_LNS, P_N };
static const char *const path_name[P_N] = {"floor", "lns"};

struct stats {
	double median, mean, min, p90;
	uint64_t rounds, pkts;
};

/*
 * Several workers at once: what their lanes share for a measurement. Rounds
 * go in step (every lane generates its round, all loops run together, every
 * lane checks its own), so that the workers contend for the caches, the
 * memory and the tables as they would in lnsd; each lane's probe times its
 * own worker. The last round done ends every loop (*stop). A spinning
 * barrier by hand: EAL has none, and pthread's would put a lane to sleep
 * between rounds on a machine where each lane has its own CPU.
 */
struct crew {
	unsigned n;                           /* lanes taking part */
	uint32_t arrived __rte_cache_aligned; /* at the barrier, this generation */
	volatile uint32_t gen;
	volatile uint32_t done __rte_cache_aligned; /* lanes whose round is done */
	volatile bool *stop;                        /* the loops' */
	volatile bool io_stop;                      /* the I/O loops' own */
	volatile bool more, abort;
	uint64_t end;
};

/* One worker and the generator that takes turns with it on its lcore. */
struct lane {
	struct bench *b;
	struct crew *crew;
	unsigned idx; /* the worker: rt->workers[idx], its queues idx */
	struct io_ctx io;
	struct rte_mbuf **mb;
	uint32_t *sidx, *rnd; /* per mbuf of the round: session, random destination */
	uint32_t *perm;       /* sessions in random order, a permutation of its own */
	uint32_t cur, rng;
	double *samples;
	size_t n_samples, max_samples;
	/* the measurement in hand */
	const struct bench_tmpl *t;
	enum path path;
	int ret;
} __rte_cache_aligned;

struct bench {
	struct bench_env env;
	struct opts o;
	struct probe probe[BENCH_PORTS][LNS_MAX_WORKERS];
	struct lane lane[LNS_MAX_WORKERS];
	struct crew crew;
	unsigned n_lanes; /* lanes there are: the runtime's workers */
	double hz;
	FILE *js;
};

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static uint16_t probe_cb(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb,
			 uint16_t max, void *arg)
{
	struct probe *p = arg;

	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	RTE_SET_USED(max);
	uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);

	if (seq == p->fired)
		return nb; /* not armed */
	if (nb) {
		if (p->got == 0)
			p->t_first = rte_rdtsc();
		p->got += nb;
	} else if (p->got >= p->want && p->got) {
		struct crew *c = p->crew;

		p->t_end = rte_rdtsc();
		__atomic_store_n(&p->fired, seq, __ATOMIC_RELEASE);
		if (c && __atomic_add_fetch(&c->done, 1, __ATOMIC_ACQ_REL) == c->n)
			*c->stop = true;
	}
	return nb;
}

static int io_main(void *arg)
{
	struct io_ctx *x = arg;
	struct lns_worker *w = x->w;
	const struct lns_runtime *rt = w->rt;
	unsigned burst = RTE_MIN(rt->cfg->dataplane.burst, 256u);
	struct rte_mbuf *pkts[256];

	while (!*x->stop) {
		for (unsigned i = 0; i < w->n_rxq; i++) {
			const struct lns_rxq *q = &w->rxq[i];
			uint16_t n, sent;

			n = rte_eth_rx_burst(rt->ports[q->port_idx].port_id, q->queue, pkts,
					     (uint16_t)burst);
			if (n == 0)
				continue;
			/* Paired ports, as testpmd's default topology. */
			sent = rte_eth_tx_burst(rt->ports[q->port_idx ^ 1].port_id,
						(uint16_t)w->idx, pkts, n);
			x->rx += n;
			x->tx += sent;
			if (sent < n) {
				x->dropped += n - sent;
				rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
			}
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Statistics of N rounds' cycles per packet in S (sorted here), K packets a round. */
static void summarise(double *s, size_t n, uint32_t k, struct stats *st)
{
	double sum = 0;

	memset(st, 0, sizeof(*st));
	if (n == 0)
		return;
	qsort(s, n, sizeof(double), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	st->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	st->mean = sum / (double)n;
	st->min = s[0];
	st->p90 = s[(size_t)((double)(n - 1) * 0.9)];
	st->rounds = n;
	st->pkts = n * k;
}

/* Wait until every lane of C is here; -1 when one gave up (or after 5 s). */
static int crew_wait(struct crew *c, double hz)
{
	uint32_t gen = c->gen;
	uint64_t deadline;

	if (__atomic_add_fetch(&c->arrived, 1, __ATOMIC_ACQ_REL) == c->n) {
		c->arrived = 0;
		__atomic_store_n(&c->gen, gen + 1, __ATOMIC_RELEASE);
		return c->abort ? -1 : 0;
	}
	deadline = rte_rdtsc() + (uint64_t)(5 * hz);
	while (__atomic_load_n(&c->gen, __ATOMIC_ACQUIRE) == gen) {
		if (c->abort)
			return -1;
		if (rte_rdtsc() > deadline) {
			c->abort = true;
			*c->stop = true;
			fprintf(stderr, "lns_bench: a lane did not come to the barrier in 5 s\n");
			return -1;
		}
		rte_pause();
	}
	return c->abort ? -1 : 0;
}

/* Lane L gives up: the others' loops end, and they leave at their next barrier. */
static int lane_fail(struct lane *l)
{
	l->crew->abort = true;
	*l->crew->stop = true;
	return -1;
}

/* Anything left on lane L's rings after a round is a packet that went the wrong way (lane 0
 * also looks at the control lcore's queues and the punt ring). */
static unsigned strays(const struct lane *l)
{
	const struct bench_env *e = &l->b->env;
	unsigned n = l->idx == 0 ? rte_ring_count(e->rt->punt) : 0;

	for (unsigned p = 0; p < BENCH_PORTS; p++) {
		n += rte_ring_count(e->txr[p][l->idx]) + rte_ring_count(e->rxr[p][l->idx]);
		if (l->idx == 0)
			n += rte_ring_count(e->txr[p][e->nq - 1]) +
			     rte_ring_count(e->rxr[p][e->nq - 1]);
	}
	return n;
}

static void where(struct bench *b)
{
	fprintf(stderr, "lns_bench: punt ring %u", rte_ring_count(b->env.rt->punt));
	for (unsigned p = 0; p < BENCH_PORTS; p++)
		for (unsigned q = 0; q < b->env.nq; q++)
			fprintf(stderr, ", port %u queue %u: RX %u TX %u", p, q,
				rte_ring_count(b->env.rxr[p][q]), rte_ring_count(b->env.txr[p][q]));
	fprintf(stderr, "\n");
}

static void drain(struct bench *b)
{
	struct rte_mbuf *m = NULL;

	for (unsigned p = 0; p < BENCH_PORTS; p++)
		for (unsigned q = 0; q < b->env.nq; q++) {
			while (rte_ring_dequeue(b->env.txr[p][q], (void **)&m) == 0)
				rte_pktmbuf_free(m);
			while (rte_ring_dequeue(b->env.rxr[p][q], (void **)&m) == 0)
				rte_pktmbuf_free(m);
		}
	while (rte_ring_dequeue(b->env.rt->punt, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

/* Worker counters that say a packet did not go the benchmarked way. */
static const char *bad_counter(const struct lns_worker_counters *a,
			       const struct lns_worker_counters *z, uint64_t *by)
{
#define X(name, help)                                                                              \
	if (strcmp(#name, "rx") != 0 && strcmp(#name, "tx") != 0 && z->name != a->name) {          \
		*by = z->name - a->name;                                                           \
		return #name;                                                                      \
	}
	LNS_WORKER_COUNTERS(X)
#undef X
	return NULL;
}

/* The next session of lane L's round. Upstream, a tunnel lands on one queue (a NIC's RSS
 * hashes the outer header: the LAC's address), so lane l of n takes the tunnels t with
 * t mod n = l; downstream and plain, any session can come to any worker. */
static uint32_t lane_next(struct lane *l)
{
	const struct bench_env *e = &l->b->env;
	unsigned n = l->crew->n;

	for (;;) {
		uint32_t i = l->perm[l->cur];

		if (++l->cur == e->n_sess)
			l->cur = 0;
		if (n == 1 || !bench_scen_up(l->t->scen) || bench_tunnel(e, i) % n == l->idx)
			return i;
	}
}

/*
 * Lane L's rounds until the crew's end; record: keep each round's cycles per packet; verify:
 * check every packet. 0, or -1 with a message printed.
 */
static int lane_rounds(struct lane *l, bool record, bool verify)
{
	struct bench *b = l->b;
	struct bench_env *e = &b->env;
	struct crew *c = l->crew;
	const struct bench_tmpl *t = l->t;
	struct probe *p = &b->probe[t->in_port][l->idx];
	struct rte_ring *in = e->rxr[t->in_port][l->idx], *out = e->txr[t->out_port][l->idx];
	struct lns_runtime *rt = e->rt;
	uint32_t k = b->o.round;

	for (;;) {
		uint64_t deadline;
		uint32_t seq;
		unsigned n;

		if (l->idx == 0)
			c->more = rte_rdtsc() < c->end;
		if (crew_wait(c, b->hz) < 0)
			return -1;
		if (!c->more) /* every lane has read it before lane 0 may write it again */
			return crew_wait(c, b->hz);
		for (uint32_t j = 0; j < k; j++) {
			uint32_t i = lane_next(l);

			l->sidx[j] = i;
			l->rnd[j] = xorshift(&l->rng);
			bench_pkt_restore(e, t, l->mb[j], i, l->rnd[j]);
		}
		p->want = k;
		p->got = 0;
		p->crew = b->o.remote ? NULL : c;
		seq = p->seq + 1;
		__atomic_store_n(&p->seq, seq, __ATOMIC_RELEASE);
		if (rte_ring_sp_enqueue_bulk(in, (void **)l->mb, k, NULL) != k) {
			fprintf(stderr, "lns_bench: RX ring full\n");
			return lane_fail(l);
		}
		if (crew_wait(c, b->hz) < 0)
			return -1;
		if (!b->o.remote) {
			/* Inline: the loop runs here until the last lane's round is done. */
			if (l->path == P_LNS)
				lns_worker_main(&rt->workers[l->idx]);
			else
				io_main(&l->io);
		}
		deadline = rte_rdtsc() + (uint64_t)(5 * b->hz);
		while (__atomic_load_n(&p->fired, __ATOMIC_ACQUIRE) != seq) {
			rte_pause();
			if (rte_rdtsc() > deadline) {
				fprintf(stderr,
					"lns_bench: worker %u did not finish a round in 5 s\n",
					l->idx);
				return lane_fail(l);
			}
		}
		/* Every loop is out: the next round's may start once every lane is ready. */
		if (crew_wait(c, b->hz) < 0)
			return -1;
		if (l->idx == 0 && !b->o.remote) {
			*c->stop = false;
			c->done = 0;
		}
		if (record && l->n_samples < l->max_samples)
			l->samples[l->n_samples++] = (double)(p->t_end - p->t_first) / k;
		n = rte_ring_sc_dequeue_bulk(out, (void **)l->mb, k, NULL);
		if (n != k || strays(l) != 0) {
			fprintf(stderr,
				"lns_bench: %s/%u: worker %u: %u of %u packets on the expected TX "
				"ring, %u elsewhere\n",
				bench_scen_name[t->scen], t->size, l->idx, n, k, strays(l));
			where(b);
			return lane_fail(l);
		}
		for (uint32_t j = 0; verify && j < k; j++) {
			const char *why = bench_pkt_check(e, t, l->mb[j], l->sidx[j], l->rnd[j]);

			if (why) {
				fprintf(stderr,
					"lns_bench: %s/%u: worker %u: session %u: wrong %s\n",
					bench_scen_name[t->scen], t->size, l->idx, l->sidx[j], why);
				return lane_fail(l);
			}
		}
	}
}

/* A lane's measurement: warm-up rounds, checked, then the window, recorded. */
static int lane_main(void *arg)
{
	struct lane *l = arg;
	struct bench *b = l->b;
	struct crew *c = l->crew;

	l->n_samples = 0;
	if (l->idx == 0)
		c->end = rte_rdtsc() + (uint64_t)(b->o.warmup_ms * b->hz / 1000.0);
	/* The I/O loop leaves packets as they came: only lns's output is checked. */
	l->ret = lane_rounds(l, false, l->path == P_LNS);
	if (l->ret == 0) {
		if (l->idx == 0)
			c->end = rte_rdtsc() + (uint64_t)(b->o.window_ms * b->hz / 1000.0);
		l->ret = lane_rounds(l, true, false);
	}
	return l->ret;
}

/*
 * One measurement of PATH with N workers at once (lanes 0..N-1: lane 0 on the main lcore,
 * lane w on worker w's lcore; --remote: one lane, its worker loop on its own lcore). ST gets
 * the rounds of every lane; LANE_MEDIAN each lane's median.
 */
static int measure(struct bench *b, const struct bench_tmpl *t, enum path path, unsigned n,
		   struct stats *st, double *lane_median)
{
	struct lns_runtime *rt = b->env.rt;
	struct crew *c = &b->crew;
	struct lns_worker_counters c0[LNS_MAX_WORKERS];
	size_t total = 0;
	double *all;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->n = n;
	c->stop = path == P_LNS ? &rt->stop : &c->io_stop;
	*c->stop = false;
	for (unsigned w = 0; w < n; w++) {
		struct lane *l = &b->lane[w];

		c0[w] = rt->workers[w].c;
		l->t = t;
		l->path = path;
		l->io = (struct io_ctx){.w = &rt->workers[w], .stop = c->stop};
		l->ret = 0;
	}
	if (b->o.remote) {
		/* The worker loop on worker 0's lcore, for the whole measurement. */
		ret = rte_eal_remote_launch(path == P_LNS ? lns_worker_main : io_main,
					    path == P_LNS ? (void *)&rt->workers[0]
							  : (void *)&b->lane[0].io,
					    rt->workers[0].lcore);
		if (ret != 0) {
			fprintf(stderr, "lns_bench: cannot launch the worker lcore\n");
			return -1;
		}
	}
	for (unsigned w = 1; w < n; w++)
		if (rte_eal_remote_launch(lane_main, &b->lane[w], rt->workers[w].lcore) != 0) {
			fprintf(stderr, "lns_bench: cannot launch lane %u\n", w);
			c->abort = true;
			ret = -1;
		}
	if (ret == 0)
		ret = lane_main(&b->lane[0]);
	else
		c->abort = true;
	for (unsigned w = 1; w < n; w++) {
		rte_eal_wait_lcore(rt->workers[w].lcore);
		if (b->lane[w].ret < 0)
			ret = -1;
	}
	if (b->o.remote) {
		*c->stop = true;
		rte_eal_wait_lcore(rt->workers[0].lcore);
	}
	for (unsigned w = 0; w < n; w++) {
		struct lane *l = &b->lane[w];
		const char *bad;
		uint64_t by = 0;
		struct stats s;

		if (path == P_LNS && (bad = bad_counter(&c0[w], &rt->workers[w].c, &by)) != NULL) {
			fprintf(stderr, "lns_bench: %s/%u: worker %u counter %s rose by %lu\n",
				bench_scen_name[t->scen], t->size, w, bad, (unsigned long)by);
			ret = -1;
		}
		if (path == P_FLOOR && l->io.dropped) {
			fprintf(stderr, "lns_bench: I/O loop %u dropped %lu\n", w,
				(unsigned long)l->io.dropped);
			ret = -1;
		}
		summarise(l->samples, l->n_samples, b->o.round, &s);
		lane_median[w] = s.median;
		total += l->n_samples;
	}
	all = malloc((total ? total : 1) * sizeof(*all));
	if (all == NULL)
		return -1;
	total = 0;
	for (unsigned w = 0; w < n; w++) {
		memcpy(all + total, b->lane[w].samples, b->lane[w].n_samples * sizeof(*all));
		total += b->lane[w].n_samples;
	}
	summarise(all, total, b->o.round, st);
	free(all);
	return ret;
}

/* ---- single operations, on the main lcore, for the analysis ---- */

struct comp {
	const char *name, *what;
	double cycles;
};

#define COMP_OPS 262144u

/*
 * Each operation runs over COMP_OPS keys twice; the second pass is timed (the
 * first warms what can be warm). Iterations are independent, so the CPU
 * overlaps their misses: these are throughputs, not the latency of one
 * lookup inside the worker's dependent chain.
 */
#define COMP(label, help, body)                                                                    \
	do {                                                                                       \
		for (unsigned pass = 0; pass < 2; pass++) {                                        \
			t0 = rte_rdtsc();                                                          \
			for (unsigned j = 0; j < COMP_OPS; j++) {                                  \
				body;                                                              \
			}                                                                          \
		}                                                                                  \
		out[n++] = (struct comp){label, help, (double)(rte_rdtsc() - t0) / COMP_OPS};      \
	} while (0)

static unsigned components(struct bench *b, struct comp *out)
{
	struct bench_env *e = &b->env;
	struct lns_runtime *rt = e->rt;
	uint16_t *tid = malloc(COMP_OPS * sizeof(*tid)), *sid = malloc(COMP_OPS * sizeof(*sid));
	uint32_t *sub = malloc(COMP_OPS * sizeof(*sub)), *slot = malloc(COMP_OPS * sizeof(*slot));
	uint32_t *inet = malloc(COMP_OPS * sizeof(*inet)),
		 *sidx6 = malloc(COMP_OPS * sizeof(*sidx6));
	struct rte_ipv4_hdr ip;
	struct rte_ether_addr mac;
	volatile uint64_t sink = 0;
	uint64_t acc = 0, t0;
	unsigned n = 0;
	rte_be32_t gw = rte_cpu_to_be_32(BENCH_CORE_ROUTER);

	if (!tid || !sid || !sub || !slot || !inet || !sidx6)
		goto out;
	for (unsigned j = 0; j < COMP_OPS; j++) {
		uint32_t i = b->lane[0].perm[(j * 7919u) % e->n_sess];

		tid[j] = bench_tid(e, i);
		sid[j] = bench_sid(e, i);
		sub[j] = bench_sub_ip(i);
		slot[j] = e->slot[i];
		sidx6[j] = i;
		inet[j] = rte_cpu_to_be_32(BENCH_INET_NET +
					   (xorshift(&b->lane[0].rng) & BENCH_INET_MASK));
	}
	COMP("session_lookup", "(tunnel, session) -> slot + read the entry's line 1", {
		uint32_t s = lns_session_slot_of(rt->sessions, tid[j], sid[j]);
		struct lns_dp_session d;

		lns_session_read(lns_session_entry(rt->sessions, s), &d);
		acc += d.slot;
	});
	COMP("fib_lookup_subscriber", "lns_fib_lookup of a subscriber /32", {
		uint32_t v = 0;

		lns_fib_lookup(rt->fib, sub[j], &v);
		acc += v;
	});
	COMP("fib_lookup_route", "lns_fib_lookup under the default route", {
		uint32_t v = 0;

		lns_fib_lookup(rt->fib, inet[j], &v);
		acc += v;
	});
	COMP("session_by_slot", "read a slot's downstream line, as encapsulation does", {
		struct lns_dp_down d;

		lns_session_read_down(lns_session_entry(rt->sessions, slot[j]), &d);
		acc += d.mode + d.b[40];
	});
	COMP("fib6_lookup_subscriber", "lns_fib6_lookup of an address in a subscriber's /64", {
		uint8_t a[16];
		uint32_t v = 0;

		bench_sub6_addr(sidx6[j], BENCH_IFID | sidx6[j], a);
		lns_fib6_lookup(rt->fib6, a, &v);
		acc += v;
	});
	COMP("fib6_lookup_route", "lns_fib6_lookup under the default route (::/0)", {
		uint8_t a[16];
		uint32_t v = 0;

		bench_inet6(inet[j], a);
		lns_fib6_lookup(rt->fib6, a, &v);
		acc += v;
	});
	COMP("neigh_lookup", "lns_neigh_lookup of the same next hop", {
		lns_neigh_lookup(rt->neigh, 1, AF_INET, &gw, &mac);
		acc += mac.addr_bytes[j & 3];
	});
	memset(&ip, 0, sizeof(ip));
	ip.version_ihl = RTE_IPV4_VHL_DEF;
	COMP("ipv4_cksum", "TTL - 1 and rte_ipv4_cksum, as lns_route4 does", {
		ip.time_to_live = (uint8_t)j;
		ip.hdr_checksum = 0;
		ip.hdr_checksum = rte_ipv4_cksum(&ip);
		acc += ip.hdr_checksum;
	});
	COMP("sess_ctr", "increment a session's counter row", rt->sess_ctr[slot[j]].up_pkts++);
	/* The machine: one dependent load at a time, in DPDK memory as the tables have it. */
	for (unsigned z = 0; z < 2; z++) {
		static const size_t bytes[2] = {256u << 10, 64u << 20};
		size_t lines = bytes[z] / 64, at = 0;
		uint64_t *chase = rte_malloc("bench_chase", bytes[z], 64);
		uint32_t *order = malloc(lines * sizeof(*order));

		if (chase == NULL || order == NULL) {
			rte_free(chase);
			free(order);
			break;
		}
		for (size_t i = 0; i < lines; i++)
			order[i] = (uint32_t)i;
		for (size_t i = lines - 1; i > 0; i--) {
			size_t j = xorshift(&b->lane[0].rng) % (i + 1);
			uint32_t x = order[i];

			order[i] = order[j];
			order[j] = x;
		}
		for (size_t i = 0; i < lines; i++)
			chase[(size_t)order[i] * 8] = (uint64_t)order[(i + 1) % lines] * 8;
		COMP(z ? "load_64MiB" : "load_256KiB",
		     z ? "one dependent load, random in 64 MiB"
		       : "one dependent load, random in 256 KiB",
		     at = chase[at]);
		acc += at;
		rte_free(chase);
		free(order);
	}
	sink = acc;
	(void)sink;
out:
	free(tid);
	free(sid);
	free(sub);
	free(slot);
	free(inet);
	free(sidx6);
	return n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: lns_bench [EAL options] -- --config FILE --sessions N [--sizes "
		"64,512,1400]\n"
		"       [--sizes6 SIZES] [--scenarios plain,up,down,up6,down6]\n"
		"       [--window-ms MS] [--warmup-ms MS] [--reps N] [--round K] [--spt N]\n"
		"       [--fib api|direct|auto] [--remote] [--json FILE] [--perf-ctl FIFO]\n"
		"       [--workers 1,2,...]\n");
}

/* A comma-separated list of sizes into sizes[]; their count, or -1. */
static int parse_sizes(const char *arg, unsigned *sizes, unsigned max)
{
	const char *s = arg;
	char *end;
	int n = 0;

	while (*s) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || (*end != ',' && *end != 0) || n == (int)max || v > 65535)
			return -1;
		sizes[n++] = (unsigned)v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* A comma-separated list of scenario names (exact: "up" is not "up6"); the mask, or 0. */
static unsigned parse_scenarios(const char *arg)
{
	unsigned mask = 0;
	const char *s = arg;

	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned i;

		for (i = 0; i < SC_N; i++)
			if (strlen(bench_scen_name[i]) == len &&
			    strncmp(s, bench_scen_name[i], len) == 0)
				break;
		if (i == SC_N)
			return 0;
		mask |= 1u << i;
		s += len;
		if (*s == ',')
			s++;
	}
	return mask;
}

/* Whether sizes[] (n of them) holds size. */
static bool has_size(const unsigned *sizes, unsigned n, unsigned size)
{
	for (unsigned i = 0; i < n; i++)
		if (sizes[i] == size)
			return true;
	return false;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"config", required_argument, NULL, 'c'},
		{"sessions", required_argument, NULL, 'n'},
		{"sizes", required_argument, NULL, 's'},
		{"sizes6", required_argument, NULL, '6'},
		{"window-ms", required_argument, NULL, 'w'},
		{"warmup-ms", required_argument, NULL, 'u'},
		{"reps", required_argument, NULL, 'r'},
		{"round", required_argument, NULL, 'k'},
		{"spt", required_argument, NULL, 't'},
		{"fib", required_argument, NULL, 'f'},
		{"json", required_argument, NULL, 'j'},
		{"remote", no_argument, NULL, 'R'},
		{"perf-ctl", required_argument, NULL, 'P'},
		{"scenarios", required_argument, NULL, 'S'},
		{"workers", required_argument, NULL, 'W'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct opts){.config = "bench/bench.yaml",
			   .sessions = 1000,
			   .spt = 1000,
			   .round = 1024,
			   .reps = 3,
			   .window_ms = 200,
			   .warmup_ms = 40,
			   .sizes = {64, 512, 1400},
			   .n_sizes = 3,
			   .fib = -1,
			   .scen_mask = (1u << SC_N) - 1,
			   .scale = {1},
			   .n_scale = 1};
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'n':
			o->sessions = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 's':
		case '6': {
			int n = parse_sizes(optarg, c == 's' ? o->sizes : o->sizes6,
					    RTE_DIM(o->sizes));

			if (n <= 0)
				return -1;
			*(c == 's' ? &o->n_sizes : &o->n_sizes6) = (unsigned)n;
			break;
		}
		case 'w':
			o->window_ms = strtod(optarg, NULL);
			break;
		case 'u':
			o->warmup_ms = strtod(optarg, NULL);
			break;
		case 'r':
			o->reps = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'k':
			o->round = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->spt = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'f':
			o->fib = strcmp(optarg, "api") == 0      ? 0
				 : strcmp(optarg, "direct") == 0 ? 1
								 : -1;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'R':
			o->remote = true;
			break;
		case 'P':
			o->perf_ctl = optarg;
			break;
		case 'W': {
			char *p = optarg, *end;

			o->n_scale = 0;
			while (*p && o->n_scale < RTE_DIM(o->scale)) {
				unsigned long v = strtoul(p, &end, 10);

				if (end == p || v == 0 || v > LNS_MAX_WORKERS)
					return -1;
				o->scale[o->n_scale++] = (unsigned)v;
				p = *end == ',' ? end + 1 : end;
			}
			if (*p)
				return -1;
			break;
		}
		case 'S':
			o->scen_mask = parse_scenarios(optarg);
			break;
		default:
			return -1;
		}
	}
	if (o->sessions == 0 || o->sessions > LNS_NH_MAX_SLOTS || o->spt == 0 || o->spt > 65535 ||
	    o->sessions / o->spt >= 65535 || o->round == 0 || o->round > BENCH_ROUND_MAX ||
	    o->reps == 0 || o->n_sizes == 0 || o->scen_mask == 0 || o->n_scale == 0)
		return -1;
	if (o->n_sizes6 == 0) {
		memcpy(o->sizes6, o->sizes, sizeof(o->sizes));
		o->n_sizes6 = o->n_sizes;
	}
	/* The inner packet holds its IP and UDP headers: 28 octets in IPv4, 48 in IPv6. */
	for (unsigned i = 0; i < o->n_sizes; i++)
		if (o->sizes[i] < 28 || o->sizes[i] > 1400)
			return -1;
	for (unsigned i = 0; i < o->n_sizes6; i++)
		if ((o->scen_mask & (1u << SC_UP6 | 1u << SC_DOWN6)) &&
		    (o->sizes6[i] < 48 || o->sizes6[i] > 1400))
			return -1;
	return 0;
}

static void json_stats(FILE *f, const struct stats *s)
{
	fprintf(f,
		"{\"median\": %.3f, \"mean\": %.3f, \"min\": %.3f, \"p90\": %.3f, "
		"\"rounds\": %lu, \"pkts\": %lu}",
		s->median, s->mean, s->min, s->p90, (unsigned long)s->rounds,
		(unsigned long)s->pkts);
}

static double loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l = -1;

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* Scenario SC at SIZE with NW workers at once: floor and lns in turn, written to the JSON. */
static int scenario(struct bench *b, enum bench_scen sc, unsigned size, unsigned nw, bool first)
{
	struct bench_env *e = &b->env;
	unsigned reps = RTE_MIN(b->o.reps, 16u);
	struct stats st[P_N][16];
	double lane_med[P_N][16][LNS_MAX_WORKERS];
	struct bench_tmpl t;

	if (bench_scen_up(sc) && nw > (e->n_sess + e->spt - 1) / e->spt) {
		fprintf(stderr,
			"lns_bench: %u workers need as many tunnels upstream (a tunnel comes on "
			"one queue): lower --spt\n",
			nw);
		return -1;
	}
	bench_tmpl_build(e, &t, sc, size);
	for (unsigned w = 0; w < nw; w++)
		for (uint32_t j = 0; j < b->o.round; j++)
			bench_pkt_fill(e, &t, b->lane[w].mb[j]);
	/* Floor and lns alternate, so that both see the same neighbours. */
	for (unsigned r = 0; r < reps; r++)
		for (unsigned pa = 0; pa < P_N; pa++)
			if (measure(b, &t, (enum path)pa, nw, &st[pa][r], lane_med[pa][r]) < 0) {
				drain(b);
				return -1;
			}
	for (unsigned pa = 0; pa < P_N; pa++) {
		double med[16];
		unsigned mid = 0;

		for (unsigned r = 0; r < reps; r++)
			med[r] = st[pa][r].median;
		qsort(med, reps, sizeof(double), cmp_double);
		for (unsigned r = 0; r < reps; r++)
			if (st[pa][r].median == med[reps / 2])
				mid = r;
		fprintf(b->js,
			"%s\n    {\"scenario\": \"%s\", \"size\": %u, \"path\": \"%s\", "
			"\"workers\": %u, \"cycles\": %.3f, \"lanes\": [",
			first ? "" : ",", bench_scen_name[sc], size, path_name[pa], nw,
			med[reps / 2]);
		for (unsigned w = 0; w < nw; w++)
			fprintf(b->js, "%s%.3f", w ? ", " : "", lane_med[pa][mid][w]);
		fprintf(b->js, "], \"reps\": [");
		first = false;
		for (unsigned r = 0; r < reps; r++) {
			fprintf(b->js, "%s", r ? ", " : "");
			json_stats(b->js, &st[pa][r]);
		}
		fprintf(b->js, "]}");
	}
	fprintf(stderr,
		"lns_bench: N=%u workers %u %-5s %4u B: floor %.1f, lns %.1f cycles/pkt a worker\n",
		e->n_sess, nw, bench_scen_name[sc], size, st[P_FLOOR][0].median,
		st[P_LNS][0].median);
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct bench_env *e = &b.env;
	struct comp comps[16];
	unsigned n_comp, sizes[16], n_sizes;
	char err[512];
	int n, ret = EXIT_FAILURE;
	bool first = true;
	double load0;
	FILE *perf = NULL;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "lns_bench: EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= n;
	argv += n;
	if (parse(argc, argv, &b.o) < 0) {
		usage();
		goto out;
	}
	load0 = loadavg();
	b.hz = (double)rte_get_tsc_hz();
	b.js = b.o.json ? fopen(b.o.json, "w") : stdout;
	if (b.js == NULL) {
		perror(b.o.json);
		goto out;
	}
	if (bench_env_init(e, b.o.config, b.o.sessions, b.o.spt, b.o.fib < 0 ? 0 : b.o.fib, err,
			   sizeof(err)) < 0) {
		fprintf(stderr, "lns_bench: %s\n", err);
		goto out;
	}
	fprintf(stderr, "lns_bench: %u sessions in %.2f s, FIB %s in %.2f s, IPv6 FIB in %.2f s\n",
		e->n_sess, e->t_publish_s,
		e->fib_direct ? "written directly" : "by lns_fib_add_session", e->t_fib_s,
		e->t_fib6_s);
	b.n_lanes = e->rt->n_workers;
	for (unsigned i = 0; i < b.o.n_scale; i++)
		if (b.o.scale[i] > b.n_lanes || (b.o.remote && b.o.scale[i] > 1)) {
			fprintf(stderr,
				"lns_bench: --workers %u: the runtime has %u workers (EAL lcores "
				"but "
				"the main one)%s\n",
				b.o.scale[i], b.n_lanes, b.o.remote ? "; --remote runs one" : "");
			goto out;
		}
	for (unsigned p = 0; p < BENCH_PORTS; p++)
		for (unsigned w = 0; w < b.n_lanes; w++)
			if (rte_eth_add_rx_callback(e->rt->ports[p].port_id, (uint16_t)w, probe_cb,
						    &b.probe[p][w]) == NULL) {
				fprintf(stderr, "lns_bench: RX callback: %s\n",
					rte_strerror(rte_errno));
				goto out;
			}
	for (unsigned w = 0; w < b.n_lanes; w++) {
		struct lane *l = &b.lane[w];

		l->b = &b;
		l->crew = &b.crew;
		l->idx = w;
		l->rng = 0x2545f491u + w * 0x9e3779b9u;
		l->perm = malloc((size_t)e->n_sess * sizeof(*l->perm));
		l->mb = calloc(b.o.round, sizeof(*l->mb));
		l->sidx = calloc(b.o.round, sizeof(*l->sidx));
		l->rnd = calloc(b.o.round, sizeof(*l->rnd));
		l->max_samples = 1u << 20;
		l->samples = malloc(l->max_samples * sizeof(*l->samples));
		if (!l->perm || !l->mb || !l->sidx || !l->rnd || !l->samples ||
		    rte_pktmbuf_alloc_bulk(e->rt->pool, l->mb, b.o.round) != 0) {
			fprintf(stderr, "lns_bench: out of memory\n");
			goto out;
		}
		for (uint32_t i = 0; i < e->n_sess; i++)
			l->perm[i] = i;
		for (uint32_t i = e->n_sess - 1; i > 0; i--) {
			uint32_t j = xorshift(&l->rng) % (i + 1), x = l->perm[i];

			l->perm[i] = l->perm[j];
			l->perm[j] = x;
		}
	}
	n_comp = components(&b, comps);

	fprintf(b.js,
		"{\n  \"sessions\": %u, \"max_sessions\": %u, \"sessions_per_tunnel\": %u, "
		"\"tunnels\": %u,\n",
		e->n_sess, e->cfg->l2tp.max_sessions, e->spt, (e->n_sess + e->spt - 1) / e->spt);
	fprintf(b.js,
		"  \"tsc_hz\": %.0f, \"round_pkts\": %u, \"burst\": %u, \"window_ms\": %.1f, "
		"\"warmup_ms\": %.1f, \"reps\": %u, \"loadavg_start\": %.2f,\n"
		"  \"mode\": \"%s\",\n",
		b.hz, b.o.round, e->cfg->dataplane.burst, b.o.window_ms, b.o.warmup_ms, b.o.reps,
		load0, b.o.remote ? "remote" : "inline");
	fprintf(b.js,
		"  \"setup\": {\"publish_s\": %.3f, \"fib_s\": %.3f, \"fib6_s\": %.3f, "
		"\"fib_fill\": \"%s\", \"fib_direct_selftest\": \"%s\"},\n",
		e->t_publish_s, e->t_fib_s, e->t_fib6_s,
		e->fib_direct ? "direct" : "lns_fib_add_session",
		/* not run where a pool takes the addresses (bench/env.c fib_sessions) */
		e->fib_direct || e->rt->fib->n_pool ? "not run"
		: e->fib_selftest == 1              ? "identical"
						    : "DIFFERENT");
	fprintf(b.js,
		"  \"memory\": {\"mbuf_pool\": %zu, \"neigh_table\": %zu, \"session_table\": %zu, "
		"\"session_entries\": %zu, \"session_counters\": %zu, \"fib\": %zu, "
		"\"fib_sessions\": %zu, \"fib_pools\": %zu, \"fib6\": %zu},\n",
		e->mem_pool, e->mem_neigh, e->mem_sess_table, e->mem_sess_entries, e->mem_sess_ctr,
		e->mem_fib, e->mem_fib_fill, e->mem_fib_pools, e->mem_fib6);
	fprintf(b.js,
		"  \"sizeof\": {\"lns_dp_session\": %zu, \"lns_sess_ctr\": %zu, \"rte_mbuf\": "
		"%zu},\n",
		sizeof(struct lns_dp_session), sizeof(struct lns_sess_ctr),
		sizeof(struct rte_mbuf));
	/* The control plane's heap beyond the two structs: malloc's header on each (16 B), and
	 * the user name, Calling/Called-Station-Id and RADIUS Class kept at their length (a
	 * chunk of 32 B each for the usual 8-24 octets). */
	fprintf(b.js,
		"  \"cp_sizeof\": {\"l2tp_session\": %zu, \"ppp_session\": %zu, "
		"\"heap_strings_and_headers\": %d},\n",
		sizeof(struct l2tp_session), sizeof(struct ppp_session), 2 * 16 + 4 * 32);
	fprintf(b.js, "  \"components\": [");
	for (unsigned i = 0; i < n_comp; i++)
		fprintf(b.js, "%s\n    {\"name\": \"%s\", \"what\": \"%s\", \"cycles\": %.2f}",
			i ? "," : "", comps[i].name, comps[i].what, comps[i].cycles);
	fprintf(b.js, "\n  ],\n  \"results\": [");
	if (b.o.perf_ctl) {
		perf = fopen(b.o.perf_ctl, "w");
		if (perf) {
			fputs("enable\n", perf);
			fflush(perf);
		}
	}

	/* Every size of either list, each with the scenarios it is asked for. */
	memcpy(sizes, b.o.sizes, b.o.n_sizes * sizeof(sizes[0]));
	n_sizes = b.o.n_sizes;
	for (unsigned i = 0; i < b.o.n_sizes6; i++)
		if (!has_size(sizes, n_sizes, b.o.sizes6[i]))
			sizes[n_sizes++] = b.o.sizes6[i];
	for (unsigned wi = 0; wi < b.o.n_scale; wi++) {
		unsigned nw = b.o.scale[wi];

		/* Upstream counters go to the first worker that counts a session (dp/session.h);
		 * with another number of workers the tunnels land elsewhere: as fresh sessions. */
		for (uint32_t i = 0; wi > 0 && i < e->n_sess; i++) {
			struct lns_dp_session *s = (struct lns_dp_session *)lns_session_entry(
				e->rt->sessions, e->slot[i]);

			s->up_owner = LNS_SESS_OWNER_NONE;
		}
		for (unsigned si = 0; si < n_sizes; si++) {
			for (unsigned sc = 0; sc < SC_N; sc++) {
				if (!(b.o.scen_mask & (1u << sc)))
					continue;
				if (bench_scen_v6((enum bench_scen)sc)
					    ? !has_size(b.o.sizes6, b.o.n_sizes6, sizes[si])
					    : !has_size(b.o.sizes, b.o.n_sizes, sizes[si]))
					continue;
				if (scenario(&b, (enum bench_scen)sc, sizes[si], nw, first) < 0)
					goto out;
				first = false;
			}
		}
	}
	if (perf) {
		fputs("disable\n", perf);
		fclose(perf);
		perf = NULL;
	}
	fprintf(b.js, "\n  ],\n  \"loadavg_end\": %.2f\n}\n", loadavg());
	ret = 0;
out:
	if (perf)
		fclose(perf);
	if (b.js && b.js != stdout)
		fclose(b.js);
	for (unsigned w = 0; w < b.n_lanes; w++) {
		struct lane *l = &b.lane[w];

		if (ret == 0 && l->mb && l->mb[0]) /* else some are on rings: let them be */
			rte_pktmbuf_free_bulk(l->mb, b.o.round);
		free(l->perm);
		free(l->mb);
		free(l->sidx);
		free(l->rnd);
		free(l->samples);
	}
	bench_env_fini(e);
	rte_eal_cleanup();
	return ret;
}
