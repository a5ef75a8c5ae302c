/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sections that describe the process rather than the network: eal, log,
 * dataplane, ppp and management. Runs in the thread that loads the
 * configuration; writes only the object being built.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* ---- eal ---- */

#define LCORE_ID_MAX 1023

/* One number or range, "3" or "1-2", at *s; advances *s. -1 when malformed. */
static int id_range(const char **s, unsigned *lo, unsigned *hi)
{
	const char *p = *s, *d = p;

	*lo = 0;
	while (*p >= '0' && *p <= '9' && *lo <= LCORE_ID_MAX)
		*lo = *lo * 10 + (unsigned)(*p++ - '0');
	if (p == d || *lo > LCORE_ID_MAX)
		return -1;
	*hi = *lo;
	if (*p == '-') {
		d = ++p;
		*hi = 0;
		while (*p >= '0' && *p <= '9' && *hi <= LCORE_ID_MAX)
			*hi = *hi * 10 + (unsigned)(*p++ - '0');
		if (p == d || *hi > LCORE_ID_MAX || *hi < *lo)
			return -1;
	}
	*s = p;
	return 0;
}

/* A set: a number or range, or "(1,3-4)"; *has is set when ID is in it.
 * 1 for a range without parentheses, which EAL will not map to CPUs. */
static int id_set(const char **s, unsigned id, bool *has)
{
	unsigned lo, hi;

	if (**s != '(') {
		if (id_range(s, &lo, &hi) < 0)
			return -1;
		*has = *has || (id >= lo && id <= hi);
		return lo != hi;
	}
	do {
		++*s;
		if (id_range(s, &lo, &hi) < 0)
			return -1;
		*has = *has || (id >= lo && id <= hi);
	} while (**s == ',');
	if (**s != ')')
		return -1;
	++*s;
	return 0;
}

/*
 * EAL's --lcores syntax: comma-separated sets of lcores, each optionally
 * mapped to a set of CPUs: "0-3,5" (lcore i on CPU i), "0,(1-2)@1" (lcores 1
 * and 2 both on CPU 1: more workers than CPUs; "1-2@1" is not EAL's syntax). -1 when malformed,
 * else 0; *has is set when lcore ID is in one of the lcore sets. EAL checks again (that the CPUs
 * exist); this catches typos with the file's line and column.
 */
static int lcores_scan(const char *s, unsigned id, bool *has)
{
	*has = false;
	for (;;) {
		bool cpu = false; /* CPU ids are EAL's to check */
		int bare_range = id_set(&s, id, has);

		if (bare_range < 0 || (bare_range && *s == '@'))
			return -1;
		if (*s == '@') {
			s++;
			if (id_set(&s, UINT_MAX, &cpu) < 0)
				return -1;
		}
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return -1;
	}
}

static int eal_lcores(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_eal_cfg *e = dst;
	bool has;
	int rc;

	rc = cfg_str(c, n, path, e->lcores, sizeof(e->lcores), 1);
	if (rc == 0 && lcores_scan(e->lcores, 0, &has) < 0)
		return cfg_error(
			c, n,
			"%s: expected an lcore list such as \"0-3\" or \"0,2-3\", or lcores on "
			"CPUs such as \"0,(1-2)@1\" (ids up to %u), got %s",
			path, LCORE_ID_MAX, CFG_DESC(n));
	return rc;
}

static int eal_file_prefix(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_eal_cfg *e = dst;
	int rc;

	rc = cfg_str(c, n, path, e->file_prefix, sizeof(e->file_prefix), 1);
	if (rc == 0 && e->file_prefix[strspn(e->file_prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							     "abcdefghijklmnopqrstuvwxyz"
							     "0123456789_-")] != '\0')
		return cfg_error(c, n, "%s: expected letters, digits, \"_\" and \"-\", got %s",
				 path, CFG_DESC(n));
	return rc;
}

