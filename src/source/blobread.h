/* blobread: reads the layer blobs of a source into the image, with several
 * threads: they scan blobs (layer_scan) while the calling thread commits the
 * scanned chunks in blob order (layer_commit), so the model is the same,
 * node for node, as with one thread. Never prints. */
#ifndef FATHOM_BLOBREAD_H
#define FATHOM_BLOBREAD_H

#include <stddef.h>

#include "image/image.h"
#include "util/stream.h"

/* Where a blob's entries come from; each called from any thread, for
 * different blobs at once. */
struct blobread_ops {
	/* Opens blob b's stream and says how to scan it. */
	struct stream *(*open)(void *ctx, size_t b, struct scan_opts *o);
	/* Emits blob b's chunks from what is known of it already (a cache),
	 * as layer_scan would, with its totals: 1 done, 0 not known (then it
	 * is scanned), -1 with *cause. NULL: nothing is known. */
	int (*known)(void *ctx, size_t b, layer_emit_fn emit, void *ectx, struct blob *out,
	             char **cause);
	/* Sees each chunk scanned from blob b's bytes before it is committed,
	 * and the end of the scan (rc, totals). NULL: no one looks. */
	void (*seen)(void *ctx, size_t b, const struct scan_chunk *c);
	void (*done)(void *ctx, size_t b, int rc, const struct blob *totals);
};

/* Reads blobs 0..n-1 into img->blobs with up to jobs threads (0: one per
 * core; 1: this thread alone); with BLOBREAD_TOTALS only their totals,
 * their entries dropped. Returns 0, or -1 with *cause (owned) and *failed
 * the blob at fault (the first one in order that failed). */
#define BLOBREAD_TOTALS 1u
int blobread_all(struct image *img, size_t n, int jobs, const struct blobread_ops *ops,
                 void *ctx, unsigned flags, size_t *failed, char **cause);

#endif
