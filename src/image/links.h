/* links: the filesystem after one layer as a tar of it would hold it, for
 * the paths that share an inode through hard links. Part of the model:
 * never prints.
 *
 * In a layer's tar a hard link names another path; unpacked, the two
 * share one inode, and a later layer that deletes or replaces the first
 * name leaves the link holding the old bytes, mode and owner (overlayfs and
 * umoci agree). So after a layer, the paths that share an inode form a
 * group: when the inode's own path still holds it, that path is the file
 * and the others link to it (as the layers say); otherwise the first path
 * of the group in byte order becomes the file (the inode's bytes, mode and
 * owner) and the others link to it. A link to nothing lists as stored.
 *
 * Call order: links_new for a layer, links_entry per path, links_free. The
 * cost is the hard links of the image, not its paths. */
#ifndef FATHOM_LINKS_H
#define FATHOM_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct links;

/* The groups after layer (< img->nlayers; the stack must be built). */
struct links *links_new(const struct image *img, size_t layer);
void links_free(struct links *l);
/* The layer l describes. */
size_t links_layer(const struct links *l);

/* What node lists as after the layer: NULL when absent; else the entry
 * to show (for a group's first path, the inode's file entry; for any
 * other path its own) and, in *target, the node a hard link links to
 * (TREE_NONE for anything else, and for a link to nothing, whose stored
 * target stands). */
const struct entry *links_entry(const struct links *l, uint32_t node, uint32_t *target);

/* Whether the groups decide how node lists (a hard link present after
 * the layer). */
int links_has(const struct links *l, uint32_t node);

/* The bytes node adds to the listing's sizes after the layer: a regular
 * file's size (a group's first path counts the inode's), else 0. */
uint64_t links_size(const struct links *l, uint32_t node);

/* When node's inode lost its own path after the layer: the paths of its
 * group in byte order (the first is the one listed as the file), *n of
 * them; else NULL. Valid until links_free. */
const uint32_t *links_group_of(const struct links *l, uint32_t node, size_t *n);

/* Calls fn for each path whose listing the groups change (every hard link
 * present after the layer), in node order; for comparing two layers'
 * listings without walking every path. */
void links_each(const struct links *l, void (*fn)(void *ctx, uint32_t node), void *ctx);

#endif
