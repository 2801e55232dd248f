/* waste: dive's waste metrics and fathom's reclaimable bytes; see waste.h.
 *
 * dive's definition, per layer: every leaf path of the layer's own tree (a
 * tar entry with no entry below it in that layer; opaque markers dropped)
 * counts its tar size, or for a whiteout the size of what it deletes (a
 * directory's whole subtree, a file 0). Per path: cumulative, minimum and
 * count of those sizes; count >= 2 is an inefficient file. */
#include "analysis/waste.h"

#include <stdlib.h>
#include <string.h>

#include "image/stack.h"
#include "util/xalloc.h"

struct waste_stats {
	uint64_t cumulative, min;
	uint32_t count;
};

struct waste_ctx {
	const struct image *img;
	struct waste *w;
	struct waste_stats *stats;	/* per node */
	uint32_t *todo;			/* work stack (owned) */
	size_t ctodo;
	size_t cfiles, cwrites;
};

/* Sizes of node and of everything below it that exists after layer. */
static uint64_t
waste_subtree(struct waste_ctx *c, uint32_t node, size_t layer)
{
	const struct image *img = c->img;
	size_t n = 0;
	uint64_t sum = 0;

	ARRAY_RESERVE(c->todo, n, c->ctodo);
	c->todo[n++] = node;
	while (n > 0) {
		uint32_t x = c->todo[--n];
		const struct entry *e = stack_entry_at(img, x, layer);
		if (e == NULL)
			continue;
		sum += e->size;
		for (uint32_t ch = img->tree.nodes[x].child; ch != TREE_NONE;
		     ch = img->tree.nodes[ch].sibling) {
			ARRAY_RESERVE(c->todo, n, c->ctodo);
			c->todo[n++] = ch;
		}
	}
	return sum;
}

/* What dive counts for a whiteout of node in layer k. */
static uint64_t
waste_whiteout_size(struct waste_ctx *c, uint32_t node, size_t k)
{
	const struct entry *below;

	if (k == 0 || (below = stack_entry_at(c->img, node, k - 1)) == NULL ||
	    below->type != ENTRY_DIR)
		return 0;
	return waste_subtree(c, node, k - 1);
}

static void
waste_visit(struct waste_ctx *c, uint32_t node, uint64_t size, size_t k, int whiteout)
{
	struct waste_stats *s = &c->stats[node];

	s->cumulative += size;
	if (s->count == 0 || size < s->min)
		s->min = size;
	if (++s->count == 2) {
		struct waste *w = c->w;
		ARRAY_RESERVE(w->files, w->nfiles, c->cfiles);
		w->files[w->nfiles++] = (struct waste_file){
			.node = node,
			.seen_layer = (uint16_t)k,
			.seen_whiteout = (uint8_t)whiteout,
		};
	}
}

/* One layer's leaves, dive's way. reg/wh hold, per node, the layer's last
 * entry for it; mark holds k + 1 on nodes that have entries below them. An
 * opaque marker is dropped, but the directory it names is in the layer's
 * tree: a leaf of size 0 when nothing else of the layer is in it. */
static void
waste_dive_layer(struct waste_ctx *c, size_t k, uint32_t *reg, uint32_t *wh,
                 uint16_t *mark)
{
	const struct image *img = c->img;
	const struct blob *b = &img->blobs[img->layers[k].blob];
	const struct node *nodes = img->tree.nodes;
	size_t end = b->first + b->count;

	for (size_t i = b->first; i < end; i++) {
		const struct entry *e = &img->entries[i];
		if (e->node == TREE_ROOT)
			continue;
		if (e->type != ENTRY_OPAQUE)
			(e->type == ENTRY_WHITEOUT ? wh : reg)[e->node] = (uint32_t)i;
		for (uint32_t p = nodes[e->node].parent; p != TREE_NONE && mark[p] != k + 1;
		     p = nodes[p].parent)
			mark[p] = (uint16_t)(k + 1);
	}
	for (size_t i = b->first; i < end; i++) {
		const struct entry *e = &img->entries[i];
		if (e->node == TREE_ROOT)
			continue;
		if (e->type == ENTRY_WHITEOUT) {
			if (wh[e->node] == i)
				waste_visit(c, e->node, waste_whiteout_size(c, e->node, k), k, 1);
		} else if (e->type == ENTRY_OPAQUE) {
			if (reg[e->node] == ENTRY_NONE && mark[e->node] != k + 1) {
				waste_visit(c, e->node, 0, k, 0);
				mark[e->node] = (uint16_t)(k + 1);	/* once */
			}
		} else if (reg[e->node] == i && mark[e->node] != k + 1) {
			waste_visit(c, e->node, e->size, k, 0);
		}
	}
	for (size_t i = b->first; i < end; i++)
		reg[img->entries[i].node] = wh[img->entries[i].node] = ENTRY_NONE;
}

/* A file's path as dive's tree spells it ("a/.wh.b" when a whiteout made
 * it inefficient), to order equal sizes as dive does (owned). */
