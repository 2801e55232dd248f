/* dockerfile: the Dockerfile parser; see dockerfile.h. Written by hand
 * (Debian has no Dockerfile parser library), after BuildKit's documented
 * rules: directives only before anything else, a comment is a line whose
 * first non-blank is '#', a line continues when its last non-blank is the
 * escape character, blank and comment lines inside a continuation are
 * dropped, heredoc bodies follow the instruction's last line. */
#include "analysis/dockerfile.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define DOCKERFILE_KIND_NAME(id, name) [id] = name,
const char *const dockerfile_kind_names[DF_OTHER + 1] = {
	DOCKERFILE_KINDS(DOCKERFILE_KIND_NAME)[DF_OTHER] = "",
};
#undef DOCKERFILE_KIND_NAME

/* Substitution steps a file may cost before it is refused. */
#define DOCKERFILE_BUDGET 20000000u

struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* The string a buffer holds (owned), "" when empty. */
static char *
buf_take(struct buf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	memset(b, 0, sizeof *b);
	return s;
}

static int
df_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One physical line: [start, end) without its "\r\n", next: the next
 * line's start. */
struct line {
	size_t start, end, next;
};

static struct line
df_line(const struct dockerfile *df, size_t pos)
{
	const char *nl = memchr(df->data + pos, '\n', df->len - pos);
	struct line l = { pos, nl != NULL ? (size_t)(nl - df->data) : df->len, 0 };

	l.next = nl != NULL ? l.end + 1 : df->len;
	if (l.end > l.start && df->data[l.end - 1] == '\r')
		l.end--;
	return l;
}

/* The first non-blank of a line, or its end. */
static size_t
df_first(const struct dockerfile *df, struct line l)
{
	size_t p = l.start;

	while (p < l.end && (df_blank(df->data[p]) || df->data[p] == '\f' || df->data[p] == '\v'))
		p++;
	return p;
}

static int
df_fail(char **cause, const struct dockerfile *df, uint32_t line, const char *what)
{
	*cause = xasprintf("%s:%u: %s", df->path, line, what);
	return -1;
}

/* A parser directive line ("# escape=`"): 1 with its name and value, or 0. */
static int
df_directive(const struct dockerfile *df, struct line l, char *name, size_t nsize,
             const char **value, size_t *vlen)
{
	const char *s = df->data + l.start, *e = df->data + l.end, *n;

	if (s == e || *s != '#')
		return 0;
	for (s++; s < e && df_blank(*s); s++)
		;
	for (n = s; s < e && isalnum((unsigned char)*s); s++)
		;
	if (s == n || !isalpha((unsigned char)*n) || (size_t)(s - n) >= nsize)
		return 0;
	memcpy(name, n, (size_t)(s - n));
	name[s - n] = '\0';
	for (; s < e && df_blank(*s); s++)
		;
	if (s == e || *s != '=')
		return 0;
	for (s++; s < e && df_blank(*s); s++)
		;
	while (e > s && df_blank(e[-1]))
		e--;
	*value = s;
	*vlen = (size_t)(e - s);
	return strcasecmp(name, "syntax") == 0 || strcasecmp(name, "escape") == 0 ||
	       strcasecmp(name, "check") == 0;
}

/* Appends file bytes [file, file + len) to instruction text. */
static void
df_text_add(struct df_instr *in, struct buf *t, size_t *csegs, size_t file, const char *s,
            size_t len)
{
	ARRAY_RESERVE(in->segs, in->nsegs, *csegs);
	in->segs[in->nsegs++] = (struct df_seg){ t->len, file, len };
	buf_add(t, s, len);
}

size_t
dockerfile_offset(const struct df_instr *in, size_t pos)
{
	size_t lo = 0, hi = in->nsegs;

	if (in->nsegs == 0)
		return in->args;
	/* the last segment starting at or before pos */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (in->segs[mid].text <= pos)
			lo = mid;
		else
			hi = mid;
	}
	const struct df_seg *s = &in->segs[lo];
	if (pos > s->text + s->len)
		pos = s->text + s->len;
	return s->file + (pos - s->text);
}

