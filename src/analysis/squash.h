/* squash: what the one layer that replaces layers FROM..top must hold, as a
 * list of tar entries in the order they are written. Pure: reads the model,
 * never prints; write/squashwrite.c writes the entries.
 *
 * The layer is the difference between the filesystem after layer FROM-1
 * (none when FROM is 0) and the one at the top: every path that differs, a
 * whiteout for each path that only the lower layers have, an opaque marker
 * on a directory that the squashed layers replaced. Order: by full path
 * (parents first), except hard links whose target comes later, which come
 * last, so that a link's target always exists when an engine makes it. */
#ifndef FATHOM_SQUASH_H
#define FATHOM_SQUASH_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

enum squash_op {
	SQUASH_ENTRY,		/* entry's header (and bytes, for a file) at node */
	SQUASH_FILE_OF,		/* the file `entry` (header, bytes) at node: a
				 * hard link whose target is gone */
	SQUASH_LINK,		/* the hard link `entry`'s header, to `target` */
	SQUASH_WHITEOUT,	/* node is deleted: .wh.NAME */
	SQUASH_OPAQUE,		/* node's lower contents are hidden */
	SQUASH_DIR,		/* a directory a layer implied: 0755 0:0 */
};

struct squash_item {
	uint32_t node;
	uint32_t entry;		/* ENTRY_NONE for the ops without one */
	uint32_t target;	/* SQUASH_LINK: the node linked to */
	uint8_t op;		/* enum squash_op */
};

/* The most bytes of names a squashed layer may hold. */
#define SQUASH_MAX_NAME_BYTES (4ull << 30)

struct squash_plan {
	size_t from;			/* the first squashed layer */
	struct squash_item *items;	/* owned, in writing order */
	size_t nitems, citems;
	uint64_t file_bytes;		/* bytes of the files written */
};

/* Plans squashing layers from..top of img (from < nlayers). Returns 0, or
 * -1 with *cause (owned) naming the layer and path at fault. */
int squash_plan_make(const struct image *img, size_t from, struct squash_plan *p,
                     char **cause);
void squash_plan_fini(struct squash_plan *p);

#endif
