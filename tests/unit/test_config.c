/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the configuration loader (config/): the examples load, every
 * file in tests/unit/bad/ fails with its exact message, fields and defaults
 * land where they should, and the address helpers handle their edge cases.
 * No EAL; run under ASan/LSan in the sanitizer build.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"

#ifndef LNS_SRC_DIR
#error "LNS_SRC_DIR must name the source tree"
#endif
#define EXAMPLES_DIR LNS_SRC_DIR "/config/examples"
#define BAD_DIR      LNS_SRC_DIR "/tests/unit/bad"

static struct lns_config *load(const char *dir, const char *file, char *err, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return lns_config_load(path, err, len);
}

static struct lns_config *parse(const char *yaml)
{
	char err[512];
	struct lns_config *cfg =
		lns_config_parse("test.yaml", yaml, strlen(yaml), err, sizeof(err));

	if (cfg == NULL)
		print_error("unexpected error: %s\n", err);
	return cfg;
}

static void parse_fails(const char *yaml, const char *expect)
{
	char err[512];
	struct lns_config *cfg =
		lns_config_parse("test.yaml", yaml, strlen(yaml), err, sizeof(err));

	assert_null(cfg);
	assert_string_equal(err, expect);
}

static void test_examples_load(void **state)
{
	struct dirent *de;
	int loaded = 0;
	DIR *d;

	(void)state;
	d = opendir(EXAMPLES_DIR);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		struct lns_config *cfg;
		char err[512];

		if (n < 5 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		cfg = load(EXAMPLES_DIR, de->d_name, err, sizeof(err));
		if (cfg == NULL)
			fail_msg("%s", err);
		lns_config_free(cfg);
		loaded++;
	}
	closedir(d);
	assert_true(loaded >= 2);
}

