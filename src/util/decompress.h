/* decompress: a stream of what a zstd, xz or bzip2 stream holds, through
 * libarchive's filters (gzip has its own, faster stream: gunzip.h). Used
 * where the inflated bytes themselves are needed: checking a layer against
 * its diff_id. Never prints. */
#ifndef FATHOM_DECOMPRESS_H
#define FATHOM_DECOMPRESS_H

#include "util/stream.h"

/* The decompressed bytes of in (owned by it). */
struct stream *stream_decompress_new(struct stream *in);

#endif
