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
	ARG("--lcores"); /* -l takes plain lists only; --lcores also maps lcores to CPUs */
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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check", no_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static struct lns_runtime rt;
	struct lns_runtime_mem mem;
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

	if (lns_runtime_init(&rt, cfg, cfg->dataplane.mbufs, &mem) < 0 || lns_ports_start(&rt) < 0)
		goto out;
	LNS_LOG(INFO, app,
		"memory: mbufs %zu KiB, session table %zu KiB, per-session counters %zu KiB, "
		"FIB %zu KiB, IPv6 FIB %zu KiB (%u prefixes), neighbours %zu KiB (for %u sessions)",
		mem.pool / 1024, mem.sessions / 1024, mem.sess_ctr / 1024, mem.fib / 1024,
		mem.fib6 / 1024, mem.fib6_prefixes, mem.neigh / 1024, cfg->l2tp.max_sessions);
	if (lns_fib_fill(&rt) < 0) {
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
	lns_runtime_fini(&rt);
	rte_eal_cleanup();
	lns_config_free(cfg);
	return ret;
}
