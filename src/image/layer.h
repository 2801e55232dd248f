/* layer: reads one layer blob (tar, gzip, zstd, ... sniffed by magic) into
 * the image's entries and tree: the layer's change set. Independent of the
 * other layers and of their order; never prints. */
#ifndef FATHOM_LAYER_H
#define FATHOM_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "util/stream.h"

struct image;

/* One layer blob read into entries [first, first + count) of the image. */
struct blob {
	size_t first, count;
	uint64_t size;		/* sum of the tar header sizes */
	uint64_t tar_entries;	/* tar headers read */
};

/* Reads the blob from in into img's entries and tree, filling *out.
 * Returns 0, or -1 with *cause (owned) naming the tar entry at fault. */
int layer_read(struct image *img, struct stream *in, struct blob *out,
               char **cause);

#endif