/* Each file of tests/unit/bad/ and the message it must give (after "DIR/"). */
static const struct {
	const char *file, *msg;
} bad[] = {
	{"syntax.yaml", "syntax.yaml:5:1: syntax error: found unexpected end of stream (while "
			"scanning a quoted scalar at line 3, column 13)"},
	{"syntax-indent.yaml", "syntax-indent.yaml:3:4: syntax error: did not find expected '-' "
			       "indicator (while parsing a block collection at line 2, column 3)"},
	{"not-utf8.yaml", "not-utf8.yaml:6:15: syntax error: invalid leading UTF-8 octet (byte "
			  "0xff)"},
	{"unknown-top.yaml", "unknown-top.yaml:10:1: unknown key \"prots\" in top level (expected "
			     "one of: eal, log, dataplane, ports, routes, l2tp, ppp, pools, users, "
			     "management, radius)"},
	{"unknown-nested.yaml", "unknown-nested.yaml:9:5: unknown key \"mtuu\" in ports[1] "
				"(expected one of: name, device, role, mtu, vlan, mac, addresses)"},
	{"int-string.yaml", "int-string.yaml:9:10: ports[1].mtu: expected an integer between 68 "
			    "and 9600, got \"abc\""},
	{"int-float.yaml", "int-float.yaml:2:10: dataplane.burst: expected an integer between 1 "
			   "and 256, got \"1.5\""},
	{"int-hex.yaml", "int-hex.yaml:2:10: dataplane.burst: expected an integer between 1 and "
			 "256, got \"0x10\""},
	{"int-overflow.yaml", "int-overflow.yaml:2:10: dataplane.mbufs: expected an integer "
			      "between 1024 and 16777215, got \"99999999999999999999\""},
	{"list-for-map.yaml", "list-for-map.yaml:2:3: eal: expected a mapping, got a list"},
	{"map-for-list.yaml", "map-for-list.yaml:9:16: ports[1].addresses: expected a list, got a "
			      "mapping"},
	{"scalar-for-map.yaml", "scalar-for-map.yaml:1:7: l2tp: expected a mapping, got \"yes\""},
	{"range.yaml", "range.yaml:9:10: ports[1].mtu: expected an integer between 68 and 9600, "
		       "got \"67\""},
	{"bool.yaml", "bool.yaml:2:12: eal.no-huge: expected true or false, got \"maybe\""},
	{"level.yaml", "level.yaml:2:10: log.level: expected one of emergency, alert, critical, "
		       "error, warning, notice, info, debug, got \"verbose\""},
	{"missing-key.yaml", "missing-key.yaml:6:5: ports[1]: missing required key \"device\""},
	{"missing-ports.yaml", "missing-ports.yaml:1:1: top level: missing required key "
			       "\"ports\""},
	{"too-many-ports.yaml", "too-many-ports.yaml:2:3: ports: expected 1 to 16 entries, got "
				"17"},
	{"bad-address.yaml", "bad-address.yaml:9:17: ports[1].addresses[0]: expected an address "
			     "with a prefix length such as 192.0.2.1/24, got "
			     "\"198.51.100.300/24\""},
	{"address-no-plen.yaml", "address-no-plen.yaml:9:17: ports[1].addresses[0]: expected an "
				 "address with a prefix length such as 192.0.2.1/24, got "
				 "\"198.51.100.1\""},
	{"route-host-bits.yaml", "route-host-bits.yaml:11:13: routes[0].prefix: host bits are set "
				 "in 203.0.113.1/24 (the prefix is 203.0.113.0/24)"},
	{"dup-port-name.yaml", "dup-port-name.yaml:6:11: ports[1].name: duplicate port name "
			       "\"access0\" (also ports[0])"},
	{"dup-device.yaml", "dup-device.yaml:7:13: ports[1].device: device "
			    "\"net_af_packet0,iface=other\" is already used by ports[0]"},
	{"dup-address.yaml", "dup-address.yaml:9:17: ports[1].addresses[0]: duplicate address "
			     "192.0.2.1 (also ports[0].addresses[0])"},
	{"dup-key.yaml", "dup-key.yaml:9:5: duplicate key \"role\" in ports[1] (first at line 8)"},
	{"mac.yaml", "mac.yaml:9:10: ports[1].mac: expected a unicast MAC address such as "
		     "02:00:00:00:00:01, got \"01:00:5e:00:00:01\""},
	{"name-chars.yaml", "name-chars.yaml:6:11: ports[1].name: expected a name of letters, "
			    "digits, \"_\", \".\" and \"-\", got \"core 0\""},
	{"too-long.yaml", "too-long.yaml:6:11: ports[1].name: expected a string of 1 to 63 "
			  "characters, got 64"},
	{"no-access.yaml", "no-access.yaml:2:3: ports: expected at least one port with role "
			   "access or both (L2TP has nowhere to listen)"},
	{"pool-overlap-within.yaml", "pool-overlap-within.yaml:14:9: pools[0].ranges[1]: "
				     "\"100.64.0.200-100.64.1.10\" overlaps "
				     "100.64.0.1-100.64.0.254, earlier in the same pool"},
	{"pool-overlap-across.yaml", "pool-overlap-across.yaml:14:14: pools[1].ranges[0]: "
				     "\"100.64.3.0/24\" overlaps 100.64.0.1-100.64.3.254 of pool "
				     "\"default\""},
	{"pool-family.yaml", "pool-family.yaml:12:31: pools[0].ranges[1]: \"2001:db8:100::/64\" "
			     "is IPv6 but the earlier ranges are IPv4 (one family per pool)"},
	{"pool6-not-prefixes.yaml", "pool6-not-prefixes.yaml:12:35: pools[0].ranges[1]: "
				    "\"2001:db8:200::1-2001:db8:200::ff\" is not made of whole /64 "
				    "prefixes"},
	{"ppp-ipv6-pool-length.yaml", "ppp-ipv6-pool-length.yaml:11:14: ppp.ipv6-pool: pool "
				      "\"delegated\" hands out /56 prefixes; the link's prefix "
				      "must be a /64 (SLAAC)"},
	{"ppp-dhcp6.yaml", "ppp-dhcp6.yaml:11:10: ppp.dhcp6: expected true or false, got "
			   "\"on-demand\""},
	{"pool-range-order.yaml", "pool-range-order.yaml:12:14: pools[0].ranges[0]: the first "
				  "address is above the last in \"100.64.0.9-100.64.0.1\""},
	{"route-via-unconnected.yaml", "route-via-unconnected.yaml:12:10: routes[0].via: "
				       "203.0.113.1 is not in a connected subnet of any port"},
	{"route-port-unknown.yaml", "route-port-unknown.yaml:13:11: routes[0].port: unknown port "
				    "\"core1\" (expected one of: access0, core0)"},
	{"route-port-wrong.yaml", "route-port-wrong.yaml:12:10: routes[0].via: 198.51.100.254 is "
				  "not in a connected subnet of port \"access0\""},
	{"route-family.yaml", "route-family.yaml:12:10: routes[0].via: expected an IPv6 address "
			      "like the prefix, got \"198.51.100.254\""},
	{"listen-core.yaml", "listen-core.yaml:11:12: l2tp.listen[0]: 198.51.100.1 is an address "
			     "of port \"core0\", whose role is core (expected a port with role "
			     "access or both)"},
	{"listen-unknown.yaml", "listen-unknown.yaml:11:12: l2tp.listen[0]: 192.0.2.2 is not an "
				"address of any port (expected an address of a port with role "
				"access or both)"},
	{"retransmit.yaml", "retransmit.yaml:13:13: l2tp.retransmit.max-ms: expected at least "
			    "initial-ms (2000), got 1000"},
	{"hide-avps.yaml", "hide-avps.yaml:14:18: l2tp.peers[0].hide-avps: hiding AVPs needs a "
			   "\"secret\""},
	{"peer-no-match.yaml", "peer-no-match.yaml:12:7: l2tp.peers[0]: expected \"match\" (a "
			       "list of source prefixes) or \"host-name\" to recognise the peer "
			       "by"},
	{"auth-dup.yaml", "auth-dup.yaml:11:25: ppp.auth[2]: duplicate \"pap\" (also ppp.auth[0])"},
	{"user-pool.yaml", "user-pool.yaml:16:11: users[0].pool: unknown pool \"gold\" (expected "
			   "one of: default)"},
	{"user-address-in-pool.yaml", "user-address-in-pool.yaml:16:14: users[0].address: "
				      "100.64.1.1 is inside pool \"default\" "
				      "(100.64.0.1-100.64.3.254)"},
	{"user-dup-address.yaml", "user-dup-address.yaml:16:14: users[1].address: duplicate "
				  "address 100.64.9.9 (also users[0])"},
	{"ring-pow2.yaml", "ring-pow2.yaml:2:19: dataplane.punt-ring-size: expected a power of "
			   "two between 64 and 1048576, got 1000"},
	{"mss-word.yaml", "mss-word.yaml:2:18: dataplane.tcp-mss-clamp: expected auto, off or an "
			  "integer between 536 and 65495, got \"on\""},
	{"mss-small.yaml", "mss-small.yaml:2:18: dataplane.tcp-mss-clamp: expected auto, off or "
			   "an integer between 536 and 65495, got \"500\""},
	{"icmp-rate.yaml", "icmp-rate.yaml:2:27: dataplane.icmp-errors-per-second: expected an "
			   "integer between 0 and 1000000, got \"-1\""},
	{"icmp-unreachable.yaml", "icmp-unreachable.yaml:3:21: dataplane.icmp-unreachable: "
				  "expected true or false, got \"sometimes\""},
	{"ipv6-prefixes.yaml", "ipv6-prefixes.yaml:2:18: dataplane.ipv6-prefixes: expected auto or "
			       "an integer between 0 and 16777216, got \"lots\""},
	{"main-lcore.yaml", "main-lcore.yaml:3:15: eal.main-lcore: expected one of the lcores "
			    "\"0-1\", got 2"},
	{"metrics.yaml", "metrics.yaml:11:12: management.metrics: expected \"ADDRESS:PORT\" or "
			 "\"[IPV6-ADDRESS]:PORT\", got \"::1:9100\""},
	{"socket.yaml", "socket.yaml:11:11: management.socket: expected an absolute path of at "
			"most 107 characters, got \"run/lns.sock\""},
	{"empty.yaml", "empty.yaml:1:1: top level: expected a mapping, got an empty file"},
	{"comments-only.yaml", "comments-only.yaml:1:1: top level: expected a mapping, got an "
			       "empty file"},
	{"top-list.yaml", "top-list.yaml:1:1: top level: expected a mapping, got a list"},
	{"top-scalar.yaml", "top-scalar.yaml:1:1: top level: expected a mapping, got \"hello\""},
	{"too-deep.yaml", "too-deep.yaml:2:40: nested more than 32 levels deep"},
	{"two-docs.yaml", "two-docs.yaml:11:1: expected one YAML document, found a second one"},
};