static char *
waste_dive_path(const struct image *img, const struct waste_file *f)
{
	char *buf = NULL, *out;
	size_t cap = 0, len = tree_path(&img->tree, f->node, &buf, &cap);

	if (!f->seen_whiteout)
		return buf;
	const char *slash = memrchr(buf, '/', len);
	out = xasprintf("%.*s/.wh.%s", (int)(slash - buf), buf, slash + 1);
	free(buf);
	return out;
}

/* Where a path sits in dive's visiting order within one layer: children
 * before their directory, siblings by name. */
static int
waste_dive_order(const unsigned char *a, const unsigned char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	if (a[i] == b[i])
		return 0;
	if (a[i] == '\0')	/* a is b's directory, or a shorter name */
		return b[i] == '/' ? 1 : -1;
	if (b[i] == '\0')
		return a[i] == '/' ? -1 : 1;
	if (a[i] == '/')
		return -1;
	if (b[i] == '/')
		return 1;
	return a[i] < b[i] ? -1 : 1;
}

struct waste_sorted {
	struct waste_file f;
	char *path;		/* owned: dive's spelling */
};

/* dive lists inefficient files largest first; equal sizes in reverse
 * order of discovery (it sorts ascending, then prints from the end). */
static int
waste_cmp_files(const void *x, const void *y)
{
	const struct waste_sorted *a = x, *b = y;

	if (a->f.cumulative != b->f.cumulative)
		return a->f.cumulative > b->f.cumulative ? -1 : 1;
	if (a->f.seen_layer != b->f.seen_layer)
		return a->f.seen_layer > b->f.seen_layer ? -1 : 1;
	return -waste_dive_order((const unsigned char *)a->path, (const unsigned char *)b->path);
}

static void
waste_sort_files(const struct image *img, struct waste *w)
{
	struct waste_sorted *s = xcalloc(w->nfiles, sizeof *s);

	for (size_t i = 0; i < w->nfiles; i++) {
		s[i].f = w->files[i];
		s[i].path = waste_dive_path(img, &w->files[i]);
	}
	qsort(s, w->nfiles, sizeof *s, waste_cmp_files);
	for (size_t i = 0; i < w->nfiles; i++) {
		w->files[i] = s[i].f;
		free(s[i].path);
	}
	free(s);
}

static void
waste_dive(struct waste_ctx *c)
{
	const struct image *img = c->img;
	struct waste *w = c->w;
	size_t n = img->tree.count;
	uint32_t *reg = xmalloc(n * sizeof *reg), *wh = xmalloc(n * sizeof *wh);
	uint16_t *mark = xcalloc(n, sizeof *mark);
	uint64_t mins = 0, cumulatives = 0;

	memset(reg, 0xff, n * sizeof *reg);
	memset(wh, 0xff, n * sizeof *wh);
	for (size_t k = 0; k < img->nlayers; k++)
		waste_dive_layer(c, k, reg, wh, mark);
	free(reg);
	free(wh);
	free(mark);

	for (size_t i = 0; i < n; i++) {
		mins += c->stats[i].min;
		cumulatives += c->stats[i].cumulative;
	}
	w->efficiency = cumulatives == 0 ? 1.0 : (double)mins / (double)cumulatives;
	for (size_t i = 0; i < w->nfiles; i++) {
		w->files[i].count = c->stats[w->files[i].node].count;
		w->files[i].cumulative = c->stats[w->files[i].node].cumulative;
		w->wasted_bytes += w->files[i].cumulative;
	}
	if (w->nfiles > 1)
		waste_sort_files(img, w);
}

static int
waste_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The final filesystem's size; *alive gets the files that are gone from
 * their own path but live on through a hard link (sorted, owned). */
static uint64_t
waste_final(const struct image *img, uint32_t **alive, size_t *nalive)
{
	size_t cap = 0, n = 0;
	uint64_t size = 0;

	*alive = NULL;
	for (size_t node = 1; node < img->tree.count; node++) {
		uint32_t v = img->tree.nodes[node].version;
		if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE)
			continue;
		const struct entry *e = &img->entries[img->versions[v].entry];
		if (e->type == ENTRY_FILE) {
			size += e->size;
			continue;
		}
		if (e->type != ENTRY_HARDLINK)
			continue;
		uint32_t inode = stack_inode(img, img->versions[v].entry, img->versions[v].layer);
		if (inode == ENTRY_NONE)
			continue;
		uint32_t own = img->tree.nodes[img->entries[inode].node].version;
		if (own != TREE_NONE && img->versions[own].entry == inode)
			continue;	/* still at its own path: counted there */
		ARRAY_RESERVE(*alive, n, cap);
		(*alive)[n++] = inode;
	}
	if (n > 1)
		qsort(*alive, n, sizeof **alive, waste_cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < n; i++) {
		if (u > 0 && (*alive)[u - 1] == (*alive)[i])
			continue;
		(*alive)[u++] = (*alive)[i];
		size += img->entries[(*alive)[i]].size;
	}
	*nalive = u;
	return size;
}

