/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Management socket (lnsctl) and Prometheus metrics. Main lcore only, from the
 * control loop's epoll: every socket is non-blocking, a request is read whole
 * into a small buffer, the answer is built in memory and written as the socket
 * takes it. Reads the runtime's counters (each written by one worker; a read
 * may be one burst old) and the control plane's state.
 *
 * Protocol (docs/operations.md): the client sends one line, the words of its
 * command; the server answers and closes. An answer that starts with "error: "
 * is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_ethdev.h>

#include "cp/cp.h"
#include "cp/log.h"
#include "cp/out.h"

#define REQ_MAX 4096

struct cp_conn {
	int fd;
	bool http;
	size_t in_len;
	char in[REQ_MAX];
	struct out out;
	size_t out_off;
};

static const char *role_name(enum lns_port_role r)
{
	return r == LNS_ROLE_ACCESS ? "access" : r == LNS_ROLE_CORE ? "core" : "both";
}

static void sum_workers(const struct lns_runtime *rt, struct lns_worker_counters *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned w = 0; w < rt->n_workers; w++) {
#define X(name, help) t->name += rt->workers[w].c.name;
		LNS_WORKER_COUNTERS(X)
#undef X
	}
}

static void show_ports(struct lns_cp *cp, struct out *o, bool json)
{
	static const char *const cols[] = {"name",      "device",     "role",      "mac",
					   "mtu",       "link",       "addresses", "rx_packets",
					   "rx_bytes",  "tx_packets", "tx_bytes",  "rx_missed",
					   "rx_errors", "tx_errors"};
	const struct lns_runtime *rt = cp->rt;
	struct table t;

	table_init(&t, o, json, "ports", cols, RTE_DIM(cols));
	for (unsigned i = 0; i < rt->n_ports; i++) {
		const struct lns_port *p = &rt->ports[i];
		const struct lns_port_cfg *pc = &rt->cfg->ports[p->cfg_idx];
		char mac[RTE_ETHER_ADDR_FMT_SIZE], abuf[LNS_MAX_ADDRS][INET6_ADDRSTRLEN + 4];
		const char *addrs[LNS_MAX_ADDRS];
		struct rte_eth_stats st = {0};
		struct rte_eth_link link = {0};
		uint16_t mtu = 0;

		rte_eth_stats_get(p->port_id, &st);
		rte_eth_link_get_nowait(p->port_id, &link);
		rte_eth_dev_get_mtu(p->port_id, &mtu);
		cp_mac_str(&p->mac, mac, sizeof(mac));
		for (size_t a = 0; a < pc->n_addrs; a++)
			addrs[a] = lns_prefix_str(&pc->addrs[a], abuf[a], sizeof(abuf[a]));
		table_str(&t, pc->name);
		table_str(&t, pc->device);
		table_str(&t, role_name(pc->role));
		table_str(&t, mac);
		table_u64(&t, mtu);
		table_str(&t, link.link_status ? "up" : "down");
		table_list(&t, addrs, (unsigned)pc->n_addrs);
		table_u64(&t, st.ipackets);
		table_u64(&t, st.ibytes);
		table_u64(&t, st.opackets);
		table_u64(&t, st.obytes);
		table_u64(&t, st.imissed);
		table_u64(&t, st.ierrors);
		table_u64(&t, st.oerrors);
	}
	table_end(&t);
}

static void l2tp_counters_json(struct lns_cp *cp, struct out *o);
static void ppp_counters_json(struct lns_cp *cp, struct out *o);

