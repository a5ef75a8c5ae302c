/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ports section (interfaces, their addresses) and the static routes,
 * whose next hops must lie on a port's connected subnet. Runs in the thread
 * that loads the configuration; writes only the object being built.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* ---- ports ---- */

static int port_role(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	/* indexed by enum lns_port_role - 1 */
	static const char *const names[] = {"access", "core", "both"};
	struct lns_port_cfg *port = dst;
	int i, rc;

	rc = cfg_enum(c, n, path, names, CFG_N(names), &i);
	if (rc == 0)
		port->role = (enum lns_port_role)(i + LNS_ROLE_ACCESS);
	return rc;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int port_mac(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_port_cfg *port = dst;
	const char *s;
	int i, hi, lo;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.length != 17)
		goto bad;
	s = cfg_text(n);
	for (i = 0; i < 6; i++, s += 3) {
		hi = hexval(s[0]);
		lo = hexval(s[1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[2] != ':'))
			goto bad;
		port->mac[i] = (uint8_t)(hi << 4 | lo);
	}
	/* the group bit makes it multicast; all zeros is no address at all */
	if ((port->mac[0] & 1) != 0 || (port->mac[0] | port->mac[1] | port->mac[2] | port->mac[3] |
					port->mac[4] | port->mac[5]) == 0)
		goto bad;
	port->has_mac = true;
	return 0;
bad:
	return cfg_error(c, n,
			 "%s: expected a unicast MAC address such as 02:00:00:00:00:01, got %s",
			 path, CFG_DESC(n));
}

static int port_addresses(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_port_cfg *port = dst, *ports = c->cfg->ports;
	size_t me = (size_t)(port - ports), i, p, a, count;
	char sub[CFG_PATH_MAX], txt[INET6_ADDRSTRLEN];
	int rc;

	rc = cfg_seq(c, n, path, 1, LNS_MAX_ADDRS, &count);
	for (i = 0; rc == 0 && i < count; i++) {
		struct lns_addr *addr = &port->addrs[i];
		yaml_node_t *v = cfg_item(c, n, i);

		cfg_path_idx(sub, path, i);
		rc = cfg_addr(c, v, sub, CFG_A_PLEN | CFG_A_PLEN_REQ, addr);
		if (rc < 0)
			return rc;
		if (addr->plen == 0)
			return cfg_error(c, v,
					 "%s: expected a prefix length between 1 and %u, got %s",
					 sub, addr->family == AF_INET ? 32 : 128, CFG_DESC(v));
		/* earlier ports are complete; this one has i addresses so far */
		for (p = 0; p <= me; p++)
			for (a = 0; a < (p == me ? i : ports[p].n_addrs); a++)
				if (cfg_addr_cmp(&ports[p].addrs[a], addr) == 0)
					return cfg_error(c, v,
							 "%s: duplicate address %s (also "
							 "ports[%zu].addresses[%zu])",
							 sub, lns_addr_str(addr, txt, sizeof(txt)),
							 p, a);
		port->n_addrs = i + 1;
	}
	return rc;
}

#define CFG_T struct lns_port_cfg
static const struct cfg_field port_fields[] = {
	CFG_NAME_REQ("name", name),
	CFG_STR_REQ("device", device, 1),
	CFG_FN_REQ("role", port_role),
	CFG_UINT("mtu", mtu, 68, 9600),
	CFG_INT("vlan", vlan, 1, 4094),
	CFG_FN("mac", port_mac),
	CFG_FN_REQ("addresses", port_addresses),
};
#undef CFG_T
enum { PORT_NAME, PORT_DEVICE };

/* DPDK names a device by what comes before the first ',' of its string. */
static bool same_device(const char *a, const char *b)
{
	size_t la = strcspn(a, ","), lb = strcspn(b, ",");

	return la == lb && memcmp(a, b, la) == 0;
}