static int eal_extra_args(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_eal_cfg *e = dst;
	char sub[CFG_PATH_MAX], arg[4096];
	size_t i, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, SIZE_MAX, &count);
	if (rc < 0 || count == 0)
		return rc;
	e->extra_args = calloc(count, sizeof(*e->extra_args));
	if (e->extra_args == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	e->n_extra_args = count;
	for (i = 0; i < count; i++) {
		yaml_node_t *v = cfg_item(c, n, i);

		cfg_path_idx(sub, path, i);
		rc = cfg_str(c, v, sub, arg, sizeof(arg), 1);
		if (rc < 0)
			return rc;
		e->extra_args[i] = strdup(arg);
		if (e->extra_args[i] == NULL)
			return cfg_error(c, v, "%s: out of memory", sub);
	}
	return 0;
}

#define CFG_T struct lns_eal_cfg
static const struct cfg_field eal_fields[] = {
	CFG_FN("lcores", eal_lcores),
	CFG_INT("main-lcore", main_lcore, 0, LCORE_ID_MAX),
	CFG_UINT("memory-mb", memory_mb, 64, 1048576),
	CFG_BOOL("no-huge", no_huge),
	CFG_FN("file-prefix", eal_file_prefix),
	CFG_FN("extra-args", eal_extra_args),
};
#undef CFG_T
enum { EAL_MAIN_LCORE = 1 };

int cfg_eal(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	yaml_node_t *found[CFG_N(eal_fields)];
	struct lns_eal_cfg *e = &((struct lns_config *)dst)->eal;
	bool has;
	int rc;

	rc = cfg_map(c, n, path, eal_fields, CFG_N(eal_fields), e, found);
	if (rc == 0 && e->main_lcore >= 0 &&
	    (lcores_scan(e->lcores, (unsigned)e->main_lcore, &has) < 0 || !has))
		return cfg_error(c, found[EAL_MAIN_LCORE],
				 "eal.main-lcore: expected one of the lcores \"%s\", got %d",
				 e->lcores, e->main_lcore);
	return rc;
}

/* ---- log ---- */

/* Indexed by enum lns_log_level - 1. */
static const char *const level_names[] = {
	"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug",
};

const char *lns_log_level_name(enum lns_log_level l)
{
	if (l < LNS_LOG_EMERG || l > LNS_LOG_DEBUG)
		return "unknown";
	return level_names[l - LNS_LOG_EMERG];
}

static int log_level(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	int i, rc;

	rc = cfg_enum(c, n, path, level_names, CFG_N(level_names), &i);
	if (rc == 0)
		*(enum lns_log_level *)dst = (enum lns_log_level)(i + LNS_LOG_EMERG);
	return rc;
}

static int log_components(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_log_cfg *l = dst;
	char sub[CFG_PATH_MAX];
	yaml_node_pair_t *p;
	size_t i, j, count;
	int rc;

	if (cfg_is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return cfg_error(c, n,
				 "%s: expected a mapping of component names to levels, got %s",
				 path, CFG_DESC(n));
	count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (count == 0)
		return 0;
	l->components = calloc(count, sizeof(*l->components));
	if (l->components == NULL)
		return cfg_error(c, n, "%s: out of memory", path);
	l->n_components = count;
	for (i = 0, p = n->data.mapping.pairs.start; i < count; i++, p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		struct lns_log_component *lc = &l->components[i];

		rc = cfg_name(c, k, path, lc->name, sizeof(lc->name));
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++) {
			yaml_node_t *first;

			if (strcmp(l->components[j].name, lc->name) != 0)
				continue;
			first = yaml_document_get_node(c->doc, n->data.mapping.pairs.start[j].key);
			return cfg_error(c, k, "duplicate key \"%s\" in %s (first at line %zu)",
					 lc->name, path, first->start_mark.line + 1);
		}
		cfg_path_key(sub, path, lc->name);
		rc = log_level(c, v, sub, &lc->level);
		if (rc < 0)
			return rc;
	}
	return 0;
}

#define CFG_T struct lns_log_cfg
static const struct cfg_field log_fields[] = {
	CFG_FN("level", log_level),
	CFG_FN("components", log_components),
};
#undef CFG_T

int cfg_log(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	return cfg_map(c, n, path, log_fields, CFG_N(log_fields), &((struct lns_config *)dst)->log,
		       NULL);
}

/* ---- dataplane ---- */

