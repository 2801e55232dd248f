/* jsonw: the streaming JSON writer; see jsonw.h. Strings and the values of
 * jansson documents are encoded by jansson; this file only places them. */
#include "util/jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/human.h"
#include "util/xalloc.h"

void
jsonw_init(struct jsonw *w, FILE *out, int indent)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->indent = indent;
	w->newline = 1;
}

static void
jsonw_newline(struct jsonw *w)
{
	if (w->indent == 0)
		return;
	fputc('\n', w->out);
	for (int i = 0; i < w->depth * w->indent; i++)
		fputc(' ', w->out);
}

/* Separates a value from the one before it, unless it follows a key. */
static void
jsonw_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth]++ > 0)
			fputc(',', w->out);
		jsonw_newline(w);
	}
}

static void
jsonw_open(struct jsonw *w, char open, char close)
{
	jsonw_value(w);
	fputc(open, w->out);
	if (w->depth + 1 >= JSONW_MAX_DEPTH)
		abort();	/* the writers here nest a few levels only */
	w->depth++;
	w->count[w->depth] = 0;
	w->close[w->depth] = close;
}

void
jsonw_object(struct jsonw *w)
{
	jsonw_open(w, '{', '}');
}

void
jsonw_array(struct jsonw *w)
{
	jsonw_open(w, '[', ']');
}

void
jsonw_end(struct jsonw *w)
{
	char close = w->close[w->depth];
	int had = w->count[w->depth];

	w->depth--;
	if (had)
		jsonw_newline(w);
	fputc(close, w->out);
	if (w->depth == 0 && w->newline)
		fputc('\n', w->out);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_cstring(w, key);
	fputs(w->indent ? ": " : ":", w->out);
	w->after_key = 1;
}

/* A jansson scalar, as jansson writes it. */
static void
jsonw_dump(struct jsonw *w, const json_t *j)
{
	if (json_dumpf(j, w->out, JSON_ENCODE_ANY) != 0)
		xalloc_die();
}

void
jsonw_string(struct jsonw *w, const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	char *e = NULL;

	if (j == NULL) {	/* not UTF-8 */
		e = escape_str(s, len, 1);
		j = json_string(e);
	}
	if (j == NULL)
		xalloc_die();
	jsonw_value(w);
	jsonw_dump(w, j);
	json_decref(j);
	free(e);
}

void
jsonw_cstring(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_string(w, s, strlen(s));
}

void
jsonw_uint(struct jsonw *w, uint64_t v)
{
	jsonw_value(w);
	fprintf(w->out, "%llu", (unsigned long long)v);
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	jsonw_value(w);
	fprintf(w->out, "%lld", (long long)v);
}

void
jsonw_real(struct jsonw *w, double v)
{
	char buf[40];

	jsonw_value(w);
	human_double(v, buf, sizeof buf);
	fputs(buf, w->out);
}

void
jsonw_bool(struct jsonw *w, int v)
{
	jsonw_value(w);
	fputs(v ? "true" : "false", w->out);
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_value(w);
	fputs("null", w->out);
}

void
jsonw_json(struct jsonw *w, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		jsonw_object(w);
		json_object_foreach((json_t *)v, k, x)
			jsonw_member_json(w, k, x);
		jsonw_end(w);
	} else if (json_is_array(v)) {
		jsonw_array(w);
		json_array_foreach(v, i, x)
			jsonw_json(w, x);
		jsonw_end(w);
	} else if (v == NULL) {
		jsonw_null(w);
	} else {
		jsonw_value(w);
		jsonw_dump(w, v);
	}
}

void
jsonw_member_object(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_object(w);
}

void
jsonw_member_array(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_array(w);
}

void
jsonw_member_string(struct jsonw *w, const char *key, const char *s, size_t len)
{
	jsonw_key(w, key);
	jsonw_string(w, s, len);
}

void
jsonw_member_cstring(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_cstring(w, s);
}

void
jsonw_member_uint(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_uint(w, v);
}

void
jsonw_member_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
jsonw_member_real(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_real(w, v);
}

void
jsonw_member_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void
jsonw_member_null(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_null(w);
}

void
jsonw_member_json(struct jsonw *w, const char *key, const json_t *v)
{
	jsonw_key(w, key);
	jsonw_json(w, v);
}

char *
jsonw_text(void (*fill)(struct jsonw *w, const void *ctx), const void *ctx, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	struct jsonw w;

	if (m == NULL)
		xalloc_die();
	jsonw_init(&w, m, 0);
	w.newline = 0;
	fill(&w, ctx);
	if (fclose(m) != 0)
		xalloc_die();
	return buf;
}