/* --- substitution ---------------------------------------------------- */

/* The value of name among the KEY=VALUE words of instruction in (the last
 * one wins), or NULL; *found set when the key is there without a value
 * (an ARG without a default). */
static const char *
df_pair(const struct df_instr *in, const char *name, size_t len, int *bare)
{
	for (size_t w = in->nwords; w-- > 0;) {
		const char *x = in->words[w];
		if (strncmp(x, name, len) != 0)
			continue;
		if (x[len] == '=')
			return x + len + 1;
		if (x[len] == '\0' && in->kind == DF_ARG) {
			*bare = 1;
			return NULL;
		}
	}
	return NULL;
}

/* The global ARG default of name before instruction i. */
static const char *
df_global(const struct dockerfile *df, size_t i, const char *name, size_t len, size_t *steps)
{
	for (size_t k = i; k-- > 0;) {
		const struct df_instr *in = &df->instrs[k];
		int bare = 0;
		if (steps != NULL)
			(*steps)++;
		if (in->stage != SIZE_MAX || in->kind != DF_ARG)
			continue;
		const char *v = df_pair(in, name, len, &bare);
		if (v != NULL || bare)
			return v;
	}
	return NULL;
}

static const char *
df_lookup(const struct dockerfile *df, size_t i, const char *name, size_t len, size_t *steps)
{
	size_t stage = i < df->count ? df->instrs[i].stage : SIZE_MAX;
	int own = 1;	/* ARG counts in the instruction's own stage only */

	if (i < df->count && df->instrs[i].kind == DF_FROM)
		stage = SIZE_MAX;
	if (stage == SIZE_MAX)
		return df_global(df, i, name, len, steps);
	for (size_t depth = 0; stage != SIZE_MAX && depth < DOCKERFILE_MAX_STAGES; depth++) {
		const struct df_stage *st = &df->stages[stage];
		size_t k = own ? i : st->end;
		while (k-- > st->first + 1) {
			const struct df_instr *in = &df->instrs[k];
			int bare = 0;
			if (steps != NULL)
				(*steps)++;
			if (in->kind != DF_ENV && (in->kind != DF_ARG || !own))
				continue;
			const char *v = df_pair(in, name, len, &bare);
			if (v != NULL)
				return v;
			if (bare)	/* ARG NAME: the global default, if any */
				return df_global(df, st->first, name, len, steps);
		}
		stage = st->parent;
		own = 0;
	}
	return NULL;
}

const char *
dockerfile_lookup(const struct dockerfile *df, size_t i, const char *name, size_t len)
{
	return df_lookup(df, i, name, len, NULL);
}

/* Lexing words as the builder does for the instructions it substitutes:
 * quotes removed, the escape character taken, $ substituted (when i is
 * not SIZE_MAX), blanks split words (when split). */
struct lex {
	struct dockerfile *df;
	size_t i;		/* the instruction seeing the variables */
	int unknown;
	int over;		/* the budget ran out */
};