/* tcp-mss-clamp: auto, off, or the largest MSS a SYN may carry. */
static int dp_mss_clamp(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_dataplane_cfg *d = dst;
	const char *t = n->type == YAML_SCALAR_NODE ? cfg_text(n) : "";

	if (strcmp(t, "auto") == 0) {
		d->tcp_mss_clamp = LNS_MSS_CLAMP_AUTO;
		return 0;
	}
	if (strcmp(t, "off") == 0) {
		d->tcp_mss_clamp = LNS_MSS_CLAMP_OFF;
		return 0;
	}
	if (t[0] < '0' || t[0] > '9' ||
	    cfg_uint(c, n, path, LNS_MSS_CLAMP_MIN, LNS_MSS_CLAMP_MAX, &d->tcp_mss_clamp) < 0)
		return cfg_error(c, n,
				 "%s: expected auto, off or an integer between %u and %u, got %s",
				 path, LNS_MSS_CLAMP_MIN, LNS_MSS_CLAMP_MAX, CFG_DESC(n));
	return 0;
}

/* ipv6-prefixes: auto, or the IPv6 FIB's room for subscriber prefixes. */
static int dp_ipv6_prefixes(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_dataplane_cfg *d = dst;
	const char *t = n->type == YAML_SCALAR_NODE ? cfg_text(n) : "";
	unsigned v;

	if (strcmp(t, "auto") == 0) {
		d->ipv6_prefixes = LNS_IPV6_PREFIXES_AUTO;
		return 0;
	}
	if (t[0] < '0' || t[0] > '9' || cfg_uint(c, n, path, 0, LNS_IPV6_PREFIXES_MAX, &v) < 0)
		return cfg_error(c, n, "%s: expected auto or an integer between 0 and %u, got %s",
				 path, LNS_IPV6_PREFIXES_MAX, CFG_DESC(n));
	d->ipv6_prefixes = v;
	return 0;
}

/*
 * auto: room for every prefix the configuration can route to sessions. Each
 * session's /64 while IPv6CP is open (none with ppp.ipv6 off: IPv6CP never
 * runs); a delegated prefix each when one can come (ppp.pd-pool, or RADIUS's
 * Delegated-IPv6-Prefix or -Pool); with RADIUS, 1024 more for framed IPv6
 * routes (a deployment that gives many sets the key). Without a delegated
 * prefix this is half of the two a session lnsd used to reserve, at ~135 B a
 * prefix (docs/performance.md).
 */
uint32_t lns_config_ipv6_prefixes(const struct lns_config *cfg)
{
	uint32_t n; /* at most 2 x 4194304 + 1024 (l2tp.max-sessions' range) */

	if (cfg->dataplane.ipv6_prefixes != LNS_IPV6_PREFIXES_AUTO)
		return cfg->dataplane.ipv6_prefixes;
	if (!cfg->ppp.ipv6)
		return 0;
	n = cfg->l2tp.max_sessions;
	if (cfg->ppp.pd_pool >= 0 || cfg->radius.enabled)
		n += cfg->l2tp.max_sessions;
	if (cfg->radius.enabled)
		n += 1024;
	return n;
}

#define CFG_T struct lns_dataplane_cfg
static const struct cfg_field dataplane_fields[] = {
	CFG_UINT("mbufs", mbufs, 1024, 16777215),
	CFG_UINT("mbuf-cache", mbuf_cache, 0, 512),
	CFG_UINT("burst", burst, 1, 256),
	CFG_POW2("punt-ring-size", punt_ring_size, 64, 1048576),
	CFG_UINT("rx-desc", rx_desc, 64, 16384),
	CFG_UINT("tx-desc", tx_desc, 64, 16384),
	CFG_UINT("idle-polls", idle_polls, 0, 1000000),
	CFG_UINT("idle-sleep-us", idle_sleep_us, 0, 100000),
	CFG_BOOL("handoff", handoff),
	CFG_POW2("handoff-ring-size", handoff_ring_size, 64, 1048576),
	CFG_UINT("icmp-errors-per-second", icmp_errors_per_second, 0, 1000000),
	CFG_BOOL("icmp-unreachable", icmp_unreachable),
	CFG_FN("tcp-mss-clamp", dp_mss_clamp),
	CFG_FN("ipv6-prefixes", dp_ipv6_prefixes),
};
#undef CFG_T
enum { DP_MBUFS, DP_MBUF_CACHE };

