/* fixplan: the advice turned into edits of the Dockerfile; see fixplan.h.
 *
 * Each finding is planned from the layers it names, mapped to their lines
 * (histmap.c): a cleanup command of the RUN that deleted the files moves
 * into the RUN that made them; a package manager's cache left by a RUN
 * gets the manager's flag or cleanup in that RUN; a RUN chmod/chown of
 * what a COPY brought becomes COPY --chmod/--chown (or moves into the RUN
 * that made the files); build-context files become .dockerignore lines.
 * An edit is made only when the model and the file show it changes
 * nothing else: what the moved command removes or changes was all written
 * at or before the line it moves to, no instruction between makes those
 * paths, no RUN between names them or their package manager, variables,
 * WORKDIR and USER are the same at both lines, both are in the image's
 * stage. Everything else is advice, with its line and its bytes. */
#include "analysis/fixplan.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/shellcmd.h"
#include "image/stack.h"
#include "util/xalloc.h"

#define FIX_NAME(id, name, edits) [id] = name,
const char *const fix_kind_names[FIX_KINDS] = { FIX_LIST(FIX_NAME) };
#undef FIX_NAME
#define FIX_EDITS(id, name, edits) [id] = edits,
const int fix_kind_edits[FIX_KINDS] = { FIX_LIST(FIX_EDITS) };
#undef FIX_EDITS

/* A glob of paths a command removes or changes; rec: what is below a
 * match too. */
struct pat {
	char *glob;
	int rec;
};

/* What is being done to one instruction. */
struct pinstr {
	int cut;		/* sh is read */
	int ok;			/* sh can be edited: a plain list */
	int appendable;		/* commands may be added at its end */
	int heredoc;		/* sh is its lone heredoc's body */
	struct sh_cmd sh;
	uint8_t *gone;		/* per piece: it goes */
	char **add;		/* owned: commands added at the end */
	size_t nadd, cadd;
	struct fix_edit *ins;	/* owned: insertions (flags) */
	size_t nins, cins;
};

struct planner {
	const struct image *img;
	const struct advice *a;
	const struct dockerfile *df;
	const struct histmap *m;
	struct fix_plan *p;
	uint8_t *inchain;	/* per instruction: in the image's stages */
	struct pinstr *pi;	/* per instruction */
	char **ignored;		/* owned: the lines of .dockerignore */
	size_t nignored;
	char *path;		/* a path being built (tree_path) */
	size_t pathcap;
};

static const char *
fp_path(struct planner *pl, uint32_t node)
{
	tree_path(&pl->img->tree, node, &pl->path, &pl->pathcap);
	return pl->path;
}

static unsigned
fp_line(const struct planner *pl, size_t i)
{
	return pl->df->instrs[i].line;
}

/* --- items ------------------------------------------------------------ */

static size_t
fp_item(struct planner *pl, enum fix_kind kind, size_t finding, size_t instr, const char *fmt,
        ...) __attribute__((format(printf, 5, 6)));

static size_t
fp_item(struct planner *pl, enum fix_kind kind, size_t finding, size_t instr, const char *fmt, ...)
{
	struct fix_plan *p = pl->p;
	va_list ap;
	char *what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	ARRAY_RESERVE(p->items, p->count, p->cap);
	struct fix_item *it = &p->items[p->count];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->finding = finding;
	it->instr = instr;
	it->from = SIZE_MAX;
	it->what = what;
	it->seq = p->count;
	return p->count++;
}

static void
fp_item_path(struct planner *pl, size_t item, const char *path, uint64_t bytes)
{
	struct fix_item *it = &pl->p->items[item];

	ARRAY_RESERVE(it->paths, it->npaths, it->cpaths);
	it->paths[it->npaths++] = (struct fix_path){ xstrdup(path), bytes };
	it->bytes += bytes;
}

static void
fp_item_under(struct planner *pl, size_t item, const char *dir, size_t len)
{
	struct fix_item *it = &pl->p->items[item];

	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (size_t k = 0; k < it->nunder; k++)
		if (strlen(it->under[k]) == len && strncmp(it->under[k], dir, len) == 0)
			return;
	ARRAY_RESERVE(it->under, it->nunder, it->cunder);
	it->under[it->nunder++] = xstrndup(dir, len);
}

/* Finding f's paths joined item (another finding's). */
static void
fp_item_also(struct planner *pl, size_t item, size_t f)
{
	struct fix_item *it = &pl->p->items[item];

	if (f == SIZE_MAX || it->finding == f)
		return;
	for (size_t k = 0; k < it->nalso; k++)
		if (it->also[k] == f)
			return;
	it->also = xreallocarray(it->also, it->nalso + 1, sizeof *it->also);
	it->also[it->nalso++] = f;
}

/* The layer of node's version at the top. */
static size_t
fp_top_layer(const struct image *img, uint32_t node)
{
	uint32_t v = stack_at(img, node, img->nlayers - 1);
	return v != TREE_NONE ? img->versions[v].layer : SIZE_MAX;
}

/* An advice item for finding fi at instruction i, with the paths of the
 * finding that layer wrote (layer SIZE_MAX: all of them). */
static size_t
fp_advice(struct planner *pl, size_t fi, size_t i, size_t layer, const char *what)
{
	const struct advice_finding *f = &pl->a->items[fi];
	size_t it = fp_item(pl, FIX_ADVICE, fi, i, "%s", what);
	int top = f->id != ADVICE_DELETED_LATER && f->id != ADVICE_METADATA_ONLY;

	for (size_t k = 0; k < f->npaths; k++)
		if (layer == SIZE_MAX || !top || fp_top_layer(pl->img, f->paths[k].node) == layer)
			fp_item_path(pl, it, fp_path(pl, f->paths[k].node), f->paths[k].bytes);
	return it;
}

/* --- the file's instructions ----------------------------------------- */

/* Gives $NAME at instruction *ctx (a size_t) of the planner's file. */
struct at {
	const struct dockerfile *df;
	size_t i;
};

static const char *
fp_lookup(void *ctx, const char *name, size_t len)
{
	const struct at *a = ctx;
	return dockerfile_lookup(a->df, a->i, name, len);
}

/* Cuts RUN i's command once; returns its state. */
static struct pinstr *
fp_cut(struct planner *pl, size_t i)
{
	struct pinstr *pi = &pl->pi[i];
	const struct df_instr *in = &pl->df->instrs[i];
	struct at at = { pl->df, i };

	if (pi->cut)
		return pi;
	pi->cut = 1;
	if (in->kind != DF_RUN || in->json)
		return pi;
	/* a lone heredoc as the whole command: its body is the script */
	const char *t = in->text + in->cmd;
	size_t tl = in->text_len - in->cmd;
	while (tl > 0 && isspace((unsigned char)t[tl - 1]))
		tl--;
	if (in->nheredocs == 1) {
		const struct df_heredoc *hd = &in->heredocs[0];
		size_t nl = strlen(hd->name);
		int lone = tl >= nl + 2 && t[0] == '<' && t[1] == '<' &&
		           memchr(t, ' ', tl) == NULL && strncmp(hd->body, "#!", 2) != 0;
		if (!lone || hd->chomp)
			return pi;
		pi->heredoc = 1;
		shellcmd_split(hd->body, strlen(hd->body), fp_lookup, &at, &pi->sh);
	} else if (in->nheredocs > 1) {
		return pi;
	} else {
		shellcmd_split(t, in->text_len - in->cmd, fp_lookup, &at, &pi->sh);
	}
	pi->gone = xcalloc(pi->sh.count + 1, 1);
	pi->ok = !pi->sh.complex && !pi->sh.comment;
	pi->appendable = !pi->sh.comment && (pi->heredoc || !pi->sh.complex ||
	                                     strcmp(pi->sh.append, " && ") == 0);
	return pi;
}

/* The instructions of the image's stages (the chain histmap chose). */
static void
fp_chain(struct planner *pl)
{
	const struct dockerfile *df = pl->df;

	pl->inchain = xcalloc(df->count + 1, 1);
	for (size_t s = pl->m->stage, d = 0; s != HISTMAP_NONE && s != SIZE_MAX &&
	                                      d < DOCKERFILE_MAX_STAGES;
	     s = df->stages[s].parent, d++)
		for (size_t i = df->stages[s].first; i < df->stages[s].end; i++)
			pl->inchain[i] = 1;
}

/* Whether another stage, outside the image's, is built on stage s (an
 * edit there changes it too). */
static int
fp_stage_shared(const struct planner *pl, size_t s)
{
	const struct dockerfile *df = pl->df;

	for (size_t t = 0; t < df->nstages; t++) {
		if (pl->inchain[df->stages[t].first])
			continue;
		for (size_t u = df->stages[t].parent, d = 0; u != SIZE_MAX && d < DOCKERFILE_MAX_STAGES;
		     u = df->stages[u].parent, d++)
			if (u == s)
				return 1;
	}
	return 0;
}

/* Whether text holds word as a word of its own. */
static int
fp_has_word(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t k = 0; k + n <= len; k++) {
		if (memcmp(text + k, word, n) != 0)
			continue;
		int before = k == 0 || !(isalnum((unsigned char)text[k - 1]) || text[k - 1] == '_' ||
		                         text[k - 1] == '-' || text[k - 1] == '.');
		int after = k + n == len || !(isalnum((unsigned char)text[k + n]) ||
		                              text[k + n] == '_' || text[k + n] == '-');
		if (before && after)
			return 1;
	}
	return 0;
}

static int
fp_has(const struct df_instr *in, const char *s)
{
	if (memmem(in->text, in->text_len, s, strlen(s)) != NULL)
		return 1;
	for (size_t h = 0; h < in->nheredocs; h++)
		if (strstr(in->heredocs[h].body, s) != NULL)
			return 1;
	return 0;
}

/* --- what a command removes or changes -------------------------------- */

static void
fp_pats_free(struct pat *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(p[k].glob);
	free(p);
}

static void
fp_pat_add(struct pat **p, size_t *n, const char *glob, int rec)
{
	*p = xreallocarray(*p, *n + 1, sizeof **p);
	(*p)[(*n)++] = (struct pat){ xstrdup(glob), rec };
}

/* An operand as an absolute glob (relative: to the RUN's WORKDIR). */
static char *
fp_absolute(const struct df_instr *in, const char *w)
{
	return dockerfile_path(in->workdir, w);
}

/* The package managers' cleanups: program, its words, what it removes. */
static const struct {
	const char *prog, *sub, *arg;	/* arg: a word that must follow, or NULL */
	const char *globs[3];
} fp_cleans[] = {
	{ "apt-get", "clean", NULL, { "/var/cache/apt/archives/*", "/var/cache/apt/*.bin" } },
	{ "apt", "clean", NULL, { "/var/cache/apt/archives/*", "/var/cache/apt/*.bin" } },
	{ "apt-get", "autoclean", NULL, { "/var/cache/apt/archives/*" } },
	{ "apk", "cache", "clean", { "/var/cache/apk/*", "/etc/apk/cache/*" } },
	{ "dnf", "clean", "all", { "/var/cache/dnf/*" } },
	{ "yum", "clean", "all", { "/var/cache/yum/*" } },
	{ "pip", "cache", "purge", { "/root/.cache/pip/*", "/home/*/.cache/pip/*" } },
	{ "pip3", "cache", "purge", { "/root/.cache/pip/*", "/home/*/.cache/pip/*" } },
	{ "npm", "cache", "clean", { "/root/.npm/_cacache/*", "/home/*/.npm/_cacache/*" } },
	{ "yarn", "cache", "clean", { "/usr/local/share/.cache/yarn/*", "/root/.cache/yarn/*",
	                              "/home/*/.cache/yarn/*" } },
	{ "go", "clean", "-cache", { "/root/.cache/go-build/*", "/home/*/.cache/go-build/*" } },
	{ "composer", "clear-cache", NULL, { "/root/.composer/cache/*", "/root/.cache/composer/*" } },
};

/* What piece p of RUN i removes, as globs; 0 when it is no cleanup that
 * fathom moves: rm with plain operands (`|| true` allowed), a package
 * manager's clean. *forced: rm -f. */