static void show_counters(struct lns_cp *cp, struct out *o, bool json)
{
	const struct lns_runtime *rt = cp->rt;
	struct lns_worker_counters tot;

	sum_workers(rt, &tot);
	if (json) {
		out_printf(o, "{\"workers\":[");
		for (unsigned w = 0; w < rt->n_workers; w++) {
			const struct lns_worker_counters *c = &rt->workers[w].c;
			const char *sep = "";

			out_printf(o, "%s{\"lcore\":%u,\"counters\":{", w ? "," : "",
				   rt->workers[w].lcore);
#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, c->name);                                   \
	sep = ",";
			LNS_WORKER_COUNTERS(X)
#undef X
			out_printf(o, "}}");
		}
		out_printf(o, "],\"control\":{");
		{
			const char *sep = "";
#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, cp->c.name);                                \
	sep = ",";
			LNS_CP_COUNTERS(X)
#undef X
		}
		out_printf(o, "},\"l2tp\":{");
		l2tp_counters_json(cp, o);
		out_printf(o, "},\"ppp\":{");
		ppp_counters_json(cp, o);
		out_printf(o, "},\"total\":{");
		{
			const char *sep = "";
#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, tot.name);                                  \
	sep = ",";
			LNS_WORKER_COUNTERS(X)
#undef X
		}
		out_printf(o, "}}\n");
		return;
	}
	out_printf(o, "%-24s %14s", "worker counter", "total");
	for (unsigned w = 0; w < rt->n_workers; w++)
		out_printf(o, "   lcore %-6u", rt->workers[w].lcore);
	out_printf(o, "\n");
#define X(name, help)                                                                              \
	out_printf(o, "%-24s %14" PRIu64, #name, tot.name);                                        \
	for (unsigned w = 0; w < rt->n_workers; w++)                                               \
		out_printf(o, " %14" PRIu64, rt->workers[w].c.name);                               \
	out_printf(o, "\n");
	LNS_WORKER_COUNTERS(X)
#undef X
	out_printf(o, "\n%-24s %14s\n", "control counter", "value");
#define X(name, help) out_printf(o, "%-24s %14" PRIu64 "\n", #name, cp->c.name);
	LNS_CP_COUNTERS(X)
#undef X
	{
		struct l2tp_counters lc;

		lns_l2tp_counters(&cp->l2tp, &lc);
		out_printf(o, "\n%-24s %14s\n", "l2tp counter", "value");
#define X(name, help) out_printf(o, "%-24s %14" PRIu64 "\n", #name, lc.name);
		L2TP_COUNTERS(X)
#undef X
		for (int e = 1; e < L2TP_E_COUNT; e++)
			if (lc.malformed[e])
				out_printf(o, "  malformed %-14s %14" PRIu64 "\n",
					   l2tp_err_name((enum l2tp_err_code)e), lc.malformed[e]);
	}
	out_printf(o, "\n%-24s %14s\n", "ppp counter", "value");
#define X(name, help) out_printf(o, "%-24s %14" PRIu64 "\n", #name, cp->ppp_c.name);
	PPP_COUNTERS(X)
#undef X
	out_printf(o, "\n%-28s %10s\n", "radius counter", "value");
#define X(name, help) out_printf(o, "%-28s %10" PRIu64 "\n", #name, cp->radius.c.name);
	RADIUS_COUNTERS(X)
#undef X
}

static void l2tp_counters_json(struct lns_cp *cp, struct out *o)
{
	struct l2tp_counters lc;
	const char *sep = "";

	lns_l2tp_counters(&cp->l2tp, &lc);
#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, lc.name);                                   \
	sep = ",";
	L2TP_COUNTERS(X)
#undef X
	out_printf(o, ",\"malformed\":{");
	sep = "";
	for (int e = 1; e < L2TP_E_COUNT; e++) {
		out_printf(o, "%s\"%s\":%" PRIu64, sep, l2tp_err_name((enum l2tp_err_code)e),
			   lc.malformed[e]);
		sep = ",";
	}
	out_printf(o, "}");
}

static void show_tunnels(struct lns_cp *cp, struct out *o, bool json)
{
	static const char *const cols[] = {
		"id",       "peer_id", "peer",          "host_name", "vendor",  "state",
		"sessions", "age_s",   "authenticated", "rx_ctrl",   "tx_ctrl", "retransmits"};
	const struct l2tp_tunnel *t;
	uint64_t now = cp_now_ms();
	struct table tb;

	table_init(&tb, o, json, "tunnels", cols, RTE_DIM(cols));
	TAILQ_FOREACH (t, &cp->l2tp.tunnels, next) {
		char a[INET_ADDRSTRLEN + 8];

		inet_ntop(AF_INET, &t->peer_ip, a, INET_ADDRSTRLEN);
		snprintf(a + strlen(a), 8, ":%u", t->peer_port);
		table_u64(&tb, t->tid);
		table_u64(&tb, t->peer_tid);
		table_str(&tb, a);
		table_str(&tb, t->host_name);
		table_str(&tb, t->vendor_name);
		table_str(&tb, l2tp_tunnel_state_name(t->state));
		table_u64(&tb, t->n_sessions);
		table_u64(&tb, (now - t->created_ms) / 1000);
		table_bool(&tb, t->challenged && t->established_ms != 0);
		table_u64(&tb, t->rdt.st.rx);
		table_u64(&tb, t->rdt.st.tx);
		table_u64(&tb, t->rdt.st.rtx);
	}
	table_end(&tb);
}

/* The framed routes (RADIUS Framed-Route, Framed-IPv6-Route) the workers route to the
 * session now: two lists, IPv4 and IPv6, "PREFIX/LEN" each. */
static void framed_route_cells(struct table *tb, const struct ppp_session *p)
{
	char v4[AUTH_MAX_ROUTES][INET_ADDRSTRLEN + 4];
	char v6[FRAMED_ROUTE6_MAX][INET6_ADDRSTRLEN + 4];
	const char *i4[AUTH_MAX_ROUTES], *i6[FRAMED_ROUTE6_MAX];
	unsigned n4 = 0, n6 = 0;

	for (unsigned i = 0; p && i < p->auth_reply.attrs.n_routes; i++) {
		const struct auth_route *r = &p->auth_reply.attrs.routes[i];
		char a[INET_ADDRSTRLEN];

		if (!(p->routes_installed & (1u << i)))
			continue;
		inet_ntop(AF_INET, &r->prefix, a, sizeof(a));
		snprintf(v4[n4], sizeof(v4[n4]), "%s/%u", a, r->plen);
		i4[n4] = v4[n4];
		n4++;
	}
	for (unsigned i = 0; p && i < p->n_routes6; i++) {
		const struct framed_route6 *r = &p->routes6[i];
		char a[INET6_ADDRSTRLEN];

		if (!r->routed)
			continue;
		inet_ntop(AF_INET6, r->prefix, a, sizeof(a));
		snprintf(v6[n6], sizeof(v6[n6]), "%s/%u", a, r->plen);
		i6[n6] = v6[n6];
		n6++;
	}
	table_list(tb, i4, n4);
	table_list(tb, i6, n6);
}

static void show_sessions(struct lns_cp *cp, struct out *o, bool json)
{
	static const char *const cols[] = {"tunnel_id",
					   "session_id",
					   "peer_tunnel_id",
					   "peer_session_id",
					   "peer",
					   "lac",
					   "state",
					   "user",
					   "ip",
					   "ppp",
					   "auth",
					   "ipv6",
					   "calling",
					   "called",
					   "tx_speed",
					   "rx_speed",
					   "age_s",
					   "rx_packets",
					   "rx_bytes",
					   "acct_session_id",
					   "rate_up_kbps",
					   "rate_down_kbps",
					   "session_timeout_s",
					   "idle_timeout_s",
					   "up_packets",
					   "up_bytes",
					   "down_packets",
					   "down_bytes",
					   "ipv6_prefix",
					   "delegated_prefix",
					   "framed_routes",
					   "framed_ipv6_routes"};
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	uint64_t now = cp_now_ms();
	struct table tb;

	table_init(&tb, o, json, "sessions", cols, RTE_DIM(cols));
	TAILQ_FOREACH (t, &cp->l2tp.tunnels, next) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &t->peer_ip, a, sizeof(a));
		TAILQ_FOREACH (s, &t->sessions, next) {
			table_u64(&tb, t->tid);
			table_u64(&tb, s->sid);
			table_u64(&tb, t->peer_tid);
			table_u64(&tb, s->peer_sid);
			table_str(&tb, a);
			table_str(&tb, t->host_name);
			table_str(&tb, l2tp_session_state_name(s->state));
			{
				const struct ppp_session *p = s->ppp;
				char ip[INET_ADDRSTRLEN] = "";

				if (p && p->has_ip)
					inet_ntop(AF_INET, &p->peer_ip, ip, sizeof(ip));
				table_str(&tb, p ? p->user : "");
				table_str(&tb, ip);
				table_str(&tb, p ? (s->forwarding ? "up" : ppp_phase_name(p->phase))
						 : "");
				table_str(&tb,
					  p && p->authenticated ? auth_proto_name(p->auth) : "");
				table_bool(&tb, p && p->ipv6_up);
			}
			table_str(&tb, L2TP_STR(s->calling));
			table_str(&tb, L2TP_STR(s->called));
			table_u64(&tb, s->tx_speed);
			table_u64(&tb, s->rx_speed);
			table_u64(&tb, (now - s->created_ms) / 1000);
			table_u64(&tb, s->rx_data_packets);
			table_u64(&tb, s->rx_data_bytes);
			{
				const struct ppp_session *p = s->ppp;
				const struct auth_attrs *at = p ? &p->auth_reply.attrs : NULL;

				table_str(&tb, p ? p->acct_session_id : "");
				table_u64(&tb, at ? at->rate_up : 0);
				table_u64(&tb, at ? at->rate_down : 0);
				table_u64(&tb, p && p->session_end_at > now
						       ? (p->session_end_at - now + 999) / 1000
						       : 0);
				table_u64(&tb, p ? p->idle_timeout : 0);
			}
			{
				/* What the workers forwarded since PPP last came up (the
				 * numbers RADIUS accounting reports): IPv4 and IPv6 packets and
				 * their IP lengths, up from the subscriber, down into its tunnel. */
				struct lns_sess_ctr c = {0};

				if (s->ppp)
					ppp_traffic(s->ppp, &c);
				table_u64(&tb, c.up_pkts);
				table_u64(&tb, c.up_bytes);
				table_u64(&tb, c.down_pkts);
				table_u64(&tb, c.down_bytes);
			}
			{
				const struct ppp_session *p = s->ppp;
				char a[INET6_ADDRSTRLEN + 4] = "", d[INET6_ADDRSTRLEN + 4] = "";

				/* what the workers route to the session, "" when nothing */
				if (p && p->pfx.routed)
					ppp_prefix_str(&p->pfx, a, sizeof(a));
				if (p && p->pd.routed)
					ppp_prefix_str(&p->pd, d, sizeof(d));
				table_str(&tb, a);
				table_str(&tb, d);
			}
			framed_route_cells(&tb, s->ppp);
		}
	}
	table_end(&tb);
}