int cfg_dataplane(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_dataplane_cfg *d = &((struct lns_config *)dst)->dataplane;
	yaml_node_t *found[CFG_N(dataplane_fields)];
	unsigned max;
	int rc;

	rc = cfg_map(c, n, path, dataplane_fields, CFG_N(dataplane_fields), d, found);
	if (rc < 0)
		return rc;
	/* rte_mempool_create() refuses a cache larger than n / 1.5 */
	max = (unsigned)((uint64_t)d->mbufs * 2 / 3);
	if (d->mbuf_cache > max)
		return cfg_error(c, found[DP_MBUF_CACHE] ? found[DP_MBUF_CACHE] : found[DP_MBUFS],
				 "dataplane.mbuf-cache: expected at most %u (mbufs / 1.5), got %u",
				 max, d->mbuf_cache);
	return 0;
}

/* ---- ppp ---- */

static int ppp_mru(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_ppp_cfg *p = dst;

	if (cfg_uint(c, n, path, 0, 65535, &p->mru) < 0 || (p->mru != 0 && p->mru < 64))
		return cfg_error(c, n, "%s: expected 0 or an integer between 64 and 65535, got %s",
				 path, CFG_DESC(n));
	return 0;
}

static int ppp_auth(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	/* indexed by enum lns_auth_proto - 1 */
	static const char *const names[] = {"pap", "chap-md5", "mschapv2"};
	struct lns_ppp_cfg *p = dst;
	char sub[CFG_PATH_MAX];
	size_t i, j, count;
	int rc, k;

	rc = cfg_seq(c, n, path, 1, LNS_AUTH_MAX, &count);
	if (rc < 0)
		return rc;
	p->n_auth = count;
	for (i = 0; i < count; i++) {
		yaml_node_t *v = cfg_item(c, n, i);

		cfg_path_idx(sub, path, i);
		rc = cfg_enum(c, v, sub, names, CFG_N(names), &k);
		if (rc < 0)
			return rc;
		p->auth[i] = (enum lns_auth_proto)(k + LNS_AUTH_PAP);
		for (j = 0; j < i; j++)
			if (p->auth[j] == p->auth[i])
				return cfg_error(c, v, "%s: duplicate \"%s\" (also %s[%zu])", sub,
						 names[k], path, j);
	}
	return 0;
}

static int ppp_dns(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_ppp_cfg *p = dst;
	char sub[CFG_PATH_MAX];
	size_t i, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, CFG_N(p->dns), &count);
	for (i = 0; rc == 0 && i < count; i++) {
		cfg_path_idx(sub, path, i);
		rc = cfg_addr(c, cfg_item(c, n, i), sub, CFG_A_V4, &p->dns[i]);
	}
	if (rc == 0)
		p->n_dns = count;
	return rc;
}

/* A pool's name, checked now, looked up once pools are read (cfg_ppp_finish). */
static int ppp_pool_name(struct cfg_ctx *c, yaml_node_t *n, const char *path, yaml_node_t **where)
{
	char name[LNS_NAME_MAX];
	int rc = cfg_name(c, n, path, name, sizeof(name));

	if (rc == 0)
		*where = n;
	return rc;
}

static int ppp_ipv6_pool(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	(void)dst;
	return ppp_pool_name(c, n, path, &c->ppp_ipv6_pool);
}

static int ppp_pd_pool(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	(void)dst;
	return ppp_pool_name(c, n, path, &c->ppp_pd_pool);
}

static int ra_dns(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_ra_cfg *ra = dst;
	char sub[CFG_PATH_MAX];
	size_t i, count;
	int rc;

	rc = cfg_seq(c, n, path, 0, CFG_N(ra->dns), &count);
	for (i = 0; rc == 0 && i < count; i++) {
		yaml_node_t *v = cfg_item(c, n, i);

		cfg_path_idx(sub, path, i);
		rc = cfg_addr(c, v, sub, 0, &ra->dns[i]);
		if (rc == 0 && ra->dns[i].family != AF_INET6)
			rc = cfg_error(c, v, "%s: expected an IPv6 address, got %s", sub,
				       CFG_DESC(v));
	}
	if (rc == 0)
		ra->n_dns = count;
	return rc;
}

