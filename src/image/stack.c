/* stack: layer application and per-layer queries; see stack.h. */
#include "image/stack.h"

#include <stdlib.h>

#include "util/xalloc.h"

struct stacker {
	struct image *img;
	uint16_t layer;
	uint32_t *todo;		/* work stack for subtree walks (owned) */
	size_t ntodo, ctodo;
};

static uint32_t
head(const struct stacker *s, uint32_t n)
{
	return s->img->tree.nodes[n].version;
}

static int
visible(const struct stacker *s, uint32_t n)
{
	uint32_t h = head(s, n);
	return n == TREE_ROOT || (h != TREE_NONE && s->img->versions[h].entry != ENTRY_NONE);
}

static int
visible_dir(const struct stacker *s, uint32_t n)
{
	uint32_t h = head(s, n);
	if (n == TREE_ROOT)
		return 1;
	if (h == TREE_NONE || s->img->versions[h].entry == ENTRY_NONE)
		return 0;
	return s->img->entries[s->img->versions[h].entry].type == ENTRY_DIR;
}

static void
push_version(struct stacker *s, uint32_t n, uint32_t entry, uint16_t flags)
{
	struct image *img = s->img;

	if (img->nversions >= TREE_NONE - 1)
		xalloc_die();
	ARRAY_RESERVE(img->versions, img->nversions, img->cversions);
	img->versions[img->nversions] = (struct version){
		.entry = entry,
		.next = img->tree.nodes[n].version,
		.node = n,
		.layer = s->layer,
		.flags = flags,
	};
	img->tree.nodes[n].version = (uint32_t)img->nversions++;
}

/* This layer's version of n is entry: later entries of a layer win. */
static void
set_version(struct stacker *s, uint32_t n, uint32_t entry, uint16_t flags)
{
	uint32_t h = head(s, n);

	if (h != TREE_NONE && s->img->versions[h].layer == s->layer) {
		s->img->versions[h].entry = entry;
		s->img->versions[h].flags = flags;
	} else {
		push_version(s, n, entry, flags);
	}
}

/* n is gone after this layer. */
static void
remove_node(struct stacker *s, uint32_t n)
{
	struct image *img = s->img;
	uint32_t h = head(s, n);

	if (h != TREE_NONE && img->versions[h].layer == s->layer) {
		/* Made by this very layer: undo it. */
		img->versions[h].flags |= VERSION_DEAD;
		img->tree.nodes[n].version = img->versions[h].next;
		h = img->versions[h].next;
	}
	if (h != TREE_NONE && img->versions[h].entry != ENTRY_NONE)
		push_version(s, n, ENTRY_NONE, 0);
}

/* n and everything visible below it are gone after this layer. */
static void
remove_subtree(struct stacker *s, uint32_t n)
{
	const struct node *nodes;

	s->ntodo = 0;
	ARRAY_RESERVE(s->todo, s->ntodo, s->ctodo);
	s->todo[s->ntodo++] = n;
	while (s->ntodo > 0) {
		uint32_t x = s->todo[--s->ntodo];
		nodes = s->img->tree.nodes;
		for (uint32_t c = nodes[x].child; c != TREE_NONE; c = nodes[c].sibling) {
			if (!visible(s, c))
				continue;
			ARRAY_RESERVE(s->todo, s->ntodo, s->ctodo);
			s->todo[s->ntodo++] = c;
		}
		remove_node(s, x);
	}
}

/* Removes everything visible below the directory n. */
static void
remove_children(struct stacker *s, uint32_t n)
{
	const struct node *nodes = s->img->tree.nodes;

	for (uint32_t c = nodes[n].child; c != TREE_NONE; c = nodes[c].sibling)
		if (visible(s, c))
			remove_subtree(s, c);
}

/* Makes sure that the parents of an entry exist as directories: a parent
 * that is missing, or is not a directory, becomes a directory 0755 0:0. */
static void
ensure_parents(struct stacker *s, uint32_t p)
{
	const struct node *nodes = s->img->tree.nodes;
	size_t base = s->ntodo = 0;

	for (; p != TREE_ROOT && !visible_dir(s, p); p = nodes[p].parent) {
		ARRAY_RESERVE(s->todo, s->ntodo, s->ctodo);
		s->todo[s->ntodo++] = p;
	}
	while (s->ntodo > base)
		set_version(s, s->todo[--s->ntodo], 0, VERSION_IMPLICIT);
}