static void test_bad_files(void **state)
{
	size_t i, dirlen = strlen(BAD_DIR) + 1;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lns_config *cfg;
		char err[512];

		cfg = load(BAD_DIR, bad[i].file, err, sizeof(err));
		if (cfg != NULL) {
			print_error("%s: loaded, expected: %s\n", bad[i].file, bad[i].msg);
			lns_config_free(cfg);
			failed++;
		} else if (strchr(err, '\n') != NULL || strncmp(err, BAD_DIR "/", dirlen) != 0 ||
			   strcmp(err + dirlen, bad[i].msg) != 0) {
			print_error("%s:\n  got:      %s\n  expected: %s\n", bad[i].file, err,
				    bad[i].msg);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* Every file of bad/ has an entry in the table: none is left untested. */
static void test_bad_files_all_listed(void **state)
{
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(BAD_DIR);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t i;

		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strcmp(bad[i].file, de->d_name) == 0)
				break;
		if (i == sizeof(bad) / sizeof(bad[0]))
			fail_msg("%s has no expected message in test_config.c", de->d_name);
	}
	closedir(d);
}

static void test_cannot_open(void **state)
{
	char err[512];

	(void)state;
	assert_null(lns_config_load(BAD_DIR "/does-not-exist.yaml", err, sizeof(err)));
	assert_string_equal(err, BAD_DIR "/does-not-exist.yaml: cannot open: No such file or "
					 "directory");
	/* a short error buffer truncates, never overflows */
	assert_null(load(BAD_DIR, "unknown-top.yaml", err, 8));
	assert_int_equal(strlen(err), 7);
}

static const char *addr(const struct lns_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN + 4];
	static int i;

	i = (i + 1) % 4;
	return lns_prefix_str(a, buf[i], sizeof(buf[i]));
}

static void test_full_example(void **state)
{
	struct lns_config *cfg;
	char err[512];

	(void)state;
	cfg = load(EXAMPLES_DIR, "full.yaml", err, sizeof(err));
	if (cfg == NULL)
		fail_msg("%s", err);
	assert_string_equal(cfg->file, EXAMPLES_DIR "/full.yaml");

	assert_string_equal(cfg->eal.lcores, "0-1");
	assert_int_equal(cfg->eal.main_lcore, 0);
	assert_int_equal(cfg->eal.memory_mb, 512);
	assert_true(cfg->eal.no_huge);
	assert_string_equal(cfg->eal.file_prefix, "lns");
	assert_int_equal(cfg->eal.n_extra_args, 1);
	assert_string_equal(cfg->eal.extra_args[0], "--log-level=pmd.net.af_packet:8");

	assert_int_equal(cfg->log.level, LNS_LOG_INFO);
	assert_int_equal(cfg->log.n_components, 2);
	assert_string_equal(cfg->log.components[0].name, "lns.cp");
	assert_int_equal(cfg->log.components[0].level, LNS_LOG_DEBUG);
	assert_int_equal(cfg->log.components[1].level, LNS_LOG_NOTICE);

	assert_int_equal(cfg->dataplane.mbufs, 16383);
	assert_int_equal(cfg->dataplane.punt_ring_size, 2048);
	assert_int_equal(cfg->dataplane.idle_sleep_us, 100);
	assert_int_equal(cfg->dataplane.icmp_errors_per_second, 200);
	assert_false(cfg->dataplane.icmp_unreachable);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, 1420);
	assert_int_equal(cfg->dataplane.ipv6_prefixes, 140000);
	assert_int_equal(lns_config_ipv6_prefixes(cfg), 140000);

	assert_int_equal(cfg->n_ports, 2);
	assert_string_equal(cfg->ports[0].name, "access0");
	assert_string_equal(cfg->ports[0].device, "net_af_packet0,iface=lns-acc");
	assert_int_equal(cfg->ports[0].role, LNS_ROLE_ACCESS);
	assert_int_equal(cfg->ports[0].vlan, 100);
	assert_true(cfg->ports[0].has_mac);
	assert_memory_equal(cfg->ports[0].mac, "\x02\x00\x00\x00\x00\x01", 6);
	assert_int_equal(cfg->ports[0].n_addrs, 2);
	assert_string_equal(addr(&cfg->ports[0].addrs[0]), "192.0.2.1/24");
	assert_string_equal(addr(&cfg->ports[0].addrs[1]), "2001:db8:1::1/64");
	assert_int_equal(cfg->ports[1].role, LNS_ROLE_CORE);
	assert_int_equal(cfg->ports[1].mtu, 9000);
	assert_int_equal(cfg->ports[1].vlan, -1);
	assert_false(cfg->ports[1].has_mac);
	assert_int_equal(lns_port_by_name(cfg, "core0"), 1);
	assert_int_equal(lns_port_by_name(cfg, "core1"), -1);

	assert_int_equal(cfg->n_routes, 3);
	assert_string_equal(addr(&cfg->routes[0].prefix), "0.0.0.0/0");
	assert_string_equal(addr(&cfg->routes[0].via), "198.51.100.254/32");
	assert_int_equal(cfg->routes[0].port, 1);
	assert_string_equal(addr(&cfg->routes[1].prefix), "::/0");
	assert_int_equal(cfg->routes[1].port, 1); /* resolved from the subnet */
	assert_int_equal(cfg->routes[2].port, 0);

	assert_int_equal(cfg->l2tp.n_listen, 1);
	assert_string_equal(addr(&cfg->l2tp.listen[0]), "192.0.2.1/32");
	assert_int_equal(cfg->l2tp.port, 1701);
	assert_int_equal(cfg->l2tp.retransmit.max_ms, 8000);
	assert_int_equal(cfg->l2tp.n_peers, 2);
	assert_string_equal(cfg->l2tp.peers[0].name, "lac1");
	assert_int_equal(cfg->l2tp.peers[0].n_match, 2);
	assert_string_equal(addr(&cfg->l2tp.peers[0].match[0]), "192.0.2.0/25");
	assert_string_equal(addr(&cfg->l2tp.peers[0].match[1]), "203.0.113.7/32");
	assert_string_equal(cfg->l2tp.peers[0].secret, "s3cret");
	assert_true(cfg->l2tp.peers[0].hide_avps);
	assert_int_equal(cfg->l2tp.peers[0].max_sessions, 1000);
	assert_int_equal(cfg->l2tp.peers[1].n_match, 0);
	assert_null(cfg->l2tp.peers[1].match);
	assert_string_equal(cfg->l2tp.peers[1].host_name, "lac2.example.net");
	assert_true(cfg->l2tp.peers[1].allow);
	assert_string_equal(cfg->l2tp.peers[1].secret, "");

	assert_int_equal(cfg->ppp.mru, 1460);
	assert_int_equal(cfg->ppp.n_auth, 3);
	assert_int_equal(cfg->ppp.auth[0], LNS_AUTH_MSCHAPV2);
	assert_int_equal(cfg->ppp.auth[2], LNS_AUTH_PAP);
	assert_int_equal(cfg->ppp.n_dns, 2);
	assert_string_equal(addr(&cfg->ppp.dns[1]), "198.51.100.53/32");
	assert_int_equal(cfg->ppp.ipv6_pool, 2);
	assert_int_equal(cfg->ppp.pd_pool, 3);
	assert_int_equal(cfg->ppp.ra.interval, 600);
	assert_int_equal(cfg->ppp.ra.n_dns, 1);

	assert_int_equal(cfg->n_pools, 4);
	assert_true(cfg->pools[2].size == 65536);
	assert_int_equal(cfg->pools[3].prefix_len, 56);
	assert_true(cfg->pools[3].size == 65536);
	assert_int_equal(cfg->pools[0].family, AF_INET);
	assert_int_equal(cfg->pools[0].n_ranges, 2);
	/* a prefix gives its hosts: network and broadcast addresses are left out */
	assert_int_equal(cfg->pools[0].size, 1022 + 254);
	assert_string_equal(addr(&cfg->pools[0].ranges[1].first), "100.65.0.1/32");
	assert_string_equal(addr(&cfg->pools[0].ranges[1].last), "100.65.0.254/32");
	assert_int_equal(cfg->pools[1].size, 62);

	assert_int_equal(cfg->n_users, 2);
	assert_int_equal(cfg->users[0].pool, 1);
	assert_false(cfg->users[0].has_address);
	assert_int_equal(cfg->users[1].pool, -1);
	assert_true(cfg->users[1].has_address);
	assert_string_equal(addr(&cfg->users[1].address), "100.64.9.9/32");

	assert_string_equal(cfg->mgmt.socket, "/run/lns/lnsd.sock");
	assert_true(cfg->mgmt.has_metrics);
	assert_string_equal(addr(&cfg->mgmt.metrics_addr), "127.0.0.1/32");
	assert_int_equal(cfg->mgmt.metrics_port, 9100);
	lns_config_free(cfg);
}

