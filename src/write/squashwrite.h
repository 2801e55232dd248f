/* squashwrite: writes an image whose layers from..top are one layer, as
 * planned by analysis/squash.h: the new layer made from the entries of the
 * source's blobs (squashlayer.h) and written once, straight into the
 * image, compressed on the way (gzip by ISA-L); the layers below copied
 * byte for byte; the config and manifests recomputed. Never prints. */
#ifndef FATHOM_SQUASHWRITE_H
#define FATHOM_SQUASHWRITE_H

#include <stdint.h>

#include "analysis/squash.h"
#include "image/image.h"
#include "write/imagewrite.h"

enum squashwrite_compress { SQUASHWRITE_NONE, SQUASHWRITE_GZIP, SQUASHWRITE_ZSTD };

struct squashwrite_opts {
	const char *output;		/* the file or directory to write; NULL:
					 * the archive goes to fd instead */
	int fd;				/* with output NULL: stdout (borrowed) */
	enum imagewrite_format format;
	enum squashwrite_compress compress;	/* of the new layer */
	const char *tag;		/* NULL: none */
};

/* What was written. */
struct squashwrite_result {
	uint64_t layer_bytes;		/* the new layer's tar, uncompressed */
	uint64_t layer_blob;		/* ... as stored */
	uint64_t spooled;		/* bytes put aside to come in order */
	char *diff_id;			/* owned: its sha256 */
};

/* Writes the squashed image. Returns 0, or -1 with *cause (owned) naming
 * the layer and entry at fault; nothing is left at o->output then. */
int squashwrite_image(const struct image *img, const struct squash_plan *plan,
                      const struct squashwrite_opts *o, struct squashwrite_result *r,
                      char **cause);
void squashwrite_result_fini(struct squashwrite_result *r);

#endif
