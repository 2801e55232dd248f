/* globset: shell globs as one JIT-compiled PCRE2 alternation; see
 * globset.h. Each glob becomes `(*MARK:i)` and its translation, tried in
 * order: PCRE2 reports the mark of the alternative that matched.
 *
 * That program tries every alternative in turn, and one that starts with
 * `*` at every split of the path: about a microsecond a path for the build
 * context's globs, which most paths match none of. So a second program
 * answers first whether any glob matches at all: the same alternatives
 * searched for anywhere, a leading `*` dropped (else anchored at the
 * start) and a trailing one too (else anchored at the end), which PCRE2
 * finds in one scan, skipping to the bytes an alternative can start with.
 * Only a path it finds goes through the ordered program. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/globset.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct globset {
	pcre2_code *code, *any;		/* the ordered program; the filter */
	pcre2_match_data *md, *md_any;
};

/* Appends the translation of glob[0..end) to the buffer; 0, or -1 for an
 * unclosed set. */
static int
globset_translate(const char *glob, const char *end_of, char **buf, size_t *len, size_t *cap)
{
	for (const char *p = glob; p < end_of; p++) {
		char tmp[8];
		const char *add = tmp;
		if (*p == '*') {
			add = ".*";
		} else if (*p == '?') {
			add = ".";
		} else if (*p == '[') {
			const char *end = p + 2 <= end_of ? memchr(p + 2, ']', (size_t)(end_of - p - 2)) : NULL;
			if (end == NULL)
				return -1;
			size_t n = (size_t)(end - p) + 1;
			ARRAY_RESERVE(*buf, *len + n + 2, *cap);
			(*buf)[(*len)++] = '[';
			if (p[1] == '!')
				(*buf)[(*len)++] = '^';
			for (const char *q = p + 1 + (p[1] == '!'); q < end; q++) {
				if (*q == '\\' || *q == '^' || *q == ']')
					(*buf)[(*len)++] = '\\';
				ARRAY_RESERVE(*buf, *len + 3, *cap);
				(*buf)[(*len)++] = *q;
			}
			(*buf)[(*len)++] = ']';
			p = end;
			continue;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		           (*p >= '0' && *p <= '9') || *p == '/' || *p == '_') {
			snprintf(tmp, sizeof tmp, "%c", *p);
		} else {
			snprintf(tmp, sizeof tmp, "\\x{%02x}", (unsigned char)*p);
		}
		size_t n = strlen(add);
		ARRAY_RESERVE(*buf, *len + n + 1, *cap);
		memcpy(*buf + *len, add, n);
		*len += n;
	}
	return 0;
}

/* Appends text to the buffer. */
static void
globset_add(char **buf, size_t *len, size_t *cap, const char *text)
{
	size_t n = strlen(text);

	ARRAY_RESERVE(*buf, *len + n + 1, *cap);
	memcpy(*buf + *len, text, n);
	*len += n;
}

/* The ordered program (any 0) or the filter (any 1) of the globs; NULL
 * for a glob this does not understand. */
static pcre2_code *
globset_compile(const char *const *globs, size_t n, int any)
{
	char *re = NULL;
	size_t len = 0, cap = 0;
	int err;
	PCRE2_SIZE off;

	globset_add(&re, &len, &cap, any ? "(?:" : "^(?:");
	for (size_t i = 0; i < n; i++) {
		const char *g = globs[i], *end = g + strlen(g);
		char mark[32];
		if (i > 0)
			globset_add(&re, &len, &cap, "|");
		if (any) {
			int lead = *g == '*', tail = end > g && end[-1] == '*';
			while (*g == '*')
				g++;
			while (end > g && end[-1] == '*')
				end--;
			globset_add(&re, &len, &cap, lead ? "" : "^");
			if (globset_translate(g, end, &re, &len, &cap) < 0)
				goto bad;
			globset_add(&re, &len, &cap, tail ? "" : "\\z");
		} else {
			snprintf(mark, sizeof mark, "(*MARK:%zu)", i);
			globset_add(&re, &len, &cap, mark);
			if (globset_translate(g, end, &re, &len, &cap) < 0)
				goto bad;
		}
	}
	globset_add(&re, &len, &cap, any ? ")" : ")\\z");
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, len, PCRE2_DOTALL | PCRE2_NO_UTF_CHECK,
	                                 &err, &off, NULL);
	free(re);
	if (code != NULL)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* the interpreter otherwise */
	return code;
bad:
	free(re);
	return NULL;
}

struct globset *
globset_new(const char *const *globs, size_t n)
{
	struct globset *g = xcalloc(1, sizeof *g);

	g->code = globset_compile(globs, n, 0);
	g->any = g->code != NULL ? globset_compile(globs, n, 1) : NULL;
	if (g->any == NULL) {
		globset_free(g);
		return NULL;
	}
	if ((g->md = pcre2_match_data_create_from_pattern(g->code, NULL)) == NULL ||
	    (g->md_any = pcre2_match_data_create(1, NULL)) == NULL)
		xalloc_die();
	return g;
}

void
globset_free(struct globset *g)
{
	if (g == NULL)
		return;
	pcre2_match_data_free(g->md);
	pcre2_match_data_free(g->md_any);
	pcre2_code_free(g->code);
	pcre2_code_free(g->any);
	free(g);
}

int
globset_match(struct globset *g, const char *s, size_t len)
{
	if (pcre2_match(g->any, (PCRE2_SPTR)s, len, 0, 0, g->md_any, NULL) < 0 ||
	    pcre2_match(g->code, (PCRE2_SPTR)s, len, 0, 0, g->md, NULL) < 0)
		return -1;
	PCRE2_SPTR mark = pcre2_get_mark(g->md);
	return mark != NULL ? atoi((const char *)mark) : -1;
}