static size_t
fp_cleanup(const struct df_instr *in, const struct sh_piece *p, struct pat **out, int *forced)
{
	size_t at, end = p->flags & SH_OR ? p->or_at : p->nwords, n = 0;
	const char *prog = shellcmd_program(p, &at);

	*out = NULL;
	*forced = 0;
	if (prog == NULL || (p->flags & (SH_PIPE | SH_BACKGROUND | SH_UNKNOWN)))
		return 0;
	if ((p->flags & SH_OR) && (p->nwords != p->or_at + 1 || (strcmp(p->words[p->or_at], "true") != 0 &&
	                                                         strcmp(p->words[p->or_at], ":") != 0)))
		return 0;
	if (strcmp(prog, "rm") == 0) {
		int rec = 0, opts = 1;
		for (size_t w = at + 1; w < end; w++) {
			const char *x = p->words[w];
			if (opts && strcmp(x, "--") == 0) {
				opts = 0;
			} else if (opts && x[0] == '-' && x[1] != '\0') {
				if (strcmp(x, "--recursive") == 0)
					rec = 1;
				else if (strcmp(x, "--force") == 0)
					*forced = 1;
				else if (x[1] == '-' || strspn(x + 1, "rRfvdI") != strlen(x + 1)) {
					fp_pats_free(*out, n);	/* an option not followed */
					*out = NULL;
					return 0;
				} else {
					rec |= strpbrk(x + 1, "rR") != NULL;
					*forced |= strchr(x + 1, 'f') != NULL;
				}
			} else {
				char *g = fp_absolute(in, x);
				fp_pat_add(out, &n, g, rec);
				free(g);
			}
		}
		for (size_t k = 0; k < n; k++)
			(*out)[k].rec = rec;	/* -r after the operands counts too */
		return n;
	}
	/* a redirection ("apt-get clean > /dev/null") moves with it */
	for (size_t c = 0; c < sizeof fp_cleans / sizeof *fp_cleans; c++) {
		if (strcmp(prog, fp_cleans[c].prog) != 0 || at + 1 >= end ||
		    strcmp(p->words[at + 1], fp_cleans[c].sub) != 0)
			continue;
		if (fp_cleans[c].arg != NULL) {
			int has = 0;
			for (size_t w = at + 2; w < end; w++)
				has |= strcmp(p->words[w], fp_cleans[c].arg) == 0;
			if (!has)
				continue;
		}
		for (size_t g = 0; g < 3 && fp_cleans[c].globs[g] != NULL; g++)
			fp_pat_add(out, &n, fp_cleans[c].globs[g], 1);
		*forced = 1;
		return n;
	}
	return 0;
}

/* chmod, chown, chgrp: their operands as globs, recursive with -R; 0 when
 * it is not one of them (or an option not followed). */
static size_t
fp_chmod(const struct df_instr *in, const struct sh_piece *p, struct pat **out)
{
	size_t at, n = 0;
	const char *prog = shellcmd_program(p, &at);
	int rec = 0, opts = 1, arg = 1;

	*out = NULL;
	if (prog == NULL || (p->flags & (SH_PIPE | SH_BACKGROUND | SH_UNKNOWN | SH_OR | SH_REDIRECT)))
		return 0;
	if (strcmp(prog, "chmod") != 0 && strcmp(prog, "chown") != 0 && strcmp(prog, "chgrp") != 0)
		return 0;
	for (size_t w = at + 1; w < p->nwords; w++) {
		const char *x = p->words[w];
		if (opts && strcmp(x, "--") == 0) {
			opts = 0;
		} else if (opts && x[0] == '-' && x[1] != '\0' && strspn(x + 1, "Rvfch") == strlen(x + 1)) {
			rec |= strchr(x + 1, 'R') != NULL;
		} else if (opts && strcmp(x, "--recursive") == 0) {
			rec = 1;
		} else if (opts && x[0] == '-' && x[1] == '-') {
			fp_pats_free(*out, n);
			*out = NULL;
			return 0;
		} else if (arg) {
			arg = 0;	/* the mode or the owner */
		} else {
			char *g = fp_absolute(in, x);
			fp_pat_add(out, &n, g, 1);
			free(g);
		}
	}
	for (size_t k = 0; k < n; k++)
		(*out)[k].rec = rec;
	return n;
}

/* Whether path (absolute) is one a glob removes: the match itself, or
 * below it when recursive. */
static int
fp_covers(const struct pat *p, size_t n, const char *path)
{
	char *buf = xstrdup(path);
	int hit = 0;

	for (size_t k = 0; k < n && !hit; k++) {
		char *e = buf + strlen(buf);
		for (;;) {
			if (fnmatch(p[k].glob, buf, FNM_PATHNAME | FNM_PERIOD) == 0) {
				hit = 1;
				break;
			}
			if (!p[k].rec)
				break;
			char *slash = strrchr(buf, '/');
			if (slash == NULL || slash == buf)
				break;
			*slash = '\0';
			e = slash;
		}
		(void)e;
		strcpy(buf, path);
	}
	free(buf);
	return hit;
}

/* The fixed start of a glob, to its last '/' before a wildcard. */
static char *
fp_glob_dir(const char *g)
{
	size_t n = strcspn(g, "*?[\\");
	char *s = xstrndup(g, n);
	if (g[n] != '\0') {
		char *slash = strrchr(s, '/');
		if (slash != NULL)
			slash[1] = '\0';
	}
	return s;
}

/* The package manager whose files a path is, for the RUNs that name it. */
static const char *
fp_manager(const char *path)
{
	static const struct {
		const char *prefix, *word;
	} m[] = {
		{ "/var/lib/apt/", "apt" }, { "/var/cache/apt/", "apt" }, { "/var/cache/apk/", "apk" },
		{ "/etc/apk/", "apk" }, { "/var/cache/dnf/", "dnf" }, { "/var/cache/yum/", "yum" },
	};

	for (size_t k = 0; k < sizeof m / sizeof *m; k++)
		if (strncmp(path, m[k].prefix, strlen(m[k].prefix)) == 0)
			return m[k].word;
	if (strstr(path, "/.cache/pip/") != NULL)
		return "pip";
	if (strstr(path, "/.npm/") != NULL)
		return "npm";
	if (strstr(path, "/yarn/") != NULL)
		return "yarn";
	if (strstr(path, "/go-build/") != NULL)
		return "go";
	return NULL;
}

/* Whether a RUN names what the globs cover: their fixed directory, or
 * their package manager. */
static int
fp_run_names(const struct df_instr *in, const struct pat *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char *d = fp_glob_dir(p[k].glob);
		int hit = strlen(d) > 1 && fp_has(in, d);
		const char *mg = fp_manager(d);
		if (!hit && mg != NULL) {
			hit = fp_has_word(in->text, in->text_len, mg) ||
			      (strcmp(mg, "apt") == 0 && (fp_has(in, "apt-get") || fp_has(in, "apt-cache")));
			for (size_t h = 0; h < in->nheredocs && !hit; h++)
				hit = fp_has_word(in->heredocs[h].body, strlen(in->heredocs[h].body), mg);
		}
		free(d);
		if (hit)
			return 1;
	}
	return 0;
}

/* Why a command that names $VARIABLES (raw) cannot move from line b to
 * line a: a variable differs between them; NULL when none does. */
static const char *
fp_why_not_vars(const struct dockerfile *df, size_t a, size_t b, const char *raw, char *buf,
                size_t size)
{
	for (const char *d = strchr(raw, '$'); d != NULL; d = strchr(d + 1, '$')) {
		const char *nm = d + 1 + (d[1] == '{');
		size_t len = 0;
		while (nm[len] == '_' || isalnum((unsigned char)nm[len]))
			len++;
		const char *va = dockerfile_lookup(df, a, nm, len);
		const char *vb = dockerfile_lookup(df, b, nm, len);
		if (va != vb && (va == NULL || vb == NULL || strcmp(va, vb) != 0)) {
			snprintf(buf, size, "$%.*s differs between lines %u and %u", (int)len, nm,
			         df->instrs[a].line, df->instrs[b].line);
			return buf;
		}
	}
	return NULL;
}

/* Why the model forbids moving a command (globs p) from RUN b to RUN a:
 * what it touches in b's layer was not all there at a, or a layer
 * between writes it; NULL when nothing does. */
static const char *
fp_why_not_written(struct planner *pl, size_t a, size_t b, const struct pat *p, size_t n,
                   char *buf, size_t size)
{
	size_t la = pl->m->made[a], lb = pl->m->made[b];
	const struct image *img = pl->img;

	if (la == HISTMAP_NONE || lb == HISTMAP_NONE)
		return NULL;	/* a layer without bytes: nothing to check */
	for (size_t v = img->layers[lb].vfirst; v < img->layers[lb].vend; v++) {
		const struct version *x = &img->versions[v];
		if (x->flags & VERSION_IMPLICIT)
			continue;
		const char *path = fp_path(pl, x->node);
		if (!fp_covers(p, n, path))
			continue;
		if (x->next == TREE_NONE || img->versions[x->next].layer > la) {
			snprintf(buf, size, "line %u also touches %s, which line %u did not make",
			         fp_line(pl, b), path, fp_line(pl, a));
			return buf;
		}
	}
	for (size_t l = la + 1; l < lb; l++)
		for (size_t v = img->layers[l].vfirst; v < img->layers[l].vend; v++)
			if (fp_covers(p, n, fp_path(pl, img->versions[v].node))) {
				snprintf(buf, size, "layer %zu between writes %s", l, pl->path);
				return buf;
			}
	return NULL;
}

/* Why a command of RUN b cannot move into RUN a (a < b, both in the
 * image's stages), as a phrase; NULL when it can. raw: its text. */
static const char *
fp_why_not_move(struct planner *pl, size_t a, size_t b, const struct pat *p, size_t n,
                const char *raw, char *buf, size_t size)
{
	const struct dockerfile *df = pl->df;
	const struct df_instr *ia = &df->instrs[a], *ib = &df->instrs[b];

	if (ia->kind != DF_RUN || ia->json) {
		snprintf(buf, size, "line %u is no shell-form RUN", ia->line);
		return buf;
	}
	struct pinstr *pa = fp_cut(pl, a);
	if (!pa->appendable) {
		snprintf(buf, size, "line %u's RUN %s", ia->line,
		         pa->sh.comment ? "ends in a shell comment" : "is not a plain command list");
		return buf;
	}
	if (ia->stage != ib->stage) {
		snprintf(buf, size, "lines %u and %u are in different stages", ia->line, ib->line);
		return buf;
	}
	if (fp_stage_shared(pl, ia->stage)) {
		snprintf(buf, size, "another stage is built on line %u's", ia->line);
		return buf;
	}
	if (strcmp(ia->workdir, ib->workdir) != 0) {
		snprintf(buf, size, "WORKDIR changes between lines %u and %u", ia->line, ib->line);
		return buf;
	}
	for (size_t i = a + 1; i < b; i++) {
		const struct df_instr *in = &df->instrs[i];
		if (in->kind == DF_USER || in->kind == DF_SHELL) {
			snprintf(buf, size, "%s changes at line %u", dockerfile_kind_names[in->kind],
			         in->line);
			return buf;
		}
		if (in->kind == DF_RUN && fp_run_names(in, p, n)) {
			snprintf(buf, size, "the RUN at line %u between may use them: merge lines "
			         "%u-%u into one RUN", in->line, ia->line, ib->line);
			return buf;
		}
	}
	const char *no = fp_why_not_vars(df, a, b, raw, buf, size);
	return no != NULL ? no : fp_why_not_written(pl, a, b, p, n, buf, size);
}

/* Why a command (piece k of RUN b) that removes globs p cannot leave b:
 * a command before it in b names what it removes ("cp /tmp/x /opt &&
 * rm /tmp/x"); NULL when none does. */
static const char *
fp_used_before(struct planner *pl, size_t b, size_t k, const struct pat *p, size_t n, char *buf,
               size_t size)
{
	const struct pinstr *pi = &pl->pi[b];
	const struct df_instr *in = &pl->df->instrs[b];
	const char *base = pi->heredoc ? in->heredocs[0].body : in->text + in->cmd;

	for (size_t j = 0; j < k; j++) {
		const struct sh_piece *q = &pi->sh.pieces[j];
		for (size_t g = 0; g < n; g++) {
			char *d = fp_glob_dir(p[g].glob);
			const char *name = strrchr(d, '/') != NULL && strrchr(d, '/')[1] != '\0' ?
			                   strrchr(d, '/') + 1 : d;
			int hit = strlen(name) > 1 && memmem(base + q->start, q->end - q->start, name,
			                                     strlen(name)) != NULL;
			free(d);
			if (hit) {
				snprintf(buf, size, "line %u uses them before it deletes them", in->line);
				return buf;
			}
		}
	}
	return NULL;
}

