/* treeview: the file tree pane's view model; see treeview.h.
 *
 * Per layer ("epoch"), only the paths the compared layers changed are
 * looked at: each gets its own status and a mask of the statuses found in
 * its subtree, and so do its parents; every other path shown is unchanged
 * (or, on layer 0 compared alone, added). A node shows when it exists in
 * the view (at the layer, or removed since the baseline), matches the
 * filter (itself or below it), and its mask holds a status not hidden.
 * Directory sizes are kept for one layer and moved to another by the
 * size changes of the versions in between, and of the hard links whose
 * group changed its file (image/links.h: the listing of each layer, made
 * when first needed). */
#include "tui/treeview.h"

#include <stdlib.h>
#include <string.h>

#include "image/links.h"
#include "image/stack.h"
#include "tui/filter.h"
#include "util/xalloc.h"

struct tv_sized {		/* removed directories' sizes, per epoch */
	uint32_t *keys;
	uint64_t *values;
	size_t cap, count;
};

struct treeview {
	const struct image *img;
	size_t n;
	/* children sorted by name: node d's are kids[kfirst[d] .. kfirst[d+1]) */
	uint32_t *kids, *kfirst, *kpos;
	/* children by size for the current epoch, built when first walked */
	uint32_t *sfirst, *spos, *sstamp;
	uint32_t *spool;
	size_t nspool, cspool;
	int by_size;
	/* the view */
	size_t layer;
	int aggregate;
	long base;		/* the baseline layer, -1: nothing (layer 0 alone) */
	uint8_t dflt;		/* status of paths the compared layers left alone */
	uint8_t hidden;		/* bits of hidden statuses */
	uint32_t epoch;
	uint32_t *stamp;	/* own, mask, shown valid when stamp == epoch */
	uint8_t *own;		/* the path's own status */
	uint8_t *mask;		/* own statuses at and below it */
	int shown_ok;		/* shown is computed for this epoch (only
				 * needed while a status is hidden) */
	uint8_t *shown;		/* statuses rows at and below it show (a
				 * directory shows its merged status) */
	uint32_t *marked;	/* nodes stamped this epoch (owned) */
	size_t nmarked, cmarked;
	struct links **links;	/* owned: per layer, made when first used
				 * (also through a const view: a cache) */
	uint64_t *dsize;	/* sizes as of size_layer */
	size_t size_layer;
	struct tv_sized removed;
	/* collapsing: collapsed[d] counts when cstamp[d] == cepoch */
	uint8_t *collapsed;
	uint32_t *cstamp, cepoch;
	int cdefault;
	/* filter */
	struct filter *filter;	/* owned: the paths that match */
	int filter_on;		/* filter_pattern(filter) != NULL */
	uint32_t fepoch, *fstamp;	/* fstamp == fepoch: a match at or below */
	/* screen */
	int height, sel_row;
	uint32_t sel;
	uint32_t *work;		/* scratch (owned) */
	size_t cwork;
};

/* ----------------------------------------------------------------- order */