static int
df_name_char(char c, int first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

/* A $ expression at s (s[0] == '$', before e): appends its value to out;
 * returns the bytes it took. */
static size_t
df_dollar(struct lex *lx, const char *s, const char *e, struct buf *out)
{
	const char *n, *v, *word = NULL;
	size_t len, wlen = 0, steps = 0;
	char op = 0;
	int colon = 0, braces = s + 1 < e && s[1] == '{';

	n = s + 1 + braces;
	for (len = 0; n + len < e && df_name_char(n[len], len == 0); len++)
		;
	if (len == 0) {
		buf_addc(out, '$');
		return 1;
	}
	const char *p = n + len;
	if (braces) {
		const char *close = memchr(p, '}', (size_t)(e - p));
		if (close == NULL) {	/* not an expression: kept as it is */
			buf_addc(out, '$');
			return 1;
		}
		if (p < close) {
			colon = *p == ':';
			op = p[colon];
			if (op != '-' && op != '+')
				lx->unknown = 1;	/* ${N#...} and such: not followed */
			word = p + colon + 1;
			wlen = word <= close ? (size_t)(close - word) : 0;
		}
		p = close + 1;
	}
	v = df_lookup(lx->df, lx->i, n, len, &steps);
	if (steps > lx->df->budget) {
		lx->over = 1;
		lx->df->budget = 0;
	} else {
		lx->df->budget -= steps;
	}
	int set = v != NULL && (!colon || *v != '\0');
	if (op == '-' && !set)
		buf_add(out, word, wlen);
	else if (op == '+' && set)
		buf_add(out, word, wlen);
	else if (op != '+' && v != NULL)
		buf_add(out, v, strlen(v));
	else if (op != '-' && op != '+' && v == NULL)
		lx->unknown = 1;
	return (size_t)(p - s);
}

/* Splits s (len bytes) into words (quotes and escapes taken; substituted
 * unless lx->i is SIZE_MAX; one word when !split). */
static void
df_words(struct lex *lx, const char *s, size_t len, int split, char ***words, size_t *n)
{
	const char *e = s + len;
	char esc = lx->df->escape;
	struct buf w = { 0 };
	size_t cap = 0;
	int inword = 0, quoted = 0;

	while (s < e) {
		char c = *s;
		if (split && df_blank(c)) {
			/* an unquoted word that came to nothing is no word */
			if (inword && (quoted || w.len > 0)) {
				ARRAY_RESERVE(*words, *n, cap);
				(*words)[(*n)++] = buf_take(&w);
			}
			inword = quoted = 0;
			s++;
			continue;
		}
		inword = 1;
		quoted |= c == '\'' || c == '"';
		if (c == '\'') {
			const char *q = memchr(s + 1, '\'', (size_t)(e - s - 1));
			const char *end = q != NULL ? q : e;
			buf_add(&w, s + 1, (size_t)(end - s - 1));
			s = q != NULL ? q + 1 : e;
		} else if (c == '"') {
			for (s++; s < e && *s != '"';) {
				if (*s == esc && s + 1 < e &&
				    (s[1] == '"' || s[1] == '$' || s[1] == esc)) {
					buf_addc(&w, s[1]);
					s += 2;
				} else if (*s == '$' && lx->i != SIZE_MAX) {
					s += df_dollar(lx, s, e, &w);
				} else {
					buf_addc(&w, *s++);
				}
			}
			s += s < e;
		} else if (c == esc && s + 1 < e) {
			buf_addc(&w, s[1]);
			s += 2;
		} else if (c == '$' && lx->i != SIZE_MAX) {
			s += df_dollar(lx, s, e, &w);
		} else {
			buf_addc(&w, c);
			s++;
		}
	}
	if ((inword && (quoted || w.len > 0 || !split)) || (!split && *n == 0)) {
		ARRAY_RESERVE(*words, *n, cap);
		(*words)[(*n)++] = buf_take(&w);
	}
	free(w.s);
}

/* --- instructions ---------------------------------------------------- */

static enum df_kind
df_kind_of(const char *kw)
{
	for (int k = 0; k < DF_OTHER; k++)
		if (strcasecmp(kw, dockerfile_kind_names[k]) == 0)
			return (enum df_kind)k;
	return DF_OTHER;
}

static int
df_has_flags(enum df_kind k)
{
	return k == DF_RUN || k == DF_COPY || k == DF_ADD || k == DF_FROM || k == DF_HEALTHCHECK;
}

static int
df_may_json(enum df_kind k)
{
	return k == DF_RUN || k == DF_CMD || k == DF_ENTRYPOINT || k == DF_COPY || k == DF_ADD ||
	       k == DF_SHELL || k == DF_VOLUME;
}

/* Whether the builder substitutes variables in k's arguments. */
static int
df_substitutes(enum df_kind k)
{
	return k == DF_FROM || k == DF_COPY || k == DF_ADD || k == DF_ENV || k == DF_ARG ||
	       k == DF_WORKDIR || k == DF_USER || k == DF_LABEL || k == DF_EXPOSE ||
	       k == DF_VOLUME || k == DF_STOPSIGNAL;
}

/* The leading --flags of in's text. */
static void
df_flags(struct df_instr *in)
{
	const char *t = in->text;
	size_t p = 0, cap = 0;

	for (;;) {
		while (p < in->text_len && isspace((unsigned char)t[p]))
			p++;
		if (!df_has_flags(in->kind) || p + 2 >= in->text_len || t[p] != '-' ||
		    t[p + 1] != '-' || isspace((unsigned char)t[p + 2]))
			break;
		size_t q = p;
		while (q < in->text_len && !isspace((unsigned char)t[q]))
			q++;
		ARRAY_RESERVE(in->flags, in->nflags, cap);
		in->flags[in->nflags++] = xstrndup(t + p, q - p);
		p = q;
	}
	in->cmd = p;
}

/* The exec form: a JSON array of strings; 0 when it is not one. */
static int
df_json(struct df_instr *in)
{
	const char *t = in->text + in->cmd;
	size_t len = in->text_len - in->cmd;
	json_error_t err;
	json_t *a;

	while (len > 0 && isspace((unsigned char)t[len - 1]))
		len--;
	if (len < 2 || t[0] != '[' || t[len - 1] != ']')
		return 0;
	if ((a = json_loadb(t, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err)) == NULL)
		return 0;
	if (!json_is_array(a)) {
		json_decref(a);
		return 0;
	}
	for (size_t i = 0; i < json_array_size(a); i++)
		if (!json_is_string(json_array_get(a, i)) ||
		    strlen(json_string_value(json_array_get(a, i))) !=
		            json_string_length(json_array_get(a, i))) {
			json_decref(a);
			return 0;
		}
	in->nwords = json_array_size(a);
	in->words = xcalloc(in->nwords + 1, sizeof *in->words);
	for (size_t i = 0; i < in->nwords; i++)
		in->words[i] = xstrdup(json_string_value(json_array_get(a, i)));
	in->json = 1;
	json_decref(a);
	return 1;
}

/* ENV, LABEL: KEY=VALUE words, or the legacy "KEY VALUE..." (one pair). */
static void
df_pairs(struct lex *lx, struct df_instr *in)
{
	const char *t = in->text + in->cmd;
	size_t len = in->text_len - in->cmd, k = 0, p = 0, cap = 0;
	char **w = NULL;
	size_t nw = 0;

	while (k < len && !isspace((unsigned char)t[k]) && t[k] != '=')
		k++;
	if (k >= len || t[k] != '=') {
		/* legacy: KEY, then the rest as one value */
		size_t rest = k;
		while (rest < len && isspace((unsigned char)t[rest]))
			rest++;
		df_words(lx, t + rest, len - rest, 0, &w, &nw);
		ARRAY_RESERVE(in->words, in->nwords, cap);
		in->words[in->nwords++] = xasprintf("%.*s=%s", (int)k, t, nw > 0 ? w[0] : "");
		for (size_t i = 0; i < nw; i++)
			free(w[i]);
		free(w);
		return;
	}
	/* words split on blanks outside quotes, each then lexed whole */
	while (p < len) {
		while (p < len && isspace((unsigned char)t[p]))
			p++;
		if (p >= len)
			break;
		size_t q = p;
		char quote = 0;
		while (q < len && (quote || !isspace((unsigned char)t[q]))) {
			if (quote == 0 && (t[q] == '"' || t[q] == '\''))
				quote = t[q];
			else if (quote != 0 && t[q] == quote)
				quote = 0;
			else if (t[q] == lx->df->escape && q + 1 < len && quote != '\'')
				q++;
			q++;
		}
		nw = 0;
		w = NULL;
		df_words(lx, t + p, q - p, 0, &w, &nw);
		ARRAY_RESERVE(in->words, in->nwords, cap);
		in->words[in->nwords++] = w[0];
		free(w);
		p = q;
	}
}

char *
dockerfile_path(const char *base, const char *p)
{
	char *full = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", base, p);
	char *out = xmalloc(strlen(full) + 2), *o = out;
	const char *s = full;

	*o = '\0';
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = strchr(s, '/');
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n == 0)
			break;
		if (n == 1 && s[0] == '.') {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = strrchr(out, '/');
			o = slash != NULL ? slash : out;
			*o = '\0';
		} else {
			*o++ = '/';
			memcpy(o, s, n);
			o += n;
			*o = '\0';
		}
		s += n;
	}
	if (o == out) {
		out[0] = '/';
		out[1] = '\0';
	}
	free(full);
	return out;
}

