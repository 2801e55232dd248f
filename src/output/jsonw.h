/* jsonw: writes JSON as it goes (no document in memory), for exports of
 * images with millions of files. Numbers with a fraction are written in the
 * shortest form that reads back exactly, as Go writes them. */
#ifndef FATHOM_JSONW_H
#define FATHOM_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 128

struct jsonw {
	FILE *out;		/* borrowed */
	int indent;		/* spaces per level; 0: compact */
	int depth;
	int count[JSONW_MAX_DEPTH];	/* values so far at each level */
	char close[JSONW_MAX_DEPTH];	/* '}' or ']' for each level */
	int after_key;
};

void jsonw_init(struct jsonw *w, FILE *out, int indent);
void jsonw_object(struct jsonw *w);
void jsonw_array(struct jsonw *w);
void jsonw_end(struct jsonw *w);	/* closes the innermost object or array */
void jsonw_key(struct jsonw *w, const char *key);
/* A string of arbitrary bytes: bytes that are not UTF-8 are written \xHH
 * as escape.h does, inside the JSON string. */
void jsonw_string(struct jsonw *w, const char *s, size_t len);
void jsonw_cstring(struct jsonw *w, const char *s);	/* NULL: null */
void jsonw_uint(struct jsonw *w, uint64_t v);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_real(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);

#endif
