/* filter: the paths that match a typed pattern; see filter.h.
 *
 * Every node's path is kept as text once (by node id, each a parent's
 * path plus its name), so a literal is one memmem pass over all of them
 * and a regex one match per path, split over threads; a literal typed on
 * only looks among the last one's matches. */
#include "tui/filter.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ere.h"
#include "util/xalloc.h"

#define FILTER_REGEX_META ".[]()*+?{}|^$\\"

struct filter {
	const struct image *img;
	size_t n;		/* nodes */
	int on, literal;
	char *pattern;		/* owned */
	struct ere *re;		/* owned: the last regex (a literal has none) */
	char *paths;		/* every node's path, by node id (built on demand) */
	uint32_t *poff;		/* where each starts; poff[n]: the end */
	uint32_t *matches;	/* nodes whose path matches, by id */
	size_t nmatches, cmatches;
};

struct filter *
filter_new(const struct image *img)
{
	struct filter *f = xcalloc(1, sizeof *f);

	f->img = img;
	f->n = img->tree.count;
	return f;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	free(f->pattern);
	ere_free(f->re);
	free(f->paths);
	free(f->poff);
	free(f->matches);
	free(f);
}

void
filter_prepare(struct filter *f)
{
	const struct node *nodes = f->img->tree.nodes;
	size_t used = 0, cap = 0;

	if (f->paths != NULL)
		return;
	f->poff = xmalloc((f->n + 1) * sizeof *f->poff);
	ARRAY_RESERVE(f->paths, 2, cap);
	f->paths[0] = '/';
	f->paths[1] = '\0';
	f->poff[0] = 0;
	used = 2;
	for (size_t i = 1; i < f->n; i++) {
		uint32_t p = nodes[i].parent;
		/* a parent's path ends where the next node's starts */
		size_t plen = p == TREE_ROOT ? 0 : (p + 1 < i ? f->poff[p + 1] : used) - f->poff[p] - 1;
		size_t len;
		const char *name = tree_name(&f->img->tree, (uint32_t)i, &len);
		if (used + plen + len + 2 > UINT32_MAX)
			xalloc_die();
		ARRAY_RESERVE(f->paths, used + plen + len + 2, cap);
		f->poff[i] = (uint32_t)used;
		memcpy(f->paths + used, f->paths + f->poff[p], plen);
		f->paths[used + plen] = '/';
		memcpy(f->paths + used + plen + 1, name, len);
		f->paths[used + plen + 1 + len] = '\0';
		used += plen + len + 2;
	}
	f->poff[f->n] = (uint32_t)used;
}

/* A share of the regex scan: the matches among nodes [from, to), written
 * from out on (room for to - from). */
struct filter_scan {
	const struct filter *f;
	int slot;
	uint32_t from, to;
	uint32_t *out;
	size_t nhits;
};

static void *
filter_scan_run(void *arg)
{
	struct filter_scan *sc = arg;
	const struct filter *f = sc->f;
	size_t k = 0;

	for (uint32_t i = sc->from; i < sc->to; i++)
		if (ere_match(f->re, sc->slot, f->paths + f->poff[i], f->poff[i + 1] - f->poff[i] - 1))
			sc->out[k++] = i;
	sc->nhits = k;
	return NULL;
}

/* Matches every path against the regex, on every core (up to the
 * regex's slots): the one scan a typed character cannot avoid. Each share
 * writes into its own part of the matches, closed up after. */
static void
filter_regex(struct filter *f)
{
	struct filter_scan sc[ERE_SLOTS];
	pthread_t th[ERE_SLOTS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int k = cpus < 1 ? 1 : cpus > ERE_SLOTS ? ERE_SLOTS : (int)cpus, started = 1;

	if (f->n < 65536)
		k = 1;
	ARRAY_RESERVE(f->matches, f->n, f->cmatches);
	for (int i = 0; i < k; i++) {
		uint32_t from = (uint32_t)(1 + (f->n - 1) * (size_t)i / (size_t)k);
		uint32_t to = (uint32_t)(1 + (f->n - 1) * (size_t)(i + 1) / (size_t)k);
		sc[i] = (struct filter_scan){ f, i, from, to, f->matches + from, 0 };
	}
	for (int i = 1; i < k; i++, started++)
		if (pthread_create(&th[i], NULL, filter_scan_run, &sc[i]) != 0)
			break;
	filter_scan_run(&sc[0]);
	for (int i = started; i < k; i++)
		filter_scan_run(&sc[i]);	/* no thread for it: here */
	for (int i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	f->nmatches = 0;
	for (int i = 0; i < k; i++) {
		memmove(f->matches + f->nmatches, sc[i].out, sc[i].nhits * sizeof *f->matches);
		f->nmatches += sc[i].nhits;
	}
}

/* One pass over all paths; a hit's node is found walking on. */
static void
filter_literal(struct filter *f)
{
	const char *end = f->paths + f->poff[f->n], *p = f->paths + f->poff[1];
	size_t plen = strlen(f->pattern);
	uint32_t n = 1;

	f->nmatches = 0;
	while (p < end && (p = memmem(p, (size_t)(end - p), f->pattern, plen)) != NULL) {
		size_t off = (size_t)(p - f->paths);
		while (f->poff[n + 1] <= off)
			n++;
		ARRAY_RESERVE(f->matches, f->nmatches, f->cmatches);
		f->matches[f->nmatches++] = n;
		p = f->paths + f->poff[++n];
	}
}

/* Typing on: a literal holding the last one matches among its matches. */
static void
filter_narrow(struct filter *f)
{
	size_t keep = 0;

	for (size_t i = 0; i < f->nmatches; i++)
		if (strstr(f->paths + f->poff[f->matches[i]], f->pattern) != NULL)
			f->matches[keep++] = f->matches[i];
	f->nmatches = keep;
}

int
filter_set(struct filter *f, const char *pattern, char **cause)
{
	int narrow;

	if (pattern == NULL || *pattern == '\0') {
		f->on = 0;
		return 0;
	}
	int literal = strpbrk(pattern, FILTER_REGEX_META) == NULL;
	if (!literal) {
		struct ere *re = ere_compile(pattern, cause);
		if (re == NULL)
			return -1;
		ere_free(f->re);
		f->re = re;
	}
	filter_prepare(f);
	narrow = literal && f->on && f->literal && strstr(pattern, f->pattern) != NULL;
	free(f->pattern);
	f->pattern = xstrdup(pattern);
	f->literal = literal;
	f->on = 1;
	if (narrow)
		filter_narrow(f);
	else if (literal)
		filter_literal(f);
	else
		filter_regex(f);
	return 0;
}

const char *
filter_pattern(const struct filter *f)
{
	return f->on ? f->pattern : NULL;
}

const uint32_t *
filter_matches(const struct filter *f, size_t *count)
{
	*count = f->on ? f->nmatches : 0;
	return f->matches;
}