static int
tv_cmp_names(const void *a, const void *b, void *ctx)
{
	const struct tree *t = ctx;
	size_t la, lb;
	const char *sa = tree_name(t, *(const uint32_t *)a, &la);
	const char *sb = tree_name(t, *(const uint32_t *)b, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
tv_build_children(struct treeview *tv)
{
	const struct node *nodes = tv->img->tree.nodes;
	size_t n = tv->n;

	tv->kfirst = xcalloc(n + 1, sizeof *tv->kfirst);
	tv->kids = xmalloc((n ? n : 1) * sizeof *tv->kids);
	tv->kpos = xcalloc(n, sizeof *tv->kpos);
	for (size_t i = 1; i < n; i++)
		tv->kfirst[nodes[i].parent + 1]++;
	for (size_t i = 0; i < n; i++)
		tv->kfirst[i + 1] += tv->kfirst[i];
	uint32_t *fill = xmalloc((n ? n : 1) * sizeof *fill);
	memcpy(fill, tv->kfirst, n * sizeof *fill);
	for (size_t i = 1; i < n; i++)
		tv->kids[fill[nodes[i].parent]++] = (uint32_t)i;
	free(fill);
	for (size_t d = 0; d < n; d++) {
		uint32_t first = tv->kfirst[d], count = tv->kfirst[d + 1] - first;
		if (count > 1)
			qsort_r(tv->kids + first, count, sizeof *tv->kids, tv_cmp_names,
			        (void *)&tv->img->tree);
		for (uint32_t k = 0; k < count; k++)
			tv->kpos[tv->kids[first + k]] = k;
	}
}

static int
tv_cmp_sizes(const void *a, const void *b, void *ctx)
{
	const struct treeview *tv = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (tv->dsize[x] != tv->dsize[y])
		return tv->dsize[x] > tv->dsize[y] ? -1 : 1;
	return (tv->kpos[x] > tv->kpos[y]) - (tv->kpos[x] < tv->kpos[y]);
}

/* d's children in the order shown. */
static const uint32_t *
tv_children(struct treeview *tv, uint32_t d, uint32_t *count)
{
	uint32_t first = tv->kfirst[d];

	*count = tv->kfirst[d + 1] - first;
	if (!tv->by_size || *count < 2)
		return tv->kids + first;
	if (tv->sstamp[d] != tv->epoch) {
		ARRAY_RESERVE(tv->spool, tv->nspool + *count, tv->cspool);
		uint32_t *s = tv->spool + tv->nspool;
		memcpy(s, tv->kids + first, *count * sizeof *s);
		qsort_r(s, *count, sizeof *s, tv_cmp_sizes, tv);
		for (uint32_t k = 0; k < *count; k++)
			tv->spos[s[k]] = k;
		tv->sfirst[d] = (uint32_t)tv->nspool;
		tv->nspool += *count;
		tv->sstamp[d] = tv->epoch;
	}
	return tv->spool + tv->sfirst[d];
}

/* Where c stands among its siblings in the order shown. */
static uint32_t
tv_pos(struct treeview *tv, uint32_t c)
{
	uint32_t count;

	if (!tv->by_size)
		return tv->kpos[c];
	tv_children(tv, tv->img->tree.nodes[c].parent, &count);
	return count < 2 ? 0 : tv->spos[c];
}

/* ----------------------------------------------------------- the layer */

static int
tv_present(const struct treeview *tv, uint32_t n, long layer)
{
	return layer >= 0 && stack_present(tv->img, n, (size_t)layer);
}

static int
tv_in_view(const struct treeview *tv, uint32_t n)
{
	return n == TREE_ROOT || tv_present(tv, n, (long)tv->layer) ||
	       tv_present(tv, n, tv->base);
}

/* The listing after layer k (hard-link groups), made when first asked. */
static struct links *
tv_links(const struct treeview *tv, size_t k)
{
	if (tv->links[k] == NULL)
		tv->links[k] = links_new(tv->img, k);
	return tv->links[k];
}

/* n's own status, and in *in_view whether it shows at all (at the layer,
 * or removed since the baseline): one walk down its versions. */
static uint8_t
tv_own_status(const struct treeview *tv, uint32_t n, int *in_view)
{
	const struct version *vs = tv->img->versions;
	uint32_t vl = tv->img->tree.nodes[n].version, vb;

	while (vl != TREE_NONE && vs[vl].layer > tv->layer)
		vl = vs[vl].next;
	int pl = vl != TREE_NONE && vs[vl].entry != ENTRY_NONE;
	if (tv->base < 0) {
		*in_view = pl;
		return TV_ADDED;
	}
	for (vb = vl; vb != TREE_NONE && vs[vb].layer > (size_t)tv->base;)
		vb = vs[vb].next;
	int pb = vb != TREE_NONE && vs[vb].entry != ENTRY_NONE;
	*in_view = pl || pb;
	if (!pl)
		return pb ? TV_REMOVED : TV_UNMODIFIED;
	if (!pb)
		return TV_ADDED;
	return stack_same(tv->img, vl, vb) ? TV_UNMODIFIED : TV_MODIFIED;
}

/* The entry a node shows: at the layer, or the one it had when removed. */
static const struct entry *
tv_entry(const struct treeview *tv, uint32_t n)
{
	const struct entry *e = links_entry(tv_links(tv, tv->layer), n, NULL);

	if (e == NULL && tv->base >= 0)
		e = links_entry(tv_links(tv, (size_t)tv->base), n, NULL);
	return e;
}

static int
tv_is_dir(const struct treeview *tv, uint32_t n)
{
	const struct entry *e;

	return n == TREE_ROOT || ((e = tv_entry(tv, n)) != NULL && e->type == ENTRY_DIR);
}

/* Stamps n and its unstamped parents with their own status; then adds n's
 * statuses to the masks above it. */
static void
tv_mark(struct treeview *tv, uint32_t n, uint8_t own)
{
	const struct node *nodes = tv->img->tree.nodes;
	uint32_t top = n;
	int in_view;

	for (uint32_t a = n; a != TREE_ROOT && tv->stamp[a] != tv->epoch; a = nodes[a].parent) {
		tv->stamp[a] = tv->epoch;
		tv->own[a] = a == n ? own : tv_own_status(tv, a, &in_view);
		tv->mask[a] = (uint8_t)(1u << tv->own[a]);
		/* past n/16 marks, tv_shown finds them by their stamps */
		if (tv->nmarked <= tv->n / 16) {
			ARRAY_RESERVE(tv->marked, tv->nmarked, tv->cmarked);
			tv->marked[tv->nmarked] = a;
		}
		tv->nmarked++;
		top = a;
	}
	/* Up from n: the nodes up to top are new, above them a mask that
	 * already holds the bits ends the walk. */
	uint8_t bits = tv->mask[n];
	int above = n == top;
	for (uint32_t a = nodes[n].parent; a != TREE_ROOT; a = nodes[a].parent) {
		uint8_t before = tv->mask[a];
		tv->mask[a] |= bits;
		bits = tv->mask[a];
		if (above && before == bits)
			break;
		if (a == top)
			above = 1;
	}
}

static void
tv_mark_layer(struct treeview *tv, size_t k)
{
	const struct image *img = tv->img;
	const struct layer *l = &img->layers[k];

	for (size_t v = l->vfirst; v < l->vend; v++) {
		uint32_t n = img->versions[v].node;
		int in_view;
		if ((img->versions[v].flags & VERSION_DEAD) || n == TREE_ROOT ||
		    tv->stamp[n] == tv->epoch)
			continue;
		uint8_t own = tv_own_status(tv, n, &in_view);
		if (in_view)
			tv_mark(tv, n, own);
	}
}

/* The status a row shows: a directory merges its own with everything
 * below it (one status if they agree, else modified), as dive does. */
static uint8_t
tv_merged(uint8_t mask)
{
	return mask && !(mask & (mask - 1)) ? (uint8_t)__builtin_ctz(mask) : TV_MODIFIED;
}

static int
tv_cmp_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x < y) - (x > y);
}

