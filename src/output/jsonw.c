/* jsonw: a streaming JSON writer; see jsonw.h. Strings are encoded by
 * jansson; this file only places them. */
#include "output/jsonw.h"

#include <jansson.h>
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
	if (w->depth == 0)
		fputc('\n', w->out);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_cstring(w, key);
	fputs(w->indent ? ": " : ":", w->out);
	w->after_key = 1;
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
	jsonw_value(w);
	if (j == NULL || json_dumpf(j, w->out, JSON_ENCODE_ANY) != 0)
		xalloc_die();
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