int cfg_ports(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(port_fields)];
	struct lns_config *cfg = dst;
	char sub[CFG_PATH_MAX];
	size_t i, j, count;
	int rc;

	rc = cfg_seq(c, n, path, 1, LNS_MAX_PORTS, &count);
	if (rc < 0)
		return rc;
	cfg->n_ports = count;
	for (i = 0; i < count; i++) {
		struct lns_port_cfg *port = &cfg->ports[i];

		port->mtu = 1500;
		port->vlan = -1;
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, port_fields, CFG_N(port_fields), port,
			     found);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++) {
			if (strcmp(cfg->ports[j].name, port->name) == 0)
				return cfg_error(c, found[PORT_NAME],
						 "%s.name: duplicate port name \"%s\" (also "
						 "ports[%zu])",
						 sub, port->name, j);
			if (same_device(cfg->ports[j].device, port->device))
				return cfg_error(
					c, found[PORT_DEVICE],
					"%s.device: device %s is already used by ports[%zu]", sub,
					CFG_DESC(found[PORT_DEVICE]), j);
		}
	}
	return 0;
}

/* ---- routes ---- */

static int route_port(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_route_cfg *r = dst;
	char name[LNS_NAME_MAX], list[LNS_MAX_PORTS * (LNS_NAME_MAX + 2)];
	int rc;

	rc = cfg_name(c, n, path, name, sizeof(name));
	if (rc < 0)
		return rc;
	r->port = lns_port_by_name(c->cfg, name);
	if (r->port >= 0)
		return 0;
	return cfg_error(c, n, "%s: unknown port \"%s\" (expected one of: %s)", path, name,
			 cfg_join_names(c->cfg->ports, c->cfg->n_ports, sizeof(c->cfg->ports[0]),
					list, sizeof(list)));
}

#define CFG_T struct lns_route_cfg
static const struct cfg_field route_fields[] = {
	CFG_ADDR_REQ("prefix", prefix, CFG_A_PREFIX),
	CFG_ADDR_REQ("via", via, 0),
	CFG_FN("port", route_port),
};
#undef CFG_T
enum { ROUTE_PREFIX, ROUTE_VIA };

/* Check the next hop of R and find its port when none was named. */
static int route_resolve(struct cfg_ctx *c, struct lns_route_cfg *r, yaml_node_t *via,
			 const char *path)
{
	const struct lns_config *cfg = c->cfg;
	char txt[INET6_ADDRSTRLEN];
	int best = -1, best_plen = -1;
	size_t p, a;

	lns_addr_str(&r->via, txt, sizeof(txt));
	if (r->via.family != r->prefix.family)
		return cfg_error(c, via, "%s.via: expected an %s address like the prefix, got %s",
				 path, r->prefix.family == AF_INET ? "IPv4" : "IPv6",
				 CFG_DESC(via));
	for (p = 0; p < cfg->n_ports; p++) {
		for (a = 0; a < cfg->ports[p].n_addrs; a++) {
			const struct lns_addr *ifa = &cfg->ports[p].addrs[a];

			if (cfg_addr_cmp(ifa, &r->via) == 0)
				return cfg_error(c, via, "%s.via: %s is an address of port \"%s\"",
						 path, txt, cfg->ports[p].name);
			if ((r->port < 0 || (size_t)r->port == p) && ifa->plen > best_plen &&
			    lns_addr_in_prefix(&r->via, ifa)) {
				best = (int)p;
				best_plen = ifa->plen;
			}
		}
	}
	if (best < 0 && r->port >= 0)
		return cfg_error(c, via, "%s.via: %s is not in a connected subnet of port \"%s\"",
				 path, txt, cfg->ports[r->port].name);
	if (best < 0)
		return cfg_error(c, via, "%s.via: %s is not in a connected subnet of any port",
				 path, txt);
	r->port = best;
	return 0;
}

int cfg_routes(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(route_fields)];
	struct lns_config *cfg = dst;
	char sub[CFG_PATH_MAX], txt[INET6_ADDRSTRLEN + 4];
	size_t i, j, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	cfg->routes = calloc(count, sizeof(*cfg->routes));
	if (cfg->routes == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	cfg->n_routes = count;
	for (i = 0; i < count; i++) {
		struct lns_route_cfg *r = &cfg->routes[i];

		r->port = -1;
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, route_fields, CFG_N(route_fields), r,
			     found);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++)
			if (cfg_addr_cmp(&cfg->routes[j].prefix, &r->prefix) == 0 &&
			    cfg->routes[j].prefix.plen == r->prefix.plen)
				return cfg_error(c, found[ROUTE_PREFIX],
						 "%s.prefix: duplicate route %s (also routes[%zu])",
						 sub, lns_prefix_str(&r->prefix, txt, sizeof(txt)),
						 j);
		rc = route_resolve(c, r, found[ROUTE_VIA], sub);
		if (rc < 0)
			return rc;
	}
	return 0;
}