/* The text of piece k of instruction i's command (owned). */
static char *
fp_piece_text(struct planner *pl, size_t i, size_t k)
{
	const struct df_instr *in = &pl->df->instrs[i];
	const struct pinstr *pi = &pl->pi[i];
	const struct sh_piece *p = &pi->sh.pieces[k];
	const char *base = pi->heredoc ? in->heredocs[0].body : in->text + in->cmd;

	return xstrndup(base + p->start, p->end - p->start);
}

static void
fp_add_command(struct planner *pl, size_t i, const char *cmd)
{
	struct pinstr *pi = &pl->pi[i];

	for (size_t k = 0; k < pi->nadd; k++)
		if (strcmp(pi->add[k], cmd) == 0)
			return;
	ARRAY_RESERVE(pi->add, pi->nadd, pi->cadd);
	pi->add[pi->nadd++] = xstrdup(cmd);
}

/* Whether every piece of RUN i goes. */
static int
fp_all_gone(const struct pinstr *pi)
{
	for (size_t k = 0; k < pi->sh.count; k++)
		if (!pi->gone[k])
			return 0;
	return pi->sh.count > 0;
}

/* --- deleted-later and metadata-only: a later RUN's command moves ---- */

/* A layer's line in words, for advice. */
static void
fp_layer_why(struct planner *pl, size_t layer, char *buf, size_t size)
{
	size_t i = histmap_layer(pl->m, layer);

	if (i == HISTMAP_BASE && pl->m->from != HISTMAP_NONE)
		snprintf(buf, size, "layer %zu is the base image's (FROM at line %u): a slimmer "
		         "base, not an edit here, saves its bytes", layer, fp_line(pl, pl->m->from));
	else if (i == HISTMAP_BASE)
		snprintf(buf, size, "layer %zu is the base image's", layer);
	else if (pl->m->stage == HISTMAP_NONE)
		snprintf(buf, size, "layer %zu matches no line of this Dockerfile (is it the one the "
		         "image was built from?)", layer);
	else
		snprintf(buf, size, "layer %zu has no line in this Dockerfile (its history was "
		         "squashed or rewritten)", layer);
}

/* The COPY or ADD i's source in the build context and its destination:
 * one local source; NULL otherwise. *dir: the source is a directory. */
static const char *
fp_copy_source(const struct planner *pl, size_t i, char **dest)
{
	const struct df_instr *in = &pl->df->instrs[i];

	*dest = NULL;
	if ((in->kind != DF_COPY && in->kind != DF_ADD) || in->nwords != 2 || in->nheredocs > 0 ||
	    in->unknown)
		return NULL;
	for (size_t f = 0; f < in->nflags; f++)
		if (strncmp(in->flags[f], "--from", 6) == 0)
			return NULL;
	const char *src = in->words[0];
	if (strstr(src, "://") != NULL || strpbrk(src, "*?[") != NULL || src[0] == '/' ||
	    strncmp(src, "..", 2) == 0)
		return NULL;
	char *d = fp_absolute(in, in->words[1]);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	*dest = d;
	return src;
}

/* The context path (owned) a COPY i of a directory put at path, or NULL. */
static char *
fp_context_path(const struct planner *pl, size_t i, const char *path)
{
	char *dest;
	const char *src = fp_copy_source(pl, i, &dest);
	char *out = NULL;

	if (src == NULL)
		return NULL;
	size_t n = strlen(dest);
	const char *rel = strcmp(dest, "/") == 0 ? path + 1 :
	                  strncmp(path, dest, n) == 0 && path[n] == '/' ? path + n + 1 : NULL;
	while (src[0] == '.' && src[1] == '/')
		src += 2;
	size_t sl = strlen(src);
	int dir = sl == 0 || src[sl - 1] == '/' || strcmp(src, ".") == 0;
	while (sl > 0 && src[sl - 1] == '/')
		sl--;
	const char *base = memrchr(src, '/', sl) ? (const char *)memrchr(src, '/', sl) + 1 : src;
	if (!dir && strcmp(path, dest) == 0)
		out = xstrndup(src, sl);	/* a file copied to a file's name */
	else if (!dir && rel != NULL && strlen(rel) == (size_t)(src + sl - base) &&
	         strncmp(rel, base, (size_t)(src + sl - base)) == 0)
		out = xstrndup(src, sl);	/* a file copied into a directory */
	else if (rel != NULL && *rel != '\0' && (sl == 0 || (sl == 1 && src[0] == '.')))
		out = xstrdup(rel);
	else if (rel != NULL && *rel != '\0')
		out = xasprintf("%.*s/%s", (int)sl, src, rel);
	free(dest);
	return out;
}

static char *fp_ignore_line(const char *kind, const char *rel);
static int fp_ignore_add(struct planner *pl, size_t fi, size_t copy, size_t skip,
                         const char *kind, const char *line, const char *image_dir,
                         uint64_t bytes, const char *path, size_t *item);

/* The paths of finding f (all from layer a) that piece k of RUN b's
 * globs cover; their bytes. */
static uint64_t
fp_covered(struct planner *pl, const struct advice_finding *f, const struct pat *p, size_t n,
           uint8_t *claimed)
{
	uint64_t bytes = 0;

	for (size_t k = 0; k < f->npaths; k++) {
		if (claimed[k] || !fp_covers(p, n, fp_path(pl, f->paths[k].node)))
			continue;
		claimed[k] = 1;
		bytes += f->paths[k].bytes;
	}
	return bytes;
}

/* The paths of finding fi that a chmod/chown of RUN b rewrote with no
 * change (claimed now, bytes of them): they join the edit of that chmod
 * (COPY --chmod, or the chmod moved), or are advice. */
static void
fp_deleted_chmod(struct planner *pl, size_t fi, size_t a, size_t b, const struct pat *p,
                 size_t n, const uint8_t *claimed, uint64_t bytes)
{
	const struct advice_finding *f = &pl->a->items[fi];
	size_t it = SIZE_MAX;

	if (bytes == 0)
		return;
	for (size_t k = 0; k < pl->p->count && it == SIZE_MAX; k++) {
		const struct fix_item *x = &pl->p->items[k];
		if ((x->kind == FIX_COPY_CHMOD || x->kind == FIX_FOLD_CHMOD) && x->instr == a &&
		    x->from == b)
			it = k;
	}
	if (it == SIZE_MAX)
		it = fp_item(pl, FIX_ADVICE, fi, b, "not edited: line %u rewrites them unchanged "
		             "(chmod/chown); set modes and owners where the files are made (line %u)",
		             fp_line(pl, b), fp_line(pl, a));
	fp_item_also(pl, it, fi);
	for (size_t q = 0; q < f->npaths; q++)
		if (claimed[q] && fp_covers(p, n, fp_path(pl, f->paths[q].node))) {
			int dup = 0;
			for (size_t x = 0; x < pl->p->items[it].npaths && !dup; x++)
				dup = strcmp(pl->p->items[it].paths[x].path, pl->path) == 0;
			if (!dup)
				fp_item_path(pl, it, pl->path, f->paths[q].bytes);
		}
}

/* Whether instruction i is a COPY or an ADD (its files from the context). */
static int
fp_is_copy(const struct planner *pl, size_t i)
{
	return pl->df->instrs[i].kind == DF_COPY || pl->df->instrs[i].kind == DF_ADD;
}

/* The paths of finding f that a command claims now (mine, not claimed
 * before) join item it. */
static void
fp_item_mine(struct planner *pl, size_t it, const struct advice_finding *f, const uint8_t *mine,
             const uint8_t *claimed)
{
	for (size_t q = 0; q < f->npaths; q++)
		if (mine[q] && !claimed[q])
			fp_item_path(pl, it, fp_path(pl, f->paths[q].node), f->paths[q].bytes);
}

/* The lines a (made them) and b (deleted them) of deleted-later finding
 * fi, b a RUN fathom can cut; -1 after an advice item saying why not. */
static int
fp_deleted_lines(struct planner *pl, size_t fi, size_t *ap, size_t *bp)
{
	const struct advice_finding *f = &pl->a->items[fi];
	char why[512];

	if (f->nlayers != 2) {
		fp_advice(pl, fi, histmap_layer(pl->m, f->layers[0]), SIZE_MAX,
		          "not edited: one layer writes these paths twice; write them once");
		return -1;
	}
	size_t a = histmap_layer(pl->m, f->layers[0]), b = histmap_layer(pl->m, f->layers[1]);
	if (a == HISTMAP_BASE || a == HISTMAP_NONE || b == HISTMAP_BASE || b == HISTMAP_NONE) {
		fp_layer_why(pl, a == HISTMAP_BASE || a == HISTMAP_NONE ? f->layers[0] : f->layers[1],
		             why, sizeof why);
		char *w = xasprintf("not edited: %s", why);
		fp_advice(pl, fi, a < HISTMAP_BASE ? a : b < HISTMAP_BASE ? b : SIZE_MAX, SIZE_MAX, w);
		free(w);
		return -1;
	}
	const struct df_instr *ib = &pl->df->instrs[b];
	struct pinstr *pb = fp_cut(pl, b);
	if (ib->kind != DF_RUN || !pb->ok) {
		char *w = xasprintf("not edited: line %u %s; delete them in the %s at line %u "
		                    "that makes them", ib->line,
		                    ib->kind != DF_RUN ? "replaces them" :
		                    "is not a plain command list fathom can cut",
		                    dockerfile_kind_names[pl->df->instrs[a].kind], fp_line(pl, a));
		fp_advice(pl, fi, a, SIZE_MAX, w);
		free(w);
		return -1;
	}
	*ap = a;
	*bp = b;
	return 0;
}

/* A cleanup of build-context files COPY a brought (globs p, paths mine
 * beyond claimed): their .dockerignore lines, else advice. */
static void
fp_deleted_context(struct planner *pl, size_t fi, size_t a, size_t b, const struct pat *p,
                   size_t n, int forced, const uint8_t *mine, const uint8_t *claimed)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const char *no = forced ? NULL : "the rm would fail without them (no -f)";

	for (size_t g = 0; g < n && no == NULL; g++) {
		char *ctx = fp_context_path(pl, a, p[g].glob);
		if (ctx == NULL) {
			no = "the COPY has no single local source";
			break;
		}
		size_t item;
		if (fp_ignore_add(pl, fi, a, b, "deleted later", ctx, p[g].glob, 0, NULL, &item) < 0)
			no = pl->p->items[item].what;	/* its reason */
		else
			for (size_t q = 0; q < f->npaths; q++)
				if (mine[q] && !claimed[q] &&
				    fp_covers(&p[g], 1, fp_path(pl, f->paths[q].node)))
					fp_item_path(pl, item, pl->path, f->paths[q].bytes);
		free(ctx);
	}
	if (no == NULL)
		return;
	char *w = xasprintf("not edited: %s; keep them out of the build context (.dockerignore)", no);
	size_t it = fp_item(pl, FIX_ADVICE, fi, a, "%s", w);
	free(w);
	fp_item_mine(pl, it, f, mine, claimed);
}

/* Cleanup raw (piece k of RUN b, globs p) moves into RUN a. */
static void
fp_deleted_move(struct planner *pl, size_t fi, size_t a, size_t b, size_t k, const struct pat *p,
                size_t n, const char *raw, const uint8_t *mine, const uint8_t *claimed)
{
	size_t it = fp_item(pl, FIX_MOVE_CLEANUP, fi, a, "`%s` moved from line %u into the RUN at "
	                    "line %u", raw, fp_line(pl, b), fp_line(pl, a));

	pl->p->items[it].from = b;
	fp_item_mine(pl, it, &pl->a->items[fi], mine, claimed);
	for (size_t g = 0; g < n; g++) {
		char *d = fp_glob_dir(p[g].glob);
		if (p[g].rec && strlen(d) > 1)
			fp_item_under(pl, it, d, strlen(d));
		free(d);
	}
	pl->pi[b].gone[k] = 1;
	fp_add_command(pl, a, raw);
}

/* Piece k of RUN b, a cleanup (globs p) of paths of finding fi that line
 * a made (mine, beyond claimed): kept out of the context when a COPY
 * brought them, else moved into RUN a, else advice. */