#define CFG_T struct lns_ra_cfg
static const struct cfg_field ra_fields[] = {
	CFG_UINT("interval", interval, 4, 1800),
	CFG_UINT("router-lifetime", router_lifetime, 0, 9000),
	CFG_UINT("valid-lifetime", valid_lifetime, 1, 0xfffffffe),
	CFG_UINT("preferred-lifetime", preferred_lifetime, 0, 0xfffffffe),
	CFG_BOOL("managed", managed),
	CFG_BOOL("other-config", other_config),
	CFG_FN("dns", ra_dns),
};
#undef CFG_T
enum { RA_INTERVAL, RA_ROUTER_LIFETIME, RA_VALID, RA_PREFERRED, RA_MANAGED, RA_OTHER };

/* RFC 4861 section 6.2.1: AdvDefaultLifetime is 0 or MaxRtrAdvInterval..9000. */
static int ppp_ra(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_ra_cfg *ra = &((struct lns_ppp_cfg *)dst)->ra;
	yaml_node_t *found[CFG_N(ra_fields)];
	int rc = cfg_map(c, n, path, ra_fields, CFG_N(ra_fields), ra, found);

	if (rc < 0)
		return rc;
	c->ra_other_config = found[RA_OTHER] != NULL;
	if (ra->router_lifetime != 0 && ra->router_lifetime < ra->interval)
		return cfg_error(c, found[RA_ROUTER_LIFETIME] ? found[RA_ROUTER_LIFETIME] : n,
				 "%s.router-lifetime: expected 0 or at least interval (%u), got %u",
				 path, ra->interval, ra->router_lifetime);
	if (ra->preferred_lifetime > ra->valid_lifetime)
		return cfg_error(c, found[RA_PREFERRED] ? found[RA_PREFERRED] : n,
				 "%s.preferred-lifetime: %u is longer than valid-lifetime (%u)",
				 path, ra->preferred_lifetime, ra->valid_lifetime);
	return 0;
}

#define CFG_T struct lns_ppp_cfg
static const struct cfg_field ppp_fields[] = {
	CFG_FN("mru", ppp_mru),
	CFG_FN("auth", ppp_auth),
	CFG_UINT("lcp-echo-interval", lcp_echo_interval, 0, 3600),
	CFG_UINT("lcp-echo-failures", lcp_echo_failures, 1, 100),
	CFG_UINT("restart-ms", restart_ms, 100, 60000),
	CFG_UINT("max-configure", max_configure, 1, 255),
	CFG_UINT("max-failure", max_failure, 1, 255),
	CFG_UINT("max-terminate", max_terminate, 1, 255),
	CFG_FN("dns", ppp_dns),
	CFG_BOOL("ipv6", ipv6),
	CFG_FN("ipv6-pool", ppp_ipv6_pool),
	CFG_FN("pd-pool", ppp_pd_pool),
	CFG_FN("ra", ppp_ra),
	CFG_BOOL("dhcp6", dhcp6),
	CFG_BOOL("proxy-lcp", proxy_lcp),
	CFG_BOOL("proxy-auth", proxy_auth),
};
#undef CFG_T

int cfg_ppp(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	return cfg_map(c, n, path, ppp_fields, CFG_N(ppp_fields), &((struct lns_config *)dst)->ppp,
		       NULL);
}

/* The index of the IPv6 pool named by N (at PATH), which must hand out /want (0: any). */
static int ipv6_pool_ref(struct cfg_ctx *c, yaml_node_t *n, const char *path, unsigned want,
			 int *idx)
{
	const struct lns_config *cfg = c->cfg;
	char list[400];

	for (size_t i = 0; i < cfg->n_pools; i++) {
		const struct lns_pool_cfg *pool = &cfg->pools[i];

		if (strcmp(pool->name, cfg_text(n)) != 0)
			continue;
		if (pool->family != AF_INET6)
			return cfg_error(c, n, "%s: pool \"%s\" is IPv4; expected an IPv6 pool",
					 path, pool->name);
		if (want && pool->prefix_len != want)
			return cfg_error(c, n,
					 "%s: pool \"%s\" hands out /%u prefixes; the link's "
					 "prefix must be a /%u (SLAAC)",
					 path, pool->name, pool->prefix_len, want);
		*idx = (int)i;
		return 0;
	}
	if (cfg->n_pools == 0)
		return cfg_error(c, n, "%s: unknown pool %s (no pools are defined)", path,
				 CFG_DESC(n));
	return cfg_error(
		c, n, "%s: unknown pool %s (expected one of: %s)", path, CFG_DESC(n),
		cfg_join_names(cfg->pools, cfg->n_pools, sizeof(*cfg->pools), list, sizeof(list)));
}