static void test_minimal_defaults(void **state)
{
	struct lns_config *cfg;
	char err[512];

	(void)state;
	cfg = load(EXAMPLES_DIR, "minimal.yaml", err, sizeof(err));
	if (cfg == NULL)
		fail_msg("%s", err);
	assert_string_equal(cfg->eal.lcores, "0-1");
	assert_int_equal(cfg->eal.main_lcore, -1);
	assert_int_equal(cfg->eal.memory_mb, 512);
	assert_true(cfg->eal.no_huge);
	assert_string_equal(cfg->eal.file_prefix, "lns");
	assert_int_equal(cfg->eal.n_extra_args, 0);
	assert_int_equal(cfg->log.level, LNS_LOG_INFO);
	assert_int_equal(cfg->log.n_components, 0);
	assert_int_equal(cfg->dataplane.mbufs, 8191);
	assert_int_equal(cfg->dataplane.mbuf_cache, 256);
	assert_int_equal(cfg->dataplane.burst, 64);
	assert_int_equal(cfg->dataplane.punt_ring_size, 1024);
	assert_int_equal(cfg->dataplane.rx_desc, 1024);
	assert_int_equal(cfg->dataplane.tx_desc, 1024);
	assert_int_equal(cfg->dataplane.idle_polls, 64);
	assert_int_equal(cfg->dataplane.idle_sleep_us, 100);
	assert_int_equal(cfg->dataplane.icmp_errors_per_second, 100);
	assert_true(cfg->dataplane.icmp_unreachable);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, LNS_MSS_CLAMP_AUTO);
	assert_int_equal(cfg->dataplane.ipv6_prefixes, LNS_IPV6_PREFIXES_AUTO);
	/* auto, IPv6 on, no delegated prefixes, no RADIUS: a /64 a session */
	assert_int_equal(lns_config_ipv6_prefixes(cfg), 65536);
	assert_int_equal(cfg->ports[0].mtu, 1500);
	assert_int_equal(cfg->ports[0].vlan, -1);
	assert_int_equal(cfg->n_routes, 1);
	assert_int_equal(cfg->routes[0].port, 1);
	/* listen defaults to the addresses of access ports, as host addresses */
	assert_int_equal(cfg->l2tp.n_listen, 1);
	assert_string_equal(addr(&cfg->l2tp.listen[0]), "192.0.2.1/32");
	assert_int_equal(cfg->l2tp.port, 1701);
	assert_string_equal(cfg->l2tp.host_name, "lns");
	assert_int_equal(cfg->l2tp.hello_interval, 60);
	assert_int_equal(cfg->l2tp.receive_window, 16);
	assert_int_equal(cfg->l2tp.retransmit.initial_ms, 1000);
	assert_int_equal(cfg->l2tp.retransmit.max_ms, 8000);
	assert_int_equal(cfg->l2tp.retransmit.count, 5);
	assert_int_equal(cfg->l2tp.max_tunnels, 4096);
	assert_int_equal(cfg->l2tp.max_sessions, 65536);
	assert_false(cfg->l2tp.allow_unknown_peers);
	assert_int_equal(cfg->l2tp.n_peers, 0);
	assert_int_equal(cfg->ppp.mru, 0);
	assert_int_equal(cfg->ppp.n_auth, 3);
	assert_int_equal(cfg->ppp.auth[0], LNS_AUTH_MSCHAPV2);
	assert_int_equal(cfg->ppp.auth[1], LNS_AUTH_CHAP_MD5);
	assert_int_equal(cfg->ppp.auth[2], LNS_AUTH_PAP);
	assert_int_equal(cfg->ppp.lcp_echo_interval, 10);
	assert_int_equal(cfg->ppp.lcp_echo_failures, 3);
	assert_int_equal(cfg->ppp.restart_ms, 3000);
	assert_int_equal(cfg->ppp.max_configure, 10);
	assert_int_equal(cfg->ppp.max_failure, 5);
	assert_int_equal(cfg->ppp.max_terminate, 2);
	assert_int_equal(cfg->ppp.n_dns, 0);
	assert_true(cfg->ppp.ipv6);
	assert_int_equal(cfg->n_pools, 1);
	assert_int_equal(cfg->pools[0].size, 1022);
	assert_int_equal(cfg->n_users, 0);
	assert_null(cfg->users);
	assert_string_equal(cfg->mgmt.socket, "/run/lns/lnsd.sock");
	assert_false(cfg->mgmt.has_metrics);
	lns_config_free(cfg);
}

