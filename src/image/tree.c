/* tree: the set of paths of an image; nodes live in one array and are found
 * by (parent, name) in one hash table. See tree.h. */
#include "image/tree.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xalloc.h"

static size_t
tree_hash(uint32_t parent, uint32_t name)
{
	uint64_t k = ((uint64_t)parent << 32 | name) * 0x9E3779B97F4A7C15ull;
	return (size_t)(k ^ (k >> 29));
}

static void
tree_grow_slots(struct tree *t)
{
	size_t n = t->nslots * 2;
	uint32_t *slots = xmalloc(n * sizeof *slots);

	memset(slots, 0xff, n * sizeof *slots);
	for (size_t i = 0; i < t->nslots; i++) {
		uint32_t id = t->slots[i];
		if (id == TREE_NONE)
			continue;
		size_t j = tree_hash(t->nodes[id].parent, t->nodes[id].name) & (n - 1);
		while (slots[j] != TREE_NONE)
			j = (j + 1) & (n - 1);
		slots[j] = id;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

void
tree_init(struct tree *t)
{
	memset(t, 0, sizeof *t);
	t->names = intern_new();
	t->nslots = 1024;
	t->slots = xmalloc(t->nslots * sizeof *t->slots);
	memset(t->slots, 0xff, t->nslots * sizeof *t->slots);
	ARRAY_RESERVE(t->nodes, 0, t->cap);
	t->nodes[0] = (struct node){
		.parent = TREE_NONE,
		.name = intern_add(t->names, "", 0),
		.child = TREE_NONE,
		.sibling = TREE_NONE,
		.version = TREE_NONE,
	};
	t->count = 1;
}

void
tree_fini(struct tree *t)
{
	intern_free(t->names);
	free(t->nodes);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* The slot of (parent, name), or the empty slot where it would go. */
static size_t
tree_slot(const struct tree *t, uint32_t parent, uint32_t name)
{
	size_t mask = t->nslots - 1, j = tree_hash(parent, name) & mask;

	for (; t->slots[j] != TREE_NONE; j = (j + 1) & mask) {
		const struct node *n = &t->nodes[t->slots[j]];
		if (n->parent == parent && n->name == name)
			break;
	}
	return j;
}

uint32_t
tree_lookup(const struct tree *t, uint32_t parent, uint32_t name)
{
	return t->slots[tree_slot(t, parent, name)];
}

uint32_t
tree_child(struct tree *t, uint32_t parent, uint32_t name)
{
	size_t j = tree_slot(t, parent, name);

	if (t->slots[j] != TREE_NONE)
		return t->slots[j];
	if (t->count >= TREE_NONE - 1)
		xalloc_die();

	uint32_t id = (uint32_t)t->count++;
	ARRAY_RESERVE(t->nodes, id, t->cap);
	t->nodes[id] = (struct node){
		.parent = parent,
		.name = name,
		.child = TREE_NONE,
		.sibling = t->nodes[parent].child,
		.version = TREE_NONE,
	};
	t->nodes[parent].child = id;
	t->slots[j] = id;
	if (t->count * 4 > t->nslots * 3)
		tree_grow_slots(t);
	return id;
}

uint32_t
tree_insert(struct tree *t, uint32_t from, const char *path, size_t len)
{
	uint32_t cur = from;
	size_t i = 0;

	while (i < len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t end = slash != NULL ? (size_t)(slash - path) : len;
		uint32_t name = intern_add(t->names, path + i, end - i);
		cur = tree_child(t, cur, name);
		i = end + 1;
	}
	return cur;
}

uint32_t
tree_find(const struct tree *t, const char *path)
{
	size_t len = strlen(path), i = 0;
	char *clean = xmalloc(len + 1);
	long cl = path_clean(path, len, clean);
	uint32_t cur = cl < 0 ? TREE_NONE : TREE_ROOT;

	while (cur != TREE_NONE && i < (size_t)cl) {
		const char *slash = memchr(clean + i, '/', (size_t)cl - i);
		size_t end = slash != NULL ? (size_t)(slash - clean) : (size_t)cl;
		uint32_t name = intern_find(t->names, clean + i, end - i);
		cur = name == UINT32_MAX ? TREE_NONE : tree_lookup(t, cur, name);
		i = end + 1;
	}
	free(clean);
	return cur;
}

const char *
tree_name(const struct tree *t, uint32_t node, size_t *len)
{
	return intern_str(t->names, t->nodes[node].name, len);
}

size_t
tree_path(const struct tree *t, uint32_t node, char **buf, size_t *cap)
{
	size_t total = 0;

	for (uint32_t n = node; n != TREE_ROOT; n = t->nodes[n].parent) {
		size_t l;
		tree_name(t, n, &l);
		total += l + 1;
	}
	if (total == 0)
		total = 1;
	ARRAY_RESERVE(*buf, total, *cap);
	(*buf)[total] = '\0';
	(*buf)[0] = '/';
	size_t pos = total;
	for (uint32_t n = node; n != TREE_ROOT; n = t->nodes[n].parent) {
		size_t l;
		const char *s = tree_name(t, n, &l);
		pos -= l;
		memcpy(*buf + pos, s, l);
		(*buf)[--pos] = '/';
	}
	return total;
}

size_t
tree_bytes(const struct tree *t)
{
	return t->cap * sizeof *t->nodes + t->nslots * sizeof *t->slots +
	       intern_bytes(t->names);
}

long
path_clean(const char *path, size_t len, char *out)
{
	size_t o = 0, i = 0;

	while (i < len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t end = slash != NULL ? (size_t)(slash - path) : len;
		size_t n = end - i;
		const char *c = path + i;

		i = end + 1;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (o == 0)
				return -1;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;	/* the slash */
			continue;
		}
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	return (long)o;
}

uint64_t *
tree_path_lengths(const struct tree *t)
{
	uint64_t *len = xcalloc(t->count ? t->count : 1, sizeof *len);

	/* parents are made before their children: a smaller index */
	for (uint32_t n = 1; n < t->count; n++) {
		size_t nl;
		uint32_t p = t->nodes[n].parent;
		tree_name(t, n, &nl);
		len[n] = (p != TREE_ROOT && p != TREE_NONE && p < n ? len[p] + 1 : 0) + nl;
	}
	return len;
}

char *
tree_path_escaped(const struct tree *t, uint32_t node, int utf8)
{
	char *buf = NULL, *out;
	size_t cap = 0, len = tree_path(t, node, &buf, &cap);

	out = escape_str(buf, len, utf8);
	free(buf);
	return out;
}
