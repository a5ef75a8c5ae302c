/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lnsd: the LNS daemon. Loads the configuration, starts DPDK's EAL and the
 * ports from it, launches the workers on every lcore but the main one, and
 * runs the control loop on the main lcore until SIGINT/SIGTERM. Only start-up
 * may exit; the orderly stop closes the ports and logs the final counters.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_timer.h>

#include "app/app.h"
#include "config/config.h"
#include "cp/cp.h"
#include "cp/log.h"
#include "crypto/crypto.h"
#include "dp/neigh.h"
#include "dp/fib.h"
#include "dp/session.h"

#define EXIT_CONFIG 2
#define NEIGH_ENTRIES 65536

static void usage(FILE *f)
{
	fprintf(f, "usage: lnsd -c FILE [--check]\n"
		   "  -c, --config FILE  configuration (YAML), see docs/configuration.md\n"
		   "      --check        validate the configuration and exit (0 valid, 2 not)\n"
		   "  -h, --help         this text\n");
}

static void on_signal(int sig)
{
	(void)sig;
	lns_quit = 1;
}

/* EAL's argument vector from the configuration. */
static int eal_args(const struct lns_config *cfg, char **argv, int max)
{
	static char mem[16], main_lcore[16];
	int argc = 0;
	bool pci = false;

#define ARG(s)                                                                                     \
	do {                                                                                       \
		if (argc >= max - 1)                                                               \
			return -E2BIG;                                                             \
		argv[argc++] = (char *)(s);                                                        \
	} while (0)
	ARG("lnsd");
	ARG("-l");
	ARG(cfg->eal.lcores);
	if (cfg->eal.main_lcore >= 0) {
		snprintf(main_lcore, sizeof(main_lcore), "%d", cfg->eal.main_lcore);
		ARG("--main-lcore");
		ARG(main_lcore);
	}
	snprintf(mem, sizeof(mem), "%u", cfg->eal.memory_mb);
	ARG("-m");
	ARG(mem);
	if (cfg->eal.no_huge)
		ARG("--no-huge");
	ARG("--file-prefix");
	ARG(cfg->eal.file_prefix);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		if (lns_device_is_pci(cfg->ports[i].device)) {
			ARG("-a");
			ARG(cfg->ports[i].device);
			pci = true;
		}
	}
	if (!pci)
		ARG("--no-pci");
	/* Virtual devices are created after EAL start, once the queue count is known. */
	for (size_t i = 0; i < cfg->eal.n_extra_args; i++)
		ARG(cfg->eal.extra_args[i]);
	argv[argc] = NULL;
#undef ARG
	return argc;
}

static void set_log_levels(const struct lns_config *cfg)
{
	rte_log_set_level_pattern("lns.*", (uint32_t)cfg->log.level);
	for (size_t i = 0; i < cfg->log.n_components; i++)
		rte_log_set_level_pattern(cfg->log.components[i].name,
					  (uint32_t)cfg->log.components[i].level);
}