/* shown: the merged statuses at and below each stamped node, children
 * before parents (a child's id is always above its parent's). A node
 * shows while shown holds a status that is not hidden: dive's rule that a
 * directory shows when its status shows or any of its children does. */
static void
tv_shown_one(struct treeview *tv, uint32_t n)
{
	uint32_t p = tv->img->tree.nodes[n].parent;

	tv->shown[n] |= (uint8_t)(1u << tv_merged(tv->mask[n]));
	/* children the compared layers left alone show the default */
	for (uint32_t k = tv->kfirst[n]; k < tv->kfirst[n + 1]; k++) {
		uint32_t c = tv->kids[k];
		if (tv->stamp[c] != tv->epoch && tv_in_view(tv, c)) {
			tv->shown[n] |= (uint8_t)(1u << tv->dflt);
			break;
		}
	}
	if (p != TREE_ROOT)
		tv->shown[p] |= tv->shown[n];
}

static void
tv_shown(struct treeview *tv)
{
	if (tv->shown_ok)
		return;
	tv->shown_ok = 1;
	if (tv->nmarked > tv->n / 16) {
		/* many (not all kept in marked): found by their stamps, in
		 * id order, faster than sorting */
		for (size_t i = 1; i < tv->n; i++)
			if (tv->stamp[i] == tv->epoch)
				tv->shown[i] = 0;
		for (size_t i = tv->n; i-- > 1;)
			if (tv->stamp[i] == tv->epoch)
				tv_shown_one(tv, (uint32_t)i);
		return;
	}
	if (tv->nmarked > 1)
		qsort(tv->marked, tv->nmarked, sizeof *tv->marked, tv_cmp_desc);
	for (size_t i = 0; i < tv->nmarked; i++)
		tv->shown[tv->marked[i]] = 0;
	for (size_t i = 0; i < tv->nmarked; i++)
		tv_shown_one(tv, tv->marked[i]);
}

