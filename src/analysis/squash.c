/* squash: planning the layer that replaces the top layers; see squash.h. */
#include "analysis/squash.h"

#include <stdlib.h>
#include <string.h>

#include "image/links.h"
#include "image/stack.h"
#include "image/walk.h"
#include "util/escape.h"
#include "util/xalloc.h"

#define ST_DIR_TOP 1		/* a directory at the top */
#define ST_OPAQUE 2		/* in a subtree written whole (opaque) */
#define ST_REPLACED 4		/* an opaque marker of the squashed layers */

struct planner {
	const struct image *img;
	struct squash_plan *p;
	size_t top;
	uint8_t *state;		/* per node (owned) */
	uint32_t *item_of;	/* per node: its item, or TREE_NONE (owned) */
	uint32_t *links;	/* items of hard links to resolve (owned) */
	size_t nlinks, clinks;
};

static uint32_t
planner_add(struct planner *pl, uint32_t node, uint32_t entry, uint8_t op)
{
	struct squash_plan *p = pl->p;

	ARRAY_RESERVE(p->items, p->nitems, p->citems);
	p->items[p->nitems] = (struct squash_item){
		.node = node, .entry = entry, .target = TREE_NONE, .op = op,
	};
	pl->item_of[node] = (uint32_t)p->nitems;
	return (uint32_t)p->nitems++;
}

/* The entry node has after the layer below the squash point, or NULL. */
static const struct entry *
planner_base(const struct planner *pl, uint32_t node)
{
	return pl->p->from == 0 ? NULL : stack_entry_at(pl->img, node, pl->p->from - 1);
}

/* Whether the squashed layers replaced directory node (deleted it, put
 * something else there, or hid its contents with an opaque marker). */
static int
planner_replaced(const struct planner *pl, uint32_t node)
{
	const struct image *img = pl->img;

	if (pl->state[node] & ST_REPLACED)
		return 1;
	for (uint32_t v = stack_at(img, node, pl->top);
	     v != TREE_NONE && img->versions[v].layer >= pl->p->from; v = img->versions[v].next) {
		uint32_t e = img->versions[v].entry;
		if (e == ENTRY_NONE || img->entries[e].type != ENTRY_DIR)
			return 1;
	}
	return 0;
}

static int
planner_filter(void *ctx, uint32_t node)
{
	struct planner *pl = ctx;
	const struct entry *top = stack_entry_at(pl->img, node, pl->top);

	if (top != NULL)
		return top->type == ENTRY_DIR ? WALK_SHOW | WALK_DESCEND : WALK_SHOW;
	return planner_base(pl, node) != NULL ? WALK_SHOW : 0;
}

static int
planner_visit(void *ctx, uint32_t node, const char *path, size_t len)
{
	struct planner *pl = ctx;
	const struct image *img = pl->img;
	uint32_t parent = img->tree.nodes[node].parent;
	int whole = (pl->state[parent] & ST_OPAQUE) != 0;
	uint32_t v = stack_at(img, node, pl->top);
	const struct entry *eb = planner_base(pl, node);
	(void)path;
	(void)len;

	if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE) {
		/* only the lower layers have it */
		if (!whole)
			planner_add(pl, node, ENTRY_NONE, SQUASH_WHITEOUT);
		return 0;
	}
	const struct version *ver = &img->versions[v];
	const struct entry *et = &img->entries[ver->entry];

	if (et->type == ENTRY_DIR)
		pl->state[node] |= ST_DIR_TOP | (whole ? ST_OPAQUE : 0);
	if (!whole && eb != NULL && et->type == ENTRY_DIR && eb->type == ENTRY_DIR &&
	    planner_replaced(pl, node)) {
		pl->state[node] |= ST_OPAQUE;
		planner_add(pl, node, ver->entry, (ver->flags & VERSION_IMPLICIT) ? SQUASH_DIR :
		            SQUASH_ENTRY);
		ARRAY_RESERVE(pl->p->items, pl->p->nitems, pl->p->citems);
		pl->p->items[pl->p->nitems++] = (struct squash_item){
			.node = node, .entry = ENTRY_NONE, .target = TREE_NONE, .op = SQUASH_OPAQUE,
		};
		return 0;
	}
	if (!whole && eb != NULL &&
	    (ver->layer < pl->p->from || (et->type != ENTRY_HARDLINK && entry_same(eb, et))))
		return 0;	/* the lower layers have it as it is */
	if (ver->flags & VERSION_IMPLICIT) {
		planner_add(pl, node, ENTRY_NONE, SQUASH_DIR);
	} else if (et->type == ENTRY_HARDLINK) {
		uint32_t i = planner_add(pl, node, ver->entry, SQUASH_LINK);
		ARRAY_RESERVE(pl->links, pl->nlinks, pl->clinks);
		pl->links[pl->nlinks++] = i;
	} else {
		planner_add(pl, node, ver->entry, SQUASH_ENTRY);
		if (et->type == ENTRY_FILE)
			pl->p->file_bytes += et->size;
	}
	return 0;
}

