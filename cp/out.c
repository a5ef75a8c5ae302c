/* SPDX-License-Identifier: BSD-3-Clause */
/* Output buffer and tables for the management socket. Main lcore only. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp/out.h"

void out_init(struct out *o)
{
	memset(o, 0, sizeof(*o));
}

void out_free(struct out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

static bool reserve(struct out *o, size_t more)
{
	size_t cap = o->cap ? o->cap : 1024;
	char *b;

	if (o->oom)
		return false;
	while (cap < o->len + more + 1)
		cap *= 2;
	if (cap == o->cap)
		return true;
	b = realloc(o->buf, cap);
	if (b == NULL) {
		o->oom = true;
		return false;
	}
	o->buf = b;
	o->cap = cap;
	return true;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(o, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

static char *json_quote(const char *s)
{
	struct out o;

	out_init(&o);
	out_printf(&o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			out_printf(&o, "\\%c", c);
		else if (c < 0x20)
			out_printf(&o, "\\u%04x", c);
		else
			out_printf(&o, "%c", c);
	}
	out_printf(&o, "\"");
	return o.buf;
}

void out_json_str(struct out *o, const char *s)
{
	char *q = json_quote(s);

	if (q)
		out_printf(o, "%s", q);
	free(q);
}

void table_init(struct table *t, struct out *o, bool json, const char *name, const char *const *cols,
		unsigned n_cols)
{
	memset(t, 0, sizeof(*t));
	t->o = o;
	t->json = json;
	t->name = name;
	t->n_cols = n_cols < TABLE_MAX_COLS ? n_cols : TABLE_MAX_COLS;
	for (unsigned i = 0; i < t->n_cols; i++)
		t->cols[i] = cols[i];
}

static void add_cell(struct table *t, char *text, char *js)
{
	if (t->n_cells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **a = realloc(t->text, cap * sizeof(*a)), **b;

		if (a)
			t->text = a;
		b = realloc(t->js, cap * sizeof(*b));
		if (b)
			t->js = b;
		if (a == NULL || b == NULL) {
			free(text);
			free(js);
			t->o->oom = true;
			return;
		}
		t->cap = cap;
	}
	t->text[t->n_cells] = text;
	t->js[t->n_cells] = js;
	t->n_cells++;
}

void table_str(struct table *t, const char *s)
{
	add_cell(t, strdup(s), json_quote(s));
}

void table_u64(struct table *t, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	add_cell(t, strdup(b), strdup(b));
}

void table_bool(struct table *t, bool v)
{
	add_cell(t, strdup(v ? "yes" : "no"), strdup(v ? "true" : "false"));
}

void table_list(struct table *t, const char *const *items, unsigned n)
{
	struct out tx, js;

	out_init(&tx);
	out_init(&js);
	out_printf(&tx, "%s", n ? "" : "-");
	out_printf(&js, "[");
	for (unsigned i = 0; i < n; i++) {
		out_printf(&tx, "%s%s", i ? "," : "", items[i]);
		out_printf(&js, "%s", i ? "," : "");
		out_json_str(&js, items[i]);
	}
	out_printf(&js, "]");
	add_cell(t, tx.buf, js.buf);
}

void table_end(struct table *t)
{
	size_t rows = t->n_cols ? t->n_cells / t->n_cols : 0;
	size_t w[TABLE_MAX_COLS] = {0};

	if (t->json) {
		out_printf(t->o, "{\"%s\":[", t->name);
		for (size_t r = 0; r < rows; r++) {
			out_printf(t->o, "%s{", r ? "," : "");
			for (unsigned c = 0; c < t->n_cols; c++) {
				const char *v = t->js[r * t->n_cols + c];

				out_printf(t->o, "%s\"%s\":%s", c ? "," : "", t->cols[c],
					   v ? v : "null");
			}
			out_printf(t->o, "}");
		}
		out_printf(t->o, "]}\n");
	} else {
		for (unsigned c = 0; c < t->n_cols; c++)
			w[c] = strlen(t->cols[c]);
		for (size_t i = 0; i < rows * t->n_cols; i++) {
			size_t l = t->text[i] ? strlen(t->text[i]) : 0;

			if (l > w[i % t->n_cols])
				w[i % t->n_cols] = l;
		}
		/* The last column is not padded: no trailing blanks. */
		for (unsigned c = 0; c < t->n_cols; c++)
			out_printf(t->o, "%-*s%s", c + 1 < t->n_cols ? (int)w[c] : 0, t->cols[c],
				   c + 1 < t->n_cols ? "  " : "\n");
		for (size_t i = 0; i < rows * t->n_cols; i++) {
			bool last = (i % t->n_cols) + 1 == t->n_cols;

			out_printf(t->o, "%-*s%s", last ? 0 : (int)w[i % t->n_cols],
				   t->text[i] ? t->text[i] : "", last ? "\n" : "  ");
		}
	}
	for (size_t i = 0; i < t->n_cells; i++) {
		free(t->text[i]);
		free(t->js[i]);
	}
	free(t->text);
	free(t->js);
	t->text = t->js = NULL;
	t->n_cells = t->cap = 0;
}