static void
fp_deleted_cleanup(struct planner *pl, size_t fi, size_t a, size_t b, size_t k,
                   const struct pat *p, size_t n, int forced, const uint8_t *mine,
                   const uint8_t *claimed)
{
	char *raw = fp_piece_text(pl, b, k);
	char why[512];
	const char *no;

	if (fp_is_copy(pl, a)) {
		/* files of the context deleted later: kept out of it */
		fp_deleted_context(pl, fi, a, b, p, n, forced, mine, claimed);
	} else if ((no = fp_used_before(pl, b, k, p, n, why, sizeof why)) != NULL ||
	           (no = fp_why_not_move(pl, a, b, p, n, raw, why, sizeof why)) != NULL) {
		size_t it = fp_item(pl, FIX_ADVICE, fi, b, "not edited: %s; delete them in the "
		                    "RUN at line %u that makes them (`%s`)", no, fp_line(pl, a), raw);
		fp_item_mine(pl, it, &pl->a->items[fi], mine, claimed);
	} else {
		fp_deleted_move(pl, fi, a, b, k, p, n, raw, mine, claimed);
	}
	free(raw);
}

/* Piece k of RUN b, for the paths of finding fi not claimed yet: a
 * chmod/chown's edit or a cleanup's; returns the bytes it claims. */
static uint64_t
fp_deleted_piece(struct planner *pl, size_t fi, size_t a, size_t b, size_t k, uint8_t *claimed)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const struct df_instr *ib = &pl->df->instrs[b];
	const struct sh_piece *piece = &pl->pi[b].sh.pieces[k];
	struct pat *p;
	int forced;
	size_t n = fp_chmod(ib, piece, &p);

	if (n > 0) {
		/* rewritten as they were by a chmod/chown: the same edit as the
		 * paths whose mode or owner it changed */
		uint64_t bytes = fp_covered(pl, f, p, n, claimed);
		fp_deleted_chmod(pl, fi, a, b, p, n, claimed, bytes);
		fp_pats_free(p, n);
		return bytes;
	}
	n = fp_cleanup(ib, piece, &p, &forced);
	if (n == 0)
		return 0;
	uint8_t *mine = xcalloc(f->npaths + 1, 1);
	memcpy(mine, claimed, f->npaths);
	uint64_t bytes = fp_covered(pl, f, p, n, mine);
	if (bytes > 0) {
		fp_deleted_cleanup(pl, fi, a, b, k, p, n, forced, mine, claimed);
		memcpy(claimed, mine, f->npaths);
	}
	free(mine);
	fp_pats_free(p, n);
	return bytes;
}

/* Build-context files of finding fi that COPY a brought and RUN b
 * replaces (node_modules before an install) or deletes: kept out of the
 * context. Returns the bytes still left. */
static uint64_t
fp_deleted_ignored(struct planner *pl, size_t fi, size_t a, size_t b, uint8_t *claimed,
                   uint64_t left)
{
	const struct advice_finding *f = &pl->a->items[fi];

	for (size_t q = 0; left > 0 && q < f->npaths; q++) {
		if (claimed[q])
			continue;
		char *path = xstrdup(fp_path(pl, f->paths[q].node));
		const char *kind = advice_build_context(path, strlen(path));
		if (kind == NULL && strstr(path, "/node_modules/") != NULL)
			kind = "node_modules";
		char *rel = kind != NULL ? fp_context_path(pl, a, path) : NULL;
		char *line = rel != NULL ? fp_ignore_line(kind, rel) : NULL;
		size_t item;
		if (line != NULL) {
			char *dir = strncmp(line, "**/", 3) != 0 ?
			            xasprintf("%.*s%s", (int)(strlen(path) - strlen(rel)), path, line) : NULL;
			fp_ignore_add(pl, fi, a, b, kind, line, dir, f->paths[q].bytes, path, &item);
			claimed[q] = 1;
			left -= f->paths[q].bytes < left ? f->paths[q].bytes : left;
			free(dir);
		}
		free(line);
		free(rel);
		free(path);
	}
	return left;
}

/* The paths of finding fi no edit claimed: advice at line b. */
static void
fp_deleted_rest(struct planner *pl, size_t fi, size_t a, size_t b, const uint8_t *claimed)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const char *kind = dockerfile_kind_names[pl->df->instrs[a].kind];
	char *w = fp_is_copy(pl, a) ?
	          xasprintf("not edited: line %u deletes or replaces them; if the build does not "
	                    "need them, keep them out of the build context (the %s at line %u)",
	                    fp_line(pl, b), kind, fp_line(pl, a)) :
	          xasprintf("not edited: line %u deletes or replaces them with a command fathom "
	                    "does not move; delete them in the %s at line %u that makes them",
	                    fp_line(pl, b), kind, fp_line(pl, a));
	size_t it = fp_item(pl, FIX_ADVICE, fi, b, "%s", w);

	free(w);
	for (size_t q = 0; q < f->npaths; q++)
		if (!claimed[q])
			fp_item_path(pl, it, fp_path(pl, f->paths[q].node), f->paths[q].bytes);
}

/* Deleted later: each cleanup command of the RUN that deleted them, then
 * the build-context files, then advice for the rest. */
static void
fp_deleted(struct planner *pl, size_t fi)
{
	const struct advice_finding *f = &pl->a->items[fi];
	size_t a, b;

	if (fp_deleted_lines(pl, fi, &a, &b) < 0)
		return;
	uint8_t *claimed = xcalloc(f->npaths + 1, 1);
	uint64_t left = f->bytes;
	for (size_t k = 0; k < pl->pi[b].sh.count && left > 0; k++) {
		uint64_t bytes = fp_deleted_piece(pl, fi, a, b, k, claimed);
		left -= bytes < left ? bytes : left;
	}
	if (fp_is_copy(pl, a))
		left = fp_deleted_ignored(pl, fi, a, b, claimed, left);
	if (left > 0)
		fp_deleted_rest(pl, fi, a, b, claimed);
	free(claimed);
}

/* The nodes layer l wrote (not implied, not dead), as a flag per node. */
static uint8_t *
fp_written(const struct image *img, size_t l)
{
	uint8_t *w = xcalloc(img->tree.count + 1, 1);

	for (size_t v = img->layers[l].vfirst; v < img->layers[l].vend; v++)
		if (!(img->versions[v].flags & (VERSION_IMPLICIT | VERSION_DEAD)) &&
		    img->versions[v].entry != ENTRY_NONE)
			w[img->versions[v].node] = 1;
	return w;
}

/* The mode and owner a RUN's chmod/chown left on a COPY's paths
 * (fp_copy_flags). */
struct copy_meta {
	long mode, uid, gid;		/* the last path's; -1: none yet */
	int mode_changed, owner_changed;
	int modes_differ, owners_differ;
	char modes[32];			/* the first two modes that differ */
};

/* Why the chmod/chown commands (globs p) of line b reach outside COPY
 * destination dest; NULL when they touch only what is below it. */
static const char *
fp_copy_outside(const struct df_instr *ib, const struct pat *p, size_t n, const char *dest,
                char *buf, size_t size)
{
	size_t dl = strlen(dest);

	for (size_t k = 0; k < n; k++) {
		size_t gl = strlen(p[k].glob);
		if (strncmp(p[k].glob, dest, dl) != 0 || (gl > dl && p[k].glob[dl] != '/' && dl > 1)) {
			snprintf(buf, size, "line %u changes %s, outside the COPY's %s", ib->line,
			         p[k].glob, dest);
			return buf;
		}
	}
	return NULL;
}

/* One path's entry at the COPY (ea) and after the chmod/chown (eb) into
 * m: one mode for them all (the destination, dest, keeps its own), one
 * owner, each needed only when it changes. */
static const char *
fp_copy_meta_add(struct copy_meta *m, const struct entry *ea, const struct entry *eb, int dest)
{
	unsigned perm = eb->mode & 07777;
	const char *no = NULL;

	if (!dest) {
		if (m->mode >= 0 && (unsigned)m->mode != perm && !m->modes_differ) {
			snprintf(m->modes, sizeof m->modes, "(%04lo, %04o)", (unsigned long)m->mode, perm);
			m->modes_differ = 1;
		}
		m->mode = perm;
	} else if ((ea->mode & 07777) != perm) {
		no = "the destination directory's own mode changes too";
	}
	m->owners_differ |= m->uid >= 0 && (m->uid != eb->uid || m->gid != eb->gid);
	m->uid = eb->uid;
	m->gid = eb->gid;
	m->mode_changed |= (ea->mode & 07777) != perm && !dest;
	m->owner_changed |= ea->uid != eb->uid || ea->gid != eb->gid;
	return no;
}

/* The modes and owners at layer lb of what layer la (the COPY) wrote at
 * dest and below, into m; why they make no COPY flags, or NULL. */
static const char *
fp_copy_meta(struct planner *pl, size_t la, size_t lb, const char *dest, struct copy_meta *m,
             char *buf, size_t size)
{
	const struct image *img = pl->img;
	size_t dl = strlen(dest);
	uint32_t dnode = tree_find(&img->tree, dest);
	uint8_t *w = fp_written(img, la);
	const char *no = NULL;

	for (uint32_t node = 1; node < img->tree.count && no == NULL; node++) {
		if (!w[node])
			continue;
		/* the COPY's own paths: its destination and below (not the
		 * parents it made on the way) */
		const char *path = fp_path(pl, node);
		if (strcmp(dest, "/") != 0 && (strncmp(path, dest, dl) != 0 ||
		                               (path[dl] != '/' && path[dl] != '\0')))
			continue;
		uint32_t va = stack_at(img, node, la), vb = stack_at(img, node, lb);
		if (va == TREE_NONE || vb == TREE_NONE || img->versions[vb].entry == ENTRY_NONE) {
			no = "a path the COPY wrote is gone";
			break;
		}
		if (img->versions[vb].layer != la && img->versions[vb].layer != lb) {
			snprintf(buf, size, "layer %u between changes %s", img->versions[vb].layer,
			         fp_path(pl, node));
			no = buf;
			break;
		}
		no = fp_copy_meta_add(m, &img->entries[img->versions[va].entry],
		                      &img->entries[img->versions[vb].entry], node == dnode);
	}
	free(w);
	if (no == NULL && m->mode_changed && m->modes_differ) {
		snprintf(buf, size, "the files end with different modes %s", m->modes);
		no = buf;
	}
	if (no == NULL && m->owner_changed && m->owners_differ)
		no = "the files end with different owners";
	return no;
}

/* Why RUN b's commands (globs p) change what COPY a (layer la) did not
 * write, or what was written between the two; NULL when they do not. */
static const char *
fp_copy_beyond(struct planner *pl, size_t la, size_t b, const struct pat *p, size_t n,
               char *buf, size_t size)
{
	const struct image *img = pl->img;
	size_t lb = pl->m->made[b];

	for (size_t v = img->layers[lb].vfirst; v < img->layers[lb].vend; v++) {
		const struct version *x = &img->versions[v];
		if (x->flags & VERSION_IMPLICIT || !fp_covers(p, n, fp_path(pl, x->node)))
			continue;
		if (x->next == TREE_NONE || img->versions[x->next].layer != la) {
			snprintf(buf, size, "line %u also changes %s, which the COPY did not write",
			         fp_line(pl, b), pl->path);
			return buf;
		}
	}
	return NULL;
}

/* COPY a then RUN b's chmod/chown pieces: COPY --chmod/--chown when every
 * path the COPY wrote ends with one mode (its destination directory
 * aside, which keeps its own) and one owner. */
