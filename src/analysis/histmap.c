/* histmap: history entries aligned with Dockerfile instructions; see
 * histmap.h. Each entry is read into an instruction kind and its text,
 * each pair scored (same kind; same text; same destination), and the best
 * order-keeping alignment chosen by dynamic programming over the entries
 * and the stage's instructions, matches kept as late as they can be (the
 * base image's history comes first). */
#include "analysis/histmap.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The most cells of one alignment (a longer history keeps its last
 * entries), and of all the stages' (a hostile file's hundreds of stages). */
#define HISTMAP_CELLS (4u << 20)
#define HISTMAP_WORK (8u << 20)

/* A history entry read. */
struct hm_entry {
	enum df_kind kind;
	char *text;		/* owned: blanks collapsed */
	char *dest;		/* owned: COPY/ADD "file:HASH in DEST": DEST */
};

/* s with blank runs as one blank, trimmed; loose: also without quotes,
 * commas and brackets (CMD ["a", "b"] and CMD ["a" "b"] the same). */
static char *
hm_norm(const char *s, size_t len, int loose)
{
	char *out = xmalloc(len + 1), *o = out;
	int blank = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (loose && (c == '"' || c == '\'' || c == ',' || c == '[' || c == ']'))
			continue;
		if (isspace((unsigned char)c)) {
			blank = o != out;
			continue;
		}
		if (blank)
			*o++ = ' ';
		blank = 0;
		*o++ = c;
	}
	*o = '\0';
	return out;
}

static int
hm_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The shell's "-c" prefix of a RUN: "/bin/sh -c ", or a SHELL's. */
static const char *
hm_past_shell(const char *s)
{
	if (hm_starts(s, "/bin/sh -c "))
		return s + 11;
	const char *c = strstr(s, " -c ");
	if (c != NULL && c - s < 80 && s[0] == '/' && memchr(s, '"', (size_t)(c - s)) == NULL)
		return c + 4;
	return s;
}

/* Build arguments before a RUN's command: "|2 A=1 B=2 ". A value with a
 * blank in it ("|1 A=x y /bin/sh -c ...") is written as it is: then the
 * shell that follows the words says where they end. */
static const char *
hm_past_args(const char *s)
{
	if (s[0] != '|' || !isdigit((unsigned char)s[1]))
		return s;
	char *end;
	unsigned long n = strtoul(s + 1, &end, 10);
	const char *p = end;
	for (unsigned long k = 0; k < n && *p; k++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	while (*p == ' ')
		p++;
	const char *sh = strstr(end, " /bin/sh -c ");
	if (*p != '/' && sh != NULL)
		p = sh + 1;
	return p;
}

static void
hm_read(const char *cb, struct hm_entry *e)
{
	static const char nop[] = "/bin/sh -c #(nop) ";
	const char *s = cb != NULL ? cb : "";
	size_t len;

	memset(e, 0, sizeof *e);
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 11 && memcmp(s + len - 11, " # buildkit", 11) == 0)
		len -= 11;
	char *c = xstrndup(s, len);
	const char *p = c;
	e->kind = DF_RUN;
	if (hm_starts(p, nop)) {
		for (p += sizeof nop - 1; *p == ' '; p++)
			;
		e->kind = DF_OTHER;
	}
	/* an instruction's keyword, upper case */
	size_t kw = 0;
	while (isupper((unsigned char)p[kw]))
		kw++;
	if (kw > 0 && (p[kw] == ' ' || p[kw] == '\0')) {
		for (int k = 0; k < DF_OTHER; k++)
			if (strlen(dockerfile_kind_names[k]) == kw &&
			    memcmp(p, dockerfile_kind_names[k], kw) == 0) {
				e->kind = (enum df_kind)k;
				p += kw;
				while (*p == ' ')
					p++;
				break;
			}
	}
	if (e->kind == DF_OTHER)	/* #(nop) and no keyword */
		e->kind = DF_RUN;
	if (e->kind == DF_RUN)
		p = hm_past_shell(hm_past_args(p));
	if (e->kind == DF_COPY || e->kind == DF_ADD) {
		/* classic and buildah: "dir:HASH in DEST" */
		const char *colon = strchr(p, ':'), *in = strstr(p, " in ");
		if (colon != NULL && in != NULL && colon < in &&
		    (hm_starts(p, "file:") || hm_starts(p, "dir:") || hm_starts(p, "multi:")))
			e->dest = hm_norm(in + 4, strlen(in + 4), 0);
		while (hm_starts(p, "--")) {	/* BuildKit: the flags */
			while (*p && *p != ' ')
				p++;
			while (*p == ' ')
				p++;
		}
	}
	e->text = hm_norm(p, strlen(p), e->kind != DF_RUN);
	free(c);
}

