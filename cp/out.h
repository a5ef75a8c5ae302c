/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text output for lnsctl and metrics: a growing buffer, and tables that render
 * either as aligned text (for people) or as a JSON array of objects (for
 * scripts) from one description. Main lcore only.
 */
#ifndef LNS_OUT_H
#define LNS_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

void out_init(struct out *o);
void out_free(struct out *o);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_json_str(struct out *o, const char *s); /* a quoted, escaped JSON string */

#define TABLE_MAX_COLS 40

struct table {
	struct out *o;
	bool json;
	const char *name; /* JSON: {"name": [ ... ]} */
	const char *cols[TABLE_MAX_COLS];
	unsigned n_cols;
	/* cells, row-major: text form and JSON form */
	char **text, **js;
	size_t n_cells, cap;
};

void table_init(struct table *t, struct out *o, bool json, const char *name, const char *const *cols,
		unsigned n_cols);
void table_str(struct table *t, const char *s);
void table_u64(struct table *t, uint64_t v);
void table_bool(struct table *t, bool v); /* JSON true/false, text yes/no */
void table_list(struct table *t, const char *const *items, unsigned n); /* JSON array */
void table_end(struct table *t); /* renders into o and frees the cells */

#endif
