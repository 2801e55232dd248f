/* walk: visits chosen paths of a tree in the byte order of their full paths
 * (strcmp of "/a/b"), as flat listings print them. Never prints. */
#ifndef FATHOM_WALK_H
#define FATHOM_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "image/tree.h"

#define WALK_SHOW 1		/* visit this node */
#define WALK_DESCEND 2		/* look at its children */

/* Says what to do with a node: WALK_SHOW | WALK_DESCEND, or 0. */
typedef int (*walk_filter_fn)(void *ctx, uint32_t node);
/* Gets each shown node with its absolute path; nonzero stops the walk and
 * is returned by walk_sorted. */
typedef int (*walk_visit_fn)(void *ctx, uint32_t node, const char *path, size_t len);

/* Walks below the root (the root itself is not visited). */
int walk_sorted(const struct tree *t, walk_filter_fn filter, walk_visit_fn visit,
                void *ctx);

#endif