/* dest as a path without a trailing slash ("/" stays). */
static void
hm_trim_slash(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* What instruction i reads as, to compare with entries. */
struct hm_instr {
	enum df_kind kind;
	char *text;		/* owned: blanks collapsed */
	char *alt;		/* owned: another form (heredoc forms), or NULL */
	char *dest[3];		/* owned: COPY/ADD: raw, substituted, absolute */
};

static void
hm_instr_read(const struct dockerfile *df, size_t i, struct hm_instr *h)
{
	const struct df_instr *in = &df->instrs[i];
	const char *t = in->text + in->cmd;
	size_t tl = in->text_len - in->cmd;

	memset(h, 0, sizeof *h);
	h->kind = in->kind;
	if (in->kind == DF_RUN && !in->json) {
		h->text = hm_norm(t, tl, 0);
		if (in->nheredocs == 1) {
			const struct df_heredoc *hd = &in->heredocs[0];
			/* BuildKit runs a lone heredoc's body, or its script */
			if (strncmp(hd->body, "#!", 2) == 0)
				h->alt = xasprintf("/dev/pipes/%s", hd->name);
			else
				h->alt = hm_norm(hd->body, strlen(hd->body), 0);
		} else if (in->nheredocs > 1) {
			size_t n = tl + 1;
			for (size_t k = 0; k < in->nheredocs; k++)
				n += strlen(in->heredocs[k].body) + strlen(in->heredocs[k].name) + 1;
			char *full = xmalloc(n + 1);
			size_t o = 0;
			memcpy(full, t, tl);
			o = tl;
			for (size_t k = 0; k < in->nheredocs; k++)
				o += (size_t)sprintf(full + o, "\n%s%s", in->heredocs[k].body,
				                     in->heredocs[k].name);
			h->alt = hm_norm(full, o, 0);
			free(full);
		}
		return;
	}
	/* the words, as the builders print them */
	size_t n = 0;
	for (size_t w = 0; w < in->nwords; w++)
		n += strlen(in->words[w]) + 1;
	char *j = xmalloc(n + 1), *o = j;
	*o = '\0';
	for (size_t w = 0; w < in->nwords; w++)
		o += sprintf(o, "%s%s", w ? " " : "", in->words[w]);
	h->text = hm_norm(j, strlen(j), in->kind != DF_RUN);
	free(j);
	if ((in->kind == DF_COPY || in->kind == DF_ADD) && in->nwords >= 2 && !in->json) {
		/* the last word as written, substituted, made absolute */
		size_t e = tl;
		while (e > 0 && isspace((unsigned char)t[e - 1]))
			e--;
		size_t b = e;
		while (b > 0 && !isspace((unsigned char)t[b - 1]))
			b--;
		h->dest[0] = xstrndup(t + b, e - b);
		h->dest[1] = xstrdup(in->words[in->nwords - 1]);
		h->dest[2] = h->dest[1][0] == '/' ? xstrdup(h->dest[1]) :
		                                    xasprintf("%s/%s", in->workdir, h->dest[1]);
		for (int k = 0; k < 3; k++)
			hm_trim_slash(h->dest[k]);
	}
}

static void
hm_instr_free(struct hm_instr *h)
{
	free(h->text);
	free(h->alt);
	for (int k = 0; k < 3; k++)
		free(h->dest[k]);
}

/* How well entry e matches instruction h: 0 not at all, 1-4. */
static int
hm_score(const struct hm_entry *e, const struct hm_instr *h)
{
	if (e->kind != h->kind)
		return 0;
	if (e->kind == DF_RUN) {
		if (strcmp(e->text, h->text) == 0 || (h->alt != NULL && strcmp(e->text, h->alt) == 0))
			return 4;
		/* the same start: one cut short, or rewritten at its end */
		size_t a = strlen(e->text), b = strlen(h->text), same = 0;
		while (same < a && same < b && e->text[same] == h->text[same])
			same++;
		if (same >= 16 || (same > 0 && 2 * same >= (a < b ? a : b)))
			return 2;
		return 0;
	}
	if (e->dest != NULL) {
		char *d = xstrdup(e->dest);
		int same = 0;
		hm_trim_slash(d);
		for (int k = 0; k < 3 && !same; k++)
			same = h->dest[k] != NULL && strcmp(d, h->dest[k]) == 0;
		free(d);
		return same ? 3 : 1;
	}
	if (strcmp(e->text, h->text) == 0)
		return e->kind == DF_COPY || e->kind == DF_ADD ? 4 : 3;
	return e->kind == DF_COPY || e->kind == DF_ADD ? 1 : 2;
}

/* The instructions a stage's image is made of: those of the stages it is
 * FROM first, then its own; FROM lines left out. Returns the count; *from
 * the chain's first FROM. */
static size_t
hm_chain(const struct dockerfile *df, size_t stage, size_t **out, size_t *from)
{
	size_t chain[DOCKERFILE_MAX_STAGES], depth = 0, n = 0;

	for (size_t s = stage; s != SIZE_MAX && depth < DOCKERFILE_MAX_STAGES;
	     s = df->stages[s].parent)
		chain[depth++] = s;
	*out = NULL;
	for (size_t d = depth; d-- > 0;)
		n += df->stages[chain[d]].end - df->stages[chain[d]].first - 1;
	*out = xcalloc(n + 1, sizeof **out);
	n = 0;
	for (size_t d = depth; d-- > 0;)
		for (size_t i = df->stages[chain[d]].first + 1; i < df->stages[chain[d]].end; i++)
			(*out)[n++] = i;
	*from = df->stages[chain[depth - 1]].first;
	return n;
}

/* Aligns entries e[lo..n) with instructions ins[0..m); fills match (per
 * entry) and returns the total score. */
static long
hm_align(const struct hm_entry *e, size_t lo, size_t n, const struct hm_instr *h,
         const size_t *ins, size_t m, size_t *match)
{
	size_t rows = n - lo + 1, cols = m + 1;
	int32_t *best = xcalloc(rows * cols, sizeof *best);
	uint8_t *score = xcalloc(rows * cols, 1);
#define B(i, j) best[(size_t)((i) - lo) * cols + (j)]
#define S(i, j) score[(size_t)((i) - lo) * cols + (j)]

	for (size_t i = n; i-- > lo;)
		for (size_t j = m; j-- > 0;) {
			int32_t v = B(i + 1, j);
			if (B(i, j + 1) > v)
				v = B(i, j + 1);
			int s = hm_score(&e[i], &h[ins[j]]);
			S(i, j) = (uint8_t)s;
			if (s > 0 && B(i + 1, j + 1) + s > v)
				v = B(i + 1, j + 1) + s;
			B(i, j) = v;
		}
	for (size_t i = 0; i < n; i++)
		match[i] = HISTMAP_NONE;
	/* read back, matches as late as they can be */
	size_t i = lo, j = 0;
	while (i < n && j < m) {
		if (B(i, j) == B(i + 1, j))
			i++;
		else if (B(i, j) == B(i, j + 1))
			j++;
		else {
			match[i] = ins[j];
			i++;
			j++;
		}
	}
	long total = B(lo, 0);
#undef B
#undef S
	free(best);
	free(score);
	return total;
}

/* Whether a and b are RFC 3339 times and a is at or after b (to the second). */
static int
hm_not_before(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) < 19 || strlen(b) < 19 || a[4] != '-' || b[4] != '-')
		return 0;
	return strncmp(a, b, 19) >= 0;
}