#define PORTS                                                                                      \
	"ports:\n"                                                                                 \
	"  - {name: a, device: d0, role: both, addresses: [192.0.2.1/24, 2001:db8::1/64]}\n"

static void test_parse_buffer(void **state)
{
	struct lns_config *cfg;

	(void)state;
	/* empty values stand for empty lists and mappings */
	cfg = parse(PORTS "routes:\neal:\nl2tp:\n  peers: ~\n");
	assert_non_null(cfg);
	assert_string_equal(cfg->file, "test.yaml");
	assert_int_equal(cfg->n_routes, 0);
	assert_int_equal(cfg->l2tp.n_listen, 2); /* both addresses of a "both" port */
	assert_string_equal(addr(&cfg->l2tp.listen[1]), "2001:db8::1/128");
	lns_config_free(cfg);

	/* yes/no booleans, quoted integers, IPv6 pools and their size in prefixes */
	cfg = parse(PORTS "eal: {no-huge: no, memory-mb: \"1024\"}\n"
			  "pools:\n"
			  "  - {name: v4, ranges: [100.64.0.0/24]}\n"
			  "  - {name: pd, ranges: [\"2001:db8:400::/40\"], prefix-length: 56}\n"
			  "  - {name: v6, ranges: [\"2001:db8:100::/64\"]}\n"
			  "  - {name: v6b, ranges: [\"2001:db8:200::/56\", "
			  "\"2001:db8:300::-2001:db8:300:2:ffff:ffff:ffff:ffff\"]}\n"
			  "management: {metrics: \"[::1]:9100\"}\n");
	assert_non_null(cfg);
	assert_false(cfg->eal.no_huge);
	assert_int_equal(cfg->eal.memory_mb, 1024);
	assert_int_equal(cfg->pools[0].prefix_len, 0);
	assert_int_equal(cfg->pools[1].family, AF_INET6);
	assert_int_equal(cfg->pools[1].prefix_len, 56);
	assert_true(cfg->pools[1].size == 65536);
	assert_int_equal(cfg->pools[2].prefix_len, 64);
	assert_true(cfg->pools[2].size == 1);
	assert_true(cfg->pools[3].size == 256 + 3);
	/* the default pool of the links' /64s: the first pool of /64s; no delegation */
	assert_int_equal(cfg->ppp.ipv6_pool, 2);
	assert_int_equal(cfg->ppp.pd_pool, -1);
	assert_int_equal(cfg->ppp.ra.interval, 600);
	assert_int_equal(cfg->ppp.ra.router_lifetime, 1800);
	assert_int_equal(cfg->ppp.ra.valid_lifetime, 2592000);
	assert_int_equal(cfg->ppp.ra.preferred_lifetime, 604800);
	assert_false(cfg->ppp.ra.managed);
	/* the DHCPv6 server runs, and the O flag says so */
	assert_true(cfg->ppp.dhcp6);
	assert_true(cfg->ppp.ra.other_config);
	assert_int_equal(cfg->ppp.ra.n_dns, 0);
	assert_int_equal(cfg->mgmt.metrics_addr.family, AF_INET6);
	lns_config_free(cfg);

	/* IPv6 on the links: pools named, RA options */
	cfg = parse(PORTS "ppp:\n"
			  "  ipv6-pool: v6b\n"
			  "  pd-pool: pd\n"
			  "  ra: {interval: 60, router-lifetime: 0, valid-lifetime: 3600,\n"
			  "       preferred-lifetime: 3600, managed: true, other-config: true,\n"
			  "       dns: [\"2001:db8::53\", \"2001:db8::54\"]}\n"
			  "pools:\n"
			  "  - {name: v6, ranges: [\"2001:db8:100::/64\"]}\n"
			  "  - {name: v6b, ranges: [\"2001:db8:200::/56\"]}\n"
			  "  - {name: pd, ranges: [\"2001:db8:400::/40\"], prefix-length: 60}\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->ppp.ipv6_pool, 1);
	assert_int_equal(cfg->ppp.pd_pool, 2);
	assert_int_equal(cfg->ppp.ra.interval, 60);
	assert_int_equal(cfg->ppp.ra.router_lifetime, 0);
	assert_int_equal(cfg->ppp.ra.valid_lifetime, 3600);
	assert_int_equal(cfg->ppp.ra.preferred_lifetime, 3600);
	assert_true(cfg->ppp.ra.managed);
	assert_true(cfg->ppp.ra.other_config);
	assert_int_equal(cfg->ppp.ra.n_dns, 2);
	assert_string_equal(addr(&cfg->ppp.ra.dns[1]), "2001:db8::54/128");
	lns_config_free(cfg);

	parse_fails(PORTS "pools: [{name: p, ranges: [\"2001:db8:200::/65\"]}]\n",
		    "test.yaml:3:28: pools[0].ranges[0]: \"2001:db8:200::/65\" is not made of "
		    "whole /64 prefixes");
	parse_fails(PORTS "pools: [{name: p, ranges: [\"2001:db8::/32\"]}]\n",
		    "test.yaml:3:28: pools[0].ranges[0]: more than 16777216 /64 prefixes in the "
		    "pool (split it, or hand out longer prefixes)");
	parse_fails(PORTS "pools: [{name: p, ranges: [100.64.0.0/24], prefix-length: 64}]\n",
		    "test.yaml:3:59: pools[0].prefix-length: only for an IPv6 pool (this one is "
		    "IPv4)");
	parse_fails(PORTS "ppp: {ipv6-pool: nope}\n"
			  "pools: [{name: p, ranges: [\"2001:db8:200::/56\"]}]\n",
		    "test.yaml:3:18: ppp.ipv6-pool: unknown pool \"nope\" (expected one of: p)");
	parse_fails(PORTS "ppp: {pd-pool: p}\n",
		    "test.yaml:3:16: ppp.pd-pool: unknown pool \"p\" (no pools are defined)");
	parse_fails(PORTS "ppp: {ipv6-pool: p}\n"
			  "pools: [{name: p, ranges: [100.64.0.0/24]}]\n",
		    "test.yaml:3:18: ppp.ipv6-pool: pool \"p\" is IPv4; expected an IPv6 pool");
	parse_fails(PORTS
		    "ppp: {ipv6-pool: p}\n"
		    "pools: [{name: p, ranges: [\"2001:db8:200::/48\"], prefix-length: 56}]\n",
		    "test.yaml:3:18: ppp.ipv6-pool: pool \"p\" hands out /56 prefixes; the link's "
		    "prefix must be a /64 (SLAAC)");
	parse_fails(PORTS "ppp: {pd-pool: p}\n"
			  "pools: [{name: p, ranges: [\"2001:db8:200::/56\"]}]\n",
		    "test.yaml:3:16: ppp.pd-pool: pool \"p\" serves the links' /64s already "
		    "(ppp.ipv6-pool)");
	parse_fails(PORTS "ppp: {ra: {interval: 600, router-lifetime: 300}}\n",
		    "test.yaml:3:44: ppp.ra.router-lifetime: expected 0 or at least interval "
		    "(600), got 300");
	parse_fails(PORTS "ppp: {ra: {valid-lifetime: 60}}\n",
		    "test.yaml:3:11: ppp.ra.preferred-lifetime: 604800 is longer than "
		    "valid-lifetime (60)");
	/* the O flag follows ppp.dhcp6 unless it is written; written, it is as written */
	cfg = parse(PORTS "ppp: {dhcp6: false}\n");
	assert_non_null(cfg);
	assert_false(cfg->ppp.dhcp6);
	assert_false(cfg->ppp.ra.other_config);
	lns_config_free(cfg);
	cfg = parse(PORTS "ppp: {dhcp6: false, ra: {other-config: true}}\n");
	assert_non_null(cfg);
	assert_true(cfg->ppp.ra.other_config);
	lns_config_free(cfg);
	cfg = parse(PORTS "ppp: {ra: {other-config: false, interval: 60}}\n");
	assert_non_null(cfg);
	assert_true(cfg->ppp.dhcp6);
	assert_false(cfg->ppp.ra.other_config);
	lns_config_free(cfg);
	parse_fails(PORTS "ppp: {ra: {dns: [192.0.2.53]}}\n",
		    "test.yaml:3:18: ppp.ra.dns[0]: expected an IPv6 address, got \"192.0.2.53\"");

	parse_fails(PORTS "users:\n  - {name: \"a\\0b\", password: x}\n",
		    "test.yaml:4:12: users[0].name: expected a string without NUL characters, "
		    "got \"a\\x00b\"");
	parse_fails(PORTS "routes: [{prefix: 0.0.0.0/0, via: 192.0.2.1}]\n",
		    "test.yaml:3:35: routes[0].via: 192.0.2.1 is an address of port \"a\"");
	parse_fails(
		"ports: [{name: a, device: d0, role: \"both\\0\", addresses: [192.0.2.1/24]}]\n",
		"test.yaml:1:37: ports[0].role: expected one of access, core, both, got "
		"\"both\\x00\"");
	parse_fails(PORTS "ppp: {mru: 63}\n",
		    "test.yaml:3:12: ppp.mru: expected 0 or an integer between 64 and 65535, got "
		    "\"63\"");
	parse_fails(PORTS "ppp: {dns: [2001:db8::53]}\n",
		    "test.yaml:3:13: ppp.dns[0]: expected an IPv4 address, got \"2001:db8::53\"");
	parse_fails(PORTS "? [a]\n: b\n", "test.yaml:3:3: top level: expected a key name, got a "
					  "list");
	parse_fails(PORTS "log: {components: {lns.cp: debug, lns.cp: info}}\n",
		    "test.yaml:3:35: duplicate key \"lns.cp\" in log.components (first at line "
		    "3)");
	parse_fails(PORTS "users: [{name: a, password: b, pool: p}]\n",
		    "test.yaml:3:38: users[0].pool: unknown pool \"p\" (no pools are defined)");

	/* tcp-mss-clamp: auto, off, the bounds; a list is no value */
	cfg = parse(PORTS "dataplane: {tcp-mss-clamp: off, icmp-errors-per-second: 0}\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, LNS_MSS_CLAMP_OFF);
	assert_int_equal(cfg->dataplane.icmp_errors_per_second, 0);
	lns_config_free(cfg);
	cfg = parse(PORTS "dataplane: {tcp-mss-clamp: auto}\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, LNS_MSS_CLAMP_AUTO);
	lns_config_free(cfg);
	cfg = parse(PORTS "dataplane: {tcp-mss-clamp: 536}\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, 536);
	lns_config_free(cfg);
	cfg = parse(PORTS "dataplane: {tcp-mss-clamp: 65495}\n");
	assert_non_null(cfg);
	assert_int_equal(cfg->dataplane.tcp_mss_clamp, 65495);
	lns_config_free(cfg);
	parse_fails(PORTS "dataplane: {tcp-mss-clamp: 65496}\n",
		    "test.yaml:3:28: dataplane.tcp-mss-clamp: expected auto, off or an integer "
		    "between 536 and 65495, got \"65496\"");
	parse_fails(PORTS "dataplane: {tcp-mss-clamp: [1]}\n",
		    "test.yaml:3:28: dataplane.tcp-mss-clamp: expected auto, off or an integer "
		    "between 536 and 65495, got a list");
}

/*
 * dataplane.ipv6-prefixes: auto follows what the configuration can route to
 * sessions (a /64 each with IPv6 on; a delegated prefix each with a pd-pool or
 * RADIUS; 1024 framed IPv6 routes with RADIUS); a number is taken as it is.
 */
static void test_ipv6_prefixes(void **state)
{
	static const struct {
		const char *yaml;
		uint32_t want;
	} c[] = {
		{"", 1000},
		{"ppp: {ipv6: false}\n", 0},
		{"ppp: {pd-pool: pd}\npools: [{name: pd, ranges: [\"2001:db8:100::/48\"], "
		 "prefix-length: 56}]\n",
		 2000},
		{"radius: {auth-servers: [{address: 127.0.0.1, secret: s}]}\n", 2000 + 1024},
		{"ppp: {ipv6: false}\nradius: {auth-servers: [{address: 127.0.0.1, secret: s}]}\n",
		 0},
		{"dataplane: {ipv6-prefixes: auto}\n", 1000},
		{"dataplane: {ipv6-prefixes: 0}\n", 0},
		{"dataplane: {ipv6-prefixes: 1}\n", 1},
		{"dataplane: {ipv6-prefixes: \"500\"}\nppp: {ipv6: false}\n", 500},
		{"dataplane: {ipv6-prefixes: 16777216}\n", 16777216},
	};
	char yaml[512];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct lns_config *cfg;

		snprintf(yaml, sizeof(yaml), PORTS "l2tp: {max-sessions: 1000}\n%s", c[i].yaml);
		cfg = parse(yaml);
		if (cfg == NULL)
			fail_msg("case %zu refused", i);
		if (lns_config_ipv6_prefixes(cfg) != c[i].want)
			fail_msg("case %zu: %u prefixes, expected %u", i,
				 lns_config_ipv6_prefixes(cfg), c[i].want);
		lns_config_free(cfg);
	}
	parse_fails(
		PORTS "dataplane: {ipv6-prefixes: 16777217}\n",
		"test.yaml:3:28: dataplane.ipv6-prefixes: expected auto or an integer between 0 "
		"and 16777216, got \"16777217\"");
	parse_fails(
		PORTS "dataplane: {ipv6-prefixes: -1}\n",
		"test.yaml:3:28: dataplane.ipv6-prefixes: expected auto or an integer between 0 "
		"and 16777216, got \"-1\"");
	parse_fails(
		PORTS "dataplane: {ipv6-prefixes: 010}\n",
		"test.yaml:3:28: dataplane.ipv6-prefixes: expected auto or an integer between 0 "
		"and 16777216, got \"010\"");
	parse_fails(
		PORTS "dataplane: {ipv6-prefixes: Auto}\n",
		"test.yaml:3:28: dataplane.ipv6-prefixes: expected auto or an integer between 0 "
		"and 16777216, got \"Auto\"");
	parse_fails(
		PORTS "dataplane: {ipv6-prefixes: [1]}\n",
		"test.yaml:3:28: dataplane.ipv6-prefixes: expected auto or an integer between 0 "
		"and 16777216, got a list");
}

/* eal.lcores: EAL's --lcores syntax, plain lists and lcores mapped to CPUs. */
static void test_lcores(void **state)
{
	static const struct {
		const char *lcores;
		int main_lcore; /* -1: none given */
	} good[] = {
		{"0-1", 1},           {"0,2-3", 3},        {"7", 7},           {"0,(1-2)@1", 2},
		{"0,(1-2)@(0-1)", 1}, {"(0,3-4)@0", 4},    {"0@0,1@1,2@1", 2}, {"0,1@0-1", 1},
		{"1023", 1023},       {"(0-1)@(0,1)", -1},
	};
	static const char *const bad[] = {
		"1-0", "",     "a",    "0,",    "0-",    "(0-1",        "0-1)",  "0@",
		"@1",  "0@@1", "0,,1", "()",    "(1,)",  "0@(1",        "1024",  "0-1024",
		"0 1", "-1",   "0;1",  "((0))", "0@1@2", "0,(1-2)@1-0", "0-3@1", "0,(1-2)@",
	};
	char yaml[256], err[512];
	struct lns_config *cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (good[i].main_lcore >= 0)
			snprintf(yaml, sizeof(yaml),
				 PORTS "eal: {lcores: \"%s\", main-lcore: %d}\n", good[i].lcores,
				 good[i].main_lcore);
		else
			snprintf(yaml, sizeof(yaml), PORTS "eal: {lcores: \"%s\"}\n",
				 good[i].lcores);
		cfg = parse(yaml);
		if (cfg == NULL)
			fail_msg("lcores \"%s\" refused", good[i].lcores);
		assert_string_equal(cfg->eal.lcores, good[i].lcores);
		lns_config_free(cfg);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[512];

		snprintf(yaml, sizeof(yaml), PORTS "eal: {lcores: \"%s\"}\n", bad[i]);
		cfg = lns_config_parse("test.yaml", yaml, strlen(yaml), err, sizeof(err));
		if (cfg != NULL)
			fail_msg("lcores \"%s\" accepted", bad[i]);
		if (bad[i][0] == '\0') /* an empty string is refused as such */
			continue;
		snprintf(want, sizeof(want),
			 "test.yaml:3:15: eal.lcores: expected an lcore list such as \"0-3\" or "
			 "\"0,2-3\", or lcores on CPUs such as \"0,(1-2)@1\" (ids up to 1023), got "
			 "\"%s\"",
			 bad[i]);
		assert_string_equal(err, want);
	}
	/* main-lcore must be one of the lcores, not one of the CPUs */
	parse_fails(
		PORTS "eal: {lcores: \"0,(1-2)@3\", main-lcore: 3}\n",
		"test.yaml:3:40: eal.main-lcore: expected one of the lcores \"0,(1-2)@3\", got 3");
}

static void test_addr_parse(void **state)
{
	static const struct {
		const char *s;
		bool allow_prefix;
		int rc, family, plen;
	} cases[] = {
		{"192.0.2.1", false, 0, AF_INET, 32},
		{"192.0.2.1/24", true, 0, AF_INET, 24},
		{"192.0.2.1/24", false, -EINVAL, 0, 0},
		{"0.0.0.0/0", true, 0, AF_INET, 0},
		{"192.0.2.1/32", true, 0, AF_INET, 32},
		{"192.0.2.1/33", true, -EINVAL, 0, 0},
		{"192.0.2.1/", true, -EINVAL, 0, 0},
		{"192.0.2.1/024", true, -EINVAL, 0, 0},
		{"192.0.2.1/-1", true, -EINVAL, 0, 0},
		{"192.0.2.1/2x", true, -EINVAL, 0, 0},
		{"/24", true, -EINVAL, 0, 0},
		{"", false, -EINVAL, 0, 0},
		{"192.0.2", false, -EINVAL, 0, 0},
		{"192.0.2.256", false, -EINVAL, 0, 0},
		{"192.0.2.01", false, -EINVAL, 0, 0},
		{" 192.0.2.1", false, -EINVAL, 0, 0},
		{"192.0.2.1 ", false, -EINVAL, 0, 0},
		{"::", false, 0, AF_INET6, 128},
		{"::/0", true, 0, AF_INET6, 0},
		{"2001:db8::1/128", true, 0, AF_INET6, 128},
		{"2001:db8::1/129", true, -EINVAL, 0, 0},
		{"::ffff:192.0.2.1", false, 0, AF_INET6, 128},
		{"2001:db8::1%eth0", false, -EINVAL, 0, 0},
		{"2001:db8:::1", false, -EINVAL, 0, 0},
		{"2001:0db8:0000:0000:0000:0000:0000:0001/64", true, 0, AF_INET6, 64},
		{"2001:0db8:0000:0000:0000:0000:0000:0001:1", false, -EINVAL, 0, 0},
	};
	struct lns_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = lns_addr_parse(cases[i].s, &a, cases[i].allow_prefix);

		if (rc != cases[i].rc)
			fail_msg("\"%s\": got %d, expected %d", cases[i].s, rc, cases[i].rc);
		if (rc == 0 && (a.family != cases[i].family || a.plen != cases[i].plen))
			fail_msg("\"%s\": family %d plen %u", cases[i].s, a.family, a.plen);
	}
}

static void test_addr_str(void **state)
{
	char buf[INET6_ADDRSTRLEN + 4], tiny[4];
	struct lns_addr a;

	(void)state;
	assert_int_equal(lns_addr_parse("2001:0db8::0001/48", &a, true), 0);
	assert_string_equal(lns_addr_str(&a, buf, sizeof(buf)), "2001:db8::1");
	assert_string_equal(lns_prefix_str(&a, buf, sizeof(buf)), "2001:db8::1/48");
	assert_string_equal(lns_addr_str(&a, tiny, sizeof(tiny)), "?");
	a.family = 0;
	assert_string_equal(lns_addr_str(&a, buf, sizeof(buf)), "?");
	assert_string_equal(lns_log_level_name(LNS_LOG_EMERG), "emergency");
	assert_string_equal(lns_log_level_name(LNS_LOG_WARNING), "warning");
	assert_string_equal(lns_log_level_name(LNS_LOG_DEBUG), "debug");
	assert_string_equal(lns_log_level_name((enum lns_log_level)0), "unknown");
}

static bool in(const char *a, const char *p)
{
	struct lns_addr x, y;

	assert_int_equal(lns_addr_parse(a, &x, true), 0);
	assert_int_equal(lns_addr_parse(p, &y, true), 0);
	return lns_addr_in_prefix(&x, &y);
}

static void test_addr_in_prefix(void **state)
{
	(void)state;
	assert_true(in("192.0.2.1", "192.0.2.0/24"));
	assert_true(in("192.0.2.255", "192.0.2.0/24"));
	assert_false(in("192.0.3.0", "192.0.2.0/24"));
	assert_true(in("192.0.2.1", "192.0.2.7/24")); /* host bits of the prefix ignored */
	assert_true(in("203.0.113.9", "0.0.0.0/0"));
	assert_true(in("192.0.2.1", "192.0.2.1/32"));
	assert_false(in("192.0.2.2", "192.0.2.1/32"));
	assert_true(in("192.0.2.127", "192.0.2.0/25"));
	assert_false(in("192.0.2.128", "192.0.2.0/25"));
	assert_false(in("10.255.255.255", "10.0.0.0/9"));
	assert_true(in("10.127.255.255", "10.0.0.0/9"));
	assert_true(in("198.51.100.1/24", "198.51.100.0/24")); /* plen of a ignored */
	assert_false(in("192.0.2.1", "::/0"));                 /* families differ */
	assert_false(in("::ffff:192.0.2.1", "192.0.2.0/24"));
	assert_true(in("2001:db8::1", "::/0"));
	assert_true(in("2001:db8:0:1::1", "2001:db8::/47"));
	assert_false(in("2001:db8:2::1", "2001:db8::/47"));
	assert_true(in("2001:db8::1", "2001:db8::1/128"));
	assert_false(in("2001:db8::2", "2001:db8::1/127"));
	assert_true(in("2001:db8::1", "2001:db8::/127"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_load),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_files_all_listed),
		cmocka_unit_test(test_cannot_open),
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_parse_buffer),
		cmocka_unit_test(test_ipv6_prefixes),
		cmocka_unit_test(test_lcores),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addr_str),
		cmocka_unit_test(test_addr_in_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