static const char *
fp_copy_flags(struct planner *pl, size_t a, size_t b, const struct pat *p, size_t n,
              char **flags, char *buf, size_t size)
{
	const struct df_instr *ia = &pl->df->instrs[a], *ib = &pl->df->instrs[b];
	size_t la = pl->m->made[a], lb = pl->m->made[b];
	struct copy_meta m = { .mode = -1, .uid = -1, .gid = -1 };
	int has_chmod = 0, has_chown = 0;

	*flags = NULL;
	if (la == HISTMAP_NONE || lb == HISTMAP_NONE)
		return "a layer of theirs is not known";
	for (size_t f = 0; f < ia->nflags; f++) {
		has_chmod |= strncmp(ia->flags[f], "--chmod", 7) == 0;
		has_chown |= strncmp(ia->flags[f], "--chown", 7) == 0;
	}
	if (ia->nwords < 2)
		return "the COPY names no destination";
	char *dest = fp_absolute(ia, ia->words[ia->nwords - 1]);
	size_t dl = strlen(dest);
	while (dl > 1 && dest[dl - 1] == '/')
		dest[--dl] = '\0';
	const char *no = fp_copy_outside(ib, p, n, dest, buf, size);
	if (no == NULL)
		no = fp_copy_meta(pl, la, lb, dest, &m, buf, size);
	free(dest);
	if (no == NULL)
		no = fp_copy_beyond(pl, la, b, p, n, buf, size);
	if (no != NULL)
		return no;
	if ((m.mode_changed && has_chmod) || (m.owner_changed && has_chown))
		return "the COPY already sets them";
	if (!m.mode_changed && !m.owner_changed)
		return "nothing changes";
	if (m.mode_changed && m.mode >= 0 && m.owner_changed)
		*flags = xasprintf("--chmod=%lo --chown=%ld:%ld", (unsigned long)m.mode, m.uid, m.gid);
	else if (m.mode_changed && m.mode >= 0)
		*flags = xasprintf("--chmod=%lo", (unsigned long)m.mode);
	else
		*flags = xasprintf("--chown=%ld:%ld", m.uid, m.gid);
	return NULL;
}

/* The chmod/chown pieces of RUN b (flags in mine) and their globs (all);
 * why they make no edit of finding fi's paths: none, or a path of the
 * finding none of them changes. */
static const char *
fp_metadata_pieces(struct planner *pl, size_t fi, size_t b, struct pat **all, size_t *nall,
                   uint8_t *mine)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const struct pinstr *pb = &pl->pi[b];

	for (size_t k = 0; k < pb->sh.count; k++) {
		struct pat *p;
		size_t n = fp_chmod(&pl->df->instrs[b], &pb->sh.pieces[k], &p);
		if (n == 0)
			continue;
		mine[k] = 1;
		for (size_t g = 0; g < n; g++)
			fp_pat_add(all, nall, p[g].glob, p[g].rec);
		fp_pats_free(p, n);
	}
	if (*nall == 0)
		return "it changes them with a command fathom does not move";
	/* every path of the finding is one the pieces change */
	for (size_t k = 0; k < f->npaths; k++)
		if (!fp_covers(*all, *nall, fp_path(pl, f->paths[k].node)))
			return "it changes them with a command fathom does not move";
	return NULL;
}

/* Why the pieces (mine, globs all) cannot leave RUN b: COPY a cannot
 * take them as flags (else *flags, owned), or they cannot move into RUN
 * a; NULL when they can. */
static const char *
fp_metadata_why(struct planner *pl, size_t a, size_t b, const struct pat *all, size_t nall,
                const uint8_t *mine, char **flags, char *buf, size_t size)
{
	const struct df_instr *ia = &pl->df->instrs[a], *ib = &pl->df->instrs[b];
	const struct sh_cmd *sh = &pl->pi[b].sh;
	const char *no;

	if (fp_is_copy(pl, a)) {
		no = fp_copy_flags(pl, a, b, all, nall, flags, buf, size);
		if (no == NULL && (ia->stage != ib->stage || fp_stage_shared(pl, ia->stage)))
			no = "the lines are in different stages";
		return no;
	}
	char *raw = NULL;
	for (size_t k = 0; k < sh->count && raw == NULL; k++)
		if (mine[k])
			raw = fp_piece_text(pl, b, k);
	no = fp_why_not_move(pl, a, b, all, nall, raw != NULL ? raw : "", buf, size);
	free(raw);
	return no;
}

/* The pieces (mine) leave RUN b, each into RUN a unless copy; their
 * texts, "`chmod ...`, `chown ...`" (owned). */
static char *
fp_metadata_take(struct planner *pl, size_t a, size_t b, const uint8_t *mine, int copy)
{
	struct pinstr *pb = &pl->pi[b];
	char *cmds = xstrdup("");
	size_t n = 0;

	for (size_t k = 0; k < pb->sh.count; k++) {
		if (!mine[k])
			continue;
		char *raw = fp_piece_text(pl, b, k);
		char *t = xasprintf("%s%s`%s`", cmds, n++ ? ", " : "", raw);
		free(cmds);
		cmds = t;
		pb->gone[k] = 1;
		if (!copy)
			fp_add_command(pl, a, raw);
		free(raw);
	}
	return cmds;
}

/* The edit of metadata-only finding fi: the pieces (mine) leave RUN b,
 * into RUN a's, or COPY a gets flags. */
static void
fp_metadata_edit(struct planner *pl, size_t fi, size_t a, size_t b, const uint8_t *mine,
                 const char *flags)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const struct df_instr *ia = &pl->df->instrs[a], *ib = &pl->df->instrs[b];
	int copy = fp_is_copy(pl, a);
	char *cmds = fp_metadata_take(pl, a, b, mine, copy);
	size_t it;

	if (copy) {
		it = fp_item(pl, FIX_COPY_CHMOD, fi, a, "%s %s at line %u instead of %s at line %u",
		             dockerfile_kind_names[ia->kind], flags, ia->line, cmds, ib->line);
		struct pinstr *pa = &pl->pi[a];
		ARRAY_RESERVE(pa->ins, pa->nins, pa->cins);
		pa->ins[pa->nins++] = (struct fix_edit){ ia->args, ia->args,
		                                         xasprintf("%s ", flags), a, 0 };
		if (strstr(flags, "--chmod") != NULL && !pl->df->syntax)
			pl->p->syntax = 1;
	} else {
		it = fp_item(pl, FIX_FOLD_CHMOD, fi, a, "%s moved from line %u into the RUN at "
		             "line %u", cmds, ib->line, ia->line);
	}
	pl->p->items[it].from = b;
	for (size_t k = 0; k < f->npaths; k++)
		fp_item_path(pl, it, fp_path(pl, f->paths[k].node), f->paths[k].bytes);
	free(cmds);
}

/* Metadata only: the chmod/chown of RUN b moves into RUN a, or becomes
 * COPY a's --chmod/--chown; else advice. */
static void
fp_metadata(struct planner *pl, size_t fi)
{
	const struct advice_finding *f = &pl->a->items[fi];
	char why[512];

	size_t a = f->nlayers == 2 ? histmap_layer(pl->m, f->layers[0]) : HISTMAP_NONE;
	size_t b = f->nlayers == 2 ? histmap_layer(pl->m, f->layers[1]) : HISTMAP_NONE;
	if (a >= HISTMAP_BASE || b >= HISTMAP_BASE) {
		fp_layer_why(pl, a >= HISTMAP_BASE ? f->layers[0] : f->layers[1], why, sizeof why);
		char *w = xasprintf("not edited: %s", why);
		fp_advice(pl, fi, a < HISTMAP_BASE ? a : b < HISTMAP_BASE ? b : SIZE_MAX, SIZE_MAX, w);
		free(w);
		return;
	}
	const struct df_instr *ib = &pl->df->instrs[b];
	struct pinstr *pb = fp_cut(pl, b);
	struct pat *all = NULL;
	size_t nall = 0;
	uint8_t *mine = xcalloc(pb->sh.count + 1, 1);
	char *flags = NULL;
	const char *no = ib->kind != DF_RUN ? "it is no RUN" :
	                 !pb->ok ? "it is not a plain command list fathom can cut" : NULL;
	if (no == NULL)
		no = fp_metadata_pieces(pl, fi, b, &all, &nall, mine);
	if (no == NULL)
		no = fp_metadata_why(pl, a, b, all, nall, mine, &flags, why, sizeof why);
	if (no != NULL) {
		char *w = xasprintf("not edited: line %u: %s; set modes and owners where the files are "
		                    "made (line %u%s)", ib->line, no, fp_line(pl, a),
		                    fp_is_copy(pl, a) ? ": COPY --chmod/--chown" : "");
		fp_advice(pl, fi, b, SIZE_MAX, w);
		free(w);
	} else {
		fp_metadata_edit(pl, fi, a, b, mine, flags);
	}
	free(flags);
	free(mine);
	fp_pats_free(all, nall);
}

/* --- package caches at the top ---------------------------------------- */

/* Whether a RUN after i (in the image's stages) needs what the cache
 * holds: apt's lists for an install without its own update, apk's index. */
static size_t
fp_later_consumer(struct planner *pl, size_t i, const char *manager, int lists)
{
	static const char *const apt[] = { "install", "upgrade", "dist-upgrade", "full-upgrade",
		"build-dep", "source", "download" };

	for (size_t j = i + 1; j < pl->df->count; j++) {
		const struct df_instr *in = &pl->df->instrs[j];
		if (!pl->inchain[j] || in->kind != DF_RUN)
			continue;
		const char *t = in->text;
		if (strcmp(manager, "apt") == 0 && lists) {
			const char *upd = strstr(t, "apt-get update");
			if (upd == NULL)
				upd = strstr(t, "apt update");
			for (size_t k = 0; k < sizeof apt / sizeof *apt; k++) {
				char w[32];
				snprintf(w, sizeof w, "apt-get %s", apt[k]);
				const char *use = strstr(t, w);
				if (use == NULL) {
					snprintf(w, sizeof w, "apt %s", apt[k]);
					use = strstr(t, w);
				}
				if (use != NULL && (upd == NULL || upd > use))
					return j;
			}
			if (strstr(t, "apt-cache") != NULL && upd == NULL)
				return j;
		}
		if (strcmp(manager, "apk") == 0 && strstr(t, "apk add") != NULL &&
		    strstr(t, "--no-cache") == NULL && strstr(t, "apk update") == NULL &&
		    strstr(t, "--update") == NULL && !fp_has_word(t, in->text_len, "-U"))
			return j;
	}
	return SIZE_MAX;
}

/* Inserts word after the word `sub` of the pieces of RUN i that run
 * prog (pip: also python -m pip); returns how many. */
static size_t
fp_insert_flag(struct planner *pl, size_t i, const char *const *progs, const char *sub,
               const char *flag)
{
	struct pinstr *pi = &pl->pi[i];
	const struct df_instr *in = &pl->df->instrs[i];
	size_t done = 0;

	if (pi->heredoc || !pi->cut || pi->sh.complex)
		return 0;
	for (size_t k = 0; k < pi->sh.count; k++) {
		const struct sh_piece *p = &pi->sh.pieces[k];
		size_t at;
		const char *prog = shellcmd_program(p, &at);
		if (prog == NULL || pi->gone[k])
			continue;
		const char *base = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;
		int hit = 0;
		for (size_t q = 0; progs[q] != NULL && !hit; q++)
			hit = strcmp(base, progs[q]) == 0 ||
			      (strcmp(progs[q], "pip") == 0 && strncmp(base, "pip", 3) == 0 &&
			       strspn(base + 3, "0123456789.") == strlen(base + 3));
		if (!hit && strncmp(base, "python", 6) == 0 && at + 2 < p->nwords &&
		    strcmp(p->words[at + 1], "-m") == 0 && strcmp(progs[0], "pip") == 0 &&
		    strncmp(p->words[at + 2], "pip", 3) == 0) {
			hit = 1;
			at += 2;
		}
		if (!hit)
			continue;
		size_t w = at + 1;
		while (w < p->nwords && p->words[w][0] == '-')
			w++;
		if (w >= p->nwords || strcmp(p->words[w], sub) != 0)
			continue;
		int has = 0;
		for (size_t x = w + 1; x < p->nwords; x++)
			has |= strcmp(p->words[x], flag) == 0;
		if (has)
			continue;
		ARRAY_RESERVE(pi->ins, pi->nins, pi->cins);
		size_t off = dockerfile_offset(in, in->cmd + p->wend[w]);
		pi->ins[pi->nins++] = (struct fix_edit){ off, off, xasprintf(" %s", flag), i, 0 };
		done++;
	}
	return done;
}

/* Whether RUN i has a piece running prog (its first word past sudo/env). */
static int
fp_runs(struct planner *pl, size_t i, const char *prog, const char *sub)
{
	struct pinstr *pi = &pl->pi[i];

	for (size_t k = 0; k < pi->sh.count; k++) {
		size_t at;
		const char *p = shellcmd_program(&pi->sh.pieces[k], &at);
		if (p != NULL && strcmp(p, prog) == 0 &&
		    (sub == NULL || (at + 1 < pi->sh.pieces[k].nwords &&
		                     strcmp(pi->sh.pieces[k].words[at + 1], sub) == 0)))
			return 1;
	}
	return 0;
}