/* Statuses and masks for the paths the compared layers changed. */
static void
tv_compute(struct treeview *tv)
{
	if (++tv->epoch == 0) {
		memset(tv->stamp, 0, tv->n * sizeof *tv->stamp);
		if (tv->sstamp != NULL)
			memset(tv->sstamp, 0, tv->n * sizeof *tv->sstamp);
		tv->epoch = 1;
	}
	tv->nspool = 0;
	tv->nmarked = 0;
	tv->removed.count = 0;
	if (tv->removed.keys != NULL)
		memset(tv->removed.keys, 0xff, tv->removed.cap * sizeof *tv->removed.keys);
	tv->base = tv->aggregate ? 0 : (long)tv->layer - 1;
	tv->dflt = tv->base < 0 ? TV_ADDED : TV_UNMODIFIED;
	if (tv->base >= 0)
		for (size_t k = (size_t)tv->base + 1; k <= tv->layer; k++)
			tv_mark_layer(tv, k);
	tv->shown_ok = 0;
	if (tv->hidden)
		tv_shown(tv);
}

static uint8_t
tv_mask(const struct treeview *tv, uint32_t n)
{
	return tv->stamp[n] == tv->epoch ? tv->mask[n] : (uint8_t)(1u << tv->dflt);
}

static uint8_t
tv_shown_mask(const struct treeview *tv, uint32_t n)
{
	return tv->stamp[n] == tv->epoch ? tv->shown[n] : (uint8_t)(1u << tv->dflt);
}

/* A file's share of its directories' sizes after layer k. */
static uint64_t
tv_contrib(const struct treeview *tv, uint32_t n, long k)
{
	return k < 0 ? 0 : links_size(tv_links(tv, (size_t)k), n);
}

static void
tv_sizes_init(struct treeview *tv, size_t layer)
{
	const struct node *nodes = tv->img->tree.nodes;

	memset(tv->dsize, 0, tv->n * sizeof *tv->dsize);
	for (size_t i = tv->n; i-- > 1;) {
		tv->dsize[i] += tv_contrib(tv, (uint32_t)i, (long)layer);
		tv->dsize[nodes[i].parent] += tv->dsize[i];
	}
	tv->size_layer = layer;
}

/* Adds d (negative: takes) to n's size and its parents'. */
static void
tv_sizes_add(struct treeview *tv, uint32_t n, int64_t d)
{
	for (uint32_t a = n; a != TREE_NONE && d != 0; a = tv->img->tree.nodes[a].parent)
		tv->dsize[a] += (uint64_t)d;
}

struct tv_step {
	struct treeview *tv;
	size_t k;
	int dir;
	const struct links *skip;	/* nodes counted already, or NULL */
};

/* A hard link's size change between layers k - 1 and k. */
static void
tv_sizes_link(void *ctx, uint32_t n)
{
	struct tv_step *st = ctx;

	if (st->skip != NULL && links_has(st->skip, n))
		return;
	int64_t d = (int64_t)tv_contrib(st->tv, n, (long)st->k) -
	            (int64_t)tv_contrib(st->tv, n, (long)st->k - 1);
	tv_sizes_add(st->tv, n, st->dir < 0 ? -d : d);
}

/* Moves the sizes from layer k - 1 to k (dir 1), or from k to k - 1 (-1):
 * by the versions of layer k, and by every hard link listed on either
 * side (a group may have chosen another file without a version). */
static void
tv_sizes_step(struct treeview *tv, size_t k, int dir)
{
	const struct image *img = tv->img;
	const struct layer *l = &img->layers[k];
	struct links *now = tv_links(tv, k), *below = k > 0 ? tv_links(tv, k - 1) : NULL;

	for (size_t v = l->vfirst; v < l->vend; v++) {
		uint32_t n = img->versions[v].node;
		if ((img->versions[v].flags & VERSION_DEAD) || links_has(now, n) ||
		    (below != NULL && links_has(below, n)))
			continue;
		int64_t d = (int64_t)tv_contrib(tv, n, (long)k) - (int64_t)tv_contrib(tv, n, (long)k - 1);
		tv_sizes_add(tv, n, dir < 0 ? -d : d);
	}
	struct tv_step st = { tv, k, dir, NULL };
	if (below != NULL)
		links_each(below, tv_sizes_link, &st);
	st.skip = below;
	links_each(now, tv_sizes_link, &st);
}

static void
tv_sizes_move(struct treeview *tv, size_t layer)
{
	while (tv->size_layer < layer)
		tv_sizes_step(tv, ++tv->size_layer, 1);
	while (tv->size_layer > layer)
		tv_sizes_step(tv, tv->size_layer--, -1);
}

