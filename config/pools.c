/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address pools (ranges that must not overlap anywhere) and the local users,
 * who may name a pool or hold a fixed address outside every pool. Runs in
 * the thread that loads the configuration; writes only the object being built.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* "first-last", or "first" when it is one address. */
static const char *range_str(const struct lns_pool_range *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	lns_addr_str(&r->first, a, sizeof(a));
	if (cfg_addr_cmp(&r->first, &r->last) == 0)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s-%s", a, lns_addr_str(&r->last, b, sizeof(b)));
	return buf;
}

/* One entry of ranges: "first-last" or a prefix (a bare address is one). */
static int pool_range(struct cfg_ctx *c, yaml_node_t *n, const char *path, struct lns_pool_range *r)
{
	char buf[2 * INET6_ADDRSTRLEN + 2], *dash;
	struct lns_addr p;
	int rc;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.length >= sizeof(buf) ||
	    memchr(cfg_text(n), '\0', n->data.scalar.length) != NULL)
		goto bad;
	memcpy(buf, cfg_text(n), n->data.scalar.length + 1);
	dash = strchr(buf, '-');
	if (dash == NULL) {
		if (lns_addr_parse(buf, &p, true) < 0)
			goto bad;
		rc = cfg_network(c, n, path, &p);
		if (rc < 0)
			return rc;
		cfg_prefix_first(&p, &r->first);
		r->first.plen = p.family == AF_INET ? 32 : 128;
		cfg_prefix_last(&p, &r->last);
		/* An IPv4 prefix gives its hosts: not the network and broadcast addresses,
		 * which some subscriber equipment refuses even on a point-to-point link. */
		if (p.family == AF_INET && p.plen <= 30) {
			r->first.v4.s_addr = htonl(ntohl(r->first.v4.s_addr) + 1);
			r->last.v4.s_addr = htonl(ntohl(r->last.v4.s_addr) - 1);
		}
		return 0;
	}
	*dash = '\0';
	if (lns_addr_parse(buf, &r->first, false) < 0 ||
	    lns_addr_parse(dash + 1, &r->last, false) < 0 || r->first.family != r->last.family)
		goto bad;
	if (cfg_addr_cmp(&r->first, &r->last) > 0)
		return cfg_error(c, n, "%s: the first address is above the last in %s", path,
				 CFG_DESC(n));
	return 0;
bad:
	return cfg_error(c, n,
			 "%s: expected a range such as 100.64.0.1-100.64.3.254 or a prefix such "
			 "as 100.64.0.0/24, got %s",
			 path, CFG_DESC(n));
}

static bool overlap(const struct lns_pool_range *a, const struct lns_pool_range *b)
{
	return a->first.family == b->first.family && cfg_addr_cmp(&a->first, &b->last) <= 0 &&
	       cfg_addr_cmp(&b->first, &a->last) <= 0;
}

/* R (node N) against the ranges before it: those of earlier pools, which are
 * complete, and those of its own pool POOL read so far. */
static int check_overlap(struct cfg_ctx *c, yaml_node_t *n, const char *path,
			 const struct lns_pool_cfg *pool, const struct lns_pool_range *r)
{
	const struct lns_pool_cfg *pools = c->cfg->pools;
	char txt[2 * INET6_ADDRSTRLEN + 2];
	size_t p, k;

	for (p = 0; &pools[p] <= pool; p++) {
		for (k = 0; k < pools[p].n_ranges; k++) {
			if (!overlap(&pools[p].ranges[k], r))
				continue;
			range_str(&pools[p].ranges[k], txt, sizeof(txt));
			if (&pools[p] == pool)
				return cfg_error(c, n,
						 "%s: %s overlaps %s, earlier in the same pool",
						 path, CFG_DESC(n), txt);
			return cfg_error(c, n, "%s: %s overlaps %s of pool \"%s\"", path,
					 CFG_DESC(n), txt, pools[p].name);
		}
	}
	return 0;
}