/* The layer that hid version v of node: the next newer version's. */
static uint16_t
waste_hidden_by(const struct image *img, uint32_t node, uint32_t v)
{
	uint32_t w = img->tree.nodes[node].version;

	while (img->versions[w].next != v)
		w = img->versions[w].next;
	return img->versions[w].layer;
}

static void
waste_hidden(struct waste_ctx *c, const uint32_t *alive, size_t nalive)
{
	const struct image *img = c->img;
	struct waste *w = c->w;

	for (size_t k = 0; k < img->nlayers; k++) {
		const struct blob *b = &img->blobs[img->layers[k].blob];
		for (size_t i = b->first; i < b->first + b->count; i++) {
			const struct entry *e = &img->entries[i];
			uint32_t node = e->node, v, key = (uint32_t)i;
			uint16_t by;

			if (e->type != ENTRY_FILE || e->size == 0)
				continue;
			v = stack_at(img, node, k);
			if (v == TREE_NONE || img->versions[v].layer != k ||
			    img->versions[v].entry != i)
				by = (uint16_t)k;	/* replaced within its layer */
			else if (img->tree.nodes[node].version == v || (nalive > 0 &&
			         bsearch(&key, alive, nalive, sizeof *alive, waste_cmp_u32)))
				continue;		/* in the final filesystem */
			else
				by = waste_hidden_by(img, node, v);
			ARRAY_RESERVE(w->writes, w->nwrites, c->cwrites);
			w->writes[w->nwrites++] = (struct waste_write){
				.node = node, .layer = (uint16_t)k, .hidden_by = by, .bytes = e->size,
			};
			if (k >= w->base_layers)
				w->user_reclaimable += e->size;
		}
	}
}

struct waste_keyed {
	struct waste_path p;
	char *path;		/* owned, for ties */
};

static int
waste_cmp_writes(const void *x, const void *y)
{
	const struct waste_write *a = x, *b = y;

	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

static int
waste_cmp_paths(const void *x, const void *y)
{
	const struct waste_keyed *a = x, *b = y;

	if (a->p.bytes != b->p.bytes)
		return a->p.bytes > b->p.bytes ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Groups the writes by path, largest path first. */
static void
waste_group(struct waste_ctx *c)
{
	const struct image *img = c->img;
	struct waste *w = c->w;
	struct waste_keyed *k = NULL;
	size_t nk = 0, ck = 0, cap = 0;

	if (w->nwrites > 1)
		qsort(w->writes, w->nwrites, sizeof *w->writes, waste_cmp_writes);
	for (size_t i = 0; i < w->nwrites; i++) {
		if (nk == 0 || k[nk - 1].p.node != w->writes[i].node) {
			ARRAY_RESERVE(k, nk, ck);
			k[nk] = (struct waste_keyed){ .p = { .node = w->writes[i].node, .first = i } };
			cap = 0;
			tree_path(&img->tree, w->writes[i].node, &k[nk].path, &cap);
			nk++;
		}
		k[nk - 1].p.bytes += w->writes[i].bytes;
		k[nk - 1].p.count++;
	}
	if (nk > 1)
		qsort(k, nk, sizeof *k, waste_cmp_paths);

	struct waste_write *writes = xcalloc(w->nwrites ? w->nwrites : 1, sizeof *writes);
	size_t at = 0;
	w->paths = xcalloc(nk ? nk : 1, sizeof *w->paths);
	for (size_t i = 0; i < nk; i++) {
		memcpy(writes + at, w->writes + k[i].p.first, k[i].p.count * sizeof *writes);
		w->paths[i] = k[i].p;
		w->paths[i].first = at;
		at += k[i].p.count;
		free(k[i].path);
	}
	w->npaths = nk;
	free(w->writes);
	w->writes = writes;
	free(k);
}

void
waste_analyze(const struct image *img, size_t base_layers, struct waste *out)
{
	struct waste_ctx c = { .img = img, .w = out };
	uint32_t *alive;
	size_t nalive;

	memset(out, 0, sizeof *out);
	out->base_layers = base_layers < img->nlayers ? base_layers : img->nlayers;
	for (size_t k = 0; k < img->nlayers; k++) {
		uint64_t s = img->blobs[img->layers[k].blob].size;
		out->image_size += s;
		if (k >= out->base_layers)
			out->user_size += s;
	}

	c.stats = xcalloc(img->tree.count, sizeof *c.stats);
	waste_dive(&c);
	out->user_wasted_percent = out->user_size == 0 ? 0.0 :
	    (double)out->wasted_bytes / (double)out->user_size;

	out->final_size = waste_final(img, &alive, &nalive);
	out->reclaimable = out->image_size > out->final_size ?
	    out->image_size - out->final_size : 0;
	out->reclaimable_percent = out->image_size == 0 ? 0.0 :
	    (double)out->reclaimable / (double)out->image_size;
	waste_hidden(&c, alive, nalive);
	waste_group(&c);

	free(alive);
	free(c.stats);
	free(c.todo);
}

void
waste_fini(struct waste *w)
{
	free(w->files);
	free(w->writes);
	free(w->paths);
	memset(w, 0, sizeof *w);
}