/* The first entry this build made, given the first that matched a line:
 * earlier when entries before it were made no earlier than it (and later
 * than the base's first entry): a squash's. Not when buildah's "FROM
 * base" comment marks it as its build's first. */
static size_t
hm_build_start(const struct history *h, size_t n, size_t first)
{
	if (first == 0 || first >= n ||
	    (h[first].comment != NULL && strncmp(h[first].comment, "FROM ", 5) == 0))
		return first;
	size_t start = first;
	while (start > 1 && hm_not_before(h[start - 1].created, h[first].created) &&
	       !hm_not_before(h[0].created, h[start - 1].created))
		start--;
	return start;
}

/* Aligns the entries with each stage's chain, the last stages first (the
 * image is most often the last): a tie keeps the later one; all of them
 * cost HISTMAP_WORK cells at most. The best stage's match goes to out;
 * match is scratch for n entries. */
static void
histmap_best_stage(const struct hm_entry *e, size_t n, const struct hm_instr *h,
                   const struct dockerfile *df, struct histmap *out, size_t *match)
{
	size_t work = 0;
	long best = 0;

	for (size_t s = df->nstages; s-- > 0 && work < HISTMAP_WORK;) {
		size_t *ins, from, m = hm_chain(df, s, &ins, &from);
		size_t lo = 0;
		if (m > 0 && n * m > HISTMAP_CELLS)
			lo = n - HISTMAP_CELLS / m;
		long score = m > 0 && n > lo ? hm_align(e, lo, n, h, ins, m, match) : 0;
		work += (n - lo) * m + 1;
		if (score > 0 && score > best) {
			best = score;
			out->stage = s;
			out->from = from;
			memcpy(out->entry, match, n * sizeof *match);
		}
		free(ins);
	}
}