static int pool_ranges(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_pool_cfg *pool = dst;
	char sub[CFG_PATH_MAX];
	size_t i, count;
	int rc;

	rc = cfg_seq(c, n, path, 1, 64, &count);
	if (rc < 0)
		return rc;
	pool->ranges = calloc(count, sizeof(*pool->ranges));
	if (pool->ranges == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	for (i = 0; i < count; i++) {
		struct lns_pool_range *r = &pool->ranges[i];
		yaml_node_t *v = cfg_item(c, n, i);
		uint64_t size;

		cfg_path_idx(sub, path, i);
		rc = pool_range(c, v, sub, r);
		if (rc < 0)
			return rc;
		if (i > 0 && r->first.family != pool->family)
			return cfg_error(c, v,
					 "%s: %s is %s but the earlier ranges are %s (one "
					 "family per pool)",
					 sub, CFG_DESC(v),
					 r->first.family == AF_INET ? "IPv4" : "IPv6",
					 pool->family == AF_INET ? "IPv4" : "IPv6");
		pool->family = r->first.family;
		rc = check_overlap(c, v, sub, pool, r);
		if (rc < 0)
			return rc;
		pool->n_ranges = i + 1;
		size = cfg_range_size(&r->first, &r->last);
		pool->size = pool->size > UINT64_MAX - size ? UINT64_MAX : pool->size + size;
	}
	return 0;
}

#define CFG_T struct lns_pool_cfg
static const struct cfg_field pool_fields[] = {
	CFG_NAME_REQ("name", name),
	CFG_FN_REQ("ranges", pool_ranges),
	CFG_UINT("prefix-length", prefix_len, 1, 128),
};
#undef CFG_T
enum { POOL_NAME, POOL_RANGES, POOL_PREFIX_LEN };

/* Prefixes of one pool kept track of (cp/pool.c: a bit each): 2 MiB of bitmap at most. */
#define POOL6_MAX_PREFIXES (UINT64_C(1) << 24)

static unsigned __int128 v6_int(const struct lns_addr *a)
{
	unsigned __int128 v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 8 | a->v6.s6_addr[i];
	return v;
}

/*
 * An IPv6 pool hands out prefixes of prefix-length (default 64): each range
 * must start and end on such a prefix's boundary, and its size counts them.
 */
static int pool6_prefixes(struct cfg_ctx *c, const char *path, struct lns_pool_cfg *pool,
			  yaml_node_t **found)
{
	unsigned shift;

	if (pool->family != AF_INET6) {
		if (found[POOL_PREFIX_LEN])
			return cfg_error(c, found[POOL_PREFIX_LEN],
					 "%s.prefix-length: only for an IPv6 pool (this one is "
					 "IPv4)",
					 path);
		return 0;
	}
	if (pool->prefix_len == 0)
		pool->prefix_len = 64;
	shift = 128 - pool->prefix_len;
	pool->size = 0;
	for (size_t k = 0; k < pool->n_ranges; k++) {
		const struct lns_pool_range *r = &pool->ranges[k];
		unsigned __int128 first = v6_int(&r->first), last = v6_int(&r->last);
		unsigned __int128 low = shift ? ((unsigned __int128)1 << shift) - 1 : 0;
		yaml_node_t *v = cfg_item(c, found[POOL_RANGES], k);
		unsigned __int128 n;

		if ((first & low) != 0 || (last & low) != low)
			return cfg_error(c, v,
					 "%s.ranges[%zu]: %s is not made of whole /%u prefixes",
					 path, k, CFG_DESC(v), pool->prefix_len);
		n = ((last - first) >> shift) + 1;
		if (n > POOL6_MAX_PREFIXES || pool->size + (uint64_t)n > POOL6_MAX_PREFIXES)
			return cfg_error(c, v,
					 "%s.ranges[%zu]: more than %" PRIu64
					 " /%u prefixes in the pool (split it, or hand out "
					 "longer prefixes)",
					 path, k, POOL6_MAX_PREFIXES, pool->prefix_len);
		pool->size += (uint64_t)n;
	}
	return 0;
}

int cfg_pools(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(pool_fields)];
	struct lns_config *cfg = dst;
	char sub[CFG_PATH_MAX];
	size_t i, j, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	cfg->pools = calloc(count, sizeof(*cfg->pools));
	if (cfg->pools == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	cfg->n_pools = count;
	for (i = 0; i < count; i++) {
		struct lns_pool_cfg *pool = &cfg->pools[i];

		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, pool_fields, CFG_N(pool_fields), pool,
			     found);
		if (rc == 0)
			rc = pool6_prefixes(c, sub, pool, found);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(cfg->pools[j].name, pool->name) == 0)
				return cfg_error(c, found[POOL_NAME],
						 "%s.name: duplicate pool name \"%s\" (also "
						 "pools[%zu])",
						 sub, pool->name, j);
	}
	return 0;
}