/* The heredoc markers of a RUN, COPY or ADD: words "<<NAME", "<<-NAME",
 * "<<'NAME'" (a file descriptor number may come before). */
static void
df_heredoc_markers(const struct dockerfile *df, struct df_instr *in)
{
	const char *t = in->text + in->cmd, *e = in->text + in->text_len;
	size_t cap = 0;

	if (in->json || (in->kind != DF_RUN && in->kind != DF_COPY && in->kind != DF_ADD))
		return;
	while (t < e) {
		while (t < e && isspace((unsigned char)*t))
			t++;
		const char *w = t;
		char quote = 0;
		while (t < e && (quote || !isspace((unsigned char)*t))) {
			if (quote == 0 && (*t == '"' || *t == '\''))
				quote = *t;
			else if (*t == quote)
				quote = 0;
			else if (quote != '\'' && *t == df->escape && t + 1 < e)
				t++;
			t++;
		}
		const char *p = w;
		while (p < t && isdigit((unsigned char)*p))
			p++;
		if (t - p < 3 || p[0] != '<' || p[1] != '<')
			continue;
		p += 2;
		int chomp = *p == '-';
		p += chomp;
		if (memchr(p, '<', (size_t)(t - p)) != NULL || p == t)
			continue;
		struct lex plain = { (struct dockerfile *)df, SIZE_MAX, 0, 0 };
		char **nw = NULL;
		size_t n = 0;
		df_words(&plain, p, (size_t)(t - p), 0, &nw, &n);
		if (n == 1 && nw[0][0] != '\0') {
			ARRAY_RESERVE(in->heredocs, in->nheredocs, cap);
			in->heredocs[in->nheredocs++] = (struct df_heredoc){
				.name = nw[0], .chomp = chomp,
				.quoted = memchr(p, '"', (size_t)(t - p)) != NULL ||
				          memchr(p, '\'', (size_t)(t - p)) != NULL,
			};
		} else {
			for (size_t k = 0; k < n; k++)
				free(nw[k]);
		}
		free(nw);
	}
}

