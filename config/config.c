/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading: read the file, let libyaml build the document, walk the top level
 * and hand each section to its parser in dependency order (ports before
 * routes and l2tp, pools before users), then fill in derived defaults.
 * Called at start-up and on reload by whichever thread does that; the object
 * it returns is never written again and is freed with lns_config_free.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define FILE_MAX  (16u << 20) /* refuse configuration files above 16 MiB */
#define DEPTH_MAX 32          /* the schema needs 5 levels of nesting */

static void cfg_defaults(struct lns_config *cfg)
{
	snprintf(cfg->eal.lcores, sizeof(cfg->eal.lcores), "0-1");
	cfg->eal.main_lcore = -1;
	cfg->eal.memory_mb = 512;
	cfg->eal.no_huge = true;
	snprintf(cfg->eal.file_prefix, sizeof(cfg->eal.file_prefix), "lns");

	cfg->log.level = LNS_LOG_INFO;

	cfg->dataplane = (struct lns_dataplane_cfg){
		.mbufs = 8191,
		.mbuf_cache = 256,
		.burst = 64,
		.punt_ring_size = 1024,
		.handoff_ring_size = 4096,
		.rx_desc = 1024,
		.tx_desc = 1024,
		.idle_polls = 64,
		.idle_sleep_us = 100,
		.icmp_errors_per_second = 100,
		.icmp_unreachable = true,
		.tcp_mss_clamp = LNS_MSS_CLAMP_AUTO,
		.ipv6_prefixes = LNS_IPV6_PREFIXES_AUTO,
	};

	cfg->l2tp.port = 1701;
	snprintf(cfg->l2tp.host_name, sizeof(cfg->l2tp.host_name), "lns");
	cfg->l2tp.hello_interval = 60;
	cfg->l2tp.receive_window = 16;
	cfg->l2tp.retransmit = (struct lns_retransmit_cfg){1000, 8000, 5};
	cfg->l2tp.max_tunnels = 4096;
	cfg->l2tp.max_sessions = 65536;
	cfg->l2tp.allow_unknown_peers = false;

	cfg->ppp.mru = 0;
	cfg->ppp.auth[0] = LNS_AUTH_MSCHAPV2;
	cfg->ppp.auth[1] = LNS_AUTH_CHAP_MD5;
	cfg->ppp.auth[2] = LNS_AUTH_PAP;
	cfg->ppp.n_auth = 3;
	cfg->ppp.lcp_echo_interval = 10;
	cfg->ppp.lcp_echo_failures = 3;
	cfg->ppp.restart_ms = 3000;
	cfg->ppp.max_configure = 10;
	cfg->ppp.max_failure = 5;
	cfg->ppp.max_terminate = 2;
	cfg->ppp.ipv6 = true;
	cfg->ppp.ipv6_pool = -1;
	cfg->ppp.pd_pool = -1;
	cfg->ppp.ra = (struct lns_ra_cfg){.interval = 600,
					  .router_lifetime = 1800,
					  .valid_lifetime = 2592000,
					  .preferred_lifetime = 604800};
	cfg->ppp.dhcp6 = true;
	cfg->ppp.proxy_lcp = true;
	cfg->ppp.proxy_auth = true;

	snprintf(cfg->mgmt.socket, sizeof(cfg->mgmt.socket), "/run/lns/lnsd.sock");
	cfg->radius.timeout_ms = 1000;
	cfg->radius.retries = 3;
	cfg->radius.dead_time = 30;
	cfg->radius.interim_interval = 300;
	cfg->radius.acct_queue = 10000;
	cfg->radius.require_message_authenticator = true;
	cfg->radius.dae_port = 3799;
}

/* The order of this table is the order sections are applied in. */
enum { TOP_PORTS = 3 };
static const struct cfg_field top_fields[] = {
	CFG_NODE("eal", cfg_eal),
	CFG_NODE("log", cfg_log),
	CFG_NODE("dataplane", cfg_dataplane),
	CFG_NODE_REQ("ports", cfg_ports),
	CFG_NODE("routes", cfg_routes),
	CFG_NODE("l2tp", cfg_l2tp),
	CFG_NODE("ppp", cfg_ppp),
	CFG_NODE("pools", cfg_pools),
	CFG_NODE("users", cfg_users),
	CFG_NODE("management", cfg_mgmt),
	CFG_NODE("radius", cfg_radius),
};

static int syntax_error(struct cfg_ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	size_t line = 1, col = 1, i;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return cfg_error_at(c, 1, 1, "out of memory while reading YAML");
	case YAML_READER_ERROR:
		/* no mark for these: count lines up to the byte at fault */
		for (i = 0; i < p->problem_offset && i < len; i++, col++) {
			if (buf[i] == '\n') {
				line++;
				col = 0;
			}
		}
		if (p->problem_value != -1)
			return cfg_error_at(c, line, col, "syntax error: %s (byte 0x%02x)",
					    p->problem, (unsigned)p->problem_value & 0xff);
		return cfg_error_at(c, line, col, "syntax error: %s", p->problem);
	default:
		if (p->context != NULL)
			return cfg_error_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
					    "syntax error: %s (%s at line %zu, column %zu)",
					    p->problem ? p->problem : "invalid YAML", p->context,
					    p->context_mark.line + 1, p->context_mark.column + 1);
		return cfg_error_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
				    "syntax error: %s", p->problem ? p->problem : "invalid YAML");
	}
}

