/* links: hard-link groups after a layer; see links.h. */
#include "image/links.h"

#include <stdlib.h>
#include <string.h>

#include "image/stack.h"
#include "util/xalloc.h"

/* How one hard link's path lists after the layer. */
struct links_item {
	uint32_t node;
	uint32_t entry;		/* what it lists as: its own link, or the inode */
	uint32_t target;	/* the node it links to; TREE_NONE: none */
	uint32_t group;		/* its group's first index in orphans, or UINT32_MAX */
	uint32_t ngroup;	/* paths in its group */
};

struct links {
	const struct image *img;
	size_t layer;
	struct links_item *items;	/* owned, by node */
	size_t n;
	uint32_t *orphans;	/* owned: the paths of groups whose inode lost
				 * its own path, by group, in byte order */
};

/* A path of a group whose inode lost its own path. */
struct links_orphan {
	uint32_t inode, node;
	char *path;		/* owned: its absolute path, for byte order */
	size_t len;
};

static int
links_cmp_orphans(const void *a, const void *b)
{
	const struct links_orphan *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->path, y->path, n);
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static int
links_cmp_items(const void *a, const void *b)
{
	const struct links_item *x = a, *y = b;

	return (x->node > y->node) - (x->node < y->node);
}

/* Whether inode's own path holds it after the layer. */
static int
links_home_holds(const struct image *img, uint32_t inode, size_t layer)
{
	uint32_t home = img->entries[inode].node;
	uint32_t v = stack_at(img, home, layer);

	return v != TREE_NONE && img->versions[v].entry == inode;
}

/* The first path of each orphan group becomes the file, the others link to it. */
static void
links_group(struct links *l, struct links_orphan *o, size_t n)
{
	if (n > 1)
		qsort(o, n, sizeof *o, links_cmp_orphans);
	l->orphans = xmalloc((n ? n : 1) * sizeof *l->orphans);
	for (size_t i = 0, first = 0, count = 0; i < n; i++) {
		if (i == 0 || o[i].inode != o[i - 1].inode) {
			first = i;
			for (count = 1; i + count < n && o[i + count].inode == o[i].inode; count++)
				;
		}
		l->orphans[i] = o[i].node;
		l->items[l->n++] = (struct links_item){
			.node = o[i].node,
			.entry = first == i ? o[i].inode :
			         l->img->versions[stack_at(l->img, o[i].node, l->layer)].entry,
			.target = first == i ? TREE_NONE : o[first].node,
			.group = (uint32_t)first,
			.ngroup = (uint32_t)count,
		};
		free(o[i].path);
	}
}

struct links *
links_new(const struct image *img, size_t layer)
{
	struct links *l = xcalloc(1, sizeof *l);
	struct links_orphan *o = NULL;
	size_t no = 0;
	char *buf = NULL;
	size_t cap = 0;

	l->img = img;
	l->layer = layer;
	if (img->nlinks > 0) {
		l->items = xcalloc(img->nlinks, sizeof *l->items);
		o = xcalloc(img->nlinks, sizeof *o);
	}
	for (size_t i = 0; i < img->nlinks; i++) {
		const struct image_link *k = &img->links[i];
		const struct version *ver = &img->versions[k->version];
		if (ver->layer > layer || stack_at(img, ver->node, layer) != k->version)
			continue;	/* not the path's state after the layer */
		if (k->inode == ENTRY_NONE) {
			l->items[l->n++] = (struct links_item){
				ver->node, ver->entry, TREE_NONE, UINT32_MAX, 0,
			};
		} else if (links_home_holds(img, k->inode, layer)) {
			l->items[l->n++] = (struct links_item){
				ver->node, ver->entry, img->entries[k->inode].node, UINT32_MAX, 0,
			};
		} else {
			size_t len = tree_path(&img->tree, ver->node, &buf, &cap);
			o[no++] = (struct links_orphan){
				.inode = k->inode, .node = ver->node,
				.path = xstrndup(buf, len), .len = len,
			};
		}
	}
	links_group(l, o, no);
	if (l->n > 1)
		qsort(l->items, l->n, sizeof *l->items, links_cmp_items);
	free(o);
	free(buf);
	return l;
}

void
links_free(struct links *l)
{
	if (l == NULL)
		return;
	free(l->items);
	free(l->orphans);
	free(l);
}

size_t
links_layer(const struct links *l)
{
	return l->layer;
}

static const struct links_item *
links_find(const struct links *l, uint32_t node)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->items[mid].node < node)
			lo = mid + 1;
		else if (l->items[mid].node > node)
			hi = mid;
		else
			return &l->items[mid];
	}
	return NULL;
}

const struct entry *
links_entry(const struct links *l, uint32_t node, uint32_t *target)
{
	const struct links_item *it = l->n > 0 ? links_find(l, node) : NULL;

	if (target != NULL)
		*target = it != NULL ? it->target : TREE_NONE;
	if (it != NULL)
		return &l->img->entries[it->entry];
	return stack_entry_at(l->img, node, l->layer);
}

int
links_has(const struct links *l, uint32_t node)
{
	return l->n > 0 && links_find(l, node) != NULL;
}

uint64_t
links_size(const struct links *l, uint32_t node)
{
	const struct entry *e = links_entry(l, node, NULL);

	return e != NULL && e->type == ENTRY_FILE ? e->size : 0;
}

const uint32_t *
links_group_of(const struct links *l, uint32_t node, size_t *n)
{
	const struct links_item *it = l->n > 0 ? links_find(l, node) : NULL;

	if (it == NULL || it->group == UINT32_MAX) {
		*n = 0;
		return NULL;
	}
	*n = it->ngroup;
	return l->orphans + it->group;
}

void
links_each(const struct links *l, void (*fn)(void *ctx, uint32_t node), void *ctx)
{
	for (size_t i = 0; i < l->n; i++)
		fn(ctx, l->items[i].node);
}
