/* shellcmd: a shell command cut at its top-level `&&`, `;` and newlines;
 * see shellcmd.h. Not a shell: it reads quotes, backslashes, $NAME and
 * the operators, and marks whatever it does not follow as complex. */
#include "analysis/shellcmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct word {
	char *s;
	size_t len, cap;
	int used;
};

static void
word_add(struct word *w, char c)
{
	if (w->len + 2 > w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->s = xrealloc(w->s, w->cap);
	}
	w->s[w->len++] = c;
	w->s[w->len] = '\0';
	w->used = 1;
}

/* A quoted character, escaped when fnmatch would read it as a pattern. */
static void
word_quoted(struct word *w, char c)
{
	if (c == '*' || c == '?' || c == '[' || c == '\\')
		word_add(w, '\\');
	word_add(w, c);
}

struct cut {
	struct sh_cmd *c;
	struct sh_piece *p;	/* the piece being read, or NULL */
	size_t cwords;
	struct word w;
	size_t wbegin;		/* where the word being read began */
	sh_lookup_fn *lookup;
	void *ctx;
};

static void
cut_word_end(struct cut *k, size_t at)
{
	if (!k->w.used || k->p == NULL)
		return;
	size_t cap = k->cwords;
	ARRAY_RESERVE(k->p->words, k->p->nwords, k->cwords);
	if (cap != k->cwords) {
		k->p->wstart = xreallocarray(k->p->wstart, k->cwords, sizeof *k->p->wstart);
		k->p->wend = xreallocarray(k->p->wend, k->cwords, sizeof *k->p->wend);
	}
	k->p->wstart[k->p->nwords] = k->wbegin;
	k->p->wend[k->p->nwords] = at;
	k->p->words[k->p->nwords++] = k->w.s != NULL ? k->w.s : xstrdup("");
	memset(&k->w, 0, sizeof k->w);
}

static void
cut_piece_start(struct cut *k, size_t at)
{
	if (k->p != NULL)
		return;
	ARRAY_RESERVE(k->c->pieces, k->c->count, k->c->cap);
	k->p = &k->c->pieces[k->c->count++];
	memset(k->p, 0, sizeof *k->p);
	k->p->start = at;
	k->cwords = 0;
}

static void
cut_piece_end(struct cut *k, const char *s, size_t at)
{
	cut_word_end(k, at);
	if (k->p == NULL)
		return;
	while (at > k->p->start && isspace((unsigned char)s[at - 1]))
		at--;
	k->p->end = at;
	k->p = NULL;
}

/* $NAME or ${NAME} at s[i] (s[i] == '$'); returns the bytes taken, 0
 * when it is something this does not follow ($(...), ${N:-x}, $1...). */
static size_t
cut_dollar(struct cut *k, const char *s, size_t len, size_t i, int quoted)
{
	size_t n = i + 1, b = 0;
	const char *v;

	if (n < len && s[n] == '{')
		b = 1;
	n += b;
	size_t name = n;
	while (n < len && (s[n] == '_' || isalpha((unsigned char)s[n]) ||
	                   (n > name && isdigit((unsigned char)s[n]))))
		n++;
	if (n == name) {
		if (n >= len || isspace((unsigned char)s[n]) || s[n] == '"') {
			word_add(&k->w, '$');	/* a lone $ */
			return 1;
		}
		return 0;
	}
	if (b && (n >= len || s[n] != '}'))
		return 0;
	v = k->lookup != NULL ? k->lookup(k->ctx, s + name, n - name) : NULL;
	if (v == NULL)
		k->p->flags |= SH_UNKNOWN;
	for (; v != NULL && *v; v++) {
		if (quoted)
			word_quoted(&k->w, *v);
		else
			word_add(&k->w, *v);
	}
	k->w.used = 1;
	return n + b - i;
}

