/* tree: every path that any layer of an image names, once, as a node with
 * interned name components. Knows nothing of layers; never prints. */
#ifndef FATHOM_TREE_H
#define FATHOM_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "util/intern.h"

#define TREE_NONE UINT32_MAX
#define TREE_ROOT 0u

/* One path. 20 bytes: images have millions. */
struct node {
	uint32_t parent;	/* TREE_NONE for the root */
	uint32_t name;		/* intern id of the last component */
	uint32_t child;		/* first child, TREE_NONE when none */
	uint32_t sibling;	/* next child of the parent, unordered */
	uint32_t version;	/* newest version (stack.h), TREE_NONE when none */
};

struct tree {
	struct intern *names;	/* owned: components and link targets */
	struct node *nodes;	/* owned; index = node id */
	size_t count, cap;
	uint32_t *slots;	/* (parent, name) -> node, open addressing */
	size_t nslots;
};

void tree_init(struct tree *t);
void tree_fini(struct tree *t);
/* The child called name (an intern id) of parent, added when new. */
uint32_t tree_child(struct tree *t, uint32_t parent, uint32_t name);
/* The same without adding: TREE_NONE when absent. */
uint32_t tree_lookup(const struct tree *t, uint32_t parent, uint32_t name);
/* The node for path components, each separated by '/', no empty, "." or
 * ".." component (see path_clean), added with its parents. */
uint32_t tree_insert(struct tree *t, uint32_t from, const char *path, size_t len);
/* The node of an absolute or relative path (cleaned as path_clean does),
 * or TREE_NONE when no layer names it. */
uint32_t tree_find(const struct tree *t, const char *path);
/* The last component of a node. */
const char *tree_name(const struct tree *t, uint32_t node, size_t *len);
/* Writes the absolute path of node ("/a/b"; "/" for the root) into *buf,
 * growing it; returns its length. */
size_t tree_path(const struct tree *t, uint32_t node, char **buf, size_t *cap);
/* node's absolute path, escaped as escape_str does (utf8: also bytes that
 * are not UTF-8, for JSON and Markdown); owned by the caller. */
char *tree_path_escaped(const struct tree *t, uint32_t node, int utf8);
/* Every node's absolute path length (without the leading "/"; owned by the
 * caller): for sizing what spells paths out, in one pass. */
uint64_t *tree_path_lengths(const struct tree *t);
/* Bytes held. */
size_t tree_bytes(const struct tree *t);

/* Lexically cleans a tar entry name into out (capacity len + 1): drops
 * leading "/", "./", empty and "." components and resolves "..". Returns
 * the cleaned length ("" is the root), or -1 when ".." climbs above the root. */
long path_clean(const char *path, size_t len, char *out);

#endif