/* The caches of a finding that one RUN left (fp_cache_run). */
struct caches {
	int lists;		/* apt's lists, /var/lib/apt/lists */
	int cache;		/* the other caches */
	char *roots[8];		/* owned: their directories */
	size_t nroots;
};

/* Which caches of finding fi layer l left, and their directories. */
static void
fp_cache_find(struct planner *pl, size_t fi, size_t l, struct caches *c)
{
	const struct advice_finding *f = &pl->a->items[fi];

	for (size_t k = 0; k < f->npaths; k++) {
		if (fp_top_layer(pl->img, f->paths[k].node) != l)
			continue;
		const char *path = fp_path(pl, f->paths[k].node);
		size_t root;
		if (advice_cache_of(path, strlen(path), &root) == NULL)
			continue;
		c->lists |= strncmp(path, "/var/lib/apt/lists/", 19) == 0;
		c->cache |= strncmp(path, "/var/lib/apt/lists/", 19) != 0;
		int seen = 0;
		for (size_t r = 0; r < c->nroots; r++)
			seen |= strlen(c->roots[r]) == root && strncmp(c->roots[r], path, root) == 0;
		if (!seen && c->nroots < 8)
			c->roots[c->nroots++] = xstrndup(path, root);
	}
}

/* Why RUN i cannot take manager mg's flag or cleanup; NULL when it can. */
static const char *
fp_cache_why(struct planner *pl, size_t i, const char *mg, int lists, char *buf, size_t size)
{
	const struct df_instr *in = &pl->df->instrs[i];
	const struct pinstr *pi = &pl->pi[i];
	size_t later;

	if (in->kind != DF_RUN || in->json)
		return "it is no shell-form RUN";
	if (!pi->appendable)
		return pi->sh.comment ? "it ends in a shell comment" : "it is not a plain command list";
	if (fp_stage_shared(pl, in->stage))
		return "another stage is built on its stage";
	if ((later = fp_later_consumer(pl, i, mg, lists)) != SIZE_MAX) {
		snprintf(buf, size, "the RUN at line %u uses them later: clean up there, "
		         "or merge the RUNs", fp_line(pl, later));
		return buf;
	}
	return NULL;
}

/* The cleanup command added at the end of RUN i for manager mg: its own
 * (npm cache clean, ...) when the RUN runs it, else an rm of the caches'
 * directories; what is done (owned). */
static char *
fp_cache_clean(struct planner *pl, size_t i, const char *mg, const struct caches *c)
{
	static const struct {
		const char *mg, *prog, *cmd;
	} cl[] = {
		{ "npm", "npm", "npm cache clean --force" },
		{ "yarn", "yarn", "yarn cache clean" },
		{ "go", "go", "go clean -cache" },
		{ "dnf", "dnf", "dnf clean all" },
		{ "yum", "yum", "yum clean all" },
	};
	const char *cmd = NULL;
	char *rm = NULL;

	for (size_t k = 0; k < sizeof cl / sizeof *cl; k++)
		if (strcmp(mg, cl[k].mg) == 0 && fp_runs(pl, i, cl[k].prog, NULL))
			cmd = cl[k].cmd;
	if (cmd == NULL) {
		/* the cache's own directories */
		size_t n = 7;
		for (size_t r = 0; r < c->nroots; r++)
			n += strlen(c->roots[r]) + 1;
		rm = xmalloc(n + 1);
		strcpy(rm, "rm -rf");
		for (size_t r = 0; r < c->nroots; r++)
			strcat(strcat(rm, " "), c->roots[r]);
		cmd = rm;
	}
	fp_add_command(pl, i, cmd);
	char *what = xasprintf("`%s` added at the end of the RUN at line %u", cmd, fp_line(pl, i));
	free(rm);
	return what;
}

/* Manager mg's flag or cleanup in RUN i (*kind which); what is done
 * (owned). */
static char *
fp_cache_fix(struct planner *pl, size_t i, const char *mg, const struct caches *c,
             enum fix_kind *kind)
{
	static const char *const pip[] = { "pip", NULL }, *const apk[] = { "apk", NULL };
	unsigned line = fp_line(pl, i);

	*kind = FIX_CACHE_CLEAN;
	if (strcmp(mg, "apt") == 0) {
		if (c->cache)
			fp_add_command(pl, i, "apt-get clean");
		if (c->lists)
			fp_add_command(pl, i, "rm -rf /var/lib/apt/lists/*");
		return xasprintf("%s%s%s added at the end of the RUN at line %u",
		                 c->cache ? "`apt-get clean`" : "", c->cache && c->lists ? " and " : "",
		                 c->lists ? "`rm -rf /var/lib/apt/lists/*`" : "", line);
	}
	if (strcmp(mg, "pip") == 0 && fp_insert_flag(pl, i, pip, "install", "--no-cache-dir")) {
		*kind = FIX_CACHE_FLAG;
		return xasprintf("`pip install --no-cache-dir` at line %u", line);
	}
	if (strcmp(mg, "apk") == 0 && fp_insert_flag(pl, i, apk, "add", "--no-cache")) {
		*kind = FIX_CACHE_FLAG;
		if (!fp_runs(pl, i, "apk", "update"))
			return xasprintf("`apk add --no-cache` at line %u", line);
		fp_add_command(pl, i, "rm -rf /var/cache/apk/*");
		return xasprintf("`apk add --no-cache`, and `rm -rf /var/cache/apk/*` after its "
		                 "`apk update`, at line %u", line);
	}
	return fp_cache_clean(pl, i, mg, c);
}

/* apt's recommendations: the flag changes what is installed, so it is
 * advice (fathom cannot tell what the image needs). */
static void
fp_cache_recommends(struct planner *pl, size_t fi, size_t i)
{
	const struct pinstr *pi = &pl->pi[i];

	for (size_t k = 0; k < pi->sh.count; k++) {
		const struct sh_piece *p = &pi->sh.pieces[k];
		size_t at;
		const char *prog = shellcmd_program(p, &at);
		int install = 0, flag = 0;
		if (prog == NULL || (strcmp(prog, "apt-get") != 0 && strcmp(prog, "apt") != 0))
			continue;
		for (size_t w = at + 1; w < p->nwords; w++) {
			install |= strcmp(p->words[w], "install") == 0;
			flag |= strcmp(p->words[w], "--no-install-recommends") == 0 ||
			        strncmp(p->words[w], "-oAPT::Install-Recommends", 25) == 0;
		}
		if (install && !flag) {
			fp_item(pl, FIX_ADVICE, fi, i, "not edited: `%s install` at line %u installs "
			        "the packages' recommendations too: add --no-install-recommends if the "
			        "image runs without them", prog, fp_line(pl, i));
			break;
		}
	}
}

/* The cache of finding fi that RUN i (layer l) made: its flag or cleanup. */
static void
fp_cache_run(struct planner *pl, size_t fi, size_t i, size_t l)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const char *mg = f->detail != NULL ? f->detail : "";
	struct caches c = { 0 };
	enum fix_kind kind;
	char why[512];

	fp_cut(pl, i);
	fp_cache_find(pl, fi, l, &c);
	const char *no = fp_cache_why(pl, i, mg, c.lists, why, sizeof why);
	if (no != NULL) {
		char *w = xasprintf("not edited: line %u %s", fp_line(pl, i), no);
		fp_advice(pl, fi, i, l, w);
		free(w);
	} else {
		char *what = fp_cache_fix(pl, i, mg, &c, &kind);
		size_t it = fp_item(pl, kind, fi, i, "%s", what);
		free(what);
		for (size_t k = 0; k < f->npaths; k++)
			if (fp_top_layer(pl->img, f->paths[k].node) == l)
				fp_item_path(pl, it, fp_path(pl, f->paths[k].node), f->paths[k].bytes);
		if (strcmp(mg, "apt") == 0)
			fp_cache_recommends(pl, fi, i);
		for (size_t r = 0; r < c.nroots; r++)
			fp_item_under(pl, it, c.roots[r], strlen(c.roots[r]));
	}
	for (size_t r = 0; r < c.nroots; r++)
		free(c.roots[r]);
}

/* Layer l of finding fi made by no line of the file (i: HISTMAP_BASE or
 * HISTMAP_NONE): an advice item saying why it is not edited. */
static void
fp_not_edited(struct planner *pl, size_t fi, size_t l, size_t i)
{
	char why[512];

	fp_layer_why(pl, l, why, sizeof why);
	char *w = xasprintf("not edited: %s", why);
	fp_advice(pl, fi, i == HISTMAP_BASE ? pl->m->from : SIZE_MAX, l, w);
	free(w);
}

static void
fp_cache(struct planner *pl, size_t fi)
{
	const struct advice_finding *f = &pl->a->items[fi];

	for (size_t k = 0; k < f->nlayers; k++) {
		size_t l = f->layers[k], i = histmap_layer(pl->m, l);
		if (i >= HISTMAP_BASE)
			fp_not_edited(pl, fi, l, i);
		else
			fp_cache_run(pl, fi, i, l);
	}
}

/* --- the build context ------------------------------------------------ */

/* The .dockerignore line for a context path of a build-context kind
 * (owned), or NULL. */
static char *
fp_ignore_line(const char *kind, const char *rel)
{
	static const char *const ci_dirs[] = { ".github", ".gitlab", ".circleci", "test", "tests",
		"__tests__" };
	static const char *const junk_dirs[] = { ".idea", ".vscode" };
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	const char *want = NULL;

	if (strcmp(kind, ".git") == 0)
		want = ".git";
	else if (strcmp(kind, "node_modules") == 0)
		want = "node_modules";
	if (want != NULL || strcmp(kind, "tests and CI") == 0) {
		/* the first component that is one */
		for (const char *c = rel; c != NULL && *c; c = strchr(c, '/'), c = c ? c + 1 : NULL) {
			size_t n = strcspn(c, "/");
			int hit = want != NULL && strlen(want) == n && strncmp(c, want, n) == 0;
			for (size_t k = 0; want == NULL && k < sizeof ci_dirs / sizeof *ci_dirs; k++)
				hit |= c[n] == '/' && strlen(ci_dirs[k]) == n && strncmp(c, ci_dirs[k], n) == 0;
			if (hit)
				return xstrndup(rel, (size_t)(c - rel) + n);
		}
		if (want == NULL && (strcmp(base, ".gitlab-ci.yml") == 0 || strcmp(base, ".travis.yml") == 0))
			return xstrdup(rel);
		return NULL;
	}
	if (strcmp(kind, "editor and OS files") != 0)
		return NULL;
	for (const char *c = rel; c != NULL && *c; c = strchr(c, '/'), c = c ? c + 1 : NULL)
		for (size_t k = 0; k < sizeof junk_dirs / sizeof *junk_dirs; k++)
			if (strncmp(c, junk_dirs[k], strlen(junk_dirs[k])) == 0 &&
			    c[strlen(junk_dirs[k])] == '/')
				return xasprintf("**/%s", junk_dirs[k]);
	if (strcmp(base, ".DS_Store") == 0 || strcmp(base, "Thumbs.db") == 0 ||
	    strcmp(base, "desktop.ini") == 0)
		return xasprintf("**/%s", base);
	size_t bl = strlen(base);
	if (bl > 4 && (strcmp(base + bl - 4, ".swp") == 0 || strcmp(base + bl - 4, ".swo") == 0))
		return xasprintf("**/*%s", base + bl - 4);
	if (bl > 1 && base[bl - 1] == '~')
		return xstrdup("**/*~");
	return NULL;
}