static int runtime_init(struct lns_runtime *rt, const struct lns_config *cfg)
{
	const struct lns_dataplane_cfg *dc = &cfg->dataplane;
	unsigned lc, w = 0;
	size_t sz;

	rt->cfg = cfg;
	rt->punt_efd = -1;
	rt->n_workers = rte_lcore_count() - 1;
	if (rt->n_workers == 0 || rt->n_workers > LNS_MAX_WORKERS) {
		LNS_LOG(ERR, app, "eal.lcores \"%s\" gives %u worker lcores; need 1 to %u",
			cfg->eal.lcores, rt->n_workers, LNS_MAX_WORKERS);
		return -EINVAL;
	}
	RTE_LCORE_FOREACH_WORKER(lc) {
		rt->workers[w].rt = rt;
		rt->workers[w].lcore = lc;
		rt->workers[w].idx = w;
		w++;
	}
	rt->pool = rte_pktmbuf_pool_create("lns_mbufs", dc->mbufs, dc->mbuf_cache, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (rt->pool == NULL) {
		LNS_LOG(ERR, app, "mbuf pool of %u: %s (raise eal.memory-mb?)", dc->mbufs,
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	rt->punt = rte_ring_create("lns_punt", dc->punt_ring_size, rte_socket_id(), RING_F_SC_DEQ);
	if (rt->punt == NULL)
		return -ENOMEM;
	rt->punt_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (rt->punt_efd < 0)
		return -errno;
	sz = rte_rcu_qsbr_get_memsize(rt->n_workers);
	rt->qsbr = rte_zmalloc("lns_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (rt->qsbr == NULL || rte_rcu_qsbr_init(rt->qsbr, rt->n_workers) != 0)
		return -ENOMEM;
	rt->neigh = lns_neigh_table_create("lns_neigh", NEIGH_ENTRIES, rt->qsbr);
	if (rt->neigh == NULL)
		return -ENOMEM;
	rt->sessions = lns_session_table_create("lns_sessions", cfg->l2tp.max_sessions, rt->qsbr);
	if (rt->sessions == NULL) {
		LNS_LOG(ERR, app, "session table of %u: out of memory (raise eal.memory-mb?)",
			cfg->l2tp.max_sessions);
		return -ENOMEM;
	}
	rt->l2tp_port = rte_cpu_to_be_16((uint16_t)cfg->l2tp.port);
	rt->n_slots = cfg->l2tp.max_sessions;
	rt->sess_ctr = rte_zmalloc("sess_ctr",
				   (size_t)rt->n_workers * rt->n_slots * sizeof(*rt->sess_ctr),
				   RTE_CACHE_LINE_SIZE);
	if (rt->sess_ctr == NULL) {
		LNS_LOG(ERR, app, "per-session counters: out of memory (raise eal.memory-mb?)");
		return -ENOMEM;
	}
	/* One /32 per session plus routes; a tbl8 group per /24 that holds sessions. */
	rt->fib = lns_fib_create("lns_fib4", cfg->l2tp.max_sessions + 1024,
				 RTE_MAX(256u, RTE_MIN(cfg->l2tp.max_sessions / 16, 16384u)), rt->qsbr);
	if (rt->fib == NULL) {
		LNS_LOG(ERR, app, "FIB: out of memory (raise eal.memory-mb?)");
		return -ENOMEM;
	}
	return 0;
}

/* Connected subnets and static routes, once the ports are known. */
static int fib_fill(struct lns_runtime *rt)
{
	const struct lns_config *cfg = rt->cfg;

	for (unsigned i = 0; i < rt->n_ports; i++) {
		const struct lns_port *p = &rt->ports[i];

		for (unsigned a = 0; a < p->n_v4; a++) {
			struct lns_nexthop nh = {.port = (uint16_t)i, .gw = 0};
			uint32_t mask = p->v4_plen[a] ? ~0u << (32 - p->v4_plen[a]) : 0;
			rte_be32_t net = rte_cpu_to_be_32(rte_be_to_cpu_32(p->v4[a]) & mask);

			if (lns_fib_add_route(rt->fib, net, p->v4_plen[a], &nh) < 0)
				return -ENOSPC;
		}
	}
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];
		struct lns_nexthop nh = {.port = (uint16_t)r->port, .gw = r->via.v4.s_addr};

		if (r->prefix.family != AF_INET)
			continue; /* IPv6 forwarding comes with its own FIB */
		if (lns_fib_add_route(rt->fib, r->prefix.v4.s_addr, r->prefix.plen, &nh) < 0)
			return -ENOSPC;
	}
	return 0;
}

static void runtime_fini(struct lns_runtime *rt)
{
	lns_fib_free(rt->fib);
	rte_free(rt->sess_ctr);
	lns_session_table_free(rt->sessions);
	lns_neigh_table_free(rt->neigh);
	rte_free(rt->qsbr);
	if (rt->punt_efd >= 0)
		close(rt->punt_efd);
	if (rt->punt) {
		struct rte_mbuf *m = NULL;

		while (rte_ring_dequeue(rt->punt, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(rt->punt);
	}
	rte_mempool_free(rt->pool);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check", no_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static struct lns_runtime rt;
	static struct lns_cp cp;
	const char *file = NULL;
	bool check = false, cp_up = false;
	struct lns_config *cfg;
	char err[512], *eargv[64];
	int c, eargc, ret = EXIT_FAILURE;
	unsigned lc;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'k':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_CONFIG;
		}
	}
	if (file == NULL || optind != argc) {
		usage(stderr);
		return EXIT_CONFIG;
	}
	cfg = lns_config_load(file, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "%s\n", err);
		return EXIT_CONFIG;
	}
	if (check) {
		printf("%s: configuration is valid\n", file);
		lns_config_free(cfg);
		return 0;
	}

	rte_openlog_stream(stderr);
	eargc = eal_args(cfg, eargv, RTE_DIM(eargv));
	if (eargc < 0 || rte_eal_init(eargc, eargv) < 0) {
		fprintf(stderr, "lnsd: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		lns_config_free(cfg);
		return EXIT_FAILURE;
	}
	set_log_levels(cfg);
	rte_timer_subsystem_init();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	if (runtime_init(&rt, cfg) < 0 || lns_ports_start(&rt) < 0)
		goto out;
	if (fib_fill(&rt) < 0) {
		LNS_LOG(ERR, app, "FIB: too many routes or next hops");
		goto out;
	}
	if (lns_crypto_init() < 0) {
		LNS_LOG(ERR, app, "IPsec-MB initialisation failed");
		goto out;
	}
	LNS_LOG(INFO, app, "IPsec-MB %s, %s code path", lns_crypto_version(), lns_crypto_arch());
	if (lns_cp_init(&cp, &rt) < 0)
		goto out;
	cp_up = true;

	RTE_LCORE_FOREACH_WORKER(lc) {
		for (unsigned w = 0; w < rt.n_workers; w++)
			if (rt.workers[w].lcore == lc)
				rte_eal_remote_launch(lns_worker_main, &rt.workers[w], lc);
	}
	LNS_LOG(NOTICE, app, "lnsd running: %u ports, %u workers, control on lcore %u", rt.n_ports,
		rt.n_workers, rte_lcore_id());
	lns_cp_run(&cp);
	LNS_LOG(NOTICE, app, "stopping");
	lns_cp_shutdown(&cp, 1500);
	ret = 0;
out:
	rt.stop = true;
	rte_eal_mp_wait_lcore();
	if (cp_up) {
		lns_cp_log_counters(&cp, "final counters");
		lns_cp_fini(&cp);
	}
	lns_ports_stop(&rt);
	lns_crypto_fini();
	runtime_fini(&rt);
	rte_eal_cleanup();
	lns_config_free(cfg);
	return ret;
}
