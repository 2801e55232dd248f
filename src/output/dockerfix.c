/* dockerfix: the fixed Dockerfile and .dockerignore; see dockerfix.h. The
 * file is the input's bytes between the edits; above each instruction an
 * edit touches, one "# fathom fix:" line per edit says what changed. */
#include "output/dockerfix.h"

#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/xalloc.h"

/* The comment lines above instruction i: each edit item on it. */
static void
dockerfix_comments(FILE *out, const struct dockerfile *df, const struct fix_plan *p, size_t i,
                   int dropped)
{
	const struct df_instr *in = &df->instrs[i];
	int indent = (int)(in->start - in->line_start);
	char h[32];

	for (size_t k = 0; k < p->count; k++) {
		const struct fix_item *it = &p->items[k];
		if (!fix_kind_edits[it->kind] || (it->instr != i && it->from != i))
			continue;
		if (it->instr == i) {
			human_dive_size(it->bytes, h, sizeof h);
			fprintf(out, "%.*s# fathom fix: %s (saves %s)\n", indent,
			        df->data + in->line_start, it->what, h);
		} else if (dropped) {
			fprintf(out, "%.*s# fathom fix: %s; nothing else was in the %s of line %u: it "
			        "went\n", indent, df->data + in->line_start, it->what,
			        dockerfile_kind_names[in->kind], in->line);
		} else {
			fprintf(out, "%.*s# fathom fix: %s\n", indent, df->data + in->line_start, it->what);
		}
	}
}

/* Whether an edit item names instruction i. */
static int
dockerfix_touched(const struct fix_plan *p, size_t i)
{
	for (size_t k = 0; k < p->count; k++)
		if (fix_kind_edits[p->items[k].kind] && (p->items[k].instr == i || p->items[k].from == i))
			return 1;
	return 0;
}

int
dockerfix_write(FILE *out, const struct dockerfile *df, const struct fix_plan *p)
{
	size_t pos = 0, e = 0;

	if (p->syntax) {
		/* after a byte order mark, before anything else */
		if (df->len >= 3 && memcmp(df->data, "\xef\xbb\xbf", 3) == 0)
			pos = 3;
		fwrite(df->data, 1, pos, out);
		fputs("# syntax=docker/dockerfile:1\n", out);
	}
	for (size_t i = 0; i < df->count; i++) {
		const struct df_instr *in = &df->instrs[i];
		if (!dockerfix_touched(p, i))
			continue;
		/* what comes before its first line, the edits there included */
		for (; e < p->nedits && p->edits[e].start < in->line_start; e++) {
			fwrite(df->data + pos, 1, p->edits[e].start - pos, out);
			fputs(p->edits[e].text, out);
			pos = p->edits[e].end;
		}
		if (pos > in->line_start)
			continue;	/* inside a dropped instruction: cannot be */
		fwrite(df->data + pos, 1, in->line_start - pos, out);
		pos = in->line_start;
		int dropped = e < p->nedits && p->edits[e].drop && p->edits[e].instr == i;
		dockerfix_comments(out, df, p, i, dropped);
	}
	for (; e < p->nedits; e++) {
		fwrite(df->data + pos, 1, p->edits[e].start - pos, out);
		fputs(p->edits[e].text, out);
		pos = p->edits[e].end;
	}
	fwrite(df->data + pos, 1, df->len - pos, out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* Whether line is among the first n items' lines, or in existing. */
static int
dockerfix_ignore_seen(const struct fix_plan *p, size_t n, const char *line, const char *existing)
{
	for (size_t k = 0; k < n; k++)
		if (p->items[k].kind == FIX_DOCKERIGNORE && strcmp(p->items[k].ignore, line) == 0)
			return 1;
	size_t len = strlen(line);
	for (const char *l = existing; l != NULL && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t m = strcspn(l, "\r\n");
		while (m > 0 && (l[m - 1] == ' ' || l[m - 1] == '\t'))
			m--;
		if (m == len && strncmp(l, line, len) == 0)
			return 1;
	}
	return 0;
}

size_t
dockerfix_ignore_count(const struct fix_plan *p)
{
	size_t n = 0;

	for (size_t k = 0; k < p->count; k++)
		n += p->items[k].kind == FIX_DOCKERIGNORE &&
		     !dockerfix_ignore_seen(p, k, p->items[k].ignore, NULL);
	return n;
}

int
dockerfix_ignore_write(FILE *out, const char *existing, const struct fix_plan *p)
{
	int first = 1;

	if (existing != NULL) {
		fputs(existing, out);
		size_t n = strlen(existing);
		if (n > 0 && existing[n - 1] != '\n')
			fputc('\n', out);
	}
	for (size_t k = 0; k < p->count; k++) {
		const struct fix_item *it = &p->items[k];
		if (it->kind != FIX_DOCKERIGNORE || dockerfix_ignore_seen(p, k, it->ignore, existing))
			continue;
		if (first)
			fputs("# fathom fix: build-context files the image does not need\n", out);
		first = 0;
		fprintf(out, "%s\n", it->ignore);
	}
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