/* What a removed path weighed at the baseline. */
static uint64_t
tv_removed_size(struct treeview *tv, uint32_t n)
{
	struct tv_sized *m = &tv->removed;
	size_t j;

	if (m->cap == 0 || m->count * 2 >= m->cap) {
		struct tv_sized bigger = { .cap = m->cap ? m->cap * 2 : 64 };
		bigger.keys = xmalloc(bigger.cap * sizeof *bigger.keys);
		bigger.values = xmalloc(bigger.cap * sizeof *bigger.values);
		memset(bigger.keys, 0xff, bigger.cap * sizeof *bigger.keys);
		for (size_t i = 0; i < m->cap; i++) {
			if (m->keys[i] == TREE_NONE)
				continue;
			for (j = m->keys[i] & (bigger.cap - 1); bigger.keys[j] != TREE_NONE;
			     j = (j + 1) & (bigger.cap - 1))
				;
			bigger.keys[j] = m->keys[i];
			bigger.values[j] = m->values[i];
			bigger.count++;
		}
		free(m->keys);
		free(m->values);
		*m = bigger;
	}
	for (j = n & (m->cap - 1); m->keys[j] != TREE_NONE; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == n)
			return m->values[j];

	uint64_t sum = 0;
	size_t top = 0;
	ARRAY_RESERVE(tv->work, top, tv->cwork);
	tv->work[top++] = n;
	while (top > 0) {
		uint32_t x = tv->work[--top];
		if (!tv_present(tv, x, tv->base))
			continue;
		sum += tv_contrib(tv, x, tv->base);
		for (uint32_t k = tv->kfirst[x]; k < tv->kfirst[x + 1]; k++) {
			ARRAY_RESERVE(tv->work, top, tv->cwork);
			tv->work[top++] = tv->kids[k];
		}
	}
	m->keys[j] = n;
	m->values[j] = sum;
	m->count++;
	return sum;
}

/* -------------------------------------------------------------- filter */

/* Marks the matches that exist in the view, and their parents. */
static void
tv_filter_marks(struct treeview *tv)
{
	const struct node *nodes = tv->img->tree.nodes;
	size_t count;
	const uint32_t *matches = filter_matches(tv->filter, &count);

	if (!tv->filter_on)
		return;
	if (++tv->fepoch == 0) {
		memset(tv->fstamp, 0, tv->n * sizeof *tv->fstamp);
		tv->fepoch = 1;
	}
	for (size_t i = 0; i < count; i++) {
		uint32_t n = matches[i], p = nodes[n].parent;
		/* A node out of view never shows (tv_visible asks), nor does
		 * anything below it: only a parent's stamp needs n in view. */
		if (p != TREE_NONE && tv->fstamp[p] == tv->fepoch) {
			tv->fstamp[n] = tv->fepoch;
			continue;
		}
		if (!tv_in_view(tv, n))
			continue;
		for (uint32_t a = n; a != TREE_NONE && tv->fstamp[a] != tv->fepoch; a = nodes[a].parent)
			tv->fstamp[a] = tv->fepoch;
	}
}

/* --------------------------------------------------------------- walks */

static int
tv_visible(struct treeview *tv, uint32_t n)
{
	if (!tv_in_view(tv, n))
		return 0;
	if (tv->filter_on && tv->fstamp[n] != tv->fepoch)
		return 0;
	return tv->hidden == 0 || (tv_shown_mask(tv, n) & ~tv->hidden) != 0;
}

static int
tv_collapsed(const struct treeview *tv, uint32_t d)
{
	return tv->cstamp[d] == tv->cepoch ? tv->collapsed[d] : tv->cdefault;
}

static int
tv_open(struct treeview *tv, uint32_t d)
{
	return d == TREE_ROOT || (tv_is_dir(tv, d) && !tv_collapsed(tv, d));
}

static uint32_t
tv_first_child(struct treeview *tv, uint32_t d)
{
	uint32_t count;
	const uint32_t *c = tv_children(tv, d, &count);

	for (uint32_t k = 0; k < count; k++)
		if (tv_visible(tv, c[k]))
			return c[k];
	return TREE_NONE;
}

static uint32_t
tv_last_child(struct treeview *tv, uint32_t d)
{
	uint32_t count;
	const uint32_t *c = tv_children(tv, d, &count);

	for (uint32_t k = count; k-- > 0;)
		if (tv_visible(tv, c[k]))
			return c[k];
	return TREE_NONE;
}