/* "layer L: entry '/path': what" */
static char *
planner_error(const struct planner *pl, uint32_t node, const char *what)
{
	char *buf = NULL, *e, *msg;
	size_t cap = 0, len = tree_path(&pl->img->tree, node, &buf, &cap);
	uint32_t v = stack_at(pl->img, node, pl->top);

	e = escape_str(buf, len, 0);
	msg = xasprintf("layer %u: entry '%s': %s", (unsigned)pl->img->versions[v].layer, e, what);
	free(e);
	free(buf);
	return msg;
}

/* Points each hard link at a path that holds its inode at the top: the
 * inode's own path when it still holds it; else a path of its group that
 * the layers below the squash point keep (so that the group stays one
 * inode); else the group's first path in byte order, which becomes the
 * file (see image/links.h: the listing makes the same choice). */
static int
planner_links(struct planner *pl, uint8_t *deferred, char **cause)
{
	const struct image *img = pl->img;
	struct squash_item *items = pl->p->items;
	struct links *lk = pl->nlinks > 0 ? links_new(img, pl->top) : NULL;

	for (size_t k = 0; k < pl->nlinks; k++) {
		struct squash_item *it = &items[pl->links[k]];
		uint32_t v = stack_at(img, it->node, pl->top);
		uint32_t inode = stack_inode(img, it->entry, img->versions[v].layer);

		if (inode == ENTRY_NONE) {
			const char *t = intern_str(img->tree.names, img->entries[it->entry].link, NULL);
			char *e = escape_str(t, strlen(t), 0);
			char *what = xasprintf("a hard link to '%s', which is not a regular file "
			                       "there", e);
			*cause = planner_error(pl, it->node, what);
			free(what);
			free(e);
			links_free(lk);
			return -1;
		}
		uint32_t to = img->entries[inode].node;
		size_t n = 0;
		const uint32_t *group = NULL;
		if (stack_entry_at(img, to, pl->top) != &img->entries[inode]) {
			group = links_group_of(lk, it->node, &n);
			to = n > 0 ? group[0] : it->node;
			for (size_t i = 0; i < n; i++) {
				uint32_t gv = stack_at(img, group[i], pl->top);
				if (img->versions[gv].layer < pl->p->from) {
					to = group[i];	/* kept below: still the inode */
					break;
				}
			}
		}
		if (to == it->node) {
			/* the group's first path holds the bytes */
			it->op = SQUASH_FILE_OF;
			it->entry = inode;
			pl->p->file_bytes += img->entries[inode].size;
			continue;
		}
		it->target = to;
		if (pl->item_of[to] != TREE_NONE && pl->item_of[to] > pl->links[k])
			deferred[pl->links[k]] = 1;
	}
	links_free(lk);
	return 0;
}

int
squash_plan_make(const struct image *img, size_t from, struct squash_plan *p, char **cause)
{
	struct planner pl = { .img = img, .p = p, .top = img->nlayers - 1 };
	uint8_t *deferred = NULL;
	int rc = -1;

	memset(p, 0, sizeof *p);
	p->from = from;
	pl.state = xcalloc(img->tree.count, 1);
	pl.item_of = xmalloc(img->tree.count * sizeof *pl.item_of);
	memset(pl.item_of, 0xff, img->tree.count * sizeof *pl.item_of);
	/* opaque markers of the squashed layers */
	for (size_t k = from; k < img->nlayers; k++) {
		const struct blob *b = &img->blobs[img->layers[k].blob];
		for (size_t i = b->first; i < b->first + b->count; i++)
			if (img->entries[i].type == ENTRY_OPAQUE)
				pl.state[img->entries[i].node] |= ST_REPLACED;
	}
	pl.state[TREE_ROOT] |= ST_DIR_TOP;
	if (from > 0 && (pl.state[TREE_ROOT] & ST_REPLACED)) {
		pl.state[TREE_ROOT] |= ST_OPAQUE;
		planner_add(&pl, TREE_ROOT, ENTRY_NONE, SQUASH_OPAQUE);
	}
	walk_sorted(&img->tree, planner_filter, planner_visit, &pl);

	/* tar spells out every path: a tree 100,000 levels deep would make a
	 * layer of gigabytes of names */
	uint64_t *len = tree_path_lengths(&img->tree), names = 0;
	for (size_t i = 0; i < p->nitems; i++)
		names += len[p->items[i].node];
	free(len);
	if (names > SQUASH_MAX_NAME_BYTES) {
		*cause = xasprintf("the squashed layer would hold %llu bytes of names alone: "
		                   "not written", (unsigned long long)names);
		goto out;
	}
	deferred = xcalloc(p->nitems + 1, 1);
	if (planner_links(&pl, deferred, cause) < 0)
		goto out;
	/* hard links whose target comes later go last, in their order */
	struct squash_item *order = xmalloc((p->nitems + 1) * sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < p->nitems; i++)
		if (!deferred[i])
			order[n++] = p->items[i];
	for (size_t i = 0; i < p->nitems; i++)
		if (deferred[i])
			order[n++] = p->items[i];
	free(p->items);
	p->items = order;
	p->citems = p->nitems + 1;
	rc = 0;
out:
	if (rc < 0)
		squash_plan_fini(p);
	free(deferred);
	free(pl.state);
	free(pl.item_of);
	free(pl.links);
	return rc;
}

void
squash_plan_fini(struct squash_plan *p)
{
	free(p->items);
	p->items = NULL;
	p->nitems = p->citems = 0;
}
