/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML nodes to C values: typed scalars, lists, table-driven mappings, and
 * the one-line "file:line:col: message" error that names the node at fault.
 * Runs in the thread that loads the configuration; no state of its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

void cfg_path_key(char *buf, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		snprintf(buf, CFG_PATH_MAX, "%s", key);
	else
		snprintf(buf, CFG_PATH_MAX, "%s.%s", parent, key);
}

void cfg_path_idx(char *buf, const char *parent, size_t i)
{
	snprintf(buf, CFG_PATH_MAX, "%s[%zu]", parent, i);
}

static const char *where(const char *path)
{
	return path[0] != '\0' ? path : "top level";
}

static int verror(struct cfg_ctx *c, size_t line, size_t col, const char *fmt, va_list ap)
{
	int r;

	if (c->err == NULL || c->errlen == 0)
		return -EINVAL;
	r = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name, line, col);
	if (r >= 0 && (size_t)r < c->errlen)
		vsnprintf(c->err + r, c->errlen - r, fmt, ap);
	return -EINVAL;
}

int cfg_error_at(struct cfg_ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(c, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cfg_error(struct cfg_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	/* libyaml counts from 0; editors count from 1 */
	va_start(ap, fmt);
	verror(c, n->start_mark.line + 1, n->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *cfg_quote(const char *s, size_t len, char *buf, size_t buflen)
{
	static const size_t shown = 40;
	size_t o = 0, i;

	if (buflen < 16) {
		buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (i = 0; i < len && i < shown && o + 8 < buflen; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			o += snprintf(buf + o, buflen - o, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			o += snprintf(buf + o, buflen - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	if (i < len)
		o += snprintf(buf + o, buflen - o, "...");
	snprintf(buf + o, buflen - o, "\"");
	return buf;
}

bool cfg_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = cfg_text(n);
	return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcasecmp(v, "null") == 0;
}

const char *cfg_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

const char *cfg_desc(const yaml_node_t *n, char *buf, size_t len)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		if (cfg_is_null(n))
			return "an empty value";
		return cfg_quote(cfg_text(n), n->data.scalar.length, buf, len);
	}
}

static const char *join(const void *base, size_t n, size_t stride, bool indirect, char *buf,
			size_t len)
{
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++) {
		const char *rec = (const char *)base + i * stride;
		const char *name = indirect ? *(const char *const *)rec : rec;
		int r = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", name);

		if (r < 0)
			break;
		o += (size_t)r;
	}
	return buf;
}

const char *cfg_join(const void *base, size_t n, size_t stride, char *buf, size_t len)
{
	return join(base, n, stride, true, buf, len);
}

const char *cfg_join_names(const void *base, size_t n, size_t stride, char *buf, size_t len)
{
	return join(base, n, stride, false, buf, len);
}

yaml_node_t *cfg_item(struct cfg_ctx *c, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(c->doc, seq->data.sequence.items.start[i]);
}

static int field_parse(struct cfg_ctx *c, const struct cfg_field *f, yaml_node_t *v,
		       const char *path, void *obj)
{
	void *dst = (char *)obj + f->off;
	unsigned u;
	int rc;

	switch (f->type) {
	case T_UINT:
		return cfg_uint(c, v, path, f->min, f->max, dst);
	case T_INT:
		rc = cfg_uint(c, v, path, f->min, f->max, &u);
		if (rc == 0)
			*(int *)dst = (int)u;
		return rc;
	case T_POW2:
		rc = cfg_uint(c, v, path, f->min, f->max, &u);
		if (rc == 0 && (u & (u - 1)) != 0)
			return cfg_error(
				c, v, "%s: expected a power of two between %lld and %lld, got %u",
				path, f->min, f->max, u);
		if (rc == 0)
			*(unsigned *)dst = u;
		return rc;
	case T_BOOL:
		return cfg_bool(c, v, path, dst);
	case T_STR:
		return cfg_str(c, v, path, dst, f->max + 1, f->min);
	case T_NAME:
		return cfg_name(c, v, path, dst, LNS_NAME_MAX);
	case T_ADDR:
		return cfg_addr(c, v, path, (int)f->min, dst);
	case T_NODE:
		return 0;
	case T_FN:
		return f->fn(c, v, path, dst);
	}
	return -EINVAL;
}

int cfg_map(struct cfg_ctx *c, yaml_node_t *n, const char *path, const struct cfg_field *f,
	    size_t nf, void *obj, yaml_node_t **found)
{
	yaml_node_t *local[CFG_MAX_FIELDS], *keys[CFG_MAX_FIELDS] = {0};
	char sub[CFG_PATH_MAX], list[400], qk[80];
	yaml_node_pair_t *p;
	size_t i;
	int rc;

	if (nf > CFG_MAX_FIELDS)
		return cfg_error(c, n, "%s: internal error: table too large", where(path));
	if (found == NULL)
		found = local;
	memset(found, 0, nf * sizeof(*found));
	if (cfg_is_null(n))
		goto required; /* "key:" with nothing: an empty mapping */
	if (n->type != YAML_MAPPING_NODE)
		return cfg_error(c, n, "%s: expected a mapping, got %s", where(path), CFG_DESC(n));

	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);

		if (k->type != YAML_SCALAR_NODE)
			return cfg_error(c, k, "%s: expected a key name, got %s", where(path),
					 CFG_DESC(k));
		for (i = 0; i < nf; i++)
			if (k->data.scalar.length == strlen(f[i].key) &&
			    memcmp(cfg_text(k), f[i].key, k->data.scalar.length) == 0)
				break;
		if (i == nf)
			return cfg_error(
				c, k, "unknown key %s in %s (expected one of: %s)",
				cfg_quote(cfg_text(k), k->data.scalar.length, qk, sizeof(qk)),
				where(path), cfg_join(f, nf, sizeof(*f), list, sizeof(list)));
		if (found[i] != NULL)
			return cfg_error(c, k, "duplicate key \"%s\" in %s (first at line %zu)",
					 f[i].key, where(path), keys[i]->start_mark.line + 1);
		found[i] = v;
		keys[i] = k;
		cfg_path_key(sub, path, f[i].key);
		rc = field_parse(c, &f[i], v, sub, obj);
		if (rc < 0)
			return rc;
	}
required:
	for (i = 0; i < nf; i++)
		if (f[i].required && found[i] == NULL)
			return cfg_error(c, n, "%s: missing required key \"%s\"", where(path),
					 f[i].key);
	return 0;
}

int cfg_seq(struct cfg_ctx *c, yaml_node_t *n, const char *path, size_t min, size_t max,
	    size_t *count)
{
	char want[64];

	if (cfg_is_null(n)) {
		*count = 0;
	} else if (n->type != YAML_SEQUENCE_NODE) {
		return cfg_error(c, n, "%s: expected a list, got %s", path, CFG_DESC(n));
	} else {
		*count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	}
	if (*count >= min && *count <= max)
		return 0;
	if (max == SIZE_MAX)
		snprintf(want, sizeof(want), "at least %zu %s", min,
			 min == 1 ? "entry" : "entries");
	else if (min == 0)
		snprintf(want, sizeof(want), "at most %zu entries", max);
	else
		snprintf(want, sizeof(want), "%zu to %zu entries", min, max);
	return cfg_error(c, n, "%s: expected %s, got %zu", path, want, *count);
}

int cfg_uint(struct cfg_ctx *c, yaml_node_t *n, const char *path, unsigned min, unsigned max,
	     unsigned *out)
{
	unsigned long long v = 0;
	const char *s;
	size_t i, len;

	if (n->type != YAML_SCALAR_NODE)
		goto bad;
	s = cfg_text(n);
	len = n->data.scalar.length;
	/* plain decimal only: no sign, no leading zero (octal in YAML 1.1) */
	if (len == 0 || len > 10 || (s[0] == '0' && len > 1))
		goto bad;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v < min || v > max)
		goto bad;
	*out = (unsigned)v;
	return 0;
bad:
	return cfg_error(c, n, "%s: expected an integer between %u and %u, got %s", path, min, max,
			 CFG_DESC(n));
}

int cfg_bool(struct cfg_ctx *c, yaml_node_t *n, const char *path, bool *out)
{
	static const char *const yes[] = {"true", "yes"}, *const no[] = {"false", "no"};
	size_t i;

	if (n->type == YAML_SCALAR_NODE && strlen(cfg_text(n)) == n->data.scalar.length) {
		for (i = 0; i < CFG_N(yes); i++) {
			if (strcasecmp(cfg_text(n), yes[i]) == 0) {
				*out = true;
				return 0;
			}
			if (strcasecmp(cfg_text(n), no[i]) == 0) {
				*out = false;
				return 0;
			}
		}
	}
	return cfg_error(c, n, "%s: expected true or false, got %s", path, CFG_DESC(n));
}

int cfg_str(struct cfg_ctx *c, yaml_node_t *n, const char *path, char *buf, size_t size, size_t min)
{
	size_t len;

	if (n->type != YAML_SCALAR_NODE)
		return cfg_error(c, n, "%s: expected a string, got %s", path, CFG_DESC(n));
	len = cfg_is_null(n) ? 0 : n->data.scalar.length;
	if (len < min || len >= size) {
		if (len == 0)
			return cfg_error(c, n,
					 "%s: expected a string of %zu to %zu characters, got an "
					 "empty value",
					 path, min, size - 1);
		return cfg_error(c, n, "%s: expected a string of %zu to %zu characters, got %zu",
				 path, min, size - 1, len);
	}
	if (memchr(cfg_text(n), '\0', len) != NULL)
		return cfg_error(c, n, "%s: expected a string without NUL characters, got %s", path,
				 CFG_DESC(n));
	memcpy(buf, cfg_text(n), len);
	buf[len] = '\0';
	return 0;
}

int cfg_name(struct cfg_ctx *c, yaml_node_t *n, const char *path, char *buf, size_t size)
{
	int rc = cfg_str(c, n, path, buf, size, 1);

	if (rc == 0 && buf[strspn(buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789_.-")] != '\0')
		return cfg_error(c, n,
				 "%s: expected a name of letters, digits, \"_\", \".\" and \"-\", "
				 "got %s",
				 path, CFG_DESC(n));
	return rc;
}

int cfg_enum(struct cfg_ctx *c, yaml_node_t *n, const char *path, const char *const *names,
	     size_t count, int *idx)
{
	char list[200];
	size_t i;

	if (n->type == YAML_SCALAR_NODE) {
		for (i = 0; i < count; i++) {
			if (n->data.scalar.length == strlen(names[i]) &&
			    strcmp(cfg_text(n), names[i]) == 0) {
				*idx = (int)i;
				return 0;
			}
		}
	}
	return cfg_error(c, n, "%s: expected one of %s, got %s", path,
			 cfg_join(names, count, sizeof(*names), list, sizeof(list)), CFG_DESC(n));
}

int cfg_network(struct cfg_ctx *c, yaml_node_t *n, const char *path, const struct lns_addr *p)
{
	char was[INET6_ADDRSTRLEN + 4], want[INET6_ADDRSTRLEN + 4];
	struct lns_addr net;

	cfg_prefix_first(p, &net);
	if (cfg_addr_cmp(&net, p) == 0)
		return 0;
	return cfg_error(c, n, "%s: host bits are set in %s (the prefix is %s)", path,
			 lns_prefix_str(p, was, sizeof(was)),
			 lns_prefix_str(&net, want, sizeof(want)));
}

int cfg_addr(struct cfg_ctx *c, yaml_node_t *n, const char *path, int flags, struct lns_addr *out)
{
	const char *what;

	if (flags & CFG_A_PLEN_REQ)
		what = flags & CFG_A_NETWORK ? "a prefix such as 198.51.100.0/24"
					     : "an address with a prefix length such as "
					       "192.0.2.1/24";
	else if (flags & CFG_A_PLEN)
		what = "an address or a prefix";
	else if (flags & CFG_A_V4)
		what = "an IPv4 address";
	else
		what = "an IPv4 or IPv6 address";

	if (n->type != YAML_SCALAR_NODE || memchr(cfg_text(n), '\0', n->data.scalar.length) ||
	    lns_addr_parse(cfg_text(n), out, flags & CFG_A_PLEN) < 0 ||
	    ((flags & CFG_A_PLEN_REQ) && strchr(cfg_text(n), '/') == NULL) ||
	    ((flags & CFG_A_V4) && out->family != AF_INET))
		return cfg_error(c, n, "%s: expected %s, got %s", path, what, CFG_DESC(n));
	if (flags & CFG_A_NETWORK)
		return cfg_network(c, n, path, out);
	return 0;
}