/* Reads heredoc bodies from pos on; returns the position after the last
 * delimiter line, or SIZE_MAX with *cause. */
static size_t
df_heredoc_bodies(struct dockerfile *df, struct df_instr *in, size_t pos, uint32_t *lineno,
                  struct line *last, char **cause)
{
	for (size_t h = 0; h < in->nheredocs; h++) {
		struct df_heredoc *hd = &in->heredocs[h];
		struct buf body = { 0 };
		size_t nl = strlen(hd->name);
		int closed = 0;
		hd->body_start = pos;
		while (pos < df->len) {
			struct line l = df_line(df, pos);
			size_t s = l.start;
			(*lineno)++;
			if (hd->chomp)
				while (s < l.end && df->data[s] == '\t')
					s++;
			if (l.end - s == nl && memcmp(df->data + s, hd->name, nl) == 0) {
				hd->end_start = l.start;
				*last = l;
				pos = l.next;
				closed = 1;
				break;
			}
			buf_add(&body, df->data + s, l.end - s);
			buf_addc(&body, '\n');
			pos = l.next;
		}
		hd->body = buf_take(&body);
		if (!closed) {
			char *why = xasprintf("the heredoc <<%s of line %u is not closed", hd->name,
			                      in->line);
			df_fail(cause, df, *lineno, why);
			free(why);
			return SIZE_MAX;
		}
	}
	return pos;
}