static uint32_t
tv_sibling(struct treeview *tv, uint32_t n, int dir)
{
	uint32_t count, pos = tv_pos(tv, n);
	const uint32_t *c = tv_children(tv, tv->img->tree.nodes[n].parent, &count);

	if (dir > 0) {
		for (uint32_t k = pos + 1; k < count; k++)
			if (tv_visible(tv, c[k]))
				return c[k];
	} else {
		for (uint32_t k = pos; k-- > 0;)
			if (tv_visible(tv, c[k]))
				return c[k];
	}
	return TREE_NONE;
}

/* The row after n, or TREE_NONE. */
static uint32_t
tv_next(struct treeview *tv, uint32_t n)
{
	uint32_t c;

	if (tv_open(tv, n) && (c = tv_first_child(tv, n)) != TREE_NONE)
		return c;
	for (; n != TREE_ROOT; n = tv->img->tree.nodes[n].parent)
		if ((c = tv_sibling(tv, n, 1)) != TREE_NONE)
			return c;
	return TREE_NONE;
}

/* The row before n, or TREE_NONE. */
static uint32_t
tv_prev(struct treeview *tv, uint32_t n)
{
	uint32_t s = tv_sibling(tv, n, -1), c, p;

	if (s != TREE_NONE) {
		while (tv_open(tv, s) && (c = tv_last_child(tv, s)) != TREE_NONE)
			s = c;
		return s;
	}
	p = tv->img->tree.nodes[n].parent;
	return p == TREE_ROOT ? TREE_NONE : p;
}

/* Whether n is a row: it and its parents show, its parents are open. */
static int
tv_reachable(struct treeview *tv, uint32_t n)
{
	if (n == TREE_NONE || n == TREE_ROOT || !tv_visible(tv, n))
		return 0;
	for (uint32_t a = tv->img->tree.nodes[n].parent; a != TREE_ROOT;
	     a = tv->img->tree.nodes[a].parent)
		if (!tv_visible(tv, a) || !tv_open(tv, a))
			return 0;
	return 1;
}

/* Keeps the selection on a row: the selected node, else the closest row
 * above it in its parents, else the first row. */
static void
tv_fix(struct treeview *tv)
{
	const struct node *nodes = tv->img->tree.nodes;

	if (!tv_reachable(tv, tv->sel) && tv->sel != TREE_NONE && tv->sel < tv->n) {
		size_t depth = 0;
		for (uint32_t a = tv->sel; a != TREE_ROOT; a = nodes[a].parent) {
			ARRAY_RESERVE(tv->work, depth, tv->cwork);
			tv->work[depth++] = a;
		}
		uint32_t best = TREE_NONE;
		while (depth-- > 0) {
			uint32_t a = tv->work[depth];
			if (!tv_visible(tv, a))
				break;
			best = a;
			if (!tv_open(tv, a))
				break;
		}
		tv->sel = best;
	}
	if (tv->sel == TREE_NONE || !tv_reachable(tv, tv->sel))
		tv->sel = tv_first_child(tv, TREE_ROOT);
	if (tv->sel_row >= tv->height)
		tv->sel_row = tv->height - 1;
	if (tv->sel_row < 0)
		tv->sel_row = 0;
	if (tv->sel == TREE_NONE) {
		tv->sel_row = 0;
		return;
	}
	/* The rows below it fill the screen if there are enough; else it goes
	 * down the screen, as far as there are rows above it. */
	int below = 0;
	for (uint32_t p = tv->sel; below < tv->height - 1 - tv->sel_row; below++)
		if ((p = tv_next(tv, p)) == TREE_NONE)
			break;
	int want = tv->height - 1 - below, above = 0;
	for (uint32_t p = tv->sel; above < want; above++)
		if ((p = tv_prev(tv, p)) == TREE_NONE)
			break;
	tv->sel_row = above;
}

/* ---------------------------------------------------------------- API */

