/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to config/: the YAML walking helpers shared by the section parsers.
 * Everything here runs in the thread that loads the configuration (start-up
 * or reload); nothing is kept between two loads.
 */
#ifndef LNS_CONFIG_PARSE_H
#define LNS_CONFIG_PARSE_H

#include <stddef.h>
#include <string.h>
#include <yaml.h>

#include "config.h"

struct cfg_ctx {
	const char *name; /* file name used in messages */
	yaml_document_t *doc;
	char *err;
	size_t errlen;
	struct lns_config *cfg; /* being built; sections before this one are final */
	/* ppp's pool names, resolved once pools are read (cfg_ppp_finish) */
	yaml_node_t *ppp_ipv6_pool, *ppp_pd_pool;
	bool ra_other_config; /* ppp.ra.other-config was written (else it follows ppp.dhcp6) */
};

/* Parse value N, found at PATH, into DST. 0 or -EINVAL (message written). */
typedef int (*cfg_handler)(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);

enum cfg_type {
	T_UINT, /* unsigned, min..max */
	T_INT,  /* int, min..max (min >= 0) */
	T_POW2, /* unsigned power of two, min..max */
	T_BOOL, /* bool */
	T_STR,  /* char[max + 1], at least min characters */
	T_NAME, /* char[LNS_NAME_MAX] of [A-Za-z0-9_.-], 1..63 */
	T_ADDR, /* struct lns_addr; min holds the CFG_A_* flags */
	T_NODE, /* only record where it is (see cfg_map's found) */
	T_FN,   /* fn(c, node, path, object + off) */
};

/* One key of a mapping. */
struct cfg_field {
	const char *key;
	enum cfg_type type;
	bool required;
	size_t off; /* of the destination inside the mapping's object */
	long long min, max;
	cfg_handler fn;
};

/* Table helpers; define CFG_T as the object's struct type before use. */
// clang-format off
#define CFG_F(k, t, m, lo, hi, req)                                                                \
	{                                                                                          \
		.key = k, .type = t, .required = req, .off = offsetof(CFG_T, m), .min = lo,        \
		.max = hi                                                                          \
	}
#define CFG_UINT(k, m, lo, hi) CFG_F(k, T_UINT, m, lo, hi, false)
#define CFG_INT(k, m, lo, hi) CFG_F(k, T_INT, m, lo, hi, false)
#define CFG_POW2(k, m, lo, hi) CFG_F(k, T_POW2, m, lo, hi, false)
#define CFG_BOOL(k, m) CFG_F(k, T_BOOL, m, 0, 0, false)
#define CFG_STR(k, m, lo) CFG_F(k, T_STR, m, lo, sizeof(((CFG_T *)0)->m) - 1, false)
#define CFG_STR_REQ(k, m, lo) CFG_F(k, T_STR, m, lo, sizeof(((CFG_T *)0)->m) - 1, true)
#define CFG_NAME_REQ(k, m) CFG_F(k, T_NAME, m, 1, LNS_NAME_MAX - 1, true)
#define CFG_ADDR(k, m, flags) CFG_F(k, T_ADDR, m, flags, 0, false)
#define CFG_ADDR_REQ(k, m, flags) CFG_F(k, T_ADDR, m, flags, 0, true)
#define CFG_FN(k, f) {.key = k, .type = T_FN, .fn = f}
#define CFG_FN_REQ(k, f) {.key = k, .type = T_FN, .required = true, .fn = f}
#define CFG_NODE(k, f) {.key = k, .type = T_NODE, .fn = f}
#define CFG_NODE_REQ(k, f) {.key = k, .type = T_NODE, .required = true, .fn = f}
#define CFG_MAX_FIELDS 16
#define CFG_N(a) (sizeof(a) / sizeof((a)[0]))
// clang-format on