/* ---- users ---- */

static int user_pool(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	const struct lns_config *cfg = c->cfg;
	struct lns_user_cfg *u = dst;
	char name[LNS_NAME_MAX], list[400];
	size_t i;
	int rc;

	rc = cfg_name(c, n, path, name, sizeof(name));
	if (rc < 0)
		return rc;
	for (i = 0; i < cfg->n_pools; i++) {
		if (strcmp(cfg->pools[i].name, name) == 0) {
			u->pool = (int)i;
			return 0;
		}
	}
	if (cfg->n_pools == 0)
		return cfg_error(c, n, "%s: unknown pool \"%s\" (no pools are defined)", path,
				 name);
	return cfg_error(
		c, n, "%s: unknown pool \"%s\" (expected one of: %s)", path, name,
		cfg_join_names(cfg->pools, cfg->n_pools, sizeof(*cfg->pools), list, sizeof(list)));
}

static int user_address(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	const struct lns_config *cfg = c->cfg;
	struct lns_user_cfg *u = dst;
	char txt[INET6_ADDRSTRLEN], range[2 * INET6_ADDRSTRLEN + 2];
	struct lns_pool_range one;
	size_t p, k;
	int rc;

	rc = cfg_addr(c, n, path, CFG_A_V4, &u->address);
	if (rc < 0)
		return rc;
	one.first = one.last = u->address;
	for (p = 0; p < cfg->n_pools; p++) {
		for (k = 0; k < cfg->pools[p].n_ranges; k++) {
			if (!overlap(&cfg->pools[p].ranges[k], &one))
				continue;
			range_str(&cfg->pools[p].ranges[k], range, sizeof(range));
			return cfg_error(c, n, "%s: %s is inside pool \"%s\" (%s)", path,
					 lns_addr_str(&u->address, txt, sizeof(txt)),
					 cfg->pools[p].name, range);
		}
	}
	u->has_address = true;
	return 0;
}

#define CFG_T struct lns_user_cfg
static const struct cfg_field user_fields[] = {
	CFG_STR_REQ("name", name, 1),
	CFG_STR_REQ("password", password, 1),
	CFG_FN("pool", user_pool),
	CFG_FN("address", user_address),
};
#undef CFG_T
enum { USER_NAME, USER_PASSWORD, USER_POOL, USER_ADDRESS };

int cfg_users(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(user_fields)];
	struct lns_config *cfg = dst;
	char sub[CFG_PATH_MAX], txt[INET6_ADDRSTRLEN];
	size_t i, j, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	cfg->users = calloc(count, sizeof(*cfg->users));
	if (cfg->users == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	cfg->n_users = count;
	for (i = 0; i < count; i++) {
		struct lns_user_cfg *u = &cfg->users[i];

		u->pool = -1;
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, user_fields, CFG_N(user_fields), u, found);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++) {
			const struct lns_user_cfg *o = &cfg->users[j];

			if (strcmp(o->name, u->name) == 0)
				return cfg_error(c, found[USER_NAME],
						 "%s.name: duplicate user name %s (also "
						 "users[%zu])",
						 sub, CFG_DESC(found[USER_NAME]), j);
			if (u->has_address && o->has_address &&
			    cfg_addr_cmp(&o->address, &u->address) == 0)
				return cfg_error(c, found[USER_ADDRESS],
						 "%s.address: duplicate address %s (also "
						 "users[%zu])",
						 sub, lns_addr_str(&u->address, txt, sizeof(txt)),
						 j);
		}
	}
	return 0;
}