/* Whether a RUN uses what an ignored line keeps out. */
static int
fp_run_uses(const struct df_instr *in, const char *kind, const char *line)
{
	static const char *const runners[] = { "pytest", "tox", "jest", "mocha", "unittest",
		"nosetests", "phpunit", "rspec" };
	const char *t = in->text;
	size_t n = in->text_len;

	if (strcmp(kind, ".git") == 0)
		return fp_has_word(t, n, "git");
	if (strcmp(kind, "node_modules") == 0)
		return !(fp_has_word(t, n, "install") || fp_has_word(t, n, "ci")) &&
		       (fp_has_word(t, n, "npm") || fp_has_word(t, n, "node") ||
		        fp_has_word(t, n, "yarn") || fp_has_word(t, n, "npx") ||
		        fp_has_word(t, n, "pnpm"));
	if (strcmp(kind, "editor and OS files") == 0)
		return 0;
	if (strcmp(kind, "tests and CI") == 0) {
		const char *base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
		if (base[0] == '.' )
			return 0;	/* .github, .gitlab-ci.yml: CI's, never the build's */
		for (size_t k = 0; k < sizeof runners / sizeof *runners; k++)
			if (fp_has_word(t, n, runners[k]))
				return 1;
		return fp_has_word(t, n, base) || fp_has_word(t, n, "test") || fp_has_word(t, n, "check");
	}
	/* files a later RUN deletes: the build may read them before */
	const char *base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
	return memmem(t, n, base, strlen(base)) != NULL;
}

/* Whether a context path (or .dockerignore glob) is one line covers. */
static int
fp_line_covers(const char *line, const char *rel)
{
	size_t n = strlen(line);

	if (strncmp(line, "**/", 3) == 0) {
		/* any component */
		for (const char *c = rel; c != NULL; c = strchr(c, '/'), c = c ? c + 1 : NULL) {
			char *comp = xstrndup(c, strcspn(c, "/"));
			int hit = fnmatch(line + 3, comp, FNM_PERIOD) == 0;
			free(comp);
			if (hit)
				return 1;
		}
		return 0;
	}
	return fnmatch(line, rel, FNM_PATHNAME | FNM_PERIOD) == 0 ||
	       (strncmp(rel, line, n) == 0 && rel[n] == '/');
}

/* Why line cannot go into .dockerignore; NULL when it can. copy: the
 * COPY whose files it keeps out; kind: what they are; skip: a RUN that
 * may name them (the one that deletes them). */
static const char *
fp_ignore_why(struct planner *pl, size_t copy, size_t skip, const char *kind, const char *line,
              char *buf, size_t size)
{
	const struct dockerfile *df = pl->df;

	for (size_t s = 0; s < df->count; s++) {
		const struct df_instr *in = &df->instrs[s];
		if (in->kind != DF_COPY && in->kind != DF_ADD)
			continue;
		int from = 0;
		for (size_t f = 0; f < in->nflags; f++)
			from |= strncmp(in->flags[f], "--from", 6) == 0;
		if (from || in->nwords < 2)
			continue;
		for (size_t w = 0; w + 1 < in->nwords; w++) {
			const char *src = in->words[w];
			while (src[0] == '.' && src[1] == '/')
				src += 2;
			char *clean = xstrdup(src);
			size_t cl = strlen(clean);
			while (cl > 0 && clean[cl - 1] == '/')
				clean[--cl] = '\0';
			int whole = cl == 0 || strcmp(clean, ".") == 0;
			int inside = !whole && fp_line_covers(line, clean);
			int above = whole || (strncmp(line, clean, cl) == 0 && line[cl] == '/');
			free(clean);
			if (inside && s != copy) {
				snprintf(buf, size, "the %s at line %u copies %s", dockerfile_kind_names[in->kind],
				         in->line, in->words[w]);
				return buf;
			}
			if (!above && !inside)
				continue;
			/* the RUNs after it in its stage */
			for (size_t j = s + 1; j < df->count && df->instrs[j].stage == in->stage; j++)
				if (j != skip && df->instrs[j].kind == DF_RUN &&
				    fp_run_uses(&df->instrs[j], kind, line)) {
					snprintf(buf, size, "the RUN at line %u may use %s", df->instrs[j].line,
					         line);
					return buf;
				}
		}
	}
	return NULL;
}

/* Adds line for COPY copy's files of a kind to .dockerignore: an item
 * per (finding, line), its bytes growing with each path (path NULL: its
 * paths are added by the caller); image_dir: where the line's files are
 * in the image (removed whole), or NULL. Returns 0 with *item, or -1 with
 * *item an advice item saying why. */
static int
fp_ignore_add(struct planner *pl, size_t fi, size_t copy, size_t skip, const char *kind,
              const char *line, const char *image_dir, uint64_t bytes, const char *path,
              size_t *item)
{
	struct fix_plan *p = pl->p;
	char why[512];

	for (size_t k = 0; k < p->count; k++) {
		struct fix_item *it = &p->items[k];
		if (it->finding == fi && it->ignore != NULL && strcmp(it->ignore, line) == 0) {
			if (path != NULL)
				fp_item_path(pl, k, path, bytes);
			*item = k;
			return it->kind == FIX_ADVICE ? -1 : 0;
		}
	}
	const char *no = fp_ignore_why(pl, copy, skip, kind, line, why, sizeof why);
	for (size_t k = 0; k < pl->nignored && no == NULL; k++)
		if (strcmp(pl->ignored[k], line) == 0)
			no = "it is in .dockerignore already (the image was built before?)";
	if (no != NULL)
		*item = fp_item(pl, FIX_ADVICE, fi, copy, "not edited: %s: %s", line, no);
	else
		*item = fp_item(pl, FIX_DOCKERIGNORE, fi, copy, "`%s` added to .dockerignore (the %s "
		                "at line %u)", line, dockerfile_kind_names[pl->df->instrs[copy].kind],
		                fp_line(pl, copy));
	p->items[*item].ignore = xstrdup(line);
	if (image_dir != NULL && strpbrk(image_dir, "*?[") == NULL)
		fp_item_under(pl, *item, image_dir, strlen(image_dir));
	if (path != NULL)
		fp_item_path(pl, *item, path, bytes);
	return no != NULL ? -1 : 0;
}

static void
fp_context(struct planner *pl, size_t fi)
{
	const struct advice_finding *f = &pl->a->items[fi];
	const char *kind = f->detail != NULL ? f->detail : "";
	char why[512];

	for (size_t k = 0; k < f->npaths; k++) {
		size_t l = fp_top_layer(pl->img, f->paths[k].node);
		size_t i = histmap_layer(pl->m, l);
		char *path = xstrdup(fp_path(pl, f->paths[k].node));
		char *rel = i < HISTMAP_BASE ? fp_context_path(pl, i, path) : NULL;
		char *line = rel != NULL ? fp_ignore_line(kind, rel) : NULL;
		size_t item;
		if (line == NULL) {
			/* one advice item per layer */
			size_t found = SIZE_MAX;
			for (size_t q = 0; q < pl->p->count && found == SIZE_MAX; q++)
				if (pl->p->items[q].finding == fi && pl->p->items[q].kind == FIX_ADVICE &&
				    pl->p->items[q].ignore == NULL && pl->p->items[q].instr == i)
					found = q;
			if (found == SIZE_MAX) {
				if (i >= HISTMAP_BASE)
					fp_layer_why(pl, l, why, sizeof why);
				else
					snprintf(why, sizeof why, "the %s at line %u has no single local "
					         "source", dockerfile_kind_names[pl->df->instrs[i].kind],
					         fp_line(pl, i));
				found = fp_item(pl, FIX_ADVICE, fi, i < HISTMAP_BASE ? i : SIZE_MAX,
				                "not edited: %s", why);
			}
			fp_item_path(pl, found, path, f->paths[k].bytes);
		} else {
			/* where the line's files are in the image */
			char *dir = NULL;
			size_t n = strlen(path) - strlen(rel);
			if (strncmp(line, "**/", 3) != 0)
				dir = xasprintf("%.*s%s", (int)n, path, line);
			fp_ignore_add(pl, fi, i, SIZE_MAX, kind, line, dir, f->paths[k].bytes, path,
			              &item);
			free(dir);
		}
		free(line);
		free(rel);
		free(path);
	}
}

/* The bytes of node's regular file versions in layers from on. */
static uint64_t
fp_bytes_from(const struct image *img, uint32_t node, size_t from)
{
	uint64_t bytes = 0;

	for (uint32_t v = img->tree.nodes[node].version; v != TREE_NONE; v = img->versions[v].next) {
		const struct version *x = &img->versions[v];
		if (x->layer >= from && x->entry != ENTRY_NONE && !(x->flags & VERSION_DEAD) &&
		    img->entries[x->entry].type == ENTRY_FILE)
			bytes += img->entries[x->entry].size;
	}
	return bytes;
}

/* The bytes the edit items already predict on path. */
static uint64_t
fp_claimed(const struct planner *pl, const char *path)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < pl->p->count; i++) {
		const struct fix_item *it = &pl->p->items[i];
		if (!fix_kind_edits[it->kind])
			continue;
		for (size_t k = 0; k < it->npaths; k++)
			if (strcmp(it->paths[k].path, path) == 0)
				bytes += it->paths[k].bytes;
	}
	return bytes;
}

/* The finding whose paths hold node, or SIZE_MAX. */
static size_t
fp_finding_of(const struct planner *pl, uint32_t node)
{
	for (size_t f = 0; f < pl->a->count; f++)
		for (size_t k = 0; k < pl->a->items[f].npaths; k++)
			if (pl->a->items[f].paths[k].node == node)
				return f;
	return SIZE_MAX;
}

/* Build-context files a COPY brought that a later layer rewrote (a RUN
 * chmod -R copies .git again): not at the top in the COPY's layer, so no
 * build-context finding has them, but kept out of the context they cost
 * nothing in any layer. Their bytes: every copy from the COPY's layer on,
 * but for what other edits already save. */
static void
fp_context_hidden(struct planner *pl)
{
	const struct image *img = pl->img;

	for (size_t i = 0; i < pl->df->count; i++) {
		const struct df_instr *in = &pl->df->instrs[i];
		size_t l = pl->m->made[i];
		char *dest;
		if (!pl->inchain[i] || (in->kind != DF_COPY && in->kind != DF_ADD) ||
		    l == HISTMAP_NONE || fp_copy_source(pl, i, &dest) == NULL)
			continue;
		free(dest);
		for (size_t v = img->layers[l].vfirst; v < img->layers[l].vend; v++) {
			const struct version *x = &img->versions[v];
			if (x->entry == ENTRY_NONE || (x->flags & (VERSION_DEAD | VERSION_IMPLICIT)) ||
			    img->entries[x->entry].type != ENTRY_FILE)
				continue;
			uint32_t top = stack_at(img, x->node, img->nlayers - 1);
			if (top == TREE_NONE || img->versions[top].layer == l ||
			    img->versions[top].entry == ENTRY_NONE)
				continue;	/* build-context's own, or deleted later */
			char *path = xstrdup(fp_path(pl, x->node));
			const char *kind = advice_build_context(path, strlen(path));
			char *rel = kind != NULL ? fp_context_path(pl, i, path) : NULL;
			char *line = rel != NULL ? fp_ignore_line(kind, rel) : NULL;
			uint64_t bytes = fp_bytes_from(img, x->node, l), have = fp_claimed(pl, path);
			if (line != NULL && bytes > have) {
				size_t item = SIZE_MAX;
				for (size_t k = 0; k < pl->p->count && item == SIZE_MAX; k++)
					if (pl->p->items[k].ignore != NULL && pl->p->items[k].instr == i &&
					    strcmp(pl->p->items[k].ignore, line) == 0)
						item = k;
				if (item != SIZE_MAX) {
					fp_item_path(pl, item, path, bytes - have);
					fp_item_also(pl, item, fp_finding_of(pl, x->node));
				} else {
					char *dir = NULL;
					if (strncmp(line, "**/", 3) != 0)
						dir = xasprintf("%.*s%s", (int)(strlen(path) - strlen(rel)),
						                path, line);
					fp_ignore_add(pl, fp_finding_of(pl, x->node), i, SIZE_MAX, kind, line,
					              dir, bytes - have, path, &item);
					free(dir);
				}
			}
			free(line);
			free(rel);
			free(path);
		}
	}
}

/* --- advice only ------------------------------------------------------ */

/* An advice item per layer of the finding, at its line. */
static void
fp_advice_layers(struct planner *pl, size_t fi, const char *fmt)
{
	const struct advice_finding *f = &pl->a->items[fi];

	for (size_t k = 0; k < f->nlayers; k++) {
		size_t l = f->layers[k], i = histmap_layer(pl->m, l);
		if (i >= HISTMAP_BASE) {
			fp_not_edited(pl, fi, l, i);
			continue;
		}
		char *w = xasprintf(fmt, fp_line(pl, i));
		fp_advice(pl, fi, i, l, w);
		free(w);
	}
}