static void
df_instr_free(struct df_instr *in)
{
	free(in->keyword);
	free(in->text);
	free(in->segs);
	for (size_t i = 0; i < in->nflags; i++)
		free(in->flags[i]);
	free(in->flags);
	for (size_t i = 0; i < in->nwords; i++)
		free(in->words[i]);
	free(in->words);
	for (size_t i = 0; i < in->nheredocs; i++) {
		free(in->heredocs[i].name);
		free(in->heredocs[i].body);
	}
	free(in->heredocs);
	free(in->wd);
}

/* The arguments of instruction i, once its text is read. */
static int
df_arguments(struct dockerfile *df, size_t i, char **cause)
{
	struct df_instr *in = &df->instrs[i];
	struct lex lx = { df, df_substitutes(in->kind) ? i : SIZE_MAX, 0, 0 };

	df_flags(in);
	if (df_may_json(in->kind) && df_json(in))
		return 0;
	df_heredoc_markers(df, in);
	if (in->kind == DF_RUN || in->kind == DF_CMD || in->kind == DF_ENTRYPOINT)
		return 0;	/* a shell command: the shell's words, not the builder's */
	if (in->kind == DF_ENV || in->kind == DF_LABEL)
		df_pairs(&lx, in);
	else
		df_words(&lx, in->text + in->cmd, in->text_len - in->cmd, 1, &in->words,
		         &in->nwords);
	in->unknown = lx.unknown;
	if (lx.over)
		return df_fail(cause, df, in->line, "too many variables to substitute");
	return 0;
}

