/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The l2tp section: where to listen (addresses of access ports), protocol
 * timers and limits, and the LAC peers we accept tunnels from. Runs in the
 * thread that loads the configuration; writes only the object being built.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static const char *const role_names[] = {"?", "access", "core", "both"};

static bool faces_lacs(const struct lns_port_cfg *port)
{
	return port->role == LNS_ROLE_ACCESS || port->role == LNS_ROLE_BOTH;
}

static int l2tp_listen(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	const struct lns_config *cfg = c->cfg;
	struct lns_l2tp_cfg *l = dst;
	char sub[CFG_PATH_MAX], txt[INET6_ADDRSTRLEN];
	size_t i, j, p, a, count;
	int rc;

	rc = cfg_seq(c, n, path, 1, SIZE_MAX, &count);
	if (rc < 0)
		return rc;
	l->listen = calloc(count, sizeof(*l->listen));
	if (l->listen == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	l->n_listen = count;
	for (i = 0; i < count; i++) {
		struct lns_addr *addr = &l->listen[i];
		yaml_node_t *v = cfg_item(c, n, i);
		const struct lns_port_cfg *port = NULL;

		cfg_path_idx(sub, path, i);
		rc = cfg_addr(c, v, sub, 0, addr);
		if (rc < 0)
			return rc;
		lns_addr_str(addr, txt, sizeof(txt));
		for (j = 0; j < i; j++)
			if (cfg_addr_cmp(&l->listen[j], addr) == 0)
				return cfg_error(c, v, "%s: duplicate address %s (also %s[%zu])",
						 sub, txt, path, j);
		for (p = 0; p < cfg->n_ports && port == NULL; p++)
			for (a = 0; a < cfg->ports[p].n_addrs; a++)
				if (cfg_addr_cmp(&cfg->ports[p].addrs[a], addr) == 0)
					port = &cfg->ports[p];
		if (port == NULL)
			return cfg_error(c, v,
					 "%s: %s is not an address of any port (expected an "
					 "address of a port with role access or both)",
					 sub, txt);
		if (!faces_lacs(port))
			return cfg_error(c, v,
					 "%s: %s is an address of port \"%s\", whose role is %s "
					 "(expected a port with role access or both)",
					 sub, txt, port->name, role_names[port->role]);
	}
	return 0;
}

/* Without a listen list: every address of every port that faces the LACs. */
int cfg_l2tp_finish(struct cfg_ctx *c, yaml_node_t *ports)
{
	struct lns_config *cfg = c->cfg;
	struct lns_l2tp_cfg *l = &cfg->l2tp;
	size_t p, a, count = 0;

	if (l->n_listen > 0)
		return 0;
	for (p = 0; p < cfg->n_ports; p++)
		if (faces_lacs(&cfg->ports[p]))
			count += cfg->ports[p].n_addrs;
	if (count == 0)
		return cfg_error(c, ports,
				 "ports: expected at least one port with role access or both "
				 "(L2TP has nowhere to listen)");
	l->listen = calloc(count, sizeof(*l->listen));
	if (l->listen == NULL)
		return cfg_error(c, ports, "l2tp.listen: out of memory");
	for (p = 0; p < cfg->n_ports; p++) {
		if (!faces_lacs(&cfg->ports[p]))
			continue;
		for (a = 0; a < cfg->ports[p].n_addrs; a++) {
			struct lns_addr *addr = &l->listen[l->n_listen++];

			*addr = cfg->ports[p].addrs[a];
			addr->plen = addr->family == AF_INET ? 32 : 128;
		}
	}
	return 0;
}

/* ---- retransmit ---- */

#define CFG_T struct lns_retransmit_cfg
static const struct cfg_field retransmit_fields[] = {
	CFG_UINT("initial-ms", initial_ms, 100, 60000),
	CFG_UINT("max-ms", max_ms, 100, 600000),
	CFG_UINT("count", count, 1, 100),
};
#undef CFG_T
enum { RTX_INITIAL, RTX_MAX };

static int l2tp_retransmit(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_retransmit_cfg *r = &((struct lns_l2tp_cfg *)dst)->retransmit;
	yaml_node_t *found[CFG_N(retransmit_fields)];
	int rc;

	rc = cfg_map(c, n, path, retransmit_fields, CFG_N(retransmit_fields), r, found);
	if (rc < 0 || r->max_ms >= r->initial_ms)
		return rc;
	if (found[RTX_MAX] != NULL)
		return cfg_error(c, found[RTX_MAX],
				 "%s.max-ms: expected at least initial-ms (%u), got %u", path,
				 r->initial_ms, r->max_ms);
	return cfg_error(c, found[RTX_INITIAL],
			 "%s.initial-ms: expected at most max-ms (%u), got %u", path, r->max_ms,
			 r->initial_ms);
}

/* ---- peers ---- */

static int peer_match(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_l2tp_peer_cfg *peer = dst;
	char sub[CFG_PATH_MAX];
	size_t i, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	peer->match = calloc(count, sizeof(*peer->match));
	if (peer->match == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	peer->n_match = count;
	for (i = 0; i < count && rc == 0; i++) {
		cfg_path_idx(sub, path, i);
		rc = cfg_addr(c, cfg_item(c, n, i), sub, CFG_A_PLEN | CFG_A_NETWORK,
			      &peer->match[i]);
	}
	return rc;
}

#define CFG_T struct lns_l2tp_peer_cfg
static const struct cfg_field peer_fields[] = {
	CFG_NAME_REQ("name", name),         CFG_FN("match", peer_match),
	CFG_STR("host-name", host_name, 1), CFG_STR("secret", secret, 1),
	CFG_BOOL("allow", allow),           CFG_UINT("max-sessions", max_sessions, 0, 16777216),
	CFG_BOOL("hide-avps", hide_avps),
};
#undef CFG_T
enum { PEER_NAME, PEER_MATCH, PEER_HIDE_AVPS = 6 };

static int l2tp_peers(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(peer_fields)];
	struct lns_l2tp_cfg *l = dst;
	char sub[CFG_PATH_MAX];
	size_t i, j, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	l->peers = calloc(count, sizeof(*l->peers));
	if (l->peers == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	l->n_peers = count;
	for (i = 0; i < count; i++) {
		struct lns_l2tp_peer_cfg *peer = &l->peers[i];
		yaml_node_t *v = cfg_item(c, n, i);

		peer->allow = true;
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, v, sub, peer_fields, CFG_N(peer_fields), peer, found);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(l->peers[j].name, peer->name) == 0)
				return cfg_error(c, found[PEER_NAME],
						 "%s.name: duplicate peer name \"%s\" (also "
						 "%s[%zu])",
						 sub, peer->name, path, j);
		if (peer->n_match == 0 && peer->host_name[0] == '\0')
			return cfg_error(c, found[PEER_MATCH] ? found[PEER_MATCH] : v,
					 "%s: expected \"match\" (a list of source prefixes) or "
					 "\"host-name\" to recognise the peer by",
					 sub);
		if (peer->hide_avps && peer->secret[0] == '\0')
			return cfg_error(c, found[PEER_HIDE_AVPS],
					 "%s.hide-avps: hiding AVPs needs a \"secret\"", sub);
	}
	return 0;
}

/* ---- the section ---- */

#define CFG_T struct lns_l2tp_cfg
static const struct cfg_field l2tp_fields[] = {
	CFG_FN("listen", l2tp_listen),
	CFG_UINT("port", port, 1, 65535),
	CFG_STR("host-name", host_name, 1),
	CFG_UINT("hello-interval", hello_interval, 0, 3600),
	CFG_UINT("receive-window", receive_window, 1, 65535),
	CFG_FN("retransmit", l2tp_retransmit),
	CFG_UINT("max-tunnels", max_tunnels, 1, 65535),
	CFG_UINT("max-sessions", max_sessions, 1, 4194304),
	CFG_BOOL("allow-unknown-peers", allow_unknown_peers),
	CFG_FN("peers", l2tp_peers),
};
#undef CFG_T

int cfg_l2tp(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	return cfg_map(c, n, path, l2tp_fields, CFG_N(l2tp_fields),
		       &((struct lns_config *)dst)->l2tp, NULL);
}
