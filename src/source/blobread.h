/* blobread: reads the layer blobs of a source into the image, with several
 * threads: they scan blobs (layer_scan) while the calling thread commits the
 * scanned chunks in blob order (layer_commit), so the model is the same,
 * node for node, as with one thread. Never prints. */
#ifndef FATHOM_BLOBREAD_H
#define FATHOM_BLOBREAD_H

#include <stddef.h>

#include "image/image.h"
#include "util/stream.h"

/* Opens blob b's stream and says how to scan it; called from any thread. */
typedef struct stream *(*blobread_open_fn)(void *ctx, size_t b, struct scan_opts *o);

/* Reads blobs 0..n-1 into img->blobs with up to jobs threads (0: one per
 * core; 1: this thread alone). Returns 0, or -1 with *cause (owned) and
 * *failed the blob at fault (the first one in order that failed). */
int blobread_all(struct image *img, size_t n, int jobs, blobread_open_fn open,
                 void *ctx, size_t *failed, char **cause);

#endif