/* A decimal ID 1..65535, or -1. */
static int parse_id(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	return (*s && *end == '\0' && v >= 1 && v <= 65535) ? (int)v : -1;
}

static void disconnect(struct lns_cp *cp, int argc, char **argv, struct out *o)
{
	int tid = argc >= 3 ? parse_id(argv[2]) : -1, sid = argc >= 4 ? parse_id(argv[3]) : -1;

	if (argc == 3 && strcmp(argv[1], "tunnel") == 0 && tid > 0) {
		if (lns_l2tp_disconnect_tunnel(&cp->l2tp, (uint16_t)tid) < 0)
			out_printf(o, "error: no tunnel %d\n", tid);
		else
			out_printf(o, "tunnel %d: StopCCN sent\n", tid);
		return;
	}
	if (argc == 4 && strcmp(argv[1], "session") == 0 && tid > 0 && sid > 0) {
		if (lns_l2tp_disconnect_session(&cp->l2tp, (uint16_t)tid, (uint16_t)sid) < 0)
			out_printf(o, "error: no session %d in tunnel %d\n", sid, tid);
		else
			out_printf(o, "session %d/%d: CDN sent\n", tid, sid);
		return;
	}
	out_printf(o, "error: usage: disconnect tunnel TUNNEL_ID | disconnect session TUNNEL_ID "
		      "SESSION_ID\n");
}