int cfg_ppp_finish(struct cfg_ctx *c)
{
	struct lns_config *cfg = c->cfg;
	int rc;

	/* With lns's DHCPv6 server on the link the O flag says so by default: a CPE starts
	 * prefix delegation on an RA with M or O set (RFC 7084 section 4.2). */
	if (!c->ra_other_config)
		cfg->ppp.ra.other_config = cfg->ppp.dhcp6;
	if (c->ppp_ipv6_pool) {
		rc = ipv6_pool_ref(c, c->ppp_ipv6_pool, "ppp.ipv6-pool", 64, &cfg->ppp.ipv6_pool);
		if (rc < 0)
			return rc;
	} else { /* the default: the first pool of /64s */
		for (size_t i = 0; i < cfg->n_pools && cfg->ppp.ipv6_pool < 0; i++)
			if (cfg->pools[i].family == AF_INET6 && cfg->pools[i].prefix_len == 64)
				cfg->ppp.ipv6_pool = (int)i;
	}
	if (c->ppp_pd_pool) {
		rc = ipv6_pool_ref(c, c->ppp_pd_pool, "ppp.pd-pool", 0, &cfg->ppp.pd_pool);
		if (rc < 0)
			return rc;
		if (cfg->ppp.pd_pool == cfg->ppp.ipv6_pool)
			return cfg_error(c, c->ppp_pd_pool,
					 "ppp.pd-pool: pool \"%s\" serves the links' /64s already "
					 "(ppp.ipv6-pool)",
					 cfg->pools[cfg->ppp.pd_pool].name);
	}
	return 0;
}

/* ---- management ---- */

static int mgmt_socket(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_mgmt_cfg *m = dst;

	if (n->type != YAML_SCALAR_NODE || cfg_text(n)[0] != '/' ||
	    cfg_str(c, n, path, m->socket, sizeof(m->socket), 1) < 0)
		return cfg_error(c, n,
				 "%s: expected an absolute path of at most %zu characters, "
				 "got %s",
				 path, sizeof(m->socket) - 1, CFG_DESC(n));
	return 0;
}

/* "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6). */
static int parse_listener(char *s, struct lns_addr *a, unsigned *port)
{
	char *colon, *addr = s, *end;
	unsigned long v;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (end == NULL || end[1] != ':')
			return -1;
		*end = '\0';
		addr = s + 1;
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		*colon = '\0';
	}
	if (lns_addr_parse(addr, a, false) < 0 || a->family != (s[0] == '[' ? AF_INET6 : AF_INET))
		return -1;
	if (colon[1] < '1' || colon[1] > '9' || strlen(colon + 1) > 5)
		return -1;
	v = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

static int mgmt_metrics(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_mgmt_cfg *m = dst;
	char buf[INET6_ADDRSTRLEN + 16];

	if (n->type != YAML_SCALAR_NODE || cfg_str(c, n, path, buf, sizeof(buf), 1) < 0 ||
	    parse_listener(buf, &m->metrics_addr, &m->metrics_port) < 0)
		return cfg_error(c, n,
				 "%s: expected \"ADDRESS:PORT\" or \"[IPV6-ADDRESS]:PORT\", got %s",
				 path, CFG_DESC(n));
	m->has_metrics = true;
	return 0;
}

#define CFG_T struct lns_mgmt_cfg
static const struct cfg_field mgmt_fields[] = {
	CFG_FN("socket", mgmt_socket),
	CFG_FN("metrics", mgmt_metrics),
};
#undef CFG_T

int cfg_mgmt(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	return cfg_map(c, n, path, mgmt_fields, CFG_N(mgmt_fields),
		       &((struct lns_config *)dst)->mgmt, NULL);
}