struct treeview *
treeview_new(const struct image *img)
{
	struct treeview *tv = xcalloc(1, sizeof *tv);
	size_t n = img->tree.count;

	tv->img = img;
	tv->n = n;
	tv_build_children(tv);
	tv->stamp = xcalloc(n, sizeof *tv->stamp);
	tv->own = xmalloc(n);
	tv->mask = xmalloc(n);
	tv->shown = xmalloc(n);
	tv->dsize = xcalloc(n, sizeof *tv->dsize);
	tv->links = xcalloc(img->nlayers ? img->nlayers : 1, sizeof *tv->links);
	tv->collapsed = xcalloc(n, 1);
	tv->cstamp = xcalloc(n, sizeof *tv->cstamp);
	tv->filter = filter_new(img);
	tv->cepoch = 1;
	tv->height = 1;
	tv->sel = TREE_NONE;
	size_t top = img->nlayers ? img->nlayers - 1 : 0;
	tv_sizes_init(tv, top);
	treeview_set_layer(tv, top, 0);
	return tv;
}

void
treeview_free(struct treeview *tv)
{
	if (tv == NULL)
		return;
	free(tv->kids);
	free(tv->kfirst);
	free(tv->kpos);
	free(tv->sfirst);
	free(tv->spos);
	free(tv->sstamp);
	free(tv->spool);
	free(tv->stamp);
	free(tv->own);
	free(tv->mask);
	free(tv->shown);
	free(tv->marked);
	free(tv->dsize);
	for (size_t k = 0; k < tv->img->nlayers; k++)
		links_free(tv->links[k]);
	free(tv->links);
	free(tv->removed.keys);
	free(tv->removed.values);
	free(tv->collapsed);
	free(tv->cstamp);
	filter_free(tv->filter);
	free(tv->fstamp);
	free(tv->work);
	free(tv);
}

void
treeview_set_layer(struct treeview *tv, size_t layer, int aggregate)
{
	if (tv->img->nlayers == 0)
		return;
	if (layer >= tv->img->nlayers)
		layer = tv->img->nlayers - 1;
	tv->layer = layer;
	tv->aggregate = aggregate;
	tv_sizes_move(tv, layer);
	tv_compute(tv);
	tv_filter_marks(tv);
	tv_fix(tv);
}

void
treeview_set_hidden(struct treeview *tv, enum tv_status s, int hidden)
{
	if (hidden)
		tv->hidden |= (uint8_t)(1u << s);
	else
		tv->hidden &= (uint8_t)~(1u << s);
	if (tv->hidden)
		tv_shown(tv);
	tv_fix(tv);
}

int
treeview_hidden(const struct treeview *tv, enum tv_status s)
{
	return (tv->hidden >> s) & 1;
}

void
treeview_prepare(struct treeview *tv)
{
	filter_prepare(tv->filter);
	if (tv->fstamp == NULL)
		tv->fstamp = xcalloc(tv->n, sizeof *tv->fstamp);
}

int
treeview_set_filter(struct treeview *tv, const char *pattern, char **cause)
{
	if (filter_set(tv->filter, pattern, cause) < 0)
		return -1;
	tv->filter_on = filter_pattern(tv->filter) != NULL;
	if (tv->filter_on) {
		treeview_prepare(tv);
		tv_filter_marks(tv);
	}
	tv_fix(tv);
	return 0;
}

const char *
treeview_filter(const struct treeview *tv)
{
	return filter_pattern(tv->filter);
}

void
treeview_set_sort(struct treeview *tv, int by_size)
{
	if (by_size && tv->sfirst == NULL) {
		tv->sfirst = xcalloc(tv->n, sizeof *tv->sfirst);
		tv->spos = xcalloc(tv->n, sizeof *tv->spos);
		tv->sstamp = xcalloc(tv->n, sizeof *tv->sstamp);
	}
	tv->by_size = by_size;
	tv_fix(tv);
}

int
treeview_sort(const struct treeview *tv)
{
	return tv->by_size;
}

void
treeview_set_height(struct treeview *tv, int rows)
{
	tv->height = rows > 0 ? rows : 1;
	tv_fix(tv);
}

void
treeview_move(struct treeview *tv, int delta)
{
	uint32_t n;

	if (tv->sel == TREE_NONE)
		return;
	for (; delta > 0 && (n = tv_next(tv, tv->sel)) != TREE_NONE; delta--) {
		tv->sel = n;
		if (tv->sel_row < tv->height - 1)
			tv->sel_row++;
	}
	for (; delta < 0 && (n = tv_prev(tv, tv->sel)) != TREE_NONE; delta++) {
		tv->sel = n;
		if (tv->sel_row > 0)
			tv->sel_row--;
	}
	tv_fix(tv);
}

void
treeview_page(struct treeview *tv, int dir)
{
	treeview_move(tv, dir * tv->height);
}