static void show_neighbours(struct lns_cp *cp, struct out *o, bool json)
{
	static const char *const cols[] = {"address", "mac", "port", "state", "age_s", "pinned"};
	const struct lns_runtime *rt = cp->rt;
	uint64_t now = cp_now_ms();
	struct table t;

	table_init(&t, o, json, "neighbours", cols, RTE_DIM(cols));
	for (unsigned i = 0; i < cp->n_neigh_hw; i++) {
		const struct cp_neigh *n = &cp->neigh[i];
		char a[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];

		if (!n->used)
			continue;
		inet_ntop(n->family, n->addr, a, sizeof(a));
		if (n->state == NEIGH_INCOMPLETE)
			snprintf(mac, sizeof(mac), "-");
		else
			cp_mac_str(&n->mac, mac, sizeof(mac));
		table_str(&t, a);
		table_str(&t, mac);
		table_str(&t, rt->cfg->ports[rt->ports[n->port].cfg_idx].name);
		table_str(&t, cp_neigh_state_name(n->state));
		table_u64(&t, n->updated_ms ? (now - n->updated_ms) / 1000 : 0);
		table_bool(&t, n->pinned);
	}
	table_end(&t);
}

static void ppp_counters_json(struct lns_cp *cp, struct out *o)
{
	const char *sep = "";

#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, cp->ppp_c.name);                            \
	sep = ",";
	PPP_COUNTERS(X)
#undef X
	out_printf(o, "},\"radius\":{");
	sep = "";
#define X(name, help)                                                                              \
	out_printf(o, "%s\"" #name "\":%" PRIu64, sep, cp->radius.c.name);                         \
	sep = ",";
	RADIUS_COUNTERS(X)
#undef X
	out_printf(o, "%s\"queued\":%u", sep, cp->radius.n_waiting + cp->radius.n_inflight);
}

static const char help_text[] = "commands:\n"
				"  show ports [--json]\n"
				"  show counters [--json]\n"
				"  show neighbours [--json]\n"
				"  show tunnels [--json]\n"
				"  show sessions [--json]\n"
				"  disconnect tunnel TUNNEL_ID\n"
				"  disconnect session TUNNEL_ID SESSION_ID\n";

/* Run one command line; the answer goes to o. */
static void run_command(struct lns_cp *cp, char *line, struct out *o)
{
	char *argv[8], *save = NULL, *w;
	int argc = 0;
	bool json = false;

	for (w = strtok_r(line, " \t\r\n", &save); w && argc < 8;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (strcmp(w, "--json") == 0 || strcmp(w, "json") == 0)
			json = true;
		else
			argv[argc++] = w;
	}
	if (argc == 0 || strcmp(argv[0], "help") == 0) {
		out_printf(o, "%s", help_text);
		return;
	}
	if (argc == 2 && strcmp(argv[0], "show") == 0) {
		if (strcmp(argv[1], "ports") == 0)
			return show_ports(cp, o, json);
		if (strcmp(argv[1], "counters") == 0)
			return show_counters(cp, o, json);
		if (strcmp(argv[1], "neighbours") == 0 || strcmp(argv[1], "neighbors") == 0)
			return show_neighbours(cp, o, json);
		if (strcmp(argv[1], "tunnels") == 0)
			return show_tunnels(cp, o, json);
		if (strcmp(argv[1], "sessions") == 0)
			return show_sessions(cp, o, json);
	}
	if (strcmp(argv[0], "disconnect") == 0)
		return disconnect(cp, argc, argv, o);
	out_printf(o, "error: unknown command; %s", help_text);
}

static void metrics(struct lns_cp *cp, struct out *o)
{
	const struct lns_runtime *rt = cp->rt;

#define X(name, help)                                                                              \
	out_printf(o, "# HELP lns_worker_" #name "_total " help "\n# TYPE lns_worker_" #name       \
		      "_total counter\n");                                                         \
	for (unsigned w = 0; w < rt->n_workers; w++)                                               \
		out_printf(o, "lns_worker_" #name "_total{lcore=\"%u\"} %" PRIu64 "\n",            \
			   rt->workers[w].lcore, rt->workers[w].c.name);
	LNS_WORKER_COUNTERS(X)
#undef X
#define X(name, help)                                                                              \
	out_printf(o,                                                                              \
		   "# HELP lns_control_" #name "_total " help "\n# TYPE lns_control_" #name        \
		   "_total counter\nlns_control_" #name "_total %" PRIu64 "\n",                    \
		   cp->c.name);
	LNS_CP_COUNTERS(X)
#undef X
	{
		struct l2tp_counters lc;

		lns_l2tp_counters(&cp->l2tp, &lc);
#define X(name, help)                                                                              \
	out_printf(o,                                                                              \
		   "# HELP lns_l2tp_" #name "_total " help "\n# TYPE lns_l2tp_" #name              \
		   "_total counter\nlns_l2tp_" #name "_total %" PRIu64 "\n",                       \
		   lc.name);
		L2TP_COUNTERS(X)
#undef X
		out_printf(o, "# HELP lns_l2tp_malformed_by_reason_total control messages refused "
			      "by the parser\n# TYPE lns_l2tp_malformed_by_reason_total counter\n");
		for (int e = 1; e < L2TP_E_COUNT; e++)
			out_printf(o,
				   "lns_l2tp_malformed_by_reason_total{reason=\"%s\"} %" PRIu64
				   "\n",
				   l2tp_err_name((enum l2tp_err_code)e), lc.malformed[e]);
#define X(name, help)                                                                              \
	out_printf(o,                                                                              \
		   "# HELP lns_ppp_" #name "_total " help "\n# TYPE lns_ppp_" #name                \
		   "_total counter\nlns_ppp_" #name "_total %" PRIu64 "\n",                        \
		   cp->ppp_c.name);
		PPP_COUNTERS(X)
#undef X
#define X(name, help)                                                                              \
	out_printf(o,                                                                              \
		   "# HELP lns_radius_" #name "_total " help "\n# TYPE lns_radius_" #name          \
		   "_total counter\nlns_radius_" #name "_total %" PRIu64 "\n",                     \
		   cp->radius.c.name);
		RADIUS_COUNTERS(X)
#undef X
		out_printf(o,
			   "# HELP lns_l2tp_tunnels tunnels in any state\n# TYPE lns_l2tp_tunnels "
			   "gauge\nlns_l2tp_tunnels %u\n# HELP lns_l2tp_sessions sessions in any "
			   "state\n# TYPE lns_l2tp_sessions gauge\nlns_l2tp_sessions %u\n",
			   cp->l2tp.n_tunnels, cp->l2tp.n_sessions);
	}
	static const struct {
		const char *name, *help;
		size_t off;
	} ps[] = {
		{"rx_packets", "packets received by the port",
		 offsetof(struct rte_eth_stats, ipackets)},
		{"rx_bytes", "bytes received by the port", offsetof(struct rte_eth_stats, ibytes)},
		{"tx_packets", "packets sent by the port",
		 offsetof(struct rte_eth_stats, opackets)},
		{"tx_bytes", "bytes sent by the port", offsetof(struct rte_eth_stats, obytes)},
		{"rx_missed", "packets the port dropped for lack of room",
		 offsetof(struct rte_eth_stats, imissed)},
		{"rx_errors", "erroneous packets received",
		 offsetof(struct rte_eth_stats, ierrors)},
		{"tx_errors", "failed transmissions", offsetof(struct rte_eth_stats, oerrors)},
	};
	struct rte_eth_stats st[LNS_MAX_PORTS];

	for (unsigned i = 0; i < rt->n_ports; i++)
		if (rte_eth_stats_get(rt->ports[i].port_id, &st[i]) != 0)
			memset(&st[i], 0, sizeof(st[i]));
	for (size_t k = 0; k < RTE_DIM(ps); k++) {
		out_printf(o, "# HELP lns_port_%s_total %s\n# TYPE lns_port_%s_total counter\n",
			   ps[k].name, ps[k].help, ps[k].name);
		for (unsigned i = 0; i < rt->n_ports; i++)
			out_printf(o, "lns_port_%s_total{port=\"%s\"} %" PRIu64 "\n", ps[k].name,
				   rt->cfg->ports[rt->ports[i].cfg_idx].name,
				   *(const uint64_t *)((const char *)&st[i] + ps[k].off));
	}
}

static void conn_close(struct lns_cp *cp, struct cp_conn *c)
{
	for (unsigned i = 0; i < LNS_CP_MAX_CONNS; i++)
		if (cp->conns[i] == c)
			cp->conns[i] = NULL;
	epoll_ctl(cp->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	out_free(&c->out);
	free(c);
}

/* The request is whole: build the answer and start writing it. */
static void conn_answer(struct lns_cp *cp, struct cp_conn *c)
{
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};

	c->in[c->in_len] = '\0';
	if (c->http) {
		struct out body;

		out_init(&body);
		if (strncmp(c->in, "GET /metrics ", 13) == 0 || strncmp(c->in, "GET / ", 6) == 0) {
			metrics(cp, &body);
			out_printf(&c->out,
				   "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
				   "Content-Length: %zu\r\nConnection: close\r\n\r\n",
				   body.len);
			if (body.buf)
				out_printf(&c->out, "%s", body.buf);
		} else {
			out_printf(&c->out, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n"
					    "Connection: close\r\n\r\n");
		}
		out_free(&body);
	} else {
		run_command(cp, c->in, &c->out);
	}
	if (c->out.oom) {
		conn_close(cp, c);
		return;
	}
	shutdown(c->fd, SHUT_RD);
	epoll_ctl(cp->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_event(struct lns_cp *cp, struct cp_conn *c, uint32_t events)
{
	if (events & EPOLLOUT) {
		while (c->out_off < c->out.len) {
			ssize_t n = write(c->fd, c->out.buf + c->out_off, c->out.len - c->out_off);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n <= 0)
				break;
			c->out_off += (size_t)n;
		}
		conn_close(cp, c);
		return;
	}
	for (;;) {
		ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) { /* EOF: the request is what came */
			if (c->in_len)
				conn_answer(cp, c);
			else
				conn_close(cp, c);
			return;
		}
		c->in_len += (size_t)n;
		c->in[c->in_len] = '\0';
		if ((!c->http && memchr(c->in, '\n', c->in_len)) ||
		    (c->http && strstr(c->in, "\r\n\r\n")) || c->in_len == sizeof(c->in) - 1) {
			conn_answer(cp, c);
			return;
		}
	}
}

static void accept_conn(struct lns_cp *cp, int lfd, bool http)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};
	struct cp_conn *c;
	unsigned slot;

	if (fd < 0)
		return;
	for (slot = 0; slot < LNS_CP_MAX_CONNS && cp->conns[slot]; slot++)
		;
	c = slot < LNS_CP_MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
	if (c == NULL) {
		close(fd); /* too many clients at once */
		return;
	}
	c->fd = fd;
	c->http = http;
	ev.data.ptr = c;
	if (epoll_ctl(cp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		free(c);
		return;
	}
	cp->conns[slot] = c;
}