/* Each layer's instruction, once the entries have theirs. */
static void
histmap_layers(const struct history *hist, size_t n, size_t nlayers, struct histmap *out)
{
	/* the base image's entries: those before the first match, but for
	 * what this build made there that matches no line (a squash) */
	out->first = n;
	for (size_t i = 0; i < n; i++)
		if (out->entry[i] != HISTMAP_NONE) {
			out->first = i;
			break;
		}
	out->first = hm_build_start(hist, n, out->first);
	for (size_t i = 0, k = 0; i < n && k < nlayers; i++) {
		if (hist[i].empty_layer)
			continue;
		size_t in = out->entry[i];
		out->layer[k] = i < out->first ? HISTMAP_BASE : in;
		if (in != HISTMAP_NONE)
			out->made[in] = k;
		k++;
	}
	/* layers beyond the history, or of an image nothing matched: no line */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !hist[i].empty_layer;
	for (; k < nlayers; k++)
		out->layer[k] = HISTMAP_NONE;
	if (out->stage == HISTMAP_NONE)
		for (k = 0; k < nlayers; k++)
			out->layer[k] = HISTMAP_NONE;
	for (k = 0; k < nlayers; k++)
		out->unmapped += out->layer[k] == HISTMAP_NONE;
}

void
histmap_build(const struct history *hist, size_t n, size_t nlayers, const struct dockerfile *df,
              struct histmap *out)
{
	struct hm_entry *e = xcalloc(n + 1, sizeof *e);
	struct hm_instr *h = xcalloc(df->count + 1, sizeof *h);
	size_t *match = xcalloc(n + 1, sizeof *match);

	memset(out, 0, sizeof *out);
	out->stage = out->from = HISTMAP_NONE;
	out->nentries = n;
	out->entry = xcalloc(n + 1, sizeof *out->entry);
	out->nlayers = nlayers;
	out->layer = xcalloc(nlayers + 1, sizeof *out->layer);
	out->ninstrs = df->count;
	out->made = xcalloc(df->count + 1, sizeof *out->made);
	for (size_t i = 0; i < n; i++) {
		hm_read(hist[i].created_by, &e[i]);
		out->entry[i] = HISTMAP_NONE;
	}
	for (size_t i = 0; i < df->count; i++) {
		hm_instr_read(df, i, &h[i]);
		out->made[i] = HISTMAP_NONE;
	}
	histmap_best_stage(e, n, h, df, out, match);
	histmap_layers(hist, n, nlayers, out);
	for (size_t i = 0; i < n; i++)
		free(e[i].text), free(e[i].dest);
	for (size_t i = 0; i < df->count; i++)
		hm_instr_free(&h[i]);
	free(e);
	free(h);
	free(match);
}

void
histmap_free(struct histmap *m)
{
	free(m->entry);
	free(m->layer);
	free(m->made);
	memset(m, 0, sizeof *m);
}

size_t
histmap_layer(const struct histmap *m, size_t k)
{
	return k < m->nlayers ? m->layer[k] : HISTMAP_NONE;
}