void
treeview_left(struct treeview *tv)
{
	uint32_t p;
	int steps = 0;

	if (tv->sel == TREE_NONE || (p = tv->img->tree.nodes[tv->sel].parent) == TREE_ROOT)
		return;
	/* the parent is a row above: count the rows to it */
	for (uint32_t x = tv->sel; x != p && x != TREE_NONE; x = tv_prev(tv, x))
		steps++;
	tv->sel = p;
	tv->sel_row -= steps;
	tv_fix(tv);
}

void
treeview_right(struct treeview *tv)
{
	if (tv->sel == TREE_NONE || !tv_is_dir(tv, tv->sel) ||
	    tv_first_child(tv, tv->sel) == TREE_NONE)
		return;
	tv->collapsed[tv->sel] = 0;
	tv->cstamp[tv->sel] = tv->cepoch;
	treeview_move(tv, 1);
}

void
treeview_toggle_collapse(struct treeview *tv)
{
	uint32_t d = tv->sel;

	if (d == TREE_NONE || !tv_is_dir(tv, d))
		return;
	tv->collapsed[d] = (uint8_t)!tv_collapsed(tv, d);
	tv->cstamp[d] = tv->cepoch;
	tv_fix(tv);
}

void
treeview_toggle_collapse_all(struct treeview *tv)
{
	if (++tv->cepoch == 0) {
		memset(tv->cstamp, 0, tv->n * sizeof *tv->cstamp);
		tv->cepoch = 1;
	}
	tv->cdefault = !tv->cdefault;
	tv_fix(tv);
}

int
treeview_select(struct treeview *tv, uint32_t node)
{
	if (node == TREE_NONE || node >= tv->n || node == TREE_ROOT)
		return 0;
	for (uint32_t a = tv->img->tree.nodes[node].parent; a != TREE_ROOT;
	     a = tv->img->tree.nodes[a].parent) {
		tv->collapsed[a] = 0;
		tv->cstamp[a] = tv->cepoch;
	}
	if (!tv_reachable(tv, node))
		return 0;
	tv->sel = node;
	tv->sel_row = tv->height / 2;
	tv_fix(tv);
	return 1;
}

uint32_t
treeview_selected(const struct treeview *tv)
{
	return tv->sel;
}

const struct image *
tv_image(const struct treeview *tv)
{
	return tv->img;
}

size_t
treeview_layer(const struct treeview *tv)
{
	return tv->layer;
}

int
treeview_aggregate(const struct treeview *tv)
{
	return tv->aggregate;
}

static void
tv_row(struct treeview *tv, uint32_t n, struct tv_row *r)
{
	const struct node *nodes = tv->img->tree.nodes;
	uint8_t mask = tv_mask(tv, n);
	int depth = -1;

	memset(r, 0, sizeof *r);
	r->node = n;
	r->entry = tv_entry(tv, n);
	r->status = tv_merged(mask);
	r->is_dir = (uint8_t)tv_is_dir(tv, n);
	r->collapsed = (uint8_t)(r->is_dir && tv_collapsed(tv, n));
	r->has_children = (uint8_t)(r->is_dir && tv_first_child(tv, n) != TREE_NONE);
	r->size = tv_present(tv, n, (long)tv->layer) ? tv->dsize[n] : tv_removed_size(tv, n);
	for (uint32_t a = n; a != TREE_ROOT; a = nodes[a].parent)
		depth++;
	r->depth = (uint8_t)(depth < 31 ? depth : 31);
	int d = depth;
	for (uint32_t a = n; a != TREE_ROOT; a = nodes[a].parent, d--)
		if (d < 32 && tv_sibling(tv, a, 1) == TREE_NONE)
			r->last_bits |= 1u << d;
}

size_t
treeview_rows(struct treeview *tv, struct tv_row *out, size_t max, int *selected)
{
	uint32_t n = tv->sel;
	size_t count = 0;

	*selected = -1;
	if (n == TREE_NONE || max == 0)
		return 0;
	for (int k = 0; k < tv->sel_row; k++) {
		uint32_t p = tv_prev(tv, n);
		if (p == TREE_NONE)
			break;
		n = p;
	}
	for (; n != TREE_NONE && count < max; n = tv_next(tv, n)) {
		if (n == tv->sel)
			*selected = (int)count;
		tv_row(tv, n, &out[count++]);
	}
	return count;
}