void cp_mgmt_event(struct lns_cp *cp, void *tag, uint32_t events)
{
	if (tag == &cp->mgmt_fd)
		accept_conn(cp, cp->mgmt_fd, false);
	else if (tag == &cp->metrics_fd)
		accept_conn(cp, cp->metrics_fd, true);
	else
		conn_event(cp, tag, events);
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char dir[sizeof(sa.sun_path)];
	char *slash;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0750); /* e.g. /run/lns; an existing one is fine */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path); /* a stale socket from an earlier run */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	chmod(path, 0660);
	return fd;
}

static int listen_tcp(const struct lns_addr *a, unsigned port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	int fd, one = 1;

	if (a->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		s->sin_addr = a->v4;
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		s->sin6_addr = a->v6;
		len = sizeof(*s);
	}
	fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

int cp_mgmt_init(struct lns_cp *cp)
{
	const struct lns_mgmt_cfg *mc = &cp->rt->cfg->mgmt;
	struct epoll_event ev = {.events = EPOLLIN};
	int fd;

	fd = listen_unix(mc->socket);
	if (fd < 0) {
		LNS_LOG(ERR, cp, "management socket %s: %s", mc->socket, strerror(-fd));
		return fd;
	}
	cp->mgmt_fd = fd;
	ev.data.ptr = &cp->mgmt_fd;
	if (epoll_ctl(cp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	LNS_LOG(INFO, cp, "management socket %s", mc->socket);

	if (!mc->has_metrics)
		return 0;
	fd = listen_tcp(&mc->metrics_addr, mc->metrics_port);
	if (fd < 0) {
		char a[INET6_ADDRSTRLEN];

		LNS_LOG(ERR, cp, "metrics listener %s port %u: %s",
			lns_addr_str(&mc->metrics_addr, a, sizeof(a)), mc->metrics_port,
			strerror(-fd));
		return fd;
	}
	cp->metrics_fd = fd;
	ev.data.ptr = &cp->metrics_fd;
	if (epoll_ctl(cp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	LNS_LOG(INFO, cp, "metrics on port %u", mc->metrics_port);
	return 0;
}

void cp_mgmt_fini(struct lns_cp *cp)
{
	for (unsigned i = 0; i < LNS_CP_MAX_CONNS; i++)
		if (cp->conns[i])
			conn_close(cp, cp->conns[i]);
	if (cp->mgmt_fd >= 0) {
		close(cp->mgmt_fd);
		unlink(cp->rt->cfg->mgmt.socket);
	}
	if (cp->metrics_fd >= 0)
		close(cp->metrics_fd);
	cp->mgmt_fd = cp->metrics_fd = -1;
}