/*
 * libyaml's scanner slows down with the square of the flow nesting depth
 * (100,000 "[" take seconds). Walk the events first and refuse nesting far
 * deeper than the schema's before a document is built.
 */
static int check_depth(struct cfg_ctx *c, const char *buf, size_t len)
{
	yaml_event_type_t type;
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (!yaml_parser_initialize(&p))
		return cfg_error_at(c, 1, 1, "out of memory while reading YAML");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	do {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(c, &p, buf, len);
			break;
		}
		type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > DEPTH_MAX)
			rc = cfg_error_at(c, ev.start_mark.line + 1, ev.start_mark.column + 1,
					  "nested more than %d levels deep", DEPTH_MAX);
		yaml_event_delete(&ev);
	} while (rc == 0 && type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&p);
	return rc;
}

/* The whole stream: one document whose root is a mapping; then the sections. */
static int load(struct cfg_ctx *c, yaml_parser_t *p, const char *buf, size_t len)
{
	yaml_node_t *found[CFG_N(top_fields)], *root;
	yaml_document_t extra;
	size_t i;
	int rc;

	root = yaml_document_get_root_node(c->doc);
	if (root == NULL)
		return cfg_error_at(c, 1, 1, "top level: expected a mapping, got an empty file");
	if (!yaml_parser_load(p, &extra))
		return syntax_error(c, p, buf, len);
	if (yaml_document_get_root_node(&extra) != NULL) {
		rc = cfg_error(c, yaml_document_get_root_node(&extra),
			       "expected one YAML document, found a second one");
		yaml_document_delete(&extra);
		return rc;
	}
	yaml_document_delete(&extra);

	rc = cfg_map(c, root, "", top_fields, CFG_N(top_fields), c->cfg, found);
	for (i = 0; rc == 0 && i < CFG_N(top_fields); i++)
		if (found[i] != NULL)
			rc = top_fields[i].fn(c, found[i], top_fields[i].key, c->cfg);
	if (rc == 0)
		rc = cfg_l2tp_finish(c, found[TOP_PORTS]);
	if (rc == 0)
		rc = cfg_ppp_finish(c);
	return rc;
}

struct lns_config *lns_config_parse(const char *name, const char *buf, size_t len, char *err,
				    size_t errlen)
{
	struct cfg_ctx c = {.name = name, .err = err, .errlen = errlen};
	yaml_document_t doc;
	yaml_parser_t p;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	c.cfg = calloc(1, sizeof(*c.cfg));
	if (c.cfg == NULL || (c.cfg->file = strdup(name)) == NULL) {
		free(c.cfg);
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	cfg_defaults(c.cfg);

	rc = check_depth(&c, buf, len);
	if (rc < 0)
		goto out;
	if (!yaml_parser_initialize(&p)) {
		rc = cfg_error_at(&c, 1, 1, "out of memory while reading YAML");
		goto out;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&p, &doc)) {
		rc = syntax_error(&c, &p, buf, len);
	} else {
		c.doc = &doc;
		rc = load(&c, &p, buf, len);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&p);
out:
	if (rc < 0) {
		lns_config_free(c.cfg);
		return NULL;
	}
	return c.cfg;
}

struct lns_config *lns_config_load(const char *file, char *err, size_t errlen)
{
	struct lns_config *cfg = NULL;
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	FILE *f;

	f = fopen(file, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", file, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t r;

		if (len == cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > FILE_MAX + 1)
				cap = FILE_MAX + 1;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				snprintf(err, errlen, "%s: out of memory", file);
				goto out;
			}
			buf = nb;
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
		if (len > FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %u MiB", file, FILE_MAX >> 20);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", file, strerror(errno));
		goto out;
	}
	cfg = lns_config_parse(file, buf, len, err, errlen);
out:
	free(buf);
	fclose(f);
	return cfg;
}

void lns_config_free(struct lns_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->eal.n_extra_args; i++)
		free(cfg->eal.extra_args[i]);
	free(cfg->eal.extra_args);
	free(cfg->log.components);
	free(cfg->routes);
	free(cfg->l2tp.listen);
	for (i = 0; i < cfg->l2tp.n_peers; i++)
		free(cfg->l2tp.peers[i].match);
	free(cfg->l2tp.peers);
	for (i = 0; i < cfg->n_pools; i++)
		free(cfg->pools[i].ranges);
	free(cfg->pools);
	free(cfg->users);
	free(cfg->file);
	free(cfg);
}

int lns_port_by_name(const struct lns_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}
