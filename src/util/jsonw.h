/* jsonw: the one JSON writer. Writes as it goes (no document in memory), so
 * that exports of images with millions of files cost no more memory than
 * small ones; documents read with jansson (an image's config) are written
 * through it too (jsonw_json). Numbers with a fraction are written in the
 * shortest form that reads back exactly, as Go writes them. Pure
 * formatting: never fails but for memory, ferror(out) tells of writes. */
#ifndef FATHOM_JSONW_H
#define FATHOM_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define JSONW_MAX_DEPTH 128

struct jsonw {
	FILE *out;		/* borrowed */
	int indent;		/* spaces per level; 0: compact */
	int newline;		/* a newline after the top value (the default) */
	int depth;
	int count[JSONW_MAX_DEPTH];	/* values so far at each level */
	char close[JSONW_MAX_DEPTH];	/* '}' or ']' for each level */
	int after_key;
};

/* Starts a document on out, indented by indent spaces per level (0: one
 * line, no blanks). Set w->newline to 0 for a document that must not end
 * in a newline (an image's config, digested). */
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
/* A value read by jansson, as jansson would write it (NULL: null). */
void jsonw_json(struct jsonw *w, const json_t *v);

/* A member of the object being written: its key, then the value. */
void jsonw_member_object(struct jsonw *w, const char *key);
void jsonw_member_array(struct jsonw *w, const char *key);
void jsonw_member_string(struct jsonw *w, const char *key, const char *s, size_t len);
void jsonw_member_cstring(struct jsonw *w, const char *key, const char *s);
void jsonw_member_uint(struct jsonw *w, const char *key, uint64_t v);
void jsonw_member_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_member_real(struct jsonw *w, const char *key, double v);
void jsonw_member_bool(struct jsonw *w, const char *key, int v);
void jsonw_member_null(struct jsonw *w, const char *key);
void jsonw_member_json(struct jsonw *w, const char *key, const json_t *v);

/* A whole document written into memory (compact, no newline at its end):
 * fill(w, ctx) writes its one value. Returns the text (owned) and its
 * length. */
char *jsonw_text(void (*fill)(struct jsonw *w, const void *ctx), const void *ctx,
                 size_t *len);

#endif