/* What a FROM starts: a stage, its name, its parent. */
static int
df_stage_start(struct dockerfile *df, size_t i, char **cause)
{
	struct df_instr *in = &df->instrs[i];

	if (df->nstages > 0)
		df->stages[df->nstages - 1].end = i;
	if (df->nstages >= DOCKERFILE_MAX_STAGES)
		return df_fail(cause, df, in->line, "more than 256 build stages");
	ARRAY_RESERVE(df->stages, df->nstages, df->cstages);
	struct df_stage *st = &df->stages[df->nstages];
	memset(st, 0, sizeof *st);
	st->first = i;
	st->end = i + 1;
	st->base = in->nwords > 0 ? in->words[0] : "";
	if (in->nwords >= 3 && strcasecmp(in->words[1], "AS") == 0) {
		st->name = xstrdup(in->words[2]);
		for (char *p = st->name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	st->parent = dockerfile_stage(df, st->base, df->nstages);
	in->stage = df->nstages++;
	return 0;
}

/* A new instruction whose keyword starts at first on line l: its place,
 * keyword and kind. */
static struct df_instr *
df_instr_new(struct dockerfile *df, struct line l, size_t first, uint32_t lineno)
{
	size_t p = first;

	ARRAY_RESERVE(df->instrs, df->count, df->cap);
	struct df_instr *in = &df->instrs[df->count];
	memset(in, 0, sizeof *in);
	in->line = lineno;
	in->column = (uint32_t)(first - l.start + 1);
	in->start = first;
	in->line_start = l.start;
	while (p < l.end && !isspace((unsigned char)df->data[p]))
		p++;
	in->keyword = xstrndup(df->data + first, p - first);
	in->kind = df_kind_of(in->keyword);
	while (p < l.end && isspace((unsigned char)df->data[p]))
		p++;
	in->args = p;
	return in;
}

/* Whether the text read so far continues on the next line (its last
 * non-blank is the escape character); if so, the escape and what follows
 * it go. */
static int
df_continues(const struct dockerfile *df, struct df_instr *in, struct buf *text)
{
	struct df_seg *sg = &in->segs[in->nsegs - 1];
	size_t e = sg->len;

	while (e > 0 && isspace((unsigned char)text->s[sg->text + e - 1]))
		e--;
	if (e == 0 || text->s[sg->text + e - 1] != df->escape)
		return 0;
	text->len = sg->text + e - 1;
	text->s[text->len] = '\0';
	sg->len = e - 1;
	return 1;
}

/* Reads the instruction's text: its arguments on line l and the lines that
 * continue them. Returns its last line; *next is the line after it. */
static struct line
df_instr_text(struct dockerfile *df, struct df_instr *in, struct line l, size_t *next,
              uint32_t *lineno)
{
	struct buf text = { 0 };
	size_t csegs = 0;
	struct line last = l;
	int more = 1;

	df_text_add(in, &text, &csegs, in->args, df->data + in->args, l.end - in->args);
	*next = l.next;
	while (more && df_continues(df, in, &text)) {
		more = 0;
		while (*next < df->len) {
			struct line c = df_line(df, *next);
			size_t f = df_first(df, c);
			*next = c.next;
			(*lineno)++;
			if (f == c.end || df->data[f] == '#')
				continue;	/* blank and comment lines inside */
			df_text_add(in, &text, &csegs, c.start, df->data + c.start, c.end - c.start);
			last = c;
			more = 1;
			break;
		}
	}
	in->text_len = text.len;
	in->text = buf_take(&text);
	return last;
}

/* Where the instruction ends: its last line is last, numbered lineno. */
static void
df_instr_end(struct df_instr *in, struct line last, uint32_t lineno)
{
	in->end = last.end;
	in->end_line = lineno;
	in->end_column = (uint32_t)(last.end - last.start + 1);
	in->line_end = last.next;
}

/* The heredoc bodies that follow the instruction's last line: they move
 * its end past their delimiters. */
static int
df_instr_heredocs(struct dockerfile *df, struct df_instr *in, size_t *next, uint32_t *lineno,
                  struct line last, char **cause)
{
	uint32_t before = *lineno;

	if (in->nheredocs == 0)
		return 0;
	*next = df_heredoc_bodies(df, in, *next, lineno, &last, cause);
	if (*next == SIZE_MAX)
		return -1;
	if (*lineno != before)
		df_instr_end(in, last, *lineno);
	return 0;
}

/* The working directory the last instruction runs in: the one before it
 * in its stage, or at the end of the stage it builds on; its stage now
 * ends after it. */
static void
df_instr_workdir(struct dockerfile *df, struct df_instr *in)
{
	const struct df_stage *st = in->stage != SIZE_MAX ? &df->stages[in->stage] : NULL;

	if (st != NULL && df->count - 1 > st->first)
		in->workdir = df->instrs[df->count - 2].workdir;
	else if (st != NULL && st->parent != SIZE_MAX)
		in->workdir = df->instrs[df->stages[st->parent].end - 1].workdir;
	if (in->kind == DF_WORKDIR && in->nwords > 0) {
		in->wd = dockerfile_path(in->workdir, in->words[0]);
		in->workdir = in->wd;
	}
	if (st != NULL)
		df->stages[in->stage].end = df->count;
}

/* Reads the instruction whose keyword starts at first on line l. */
static int
df_instruction(struct dockerfile *df, struct line l, size_t first, size_t *pos, uint32_t *lineno,
               char **cause)
{
	size_t next;

	if (df->count >= DOCKERFILE_MAX_INSTRUCTIONS)
		return df_fail(cause, df, *lineno, "more than 10000 instructions");
	struct df_instr *in = df_instr_new(df, l, first, *lineno);
	struct line last = df_instr_text(df, in, l, &next, lineno);
	df_instr_end(in, last, *lineno);
	in->stage = df->nstages > 0 ? df->nstages - 1 : SIZE_MAX;
	in->workdir = "/";
	df->count++;
	if (in->kind == DF_FROM) {
		/* FROM's words see the global ARGs only */
		if (df_arguments(df, df->count - 1, cause) < 0 ||
		    df_stage_start(df, df->count - 1, cause) < 0)
			return -1;
	} else if (df_arguments(df, df->count - 1, cause) < 0) {
		return -1;
	}
	in = &df->instrs[df->count - 1];
	if (df_instr_heredocs(df, in, &next, lineno, last, cause) < 0)
		return -1;
	df_instr_workdir(df, in);
	*pos = next;
	(*lineno)++;
	return 0;
}

/* The parser directives at pos, before anything else: the escape
 * character and whether a syntax is named. */
static int
df_directives(struct dockerfile *df, size_t *pos, uint32_t *lineno, char **cause)
{
	while (*pos < df->len) {
		struct line l = df_line(df, *pos);
		char name[16];
		const char *v;
		size_t vl;
		if (!df_directive(df, l, name, sizeof name, &v, &vl))
			break;
		if (strcasecmp(name, "escape") == 0) {
			if (vl != 1 || (*v != '\\' && *v != '`'))
				return df_fail(cause, df, *lineno, "the escape directive wants \\ or `");
			df->escape = *v;
		} else if (strcasecmp(name, "syntax") == 0) {
			df->syntax = 1;
		}
		*pos = l.next;
		(*lineno)++;
	}
	df->directives_end = *pos;
	return 0;
}

/* Refuses what is not a Dockerfile's text: too large, or with a NUL. */
static int
df_refuse_binary(struct dockerfile *df, char **cause)
{
	uint32_t lineno = 1;

	if (df->len > DOCKERFILE_MAX_BYTES) {
		*cause = xasprintf("%s: larger than 1 MiB: not a Dockerfile", df->path);
		return -1;
	}
	const char *nul = memchr(df->data, '\0', df->len);
	if (nul != NULL) {
		for (const char *s = df->data; s < nul; s++)
			lineno += *s == '\n';
		return df_fail(cause, df, lineno, "a NUL byte: not a Dockerfile");
	}
	return 0;
}

int
dockerfile_parse(const char *path, const char *data, size_t len, struct dockerfile *df,
                 char **cause)
{
	uint32_t lineno = 1;
	size_t pos = 0;

	memset(df, 0, sizeof *df);
	df->path = xstrdup(path);
	df->data = data;
	df->len = len;
	df->escape = '\\';
	df->budget = DOCKERFILE_BUDGET;
	if (df_refuse_binary(df, cause) < 0)
		goto fail;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	if (df_directives(df, &pos, &lineno, cause) < 0)
		goto fail;
	while (pos < len) {
		struct line l = df_line(df, pos);
		size_t f = df_first(df, l);
		if (f == l.end || df->data[f] == '#') {
			pos = l.next;
			lineno++;
			continue;
		}
		if (df_instruction(df, l, f, &pos, &lineno, cause) < 0)
			goto fail;
	}
	return 0;

fail:
	dockerfile_free(df);
	return -1;
}

void
dockerfile_free(struct dockerfile *df)
{
	for (size_t i = 0; i < df->count; i++)
		df_instr_free(&df->instrs[i]);
	free(df->instrs);
	for (size_t i = 0; i < df->nstages; i++)
		free(df->stages[i].name);
	free(df->stages);
	free(df->path);
	memset(df, 0, sizeof *df);
}

size_t
dockerfile_stage(const struct dockerfile *df, const char *s, size_t before)
{
	char *end;
	unsigned long n;

	for (size_t k = 0; k < before && k < df->nstages; k++)
		if (df->stages[k].name != NULL && strcasecmp(df->stages[k].name, s) == 0)
			return k;
	if (isdigit((unsigned char)s[0])) {
		n = strtoul(s, &end, 10);
		if (*end == '\0' && n < before)
			return n;
	}
	return SIZE_MAX;
}

char *
dockerfile_summary(const struct dockerfile *df, size_t i)
{
	const struct df_instr *in = &df->instrs[i];
	struct buf b = { 0 };
	int blank = 0;

	buf_add(&b, in->kind != DF_OTHER ? dockerfile_kind_names[in->kind] : in->keyword,
	        strlen(in->kind != DF_OTHER ? dockerfile_kind_names[in->kind] : in->keyword));
	blank = 1;
	for (size_t k = 0; k < in->text_len; k++) {
		char c = in->text[k];
		if (isspace((unsigned char)c)) {
			blank = 1;
			continue;
		}
		if (blank)
			buf_addc(&b, ' ');
		blank = 0;
		buf_addc(&b, c);
	}
	return buf_take(&b);
}