static int
cut_reserved(const char *w)
{
	static const char *const words[] = { "if", "then", "elif", "else", "fi", "for",
		"while", "until", "do", "done", "case", "esac", "{", "}", "!", "function",
		"select", "[[", "]]" };

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

/* '...': every byte up to the closing quote, as it is. */
static size_t
shellcmd_single_quoted(struct cut *k, const char *s, size_t len, size_t i)
{
	const char *q = memchr(s + i + 1, '\'', len - i - 1);
	size_t e = q != NULL ? (size_t)(q - s) : len;

	for (size_t j = i + 1; j < e; j++)
		word_quoted(&k->w, s[j]);
	k->w.used = 1;
	return e + 1;
}

/* "...": backslashes before " \ $ ` and newline, and $NAME; a backquote
 * (or a $ it does not follow) makes the command complex. */
static size_t
shellcmd_double_quoted(struct cut *k, const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	k->w.used = 1;
	while (j < len && s[j] != '"' && !k->c->complex) {
		if (s[j] == '\\' && j + 1 < len && strchr("\"\\$`\n", s[j + 1])) {
			if (s[j + 1] != '\n')
				word_quoted(&k->w, s[j + 1]);
			j += 2;
		} else if (s[j] == '`') {
			k->c->complex = 1;
		} else if (s[j] == '$') {
			size_t n = cut_dollar(k, s, len, j, 1);
			if (n == 0)
				k->c->complex = 1;
			j += n;
		} else {
			word_quoted(&k->w, s[j++]);
		}
	}
	return j + 1;
}

/* `|`, `||`, a lone `&`, `<` and `>`: they end a word and mark the piece. */
static size_t
shellcmd_operator(struct cut *k, const char *s, size_t len, size_t i)
{
	char c = s[i];

	if (c == '|') {
		cut_word_end(k, i);
		if (i + 1 < len && s[i + 1] == '|') {
			if (!(k->p->flags & SH_OR))
				k->p->or_at = k->p->nwords;
			k->p->flags |= SH_OR;
			return i + 2;
		}
		k->p->flags |= SH_PIPE;
		return i + 1;
	}
	if (c == '&') {
		k->p->flags |= SH_BACKGROUND;
		cut_word_end(k, i);
		return i + 1;
	}
	if (c == '<' && i + 1 < len && s[i + 1] == '<')
		k->c->complex = 1;	/* a heredoc of the shell's */
	k->p->flags |= SH_REDIRECT;
	cut_word_end(k, i);
	return i + 1;
}

/* A piece's first word at s[i]: a reserved word opens a compound command. */
static void
shellcmd_reserved_start(struct cut *k, const char *s, size_t len, size_t i)
{
	size_t e = i;

	while (e < len && !isspace((unsigned char)s[e]) && !strchr(";&|", s[e]))
		e++;
	char *w = xstrndup(s + i, e - i);
	if (cut_reserved(w))
		k->c->complex = 1;
	free(w);
}

/* s[i] inside a piece, neither a blank nor a separator; returns where the
 * next character to read is (i itself once the command is complex). */
static size_t
shellcmd_word_char(struct cut *k, const char *s, size_t len, size_t i)
{
	char c = s[i];
	size_t n;

	switch (c) {
	case '\'':
		return shellcmd_single_quoted(k, s, len, i);
	case '"':
		return shellcmd_double_quoted(k, s, len, i);
	case '\\':
		if (i + 1 < len && s[i + 1] != '\n')
			word_quoted(&k->w, s[i + 1]);
		return i + 2;
	case '$':
		n = cut_dollar(k, s, len, i, 0);
		if (n == 0)
			k->c->complex = 1;
		return i + n;
	case '`':
	case '(':
	case ')':
		k->c->complex = 1;
		return i;
	case '|':
	case '&':
	case '<':
	case '>':
		return shellcmd_operator(k, s, len, i);
	}
	if (!k->w.used && k->p->nwords == 0 && c != '=')
		shellcmd_reserved_start(k, s, len, i);
	word_add(&k->w, c);
	return i + 1;
}

/* The end: a trailing ';' joins what is appended with a blank, a trailing
 * '&' leaves nothing to append to. */
static void
shellcmd_ending(struct sh_cmd *out, const char *s, size_t len)
{
	size_t e = len;

	while (e > 0 && isspace((unsigned char)s[e - 1]))
		e--;
	if (e > 0 && s[e - 1] == ';')
		out->append = " ";
	else if (e > 0 && s[e - 1] == '&')
		out->complex = 1;	/* "a &" or "a &&" at the end */
}

/* Drops the empty pieces (";;"); a piece that starts with a reserved word
 * makes the command complex. */
static void
shellcmd_drop_empty(struct sh_cmd *out)
{
	size_t n = 0;

	for (size_t p = 0; p < out->count; p++) {
		if (out->pieces[p].nwords == 0 && out->pieces[p].end <= out->pieces[p].start) {
			free(out->pieces[p].words);
			free(out->pieces[p].wstart);
			free(out->pieces[p].wend);
			continue;
		}
		out->pieces[n++] = out->pieces[p];
	}
	out->count = n;
	for (size_t p = 0; p < out->count; p++)
		if (out->pieces[p].nwords > 0 && cut_reserved(out->pieces[p].words[0]))
			out->complex = 1;
}

void
shellcmd_split(const char *s, size_t len, sh_lookup_fn *lookup, void *ctx, struct sh_cmd *out)
{
	struct cut k = { .c = out, .lookup = lookup, .ctx = ctx };
	size_t i = 0;

	memset(out, 0, sizeof *out);
	out->append = " && ";
	while (i < len && !out->complex) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			cut_word_end(&k, i);
			i++;
			continue;
		}
		if (c == '\n' || c == ';' || (c == '&' && i + 1 < len && s[i + 1] == '&')) {
			cut_piece_end(&k, s, i);
			i += c == '&' ? 2 : 1;
			continue;
		}
		if (c == '#' && !k.w.used) {
			out->comment = 1;
			cut_piece_end(&k, s, i);
			break;
		}
		cut_piece_start(&k, i);
		if (!k.w.used)
			k.wbegin = i;
		i = shellcmd_word_char(&k, s, len, i);
	}
	cut_piece_end(&k, s, i < len ? i : len);
	shellcmd_ending(out, s, len);
	shellcmd_drop_empty(out);
}

void
shellcmd_free(struct sh_cmd *c)
{
	for (size_t p = 0; p < c->count; p++) {
		for (size_t w = 0; w < c->pieces[p].nwords; w++)
			free(c->pieces[p].words[w]);
		free(c->pieces[p].words);
		free(c->pieces[p].wstart);
		free(c->pieces[p].wend);
	}
	free(c->pieces);
	memset(c, 0, sizeof *c);
}

const char *
shellcmd_program(const struct sh_piece *p, size_t *at)
{
	size_t w = 0;

	for (;;) {
		while (w < p->nwords && strchr(p->words[w], '=') != NULL &&
		       p->words[w][0] != '-' && p->words[w][0] != '=')
			w++;	/* VAR=value */
		if (w < p->nwords && (strcmp(p->words[w], "sudo") == 0 ||
		                      strcmp(p->words[w], "env") == 0 ||
		                      strcmp(p->words[w], "exec") == 0)) {
			w++;
			while (w < p->nwords && p->words[w][0] == '-')
				w++;
			continue;
		}
		break;
	}
	if (w >= p->nwords)
		return NULL;
	if (at != NULL)
		*at = w;
	return p->words[w];
}