static void
stack_layer(struct stacker *s, size_t k)
{
	struct image *img = s->img;
	const struct blob *b = &img->blobs[img->layers[k].blob];

	s->layer = (uint16_t)k;
	img->layers[k].vfirst = img->nversions;

	/* Whiteouts and opaque markers first: they act on the layers below
	 * only, wherever they stand in the tar. */
	for (size_t i = b->first; i < b->first + b->count; i++) {
		const struct entry *e = &img->entries[i];
		if (e->type == ENTRY_WHITEOUT && visible(s, e->node))
			remove_subtree(s, e->node);
		else if (e->type == ENTRY_OPAQUE && visible_dir(s, e->node))
			remove_children(s, e->node);
	}

	for (size_t i = b->first; i < b->first + b->count; i++) {
		const struct entry *e = &img->entries[i];
		uint32_t n = e->node;

		if (e->type == ENTRY_WHITEOUT)
			continue;
		if (e->type == ENTRY_OPAQUE) {
			/* The marker lives in its directory: it implies it. */
			if (n != TREE_ROOT && !visible_dir(s, n)) {
				ensure_parents(s, img->tree.nodes[n].parent);
				set_version(s, n, 0, VERSION_IMPLICIT);
			}
			continue;
		}
		if (n == TREE_ROOT) {
			set_version(s, n, (uint32_t)i, 0);
			continue;
		}
		ensure_parents(s, img->tree.nodes[n].parent);
		/* Anything but a directory over a directory replaces it. */
		if (e->type != ENTRY_DIR && visible_dir(s, n))
			remove_children(s, n);
		set_version(s, n, (uint32_t)i, 0);
	}
	img->layers[k].vend = img->nversions;
}

/* Every live hard link version with the file it shares, for links.c. */
static void
stack_list_links(struct image *img)
{
	img->nlinks = 0;
	for (size_t v = 0; v < img->nversions; v++) {
		const struct version *ver = &img->versions[v];
		if ((ver->flags & VERSION_DEAD) || ver->entry == ENTRY_NONE ||
		    img->entries[ver->entry].type != ENTRY_HARDLINK)
			continue;
		ARRAY_RESERVE(img->links, img->nlinks, img->clinks);
		img->links[img->nlinks++] = (struct image_link){
			.version = (uint32_t)v,
			.inode = stack_inode(img, ver->entry, ver->layer),
		};
	}
}

void
stack_build(struct image *img)
{
	struct stacker s = { .img = img };

	for (size_t k = 0; k < img->nlayers; k++)
		stack_layer(&s, k);
	free(s.todo);
	stack_list_links(img);
}

uint32_t
stack_at(const struct image *img, uint32_t node, size_t layer)
{
	uint32_t v = img->tree.nodes[node].version;

	while (v != TREE_NONE && img->versions[v].layer > layer)
		v = img->versions[v].next;
	return v;
}

int
stack_present(const struct image *img, uint32_t node, size_t layer)
{
	uint32_t v;

	if (node == TREE_ROOT)
		return 1;
	v = stack_at(img, node, layer);
	return v != TREE_NONE && img->versions[v].entry != ENTRY_NONE;
}

const struct entry *
stack_entry_at(const struct image *img, uint32_t node, size_t layer)
{
	uint32_t v = stack_at(img, node, layer);

	if (v == TREE_NONE || img->versions[v].entry == ENTRY_NONE)
		return NULL;
	return &img->entries[img->versions[v].entry];
}

uint32_t
stack_held(const struct image *img, uint32_t v)
{
	uint32_t e = img->versions[v].entry;

	if (e != ENTRY_NONE && img->entries[e].type == ENTRY_HARDLINK) {
		uint32_t ino = stack_inode(img, e, img->versions[v].layer);
		if (ino != ENTRY_NONE)
			return ino;
	}
	return e;
}

int
stack_same(const struct image *img, uint32_t va, uint32_t vb)
{
	if (va == vb)
		return 1;
	uint32_t a = stack_held(img, va), b = stack_held(img, vb);
	if (a == b)
		return 1;
	/* an unhashed file's hash is an offset: not comparable to another's */
	if ((img->entries[a].flags | img->entries[b].flags) & ENTRY_UNHASHED)
		return 0;
	return entry_same(&img->entries[a], &img->entries[b]);
}

char
stack_status(const struct image *img, uint32_t v)
{
	const struct version *ver = &img->versions[v];
	uint32_t prev = ver->next;

	if (ver->entry == ENTRY_NONE)
		return 'R';
	if (prev == TREE_NONE || img->versions[prev].entry == ENTRY_NONE)
		return 'A';
	return stack_same(img, v, prev) ? 'U' : 'M';
}

const struct entry *
stack_version_entry(const struct image *img, uint32_t v)
{
	const struct version *ver = &img->versions[v];

	if (ver->entry != ENTRY_NONE)
		return &img->entries[ver->entry];
	return &img->entries[img->versions[ver->next].entry];
}

uint32_t
stack_inode(const struct image *img, uint32_t entry, size_t layer)
{
	const struct entry *e = &img->entries[entry];

	for (int hops = 0; hops < 16 && e->type == ENTRY_HARDLINK; hops++) {
		const char *target = intern_str(img->tree.names, e->link, NULL);
		uint32_t node = tree_find(&img->tree, target), v;
		if (node == TREE_NONE || (v = stack_at(img, node, layer)) == TREE_NONE ||
		    img->versions[v].entry == ENTRY_NONE)
			return ENTRY_NONE;
		e = &img->entries[img->versions[v].entry];
		layer = img->versions[v].layer;
	}
	return e->type == ENTRY_FILE ? (uint32_t)(e - img->entries) : ENTRY_NONE;
}

size_t
stack_entry_layer(const struct image *img, uint32_t entry)
{
	size_t layer = 0;

	for (uint32_t v = img->tree.nodes[img->entries[entry].node].version; v != TREE_NONE;
	     v = img->versions[v].next)
		if (img->versions[v].entry == entry)
			layer = img->versions[v].layer;
	return layer;
}
