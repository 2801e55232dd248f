/* squash: writes an image whose layers from..top are one layer, as planned
 * by analysis/squash.h: the layers below copied byte for byte, the new
 * layer built from the entries of the source's blobs (read again, file
 * bytes streamed), the config and manifests recomputed. Never prints. */
#ifndef FATHOM_OUTPUT_SQUASH_H
#define FATHOM_OUTPUT_SQUASH_H

#include <stdint.h>

#include "analysis/squash.h"
#include "image/image.h"
#include "output/imagewrite.h"

enum squash_compress { SQUASH_NONE, SQUASH_GZIP, SQUASH_ZSTD };

struct squash_opts {
	const char *output;		/* the file or directory to write; NULL:
					 * the archive goes to fd instead */
	int fd;				/* with output NULL: stdout (borrowed) */
	enum imagewrite_format format;
	enum squash_compress compress;	/* of the new layer */
	const char *tag;		/* NULL: none */
};

/* What was written. */
struct squash_result {
	uint64_t layer_bytes;		/* the new layer's tar, uncompressed */
	uint64_t layer_blob;		/* ... as stored */
	char *diff_id;			/* owned: its sha256 */
};

/* Writes the squashed image. Returns 0, or -1 with *cause (owned) naming
 * the layer and entry at fault; nothing is left at o->output then. */
int squash_write(const struct image *img, const struct squash_plan *plan,
                 const struct squash_opts *o, struct squash_result *r, char **cause);
void squash_result_fini(struct squash_result *r);

#endif