static void
fp_onbuild(struct planner *pl, size_t fi)
{
	const struct advice_finding *f = &pl->a->items[fi];

	for (size_t t = 0; t < f->ntriggers; t++) {
		size_t at = SIZE_MAX;
		for (size_t i = 0; i < pl->df->count && at == SIZE_MAX; i++) {
			const struct df_instr *in = &pl->df->instrs[i];
			if (pl->inchain[i] && in->kind == DF_ONBUILD) {
				char *s = dockerfile_summary(pl->df, i);
				if (strlen(s) > 8 && strcasecmp(s + 8, f->triggers[t]) == 0)
					at = i;	/* past "ONBUILD " */
				free(s);
			}
		}
		fp_item(pl, FIX_ADVICE, fi, at, "not edited: ONBUILD %s runs in every build FROM "
		        "this image", f->triggers[t]);
	}
}

/* --- the edits -------------------------------------------------------- */

static void
fp_edit(struct fix_plan *p, size_t start, size_t end, char *text, size_t instr, int drop)
{
	ARRAY_RESERVE(p->edits, p->nedits, p->cedits);
	p->edits[p->nedits++] = (struct fix_edit){ start, end, text, instr, drop };
}

/* The file offset of position pos of RUN i's command. */
static size_t
fp_cmd_offset(const struct planner *pl, size_t i, size_t pos)
{
	const struct df_instr *in = &pl->df->instrs[i];

	if (pl->pi[i].heredoc)
		return in->heredocs[0].body_start + pos;
	return dockerfile_offset(in, in->cmd + pos);
}

/* The blanks that start the last line of instruction i's text. */
static char *
fp_indent(const struct planner *pl, size_t i)
{
	const struct df_instr *in = &pl->df->instrs[i];

	if (in->nsegs < 2)
		return xstrdup("    ");
	size_t s = in->segs[in->nsegs - 1].file, e = s;
	while (e < pl->df->len && (pl->df->data[e] == ' ' || pl->df->data[e] == '\t'))
		e++;
	return e > s ? xstrndup(pl->df->data + s, e - s) : xstrdup("    ");
}

/* The runs of RUN i's pieces that go, each cut with the separator before
 * it, or after it when it starts the list. */
static void
fp_edits_gone(struct planner *pl, size_t i)
{
	struct pinstr *pi = &pl->pi[i];
	size_t n = pi->sh.count;

	for (size_t k = 0; k < n;) {
		if (!pi->gone[k]) {
			k++;
			continue;
		}
		size_t j = k;
		while (j < n && pi->gone[j])
			j++;
		size_t a, b;
		if (k > 0) {
			a = pi->sh.pieces[k - 1].end;
			b = pi->sh.pieces[j - 1].end;
		} else if (j < n) {
			a = pi->sh.pieces[k].start;
			b = pi->sh.pieces[j].start;
		} else {
			a = pi->sh.pieces[0].start;
			b = pi->sh.pieces[n - 1].end;
		}
		/* a heredoc's line goes with its newline */
		if (pi->heredoc && k == 0 && j == n)
			b++;
		fp_edit(pl->p, fp_cmd_offset(pl, i, a), fp_cmd_offset(pl, i, b), xstrdup(""), i, 0);
		k = j;
	}
}

/* The commands added at the end of RUN i: lines before its heredoc's
 * end, else " && \" and a line each at the last line's indent. */
static void
fp_edits_add(struct planner *pl, size_t i)
{
	const struct pinstr *pi = &pl->pi[i];
	const struct df_instr *in = &pl->df->instrs[i];

	if (pi->heredoc) {
		size_t len = 0;
		for (size_t k = 0; k < pi->nadd; k++)
			len += strlen(pi->add[k]) + 1;
		char *t = xmalloc(len + 1);
		t[0] = '\0';
		for (size_t k = 0; k < pi->nadd; k++)
			strcat(strcat(t, pi->add[k]), "\n");
		fp_edit(pl->p, in->heredocs[0].end_start, in->heredocs[0].end_start, t, i, 0);
		return;
	}
	char *indent = fp_indent(pl, i);
	const char *sep = strcmp(pi->sh.append, " && ") == 0 ? " &&" : "";
	char *t = xstrdup("");
	for (size_t k = 0; k < pi->nadd; k++) {
		/* " && \", a new line at the last line's indent, the command */
		char *u = xasprintf("%s%s %c\n%s%s", t, k == 0 ? sep : " &&", pl->df->escape, indent,
		                    pi->add[k]);
		free(t);
		t = u;
	}
	free(indent);
	size_t end = dockerfile_offset(in, in->text_len);
	/* blanks that end the text stay after what is added */
	while (end > in->args && isspace((unsigned char)pl->df->data[end - 1]))
		end--;
	fp_edit(pl->p, end, end, t, i, 0);
}

/* The edits of instruction i: its insertions (flags), then the whole
 * instruction dropped, or the pieces that go cut and the commands added. */
static void
fp_edits_of(struct planner *pl, size_t i)
{
	struct pinstr *pi = &pl->pi[i];
	const struct df_instr *in = &pl->df->instrs[i];

	for (size_t k = 0; k < pi->nins; k++) {
		fp_edit(pl->p, pi->ins[k].start, pi->ins[k].end, pi->ins[k].text, i, 0);
		pi->ins[k].text = NULL;
	}
	if (pi->gone != NULL && fp_all_gone(pi) && pi->nadd == 0) {
		fp_edit(pl->p, in->line_start, in->line_end, xstrdup(""), i, 1);
		return;
	}
	if (pi->gone != NULL)
		fp_edits_gone(pl, i);
	if (pi->nadd > 0)
		fp_edits_add(pl, i);
}

static int
fp_cmp_edits(const void *x, const void *y)
{
	const struct fix_edit *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

static int
fp_cmp_items(const void *x, const void *y)
{
	const struct fix_item *a = x, *b = y;
	int ea = fix_kind_edits[a->kind], eb = fix_kind_edits[b->kind];

	if (ea != eb)
		return ea ? -1 : 1;
	if (a->finding != b->finding)
		return a->finding < b->finding ? -1 : 1;
	if (a->instr != b->instr)
		return a->instr < b->instr ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The lines of .dockerignore, trimmed, without comments. */
static void
fp_read_ignore(struct planner *pl, const char *text)
{
	size_t cap = 0;

	for (const char *l = text; l != NULL && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t n = strcspn(l, "\r\n");
		while (n > 0 && isspace((unsigned char)*l)) {
			l++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)l[n - 1]))
			n--;
		if (n == 0 || l[0] == '#')
			continue;
		ARRAY_RESERVE(pl->ignored, pl->nignored, cap);
		pl->ignored[pl->nignored++] = xstrndup(l, n);
	}
}

/* Each finding planned, by its kind. */
static void
fp_plan_findings(struct planner *pl)
{
	const struct advice *a = pl->a;

	/* metadata-only first: a deleted-later finding of the same chmod
	 * (files it rewrote unchanged) joins its edit */
	for (size_t fi = 0; fi < a->count; fi++)
		if (a->items[fi].id == ADVICE_METADATA_ONLY)
			fp_metadata(pl, fi);
	for (size_t fi = 0; fi < a->count; fi++) {
		switch (a->items[fi].id) {
		case ADVICE_DELETED_LATER:
			fp_deleted(pl, fi);
			break;
		case ADVICE_PACKAGE_CACHE:
			fp_cache(pl, fi);
			break;
		case ADVICE_BUILD_CONTEXT:
			fp_context(pl, fi);
			break;
		case ADVICE_TEMP_FILES:
			fp_advice_layers(pl, fi, "not edited: delete them in the RUN at line %u that "
			                 "makes them, unless a later instruction reads them");
			break;
		case ADVICE_BUILD_TOOLS:
			fp_advice_layers(pl, fi, "not edited: build in a stage of its own and COPY "
			                 "--from it only what runs (the RUN at line %u installs them)");
			break;
		case ADVICE_BIG_BASE:
			fp_item(pl, FIX_ADVICE, fi, pl->m->from, "not edited: a slimmer base image, %s",
			        a->items[fi].detail != NULL ? a->items[fi].detail : "");
			break;
		case ADVICE_ONBUILD:
			fp_onbuild(pl, fi);
			break;
		default:
			break;
		}
	}
}

/* The plan's edits, in the file's order. */
static void
fp_plan_edits(struct planner *pl)
{
	struct fix_plan *out = pl->p;

	for (size_t i = 0; i < pl->df->count; i++) {
		const struct pinstr *pi = &pl->pi[i];
		if (pi->nadd > 0 || pi->nins > 0 ||
		    (pi->gone != NULL && memchr(pi->gone, 1, pi->sh.count) != NULL))
			fp_edits_of(pl, i);
	}
	if (out->nedits > 1)
		qsort(out->edits, out->nedits, sizeof *out->edits, fp_cmp_edits);
	/* a drop takes its whole lines: edits inside it go */
	size_t n = 0;
	for (size_t e = 0; e < out->nedits; e++) {
		if (n > 0 && out->edits[e].start < out->edits[n - 1].end) {
			free(out->edits[e].text);
			continue;
		}
		out->edits[n++] = out->edits[e];
	}
	out->nedits = n;
}

/* The items that drop their line, the items sorted, the totals. */
static void
fp_plan_items(struct planner *pl)
{
	struct fix_plan *out = pl->p;

	for (size_t i = 0; i < out->count; i++) {
		struct fix_item *it = &out->items[i];
		const struct pinstr *from = it->from != SIZE_MAX ? &pl->pi[it->from] : NULL;
		if (from != NULL && from->gone != NULL && fp_all_gone(from) && from->nadd == 0)
			it->drops = 1;
	}
	if (out->count > 1)
		qsort(out->items, out->count, sizeof *out->items, fp_cmp_items);
	for (size_t i = 0; i < out->count; i++) {
		if (fix_kind_edits[out->items[i].kind])
			out->bytes += out->items[i].bytes;
		else
			out->advised += out->items[i].bytes;
	}
}

/* What the planner owns; the plan stays. */
static void
fp_planner_free(struct planner *pl)
{
	for (size_t i = 0; i < pl->df->count; i++) {
		struct pinstr *pi = &pl->pi[i];
		shellcmd_free(&pi->sh);
		free(pi->gone);
		for (size_t k = 0; k < pi->nadd; k++)
			free(pi->add[k]);
		free(pi->add);
		for (size_t k = 0; k < pi->nins; k++)
			free(pi->ins[k].text);
		free(pi->ins);
	}
	for (size_t k = 0; k < pl->nignored; k++)
		free(pl->ignored[k]);
	free(pl->ignored);
	free(pl->pi);
	free(pl->inchain);
	free(pl->path);
}

void
fixplan_make(const struct image *img, const struct advice *a, const struct dockerfile *df,
             const struct histmap *m, const struct fix_context *ctx, struct fix_plan *out)
{
	struct planner pl = { .img = img, .a = a, .df = df, .m = m, .p = out };

	memset(out, 0, sizeof *out);
	pl.pi = xcalloc(df->count + 1, sizeof *pl.pi);
	fp_chain(&pl);
	if (ctx != NULL && ctx->dockerignore != NULL)
		fp_read_ignore(&pl, ctx->dockerignore);
	if (img->nlayers > 0)
		fp_plan_findings(&pl);
	if (img->nlayers > 0 && m->stage != HISTMAP_NONE)
		fp_context_hidden(&pl);
	fp_plan_edits(&pl);
	fp_plan_items(&pl);
	fp_planner_free(&pl);
}

void
fixplan_free(struct fix_plan *p)
{
	for (size_t i = 0; i < p->count; i++) {
		struct fix_item *it = &p->items[i];
		free(it->what);
		free(it->ignore);
		for (size_t k = 0; k < it->npaths; k++)
			free(it->paths[k].path);
		free(it->paths);
		for (size_t k = 0; k < it->nunder; k++)
			free(it->under[k]);
		free(it->under);
		free(it->also);
	}
	free(p->items);
	for (size_t e = 0; e < p->nedits; e++)
		free(p->edits[e].text);
	free(p->edits);
	memset(p, 0, sizeof *p);
}

int
fixplan_serves(const struct fix_plan *p, size_t i, size_t f)
{
	const struct fix_item *it = &p->items[i];

	if (it->finding == f)
		return 1;
	for (size_t k = 0; k < it->nalso; k++)
		if (it->also[k] == f)
			return 1;
	return 0;
}
