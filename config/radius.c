/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The radius: section: authentication and accounting servers, client
 * timers, NAS identity, the accounting queue, and the RFC 5176 dynamic
 * authorisation server with its clients. Runs in the thread that loads the
 * configuration, before anything else starts.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "parse.h"

/* ---- server lists ---- */

#define CFG_T struct lns_radius_server_cfg
static const struct cfg_field server_fields[] = {
	CFG_ADDR_REQ("address", addr, 0),
	CFG_UINT("port", port, 1, 65535),
	CFG_STR_REQ("secret", secret, 1),
	CFG_UINT("priority", priority, 1, 100),
};
#undef CFG_T

static int servers(struct cfg_ctx *c, yaml_node_t *n, const char *path,
		   struct lns_radius_server_cfg *out, size_t *n_out, unsigned default_port)
{
	char sub[CFG_PATH_MAX];
	size_t count;
	int rc = cfg_seq(c, n, path, 1, LNS_RADIUS_MAX_SERVERS, &count);

	for (size_t i = 0; rc == 0 && i < count; i++) {
		out[i].port = default_port;
		out[i].priority = 1;
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, server_fields, CFG_N(server_fields), &out[i],
			     NULL);
	}
	if (rc == 0)
		*n_out = count;
	return rc;
}

static int auth_servers(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_radius_cfg *r = dst;
	int rc = servers(c, n, path, r->auth, &r->n_auth, 1812);

	r->enabled = rc == 0 && r->n_auth > 0;
	return rc;
}

static int acct_servers(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_radius_cfg *r = dst;

	return servers(c, n, path, r->acct, &r->n_acct, 1813);
}

/* ---- dynamic authorisation (RFC 5176) ---- */

#define CFG_T struct lns_radius_dae_client_cfg
static const struct cfg_field dae_client_fields[] = {
	CFG_ADDR_REQ("address", addr, CFG_A_PLEN | CFG_A_NETWORK),
	CFG_STR_REQ("secret", secret, 1),
};
#undef CFG_T

static int dae_clients(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_radius_cfg *r = dst;
	char sub[CFG_PATH_MAX];
	size_t count;
	int rc = cfg_seq(c, n, path, 1, LNS_RADIUS_MAX_SERVERS, &count);

	for (size_t i = 0; rc == 0 && i < count; i++) {
		cfg_path_idx(sub, path, i);
		rc = cfg_map(c, cfg_item(c, n, i), sub, dae_client_fields,
			     CFG_N(dae_client_fields), &r->dae_clients[i], NULL);
	}
	if (rc == 0)
		r->n_dae_clients = count;
	return rc;
}

#define CFG_T struct lns_radius_cfg
static const struct cfg_field dae_fields[] = {
	CFG_ADDR_REQ("address", dae_addr, 0),
	CFG_UINT("port", dae_port, 1, 65535),
	CFG_FN_REQ("clients", dae_clients),
};
#undef CFG_T

static int dae(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_radius_cfg *r = dst;
	int rc = cfg_map(c, n, path, dae_fields, CFG_N(dae_fields), r, NULL);

	r->has_dae = rc == 0;
	return rc;
}

/* ---- the section ---- */

#define CFG_T struct lns_radius_cfg
static const struct cfg_field radius_fields[] = {
	CFG_FN("auth-servers", auth_servers),
	CFG_FN("acct-servers", acct_servers),
	CFG_UINT("timeout-ms", timeout_ms, 100, 60000),
	CFG_UINT("retries", retries, 1, 10),
	CFG_UINT("dead-time", dead_time, 0, 3600),
	CFG_STR("nas-identifier", nas_identifier, 1),
	CFG_ADDR("nas-ip-address", nas_ip, 0),
	CFG_ADDR("source-address", source, 0),
	CFG_UINT("interim-interval", interim_interval, 0, 86400),
	CFG_UINT("accounting-queue", acct_queue, 1, 1000000),
	CFG_BOOL("require-message-authenticator", require_message_authenticator),
	CFG_FN("dae", dae),
};
#undef CFG_T
enum { R_AUTH, R_ACCT, R_NAS_IP = 6, R_SOURCE = 7 };

int cfg_radius(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst)
{
	struct lns_radius_cfg *r = &((struct lns_config *)dst)->radius;
	yaml_node_t *found[CFG_N(radius_fields)];
	int rc = cfg_map(c, n, path, radius_fields, CFG_N(radius_fields), r, found);

	if (rc < 0)
		return rc;
	r->has_nas_ip = found[R_NAS_IP] != NULL;
	r->has_source = found[R_SOURCE] != NULL;
	if (r->n_acct > 0 && !r->enabled)
		return cfg_error(c, found[R_ACCT],
				 "%s.acct-servers: accounting needs \"auth-servers\" too (subscribers "
				 "authenticated locally are not accounted)",
				 path);
	return 0;
}
