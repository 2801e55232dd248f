/* globset: shell globs as one JIT-compiled PCRE2 alternation; see
 * globset.h. Each glob becomes `(*MARK:i)` and its translation, tried in
 * order: PCRE2 reports the mark of the alternative that matched. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/globset.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct globset {
	pcre2_code *code;
	pcre2_match_data *md;
};

/* Appends glob's translation to the buffer; 0, or -1 for an unclosed set. */
static int
globset_translate(const char *glob, char **buf, size_t *len, size_t *cap)
{
	for (const char *p = glob; *p; p++) {
		char tmp[8];
		const char *add = tmp;
		if (*p == '*') {
			add = ".*";
		} else if (*p == '?') {
			add = ".";
		} else if (*p == '[') {
			const char *end = strchr(p + 2, ']');
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

struct globset *
globset_new(const char *const *globs, size_t n)
{
	char *re = NULL;
	size_t len = 0, cap = 0;
	int err;
	PCRE2_SIZE off;

	ARRAY_RESERVE(re, 8, cap);
	memcpy(re, "^(?:", 4);
	len = 4;
	for (size_t i = 0; i < n; i++) {
		char mark[32];
		int m = snprintf(mark, sizeof mark, "%s(*MARK:%zu)", i > 0 ? "|" : "", i);
		ARRAY_RESERVE(re, len + (size_t)m + 1, cap);
		memcpy(re + len, mark, (size_t)m);
		len += (size_t)m;
		if (globset_translate(globs[i], &re, &len, &cap) < 0) {
			free(re);
			return NULL;
		}
	}
	ARRAY_RESERVE(re, len + 4, cap);
	memcpy(re + len, ")\\z", 3);
	len += 3;
	struct globset *g = xcalloc(1, sizeof *g);
	g->code = pcre2_compile((PCRE2_SPTR)re, len, PCRE2_DOTALL | PCRE2_NO_UTF_CHECK, &err, &off,
	                        NULL);
	free(re);
	if (g->code == NULL) {
		free(g);
		return NULL;
	}
	pcre2_jit_compile(g->code, PCRE2_JIT_COMPLETE);	/* the interpreter otherwise */
	if ((g->md = pcre2_match_data_create_from_pattern(g->code, NULL)) == NULL)
		xalloc_die();
	return g;
}

void
globset_free(struct globset *g)
{
	if (g == NULL)
		return;
	pcre2_match_data_free(g->md);
	pcre2_code_free(g->code);
	free(g);
}

int
globset_match(struct globset *g, const char *s, size_t len)
{
	if (pcre2_match(g->code, (PCRE2_SPTR)s, len, 0, 0, g->md, NULL) < 0)
		return -1;
	PCRE2_SPTR mark = pcre2_get_mark(g->md);
	return mark != NULL ? atoi((const char *)mark) : -1;
}