/* How an address may be written (cfg_addr). */
#define CFG_A_PLEN     0x1 /* "/len" allowed; a bare address gets 32 or 128 */
#define CFG_A_PLEN_REQ 0x2 /* "/len" required */
#define CFG_A_NETWORK  0x4 /* host bits must be zero */
#define CFG_A_V4       0x8 /* IPv4 only */
#define CFG_A_PREFIX   (CFG_A_PLEN | CFG_A_PLEN_REQ | CFG_A_NETWORK)

/* Path of a child: "parent.key" or "parent[i]" ("key" at the top level). */
#define CFG_PATH_MAX 160
void cfg_path_key(char *buf, const char *parent, const char *key);
void cfg_path_idx(char *buf, const char *parent, size_t i);

/* Write "name:line:col: message" about node N (line/col of its start). */
int cfg_error(struct cfg_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cfg_error_at(struct cfg_ctx *c, size_t line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "a mapping", "a list", "an empty value" or the scalar quoted and escaped. */
const char *cfg_desc(const yaml_node_t *n, char *buf, size_t len);
#define CFG_DESC(n) cfg_desc((n), (char[80]){0}, 80)
/* S quoted and escaped for a one-line message. */
const char *cfg_quote(const char *s, size_t len, char *buf, size_t buflen);
#define CFG_QUOTE(s) cfg_quote((s), strlen(s), (char[80]){0}, 80)

bool cfg_is_null(const yaml_node_t *n);
const char *cfg_text(const yaml_node_t *n); /* scalar value */
yaml_node_t *cfg_item(struct cfg_ctx *c, yaml_node_t *seq, size_t i);

int cfg_map(struct cfg_ctx *c, yaml_node_t *n, const char *path, const struct cfg_field *f,
	    size_t nf, void *obj, yaml_node_t **found);
int cfg_seq(struct cfg_ctx *c, yaml_node_t *n, const char *path, size_t min, size_t max,
	    size_t *count);
int cfg_uint(struct cfg_ctx *c, yaml_node_t *n, const char *path, unsigned min, unsigned max,
	     unsigned *out);
int cfg_bool(struct cfg_ctx *c, yaml_node_t *n, const char *path, bool *out);
int cfg_str(struct cfg_ctx *c, yaml_node_t *n, const char *path, char *buf, size_t size,
	    size_t min);
int cfg_name(struct cfg_ctx *c, yaml_node_t *n, const char *path, char *buf, size_t size);
int cfg_enum(struct cfg_ctx *c, yaml_node_t *n, const char *path, const char *const *names,
	     size_t count, int *idx);
int cfg_addr(struct cfg_ctx *c, yaml_node_t *n, const char *path, int flags, struct lns_addr *out);
int cfg_network(struct cfg_ctx *c, yaml_node_t *n, const char *path, const struct lns_addr *p);
/* "one, two, three" into buf, from n records of stride bytes that each start
 * with a const char * (for "expected one of" messages). */
const char *cfg_join(const void *base, size_t n, size_t stride, char *buf, size_t len);
/* The same from records that each start with a char array (ports, pools). */
const char *cfg_join_names(const void *base, size_t n, size_t stride, char *buf, size_t len);

/* Address arithmetic (addr.c). */
int cfg_addr_cmp(const struct lns_addr *a, const struct lns_addr *b); /* address only */
void cfg_prefix_first(const struct lns_addr *p, struct lns_addr *first);
void cfg_prefix_last(const struct lns_addr *p, struct lns_addr *last);
uint64_t cfg_range_size(const struct lns_addr *first, const struct lns_addr *last);

/* Sections, in the order they are applied. DST is the struct lns_config. */
int cfg_eal(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_log(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_dataplane(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_ports(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_routes(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_l2tp(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_l2tp_finish(struct cfg_ctx *c, yaml_node_t *ports);
int cfg_ppp(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_ppp_finish(struct cfg_ctx *c);
int cfg_pools(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_users(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_mgmt(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);
int cfg_radius(struct cfg_ctx *c, yaml_node_t *n, const char *path, void *dst);

#endif
